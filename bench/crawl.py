"""Benchmark: a full crawl of the 1,911-article replica, ours (`portal-archive crawl --delay 0`) against the bare
Scrapy spider in `bench/bare_spider.py`, in the same run against the same replica.

Each crawl is its own process, `--runs` times each, taking turns to go first; ours writes into a fresh directory.
- wall time: from starting the process to its exit (interpreter and Scrapy start-up included, for both);
- pages/s: requests the replica answered during the crawl (counted by the server, the same way for both) / wall;
- CPU time (user + system) of the crawl process: the work done, which a busy machine does not inflate as it does
  wall time (the replica answers from this process and competes for the same two cores);
- peak RSS: the crawl process's high-water mark as the kernel kept it, read when it exits (`os.wait4`). Exact,
  where polling (psutil) can miss a short peak, and per process, where `getrusage(RUSAGE_CHILDREN)` keeps the
  maximum over every child waited for so far.

    python bench/crawl.py [--runs 5]    # a table on stdout, the figures in bench/results/crawl.json
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import common
import scrapy

from replica.server import Replica, ReplicaOptions, start

BENCH = Path(__file__).resolve().parent
PORTAL_ARCHIVE = str(Path(sys.executable).parent / "portal-archive")  # the console script of this environment
TARGET_RATIO = 2.0
TARGET_RSS_MB = 300


def run_process(command: list[str]) -> tuple[float, float, float, str]:
    """Run `command` to its end: wall seconds, CPU seconds, peak RSS in MB, and its output. Raises when it fails."""
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text  # ru_maxrss is in KiB on Linux


def crawl_ours(*options: str) -> Callable[[Replica, Path, int], tuple[float, float, float, int]]:
    """`portal-archive crawl --delay 0 OPTIONS` into a fresh directory: wall, CPU, peak RSS, articles archived."""

    def crawl(replica: Replica, workdir: Path, run: int) -> tuple[float, float, float, int]:
        db = workdir / f"ours{''.join(options)}-{run}" / "archive.db"  # WARC files go beside it, fresh too
        db.parent.mkdir()
        command = [PORTAL_ARCHIVE, "crawl", "--start-url", replica.url, "--db", str(db), "--delay", "0", *options]
        wall, cpu, rss, _ = run_process(command)
        with sqlite3.connect(db) as connection:
            (articles,) = connection.execute("select count(*) from articles").fetchone()
        return wall, cpu, rss, articles

    return crawl


def crawl_bare(replica: Replica, workdir: Path, run: int) -> tuple[float, float, float, int]:
    """The bare spider: wall, CPU, peak RSS, titles read."""
    wall, cpu, rss, text = run_process([sys.executable, str(BENCH / "bare_spider.py"), replica.url])
    return wall, cpu, rss, json.loads(text.strip().splitlines()[-1])["titles"]


# The default crawl also writes WARC files and fetches the articles' images for them; `--no-warc` follows
# exactly the bare spider's links.
CRAWLERS = {"ours": crawl_ours(), "ours --no-warc": crawl_ours("--no-warc"), "bare": crawl_bare}


def measure(runs: int) -> dict:
    samples: dict[str, list[dict]] = {name: [] for name in CRAWLERS}
    with start(ReplicaOptions()) as replica, tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            names = list(CRAWLERS)
            for name in names[run % len(names) :] + names[: run % len(names)]:  # each goes first in turn
                before = len(replica.request_log)
                wall, cpu, rss, articles = CRAWLERS[name](replica, Path(tmp), run)
                pages = len(replica.request_log) - before
                samples[name].append(
                    {
                        "wall_s": wall,
                        "pages": pages,
                        "pages_per_s": pages / wall,
                        "cpu_s": cpu,
                        "peak_rss_mb": rss,
                        "articles": articles,
                    }
                )
                print(f"run {run + 1}/{runs} {name}: {wall:.2f} s, {cpu:.2f} s CPU, {rss:.0f} MB", file=sys.stderr)
    medians = {
        name: {key: statistics.median(s[key] for s in runs_) for key in runs_[0]} for name, runs_ in samples.items()
    }
    bare = medians["bare"]
    ours = [name for name in CRAWLERS if name != "bare"]
    vs_bare = {
        name: {
            "wall_ratio": medians[name]["wall_s"] / bare["wall_s"],
            "cpu_ratio": medians[name]["cpu_s"] / bare["cpu_s"],
            "worst_peak_rss_mb": max(s["peak_rss_mb"] for s in samples[name]),
        }
        for name in ours
    }
    return {
        "runs": runs,
        "machine": common.machine(scrapy=scrapy.__version__),
        "samples": samples,
        "medians": medians,
        "vs_bare": vs_bare,
        "targets": {
            f"{name}: wall time within {TARGET_RATIO}x bare, peak RSS under {TARGET_RSS_MB} MB": {
                "wall": v["wall_ratio"] <= TARGET_RATIO,
                "rss": v["worst_peak_rss_mb"] < TARGET_RSS_MB,
            }
            for name, v in vs_bare.items()
        },
    }


def table(result: dict) -> str:
    lines = [
        f"full crawl of the replica, medians of {result['runs']} runs each",
        f"{'crawler':<15} {'wall s':>8} {'CPU s':>7} {'pages':>6} {'pages/s':>8} {'peak RSS MB':>12} {'articles':>9}",
    ]
    for name, m in result["medians"].items():
        lines.append(
            f"{name:<15} {m['wall_s']:>8.2f} {m['cpu_s']:>7.2f} {m['pages']:>6.0f} {m['pages_per_s']:>8.1f} "
            f"{m['peak_rss_mb']:>12.0f} {m['articles']:>9.0f}"
        )
    for name, v in result["vs_bare"].items():
        lines.append(
            f"{name} / bare: wall {v['wall_ratio']:.2f}x (target {TARGET_RATIO}x), CPU {v['cpu_ratio']:.2f}x, "
            f"worst peak RSS {v['worst_peak_rss_mb']:.0f} MB (target < {TARGET_RSS_MB})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    common.run("crawl", __doc__, measure, table)
