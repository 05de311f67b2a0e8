"""The item pipeline: every article, list page and failure the spider yields goes into the SQLite archive."""

from __future__ import annotations

import json
import logging

from scrapy import signals
from scrapy.crawler import Crawler

from archive import db, history, rescue, whole_portal
from scraper.items import (
    CaptureRead,
    CrawlError,
    FetchedAlbum,
    FetchedArticle,
    FetchedAttachment,
    ListPageRead,
    LostArticle,
    WantedAsset,
)
from scraper.urls import canonical_article_url, is_article_url, is_list_url
from scraper.walk import ListWalk

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
        self.list_failures = 0
        # The run is closed on `spider_closed`, the first moment its finish reason is known.
        crawler.signals.connect(self.finish_run, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = db.open_db(self.path)
        settings = {name: self.crawler.settings.get(name) for name in _RUN_SETTINGS}
        self.run_id = db.start_run(self.db, getattr(self.crawler.spider, "start_url", ""), settings)

    def process_item(self, item: object) -> object:
        if isinstance(item, FetchedArticle):
            stored = db.store_article(
                self.db,
                item.article,
                item.fetched_at,
                item.capture,
                item.captured_at,
                item.after_as_of,
                item.last_seen_at,
            )
            if stored.outcome == "refused":
                return self.process_item(CrawlError(item.article.url, 200, "empty body; the archived copy is kept"))
            self.counts[f"articles_{_COUNTED_AS.get(stored.outcome, stored.outcome)}"] += 1
        elif isinstance(item, CaptureRead):
            rescue.record_read(self.db, item, db.utc_now())
        elif isinstance(item, WantedAsset):
            rescue.record_wanted(self.db, item)
        elif isinstance(item, LostArticle):
            log.warning("not rescued: %s (%s)", item.url, ", ".join(item.reasons))
            rescue.record_lost(self.db, item, db.utc_now())
            self.counts["errors"] += 1
        elif isinstance(item, ListPageRead):
            db.record_list_page(self.db, item)
        elif isinstance(item, FetchedAlbum):
            whole_portal.store_album(self.db, item.album, item.fetched_at, item.section)
        elif isinstance(item, FetchedAttachment):
            whole_portal.store_attachment(self.db, item)
        elif isinstance(item, CrawlError):
            log.warning("failed: %s (%s) %s", item.url, item.status, item.error)
            db.record_error(self.db, item.url, item.status, item.error)
            self.counts["errors"] += 1
            self.list_failures += is_list_url(item.url)
            if item.status in history.REMOVAL_STATUSES and is_article_url(item.url):
                history.mark_removed(self.db, [canonical_article_url(item.url)], db.utc_now())
        return item

    def finish_run(self, reason: str) -> None:
        spider = self.crawler.spider
        walks = list(getattr(spider, "walks", None) or filter(None, [getattr(spider, "walk", None)]))
        if not rescued(spider):  # captured lists of many dates say nothing of what the portal lists now
            self.mark_vanished(reason, walks)
        pages = self.crawler.stats.get_value("response_received_count", 0)
        albums = {row["url"].lower() for row in self.db.query("select url from albums")}
        counts = {**self.counts, "pages_fetched": pages, **walk_figures(walks, albums)}
        discovery = getattr(spider, "discovery", None)
        if discovery is not None and discovery.ceiling_hit:
            counts["list_warning"] = "; ".join(filter(None, (counts["list_warning"], discovery.ceiling_hit)))
        if hasattr(spider, "requests_by_kind"):
            counts["requests"] = json.dumps(spider.requests_by_kind(), sort_keys=True)
        if rescued(spider):
            counts.update(rescue.run_figures(self.crawler.stats.get_stats()))
        if counts.get("list_warning"):
            log.warning("%s", counts["list_warning"])
        db.finish_run(self.db, self.run_id, counts, reason)
        self.db.close()

    def mark_vanished(self, reason: str, walks: list[ListWalk]) -> None:
        """After finished walks of whole lists, mark archived articles of those lists they no longer show removed."""
        whole = walks and all(w.reached_end and not w.failed and not w.stopped and w.max_pages is None for w in walks)
        if reason != "finished" or not whole or self.list_failures:
            return
        listed = {url for walk in walks for url in walk.listed}
        sections = [whole_portal.section_id(s.url) for s in getattr(self.crawler.spider, "sections", {}).values()]
        gone = history.vanished(self.db, listed, sections)
        if gone:
            log.warning("%d archived articles are no longer in the list: marked removed", len(gone))
            history.mark_removed(self.db, gone, db.utc_now())


def rescued(spider: object) -> bool:
    """Whether the run reads a web archive's captures rather than the live portal."""
    return getattr(spider, "name", None) == "wayback"


def walk_figures(walks: list[ListWalk], albums: set[str]) -> dict:
    """What a run's `crawl_runs` row says of its list walks: where the list ended (the last walk's end, once every
    walk reached its list's end), how many articles the lists showed (`albums`, lower-cased URLs, left out: the
    archive's completeness counts articles), and why a walk is not to be trusted, if one is not (a ceiling hit, a
    pager that disagrees with its list)."""
    if not walks:
        return {"list_end": None, "list_articles": None, "list_warning": None}
    warnings = [w for walk in walks for w in (walk.ceiling_hit, walk.disagreement) if w]
    listed = {url.lower() for walk in walks for url in walk.listed} - albums
    return {
        "list_end": walks[-1].end if all(walk.reached_end for walk in walks) else None,
        "list_articles": len(listed),
        "list_warning": "; ".join(warnings) or None,
    }
