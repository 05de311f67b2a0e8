"""How complete the archive is: articles archived against the total the portal's pager declares."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from archive.db import PERMANENT_ERRORS, declared_pager


@dataclass(frozen=True)
class Status:
    declared_total: int | None
    archived: int
    gone: int
    open_errors: list[dict]
    list_pages_missing: list[int]
    first_published: str | None
    last_published: str | None
    runs: list[dict]

    @property
    def missing(self) -> int | None:
        """Entries the pager declares that are neither archived nor known to be gone."""
        return None if self.declared_total is None else max(0, self.declared_total - self.archived - self.gone)


def archive_status(db: sqlite_utils.Database, runs: int = 5) -> Status:
    """The completeness figures of an archive (also shown on its front page)."""
    declared, size = declared_pager(db)
    read = {row["page"] for row in db.query("select page from list_pages")}
    last_page = -(-declared // size) if declared and size else max(read, default=0)
    dates = next(db.query("select min(published_at) first, max(published_at) last from articles"))
    return Status(
        declared_total=declared,
        archived=db["articles"].count,
        gone=next(db.query(f"select count(*) n from crawl_errors where resolved_at is null and {PERMANENT_ERRORS}"))[
            "n"
        ],
        open_errors=list(
            db.query("select url, status, error, at, attempts from crawl_errors where resolved_at is null")
        ),
        list_pages_missing=sorted(set(range(1, last_page + 1)) - read),
        first_published=dates["first"],
        last_published=dates["last"],
        runs=list(db.query("select * from crawl_runs order by id desc limit ?", [runs])),
    )


def format_status(status: Status) -> str:
    """The status as a short report for a terminal."""
    declared = "unknown" if status.declared_total is None else f"{status.declared_total:,}"
    lines = [
        f"articles archived: {status.archived:,} of {declared} declared by the portal's pager"
        + (f" ({status.gone} gone, {status.missing} missing)" if status.declared_total is not None else ""),
        f"published: {status.first_published or '-'} to {status.last_published or '-'}",
        f"list pages never read: {len(status.list_pages_missing)} {_abbreviated(status.list_pages_missing)}",
        f"open errors: {len(status.open_errors)}",
        *(f"  {e['status'] or '-'} {e['url']}  {e['error']}" for e in status.open_errors[:20]),
        "last runs:",
        *(
            f"  #{r['id']} {r['started_at']} -> {r['finished_at'] or 'did not finish'} ({r['finish_reason'] or '-'}): "
            f"{r['pages_fetched'] or 0} pages, {r['articles_new'] or 0} new, {r['articles_updated'] or 0} updated, "
            f"{r['errors'] or 0} errors"
            for r in status.runs
        ),
    ]
    return "\n".join(lines)


def _abbreviated(pages: list[int], shown: int = 20) -> str:
    if not pages:
        return ""
    more = " ..." if len(pages) > shown else ""
    return f"({', '.join(map(str, pages[:shown]))}{more})"
