"""The SQLite archive: schema and the writes a crawl makes, with sqlite-utils.

Table and column names of `articles`, `images`, `crawl_errors` and `crawl_runs` are a contract other tools
read (see README). Every write is an upsert inside a transaction, so a re-crawl never duplicates a row and a
killed crawl never leaves half an article behind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from archive import fts, history, rescue, whole_portal
from archive.analysis import ensure_analysis_schema, store_analysis
from archive.columns import ARTICLE_COLUMNS
from archive.rows import insert_rows
from scraper.article import Article
from scraper.items import ListPageRead
from scraper.urls import article_id

if TYPE_CHECKING:
    from scraper.warc import WarcRef

SCHEMA_VERSION = 1


def utc_now() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def content_hash(article: Article) -> str:
    """What identifies an article's content: the SHA-256 of its title, date, author and body text."""
    fields = (article.title, article.published_at, article.author or "", article.body_text)
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) an archive database in WAL mode with the schema in place."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 10000")
    db.enable_wal()
    # With WAL, NORMAL syncs at checkpoints instead of at every commit: still atomic and safe from corruption, and a
    # crashed crawl loses nothing; only a power cut may undo the last commits (a re-crawl fetches them again).
    # A full crawl's one-transaction-per-article writes take 1.3 ms instead of 3 ms an article.
    db.execute("PRAGMA synchronous = NORMAL")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables, indexes and full-text index when missing; a no-op on an up-to-date archive."""
    with db.atomic():
        db["articles"].create(
            ARTICLE_COLUMNS,
            pk="id",
            not_null={"url", "title"},
            if_not_exists=True,
        )
        db["images"].create(
            {"article_id": str, "position": int, "url": str, "alt": str, "caption": str},
            pk=("article_id", "position"),
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
        db["crawl_errors"].create(
            {"url": str, "status": int, "error": str, "at": str, "attempts": int, "resolved_at": str},
            pk="url",
            if_not_exists=True,
        )
        db["crawl_runs"].create(
            {
                "id": int,
                "started_at": str,
                "finished_at": str,
                "start_url": str,
                "pages_fetched": int,
                "articles_new": int,
                "articles_updated": int,
                "articles_unchanged": int,
                "errors": int,
                "finish_reason": str,
                "settings": str,
                "list_end": int,
                "list_articles": int,
                "list_warning": str,
            },
            pk="id",
            if_not_exists=True,
        )
        db["list_pages"].create(
            {"url": str, "page": int, "declared_total": int, "page_size": int, "articles": int, "fetched_at": str},
            pk="url",
            if_not_exists=True,
        )
        _add_copy_columns(db)
        db["articles"].create_index(["url"], unique=True, if_not_exists=True)
        db["articles"].create_index(["published_at"], if_not_exists=True)
        db["images"].create_index(["article_id"], if_not_exists=True)
        for column in ("year", "month", "author"):  # search filters and facets
            db["articles"].create_index([column], if_not_exists=True)
        history.ensure_schema(db)
        rescue.ensure_schema(db)
        whole_portal.ensure_schema(db)
        ensure_analysis_schema(db)
    fts.ensure_index(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _add_copy_columns(db: sqlite_utils.Database) -> None:
    """Bring an archive made before the web-archive source up to date: its rows are live copies."""
    columns = db["articles"].columns_dict
    if "source" not in columns:
        db["articles"].add_column("source", str)
        db.execute("update articles set source = 'live'")
    if "captured_at" not in columns:
        db["articles"].add_column("captured_at", str)
    runs = db["crawl_runs"].columns_dict
    for column, kind in (("list_end", int), ("list_articles", int), ("list_warning", str), ("requests", str)):
        if column not in runs:
            db["crawl_runs"].add_column(column, kind)


def seen_at(copy: dict) -> datetime:
    """When a copy's content was on the portal: its capture time (web archive) or its fetch time (live crawl)."""
    return datetime.fromisoformat(copy.get("captured_at") or copy["fetched_at"])


def as_seen(copy: dict) -> dict:
    """A copy kept as a version is dated by when its content was seen on the portal (`seen_at`)."""
    return {**copy, "fetched_at": seen_at(copy).isoformat()}


