"""Benchmark for issue 7: requests and seconds to rescue the replica from a web archive (pywb) against a live crawl.

    .venv/bin/python bench/wayback.py [--runs 3] [--articles 1911]

The replica is captured into WARCs (three captures of every article, one of every list page and image: see
`replica.webarchive`) and served by a real pywb; then, `--runs` times each, a real `portal-archive crawl --delay 0`
of the live replica and a real `portal-archive crawl --source wayback --delay 0` of pywb, each into an empty
archive. Requests are the responses the crawl received (`crawl_runs.pages_fetched`); medians of the runs.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import save  # noqa: E402

from replica import webarchive  # noqa: E402
from replica.model import SITE  # noqa: E402
from replica.server import ReplicaOptions, free_port, start  # noqa: E402


def crawl(db: Path, *args: str) -> tuple[int, float, int]:
    """(responses received, seconds, articles archived) of one `portal-archive crawl ARGS` into `db`."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "archive.cli", "crawl", "--db", str(db), "--delay", "0", *args]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    connection = sqlite3.connect(db)
    try:
        (pages,) = connection.execute("select pages_fetched from crawl_runs order by id desc limit 1").fetchone()
        (articles,) = connection.execute("select count(*) from articles").fetchone()
    finally:
        connection.close()
    return pages, seconds, articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1911)
    args = parser.parse_args()
    figures: dict[str, list[tuple[int, float, int]]] = {"live crawl": [], "wayback rescue": []}
    with tempfile.TemporaryDirectory() as tmp, start(ReplicaOptions(n_articles=args.articles)) as replica:
        root = Path(tmp) / "webarchive"
        root.mkdir()
        started = time.perf_counter()
        captured = webarchive.captured_articles(replica)
        snapshots = [s for a in captured for s in webarchive.article_snapshots(replica, a)]
        snapshots += webarchive.list_snapshots(replica) + webarchive.image_snapshots(captured)
        written = webarchive.write_warc(replica, root / "portal.warc.gz", snapshots)
        webarchive.make_collection(root, "portal", [root / "portal.warc.gz"])
        build = time.perf_counter() - started
        print(f"web archive: {len(written)} captures written and indexed in {build:.1f} s")
        with webarchive.serve(root, free_port(), "portal") as pywb:
            for run in range(args.runs):
                figures["live crawl"].append(crawl(Path(tmp) / f"live{run}.db", "--start-url", replica.url))
                rescue = ("--cdx-url", f"{pywb}/portal/cdx", "--replay-url", f"{pywb}/portal/")
                wayback = ("--source", "wayback", "--start-url", f"{SITE}/Tintuc/?PageIndex=1", *rescue)
                figures["wayback rescue"].append(crawl(Path(tmp) / f"wayback{run}.db", *wayback))
    live_seconds = statistics.median(s for _, s, _ in figures["live crawl"])
    results: dict[str, object] = {"articles": args.articles, "captures": len(written), "build_seconds": round(build, 1)}
    print(f"{'crawl':<16}{'requests':>10}{'seconds':>10}{'articles':>10}{'vs live':>10}")
    for name, samples in figures.items():
        requests, seconds = statistics.median(r for r, _, _ in samples), statistics.median(s for _, s, _ in samples)
        articles = statistics.median(a for _, _, a in samples)
        results[name] = {"requests": requests, "seconds": round(seconds, 2), "articles": articles, "runs": samples}
        print(f"{name:<16}{requests:>10.0f}{seconds:>10.2f}{articles:>10.0f}{seconds / live_seconds:>9.2f}x")
    save("wayback", results)


if __name__ == "__main__":
    main()
