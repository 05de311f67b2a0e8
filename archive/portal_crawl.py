"""Crawling the portals of a registry, each into its own archive (`archive.portal_archives`), each crawl in a process of
its own (Scrapy's reactor runs once per process).

`crawl_portals` is the one-machine way: several crawls at a time, never two on one host (portals that share a
server, or every portal rescued from one web archive, wait for each other), each spaced by Scrapy's own delay, a
failed crawl tried again after a backoff. `archive.jobs` runs the same `crawl_portal` in RQ's work horses, spaced
per host across machines through Redis, with the same tries.
"""

from __future__ import annotations

import multiprocessing
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from urllib.parse import urlsplit

from archive.crawl import crawl, crawl_settings, preload
from archive.db import open_db
from archive.portal_archives import (
    archive_path,
    clear_failure,
    failed_try,
    record_failure,
    save_registry_row,
    source_for,
    warc_path,
)
from archive.registry import Portal
from scraper import cdx


@dataclass(frozen=True)
class CrawlOptions:
    """The options of a crawl of a portal (carried by its job on the queue): seconds between requests to a host,
    where to read from (`live`, `wayback` or `auto`), the web archive's endpoints, the capture date wanted,
    the response timeout, whether to write WARC files, and a time limit (0: none)."""

    delay: float = 1.0
    source: str = "live"
    cdx_url: str = cdx.IA_CDX_URL
    replay_url: str = cdx.IA_REPLAY_URL
    as_of: str | None = None
    timeout: float = 30.0
    warc: bool = True
    max_runtime: float = 0


def politeness_host(portal: Portal, source: str, options: CrawlOptions) -> str:
    """The host a crawl of `portal` from `source` sends its requests to."""
    return urlsplit(options.replay_url if source == "wayback" else portal.start_url).hostname or ""


def crawl_portal(portal: Portal, archive_dir: str | Path, options: CrawlOptions, host_delay_redis: str = "") -> dict:
    """Crawl `portal` into its archive under `archive_dir` (in this process: once per process) and return the run's
    `crawl_runs` row. With `host_delay_redis`, requests are spaced per host through that Redis across all workers
    (`scraper.hostdelay`) instead of by Scrapy's own per-process delay."""
    source = source_for(portal, options.source, options.timeout)
    save_registry_row(archive_dir, portal)
    db = archive_path(archive_dir, portal.id)
    shared = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0.01, "HOST_DELAY": options.delay}
    settings = crawl_settings(
        db,
        options.delay,
        DOWNLOAD_TIMEOUT=options.timeout,
        CLOSESPIDER_TIMEOUT=options.max_runtime,
        WARC_DIR=str(warc_path(archive_dir, portal.id)) if options.warc else "",
        **({**shared, "HOST_DELAY_REDIS": host_delay_redis} if host_delay_redis and options.delay else {}),
    )
    if source == "wayback":
        urls = {"cdx_url": options.cdx_url, "replay_url": options.replay_url, "as_of": options.as_of}
        return crawl(settings, "wayback", start_url=portal.start_url, **urls)
    return crawl(settings, start_url=portal.start_url)


FINISHED = ("finished", "closespider_timeout")  # the finish reasons of a crawl that ran its course
DEFAULT_TRIES = 3
DEFAULT_BACKOFF = 60  # seconds before the second try of a failed crawl, doubled before each try after it


def backoffs(tries: int, backoff: int) -> list[int]:
    """Seconds before each try after the first: `backoff`, then doubled each time."""
    return [backoff * 2**n for n in range(tries - 1)]


def unreachable(portal: Portal, options: CrawlOptions) -> str | None:
    """Why a live crawl of `portal` cannot start (nothing accepts a connection at its address), else None. Only a
    connection is tried, no request is sent: a portal that is down costs a try no more than that, not a crawl's
    retries. A crawl from a web archive, or one that `auto` may send there, is not checked (`source_for` decides)."""
    if options.source == "wayback" or (options.source == "auto" and portal.status == "gone"):
        return None
    parts = urlsplit(portal.start_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=options.timeout).close()
    except OSError as error:
        return f"nothing answers at {parts.hostname}:{port} ({error.strerror or error})"
    return None


def crawl_failure(db_path: Path, run: dict | None) -> str | None:
    """Why a crawl run failed (it did not run its course, or the live start page could not be read), else None.
    A web archive that holds no good copy of the start page is no failure: another try finds the same copies."""
    if run is None:
        return None
    if run["finish_reason"] not in FINISHED:
        return f"the crawl ended {run['finish_reason']}"
    if run.get("source") == "wayback":
        return None
    db = open_db(db_path)
    try:
        query = "select status, error from crawl_errors where url = ? and resolved_at is null and at >= ?"
        error = next(db.query(query, [run["start_url"], run["started_at"]]), None)
    finally:
        db.close()
    return None if error is None else f"its start page {run['start_url']} could not be read: {error['error']}"