def newer_copy(incoming: dict, archived: dict | None) -> bool:
    """The merge rule between copies of one article (live crawls and web-archive captures alike): the copy whose
    content was seen on the portal later wins (`seen_at`; the incoming copy on a tie).

    `published_at` is not compared: the portal keeps an article's date when it edits it, so two copies of one
    article mostly share it, and the later of them is still what the portal showed last. `fetched_at` of a
    web-archive copy is when we read the archive, not when the portal showed that content, so it is not used.
    The copy that loses is kept in `article_versions` (numbered in the order copies reached the archive).
    """
    return archived is None or seen_at(incoming) >= seen_at(archived)


@dataclass(frozen=True)
class Stored:
    """What storing an article did: `new`, `updated`, `unchanged`, `refused` (a worse copy than the archived one)
    or `older` (a copy seen on the portal before the archived one, see `newer_copy`)."""

    article_id: str
    outcome: str


def store_article(
    db: sqlite_utils.Database,
    article: Article,
    fetched_at: str | None = None,
    capture: WarcRef | None = None,
    captured_at: str | None = None,
    after_as_of: str | None = None,
    last_seen_at: str | None = None,
) -> Stored:
    """Insert or update one article, its images and its analysis rows (OCOP, legal references) in one transaction,
    keeping a changed article's old version. `capture` is the WARC record it was read from (see `archive.history`).

    `captured_at` (ISO 8601 UTC) marks a copy read from a web archive's capture (`source` = `wayback`);
    without it the copy is live. Of two copies, the newer one is the article; the other is kept as a version
    (`newer_copy`). `after_as_of` is the date a rescue asked for when this capture is later than it (none before),
    `last_seen_at` when the web archive last saw this content (whatever the date asked for).
    """
    fetched_at = fetched_at or utc_now()
    key = article_id(article.url)
    digest = content_hash(article)
    previous = next(db.query("select * from articles where id = ?", [key]), None)
    if previous and previous["body_text"] and not article.body_text:
        return Stored(key, "refused")  # an empty page never replaces an archived one
    copy = {"source": "wayback" if captured_at else "live", "captured_at": captured_at, "fetched_at": fetched_at}
    copy |= {"after_as_of": after_as_of, "last_seen_at": last_seen_at}
    row = {
        "id": key,
        "url": article.url,
        "title": article.title,
        "published_at": article.published_at,
        "author": article.author,
        "body_text": article.body_text,
        "body_html": article.body_html,
        "fetched_at": fetched_at,
        "first_fetched_at": previous["first_fetched_at"] if previous else fetched_at,
        "year": int(article.published_at[:4]),
        "month": article.published_at[:7],
        "content_hash": digest,
        **copy,
        **history.provenance(capture),
        "removed_at": None,
    }
    images = [
        {"article_id": key, "position": i, "url": im.url, "alt": im.alt, "caption": im.caption}
        for i, im in enumerate(article.images)
    ]
    changed = previous is not None and previous["content_hash"] != digest
    if not newer_copy(copy, previous):
        kept = db.execute("select 1 from article_versions where article_id = ? and content_hash = ?", [key, digest])
        if changed and kept.fetchone() is None:
            with db.atomic():
                history.keep_version(db, as_seen(row))
        return Stored(key, "older")
    with db.atomic():
        if changed:
            history.keep_version(db, as_seen(previous))
        fts.unindex_article(db, key)
        insert_rows(db, "articles", [row], key="id")
        fts.index_article(db, key)
        db.execute("delete from images where article_id = ?", [key])
        insert_rows(db, "images", images)
        whole_portal.first_section(db, key)
        _resolve_error(db, article.url, fetched_at)
        store_analysis(db, key, article.title, article.body_text, article.published_at)
    outcome = "new" if previous is None else ("unchanged" if previous["content_hash"] == digest else "updated")
    return Stored(key, outcome)


