"""How the archive is published with Datasette: its metadata and the `datasette serve` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archive.dashboard import ocop_metadata
from scraper.urls import DEFAULT_START_URL

TEMPLATES = Path(__file__).parent / "templates"

DESCRIPTION = (
    "News articles of the district People's Committee portal (Cổng thông tin điện tử huyện Điện Biên), "
    "crawled and preserved after Vietnam abolished its district level of government on 1 July 2025."
)
LICENSE_NOTE = (
    "Articles are the work of their authors and of the district government, archived for research and "
    "preservation; the archive's code is Apache-2.0."
)


def metadata(db_path: str | Path, portal_url: str = DEFAULT_START_URL) -> dict:
    """Datasette metadata for an archive database: titles, sources, sorting, facets, search and OCOP analytics."""
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
                        "facets": ["year", "month", "author"],
                        "fts_table": "articles_fts",
                        "fts_pk": "rowid",
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
                    "crawl_errors": {"description": "URLs that finally failed, and whether a later run read them."},
                    "crawl_runs": {"description": "One row per crawl run.", "sort_desc": "id"},
                    "list_pages": {"description": "Pages of the portal's news list read, with the declared total."},
                    "article_versions": {
                        "description": "Earlier versions of articles the portal later changed (see /-/history/<id>).",
                        "sort_desc": "fetched_at",
                    },
                }
            }
        },
    }
    return merge(base, ocop_metadata(Path(db_path).stem))


def merge(base: dict, addition: dict) -> dict:
    """`base` with `addition` merged in, nested dictionaries key by key (addition wins on other values)."""
    merged = dict(base)
    for key, value in addition.items():
        both_dicts = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = merge(merged[key], value) if both_dicts else value
    return merged


def serve_command(db_path: str | Path, metadata_path: str | Path, host: str, port: int) -> list[str]:
    """The `datasette serve` command that publishes `db_path` read-only (immutable)."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(db_path),
        "--metadata",
        str(metadata_path),
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
    ]


def write_metadata(db_path: str | Path, directory: Path) -> Path:
    """Write the metadata for `db_path` into `directory` and return the file's path."""
    path = directory / "metadata.json"
    path.write_text(json.dumps(metadata(db_path), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
