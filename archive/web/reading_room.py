"""The reading room inside Datasette: the front page (the collection's figures and a search box) and a readable
article page, through template variables and Jinja filters (templates in `archive/web/templates/`).

The search pages are `archive.web.search_pages`, the version history `archive.web.history_page`, and the images
`archive.web.image_replay`."""

from __future__ import annotations

import sqlite_utils
from datasette import hookimpl

from archive.status import archive_status
from archive.web.image_replay import image_route
from archive.web.national_pages import PORTALS_SQL
from archive.web.search_pages import search_form_vars
from scraper.extract import sanitise_html
from scraper.text import format_portal_date


@hookimpl
def prepare_jinja2_environment(env) -> None:
    # Body HTML was sanitised when it was archived; it is sanitised again as it is shown (defence in depth), with
    # its images shown from the crawl's WARC files (archive/web/image_replay.py).
    env.filters["reading_copy"] = lambda html: sanitise_html(html, image_route)
    env.filters["image_route"] = image_route
    env.filters["portal_date"] = format_portal_date


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name == "index":
        return _front_page_vars(datasette)
    if view_name != "row" or table != "articles":
        return {}

    async def article_vars() -> dict:
        db = datasette.get_database(database)
        key = request.url_vars.get("pks", "")
        article = (await db.execute("select * from articles where id = ?", [key])).first()
        if article is None:
            return {}
        images = await db.execute("select * from images where article_id = ? order by position", [key])
        attached = await db.execute("select * from attachments where article_id = ? order by url", [key])
        return {
            "article": dict(article),
            "article_images": [dict(i) for i in images.rows],
            "article_attachments": [dict(a) for a in attached.rows],
        }

    return article_vars


def _archive_name(datasette) -> str | None:
    return next((name for name in datasette.databases if not name.startswith("_")), None)


def _front_page_vars(datasette):
    async def front_page() -> dict:
        name = _archive_name(datasette)
        if name is None or not await datasette.get_database(name).table_exists("articles"):
            return {}
        database = datasette.get_database(name)
        status = await database.execute_fn(lambda conn: archive_status(sqlite_utils.Database(conn)))
        portals = (await database.execute(PORTALS_SQL)).rows if await database.table_exists("portals") else []
        return {
            "archive_db": name,
            "archive_status": status,
            "portals": [dict(row) for row in portals],
            **await search_form_vars(datasette, name)(),
        }

    return front_page
