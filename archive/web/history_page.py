"""The version history page inside Datasette: an article's versions and a diff between two of them, at
`/-/history/<id>`.

Versions are numbered oldest first: `article_versions` holds the earlier ones, the `articles` row is the latest.
The `content_hash` cell of an article links to its history.
"""

from __future__ import annotations

import difflib

from datasette import Response, hookimpl
from markupsafe import Markup, escape

from archive.history import PROVENANCE, VERSIONED
from archive.web.config import archive_database

_VERSION_FIELDS = ", ".join((*VERSIONED, *PROVENANCE))


def paragraphs(text: str | None) -> list[str]:
    return [part for part in (text or "").split("\n\n") if part.strip()]


def diff(old: dict, new: dict) -> list[tuple[str, str]]:
    """The paragraphs of two versions (title first) as (`same` | `removed` | `added`, text), in reading order."""
    a, b = [old["title"], *paragraphs(old["body_text"])], [new["title"], *paragraphs(new["body_text"])]
    lines: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [("same", text) for text in a[i1:i2]]
            continue
        lines += [("removed", text) for text in a[i1:i2]]
        lines += [("added", text) for text in b[j1:j2]]
    return lines


async def versions(db, article_id: str) -> list[dict]:
    """Every version of an article, oldest first, the current one last (marked `current`)."""
    older = await db.execute(
        f"select version, {_VERSION_FIELDS} from article_versions where article_id = ? order by version",
        [article_id],
    )
    current = await db.execute(f"select {_VERSION_FIELDS}, url, removed_at from articles where id = ?", [article_id])
    row = current.first()
    if row is None:
        return []
    found = [dict(version) for version in older.rows]
    return [*found, {**dict(row), "version": len(found) + 1, "current": True}]


def _version_asked(request, name: str, default: int, last: int) -> int:
    """The version number the request's `name` argument asks for, within 1..`last` (`default` without one)."""
    value = request.args.get(name, "")
    return min(max(int(value), 1), last) if value.isdigit() else default


async def history(datasette, request) -> Response:
    article_id = request.url_vars["article_id"]
    db = await archive_database(datasette, "article_versions")
    found = await versions(db, article_id) if db is not None else []
    if not found:
        return Response.html(f"<h1>No archived article {escape(article_id)}</h1>", status=404)
    last = len(found)
    new = _version_asked(request, "to", last, last)
    old = _version_asked(request, "from", max(new - 1, 1), last)
    context = {
        "article_id": article_id,
        "database": db.name,
        "versions": found,
        "current": found[-1],
        "old": found[old - 1],
        "new": found[new - 1],
        "diff": diff(found[old - 1], found[new - 1]) if old != new else [],
    }
    return Response.html(await datasette.render_template("article_history.html", context, request=request))


@hookimpl
def register_routes(datasette):
    return [(r"^/-/history/(?P<article_id>[0-9a-f]{16})$", history)]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table != "articles" or column != "content_hash" or not value:
        return None
    try:
        key = row["id"]
    except (IndexError, KeyError):  # a query that left out the id
        return None
    return Markup('<a href="/-/history/{}" title="Version history">{}…</a>').format(key, str(value)[:12])
