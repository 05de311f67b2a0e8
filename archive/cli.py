"""`portal-archive`: crawl a district portal into SQLite and serve the archive with Datasette.

The top of the project: nothing imports this module (the commands' work is in the modules it calls).
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from archive import export, fleet_cli, fts, reparse
from archive.analysis import analyse_archive
from archive.crawl import crawl, crawl_settings, summary
from archive.db import open_db
from archive.status import archive_status, format_sections, format_status, section_status
from archive.web import config
from scraper import __version__, cdx
from scraper.urls import HOME_URL
from scraper.warc import default_warc_dir


def archive_missing(db_path: str | Path, hint: str = "") -> bool:
    """Whether there is no archive at `db_path`, after saying so (and `hint`, what to do about it)."""
    if Path(db_path).exists():
        return False
    print(f"no archive at {db_path}{hint}", file=sys.stderr)
    return True


def serve(db_path: str | Path, host: str, port: int, warc_dir: str | None = None) -> int:
    """Serve the archive read-only with Datasette until interrupted (its images from the WARC files in `warc_dir`)."""
    if archive_missing(db_path, f": run `portal-archive crawl --db {db_path}` first"):
        return 2
    open_db(db_path).close()  # bring the schema up to date before serving it immutable
    with tempfile.TemporaryDirectory() as tmp:
        config.write_config(db_path, Path(tmp), warc_dir or default_warc_dir(db_path))
        print(f"serving the archive at http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
        datasette = subprocess.Popen(config.serve_command(db_path, Path(tmp), host, port))
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
    if archive_missing(db_path):
        return 2
    database = open_db(db_path)
    try:
        print(format_status(archive_status(database)))
        sections = format_sections(section_status(database))
        if sections:
            print(sections)
    finally:
        database.close()
    return 0


def sections_left(db_path: str | Path) -> str:
    """The sections a crawl left incomplete, one line each (nothing when none is)."""
    database = open_db(db_path)
    try:
        left = [s for s in section_status(database) if not s.complete]
    finally:
        database.close()
    return format_sections(left).replace("sections:", "sections left incomplete:") + ("\n" if left else "")


def _timestamp(text: str) -> str:
    try:
        return cdx.parse_timestamp(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _spider_args(args: argparse.Namespace) -> dict:
    """What `crawl --source` passes to its spider."""
    if args.source == "wayback":
        urls = {
            "cdx_url": args.cdx_url,
            "replay_url": args.replay_url,
            "as_of": args.as_of,
            "cdx_limit": args.cdx_limit,
        }
        return {"source": "wayback", "start_url": args.start_url or HOME_URL, "full": args.full, **urls}
    start = args.start_url or HOME_URL
    return {"start_url": start, "max_pages": args.max_pages, "full": args.full, "stop_after": args.stop_after}


def open_archive(db_path: str | Path):
    """The archive at `db_path`, or None after saying why it cannot be opened (missing, or not an archive)."""
    if archive_missing(db_path):
        return None
    try:
        return open_db(db_path)
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


def analyse(db_path: str | Path) -> int:
    """Re-run the OCOP and legal-reference analysis over every archived article."""
    database = open_archive(db_path)
    if database is None:
        return 2
    try:
        counts = analyse_archive(database)
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
    crawl_cmd.add_argument(
        "--start-url", help=f"the portal's home page (default {HOME_URL}), or the first page of one list to archive"
    )
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
        "--source",
        choices=("live", "wayback", "auto"),
        default="live",
        help="the portal itself, or a web archive's captures (auto, with --portals: the web archive for a portal "
        "that the registry says is gone and that does not answer)",
    )
    crawl_cmd.add_argument("--cdx-url", default=cdx.IA_CDX_URL, help="wayback: the CDX server (default: the IA's)")
    crawl_cmd.add_argument(
        "--replay-url", default=cdx.IA_REPLAY_URL, help="wayback: where captures replay (default: the IA's /web/)"
    )
    crawl_cmd.add_argument(
        "--as-of",
        type=_timestamp,
        help="wayback: the portal as it stood on DATE: the newest good capture at or before it (default: the latest)",
        metavar="DATE",
    )
    crawl_cmd.add_argument(
        "--cdx-limit", type=int, default=cdx.PAGE_ROWS, help="wayback: CDX rows asked for at a time (default 5000)"
    )
    crawl_cmd.add_argument("--warc-dir", help="where to write WARC files (default: warc/ beside the database)")
    crawl_cmd.add_argument("--no-warc", action="store_true", help="do not write WARC files (nor fetch images)")
    crawl_cmd.add_argument("--warc-max-size", type=int, default=1_000_000_000, help="new WARC file past N bytes")

    reparse_cmd = commands.add_parser("reparse", help="rebuild an archive database from WARC files alone")
    reparse_cmd.add_argument("--warc-dir", required=True, help="directory of the crawl's .warc.gz files")
    reparse_cmd.add_argument("--db", required=True, help="new SQLite archive to write (must not exist)")

    export_cmd = commands.add_parser("export", help="export the articles as JSON lines or CSV")
    export_cmd.add_argument("--db", default="archive.db")
    export_cmd.add_argument("--format", choices=tuple(export.FORMATS), default="jsonl")
    export_cmd.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")

    status_cmd = commands.add_parser("status", help="how complete the archive is, its open errors and last runs")
    status_cmd.add_argument("--db", default="archive.db")

    reindex_cmd = commands.add_parser("reindex", help="rebuild the full-text search index from the articles")
    reindex_cmd.add_argument("--db", default="archive.db")

    analyse_cmd = commands.add_parser(
        "analyse", aliases=["analyze"], help="re-run the OCOP and legal-reference analysis on the archive"
    )
    analyse_cmd.add_argument("--db", default="archive.db")

    serve_cmd = commands.add_parser("serve", help="serve the archive with Datasette (read-only)")
    serve_cmd.add_argument("--db", default="archive.db")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8001)
    serve_cmd.add_argument("--warc-dir", help="the WARC files to show images from (default: warc/ beside the database)")

    fleet_cli.add_commands(commands, crawl_cmd)

    demo_cmd = commands.add_parser("demo", help="crawl a local replica of the portal and serve the archive")
    demo_cmd.add_argument("--db", default="demo.db")
    demo_cmd.add_argument("--articles", type=int, default=1911)
    demo_cmd.add_argument("--replica-port", type=int, default=8000)
    demo_cmd.add_argument("--host", default="127.0.0.1")
    demo_cmd.add_argument("--port", type=int, default=8001)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "crawl" and args.source == "auto" and not args.portals:
        parser.error("--source auto needs --portals (the registry says which portals are gone)")
    many = fleet_cli.run(args)
    if many is not None:
        return many
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
        print(sections_left(args.db), end="")
        return 0 if run["finish_reason"] in ("finished", "closespider_timeout") else 1
    if args.command == "serve":
        return serve(args.db, args.host, args.port, args.warc_dir)
    if args.command == "reindex":
        return reindex(args.db)
    if args.command == "status":
        return show_status(args.db)
    if args.command in ("analyse", "analyze"):
        return analyse(args.db)
    if args.command == "reparse":
        return reparse.main(args.warc_dir, args.db)
    if args.command == "export":
        return 2 if archive_missing(args.db) else export.main(args.db, args.format, args.output)
    return demo(args)


def demo(args: argparse.Namespace) -> int:
    """Serve a replica of the portal, crawl it at full speed, then serve the archive.

    The replica runs as its own process (`python -m replica`), so the archive never imports it: the replica is a
    stand-in for the portal on the network, nothing more.
    """
    command = [sys.executable, "-m", "replica", "--host", args.host, "--port", str(args.replica_port)]
    replica = subprocess.Popen([*command, "--articles", str(args.articles)], stdout=subprocess.PIPE, text=True)
    try:
        portal_url = replica.stdout.readline().strip()  # printed once the replica is serving
        if not portal_url:
            print("the replica of the portal did not start", file=sys.stderr)
            return 1
        home = urljoin(portal_url, "/")  # the whole portal, from its home page, as a live crawl starts
        print(f"replica of the portal at {home}", flush=True)
        run = crawl(crawl_settings(args.db, 0, WARC_DIR=default_warc_dir(args.db)), start_url=home)
        print(summary(run, args.db), flush=True)
        return serve(args.db, args.host, args.port)
    finally:
        replica.terminate()
        replica.wait()


if __name__ == "__main__":
    sys.exit(main())
