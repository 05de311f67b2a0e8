"""Search at scale: a synthetic archive of 100,000 articles, its index, and queries through Datasette's HTTP API.

    python bench/search.py [--articles 100000] [--rounds 5]

Builds the archive from the replica's corpus generator (the text of real-looking district news, 2015-2025),
then measures, in the same run:
- index build time and size of our index (`archive.fts`) against the text it indexes, and against the index a
  user would otherwise pick: sqlite-utils' `enable_fts` (FTS5 over title and body, external content);
- p50/p95 latency of a fixed mix of accented and unaccented queries through `portal-archive serve`: the ranked
  `search` query (one page of results with snippets) and the table's `?_search=` JSON (newest first), with
  count and facets as Datasette serves it and without them (`_nofacet=1&_nocount=1`).
Results are printed and written to bench/results/search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import serving  # noqa: E402

from archive import fts  # noqa: E402
from archive.db import open_db  # noqa: E402
from replica.corpus import generate  # noqa: E402

QUERIES = (
    "dien bien",
    "Điện Biên",
    "mật ong",
    "mat ong",
    "nông thôn mới",
    "nong thon moi",
    "sức khoẻ",
    "suc khoe",
    "hòa giải",
    "thuỷ lợi",
    "OCOP",
    "giao thong nong thon",
    "Mường Phăng",
    "khám mắt",
    "học sinh",
    "tuyen truyen phap luat",
)


def article_rows(n: int) -> list[dict]:
    """`n` generated articles as `articles` rows (text as the extractor stores it)."""
    return list(rows_of(generate(n, seed=7)))


def rows_of(articles: list, first: int = 0, host: str = "huyendienbien.gov.vn") -> Iterator[dict]:
    """Generated articles as `articles` rows, their ids counted from `first`."""
    for i, article in enumerate(articles, start=first):
        expected = article.expected
        yield {
            "id": f"{i:08x}",
            "url": f"http://{host}/T/{article.slug}-{i}",
            "title": expected.title,
            "published_at": expected.published,
            "author": expected.author,
            "body_text": "\n\n".join(expected.paragraphs),
            "body_html": "".join(f"<p>{p}</p>" for p in expected.paragraphs),
            "fetched_at": "2025-07-01T00:00:00+00:00",
            "first_fetched_at": "2025-07-01T00:00:00+00:00",
            "year": article.published.year,
            "month": expected.published[:7],
            "content_hash": "",
        }


def build(path: Path, rows: list[dict]) -> dict:
    """Insert the rows, then time building our index and the plain sqlite-utils one; sizes in bytes."""
    db = open_db(path)
    db["articles"].insert_all(rows, batch_size=2000)
    db.execute("vacuum")
    text = next(db.query("select sum(length(cast(title as blob)) + length(cast(body_text as blob))) n from articles"))
    started = time.perf_counter()
    fts.rebuild(db)
    ours_seconds = time.perf_counter() - started
    db.execute(f"insert into [{fts.TABLE}]([{fts.TABLE}]) values ('optimize')")
    ours = _table_bytes(db, fts.TABLE)
    started = time.perf_counter()
    # What sqlite-utils' `enable_fts(["title", "body_text"], fts_version="FTS5")` builds, under another name.
    db.execute(
        "create virtual table articles_plain_fts using fts5(title, body_text, content=[articles], content_rowid=rowid)"
    )
    db.execute("insert into articles_plain_fts(articles_plain_fts) values ('rebuild')")
    plain_seconds = time.perf_counter() - started
    db.execute("insert into articles_plain_fts(articles_plain_fts) values ('optimize')")
    plain = _table_bytes(db, "articles_plain_fts")
    db.execute("drop table articles_plain_fts")
    db.execute("vacuum")
    db.close()
    return {
        "articles": len(rows),
        "text_bytes": text["n"],
        "index_seconds": round(ours_seconds, 1),
        "index_bytes": ours,
        "index_ratio": round(ours / text["n"], 2),
        "plain_fts_seconds": round(plain_seconds, 1),
        "plain_fts_bytes": plain,
        "plain_fts_ratio": round(plain / text["n"], 2),
    }


def _table_bytes(db, table: str) -> int:
    """Bytes of an FTS5 table's shadow tables (dbstat)."""
    return next(db.query("select sum(pgsize) n from dbstat where name like ?", [f"{table}%"]))["n"]


def timings(
    base: str, path: str, param: str, rounds: int, facets: tuple[str, ...] = (), **extra: str
) -> dict[str, list[float]]:
    """Milliseconds per request for each query of the mix, `rounds` times, after one warm-up round; every answer
    must have rows, and the `facets` (a facet over Datasette's time limit is left out of the page)."""
    times: dict[str, list[float]] = {query: [] for query in QUERIES}
    for round_ in range(rounds + 1):
        for query in QUERIES:
            url = f"{base}{path}{'&' if '?' in path else '?'}" + urlencode({param: query, "_shape": "objects", **extra})
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as response:
                answer = json.loads(response.read())
                assert response.status == 200 and answer["rows"], query
                assert set(facets) <= set(answer.get("facet_results", {})), (query, "a facet timed out")
            if round_:
                times[query].append((time.perf_counter() - started) * 1000)
    return times


def summary(times: dict[str, list[float]]) -> dict:
    """p50/p95/max over all requests, and the median of each query (slowest first)."""
    ordered = sorted(t for per_query in times.values() for t in per_query)
    medians = {query: round(statistics.median(per_query), 1) for query, per_query in times.items()}
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
        "median_ms_by_query": dict(sorted(medians.items(), key=lambda item: -item[1])),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the archive at this path and keep it (skip if it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "archive.db"
        result = {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()[0]}
        if not path.exists():
            started = time.perf_counter()
            rows = article_rows(args.articles)
            print(f"generated {len(rows):,} articles in {time.perf_counter() - started:.0f} s", flush=True)
            result.update(build(path, rows))
            del rows
            print(json.dumps(result, indent=2), flush=True)
        with serving(path) as base:
            result["ranked_search"] = summary(timings(base, f"/{path.stem}/search.json", "q", args.rounds))
            print("ranked search:", result["ranked_search"], flush=True)
            newest = timings(base, f"/{path.stem}/search.json", "q", args.rounds, sort="newest")
            result["search_newest_first"] = summary(newest)
            print("search, newest first:", result["search_newest_first"], flush=True)
            result["table_search"] = summary(timings(base, f"/{path.stem}/articles.json", "_search", args.rounds))
            print("table ?_search= (count + facets):", result["table_search"], flush=True)
            lean = timings(base, f"/{path.stem}/articles.json", "_search", args.rounds, _nofacet="1", _nocount="1")
            result["table_search_no_facets_no_count"] = summary(lean)
            print("table ?_search=&_nofacet=1&_nocount=1:", result["table_search_no_facets_no_count"], flush=True)
    result["load_average_at_end"] = os.getloadavg()[0]
    out = ROOT / "bench" / "results" / "search.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
