"""Benchmark for issue 5: what a crawl costs in requests and seconds, full, incremental and under chaos.

    .venv/bin/python bench/recrawl.py [--runs 3] [--articles 1911]

(a) a full crawl into an empty archive; (b) re-crawls of that archive after 0 and 5 new articles;
(c) a full crawl while 10 % of requests fail (500/503/429, resets, stalls, cut bodies).
Each is a real `portal-archive crawl --delay 0` process against the replica; medians of `--runs` runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import save  # noqa: E402

from replica.server import ReplicaOptions, free_port, start  # noqa: E402


def crawl(url: str, db: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "archive.cli", "crawl", "--start-url", url, "--db", str(db), "--delay", "0", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def measure(options: ReplicaOptions, port: int, db: Path, *args: str) -> tuple[int, float]:
    """(requests the replica answered, seconds) for one crawl into `db`."""
    with start(options, port=port) as replica:
        seconds = crawl(replica.url, db, *args)
        return len(replica.request_log), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1911)
    args = parser.parse_args()
    base = ReplicaOptions(n_articles=args.articles)
    port = free_port()
    figures: dict[str, list[tuple[int, float]]] = {"full": [], "nothing new": [], "5 new": [], "full, 10% chaos": []}
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "base.db"
        for run in range(args.runs):
            fresh = Path(tmp) / f"full{run}.db"
            figures["full"].append(measure(base, port, fresh))
            shutil.copy(fresh, archive)
            for name, new in (("nothing new", 0), ("5 new", 5)):
                copy = Path(tmp) / f"{name}{run}.db".replace(" ", "-")
                shutil.copy(archive, copy)
                options = ReplicaOptions(n_articles=args.articles, new_articles=new)
                figures[name].append(measure(options, port, copy))
            chaos = ReplicaOptions(n_articles=args.articles, chaos=0.1, chaos_seed=run, stall_seconds=3)
            figures["full, 10% chaos"].append(measure(chaos, port, Path(tmp) / f"chaos{run}.db", "--timeout", "2"))
    full_seconds = statistics.median(s for _, s in figures["full"])
    results = {}
    print(f"{'crawl':<18}{'requests':>10}{'seconds':>10}{'vs full':>10}")
    for name, samples in figures.items():
        requests = statistics.median(r for r, _ in samples)
        seconds = statistics.median(s for _, s in samples)
        results[name] = {"requests": requests, "seconds": round(seconds, 2), "runs": samples}
        print(f"{name:<18}{requests:>10.0f}{seconds:>10.2f}{seconds / full_seconds:>9.2f}x")
    save("recrawl", results)


if __name__ == "__main__":
    main()
