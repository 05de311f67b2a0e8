"""Reading a fetched article page into an item: one path for the crawl and for re-parsing WARCs."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.http import Response

from scraper.extract import ExtractionError, parse_article
from scraper.items import CrawlError, FetchedArticle
from scraper.warc import WarcRef


def read_article(response: Response, capture: WarcRef | None = None) -> FetchedArticle | CrawlError:
    """The article on `response` (fetched when `capture` says, else now), or why it does not read."""
    try:
        article = parse_article(response.text, response.url)
    except (ExtractionError, AttributeError) as error:
        return CrawlError(response.url, response.status, f"unreadable article: {error}")
    fetched_at = capture.fetched_at if capture else datetime.now(UTC).replace(microsecond=0).isoformat()
    return FetchedArticle(article, fetched_at, capture)
