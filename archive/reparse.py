"""Rebuild the SQLite archive from WARC files alone: no network, the crawl's own reading and storing code.

Response records are read in the order they were written (files by name, records by position), each through
what the spider does with a response (`scraper.responses`, `scraper.discover`, `scraper.walk`) and what the
pipeline does (`archive.db`, `archive.whole_portal`), with the record's WARC-Date as `fetched_at` and its place in the
file as provenance. So the rebuilt `articles`, `images`, `article_versions`, `sections`, `article_sections`,
`albums`, `photos` and `attachments` rows are those the crawl wrote, and improve whenever extraction does.
Responses the crawl would not have stored (errors, truncated bodies) are skipped; an article's 404/410 marks it
removed at that record's date.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator

from archive import history, whole_portal
from archive.db import open_db, record_list_page, store_article
from scraper.article import ExtractionError
from scraper.discover import Discovery, is_photo_library, is_sitemap, sitemap_locations
from scraper.extract import page_links, parse_list
from scraper.items import FetchedAlbum, FetchedArticle, FetchedAttachment, ListPageRead
from scraper.responses import read_attachment, read_entry
from scraper.retry import is_truncated
from scraper.urls import canonical_article_url, is_article_url, page_number, url_key
from scraper.walk import ListWalk, SectionWalk
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


class Rebuild:
    """What the crawl made of each response, made again in the order the crawl received them: discovery reads the
    home-like pages (for the sections' titles and sub-sites), each list page is walked with `ListWalk` as the
    spider did, and the entries, photos' albums and attachments those pages and articles link are stored as the
    pipeline stored them."""

    def __init__(self, db) -> None:
        self.db = db
        self.discovery: Discovery | None = None
        self.walks: dict[str, SectionWalk] = {}  # by url_key of a section
        self.spelling: dict[str, str] = {}  # url_key of an entry -> its URL as first listed
        self.listed_in: dict[str, str] = {}  # url_key of an entry -> the section that listed it first
        self.linked_from: dict[str, tuple[str | None, str | None]] = {}  # document URL -> (article, section)

    def read(self, response: Response, ref: WarcRef) -> str:
        """Store what one response record says; returns the outcome."""
        key, url = url_key(response.url), response.url
        entry = key in self.listed_in or is_article_url(url)
        if urlsplit(url).path == "/robots.txt":
            return "other"
        if response.status in history.REMOVAL_STATUSES and entry:
            marked = history.mark_removed(self.db, [canonical_article_url(url)], ref.fetched_at)
            return "removed" if marked else "gone"
        if response.status != 200 or is_truncated(response):
            return "skipped"
        if url in self.linked_from:
            article, section = self.linked_from[url]
            for item in read_attachment(response, ref, article, section):
                if isinstance(item, FetchedAttachment):
                    whole_portal.store_attachment(self.db, item)
            return "attachment"
        if not isinstance(response, TextResponse):
            return "other"
        if entry:
            return self._entry(response, ref)
        if self.discovery is None:
            self.discovery = Discovery(url)
        if is_sitemap(url):
            self.discovery.sitemap(sitemap_locations(response.text, url))
            return "other"
        return self._page(response, ref)

    def _entry(self, response: Response, ref: WarcRef) -> str:
        section = self.listed_in.get(url_key(response.url))
        album = section is not None and self.discovery is not None and is_photo_library(self.discovery.section(section))
        read = read_entry(response, ref, section, album)
        if isinstance(read, FetchedAlbum):
            whole_portal.store_album(self.db, read.album, read.fetched_at, read.section)
            return "album"
        if not isinstance(read, FetchedArticle):
            return "unreadable"
        for document in read.article.documents:
            self.linked_from.setdefault(document, (read.article.url, None))
        return store_article(self.db, read.article, read.fetched_at, read.capture).outcome

    def _page(self, response: Response, ref: WarcRef) -> str:
        try:
            listing = parse_list(response.text, response.url)
        except ExtractionError:
            listing = None
        section = self.walks.get(url_key(response.url))  # pages of one list share their key (`PageIndex` aside)
        if (
            section is not None and listing is not None
        ):  # a later page of a list: its own entries, as the spider read it
            try:
                listing = parse_list(response.text, response.url, section.folder)
            except ExtractionError:
                listing = None
        is_list = listing is not None and (listing.paged or "pageindex=" in response.url.lower())
        if section is not None and listing is None:
            return "list end"
        if listing is None or not is_list:
            self.discovery.home_page(response.url, page_links(response.text, response.url))
            return "other"
        if section is None:
            self.discovery.found_list(response.url)
            walk = ListWalk(first=page_number(response.url))
            walk.begin()
            section = self.walks.setdefault(url_key(response.url), SectionWalk(response.url, walk, listing.folder))
        section_url, walk = section.url, section.walk
        entries = tuple(self.spelling.setdefault(url_key(u), u) for u in listing.article_urls)
        for url in entries:
            self.listed_in.setdefault(url_key(url), section_url)
        for document in listing.documents:
            self.linked_from.setdefault(document, (None, section_url))
        walk.shown(listing)
        if listing.page in walk.fruitful:
            read = ListPageRead.of(listing, self.discovery.section(section_url), entries, ref.fetched_at)
            record_list_page(self.db, read)
        return "list page"


def reparse(warc_dir: str | Path, db_path: str | Path) -> Counter[str]:
    """Build a new archive at `db_path` from the WARC files in `warc_dir`; returns what was done, by outcome."""
    if Path(db_path).exists():
        raise ReparseError(f"{db_path} exists: re-parse into a new file, then replace the old one")
    files = warc_files(warc_dir)
    counts: Counter[str] = Counter()
    db = open_db(db_path)
    rebuild = Rebuild(db)
    try:
        for path in files:
            with db.atomic():  # one transaction a file: each article's own is a savepoint inside it
                for response, ref in responses(path):
                    counts[rebuild.read(response, ref)] += 1
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
