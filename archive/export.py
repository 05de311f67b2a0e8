"""Export the archive's articles for people who do not use Datasette: JSON lines (with images and earlier
versions) or CSV (one row per article, the `articles` columns)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import sqlite_utils

from archive.db import open_db


def articles(db: sqlite_utils.Database) -> Iterator[dict]:
    """Every article row, newest first."""
    return db.query("select * from articles order by published_at desc, id")


def with_history(db: sqlite_utils.Database, article: dict) -> dict:
    """An article row with its `images` and earlier `versions` as lists."""
    key = [article["id"]]
    images = db.query("select url, alt, caption from images where article_id = ? order by position", key)
    versions = db.query("select * from article_versions where article_id = ? order by version", key)
    return {
        **article,
        "images": list(images),
        "versions": [{k: v for k, v in version.items() if k != "article_id"} for version in versions],
    }


def write_jsonl(db: sqlite_utils.Database, out: IO[str]) -> int:
    count = 0
    for count, article in enumerate(articles(db), 1):  # noqa: B007 (the count is returned)
        out.write(json.dumps(with_history(db, article), ensure_ascii=False) + "\n")
    return count


def write_csv(db: sqlite_utils.Database, out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(db["articles"].columns_dict))
    writer.writeheader()
    count = 0
    for count, article in enumerate(articles(db), 1):  # noqa: B007 (the count is returned)
        writer.writerow(article)
    return count


FORMATS = {"jsonl": write_jsonl, "csv": write_csv}  # `--format` of `portal-archive export`, and its writer


@contextmanager
def _output(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as out:
        yield out


def main(db_path: str, fmt: str, output: str) -> int:
    """`portal-archive export`: write every article of the archive at `db_path` (which the command line has found
    there) to `output` ("-": standard output) as `fmt`, one of `FORMATS`."""
    db = open_db(db_path)
    try:
        with _output(output) as out:
            count = FORMATS[fmt](db, out)
    finally:
        db.close()
    print(f"exported {count} articles as {fmt}" + ("" if output == "-" else f" -> {output}"), file=sys.stderr)
    return 0
