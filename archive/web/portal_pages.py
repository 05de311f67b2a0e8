"""Datasette plugin: the photo library's galleries and the articles' attachments, from the crawl's WARC files.

- `/-/album/<id>`: an album's photos with their captions, each shown from the archive's own copy
  (`/-/image`, `archive.web.image_replay`);
- `/-/attachment?url=<document URL>`: a document an article attaches, as archived, always as a download:
  `Content-Disposition: attachment`, never sniffed, sandboxed, so that no archived file is ever rendered on the
  archive's origin. A document that is not in the WARC files is not served (the portal may be gone).
"""

from __future__ import annotations

import asyncio
from html import escape
from pathlib import Path
from urllib.parse import quote

from datasette import Response, hookimpl

from archive.web.config import PLUGIN, archive_database
from archive.web.image_replay import HEADERS, image_route
from scraper.text import format_portal_date
from scraper.warc import IndexEntry, index_entries, read_payload

ALBUM_ROUTE = "/-/album/"
ATTACHMENT_ROUTE = "/-/attachment"


def attachment_route(url: str) -> str:
    """The reading room's address of an attachment: the download route, with the document's original URL."""
    return f"{ATTACHMENT_ROUTE}?url={quote(url, safe='')}"


def find_capture(warc_dir: Path, url: str) -> IndexEntry | None:
    """The newest archived 200 response for `url`."""
    found = [entry for entry in index_entries(warc_dir, url) if entry.status == "200"]
    return max(found, key=lambda entry: entry.timestamp, default=None)


def _warc_dir(datasette) -> Path:
    return Path((datasette.plugin_config(PLUGIN) or {}).get("warc_dir", ""))


async def attachment(datasette, request) -> Response:
    url = request.args.get("url", "")
    database = await archive_database(datasette, "attachments")
    row = None
    if database is not None:
        row = (await database.execute("select filename, content_type from attachments where url = ?", [url])).first()
    warc_dir = _warc_dir(datasette)
    capture = await asyncio.to_thread(find_capture, warc_dir, url) if row and warc_dir.name else None
    if capture is None:
        return Response.text("Not an attachment in the archive", status=404)
    body = await asyncio.to_thread(read_payload, warc_dir, capture)
    headers = {
        **HEADERS,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row['filename'])}",
    }
    return Response(body, content_type=row["content_type"] or "application/octet-stream", headers=headers)


async def album(datasette, request) -> Response:
    key = request.url_vars["id"]
    database = await archive_database(datasette, "albums")
    found = database and (await database.execute("select * from albums where id = ?", [key])).first()
    if not found:
        return Response.html("<p>No such album in the archive</p>", status=404)
    photos = await database.execute("select * from photos where album_id = ? order by position", [key])
    figures = "".join(
        f'<figure><img src="{escape(image_route(p["url"]))}" alt="{escape(p["alt"] or "")}" loading="lazy">'
        + (f"<figcaption>{escape(p['caption'])}</figcaption>" if p["caption"] else "")
        + "</figure>"
        for p in photos.rows
    )
    posted = f"<p>Ngày đăng: {escape(format_portal_date(found['published_at']))}</p>" if found["published_at"] else ""
    html = await datasette.render_template(
        "gallery.html",
        {"album": dict(found), "posted": posted, "figures": figures, "count": len(photos.rows)},
        request=request,
    )
    return Response.html(html)


@hookimpl
def register_routes(datasette):
    return [(f"^{ATTACHMENT_ROUTE}$", attachment), (rf"^{ALBUM_ROUTE}(?P<id>[0-9a-f]{{16}})$", album)]


@hookimpl
def prepare_jinja2_environment(env) -> None:
    env.filters["attachment_route"] = attachment_route
