"""A Scrapy extension that shows a crawl's progress on standard error: pages, articles, errors, and per section
the entries archived against the total its pager declares, a percentage and the time left.

On a terminal it is a live bar per section, drawn by rich (chosen over tqdm: one `Progress` holds a bar per
section, adds bars as discovery finds sections, and redraws them all in place; tqdm's stacked bars need a
position managed per bar); elsewhere (a log, cron) a line every `PROGRESS_INTERVAL` seconds.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from rich.console import Console
from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as Bars
from scrapy import signals
from scrapy.crawler import Crawler

from scraper.items import CrawlError, FetchedAlbum, FetchedArticle, ListPageRead
from scraper.urls import url_key


@dataclass
class SectionProgress:
    """Entries of one section read so far, against its declared total."""

    title: str
    total: int | None = None
    done: int = 0
    task: int | None = None

    def line(self, elapsed: float) -> str:
        if not self.total:
            return f"{self.title}: {self.done}"
        left = max(self.total - self.done, 0)
        eta = f", {left * elapsed / self.done:.0f} s left" if self.done and left else ""
        return f"{self.title}: {self.done}/{self.total} ({100 * self.done / self.total:.0f} %{eta})"


class Progress:
    """Live bars on a terminal; elsewhere prints a line every `PROGRESS_INTERVAL` seconds."""

    def __init__(self, crawler: Crawler) -> None:
        self.stream = sys.stderr
        self.live = self.stream.isatty()
        self.interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 0.2 if self.live else 10.0)
        self.pages = self.articles = self.errors = 0
        self.sections: dict[str, SectionProgress] = {}
        self.entries: dict[str, set[str]] = {}  # url_key of an entry -> the URLs of the sections listing it
        self.read: set[str] = set()  # url_keys of the entries read
        self.started = self.shown = time.monotonic()
        self.bars = Bars(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=Console(file=self.stream),
            disable=not self.live,
        )
        self.bars.start()
        self.overall = self.bars.add_task("crawling", total=None)
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
        if isinstance(item, ListPageRead) and item.section:
            self._listed(item)
        elif isinstance(item, FetchedArticle | FetchedAlbum):
            self.articles += 1
            key = url_key((item.article if isinstance(item, FetchedArticle) else item.album).url)
            self.read.add(key)
            for section in self.entries.get(key, ()):
                self._done(self.sections[section])
        elif isinstance(item, CrawlError):
            self.errors += 1

    def _listed(self, item: ListPageRead) -> None:
        name = item.section.title or item.section.url
        if item.section.parent:
            name += f" ({urlsplit(item.section.parent).path})"
        section = self.sections.setdefault(item.section.url, SectionProgress(name))
        section.total = item.declared_total or section.total
        if section.task is None:
            section.task = self.bars.add_task(section.title, total=section.total)
        self.bars.update(section.task, total=section.total)
        for key in map(url_key, item.entries):
            listing = self.entries.setdefault(key, set())
            if item.section.url not in listing:
                listing.add(item.section.url)
                if key in self.read:  # read through another section's list
                    self._done(section)

    def _done(self, section: SectionProgress) -> None:
        section.done += 1
        self.bars.update(section.task, completed=section.done)

    def spider_closed(self) -> None:
        self._show(force=True)
        self.bars.stop()

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.shown < self.interval:
            return
        if self.live:
            self.bars.update(self.overall, description=self._counts(now))
            return
        self.shown = now
        sections = "; ".join(section.line(now - self.started) for section in self.sections.values())
        self.stream.write(self._counts(now) + (f" | {sections}" if sections else "") + "\n")
        self.stream.flush()

    def _counts(self, now: float) -> str:
        return (
            f"crawling: {self.pages} pages, {self.articles} articles, {self.errors} errors, {now - self.started:.0f} s"
        )