@dataclass(frozen=True)
class Outcome:
    """What became of one try of a portal: where it was read from, its last `crawl_runs` row (None: no run, with
    why), and for a failed try, which it was of how many and the seconds before the next (None: it was the last)."""

    portal: Portal
    source: str
    run: dict | None
    error: str | None = None
    tried: tuple[int, int] = (1, 1)
    retry_in: int | None = None

    def said(self) -> str:
        """How the failure is said: the try's, or the last try's (as it is, when there was one try only)."""
        tried, tries = self.tried
        return failed_try(tried, tries, str(self.error), self.retry_in) if tries > 1 else str(self.error)


def last_run(db_path: Path) -> dict | None:
    """The last `crawl_runs` row of an archive, if it has one."""
    if not db_path.exists():
        return None
    db = open_db(db_path)
    try:
        return next(db.query("select * from crawl_runs order by id desc limit 1"), None)
    finally:
        db.close()


def _child(portal: Portal, archive_dir: Path, options: CrawlOptions, said: Connection) -> None:
    """Crawl `portal`, first saying on `said` why it cannot start (None: it can, `unreachable`)."""
    error = unreachable(portal, options)
    said.send(error)
    if error is None:
        crawl_portal(portal, archive_dir, options)


def crawl_portals(
    portals: list[Portal],
    archive_dir: str | Path,
    options: CrawlOptions,
    parallel: int = 2,
    report: Callable[[Outcome], None] = lambda outcome: None,
    tries: int = 1,
    backoff: int = DEFAULT_BACKOFF,
) -> list[Outcome]:
    """Crawl every portal with a start URL, `parallel` at a time, each in a forked process, never two on one host,
    a failed crawl (`crawl_failure`) tried `tries` times at most, `backoffs` apart; `report` is told of each try as
    it ends. The last failure is kept beside the portal's archive (`record_failure`), as the workers keep it.
    Returns the outcomes in registry order (portals without a start URL included, with no run)."""
    context = multiprocessing.get_context("fork")  # a fresh process per crawl, without importing everything again
    archive_dir = Path(archive_dir)
    preload(crawl_settings(archive_dir / "archive.db", options.delay))
    outcomes = {p.id: Outcome(p, "", None, "no start URL in the registry") for p in portals if not p.start_url}
    for outcome in outcomes.values():
        report(outcome)
    waits = backoffs(tries, backoff)
    # (portal, source, try, when it may start) of each portal still owed a crawl
    pending = [(p, source_for(p, options.source, options.timeout), 1, 0.0) for p in portals if p.start_url]
    running: dict[int, tuple[multiprocessing.Process, Portal, str, int, Connection]] = {}
    while pending or running:
        busy = {politeness_host(p, source, options) for _, p, source, *_ in running.values()}
        for entry in list(pending):
            portal, source, tried, due = entry
            host = politeness_host(portal, source, options)
            if len(running) >= parallel:
                break
            if host in busy or due > time.monotonic():
                continue
            pending.remove(entry)
            busy.add(host)
            # The source is decided here (the host it means is needed to schedule), so the child is told it.
            heard, said = context.Pipe(duplex=False)
            child = (portal, archive_dir, replace(options, source=source), said)
            process = context.Process(target=_child, args=child)
            process.start()
            running[process.sentinel] = (process, portal, source, tried, heard)
        # Wait for a crawl to end, or for the next try that is not yet due (one due now waits for its host).
        now = time.monotonic()
        timeout = min((due - now for *_, due in pending if due > now), default=None)
        if not running:
            time.sleep(timeout or 0)
            continue
        for sentinel in wait(list(running), timeout):
            process, portal, source, tried, heard = running.pop(sentinel)
            process.join()
            db = archive_path(archive_dir, portal.id)
            failed = heard.recv() if heard.poll() else None  # nothing answers at its address: no crawl was run
            run = None if failed else last_run(db)
            failed = failed or (f"the crawl process exited with {process.exitcode}" if process.exitcode else None)
            failed = failed or crawl_failure(db, run)
            retry_in = waits[tried - 1] if failed and tried < tries else None
            if retry_in is not None:
                pending.append((portal, source, tried + 1, time.monotonic() + retry_in))
            elif failed:
                record_failure(archive_dir, portal.id, tries, failed)
            else:
                clear_failure(archive_dir, portal.id)
            outcomes[portal.id] = Outcome(portal, source, run, failed, (tried, tries), retry_in)
            report(outcomes[portal.id])
    return [outcomes[p.id] for p in portals]
