"""The item pipeline: every article, list page and failure the spider yields goes into the SQLite archive."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler

from archive import db as archive
from scraper.extract import Article
from scraper.items import CapturedArticle, CrawlError, ListPageRead

log = logging.getLogger(__name__)

_RUN_SETTINGS = (
    "USER_AGENT",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "ROBOTSTXT_OBEY",
)

_COUNTED_AS = {"older": "unchanged"}  # a copy older than the archived one leaves the archive unchanged


class ArchivePipeline:
    """Stores items in the archive at `ARCHIVE_DB` and keeps this run's row in `crawl_runs`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = crawler.settings.get("ARCHIVE_DB")
        self.counts = {"articles_new": 0, "articles_updated": 0, "articles_unchanged": 0, "errors": 0}
        # The run is closed on `spider_closed`, the first moment its finish reason is known.
        crawler.signals.connect(self.finish_run, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = archive.open_db(self.path)
        settings = {name: self.crawler.settings.get(name) for name in _RUN_SETTINGS}
        self.run_id = archive.start_run(self.db, getattr(self.crawler.spider, "start_url", ""), settings)

    def process_item(self, item: object) -> object:
        if isinstance(item, Article | CapturedArticle):
            article = item.article if isinstance(item, CapturedArticle) else item
            stored = archive.store_article(self.db, article, captured_at=getattr(item, "captured_at", None))
            if stored.outcome == "refused":
                return self.process_item(CrawlError(article.url, 200, "empty body; the archived copy is kept"))
            self.counts[f"articles_{_COUNTED_AS.get(stored.outcome, stored.outcome)}"] += 1
        elif isinstance(item, ListPageRead):
            archive.record_list_page(self.db, item)
        elif isinstance(item, CrawlError):
            log.warning("failed: %s (%s) %s", item.url, item.status, item.error)
            archive.record_error(self.db, item.url, item.status, item.error)
            self.counts["errors"] += 1
        return item

    def finish_run(self, reason: str) -> None:
        pages = self.crawler.stats.get_value("response_received_count", 0)
        archive.finish_run(self.db, self.run_id, {**self.counts, "pages_fetched": pages}, reason)
        self.db.close()
