"""The `portal` spider: walk the news list's pager, fetch every article once at its canonical URL.

It stays thin: what to fetch and in what order (with WARC capture on, also each article's images on the
portal, so the web archive holds them). Reading pages is `scraper.extract`; storing is the pipeline.

Two ways to walk the list:
- *everything* (the first crawl, `full`, or an archive that is not yet complete, e.g. after a killed run):
  every page the pager declares, requested at once; articles already archived are not fetched again
  (with `full`, they are);
- *incremental* (a complete archive): page after page, newest first, stopping after `stop_after` pages
  in a row with nothing new on them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.db import CrawlState, crawl_state
from scraper.article import ExtractionError, ListPage
from scraper.extract import parse_list
from scraper.items import CrawlError, FetchedArticle, ListPageRead
from scraper.responses import image_kept, page_text, portal_images, read_article
from scraper.urls import DEFAULT_START_URL, list_page_url, page_number


class PortalSpider(scrapy.Spider):
    """Archive a district portal from its news list (`-a start_url=URL -a max_pages=N`)."""

    name = "portal"

    def __init__(
        self,
        start_url: str = DEFAULT_START_URL,
        max_pages: int | str | None = None,
        full: bool | str = False,
        stop_after: int | str = 1,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.max_pages = int(max_pages) if max_pages else None
        self.full = str(full).lower() in ("1", "true", "yes")
        self.stop_after = int(stop_after)
        self.quiet_pages = 0
        self.pages_asked = {page_number(start_url)}
        self.listed: set[str] = set()  # every article URL the list showed in this run

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.state: CrawlState = crawl_state(self.settings.get("ARCHIVE_DB"))
        self.walk_all = self.full or not self.state.complete
        self.logger.info("walking %s of the list", "all pages" if self.walk_all else "the newest pages")
        yield self._list_request(self.start_url)

    def _list_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list, errback=self.failed, priority=10)

    def _within_limit(self, page: int) -> bool:
        first = page_number(self.start_url)
        return self.max_pages is None or first <= page < first + self.max_pages

    def parse_list(self, response: Response) -> Iterator[scrapy.Request | CrawlError | ListPageRead]:
        try:
            listing = parse_list(page_text(response), response.url)
        except ExtractionError as error:
            yield CrawlError(response.url, response.status, f"unreadable list page: {error}")
            return
        yield ListPageRead(
            response.url, listing.page, listing.declared_total, listing.page_size, len(listing.article_urls)
        )
        self.listed.update(listing.article_urls)
        new = [url for url in listing.article_urls if self._wanted(url)]
        for url in new:
            yield scrapy.Request(url, callback=self.parse_article, errback=self.failed)
        for page in self._next_pages(listing, bool(new)):
            yield self._list_request(list_page_url(response.url, page))

    def _wanted(self, url: str) -> bool:
        return self.full or (url not in self.state.archived and url not in self.state.gone)

    def _next_pages(self, listing: ListPage, found_new: bool) -> list[int]:
        """The list pages to request after reading `listing`."""
        if self.walk_all:
            # Every page the pager declares, and every page a (windowed) pager links to, each asked for once.
            pages = {page_number(url) for url in listing.page_urls} | set(range(1, listing.last_page + 1))
            wanted = sorted(p for p in pages - self.pages_asked if self._within_limit(p))
            self.pages_asked.update(wanted)
            return wanted
        self.quiet_pages = 0 if found_new else self.quiet_pages + 1
        following = listing.page + 1
        if self.quiet_pages >= self.stop_after or following > listing.last_page or not self._within_limit(following):
            return []
        return [following]

    def parse_article(self, response: Response) -> Iterator[object]:
        read = read_article(response, response.meta.get("warc"))
        yield read
        if isinstance(read, FetchedArticle) and self.settings.get("WARC_DIR"):
            # With WARC capture on, the article's images (on the portal itself) are archived too.
            for url in portal_images(read.article):
                yield scrapy.Request(url, callback=image_kept, errback=self.failed, priority=-1)

    def failed(self, failure: Failure) -> Iterator[CrawlError]:
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            yield CrawlError(request.url, response.status, f"HTTP {response.status}")
        elif failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage():
            yield CrawlError(request.url, None, "forbidden by robots.txt")
        else:
            yield CrawlError(request.url, None, f"{failure.type.__name__}: {failure.getErrorMessage()}")
