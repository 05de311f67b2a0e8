"""An article's history in the archive: where each copy came from, earlier versions, and removal.

- Provenance: each `articles` row names the WARC file and offset of the response it was read from, and that
  response's payload digest (`warc_file`, `warc_offset`, `payload_digest`; empty without WARC capture).
- Versions: when a crawl finds an article's content changed, the copy archived so far goes to
  `article_versions` (numbered from 1, oldest first) before the article is updated; the article row is always
  the latest version.
- Removal: an article that answers 404/410, or that a walk of the whole list no longer shows, gets
  `removed_at`; it is never deleted. Reading it again clears the mark.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlite_utils

from archive.columns import ARTICLE_COLUMNS

if TYPE_CHECKING:
    from scraper.warc import WarcRef

PROVENANCE = {"warc_file": str, "warc_offset": int, "payload_digest": str}
# The columns of an `articles` row that a version keeps, besides its provenance.
VERSIONED = ("fetched_at", "content_hash", "title", "published_at", "author", "body_text")
REMOVAL_STATUSES = (404, 410)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Add the provenance and removal columns to `articles` and create `article_versions` when missing."""
    articles = db["articles"]
    for name, kind in {**PROVENANCE, "removed_at": str}.items():
        if name not in articles.columns_dict:
            articles.add_column(name, kind)
    db["article_versions"].create(
        {"article_id": str, "version": int, **{name: ARTICLE_COLUMNS[name] for name in VERSIONED}, **PROVENANCE},
        pk=("article_id", "version"),
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )


def provenance(capture: WarcRef | None) -> dict[str, str | int | None]:
    """The provenance columns for an article read from `capture` (all empty without one)."""
    return capture.columns if capture else dict.fromkeys(PROVENANCE)


def keep_version(db: sqlite_utils.Database, previous: dict) -> int:
    """Keep the archived copy `previous` (an `articles` row) as the article's next older version."""
    version = (
        1 + next(db.query("select count(*) as n from article_versions where article_id = ?", [previous["id"]]))["n"]
    )
    db["article_versions"].insert(
        {
            "article_id": previous["id"],
            "version": version,
            **{name: previous[name] for name in (*VERSIONED, *PROVENANCE)},
        }
    )
    return version


def mark_removed(db: sqlite_utils.Database, urls: Iterable[str], at: str) -> int:
    """Mark the archived articles at `urls` removed from the portal at `at`; returns how many were newly marked."""
    marked = 0
    with db.atomic():
        for url in urls:
            cursor = db.execute("update articles set removed_at = ? where url = ? and removed_at is null", [at, url])
            marked += cursor.rowcount
    return marked


def vanished(db: sqlite_utils.Database, listed: set[str], sections: list[str] = ()) -> list[str]:
    """Archived articles (not yet marked removed) that complete walks of `sections`' lists, showing `listed`, left
    out: articles those lists showed before, or that no list is known to show (an archive of a single list)."""
    marks = ",".join("?" * len(sections))
    rows = db.query(
        "select url from articles a where removed_at is null and (not exists (select 1 from article_sections s"
        f" where s.article_id = a.id) or exists (select 1 from article_sections s where s.article_id = a.id"
        f" and s.section_id in ({marks})))",
        list(sections),
    )
    return [row["url"] for row in rows if row["url"] not in listed]
