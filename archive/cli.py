"""`portal-archive`: crawl a district portal into SQLite and serve the archive with Datasette."""

from __future__ import annotations

import argparse
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive import db as archive
from archive import export, fts, reparse, site
from archive.analysis import analyze_archive
from archive.status import archive_status, format_status
from scraper import __version__, cdx
from scraper.urls import DEFAULT_START_URL
from scraper.warc import default_warc_dir


def crawl_settings(db_path: str | Path, delay: float, log_level: str = "WARNING", **overrides) -> Settings:
    """The project's Scrapy settings for a crawl into `db_path`; `delay` 0 drops politeness (local replica only).

    `overrides` are further Scrapy settings by name (e.g. `DOWNLOAD_TIMEOUT=5`).
    """
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("DOWNLOAD_DELAY", delay, priority="cmdline")
    settings.set("AUTOTHROTTLE_START_DELAY", max(delay, 0.01), priority="cmdline")
    if delay == 0:
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS", 16, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def crawl(settings: Settings, source: str = "live", **spider_args) -> dict:
    """Run the `portal` spider (`source` `live`) or the `wayback` one (with `spider_args`) to completion and
    return its `crawl_runs` row."""
    from spiders.portal import PortalSpider
    from spiders.wayback import WaybackSpider

    db_path = settings.get("ARCHIVE_DB")
    process = CrawlerProcess(settings)
    process.crawl(WaybackSpider if source == "wayback" else PortalSpider, **spider_args)
    process.start()
    database = archive.open_db(db_path)
    try:
        return next(database.query("select * from crawl_runs order by id desc limit 1"))
    finally:
        database.close()


def summary(run: dict, db_path: str | Path) -> str:
    """One line that says what a crawl run did."""
    return (
        f"crawl {run['finish_reason']}: {run['pages_fetched']} pages, "
        f"{run['articles_new']} new, {run['articles_updated']} updated, {run['articles_unchanged']} unchanged "
        f"articles, {run['errors']} errors -> {db_path}"
    )


