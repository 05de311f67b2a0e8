"""Datasette plugin: the articles' images shown from the crawl's own WARC files, at `/-/image?url=<image URL>`.

The portal is going away, and an article page that loads its images from the portal breaks when it does. A crawl
keeps every image it fetched in its WARC files, indexed by the sorted `index.cdxj` beside them (both written and
read by `scraper.warc`).
The article page points its images here; this route answers with the newest archived copy of an image the archive
lists in `images`. An image that is not in the WARC files (a crawl with `--no-warc`, or a failed fetch) redirects
to its original URL, as the page did before. Nothing else is served: no page, no other URL, no SVG (which can carry
scripts), and never as anything but the image type it was archived as.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

from datasette import Response, hookimpl

from archive.web.config import PLUGIN, archive_database
from scraper.warc import IndexEntry, index_entries, read_payload

ROUTE = "/-/image"
# Archived images are untrusted bytes: the browser must not sniff them into another type or run anything in them.
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "public, max-age=86400",
}


def image_route(url: str) -> str:
    """The reading room's address of an image: the route below, with the image's original URL."""
    return f"{ROUTE}?url={quote(url, safe='')}"


def find_image(warc_dir: Path, url: str) -> IndexEntry | None:
    """The newest archived 200 response for `url` with a raster image type, looked up in the sorted index."""
    found = [entry for entry in index_entries(warc_dir, url) if entry.status == "200" and _is_raster(entry.mime)]
    return max(found, key=lambda entry: entry.timestamp, default=None)


def _is_raster(mime: str) -> bool:
    return mime.startswith("image/") and "svg" not in mime


async def _listed(datasette, url: str) -> bool:
    """Whether an archived article or album shows this image (only those are served or redirected to)."""
    database = await archive_database(datasette, "images")
    if database is None:
        return False
    found = await database.execute(
        "select 1 from images where url = :url union all select 1 from photos where url = :url limit 1", {"url": url}
    )
    return found.first() is not None


async def image(datasette, request) -> Response:
    url = request.args.get("url", "")
    if not url.startswith(("http://", "https://")) or not await _listed(datasette, url):
        return Response.text("Not an image of the archive", status=404)
    warc_dir = Path((datasette.plugin_config(PLUGIN) or {}).get("warc_dir", ""))
    capture = await asyncio.to_thread(find_image, warc_dir, url) if warc_dir.name else None
    if capture is None:
        return Response.redirect(url)
    body = await asyncio.to_thread(read_payload, warc_dir, capture)
    archived = datetime.strptime(capture.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    # Memento (RFC 7089): when this copy was archived.
    headers = {**HEADERS, "Memento-Datetime": format_datetime(archived, usegmt=True)}
    return Response(body, content_type=capture.mime, headers=headers)


@hookimpl
def register_routes(datasette):
    return [(f"^{ROUTE}$", image)]
