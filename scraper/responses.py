"""From a Scrapy response to what the spiders yield: one path for the crawl and for re-parsing WARCs.

`scraper.extract` reads HTML text into an `Article` or a `ListPage` and knows nothing of Scrapy; this module takes
a fetched `Response` (or one rebuilt from a WARC record) and makes the item the pipeline stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from scrapy.http import Response, TextResponse

from scraper.article import Album, ExtractionError
from scraper.attachments import AttachmentError, attachment_text
from scraper.extract import parse_article, read_item
from scraper.items import CrawlError, FetchedAlbum, FetchedArticle, FetchedAttachment
from scraper.warc import WarcRef


def page_text(response: Response) -> str:
    """The text of a fetched page. Raises ExtractionError for a response that is not text (an image or a PDF where
    a page was expected), which Scrapy's `Response.text` would answer with an AttributeError."""
    if not isinstance(response, TextResponse):
        raise ExtractionError("Response content isn't text")
    return response.text


def read_article(
    response: Response, capture: WarcRef | None = None, url: str | None = None
) -> FetchedArticle | CrawlError:
    """The article on `response` (fetched when `capture` says, else now), or why it does not read.

    `url` is the page's own URL when `response` is a copy of it from elsewhere (a web archive's capture)."""
    url = url or response.url
    try:
        article = parse_article(page_text(response), url)
    except ExtractionError as error:
        return CrawlError(url, response.status, f"unreadable article: {error}")
    return FetchedArticle(article, _fetched_at(capture), capture)


def read_entry(
    response: Response, capture: WarcRef | None = None, section: str | None = None, album: bool = False
) -> FetchedArticle | FetchedAlbum | CrawlError:
    """The entry of a list on `response`: an article or an album of photos (`scraper.extract.read_item`; `album`:
    the list is the photo library)."""
    try:
        entry = read_item(page_text(response), response.url, album)
    except ExtractionError as error:
        return CrawlError(response.url, response.status, f"unreadable article: {error}")
    if isinstance(entry, Album):
        return FetchedAlbum(entry, _fetched_at(capture), section)
    return FetchedArticle(entry, _fetched_at(capture), capture)


def read_attachment(
    response: Response,
    capture: WarcRef | None,
    article_url: str | None,
    section_url: str | None,
    url: str | None = None,
) -> Iterator[FetchedAttachment | CrawlError]:
    """A fetched document and its text; a broken one is kept all the same, and is also a crawl error.

    `url` is the document's own URL when `response` is a copy of it from elsewhere (a web archive's capture)."""
    url = url or response.url
    filename = url.rsplit("/", 1)[-1].split("?", 1)[0]
    try:
        read = attachment_text(filename, response.body)
        text, status = read.text, read.status
    except AttachmentError as error:
        text, status = None, f"broken: {error}"
        yield CrawlError(url, response.status, f"unreadable attachment: {error}")
    kind = response.headers.get("Content-Type", b"").decode("latin-1").split(";", 1)[0].strip()
    yield FetchedAttachment(
        url, article_url, section_url, kind, response.body, text, status, _fetched_at(capture), capture
    )


def _fetched_at(capture: WarcRef | None) -> str:
    return capture.fetched_at if capture else datetime.now(UTC).replace(microsecond=0).isoformat()


def image_kept(response: Response) -> Iterator[object]:
    """The callback of an image request: nothing to read, the WARC capture has kept the image."""
    return iter(())
