"""Datasette plugin for the archive: Vietnamese-aware search, a front page, and a readable article page."""

from __future__ import annotations

import sqlite_utils
from datasette import hookimpl

from archive import search, table_search
from archive.image_replay import image_route
from archive.site import PAGE_SIZE, SEARCH_QUERY
from archive.status import archive_status
from scraper.extract import sanitise_html
from scraper.text import format_portal_date

MMAP_BYTES = 4 << 30


@hookimpl(trylast=True)
def prepare_connection(conn) -> None:
    # Registered after Datasette's own `escape_fts`, so `?_search=` and the `search` query use Vietnamese rules.
    conn.create_function("escape_fts", 1, search.fts_query, deterministic=True)
    conn.create_function("search_phrase_match", 1, search.phrase_match, deterministic=True)
    conn.create_function("search_snippet", 2, search.snippet, deterministic=True)
    conn.create_function("search_highlight", 2, search.highlight, deterministic=True)
    # Read the archive through memory mapping: a search's count and facets look up tens of thousands of article rows,
    # twice as fast without a read() call each (bench/search.py).
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    if table != "articles":
        return None

    async def search_filter():
        return await table_search.search_filter(request, datasette.get_database(database))

    return search_filter


@hookimpl
def prepare_jinja2_environment(env) -> None:
    # Body HTML was sanitised when it was archived; it is sanitised again as it is shown (defence in depth), with
    # its images shown from the crawl's WARC files (archive/image_replay.py).
    env.filters["reading_copy"] = lambda html: sanitise_html(html, image_route)
    env.filters["image_route"] = image_route
    env.filters["portal_date"] = format_portal_date


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name == "index":
        return _front_page_vars(datasette)
    if view_name != "row" and request is not None and request.url_vars.get("table") == SEARCH_QUERY:
        return _search_form_vars(datasette, database)
    if view_name != "row" or table != "articles":
        return {}

    async def article_vars() -> dict:
        db = datasette.get_database(database)
        key = request.url_vars.get("pks", "")
        article = (await db.execute("select * from articles where id = ?", [key])).first()
        if article is None:
            return {}
        images = await db.execute("select * from images where article_id = ? order by position", [key])
        return {"article": dict(article), "article_images": [dict(i) for i in images.rows]}

    return article_vars


def _archive_name(datasette) -> str | None:
    return next((name for name in datasette.databases if not name.startswith("_")), None)


def _front_page_vars(datasette):
    async def front_page() -> dict:
        name = _archive_name(datasette)
        if name is None or not await datasette.get_database(name).table_exists("articles"):
            return {}
        status = await datasette.get_database(name).execute_fn(lambda conn: archive_status(sqlite_utils.Database(conn)))
        return {"archive_db": name, "archive_status": status, **await _search_form_vars(datasette, name)()}

    return front_page


def _search_form_vars(datasette, database):
    async def form() -> dict:
        db = datasette.get_database(database)
        years = await db.execute("select year, count(*) n from articles group by year order by year desc")
        authors = await db.execute(
            "select author, count(*) n from articles where author != '' group by author order by n desc, author"
        )
        return {
            "search_years": [dict(r) for r in years.rows],
            "search_authors": [dict(r) for r in authors.rows],
            "search_page_size": PAGE_SIZE,
        }

    return form
