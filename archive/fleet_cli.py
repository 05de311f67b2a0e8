"""The commands for many portals, added to `portal-archive` by `archive.cli`: `portals`, `crawl --portals`,
`enqueue`, `worker` and `national` (README, "Every district")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive import jobs, national
from archive.crawl import summary
from archive.portal_archives import archive_path, format_statuses, last_failure, portal_status
from archive.portal_crawl import DEFAULT_BACKOFF, DEFAULT_TRIES, CrawlOptions, Outcome, crawl_portals
from archive.registry import RegistryError, read_registry
from scraper import cdx

SOURCES = ("live", "wayback", "auto")


def add_commands(commands: argparse._SubParsersAction, crawl_cmd: argparse.ArgumentParser) -> None:
    """Add the registry options to `crawl` and the commands for many portals."""
    crawl_cmd.add_argument("--portals", help="crawl every portal of this registry (CSV), each into --archive-dir")
    crawl_cmd.add_argument("--archive-dir", default="archives", help="with --portals: DIR/<id>/archive.db and warc/")
    crawl_cmd.add_argument("--parallel", type=int, default=2, help="with --portals: crawls at a time (default 2)")
    _add_tries(crawl_cmd, "with --portals: ")

    portals_cmd = commands.add_parser("portals", help="the registry, with each portal's archive status")
    portals_cmd.add_argument("--portals", required=True, help="the registry (CSV)")
    portals_cmd.add_argument("--archive-dir", default="archives")

    enqueue_cmd = commands.add_parser("enqueue", help="put one crawl job per portal on a Redis queue")
    enqueue_cmd.add_argument("--portals", required=True, help="the registry (CSV)")
    enqueue_cmd.add_argument("--redis", required=True, help="the Redis server, e.g. redis://queue.example:6379/0")
    enqueue_cmd.add_argument("--delay", type=float, default=1.0, help="seconds between requests to a host")
    enqueue_cmd.add_argument("--source", choices=SOURCES, default="live")
    enqueue_cmd.add_argument("--cdx-url", default=cdx.IA_CDX_URL, help="wayback: the CDX server")
    enqueue_cmd.add_argument("--replay-url", default=cdx.IA_REPLAY_URL, help="wayback: where captures replay")
    enqueue_cmd.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a response")
    enqueue_cmd.add_argument("--no-warc", action="store_true", help="do not write WARC files (nor fetch images)")
    _add_tries(enqueue_cmd)

    worker_cmd = commands.add_parser("worker", help="take crawl jobs from the Redis queue")
    worker_cmd.add_argument("--redis", required=True, help="the Redis server the jobs were enqueued on")
    worker_cmd.add_argument("--archive-dir", default="archives", help="where the portals' archives are")
    worker_cmd.add_argument("--burst", action="store_true", help="exit once no job is queued or running")
    worker_cmd.add_argument(
        "--lease-timeout",
        type=float,
        default=jobs.DEFAULT_LEASE,
        help=f"seconds without renewal after which a job is taken again (default {jobs.DEFAULT_LEASE:.0f})",
    )

    national_cmd = commands.add_parser("national", help="one archive of all the portals' archives")
    national_cmd.add_argument("--archive-dir", default="archives")
    national_cmd.add_argument("--db", default="national.db")
    national_cmd.add_argument("--portals", help="a registry whose portals not yet crawled are listed too")


def _add_tries(command: argparse.ArgumentParser, prefix: str = "") -> None:
    command.add_argument(
        "--tries", type=int, default=DEFAULT_TRIES, help=f"{prefix}tries of a failing crawl (default {DEFAULT_TRIES})"
    )
    command.add_argument(
        "--retry-backoff",
        type=int,
        default=DEFAULT_BACKOFF,
        help=f"seconds before the second try, doubled before each after it (default {DEFAULT_BACKOFF})",
    )


def _tries_refused(args: argparse.Namespace) -> bool:
    """Whether `--tries` or `--retry-backoff` is out of range (said on stderr)."""
    if args.tries < 1 or args.retry_backoff < 0:
        print("--tries must be 1 or more, --retry-backoff 0 or more", file=sys.stderr)
        return True
    return False


def options(args: argparse.Namespace) -> CrawlOptions:
    """The crawl options of `crawl --portals` or `enqueue`."""
    return CrawlOptions(
        delay=args.delay,
        source=args.source,
        cdx_url=args.cdx_url,
        replay_url=args.replay_url,
        as_of=getattr(args, "as_of", None),
        timeout=args.timeout,
        warc=not args.no_warc,
        max_runtime=getattr(args, "max_runtime", 0),
    )


def _registry(path: str):
    try:
        return read_registry(path)
    except (OSError, RegistryError) as error:
        print(error, file=sys.stderr)
        return None


def _report(archive_dir: Path):
    def report(outcome: Outcome) -> None:
        portal = outcome.portal
        if not outcome.source:
            print(f"{portal.id}: skipped: {outcome.error}", flush=True)
            return
        line = summary(outcome.run, archive_path(archive_dir, portal.id)) if outcome.run else "no crawl run"
        print(f"{portal.id} ({outcome.source}): {line}" + (f" ({outcome.said()})" if outcome.error else ""), flush=True)

    return report


def run(args: argparse.Namespace) -> int | None:
    """Run a command for many portals; None when `args` is none of them."""
    if args.command == "crawl" and args.portals:
        return crawl(args)
    if args.command == "portals":
        portals = _registry(args.portals)
        if portals is None:
            return 2
        failures = {portal.id: last_failure(args.archive_dir, portal.id) for portal in portals}
        print(format_statuses([portal_status(portal, args.archive_dir) for portal in portals], failures))
        return 0
    if args.command == "enqueue":
        portals = _registry(args.portals)
        if portals is None:
            return 2
        if _tries_refused(args):
            return 2
        client = jobs.connect(args.redis)
        for portal, outcome in jobs.enqueue(client, portals, options(args), args.tries, args.retry_backoff):
            print(f"{portal.id}: {outcome}")
        return 0
    if args.command == "worker":
        return jobs.work(jobs.WorkerConfig(args.redis, Path(args.archive_dir), args.lease_timeout), burst=args.burst)
    if args.command == "national":
        registry = _registry(args.portals) if args.portals else []
        if registry is None:
            return 2
        merged = national.build(args.archive_dir, args.db, registry)
        for item in merged:
            print(f"{item.portal}: {item.changed:,} new or changed, {item.articles:,} articles")
        print(f"national archive: {sum(m.articles for m in merged):,} articles of {len(merged)} portals -> {args.db}")
        return 0
    return None


def crawl(args: argparse.Namespace) -> int:
    """`crawl --portals FILE`: every portal into its own archive under `--archive-dir`."""
    portals = _registry(args.portals)
    if portals is None or _tries_refused(args):
        return 2
    report = _report(Path(args.archive_dir))
    outcomes = crawl_portals(
        portals, args.archive_dir, options(args), args.parallel, report, args.tries, args.retry_backoff
    )
    tried = [o for o in outcomes if o.source]
    finished = [o for o in tried if o.error is None]
    print(f"{len(finished)} of {len(tried)} portals crawled; {len(outcomes) - len(tried)} without a start URL")
    return 0 if len(finished) == len(tried) else 1
