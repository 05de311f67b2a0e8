"""How the archive is published with Datasette: its metadata and the `datasette serve` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scraper.urls import DEFAULT_START_URL

TEMPLATES = Path(__file__).parent / "templates"
SEARCH_QUERY = "search"
PAGE_SIZE = 20

# Best match first or newest first, with filters. Best match: articles where the words stand together as a phrase
# first, then FTS5 rank (bm25, a word in the title counting ten times one in the body).
# Matching is `escape_fts` (Vietnamese rules, see archive/search.py), the same as `?_search=` on the table.
# Snippets are made only for the page of results shown, after ranking.
SEARCH_SQL = f"""with hits as (
  select a.rowid, articles_fts.rank,
    a.rowid in (select rowid from articles_fts where articles_fts match search_phrase(:q)) as phrase,
    count(*) over () as total
  from articles_fts join articles a on a.rowid = articles_fts.rowid
  where articles_fts match escape_fts(:q)
    and (:year = '' or a.year = :year)
    and (:month = '' or a.month = :month)
    and (:author = '' or a.author = :author)
  order by case when :sort = 'newest' then a.published_at end desc, phrase desc, articles_fts.rank
  limit {PAGE_SIZE} offset max(0, cast(:page as integer) - 1) * {PAGE_SIZE}
)
select a.id, a.title, search_highlight(a.title, :q) as title_html, a.published_at, a.author, a.url,
  search_snippet(a.body_text, :q) as snippet, hits.total
from hits join articles a on a.rowid = hits.rowid
order by case when :sort = 'newest' then a.published_at end desc, hits.phrase desc, hits.rank"""

FEED_QUERY = "feed"
# The newest articles as an Atom feed (datasette-atom renders `/<db>/feed.atom` from these columns).
FEED_SQL = """select id as atom_id, title as atom_title, published_at as atom_updated, url as atom_link,
  author as atom_author_name, body_html as atom_content_html
from articles order by published_at desc limit 50"""

DESCRIPTION = (
    "News articles of the district People's Committee portal (Cổng thông tin điện tử huyện Điện Biên), "
    "crawled and preserved after Vietnam abolished its district level of government on 1 July 2025."
)
LICENSE_NOTE = (
    "Articles are the work of their authors and of the district government, archived for research and "
    "preservation; the archive's code is Apache-2.0."
)


def metadata(db_path: str | Path, portal_url: str = DEFAULT_START_URL) -> dict:
    """Datasette metadata for an archive database: titles, sources, sorting, facets and search."""
    return {
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
                            "fetched_at": "When this copy was fetched (UTC)",
                        },
                    },
                    "images": {"description": "Images shown in the articles, with alt text and captions."},
                    "crawl_errors": {"description": "URLs that finally failed, and whether a later run read them."},
                    "crawl_runs": {"description": "One row per crawl run.", "sort_desc": "id"},
                    "list_pages": {"description": "Pages of the portal's news list read, with the declared total."},
                    "articles_fts_version": {"hidden": True},
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
