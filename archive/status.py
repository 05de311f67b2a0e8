"""How complete the archive is: articles archived against the total the portal's pager declares."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from archive.db import PERMANENT_ERRORS, declared_pager, listed_total
from archive.rescue import RescueFigures, format_rescue, rescue_figures
from scraper.urls import article_id


@dataclass(frozen=True)
class Status:
    """An archive's completeness: against the pager's declared total and against what the list showed."""

    declared_total: int | None
    listed_total: int | None  # articles the list showed when a crawl last walked it to its end
    list_warning: str | None  # the last walk's warning: a pager that disagrees with the list, a ceiling hit
    archived: int
    gone: int
    open_errors: list[dict]
    list_pages_missing: list[int]
    first_published: str | None
    last_published: str | None
    runs: list[dict]
    rescue: RescueFigures | None = None  # for an archive rescued from a web archive

    @property
    def expected(self) -> int | None:
        """How many entries the list holds: as a walk to its end counted them, else as its pager declares."""
        return self.listed_total if self.listed_total is not None else self.declared_total

    @property
    def missing(self) -> int | None:
        """Entries the list holds that are neither archived nor known to be gone."""
        return None if self.expected is None else max(0, self.expected - self.archived - self.gone)


def declared_articles(db: sqlite_utils.Database) -> int | None:
    """The articles the portal's pagers declare: the sum over its article sections (an article two sections list
    counts twice; the photo library's albums are not articles), or, in an archive of one list, its pager's total."""
    declared = next(
        db.query(
            """select count(*) n, sum(declared_total) total from sections where declared_total is not null
               and id not in (select section_id from article_sections join albums on albums.id = article_id)"""
        )
    )
    return declared["total"] if declared["n"] else declared_pager(db)[0]


def archive_status(db: sqlite_utils.Database, runs: int = 5) -> Status:
    """The completeness figures of an archive (also shown on its front page)."""
    declared = declared_articles(db)
    read = {row["page"] for row in db.query("select page from list_pages")}
    walked = next(db.query("select list_end, list_warning from crawl_runs order by id desc limit 1"), {})
    # The list's last page as the evidence shows it (where a walk found its end), never as the pager claims.
    last_page = walked["list_end"] - 1 if walked.get("list_end") else max(read, default=0)
    dates = next(db.query("select min(published_at) first, max(published_at) last from articles"))
    return Status(
        declared_total=declared,
        listed_total=listed_total(db),
        list_warning=walked.get("list_warning"),
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
        rescue=rescue_figures(db),
    )


def format_status(status: Status) -> str:
    """The status as a short report for a terminal."""
    declared = "unknown" if status.declared_total is None else f"{status.declared_total:,}"
    if status.listed_total is None or status.listed_total == status.declared_total:
        against = f"{declared} declared by the portal's pager"
    elif status.declared_total is None:
        against = f"{status.listed_total:,} listed (the portal's pager declares no total)"
    else:
        against = f"{status.listed_total:,} listed (the portal's pager declares {declared})"
    lines = [
        f"articles archived: {status.archived:,} of {against}"
        + (f" ({status.gone} gone, {status.missing} missing)" if status.expected is not None else ""),
        *([f"warning: {status.list_warning}"] if status.list_warning else []),
        f"published: {status.first_published or '-'} to {status.last_published or '-'}",
        *(format_rescue(status.rescue) if status.rescue else []),
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


@dataclass(frozen=True)
class SectionStatus:
    """One section's completeness: entries archived against what its list showed and its pager declares."""

    url: str
    title: str | None
    parent: str | None
    declared_total: int | None
    listed: int
    archived: int
    gone: int  # entries it lists that are known to be gone (404, 410, forbidden by robots.txt)
    last_walked_at: str | None

    @property
    def expected(self) -> int:
        return max(self.listed, self.declared_total or 0)

    @property
    def complete(self) -> bool:
        return self.archived + self.gone >= self.expected


def section_status(db: sqlite_utils.Database) -> list[SectionStatus]:
    """Every section of the archive, in the order they were found, with its completeness."""
    gone = [
        article_id(row["url"])
        for row in db.query(f"select url from crawl_errors where resolved_at is null and {PERMANENT_ERRORS}")
    ]
    marks = ",".join("?" * len(gone))
    rows = db.query(
        f"""select s.url, s.title, s.parent, s.declared_total, s.last_walked_at, count(x.article_id) listed,
             count(a.id) + count(al.id) archived, count(case when x.article_id in ({marks}) then 1 end) gone
           from sections s left join article_sections x on x.section_id = s.id
             left join articles a on a.id = x.article_id left join albums al on al.id = x.article_id
           group by s.id order by s.rowid""",
        gone,
    )
    return [SectionStatus(**row) for row in rows]


def format_sections(sections: list[SectionStatus]) -> str:
    """Per section: archived of declared, and the percentage."""
    lines = ["sections:"] if sections else []
    for s in sections:
        share = f"{100 * (s.archived + s.gone) / s.expected:.0f} %" if s.expected else "-"
        declared = "no total declared" if s.declared_total is None else f"{s.declared_total:,} declared"
        name = f"{s.title or '?'}" + (f" ({s.parent})" if s.parent else "")
        gone = f", {s.gone} gone" if s.gone else ""
        lines.append(f"  {name} {s.url}: {s.archived:,} archived{gone} of {declared}, {s.listed:,} listed ({share})")
    return "\n".join(lines)
