"""How the archive is published with Datasette: its metadata and the `datasette serve` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sqlite_utils
from datasette.inspect import inspect_hash

from archive import fts
from archive.web.dashboard import ocop_metadata
from archive.web.national_pages import national_metadata
from archive.web.search_pages import SEARCH_QUERY, SEARCH_SQL
from scraper.urls import HOME_URL

TEMPLATES = Path(__file__).parent / "templates"
METADATA = "metadata.json"
INSPECT = "inspect-data.json"
PLUGIN = "portal-archive"  # the name of the plugins' configuration in the metadata
INDEXES = tuple(table for table, _ in fts.INDEXES)  # the search indexes, counted by FTS5's own record

FEED_QUERY = "feed"
# The newest articles as an Atom feed (datasette-atom renders `/<db>/feed.atom` from these columns).
FEED_SQL = """select id as atom_id, title as atom_title, published_at as atom_updated, url as atom_link,
  author as atom_author_name, body_html as atom_content_html
from articles order by published_at desc limit 50"""

DESCRIPTION = (
    "News articles of the district People's Committee portal (Cổng thông tin điện tử huyện Điện Biên), "
    "crawled and preserved after Vietnam abolished its district level of government on 1 July 2025."
)


def metadata(db_path: str | Path, portal_url: str = HOME_URL, warc_dir: str | Path | None = None) -> dict:
    """Datasette metadata for an archive database: titles, sources, sorting, facets, search and OCOP analytics.

    `warc_dir` holds the crawl's WARC files, which the article pages show their images from
    (`archive.web.image_replay`).
    """
    base = {
        "title": "Archive of Vietnamese district government news",
        "description": DESCRIPTION,
        "source": "Cổng thông tin điện tử huyện Điện Biên",
        "source_url": portal_url,
        "license": "Archived for preservation and research",
        "license_url": "https://www.apache.org/licenses/LICENSE-2.0",
        "databases": {
            Path(db_path).stem: {
                "tables": {
                    "articles": {
                        "description": "One row per article, at its canonical URL. Newest first.",
                        "sort_desc": "published_at",
                        "facets": ["section", "year", "month", "author"],
                        "label_column": "title",
                        "columns": {
                            "url": "The article's canonical address on the portal",
                            "published_at": "Time posted ('Thời gian đăng'), Vietnam time",
                            "author": "The credit after 'Tác giả:' as shown; empty when the page has none",
                            "body_text": "The article's text, paragraphs separated by a blank line",
                            "body_html": "The article's body as sanitised HTML",
                            "fetched_at": "When this copy was fetched (UTC): the WARC-Date of its response record",
                            "warc_file": "The WARC file (in warc/ beside the database) holding the response",
                            "warc_offset": "Byte offset of the response record in that WARC file",
                            "payload_digest": "The response body's SHA-1 digest, as in the WARC record",
                            "removed_at": "When the portal stopped serving or listing the article; empty while it does",
                            "content_hash": "SHA-256 of title, date, author and text; links to the version history",
                        },
                    },
                    "images": {"description": "Images shown in the articles, with alt text and captions."},
                    "sections": {
                        "description": "The portal's lists, with their sub-site and declared totals.",
                        "label_column": "title",
                    },
                    "albums": {"description": "Albums of the photo library; see /-/album/<id> for a gallery."},
                    "photos": {"description": "The albums' photos, with captions, kept in the WARC files."},
                    "attachments": {
                        "description": "Documents the articles attach, with their text; download "
                        "from /-/attachment?url=<url>."
                    },
                    "crawl_errors": {"description": "URLs that finally failed, and whether a later run read them."},
                    "crawl_runs": {"description": "One row per crawl run.", "sort_desc": "id"},
                    "list_pages": {"description": "Pages of the portal's news list read, with the declared total."},
                    "article_versions": {
                        "description": "Earlier versions of articles the portal later changed (see /-/history/<id>).",
                        "sort_desc": "fetched_at",
                    },
                    "articles_fts_version": {"hidden": True},
                    fts.TITLE_TABLE: {"hidden": True},
                },
                "queries": {
                    SEARCH_QUERY: {
                        "title": "Search the archive",
                        "description": "Vietnamese-aware search: type with or without tone marks.",
                        "sql": SEARCH_SQL,
                        "hide_sql": True,
                    },
                    FEED_QUERY: {"title": "Newest articles", "sql": FEED_SQL, "hide_sql": True},
                },
            }
        },
    }
    if warc_dir is not None:
        base["plugins"] = {PLUGIN: {"warc_dir": str(Path(warc_dir).resolve())}}
    merged = merge(base, ocop_metadata(Path(db_path).stem))
    return merge(merged, national_metadata(Path(db_path).stem)) if is_national(db_path) else merged


def is_national(db_path: str | Path) -> bool:
    """Whether the archive at `db_path` is a national one (`archive.national`): it has the registry's `portals`."""
    db = sqlite_utils.Database(db_path)
    try:
        return db["portals"].exists()
    finally:
        db.close()


def merge(base: dict, addition: dict) -> dict:
    """`base` with `addition` merged in, nested dictionaries key by key (addition wins on other values)."""
    merged = dict(base)
    for key, value in addition.items():
        both_dicts = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = merge(merged[key], value) if both_dicts else value
    return merged


def serve_command(db_path: str | Path, config_dir: Path, host: str, port: int) -> list[str]:
    """The `datasette serve` command that publishes `db_path` read-only (immutable), with the files that
    `write_config` wrote into `config_dir`."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(db_path),
        "--metadata",
        str(config_dir / METADATA),
        "--inspect-file",
        str(config_dir / INSPECT),
        "--template-dir",
        str(TEMPLATES),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "default_page_size",
        "50",
        "--setting",
        "facet_time_limit_ms",
        "1000",
        # Suggested facets query every column over all the matches of a search: seconds on a large archive.
        "--setting",
        "suggest_facets",
        "off",
    ]


def write_config(db_path: str | Path, directory: Path, warc_dir: str | Path | None = None) -> None:
    """Write Datasette's metadata and inspect files for `db_path` into `directory` (see `serve_command`).

    The inspect file holds what Datasette would work out itself when it starts (`datasette inspect`): the file's
    hash and size, and the row counts of its tables.
    """
    (directory / METADATA).write_text(
        json.dumps(metadata(db_path, warc_dir=warc_dir), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    inspected = {"hash": inspect_hash(Path(db_path)), "size": Path(db_path).stat().st_size, "file": str(db_path)}
    (directory / INSPECT).write_text(json.dumps({Path(db_path).stem: {**inspected, "tables": table_counts(db_path)}}))


def table_counts(db_path: str | Path) -> dict[str, dict[str, int]]:
    """Rows per table, in the form of `datasette inspect`: an immutable database's counts, known before serving.

    Datasette would count them itself when it starts, but cannot count the search indexes that way (they store no
    per-article sizes, so they cannot be scanned); FTS5's own record says how many articles each holds.
    """
    db = sqlite_utils.Database(db_path)
    try:
        return {
            name: {"count": fts.indexed_count(db, name) if name in INDEXES else db[name].count}
            for name in db.table_names()
        }
    finally:
        db.close()


async def archive_database(datasette, table: str):
    """The first database Datasette serves that has `table` (an archive's), if any."""
    for database in datasette.databases.values():
        if await database.table_exists(table):
            return database
    return None
