"""Datasette plugin for the archive: a readable article page, rendered from sanitised HTML."""

from __future__ import annotations

from datasette import hookimpl

from scraper.extract import sanitise_html


@hookimpl
def prepare_jinja2_environment(env) -> None:
    # Body HTML was sanitised when it was archived; it is sanitised again as it is shown (defence in depth).
    env.filters["sanitise"] = sanitise_html


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
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
