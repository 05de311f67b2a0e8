"""Benchmark: a full crawl of the 1,911-article replica, ours (`portal-archive crawl --delay 0`) against the bare
Scrapy spider in `bench/bare_spider.py`, in the same run against the same replica.

Each crawl is its own process, `--runs` times each in alternating order; ours writes a fresh SQLite file each time.
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


def crawl_ours(replica: Replica, workdir: Path, run: int) -> tuple[float, float, float, int]:
    """`portal-archive crawl --delay 0` into a fresh archive: wall, CPU, peak RSS, articles archived."""
    db = workdir / f"ours-{run}.db"
    command = [PORTAL_ARCHIVE, "crawl", "--start-url", replica.url, "--db", str(db), "--delay", "0"]
    wall, cpu, rss, _ = run_process(command)
    with sqlite3.connect(db) as connection:
        (articles,) = connection.execute("select count(*) from articles").fetchone()
    return wall, cpu, rss, articles


def crawl_bare(replica: Replica, workdir: Path, run: int) -> tuple[float, float, float, int]:
    """The bare spider: wall, CPU, peak RSS, titles read."""
    wall, cpu, rss, text = run_process([sys.executable, str(BENCH / "bare_spider.py"), replica.url])
    return wall, cpu, rss, json.loads(text.strip().splitlines()[-1])["titles"]


CRAWLERS = {"ours": crawl_ours, "bare": crawl_bare}


def measure(runs: int) -> dict:
    samples: dict[str, list[dict]] = {name: [] for name in CRAWLERS}
    with start(ReplicaOptions()) as replica, tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            order = list(CRAWLERS) if run % 2 == 0 else list(reversed(CRAWLERS))
            for name in order:
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
    ratio = medians["ours"]["wall_s"] / medians["bare"]["wall_s"]
    cpu_ratio = medians["ours"]["cpu_s"] / medians["bare"]["cpu_s"]
    worst_rss = max(s["peak_rss_mb"] for s in samples["ours"])
    return {
        "runs": runs,
        "machine": common.machine(scrapy=scrapy.__version__),
        "samples": samples,
        "medians": medians,
        "ratio_wall_ours_to_bare": ratio,
        "ratio_cpu_ours_to_bare": cpu_ratio,
        "ours_worst_peak_rss_mb": worst_rss,
        "targets": {
            f"wall time within {TARGET_RATIO}x bare": ratio <= TARGET_RATIO,
            f"peak RSS under {TARGET_RSS_MB} MB (worst run)": worst_rss < TARGET_RSS_MB,
        },
    }


def table(result: dict) -> str:
    lines = [
        f"full crawl of the replica, medians of {result['runs']} runs each",
        f"{'crawler':<8} {'wall s':>8} {'CPU s':>7} {'pages':>6} {'pages/s':>8} {'peak RSS MB':>12} {'articles':>9}",
    ]
    for name, m in result["medians"].items():
        lines.append(
            f"{name:<8} {m['wall_s']:>8.2f} {m['cpu_s']:>7.2f} {m['pages']:>6.0f} {m['pages_per_s']:>8.1f} "
            f"{m['peak_rss_mb']:>12.0f} {m['articles']:>9.0f}"
        )
    lines.append(f"ours / bare wall time: {result['ratio_wall_ours_to_bare']:.2f}x")
    lines.append(f"ours / bare CPU time: {result['ratio_cpu_ours_to_bare']:.2f}x")
    lines.append(f"ours, worst peak RSS: {result['ours_worst_peak_rss_mb']:.0f} MB")
    lines += [f"target {name}: {'met' if met else 'MISSED'}" for name, met in result["targets"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    common.run("crawl", __doc__, measure, table)
