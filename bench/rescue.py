"""Benchmark for issue 14: rescuing the Wayback Machine replica at its rate limits, against the old "latest 200" choice,
and the whole portal's rescue.

    .venv/bin/python bench/rescue.py [--runs 3] [--articles 120]

One `replica.wayback` (its default limits: CDX 60 requests a minute in bursts of 5, replay 600 a minute in bursts
of 30, a block after 5 requests inside a Retry-After window) serves, `--runs` times each, a real
`portal-archive crawl --source wayback --no-warc --delay 0` of this tree and the same command of the code before it
(`OLD`, which took each article's latest status-200 capture), each into an empty archive. Counted by the replica:
CDX and replay requests, 429s, violations; against its ground truth: articles rescued as a good capture of the
article, and junk rows (a row that is no good capture of its article: a notice, an error page, a body cut short).
Then the whole portal (`WaybackOptions(whole=True)`: sections, sub-sites, albums, photos, documents) rescued from its
home page with WARC capture on: requests per rescued item (article, album, photo or image, document), junk rows
(articles or albums that are no good capture). Medians of the runs.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import save  # noqa: E402

from replica.model import SITE  # noqa: E402
from replica.wayback import WaybackOptions, WaybackReplica  # noqa: E402

OLD = "f9d0082"  # the rescue before issue 14: the latest status-200 capture of each article, read as it came


def old_tree(into: Path) -> Path:
    """The project's code at `OLD`, unpacked into `into`."""
    archive = subprocess.run(["git", "archive", OLD], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def rescue(tree: Path, replica: WaybackReplica, db: Path, *more: str) -> dict:
    """One rescue by the code in `tree` (`more`: its other options): what it asked of the replica and what it
    archived."""
    before = len(replica.requests)
    violations = replica.violations
    started = time.perf_counter()
    command = [sys.executable, "-m", "archive.cli", "crawl", "--source", "wayback", "--db", str(db)]
    command += ["--cdx-url", replica.cdx_url, "--replay-url", replica.replay_url, "--delay", "0", *more]
    subprocess.run(command, cwd=tree, check=True, capture_output=True, timeout=1800)
    seconds = time.perf_counter() - started
    log = replica.requests[before:]
    answered = Counter(r.kind for r in log if r.status not in (0, 429))
    rescued, junk = judge(replica, db)
    if replica.truth.whole:
        items = whole_items(replica, db)
        rescued, junk = rescued + items["albums"] + items["files"], junk + items["junk albums"]
    return {
        "seconds": round(seconds, 1),
        "cdx": answered["cdx"],
        "replay": answered["replay"],
        "429": sum(r.status == 429 for r in log),
        "violations": replica.violations - violations,
        "rescued": rescued,
        "junk": junk,
    }


def judge(replica: WaybackReplica, db: Path) -> tuple[int, int]:
    """(rows that are a good capture of their article, rows that are not)."""
    connection = sqlite3.connect(db)
    try:
        stored = dict(connection.execute("select url, body_text from articles"))
    finally:
        connection.close()
    truths = {f"{SITE}{t.path or '/T/' + t.slug}".lower(): t for t in replica.truth.articles.values()}
    good = 0
    for url, body in stored.items():
        truth = truths.get(url.lower())
        good += bool(truth) and any(_shows(body, seen.article) for seen in truth.good if seen.article)
    return good, len(stored) - good


def whole_items(replica: WaybackReplica, db: Path) -> dict[str, int]:
    """The whole portal's other things rescued: albums that are a good capture (and those that are not), and
    photos, images and documents kept (each read as the file it is a capture of)."""
    connection = sqlite3.connect(db)
    try:
        albums = {url for (url,) in connection.execute("select url from albums")}
        query = "select count(distinct original) from wayback_reads where verdict = 'file'"
        files = connection.execute(query).fetchone()[0]
    finally:
        connection.close()
    good = {SITE + t.path for t in replica.truth.whole.albums.values() if t.good}
    return {"albums": len(albums & good), "junk albums": len(albums - good), "files": files}


def _shows(body: str, article) -> bool:
    """Whether an archived body holds every paragraph of `article` (one cut short does not)."""
    return all(paragraph in body for paragraph in article.expected.paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=120)
    args = parser.parse_args()
    figures: dict[str, list[dict]] = {"issue 14 rescue": [], "latest 200 (before)": [], "whole portal": []}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"issue 14 rescue": ROOT, "latest 200 (before)": old_tree(Path(tmp) / "old")}
        for run in range(args.runs):
            for name, tree in trees.items():
                # A replica of its own for each rescue: a block earned by one does not slow the next.
                replica = WaybackReplica(WaybackOptions(n_articles=args.articles))
                with replica.serve():
                    news = ("--start-url", f"{SITE}/Tintuc/?PageIndex=1")  # the news list, which both trees rescue
                    figures[name].append(rescue(tree, replica, Path(tmp) / f"{name[:6]}{run}.db", "--no-warc", *news))
            truth = replica.truth
            whole = WaybackReplica(WaybackOptions(n_articles=args.articles, whole=True))
            with whole.serve():
                db = Path(tmp) / f"whole{run}" / "archive.db"
                figures["whole portal"].append(rescue(ROOT, whole, db, "--start-url", f"{SITE}/"))
    results: dict[str, object] = {
        "articles": args.articles,
        "rescuable": len(truth.rescuable),
        "lost": len(truth.lost),
        "limits": "CDX 60/min (burst 5), replay 600/min (burst 30)",
    }
    keys = ("seconds", "cdx", "replay", "429", "violations", "rescued", "junk")
    print(f"{len(truth.rescuable)} of {args.articles} articles rescuable; medians of {args.runs} runs")
    print("(whole portal: `rescued` counts articles, albums, photos, images and documents)")
    print(f"{'rescue':<22}" + "".join(f"{key:>11}" for key in keys) + f"{'req/item':>13}")
    for name, samples in figures.items():
        medians = {key: statistics.median(sample[key] for sample in samples) for key in keys}
        per_article = (medians["cdx"] + medians["replay"]) / max(medians["rescued"], 1)
        results[name] = {**medians, "requests_per_rescued_article": round(per_article, 2), "runs": samples}
        print(f"{name:<22}" + "".join(f"{medians[key]:>11g}" for key in keys) + f"{per_article:>13.2f}")
    save("rescue", results)


if __name__ == "__main__":
    main()