def serve(db_path: str | Path, host: str, port: int, warc_dir: str | None = None) -> int:
    """Serve the archive read-only with Datasette until interrupted (its images from the WARC files in `warc_dir`)."""
    if not Path(db_path).exists():
        print(f"no archive at {db_path}: run `portal-archive crawl --db {db_path}` first", file=sys.stderr)
        return 2
    archive.open_db(db_path).close()  # bring the schema up to date before serving it immutable
    with tempfile.TemporaryDirectory() as tmp:
        site.write_config(db_path, Path(tmp), warc_dir or default_warc_dir(db_path))
        print(f"serving the archive at http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
        datasette = subprocess.Popen(site.serve_command(db_path, Path(tmp), host, port))
        # Stopping `serve` (SIGTERM from a supervisor, Ctrl-C) stops Datasette too, never leaving it orphaned.
        signal.signal(signal.SIGTERM, lambda signum, frame: datasette.terminate())
        try:
            return datasette.wait()
        except KeyboardInterrupt:
            datasette.terminate()
            datasette.wait()
            return 0


def show_status(db_path: str | Path) -> int:
    """Print how complete the archive is."""
    if not Path(db_path).exists():
        print(f"no archive at {db_path}", file=sys.stderr)
        return 2
    database = archive.open_db(db_path)
    try:
        print(format_status(archive_status(database)))
    finally:
        database.close()
    return 0


def _timestamp(text: str) -> str:
    try:
        return cdx.parse_timestamp(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _spider_args(args: argparse.Namespace) -> dict:
    """What `crawl --source` passes to its spider."""
    if args.source == "wayback":
        urls = {"cdx_url": args.cdx_url, "replay_url": args.replay_url, "as_of": args.as_of}
        return {"source": "wayback", "start_url": args.start_url, "full": args.full, **urls}
    return {"start_url": args.start_url, "max_pages": args.max_pages, "full": args.full, "stop_after": args.stop_after}


def open_archive(db_path: str | Path):
    """The archive at `db_path`, or None after saying why it cannot be opened (missing, or not an archive)."""
    if not Path(db_path).exists():
        print(f"no archive at {db_path}", file=sys.stderr)
        return None
    try:
        return archive.open_db(db_path)
    except sqlite3.DatabaseError as error:
        print(f"{db_path} is not an archive ({error}); nothing was changed", file=sys.stderr)
        return None


def reindex(db_path: str | Path) -> int:
    """Rebuild the full-text index from the archived articles."""
    database = open_archive(db_path)
    if database is None:
        return 2
    try:
        print(f"indexed {fts.rebuild(database):,} articles in {db_path}")
    finally:
        database.close()
    return 0


def analyze(db_path: str | Path) -> int:
    """Re-run the OCOP and legal-reference analysis over every archived article."""
    database = open_archive(db_path)
    if database is None:
        return 2
    try:
        counts = analyze_archive(database)
    finally:
        database.close()
    print(
        f"analysed {counts['articles']} articles: {counts['ocop_articles']} mention OCOP, "
        f"{counts['ocop_mentions']} mentions, {counts['ocop_ratings']} ratings, {counts['legal_refs']} legal references"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portal-archive", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    crawl_cmd = commands.add_parser("crawl", help="crawl a portal's news list into the archive")
    crawl_cmd.add_argument("--start-url", default=DEFAULT_START_URL, help="first page of the news list")
    crawl_cmd.add_argument("--db", default="archive.db", help="SQLite archive to write (default: archive.db)")
    crawl_cmd.add_argument("--delay", type=float, default=1.0, help="seconds between requests (0 for a local replica)")
    crawl_cmd.add_argument("--max-pages", type=int, help="read at most N pages of the news list")
    crawl_cmd.add_argument("--full", action="store_true", help="re-visit every list page and article")
    crawl_cmd.add_argument(
        "--stop-after", type=int, default=1, help="incremental: stop after N list pages with nothing new (default 1)"
    )
    crawl_cmd.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a response (default 30)")
    crawl_cmd.add_argument("--max-runtime", type=float, default=0, help="stop the crawl after S seconds (0: no limit)")
    crawl_cmd.add_argument("--verbose", action="store_true", help="show Scrapy's log")
    crawl_cmd.add_argument(
        "--source", choices=("live", "wayback"), default="live", help="the portal itself, or a web archive's captures"
    )
    crawl_cmd.add_argument("--cdx-url", default=cdx.IA_CDX_URL, help="wayback: the CDX server (default: the IA's)")
    crawl_cmd.add_argument(
        "--replay-url", default=cdx.IA_REPLAY_URL, help="wayback: where captures replay (default: the IA's /web/)"
    )
    crawl_cmd.add_argument(
        "--as-of", type=_timestamp, help="wayback: the capture closest to DATE (default: the latest)", metavar="DATE"
    )
    crawl_cmd.add_argument("--warc-dir", help="where to write WARC files (default: warc/ beside the database)")
    crawl_cmd.add_argument("--no-warc", action="store_true", help="do not write WARC files (nor fetch images)")
    crawl_cmd.add_argument("--warc-max-size", type=int, default=1_000_000_000, help="new WARC file past N bytes")

    reparse_cmd = commands.add_parser("reparse", help="rebuild an archive database from WARC files alone")
    reparse_cmd.add_argument("--warc-dir", required=True, help="directory of the crawl's .warc.gz files")
    reparse_cmd.add_argument("--db", required=True, help="new SQLite archive to write (must not exist)")

    export_cmd = commands.add_parser("export", help="export the articles as JSON lines or CSV")
    export_cmd.add_argument("--db", default="archive.db")
    export_cmd.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export_cmd.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")

    status_cmd = commands.add_parser("status", help="how complete the archive is, its open errors and last runs")
    status_cmd.add_argument("--db", default="archive.db")

    reindex_cmd = commands.add_parser("reindex", help="rebuild the full-text search index from the articles")
    reindex_cmd.add_argument("--db", default="archive.db")

    analyze_cmd = commands.add_parser("analyze", help="re-run the OCOP and legal-reference analysis on the archive")
    analyze_cmd.add_argument("--db", default="archive.db")

    serve_cmd = commands.add_parser("serve", help="serve the archive with Datasette (read-only)")
    serve_cmd.add_argument("--db", default="archive.db")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8001)
    serve_cmd.add_argument("--warc-dir", help="the WARC files to show images from (default: warc/ beside the database)")

    demo_cmd = commands.add_parser("demo", help="crawl a local replica of the portal and serve the archive")
    demo_cmd.add_argument("--db", default="demo.db")
    demo_cmd.add_argument("--articles", type=int, default=1911)
    demo_cmd.add_argument("--replica-port", type=int, default=8000)
    demo_cmd.add_argument("--host", default="127.0.0.1")
    demo_cmd.add_argument("--port", type=int, default=8001)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "crawl":
        settings = crawl_settings(
            args.db,
            args.delay,
            "INFO" if args.verbose else "WARNING",
            DOWNLOAD_TIMEOUT=args.timeout,
            CLOSESPIDER_TIMEOUT=args.max_runtime,
            WARC_DIR="" if args.no_warc else (args.warc_dir or default_warc_dir(args.db)),
            WARC_MAX_SIZE=args.warc_max_size,
        )
        run = crawl(settings, **_spider_args(args))
        print(summary(run, args.db))
        return 0 if run["finish_reason"] in ("finished", "closespider_timeout") else 1
    if args.command == "serve":
        return serve(args.db, args.host, args.port, args.warc_dir)
    if args.command == "reindex":
        return reindex(args.db)
    if args.command == "status":
        return show_status(args.db)
    if args.command == "analyze":
        return analyze(args.db)
    if args.command == "reparse":
        return reparse.main(args.warc_dir, args.db)
    if args.command == "export":
        return export.main(args.db, args.format, args.output)
    return demo(args)


def demo(args: argparse.Namespace) -> int:
    """Serve a replica of the portal, crawl it at full speed, then serve the archive."""
    from replica.server import ReplicaOptions, start

    with start(ReplicaOptions(n_articles=args.articles), host=args.host, port=args.replica_port) as portal:
        print(f"replica of the portal at {portal.url}", flush=True)
        run = crawl(crawl_settings(args.db, 0, WARC_DIR=default_warc_dir(args.db)), start_url=portal.url)
        print(summary(run, args.db), flush=True)
        return serve(args.db, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
