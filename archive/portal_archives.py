"""The portals of a registry and their archives under one archive directory: `DIR/<id>/archive.db` with
`DIR/<id>/warc/`, so that one portal's archive can be handed on alone; how far each has got, and whether it is
live, gone or rescued from a web archive."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from archive.db import open_db, utc_now
from archive.registry import Portal, write_registry
from archive.status import archive_status

REGISTRY_ROW = "portal.csv"  # the portal's registry row, kept beside its archive
FAILURE = "failed.json"  # why the portal's last crawl job failed, after all its tries (gone once one succeeds)
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # a portal is asked directly, never via a proxy


def archive_path(archive_dir: str | Path, portal_id: str) -> Path:
    """Where the archive of portal `portal_id` is kept under `archive_dir`."""
    return Path(archive_dir) / portal_id / "archive.db"


def warc_path(archive_dir: str | Path, portal_id: str) -> Path:
    """Where the WARC files of portal `portal_id` are kept under `archive_dir`."""
    return Path(archive_dir) / portal_id / "warc"


def save_registry_row(archive_dir: str | Path, portal: Portal) -> None:
    """Keep `portal`'s registry row beside its archive, so that the archive handed on alone says where it is from."""
    path = archive_path(archive_dir, portal.id).with_name(REGISTRY_ROW)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_registry(path, [portal])


def record_failure(archive_dir: str | Path, portal_id: str, tries: int, error: str) -> None:
    """Keep beside the portal's archive that its crawl failed `tries` times, the last with `error`."""
    path = archive_path(archive_dir, portal_id).with_name(FAILURE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"at": utc_now(), "tries": tries, "error": error}, ensure_ascii=False))


def clear_failure(archive_dir: str | Path, portal_id: str) -> None:
    """Forget the portal's failed crawl: a later one succeeded."""
    archive_path(archive_dir, portal_id).with_name(FAILURE).unlink(missing_ok=True)


def failed_after(tries: int) -> str:
    """How a portal's crawl job that failed every try is said."""
    return f"failed after {tries} {'try' if tries == 1 else 'tries'}"


def failed_try(tried: int, tries: int, error: str, retry_in: float | None) -> str:
    """How a failed try of a portal's crawl is said: with the wait before the next, or, the last, as failed after
    all of them."""
    if retry_in is not None:
        return f"try {tried} of {tries} failed: {error}; trying again in {retry_in} s"
    return f"{failed_after(tries)}: {error}"


def last_failure(archive_dir: str | Path, portal_id: str) -> str | None:
    """The portal's failed crawl, said in a line, if its last crawl job failed."""
    path = archive_path(archive_dir, portal_id).with_name(FAILURE)
    if not path.exists():
        return None
    failure = json.loads(path.read_text())
    return f"{failed_after(failure['tries'])} at {failure['at']}: {failure['error']}"


@dataclass(frozen=True)
class PortalStatus:
    """One portal of the registry and its archive's figures (zero when it has none yet)."""

    portal: Portal
    articles: int = 0
    rescued: int = 0  # articles read from a web archive's captures
    declared_total: int | None = None
    listed_total: int | None = None
    first_published: str | None = None
    last_published: str | None = None
    last_run: str | None = None  # when the last crawl finished ("did not finish" when it was killed)

    @property
    def state(self) -> str:
        """`rescued` (some articles come from a web archive), `gone` (the registry says so), `live` (archived from
        the portal itself), else the registry's status (`unknown`, or `live` before any crawl)."""
        if self.rescued:
            return "rescued"
        if self.portal.status == "gone":
            return "gone"
        return "live" if self.articles else self.portal.status


def portal_status(portal: Portal, archive_dir: str | Path) -> PortalStatus:
    """The figures of `portal`'s archive under `archive_dir`."""
    path = archive_path(archive_dir, portal.id)
    if not path.exists():
        return PortalStatus(portal)
    db = open_db(path)
    try:
        status = archive_status(db, runs=1)
        rescued = next(db.query("select count(*) n from articles where source = 'wayback'"))["n"]
    finally:
        db.close()
    run = status.runs[0] if status.runs else {}
    return PortalStatus(
        portal,
        status.archived,
        rescued,
        status.declared_total,
        status.listed_total,
        status.first_published,
        status.last_published,
        (run.get("finished_at") or "did not finish") if run else None,
    )


def format_statuses(statuses: list[PortalStatus], failures: dict[str, str] | None = None) -> str:
    """The registry with each portal's archive status, one portal a line, for a terminal; under a portal, its
    failed crawl (`failures` by portal id, see `last_failure`)."""
    lines = [f"{'id':<22} {'province':<14} {'district':<18} {'state':<8} {'articles':>9} {'of':>7}  dates, last run"]
    for status in statuses:
        portal = status.portal
        total = status.listed_total if status.listed_total is not None else status.declared_total
        dates = f"{(status.first_published or '-')[:10]} to {(status.last_published or '-')[:10]}"
        where = portal.start_url or "(start URL unknown: not crawled)"
        lines.append(
            f"{portal.id:<22} {portal.province:<14} {portal.district:<18} {status.state:<8} {status.articles:>9,} "
            f"{'-' if total is None else f'{total:,}':>7}  {dates}, {status.last_run or 'never crawled'}  {where}"
            + (f"\n{'':<22} {failures[portal.id]}" if (failures or {}).get(portal.id) else "")
        )
    return "\n".join(lines)


def answers(url: str, timeout: float) -> bool:
    """Whether anything answers at `url` (an HTTP error status is an answer; a refused or silent host is not)."""
    try:
        _DIRECT.open(url, timeout=timeout).close()
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False
    return True


def source_for(portal: Portal, source: str, timeout: float) -> str:
    """Where a crawl of `portal` reads from: `live` or `wayback` as asked; for `auto`, the web archive when the
    registry says the portal is gone and it does not answer, else the portal itself."""
    if source != "auto":
        return source
    return "wayback" if portal.status == "gone" and not answers(portal.start_url, timeout) else "live"
