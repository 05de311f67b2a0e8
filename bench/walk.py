"""Benchmark: what a crawl of a portal whose pager lies costs, per lie, in requests and seconds.

The independently written copy of the portal (`replica.independent`) serves 640 articles (64 list pages) with
each kind of pager; `portal-archive crawl --delay 0 --no-warc` archives it into a fresh database, `--runs` times.
Figures per mode: list-page and article requests (counted by the server), against the minimum (64 list pages
plus 640 articles), the pages a walk of the declared range would have scheduled (what the crawler did before
the walk was bounded by evidence: every page up to the declared total), and the crawl's wall time (median).

    python bench/walk.py [--runs 3]    # a table on stdout, the figures in bench/results/walk.json
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

from replica.independent import IndependentPortal

ARTICLES = 640
MODES = [
    ("truthful", "empty"),
    ("too_big", "empty"),
    ("too_small", "empty"),
    ("none", "empty"),
    ("run_on_digits", "empty"),
    ("truthful", "404"),
    ("too_big", "repeat_first"),
]
PORTAL_ARCHIVE = str(Path(sys.executable).parent / "portal-archive")


def crawl_once(pager: str, beyond: str) -> dict:
    portal = IndependentPortal(n_articles=ARTICLES, pager=pager, beyond=beyond, seed=11)
    with tempfile.TemporaryDirectory() as tmp, portal.serve(host="127.0.0.1", port=0):
        started = time.perf_counter()
        command = [PORTAL_ARCHIVE, "crawl", "--start-url", portal.list_url, "--db", f"{tmp}/a.db", "--delay", "0"]
        subprocess.run([*command, "--no-warc"], check=True, capture_output=True)
        seconds = time.perf_counter() - started
        with sqlite3.connect(f"{tmp}/a.db") as db:
            declared = db.execute("select max(declared_total) from list_pages where page = 1").fetchone()[0]
        return {
            "list": portal.count("list"),
            "article": portal.count("article"),
            "minimum": portal.last_page + ARTICLES,
            "declared_range_pages": -(-declared // 10) if declared else None,
            "seconds": seconds,
        }


def measure(runs: int) -> dict:
    modes = {}
    for pager, beyond in MODES:
        results = [crawl_once(pager, beyond) for _ in range(runs)]
        first = results[0]
        modes[f"{pager}/{beyond}"] = {
            **{key: first[key] for key in ("list", "article", "minimum", "declared_range_pages")},
            "requests_max": max(r["list"] + r["article"] for r in results),
            "seconds_median": statistics.median(r["seconds"] for r in results),
        }
    return {"articles": ARTICLES, "runs": runs, "modes": modes, "machine": common.machine()}


def table(result: dict) -> str:
    lines = [
        f"{result['articles']} articles, {result['runs']} runs; load {result['machine']['load_average'][0]:.1f}",
        "mode                    list  articles  requests/minimum  declared-range pages  s (median)",
    ]
    for mode, m in result["modes"].items():
        ratio = m["requests_max"] / m["minimum"]
        declared = "-" if m["declared_range_pages"] is None else f"{m['declared_range_pages']:,}"
        lines.append(
            f"{mode:<22} {m['list']:>5} {m['article']:>9} {ratio:>17.3f} {declared:>21} {m['seconds_median']:>11.1f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    common.run("walk", __doc__, measure, table)
