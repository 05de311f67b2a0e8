"""Benchmark of the OCOP and legal-reference analysis: speed over the replica archive, quality on the labelled set.

    .venv/bin/python bench/ocop.py [--db ARCHIVE] [--runs 5]

Without `--db` it serves the 1,911-article replica and crawls it into a temporary archive first. Speed: articles
per second of the pure extraction (in memory) and of `analyse` (extraction + rewriting the three tables), medians
of `--runs` runs, beside the search an analyst would otherwise run (FTS5 `OCOP OR "mỗi xã một sản phẩm"`).
Quality on `tests/ocop_labelled.py`: article-level detection precision/recall, ratings (article, product, stars)
F1, legal-reference recall and the number of dates taken for references, beside naive alternatives (full-text
search in the archive; a `number/anything` pattern for references). Results go to bench/results/ocop.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ocop_labelled import CASES  # noqa: E402

from archive.analysis import analyse_archive, analysis_rows  # noqa: E402
from archive.db import open_db  # noqa: E402
from scraper.text import nfc  # noqa: E402

_DATE = re.compile(r"^\d{1,2}/\d{1,2}(?:/\d{2,4})?$")
_NAIVE_REF = re.compile(r"\b\d+/[^\s,;.()]+")


def median_seconds(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def crawl_replica(directory: Path) -> Path:
    from replica.server import ReplicaOptions, start

    db = directory / "archive.db"
    with start(ReplicaOptions()) as replica:
        command = [sys.executable, "-m", "archive.cli", "crawl", "--start-url", replica.url, "--db", str(db)]
        subprocess.run([*command, "--delay", "0"], check=True, cwd=ROOT, capture_output=True)
    return db


def copy_of(db: Path, directory: Path) -> Path:
    """A copy of the archive to analyse, so the benchmark never rewrites the user's own."""
    copy = directory / "archive.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


def speed(db_path: Path, runs: int) -> dict:
    db = open_db(db_path)
    articles = list(db.query("select id, title, body_text, published_at from articles"))
    n = len(articles)

    def extract() -> None:
        for a in articles:
            analysis_rows(a["id"], a["title"], a["body_text"] or "", a["published_at"])

    def search() -> None:
        query = "select rowid from articles_fts where articles_fts match ?"
        list(db.execute(query, ['OCOP OR "mỗi xã một sản phẩm"']))

    extract_s = median_seconds(extract, runs)
    analyse_s = median_seconds(lambda: analyse_archive(db), max(1, runs // 2))
    search_s = median_seconds(search, runs)
    db.close()
    return {
        "articles": n,
        "extract_articles_per_s": round(n / extract_s, 1),
        "analyse_articles_per_s": round(n / analyse_s, 1),
        "analyse_seconds": round(analyse_s, 3),
        "fts_search_seconds": round(search_s, 4),
        "analyse_vs_fts_search": round(analyse_s / search_s, 1),
    }


def fts_detected() -> set[str]:
    """The labelled articles an analyst finds with the archive's full-text search (FTS5, as `articles_fts`)."""
    db = sqlite3.connect(":memory:")
    db.execute("create virtual table articles_fts using fts5(name UNINDEXED, title, body_text)")
    db.executemany("insert into articles_fts values (?, ?, ?)", [(c.name, nfc(c.title), nfc(c.body)) for c in CASES])
    query = "select name from articles_fts where articles_fts match ?"
    return {row[0] for row in db.execute(query, ['OCOP OR "mỗi xã một sản phẩm"'])}


def f1(found: set, expected: set) -> dict:
    tp = len(found & expected)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(expected) if expected else 1.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(score, 3)}


def quality() -> dict:
    detected, labelled, ratings, rated, refs, cited = set(), set(), set(), set(), set(), set()
    naive_refs = set()
    for case in CASES:
        found = analysis_rows(case.name, case.title, case.body, case.published_at)
        if found.mentions:
            detected.add(case.name)
        if case.is_ocop:
            labelled.add(case.name)
        ratings |= {(case.name, r["product_normalised"], r["stars"]) for r in found.ratings}
        rated |= {(case.name, product.lower(), stars) for product, stars, _, _ in case.ratings}
        refs |= {(case.name, r["ref"]) for r in found.refs}
        cited |= {(case.name, ref) for ref, *_ in case.refs}
        naive_refs |= {(case.name, ref) for ref in _NAIVE_REF.findall(nfc(f"{case.title}\n{case.body}"))}
    return {
        "cases": len(CASES),
        "ocop_articles": len(labelled),
        "detection": f1(detected, labelled),
        "ratings": {**f1(ratings, rated), "labelled": len(rated)},
        "legal_refs": {**f1(refs, cited), "labelled": len(cited)},
        "dates_taken_for_refs": sum(1 for _, ref in refs if _DATE.match(ref)),
        "fts_search_detection": f1(fts_detected(), labelled),
        "naive_ref_pattern": {**f1(naive_refs, cited), "dates_taken": sum(1 for _, r in naive_refs if _DATE.match(r))},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an archive to analyse (default: crawl the replica)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = copy_of(args.db, Path(tmp)) if args.db else crawl_replica(Path(tmp))
        results = {"speed": speed(db, args.runs), "quality": quality()}
    out = ROOT / "bench" / "results" / "ocop.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
