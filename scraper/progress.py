"""A Scrapy extension that shows a crawl's progress (pages, articles, errors) on standard error."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler

from scraper.items import CrawlError, FetchedArticle


class Progress:
    """Rewrites one status line on a terminal; elsewhere prints a line every `PROGRESS_INTERVAL` seconds."""

    def __init__(self, crawler: Crawler) -> None:
        self.stream = sys.stderr
        self.interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 0.2 if self.stream.isatty() else 10.0)
        self.pages = self.articles = self.errors = 0
        self.started = self.shown = time.monotonic()
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        return cls(crawler)

    def response_received(self) -> None:
        self.pages += 1
        self._show()

    def item_scraped(self, item: object) -> None:
        if isinstance(item, FetchedArticle):
            self.articles += 1
        elif isinstance(item, CrawlError):
            self.errors += 1

    def spider_closed(self) -> None:
        self._show(force=True)
        if self.stream.isatty():
            self.stream.write("\n")

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.shown < self.interval:
            return
        self.shown = now
        line = (
            f"crawling: {self.pages} pages, {self.articles} articles, {self.errors} errors, {now - self.started:.0f} s"
        )
        self.stream.write(f"\r{line}" if self.stream.isatty() else f"{line}\n")
        self.stream.flush()
