"""The `wayback` spider: rescue the portal from a web archive's captures when the live site is gone.

1. ask the CDX server for every capture under the portal's article path (`/T/`) and its news list path;
2. pick one capture per article (`scraper.cdx.best_captures`: the latest, or the closest to `as_of`) and fetch
   its original bytes (`id_`), read with the same extraction as a live page, stored under the article's own URL;
3. read the captured list pages too, walked as a live list is (`scraper.walk`: a few captured pages ahead of the
   last one with articles): an article they link that the CDX answer missed is asked of the archive at the list
   page's time (the archive serves the closest capture, whose time the answer says).

Articles already in the archive are skipped (resumable), unless `full`. It stays thin, like `portal`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.db import crawl_state
from scraper import cdx
from scraper.article import ExtractionError
from scraper.extract import parse_list
from scraper.items import CrawlError, FetchedArticle, ListPageRead
from scraper.responses import image_kept, page_text, portal_images, read_article
from scraper.urls import DEFAULT_START_URL, page_number
from scraper.walk import ListWalk


class WaybackSpider(scrapy.Spider):
    """Archive a portal from web-archive captures (`-a start_url=URL -a cdx_url=URL -a replay_url=URL
    -a as_of=YYYYMMDDhhmmss -a full=1`); the defaults ask the Internet Archive."""

    name = "wayback"
    # One request at a time to a web archive, however fast it answers (`--delay 0` lifts it, for a local pywb).
    custom_settings: ClassVar[dict] = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    def __init__(
        self,
        start_url: str = DEFAULT_START_URL,
        cdx_url: str = cdx.IA_CDX_URL,
        replay_url: str = cdx.IA_REPLAY_URL,
        as_of: str | None = None,
        full: bool | str = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.cdx_url = cdx_url
        self.replay_url = replay_url
        self.as_of = cdx.parse_timestamp(as_of) if as_of else None
        self.full = str(full).lower() in ("1", "true", "yes")
        parts = urlsplit(start_url)
        # SURT keys drop a path's trailing slash before its query: `/Tintuc/?PageIndex=2` is `/tintuc?pageindex=2`.
        self.prefixes = {f"{parts.netloc}/T/", f"{parts.netloc}{parts.path.rstrip('/')}"}
        self.captures: list[cdx.Capture] = []
        self.requested: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.state = crawl_state(self.settings.get("ARCHIVE_DB"))
        self.waiting = set(self.prefixes)
        for prefix in sorted(self.prefixes):
            yield self._cdx_request(prefix)

    def _cdx_request(self, prefix: str, resume_key: str | None = None) -> scrapy.Request:
        return scrapy.Request(
            cdx.cdx_query(self.cdx_url, prefix, resume_key),
            callback=self.parse_cdx,
            errback=self.failed,
            priority=20,
            meta={"prefix": prefix},
        )

    def _replay_request(self, capture: cdx.Capture, original: str, callback, priority: int = 0) -> scrapy.Request:
        return scrapy.Request(
            cdx.replay_url(self.replay_url, capture),
            callback=callback,
            errback=self.failed,
            priority=priority,
            meta={"original_url": original, "timestamp": capture.timestamp, "replay_of": capture.url},
        )

    def parse_cdx(self, response: Response) -> Iterator[scrapy.Request | CrawlError]:
        prefix = response.meta["prefix"]
        try:
            page = cdx.parse_cdx(response.text)
        except cdx.CdxError as error:
            yield CrawlError(response.url, response.status, f"unreadable CDX answer: {error}")
            page = cdx.CdxPage(())
        self.captures.extend(page.captures)
        if page.resume_key:
            yield self._cdx_request(prefix, page.resume_key)
        else:
            yield from self._answered(prefix)

    def _answered(self, prefix: str) -> Iterator[scrapy.Request | CrawlError]:
        """A CDX query is done (or failed for good): once all are, rescue what they found."""
        self.waiting.discard(prefix)
        if not self.waiting:
            yield from self._rescue()

    def _rescue(self) -> Iterator[scrapy.Request | CrawlError]:
        """Every capture asked for: fetch the best one of each article still missing, and of each list page."""
        if not self.captures:
            where = " and ".join(sorted(self.prefixes))
            yield CrawlError(self.cdx_url, None, f"web archive: no capture of {where} (is --cdx-url right?)")
        self.chosen = cdx.best_captures(self.captures, self.start_url, self.as_of)
        self.logger.info("%d captures, %d articles", len(self.captures), len(self.chosen))
        for url, capture in self.chosen.items():
            if self._wanted(url):
                self.requested.add(url)
                yield self._replay_request(capture, url, self.parse_article)
        lists = cdx.best_list_captures(self.captures, self.start_url, self.as_of)
        self.list_captures = {page_number(url): (url, capture) for url, capture in lists.items()}
        self.walk = ListWalk(first=min(self.list_captures, default=1), available=frozenset(self.list_captures))
        if self.list_captures:
            yield from self._list_requests(self.walk.begin())

    def _list_requests(self, pages: list[int]) -> Iterator[scrapy.Request]:
        for page in pages:
            url, capture = self.list_captures[page]
            request = self._replay_request(capture, url, self.parse_list, priority=10)
            request.meta["page"] = page
            yield request

    def _wanted(self, url: str) -> bool:
        return url not in self.requested and (self.full or url not in self.state.archived)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request | CrawlError | ListPageRead]:
        original, page = response.meta["original_url"], response.meta["page"]
        try:
            listing = parse_list(page_text(response), original)
        except ExtractionError as error:
            yield CrawlError(original, response.status, f"unreadable list page: {error}")
            yield from self._list_requests(self.walk.lost(page, str(error)))
            return
        following = self.walk.shown(listing)
        if page in self.walk.fruitful:
            yield ListPageRead(
                listing.url, listing.page, listing.declared_total, listing.page_size, len(listing.article_urls)
            )
        timestamp = self._served_timestamp(response)
        for url in listing.article_urls:
            if url not in self.chosen and self._wanted(url):  # linked, but not in the CDX answer
                self.requested.add(url)
                yield self._replay_request(cdx.Capture(timestamp, url, None), url, self.parse_article)
        yield from self._list_requests(following)

    def parse_article(self, response: Response) -> Iterator[FetchedArticle | CrawlError | scrapy.Request]:
        read = read_article(response, None, response.meta["original_url"])
        if not isinstance(read, FetchedArticle):
            yield read
            return
        timestamp = self._served_timestamp(response)
        yield replace(read, capture=response.meta.get("warc"), captured_at=cdx.timestamp_to_iso(timestamp))
        if self.settings.get("WARC_DIR"):
            # The article's images as the archive kept them closest to the article's capture, into the WARC files.
            for url in portal_images(read.article):
                if url not in self.requested:
                    self.requested.add(url)
                    capture = cdx.Capture(timestamp, url, None)
                    yield self._replay_request(capture, url, image_kept, priority=-1)

    @staticmethod
    def _served_timestamp(response: Response) -> str:
        memento = response.headers.get("Memento-Datetime")
        served = cdx.replayed_timestamp(response.url, memento.decode("latin-1") if memento else None)
        return served or response.meta["timestamp"]

    def failed(self, failure: Failure) -> Iterator[CrawlError | scrapy.Request]:
        """A request the archive would not answer. A capture is recorded under the article's own URL, without a
        status, so a live crawl does not take the archive's 404 for the portal's; a failed CDX query leaves the
        list pages to find articles."""
        request = failure.request
        url = request.meta.get("original_url", request.url)
        if failure.check(HttpError):
            yield CrawlError(url, None, f"web archive: HTTP {failure.value.response.status} for {request.url}")
        else:
            yield CrawlError(url, None, f"web archive: {failure.type.__name__}: {failure.getErrorMessage()}")
        if "prefix" in request.meta:
            yield from self._answered(request.meta["prefix"])
        if "page" in request.meta:
            yield from self._list_requests(self.walk.lost(request.meta["page"], "not replayed"))
