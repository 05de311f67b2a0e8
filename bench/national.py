"""Benchmark for issue 15: workers against the politeness bound, the national merge, and national search.

    python bench/national.py [--portals 40] [--delay 0.2] [--workers 1,2,4] [--runs 3]
                             [--merge-articles 100000] [--search-articles 1000000 --search-portals 700]

1. Throughput: `--portals` replica portals (each its own host) enqueued on a real redis-server and crawled by 1, 2
   and 4 `portal-archive worker --burst` processes at `--delay` seconds per host (no WARC). A worker works one
   portal at a time, so W workers can at best send W requests every `delay` seconds: the ideal. Efficiency is the
   requests the portals received per second against it; articles/s (article pages the portals served) beside.
   Each worker count runs `--runs` times, in turns (4, 2, 1, 4, 2, 1, ...: the machine is noisy); every run's
   figures and their medians are written after each run.
2. Merge: `--merge-articles` generated articles in 100 portal archives, merged by `national.build` (from nothing,
   then again with nothing changed); seconds per 100,000 articles.
3. Search: a national archive of `--search-articles` generated articles over `--search-portals` portals, served by
   `portal-archive serve`: p50/p95 of the ranked `search` query and of the table search with its count and facets
   (province, district, portal, year); index size against the text.
Results are printed and written to bench/results/national.json (a part left out keeps its figures there).
`--skip throughput,merge,search` leaves parts out; `--search-db PATH` keeps the search archive for another run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

import redis  # noqa: E402
from common import RESULTS, machine, save  # noqa: E402
from conftest import serving  # noqa: E402
from national_corpus import national_rows, places  # noqa: E402
from search import QUERIES, _table_bytes, article_rows, summary, timings  # noqa: E402

from archive import fts, national  # noqa: E402
from archive.db import open_db  # noqa: E402
from archive.portal_archives import archive_path, save_registry_row  # noqa: E402
from archive.registry import Portal  # noqa: E402
from archive.search import fts_query  # noqa: E402
from replica.fleet import FleetOptions, start_fleet  # noqa: E402
from replica.server import free_port  # noqa: E402

CLI = [sys.executable, "-m", "archive.cli"]


def redis_server(port: int) -> subprocess.Popen:
    command = ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            redis.Redis(port=port).ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def throughput(portals: int, delay: float, workers: int, tmp: Path) -> dict:
    """One run: a fresh fleet, queue and archive directory, `workers` burst workers until all is archived."""
    port = free_port()
    server = redis_server(port)
    url = f"redis://127.0.0.1:{port}/0"
    registry = tmp / f"portals-{workers}.csv"
    try:
        with start_fleet(FleetOptions(portals=portals, seed=15, min_articles=25, max_articles=40), registry) as fleet:
            enqueue = [*CLI, "enqueue", "--portals", str(registry), "--redis", url, "--delay", str(delay), "--no-warc"]
            subprocess.run(enqueue, check=True, capture_output=True, cwd=ROOT)
            started = time.monotonic()
            command = [*CLI, "worker", "--redis", url, "--archive-dir", str(tmp / f"archives-{workers}"), "--burst"]
            processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL) for _ in range(workers)]
            for process in processes:
                process.wait()
            seconds = time.monotonic() - started
            requests = sum(len(portal.replica.request_log) for portal in fleet.portals)
            articles = sum(
                sum(1 for _, path in portal.replica.request_log if path.startswith("/T/")) for portal in fleet.portals
            )
    finally:
        server.terminate()
        server.wait()
    ideal = workers / delay
    return {
        "workers": workers,
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "seconds": round(seconds, 1),
        "requests": requests,
        "articles": articles,
        "requests_per_s": round(requests / seconds, 2),
        "articles_per_s": round(articles / seconds, 2),
        "ideal_requests_per_s": round(ideal, 2),
        "ideal_articles_per_s": round(ideal * articles / requests, 2),
        "efficiency": round(requests / seconds / ideal, 3),
    }


def medians(runs: list[dict]) -> list[dict]:
    """Per worker count, the median of each figure over its runs."""
    figures = ("seconds", "requests_per_s", "articles_per_s", "ideal_requests_per_s", "ideal_articles_per_s")
    summary = []
    for workers in sorted({run["workers"] for run in runs}):
        of = [run for run in runs if run["workers"] == workers]
        summary.append(
            {
                "workers": workers,
                "runs": len(of),
                **{name: round(statistics.median(run[name] for run in of), 2) for name in figures},
                "efficiency": round(statistics.median(run["efficiency"] for run in of), 3),
                "efficiencies": [run["efficiency"] for run in of],
            }
        )
    return summary


def merge(n: int, tmp: Path, portals: int = 100) -> dict:
    """Seconds to merge `n` generated articles from `portals` archives, from nothing and then with nothing new."""
    rows = article_rows(n)
    archives = tmp / "merge-archives"
    for index in range(portals):
        portal = Portal(f"p-{index:03d}", f"Tỉnh {index % 8}", f"Huyện {index}", f"http://p{index}.example/", "live")
        save_registry_row(archives, portal)
        db = open_db(archive_path(archives, portal.id))
        db["articles"].insert_all(rows[index::portals], batch_size=2000)
        db.close()
    del rows
    target = tmp / "merged.db"
    started = time.perf_counter()
    national.build(archives, target)
    first = time.perf_counter() - started
    started = time.perf_counter()
    national.build(archives, target)
    again = time.perf_counter() - started
    return {
        "articles": n,
        "portals": portals,
        "seconds": round(first, 1),
        "seconds_per_100k": round(first * 100_000 / n, 1),
        "unchanged_rerun_seconds": round(again, 1),
    }


def search(n: int, portals: int, rounds: int, path: Path, corpus: str) -> dict:
    """A national archive of `n` generated articles over `portals` portals at `path` (built unless it exists, then
    measured as it is); its index size and search latencies."""
    if not path.exists():
        build_search_archive(n, portals, path, corpus)
    db = open_db(path)
    result = {"articles": db["articles"].count, "portals": portals, **db["bench_build"].get(1)}
    result["title_index_bytes"] = _table_bytes(db, fts.TITLE_TABLE)
    matching = f"select count(*) n from {fts.TABLE} where {fts.TABLE} match ?"
    result["matches_by_query"] = {q: next(db.query(matching, [fts_query(q)]))["n"] for q in QUERIES}
    db.close()
    result.pop("id")
    result["queries"] = len(QUERIES)
    with serving(path) as base:
        result["ranked_search"] = summary(timings(base, f"/{path.stem}/search.json", "q", rounds))
        facets = ("province", "district", "portal", "year")
        table = timings(base, f"/{path.stem}/articles.json", "_search", rounds, facets)
        result["table_search_with_facets"] = summary(table)
        # The same page with Datasette's own column facets, one query per column (`?_facet=`), as a user would
        # have them without the place facets.
        columns = timings(
            base, f"/{path.stem}/articles.json?_facet=" + "&_facet=".join(facets), "_search", rounds, facets
        )
        result["table_search_with_column_facets"] = summary(columns)
    return result


def build_search_archive(n: int, portals: int, path: Path, corpus: str = "national") -> None:
    """The generated national archive (`corpus`: `national`, each portal naming its own places, or `one-district`,
    Điện Biên's news dealt round the portals), with its build figures in a `bench_build` row (kept for later runs);
    put in place once whole."""
    building = path.with_name(path.name + ".building")
    building.unlink(missing_ok=True)
    db = open_db(building)
    national.ensure_schema(db)
    if corpus == "national":
        db["portals"].insert_all(
            {"id": p.portal, "province": p.province, "district": p.district, "state": "live"} for p in places(portals)
        )
        db["articles"].insert_all(national_rows(n, portals), batch_size=5000)
    else:
        db["portals"].insert({"id": "p-000", "province": "Tỉnh 0", "district": "Huyện 0", "state": "live"})
        rows = article_rows(n)
        for index, row in enumerate(rows):
            portal = index % portals
            row.update(portal=f"p-{portal:03d}", province=f"Tỉnh {portal % 63}", district=f"Huyện {portal}")
        db["articles"].insert_all(rows, batch_size=5000)
        del rows
    text = next(db.query("select sum(length(cast(title as blob)) + length(cast(body_text as blob))) n from articles"))
    started = time.perf_counter()
    fts.rebuild(db)
    index_seconds = time.perf_counter() - started
    db.execute(f"insert into [{fts.TABLE}]([{fts.TABLE}]) values ('optimize')")
    index_bytes = _table_bytes(db, fts.TABLE)
    figures = {"corpus": corpus, "text_bytes": text["n"], "index_seconds": round(index_seconds, 1)}
    figures["index_bytes"] = index_bytes
    db["bench_build"].insert({"id": 1, **figures, "index_ratio": round(index_bytes / text["n"], 2)}, pk="id")
    db.execute("vacuum")
    db.close()
    building.rename(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=40)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--runs", type=int, default=3, help="throughput runs of each worker count")
    parser.add_argument("--merge-articles", type=int, default=100_000)
    parser.add_argument("--search-articles", type=int, default=1_000_000)
    parser.add_argument("--search-portals", type=int, default=700)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", choices=("national", "one-district"), default="national")
    parser.add_argument("--search-db", type=Path, help="keep the search archive here (reused if it exists)")
    parser.add_argument("--skip", default="", help="parts to leave out: throughput, merge, search")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    result: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        if "throughput" not in skip:
            runs: list[dict] = []
            counts = sorted((int(w) for w in args.workers.split(",")), reverse=True)
            for index, workers in ((i, w) for i in range(args.runs) for w in counts):
                (tmp / f"run-{index}").mkdir(exist_ok=True)
                runs.append(throughput(args.portals, args.delay, workers, tmp / f"run-{index}"))
                print(json.dumps(runs[-1]), flush=True)
                result["throughput"] = {"portals": args.portals, "delay": args.delay, "medians": medians(runs)}
                result["throughput"]["runs"] = runs
                save("national", result)
            print(json.dumps(result["throughput"]["medians"], indent=2), flush=True)
        if "merge" not in skip:
            result["merge"] = merge(args.merge_articles, tmp)
            print(json.dumps(result["merge"], indent=2), flush=True)
        if "search" not in skip:
            path = args.search_db or tmp / "national.db"
            started = machine()["load_average"]
            result["search"] = search(args.search_articles, args.search_portals, args.rounds, path, args.corpus)
            result["search"]["load_average"] = {"start": started, "end": machine()["load_average"]}
            print(json.dumps(result["search"], indent=2), flush=True)
    result["load_average_at_end"] = machine()["load_average"]
    # The parts left out keep the figures an earlier run wrote.
    earlier = RESULTS / "national.json"
    save("national", {**(json.loads(earlier.read_text()) if earlier.exists() else {}), **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
