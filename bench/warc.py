"""Benchmark: what WARC capture costs a full crawl of the replica, and how fast a re-parse from WARC runs.

Each run crawls the same replica twice into fresh archives, once with `--no-warc` and once with WARC capture
(which also fetches the articles' images), alternating the order; then re-parses the WARCs into a new
database. Reported: medians over the runs of wall time, bytes on disk, requests, and re-parse speed in
articles/s against the crawl's own articles/s (re-crawling being what a user without WARCs would do).

    .venv/bin/python bench/warc.py [--runs 3] [--articles 1911]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replica.server import ReplicaOptions, start  # noqa: E402


def portal_archive(*args: str) -> float:
    """Run `portal-archive ARGS`; its wall time in seconds."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "archive.cli", *args], check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - began


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def articles(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("select count(*) from articles").fetchone()[0]


def one_run(url: str, work: Path, warc_first: bool, replica) -> dict:
    results: dict[str, float] = {}
    for mode in ("warc", "plain") if warc_first else ("plain", "warc"):
        db = work / mode / "archive.db"
        before = len(replica.request_log)
        extra = [] if mode == "warc" else ["--no-warc"]
        results[f"{mode}_s"] = portal_archive("crawl", "--start-url", url, "--db", str(db), "--delay", "0", *extra)
        results[f"{mode}_requests"] = len(replica.request_log) - before
        results[f"{mode}_db_bytes"] = size(db)
    results["warc_bytes"] = size(work / "warc" / "warc")
    results["articles"] = articles(work / "warc" / "archive.db")
    results["reparse_s"] = portal_archive(
        "reparse", "--warc-dir", str(work / "warc" / "warc"), "--db", str(work / "rebuilt.db")
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1911)
    args = parser.parse_args()
    runs = []
    with start(ReplicaOptions(n_articles=args.articles)) as replica:
        for n in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                runs.append(one_run(replica.url, Path(tmp), n % 2 == 0, replica))
                print(f"run {n + 1}: {runs[-1]}", file=sys.stderr, flush=True)
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    summary = {
        "runs": args.runs,
        "articles": median["articles"],
        "crawl_without_warc_s": round(median["plain_s"], 2),
        "crawl_with_warc_s": round(median["warc_s"], 2),
        "time_ratio_warc_vs_plain": round(median["warc_s"] / median["plain_s"], 2),
        "requests_without_warc": median["plain_requests"],
        "requests_with_warc (images too)": median["warc_requests"],
        "ms_per_request_without_warc": round(1000 * median["plain_s"] / median["plain_requests"], 1),
        "ms_per_request_with_warc": round(1000 * median["warc_s"] / median["warc_requests"], 1),
        "db_bytes": median["plain_db_bytes"],
        "warc_bytes": median["warc_bytes"],
        "warc_bytes_per_article": round(median["warc_bytes"] / median["articles"]),
        "warc_vs_db_bytes": round(median["warc_bytes"] / median["plain_db_bytes"], 2),
        "reparse_s": round(median["reparse_s"], 2),
        "reparse_articles_per_s": round(median["articles"] / median["reparse_s"], 1),
        "crawl_articles_per_s": round(median["articles"] / median["plain_s"], 1),
        "reparse_speedup_vs_recrawl": round(median["plain_s"] / median["reparse_s"], 2),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "warc.json").write_text(json.dumps({"summary": summary, "runs": runs}, indent=2))
    width = max(map(len, summary))
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
