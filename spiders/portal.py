"""The `portal` spider: walk the news list's pager, fetch every article once at its canonical URL.

It stays thin: what to fetch and in what order (with WARC capture on, also each article's images on the
portal, so the web archive holds them). Which list pages to ask for is `scraper.walk`, reading pages is
`scraper.extract`, storing is the pipeline.

Two ways to walk the list:
- *to its end* (the first crawl, `full`, or an archive that is not yet complete, e.g. after a killed run): a
  few pages ahead of the last page with articles, until a page past them shows the end; articles already
  archived are not fetched again (with `full`, they are);
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
from scraper.article import ExtractionError
from scraper.extract import parse_list
from scraper.items import CrawlError, FetchedArticle, ListPageRead
from scraper.responses import image_kept, page_text, portal_images, read_article
from scraper.urls import DEFAULT_START_URL, list_page_url, page_number
from scraper.walk import WINDOW, ListWalk


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
        self.list_url = start_url

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.state: CrawlState = crawl_state(self.settings.get("ARCHIVE_DB"))
        self.walk_all = self.full or not self.state.complete
        self.logger.info("walking %s of the list", "all pages" if self.walk_all else "the newest pages")
        first = page_number(self.start_url)
        self.walk = ListWalk(first=first, window=WINDOW if self.walk_all else 1, max_pages=self.max_pages)
        for request in self._list_requests(self.walk.begin()):
            yield request

    def _list_requests(self, pages: list[int]) -> Iterator[scrapy.Request]:
        for page in pages:
            url = self.start_url if page == self.walk.first else list_page_url(self.list_url, page)
            yield scrapy.Request(url, callback=self.parse_list, errback=self.failed, priority=10, meta={"page": page})

    def parse_list(self, response: Response) -> Iterator[scrapy.Request | CrawlError | ListPageRead]:
        page = response.meta["page"]
        if page == self.walk.first:
            self.list_url = response.url  # where the start URL led (a home page that redirects to the list)
        try:
            listing = parse_list(page_text(response), response.url)
        except ExtractionError as error:
            yield from self._unread(response.url, page, response.status, f"unreadable list page: {error}")
            return
        new = [url for url in listing.article_urls if self._wanted(url)]
        if not self.walk_all:
            self.quiet_pages = 0 if new else self.quiet_pages + 1
            if self.quiet_pages >= self.stop_after:
                self.walk.stop(f"{self.quiet_pages} list page(s) in a row with nothing new")
        following = self.walk.shown(listing)
        if page in self.walk.fruitful:
            yield ListPageRead(
                response.url, listing.page, listing.declared_total, listing.page_size, len(listing.article_urls)
            )
        for url in new:
            yield scrapy.Request(url, callback=self.parse_article, errback=self.failed)
        yield from self._misread_ends()
        yield from self._list_requests(following)

    def _unread(self, url: str, page: int, status: int | None, why: str) -> Iterator[scrapy.Request | CrawlError]:
        """A list page without articles: past the pages with articles, the end of the list; else a failure."""
        if page > self.walk.highest:
            yield from self._list_requests(self.walk.empty(page, why))
        else:
            yield CrawlError(url, status, why)
            yield from self._list_requests(self.walk.lost(page, why))

    def _misread_ends(self) -> Iterator[CrawlError]:
        for page, why in self.walk.misread_ends():
            yield CrawlError(list_page_url(self.list_url, page), None, why)

    def _wanted(self, url: str) -> bool:
        return self.full or (url not in self.state.archived and url not in self.state.gone)

    def parse_article(self, response: Response) -> Iterator[object]:
        read = read_article(response, response.meta.get("warc"))
        yield read
        if isinstance(read, FetchedArticle) and self.settings.get("WARC_DIR"):
            # With WARC capture on, the article's images (on the portal itself) are archived too.
            for url in portal_images(read.article):
                yield scrapy.Request(url, callback=image_kept, errback=self.failed, priority=-1)

    def failed(self, failure: Failure) -> Iterator[CrawlError | scrapy.Request]:
        request = failure.request
        page = request.meta.get("page")
        if failure.check(HttpError):
            status = failure.value.response.status
            if page is not None and status in (404, 410):
                yield from self._unread(request.url, page, status, f"HTTP {status}")
                return
            error = CrawlError(request.url, status, f"HTTP {status}")
        elif failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage():
            error = CrawlError(request.url, None, "forbidden by robots.txt")
        else:
            error = CrawlError(request.url, None, f"{failure.type.__name__}: {failure.getErrorMessage()}")
        yield error
        if page is not None:
            yield from self._list_requests(self.walk.lost(page, error.error))
