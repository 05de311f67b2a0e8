"""Crawling the portals of a registry, each into its own archive (`archive.portal_archives`), each crawl in a process of
its own (Scrapy's reactor runs once per process).

`crawl_portals` is the one-machine way: several crawls at a time, never two on one host (portals that share a
server, or every portal rescued from one web archive, wait for each other), each spaced by Scrapy's own delay.
`archive.jobs` runs the same `crawl_portal` in RQ's work horses, spaced per host across machines through Redis.
"""

from __future__ import annotations

import multiprocessing
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from pathlib import Path
from urllib.parse import urlsplit

from archive.crawl import crawl, crawl_settings, preload
from archive.db import open_db
from archive.portal_archives import archive_path, save_registry_row, source_for, warc_path
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
    """What became of one portal: where it was read from and its last `crawl_runs` row (None: no run, with why)."""

    portal: Portal
    source: str
    run: dict | None
    error: str | None = None


def last_run(db_path: Path) -> dict | None:
    """The last `crawl_runs` row of an archive, if it has one."""
    if not db_path.exists():
        return None
    db = open_db(db_path)
    try:
        return next(db.query("select * from crawl_runs order by id desc limit 1"), None)
    finally:
        db.close()


def _child(portal: Portal, archive_dir: Path, options: CrawlOptions) -> None:
    crawl_portal(portal, archive_dir, options)


def crawl_portals(
    portals: list[Portal],
    archive_dir: str | Path,
    options: CrawlOptions,
    parallel: int = 2,
    report: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Crawl every portal with a start URL, `parallel` at a time, each in a forked process, never two on one host;
    `report` is told of each as it ends. Returns the outcomes in registry order (portals without a start URL
    included, with no run)."""
    context = multiprocessing.get_context("fork")  # a fresh process per crawl, without importing everything again
    archive_dir = Path(archive_dir)
    preload(crawl_settings(archive_dir / "archive.db", options.delay))
    outcomes = {p.id: Outcome(p, "", None, "no start URL in the registry") for p in portals if not p.start_url}
    for outcome in outcomes.values():
        report(outcome)
    pending = [(p, source_for(p, options.source, options.timeout)) for p in portals if p.start_url]
    running: dict[int, tuple[multiprocessing.Process, Portal, str]] = {}
    while pending or running:
        busy = {politeness_host(p, source, options) for _, p, source in running.values()}
        for portal, source in list(pending):
            if len(running) >= parallel:
                break
            if politeness_host(portal, source, options) in busy:
                continue
            pending.remove((portal, source))
            busy.add(politeness_host(portal, source, options))
            # The source is decided here (the host it means is needed to schedule), so the child is told it.
            process = context.Process(target=_child, args=(portal, archive_dir, replace(options, source=source)))
            process.start()
            running[process.sentinel] = (process, portal, source)
        for sentinel in wait(list(running)):
            process, portal, source = running.pop(sentinel)
            process.join()
            failed = None if process.exitcode == 0 else f"the crawl process exited with {process.exitcode}"
            outcomes[portal.id] = Outcome(portal, source, last_run(archive_path(archive_dir, portal.id)), failed)
            report(outcomes[portal.id])
    return [outcomes[p.id] for p in portals]
