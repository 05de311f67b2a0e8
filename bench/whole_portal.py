"""Benchmark: a whole-portal crawl of the replica from its home page, and attachment text extraction per library.

1. `portal-archive crawl --start-url <replica>/ --delay 0` (WARC capture on, so images, photos and documents are
   fetched) into a fresh database, `--runs` times: requests by kind (the crawl's own count), the server's request
   count, and seconds (median);
2. the text of the replica's PDFs with pypdf (the archive's choice) and pdfminer.six (the one not chosen), and of
   its DOCX with python-docx: milliseconds per page, median of `--runs` × 20 extractions.

    python bench/whole_portal.py [--runs 3]    # a table on stdout, the figures in bench/results/whole_portal.json
"""

from __future__ import annotations

import io
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common
import pypdf
from pdfminer.high_level import extract_text

from replica.portal import DECISION, PLAN, REPORT
from replica.server import ReplicaOptions, start
from scraper.attachments import docx_text, pdf_text

PORTAL_ARCHIVE = str(Path(sys.executable).parent / "portal-archive")
REPEATS = 20


def crawl_once() -> dict:
    with start(ReplicaOptions()) as replica, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        began = time.perf_counter()
        command = [PORTAL_ARCHIVE, "crawl", "--start-url", replica.origin + "/", "--db", str(db), "--delay", "0"]
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - began
        connection = sqlite3.connect(db)
        (requests,) = connection.execute("select requests from crawl_runs order by id desc limit 1").fetchone()
        connection.close()
        return {"seconds": seconds, "by_kind": json.loads(requests), "served": len(replica.request_log)}


def ms_per_page(read, body: bytes, pages: int, runs: int) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        for _ in range(REPEATS):
            read(body)
        timings.append((time.perf_counter() - began) * 1000 / REPEATS / pages)
    return statistics.median(timings)


def measure(runs: int) -> dict:
    crawls = [crawl_once() for _ in range(runs)]
    readers = {
        "pypdf": pdf_text,
        "pdfminer.six": lambda body: extract_text(io.BytesIO(body)),
    }
    extraction = {}
    for document in (DECISION, PLAN):
        pages = len(pypdf.PdfReader(io.BytesIO(document.body)).pages)
        extraction[document.filename] = {
            name: ms_per_page(read, document.body, pages, runs) for name, read in readers.items()
        }
    extraction[REPORT.filename] = {"python-docx": ms_per_page(docx_text, REPORT.body, 1, runs)}
    return {
        "machine": common.machine(pypdf=pypdf.__version__),
        "crawl_seconds_median": statistics.median(c["seconds"] for c in crawls),
        "by_kind": crawls[-1]["by_kind"],
        "served": crawls[-1]["served"],
        "extraction_ms_per_page": extraction,
    }


def table(result: dict) -> str:
    kinds = ", ".join(f"{n} {kind}" for kind, n in result["by_kind"].items())
    lines = [
        f"whole-portal crawl: {result['crawl_seconds_median']:.1f} s (median), {result['served']} requests served",
        f"  by kind: {kinds}",
        "attachment text, ms per page (median):",
    ]
    for filename, readers in result["extraction_ms_per_page"].items():
        lines.append(f"  {filename}: " + ", ".join(f"{name} {ms:.2f}" for name, ms in readers.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    common.run("whole_portal", __doc__, measure, table)