def record_error(db: sqlite_utils.Database, url: str, status: int | None, error: str) -> None:
    """Remember a URL that finally failed; a later failure of the same URL updates the row."""
    with db.atomic():
        db.execute(
            """insert into crawl_errors (url, status, error, at, attempts, resolved_at)
               values (?, ?, ?, ?, 1, null)
               on conflict(url) do update set status = excluded.status, error = excluded.error,
                 at = excluded.at, attempts = crawl_errors.attempts + 1, resolved_at = null""",
            [url, status, error, utc_now()],
        )


def record_list_page(db: sqlite_utils.Database, page: ListPageRead) -> None:
    """Remember that a page of a list was read, the total its pager declared, and its section's entries."""
    now = page.fetched_at or utc_now()
    row = {
        "url": page.url,
        "page": page.page,
        "declared_total": page.declared_total,
        "page_size": page.page_size,
        "articles": page.articles,
        "fetched_at": now,
        "section_id": whole_portal.section_id(page.section.url) if page.section else None,
    }
    with db.atomic():
        insert_rows(db, "list_pages", [row], key="url")
        whole_portal.record_section_page(db, page, now)
        _resolve_error(db, page.url, now)


def _resolve_error(db: sqlite_utils.Database, url: str, at: str) -> None:
    """A URL that failed before has now been read: its error stays on record, marked resolved."""
    db.execute("update crawl_errors set resolved_at = ? where url = ? and resolved_at is null", [at, url])


def start_run(db: sqlite_utils.Database, start_url: str, settings: dict) -> int:
    """Open a `crawl_runs` row and return its id."""
    with db.atomic():
        table = db["crawl_runs"].insert(
            {"started_at": utc_now(), "start_url": start_url, "settings": json.dumps(settings, sort_keys=True)}
        )
    return table.last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, counts: dict[str, int], finish_reason: str) -> dict:
    """Close a `crawl_runs` row with its figures and return it."""
    with db.atomic():
        db["crawl_runs"].update(run_id, {**counts, "finished_at": utc_now(), "finish_reason": finish_reason})
    return db["crawl_runs"].get(run_id)


# An error that a re-run does not try again unless asked to (`--full`): the page is gone or forbidden.
PERMANENT_ERRORS = "(status in (404, 410) or error like 'forbidden by robots.txt%')"


def declared_pager(db: sqlite_utils.Database) -> tuple[int | None, int | None]:
    """The total and page size the portal's pager declared on the list page read last."""
    latest = next(
        db.query("select declared_total, page_size from list_pages order by fetched_at desc, page limit 1"), None
    )
    return (latest["declared_total"], latest["page_size"]) if latest else (None, None)


def listed_total(db: sqlite_utils.Database) -> int | None:
    """How many articles the list showed when a crawl last walked it to its end (None before one has)."""
    latest = next(
        db.query("select list_articles from crawl_runs where list_end is not null order by id desc limit 1"), None
    )
    return latest["list_articles"] if latest else None


@dataclass(frozen=True)
class CrawlState:
    """What a new crawl needs to know of the archive so far."""

    archived: frozenset[str]
    gone: frozenset[str]
    listed_total: int | None
    documents: frozenset[str] = frozenset()  # the URLs of the documents archived

    @property
    def complete(self) -> bool:
        """A walk has reached the list's end, and every article it showed is archived or known to be gone.

        The pager's declared total is not evidence enough: a pager can lie, or be misread.
        """
        return self.listed_total is not None and len(self.archived) + len(self.gone) >= self.listed_total


def crawl_state(path: str | Path) -> CrawlState:
    """The archived article URLs, the URLs known to be gone, how many articles the list last showed, and the
    documents archived."""
    if not Path(path).exists():
        return CrawlState(frozenset(), frozenset(), None)
    db = open_db(path)
    try:
        archived = frozenset(row["url"] for row in db.query("select url from articles union select url from albums"))
        gone = frozenset(
            row["url"]
            for row in db.query(f"select url from crawl_errors where resolved_at is null and {PERMANENT_ERRORS}")
        )
        documents = frozenset(row["url"] for row in db.query("select url from attachments"))
        return CrawlState(archived, gone, listed_total(db), documents)
    finally:
        db.close()
