"""What a rescue from a web archive keeps besides articles: every capture it read, and the articles it lost.

- `wayback_reads`: each capture replayed (`original`, `timestamp`), its `digest` and `verdict` (`article`, `list`,
  `home`, `file`, or why it is not the page, `scraper.captures`), for a list page what it listed (`listing`, JSON),
  for a home-like page its links (`links`, JSON). A re-run reads this instead of the archive: nothing replayed
  once is replayed again.
- `wayback_assets`: the images, photos and documents rescued entries and list pages show, remembered before the
  entry is stored: a re-run asks for those not read yet (`near`: the timestamp of the capture that showed them).
- `crawl_errors` rows of things known but not rescued (listed by the portal or captured, no capture the thing):
  `title` (as a list page showed it), `reasons` (comma-separated, sorted) and `kind` (`article`, `album`, `image`,
  `photo`, `attachment`, `page`).
- `articles.last_seen_at`: when the archive last saw a rescued article's content (whatever `--as-of`).
- `crawl_runs.cdx_requests`, `replay_requests`, `rate_limited`: what each rescue asked of the archive.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils

from scraper.article import ListPage
from scraper.items import CaptureRead, LostArticle, WantedAsset
from scraper.rescue_plan import Read

RUN_FIGURES = {"cdx_requests": "endpoint/cdx/requests", "replay_requests": "endpoint/replay/requests"}
RATE_LIMITED = ("endpoint/cdx/429", "endpoint/replay/429")


def ensure_schema(db: sqlite_utils.Database) -> None:
    """The rescue's table and columns (an archive made before them gains them empty)."""
    db["wayback_reads"].create(
        {"original": str, "timestamp": str, "digest": str, "verdict": str, "listing": str, "read_at": str},
        pk=("original", "timestamp"),
        if_not_exists=True,
    )
    db["wayback_assets"].create(
        {"url": str, "kind": str, "near": str, "article_url": str, "section_url": str}, pk="url", if_not_exists=True
    )
    for table, columns in (
        ("wayback_reads", {"links": str}),
        ("crawl_errors", {"title": str, "reasons": str, "kind": str}),
        ("crawl_runs", {"cdx_requests": int, "replay_requests": int, "rate_limited": int}),
        ("articles", {"after_as_of": str, "last_seen_at": str}),
    ):
        present = db[table].columns_dict
        for name, kind in columns.items():
            if name not in present:
                db[table].add_column(name, kind)


def record_read(db: sqlite_utils.Database, read: CaptureRead, at: str) -> None:
    """Remember a capture that was read, and what it was."""
    listing = json.dumps(asdict(read.listing), ensure_ascii=False) if read.listing else None
    links = json.dumps(read.links, ensure_ascii=False) if read.links is not None else None
    with db.atomic():
        db.execute(
            "insert or replace into wayback_reads (original, timestamp, digest, verdict, listing, links, read_at)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [read.original, read.timestamp, read.digest, read.verdict, listing, links, at],
        )


def record_wanted(db: sqlite_utils.Database, asset: WantedAsset) -> None:
    """Remember an asset a rescued entry shows, until a re-run has read it."""
    with db.atomic():
        db.execute(
            "insert or ignore into wayback_assets (url, kind, near, article_url, section_url) values (?, ?, ?, ?, ?)",
            [asset.url, asset.kind, asset.near, asset.article_url, asset.section_url],
        )


def wanted_assets(path: str | Path) -> list[WantedAsset]:
    """Every asset the rescues into `path` have owed (read or not: the reads say which)."""
    if not Path(path).exists():
        return []
    db = sqlite_utils.Database(path)
    try:
        if "wayback_assets" not in db.table_names():
            return []
        fields = "url, kind, near, article_url, section_url"
        return [WantedAsset(*row) for row in db.execute(f"select {fields} from wayback_assets order by rowid")]
    finally:
        db.close()


