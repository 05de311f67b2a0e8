"""From a Scrapy response to what the spiders yield: one path for the crawl and for re-parsing WARCs.

`scraper.extract` reads HTML text into an `Article` or a `ListPage` and knows nothing of Scrapy; this module takes
a fetched `Response` (or one rebuilt from a WARC record) and makes the item the pipeline stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from scrapy.http import Response, TextResponse

from scraper.article import Article, ExtractionError
from scraper.extract import parse_article
from scraper.items import CrawlError, FetchedArticle
from scraper.urls import same_site
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
    fetched_at = capture.fetched_at if capture else datetime.now(UTC).replace(microsecond=0).isoformat()
    return FetchedArticle(article, fetched_at, capture)


def portal_images(article: Article) -> list[str]:
    """The article's images on the portal itself: those a crawl keeps beside the article in its WARC files."""
    return [image.url for image in article.images if same_site(image.url, article.url)]


def image_kept(response: Response) -> Iterator[object]:
    """The callback of an image request: nothing to read, the WARC capture has kept the image."""
    return iter(())
