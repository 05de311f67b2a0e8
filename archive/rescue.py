"""What a rescue from a web archive keeps besides articles: every capture it read, and the articles it lost.

- `wayback_reads`: each capture replayed (`original`, `timestamp`), its `digest` and `verdict` (`article`, `list`,
  or why it is not the page, `scraper.captures`), and for a list page what it listed (`listing`, JSON). A re-run
  reads this instead of the archive: nothing replayed once is replayed again.
- `crawl_errors` rows of articles known but not rescued (listed by the portal or captured, no capture the article):
  `title` (as a list page showed it) and `reasons` (comma-separated, sorted).
- `crawl_runs.cdx_requests`, `replay_requests`, `rate_limited`: what each rescue asked of the archive.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils

from scraper.article import ListPage
from scraper.items import CaptureRead, LostArticle

RUN_FIGURES = {"cdx_requests": "endpoint/cdx/requests", "replay_requests": "endpoint/replay/requests"}
RATE_LIMITED = ("endpoint/cdx/429", "endpoint/replay/429")


def ensure_schema(db: sqlite_utils.Database) -> None:
    """The rescue's table and columns (an archive made before them gains them empty)."""
    db["wayback_reads"].create(
        {"original": str, "timestamp": str, "digest": str, "verdict": str, "listing": str, "read_at": str},
        pk=("original", "timestamp"),
        if_not_exists=True,
    )
    for table, columns in (
        ("crawl_errors", {"title": str, "reasons": str}),
        ("crawl_runs", {"cdx_requests": int, "replay_requests": int, "rate_limited": int}),
        ("articles", {"after_as_of": str}),
    ):
        present = db[table].columns_dict
        for name, kind in columns.items():
            if name not in present:
                db[table].add_column(name, kind)


def record_read(db: sqlite_utils.Database, read: CaptureRead, at: str) -> None:
    """Remember a capture that was read, and what it was."""
    listing = json.dumps(asdict(read.listing), ensure_ascii=False) if read.listing else None
    with db.atomic():
        db.execute(
            "insert or replace into wayback_reads (original, timestamp, digest, verdict, listing, read_at)"
            " values (?, ?, ?, ?, ?, ?)",
            [read.original, read.timestamp, read.digest, read.verdict, listing, at],
        )


def record_lost(db: sqlite_utils.Database, lost: LostArticle, at: str) -> None:
    """An article known but not rescued: a `crawl_errors` row with its title and the reasons."""
    error = f"known but not rescued: {lost.captures} captures, none the article ({', '.join(lost.reasons)})"
    if not lost.captures:
        error = "known but not rescued: the web archive holds no capture of it"
    with db.atomic():
        db.execute(
            """insert into crawl_errors (url, status, error, at, attempts, resolved_at, title, reasons)
               values (?, null, ?, ?, 1, null, ?, ?)
               on conflict(url) do update set error = excluded.error, at = excluded.at, title = excluded.title,
                 reasons = excluded.reasons, attempts = crawl_errors.attempts + 1, resolved_at = null""",
            [lost.url, error, at, lost.title, ",".join(lost.reasons)],
        )


def run_figures(stats: dict) -> dict[str, int]:
    """A rescue run's requests to each endpoint and the 429s it was answered, from the crawl's stats."""
    figures = {column: stats.get(name, 0) for column, name in RUN_FIGURES.items()}
    return {**figures, "rate_limited": sum(stats.get(name, 0) for name in RATE_LIMITED)}


@dataclass(frozen=True)
class Read:
    """A capture read by an earlier run: its digest, verdict and listing."""

    digest: str
    verdict: str
    listing: ListPage | None


def earlier_reads(path: str | Path) -> dict[tuple[str, str], Read]:
    """Every capture the rescues into `path` have read, by (original URL, timestamp)."""
    if not Path(path).exists():
        return {}
    db = sqlite_utils.Database(path)
    try:
        if "wayback_reads" not in db.table_names():
            return {}
        return {
            (row["original"], row["timestamp"]): Read(row["digest"], row["verdict"], _listing(row["listing"]))
            for row in db.query("select * from wayback_reads")
        }
    finally:
        db.close()


def _listing(text: str | None) -> ListPage | None:
    if not text:
        return None
    fields = json.loads(text)
    return ListPage(**{name: tuple(value) if isinstance(value, list) else value for name, value in fields.items()})


@dataclass(frozen=True)
class RescueFigures:
    """A rescued archive at a glance."""

    rescued: int
    lost: int
    lost_reasons: dict[str, int]
    first_capture: str | None
    last_capture: str | None
    cdx_requests: int
    replay_requests: int
    rate_limited: int


def rescue_figures(db: sqlite_utils.Database) -> RescueFigures | None:
    """The rescue's figures, None for an archive no rescue wrote into."""
    runs = next(
        db.query(
            "select count(cdx_requests) runs, sum(cdx_requests) cdx, sum(replay_requests) replay,"
            " sum(rate_limited) limited from crawl_runs"
        )
    )
    rescued = next(
        db.query(
            "select count(*) n, min(captured_at) first, max(captured_at) last from articles where source = 'wayback'"
        )
    )
    if not runs["runs"] and not rescued["n"]:
        return None
    reasons: dict[str, int] = {}
    lost = list(db.query("select reasons from crawl_errors where reasons is not null and resolved_at is null"))
    for row in lost:
        for reason in filter(None, row["reasons"].split(",")):
            reasons[reason] = reasons.get(reason, 0) + 1
    return RescueFigures(
        rescued["n"],
        len(lost),
        dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        rescued["first"],
        rescued["last"],
        runs["cdx"] or 0,
        runs["replay"] or 0,
        runs["limited"] or 0,
    )


def format_rescue(figures: RescueFigures) -> list[str]:
    """The rescue's lines of `portal-archive status`."""
    reasons = ", ".join(f"{reason} {count}" for reason, count in figures.lost_reasons.items())
    return [
        f"rescued from the web archive: {figures.rescued:,} articles; known but lost: {figures.lost:,}"
        + (f" (by reason: {reasons})" if reasons else ""),
        f"capture dates covered: {figures.first_capture or '-'} to {figures.last_capture or '-'}",
        f"requests to the web archive: {figures.cdx_requests:,} CDX, {figures.replay_requests:,} replay;"
        f" {figures.rate_limited:,} answered 429 (Retry-After honoured)",
    ]