def record_lost(db: sqlite_utils.Database, lost: LostArticle, at: str) -> None:
    """Something known but not rescued: a `crawl_errors` row with its title, kind and the reasons."""
    what = "the article" if lost.kind == "article" else f"the {lost.kind}"
    error = f"known but not rescued: {lost.captures} captures, none {what} ({', '.join(lost.reasons)})"
    if not lost.captures:
        error = "known but not rescued: the web archive holds no capture of it"
    with db.atomic():
        db.execute(
            """insert into crawl_errors (url, status, error, at, attempts, resolved_at, title, reasons, kind)
               values (?, null, ?, ?, 1, null, ?, ?, ?)
               on conflict(url) do update set error = excluded.error, at = excluded.at, title = excluded.title,
                 reasons = excluded.reasons, kind = excluded.kind, attempts = crawl_errors.attempts + 1,
                 resolved_at = null""",
            [lost.url, error, at, lost.title, ",".join(lost.reasons), lost.kind],
        )


def run_figures(stats: dict) -> dict[str, int]:
    """A rescue run's requests to each endpoint and the 429s it was answered, from the crawl's stats."""
    figures = {column: stats.get(name, 0) for column, name in RUN_FIGURES.items()}
    return {**figures, "rate_limited": sum(stats.get(name, 0) for name in RATE_LIMITED)}


def earlier_reads(path: str | Path) -> dict[tuple[str, str], Read]:
    """Every capture the rescues into `path` have read, by (original URL, timestamp)."""
    if not Path(path).exists():
        return {}
    db = sqlite_utils.Database(path)
    try:
        if "wayback_reads" not in db.table_names():
            return {}
        return {
            (row["original"], row["timestamp"]): Read(
                row["digest"], row["verdict"], _listing(row["listing"]), _links(row.get("links"))
            )
            for row in db.query("select * from wayback_reads")
        }
    finally:
        db.close()


def _links(text: str | None) -> tuple[tuple[str, str], ...] | None:
    return tuple((url, title) for url, title in json.loads(text)) if text else None


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
    last_seen: str | None = None  # the newest time a rescued article's content was seen good
    whole: dict[str, int] | None = None  # the whole portal's other things rescued (sections, albums, attachments)
    lost_kinds: dict[str, int] | None = None  # things known but lost other than articles, by kind


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
            "select count(*) n, min(captured_at) first, max(captured_at) last, max(last_seen_at) seen from articles"
            " where source = 'wayback'"
        )
    )
    if not runs["runs"] and not rescued["n"]:
        return None
    reasons: dict[str, int] = {}
    kinds: dict[str, int] = {}
    lost = []
    for row in db.query("select reasons, kind from crawl_errors where reasons is not null and resolved_at is null"):
        if row["kind"] not in (None, "article"):
            kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
            continue
        lost.append(row)
        for reason in filter(None, row["reasons"].split(",")):
            reasons[reason] = reasons.get(reason, 0) + 1
    whole = {
        "sections": db["sections"].count,
        "albums": db["albums"].count,
        "attachments": db["attachments"].count,
    }
    return RescueFigures(
        rescued["n"],
        len(lost),
        dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        rescued["first"],
        rescued["last"],
        runs["cdx"] or 0,
        runs["replay"] or 0,
        runs["limited"] or 0,
        rescued["seen"],
        whole if whole["sections"] else None,
        dict(sorted(kinds.items())),
    )


def format_rescue(figures: RescueFigures) -> list[str]:
    """The rescue's lines of `portal-archive status`."""
    reasons = ", ".join(f"{reason} {count}" for reason, count in figures.lost_reasons.items())
    return [
        f"rescued from the web archive: {figures.rescued:,} articles; known but lost: {figures.lost:,}"
        + (f" (by reason: {reasons})" if reasons else ""),
        f"capture dates covered: {figures.first_capture or '-'} to {figures.last_capture or '-'}"
        + (f" (content last seen good up to {figures.last_seen})" if figures.last_seen else ""),
        *_whole_lines(figures),
        f"requests to the web archive: {figures.cdx_requests:,} CDX, {figures.replay_requests:,} replay;"
        f" {figures.rate_limited:,} answered 429 (Retry-After honoured)",
    ]


def _whole_lines(figures: RescueFigures) -> list[str]:
    """The whole portal's line: what else was rescued, and what else is known but lost, by kind."""
    if not figures.whole and not figures.lost_kinds:
        return []
    rescued = ", ".join(f"{count:,} {name}" for name, count in (figures.whole or {}).items())
    kinds = (figures.lost_kinds or {}).items()
    lost = ", ".join(f"{count:,} {kind}{'s' if count > 1 else ''}" for kind, count in kinds)
    return [f"whole portal: {rescued or 'nothing else'} rescued; also known but lost: {lost or 'nothing'}"]
