"""Rebuild the SQLite archive from WARC files alone: no network, the crawl's own reading and storing code.

Response records are read in the order they were written (files by name, records by position), each through
`scraper.responses.read_article` (what the spider does with a response) and `archive.db.store_article` (what the
pipeline does), with the record's WARC-Date as `fetched_at` and its place in the file as provenance. So the
rebuilt `articles`, `images` and `article_versions` rows are those the crawl wrote, and improve whenever
extraction does. Responses the crawl would not have stored (errors, truncated bodies) are skipped; an
article's 404/410 marks it removed at that record's date.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from scrapy.http import Request, Response
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator

from archive import history
from archive.db import open_db, store_article
from scraper.items import FetchedArticle
from scraper.responses import read_article
from scraper.retry import is_truncated
from scraper.urls import canonical_article_url, is_article_url
from scraper.warc import WarcRef

WARC_GLOB = "*.warc.gz"


class ReparseError(ValueError):
    """The WARC directory or the target database cannot be used; the message says why."""


def warc_files(directory: str | Path) -> list[Path]:
    """The finished WARC files in `directory`, oldest first (their names start with the crawl's start time)."""
    path = Path(directory)
    if not path.is_dir():
        raise ReparseError(f"no WARC directory at {path}")
    files = sorted(path.glob(WARC_GLOB))
    if not files:
        raise ReparseError(f"no {WARC_GLOB} files in {path}")
    return files


def responses(path: Path) -> Iterator[tuple[Response, WarcRef]]:
    """Every response record of a WARC file as a Scrapy response (body decoded as the crawl saw it)."""
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            headers = [(k, v) for k, v in record.http_headers.headers if k.lower() != "content-encoding"]
            body = record.content_stream().read()
            kind = responsetypes.from_args(headers=dict(headers), url=url, body=body)
            response = kind(
                url=url,
                status=int(record.http_headers.get_statuscode()),
                headers=headers,
                body=body,
                request=Request(url),
            )
            records.read_to_end(record)
            ref = WarcRef(
                path.name,
                records.get_record_offset(),
                records.get_record_length(),
                record.rec_headers.get_header("WARC-Payload-Digest"),
                record.rec_headers.get_header("WARC-Date"),
            )
            yield response, ref


def _rebuild(db, response: Response, ref: WarcRef) -> str:
    """Store what one response record says about an article, as the crawl did; returns the outcome."""
    if not is_article_url(response.url):
        return "other"
    if response.status in history.REMOVAL_STATUSES:
        marked = history.mark_removed(db, [canonical_article_url(response.url)], ref.fetched_at)
        return "removed" if marked else "gone"
    if response.status != 200 or is_truncated(response):
        return "skipped"
    read = read_article(response, ref)
    if not isinstance(read, FetchedArticle):
        return "unreadable"
    return store_article(db, read.article, read.fetched_at, read.capture).outcome


def reparse(warc_dir: str | Path, db_path: str | Path) -> Counter[str]:
    """Build a new archive at `db_path` from the WARC files in `warc_dir`; returns what was done, by outcome."""
    if Path(db_path).exists():
        raise ReparseError(f"{db_path} exists: re-parse into a new file, then replace the old one")
    files = warc_files(warc_dir)
    counts: Counter[str] = Counter()
    db = open_db(db_path)
    try:
        for path in files:
            with db.atomic():  # one transaction a file: each article's own is a savepoint inside it
                for response, ref in responses(path):
                    counts[_rebuild(db, response, ref)] += 1
    finally:
        db.close()
    return counts


def main(warc_dir: str, db_path: str) -> int:
    """`portal-archive reparse`: print what was rebuilt, or why it could not be."""
    try:
        counts = reparse(warc_dir, db_path)
    except ReparseError as error:
        print(f"reparse: {error}", file=sys.stderr)
        return 2
    done = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()) if outcome != "other")
    print(f"reparse: {done} -> {db_path}")
    return 0
