"""The `portal` spider: find the portal's lists from its home page, walk each list's pager, fetch every entry once.

It stays thin: what to fetch and in what order. Which pages to visit to find the lists is `scraper.discover`,
which list pages to ask for is `scraper.walk`, reading pages is `scraper.extract`, storing is the pipeline.

- A start URL that reads as a list (`ListPage.paged`) is that list alone, walked as before. Any other start (the
  home page, the default) is discovery: its menus and boxes, its sub-sites' home pages and the sitemap name the
  lists; each is a section, walked on its own.
- Each entry (article or album) is fetched once, at its canonical URL as the portal's own links first spell it,
  whatever list links it, whatever its case (IIS paths are case-insensitive) and its `PageIndex`.
- With WARC capture on, each article's images, each album's photos and each document linked from an article or a
  list (on the portal's host) are fetched too, once each.

Two ways to walk a list:
- *to its end* (the first crawl, `full`, or an archive that is not yet complete, e.g. after a killed run): a
  few pages ahead of the last page with articles, until a page past them shows the end; entries already
  archived are not fetched again (with `full`, they are);
- *incremental* (a complete archive): page after page, newest first, stopping after `stop_after` pages
  in a row with nothing new on them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.db import CrawlState, crawl_state
from scraper.article import ExtractionError, ListPage, entry_files
from scraper.discover import Discovery, is_photo_library, is_sitemap, robots_sitemaps, sitemap_locations
from scraper.extract import page_links, parse_list
from scraper.items import CrawlError, FetchedAlbum, FetchedArticle, ListPageRead
from scraper.responses import image_kept, page_text, read_attachment, read_entry
from scraper.urls import HOME_URL, list_page_url, page_number, url_key
from scraper.walk import WINDOW, ListWalk, SectionWalk


@dataclass
class LiveSection(SectionWalk):
    """A list walked live (its first page's URL where the start led), and its pages in a row with nothing new."""

    quiet_pages: int = 0


class PortalSpider(scrapy.Spider):
    """Archive a district portal from its home page, or one list (`-a start_url=URL -a max_pages=N`)."""

    name = "portal"

    def __init__(
        self,
        start_url: str = HOME_URL,
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
        self.discovery = Discovery(start_url)
        self.sections: dict[str, LiveSection] = {}
        self.spelling: dict[str, str] = {}  # url_key -> the entry's URL as first seen (archived, or linked)
        self.asked: set[str] = set()  # url_keys of entries asked for
        self.albums: set[str] = set()  # url_keys of entries that were albums
        self.named_sitemaps: list[str] = []
        self.responses: Counter[str] = Counter()  # responses by kind of request (entries counted at the end)
        self.entries: Counter[str] = Counter()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.state: CrawlState = crawl_state(self.settings.get("ARCHIVE_DB"))
        self.spelling = {url_key(url): url for url in self.state.archived | self.state.gone}
        self.walk_all = self.full or not self.state.complete
        self.logger.info("walking %s of each list", "all pages" if self.walk_all else "the newest pages")
        self.crawler.signals.connect(self._response_received, signal=signals.response_received)
        for url in self.discovery.begin():
            yield self._visit(url, start=True)

    @property
    def walks(self) -> list[ListWalk]:
        return [section.walk for section in self.sections.values()]

    def requests_by_kind(self) -> dict[str, int]:
        """Responses received, by kind: robots, discovery, sitemap, list, article, album, image, photo, attachment."""
        counts = Counter(self.responses)
        for key, n in self.entries.items():
            counts["album" if key in self.albums else "article"] += n
        return dict(sorted(counts.items()))

    def _response_received(self, response: Response, request: Request) -> None:
        kind = request.meta.get("kind")
        if kind == "entry":
            self.entries[url_key(request.url)] += 1
        elif kind is None and urlsplit(request.url).path == "/robots.txt":
            self.responses["robots"] += 1
            if response.status == 200 and hasattr(response, "text"):
                self.named_sitemaps += robots_sitemaps(response.text)
        else:
            self.responses[kind or "other"] += 1

    # --- discovery -------------------------------------------------------------------------------------------

    def _visit(self, url: str, start: bool = False) -> scrapy.Request:
        kind = "sitemap" if is_sitemap(url) else "discovery"
        callback = self.parse_sitemap if kind == "sitemap" else self.parse_page
        return scrapy.Request(
            url, callback=callback, errback=self.failed, priority=20, meta={"kind": kind, "start": start}
        )

    def parse_page(self, response: Response) -> Iterator[object]:
        """A page found by discovery (or the start): a list to walk, else a home-like page whose links to visit."""
        start = response.meta.get("start")
        try:
            text = page_text(response)
        except ExtractionError as error:
            if start:
                yield CrawlError(response.url, response.status, f"unreadable start page: {error}")
            return
        try:
            listing = parse_list(text, response.url)
        except ExtractionError:
            listing = None
        # A start URL that names a page of a list is that list, however few entries it shows.
        if listing is not None and (listing.paged or (start and "pageindex=" in response.url.lower())):
            self.discovery.found_list(response.url)
            yield from self._open_section(response, listing)
            return
        links = page_links(text, response.url)
        following = self.discovery.home_page(response.url, links)
        if start:
            home = urljoin(response.url, "/")
            following += self.discovery.sitemap(self.named_sitemaps or [urljoin(home, "/sitemap.xml")])
        for url in following:
            yield self._visit(url)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        for url in self.discovery.sitemap(sitemap_locations(page_text(response), response.url)):
            yield self._visit(url)

    # --- the lists -------------------------------------------------------------------------------------------

    def _open_section(self, response: Response, listing: ListPage) -> Iterator[object]:
        if response.meta.get("kind") == "discovery":  # counted as a list page after all
            self.responses["discovery"] -= 1
            self.responses["list"] += 1
        first = page_number(response.url)
        walk = ListWalk(first=first, window=WINDOW if self.walk_all else 1, max_pages=self.max_pages)
        walk.begin()
        section = LiveSection(response.url, walk, listing.folder)
        self.sections[url_key(response.url)] = section
        yield from self._read_list(section, response, listing)

    def _list_requests(self, section: LiveSection, pages: list[int]) -> Iterator[scrapy.Request]:
        for page in pages:
            yield scrapy.Request(
                list_page_url(section.url, page),
                callback=self.parse_list,
                errback=self.failed,
                priority=10,
                meta={"page": page, "section": section.url, "kind": "list"},
            )

    def parse_list(self, response: Response) -> Iterator[object]:
        section = self.sections[url_key(response.meta["section"])]
        page = response.meta["page"]
        try:
            listing = parse_list(page_text(response), response.url, section.folder)
        except ExtractionError as error:
            yield from self._unread(section, response.url, page, response.status, f"unreadable list page: {error}")
            return
        yield from self._read_list(section, response, listing)

    def _read_list(self, section: LiveSection, response: Response, listing: ListPage) -> Iterator[object]:
        walk = section.walk
        entries = [self.spelling.setdefault(url_key(url), url) for url in listing.article_urls]
        new = [url for url in entries if self._wanted(url)]
        if not self.walk_all:
            section.quiet_pages = 0 if new else section.quiet_pages + 1
            if section.quiet_pages >= self.stop_after:
                walk.stop(f"{section.quiet_pages} list page(s) in a row with nothing new")
        following = walk.shown(listing)
        if listing.page in walk.fruitful:
            capture = response.meta.get("warc")
            info = self.discovery.section(section.url)
            yield ListPageRead.of(listing, info, tuple(entries), capture.fetched_at if capture else None)
        for url in new:
            self.asked.add(url_key(url))
            yield scrapy.Request(
                url, callback=self.parse_entry, errback=self.failed, meta={"kind": "entry", "section": section.url}
            )
        for url in listing.documents:
            yield from self._attachment(url, None, section.url)
        for page, why in walk.misread_ends():
            yield CrawlError(list_page_url(section.url, page), None, why)
        yield from self._list_requests(section, following)

    def _unread(
        self, section: LiveSection, url: str, page: int, status: int | None, why: str
    ) -> Iterator[scrapy.Request | CrawlError]:
        """A list page without articles: past the pages with articles, the end of the list; else a failure."""
        if page > section.walk.highest:
            yield from self._list_requests(section, section.walk.empty(page, why))
        else:
            yield CrawlError(url, status, why)
            yield from self._list_requests(section, section.walk.lost(page, why))

    def _wanted(self, url: str) -> bool:
        key = url_key(url)
        if key in self.asked:
            return False
        return self.full or (url not in self.state.archived and url not in self.state.gone)

    # --- entries and what they show --------------------------------------------------------------------------

    def parse_entry(self, response: Response) -> Iterator[object]:
        section = response.meta.get("section")
        album = section is not None and is_photo_library(self.discovery.section(section))
        read = read_entry(response, response.meta.get("warc"), section, album)
        yield read
        if isinstance(read, FetchedAlbum):
            self.albums.add(url_key(response.url))
        if not self.settings.get("WARC_DIR") or not isinstance(read, FetchedArticle | FetchedAlbum):
            return
        entry = read.article if isinstance(read, FetchedArticle) else read.album
        for url, kind in entry_files(entry):
            if kind == "attachment":
                yield from self._attachment(url, entry.url, None)
            else:
                yield scrapy.Request(url, callback=image_kept, errback=self.failed, priority=-1, meta={"kind": kind})

    def _attachment(self, url: str, article: str | None, section: str | None) -> Iterator[scrapy.Request]:
        """A document to archive. A list's is asked again only with `full`: a list is read on every run, while an
        article's documents are asked for when the article is."""
        if section is not None and not self.full and url in self.state.documents:
            return
        if self.settings.get("WARC_DIR"):
            meta = {"kind": "attachment", "article": article, "section": section}
            yield scrapy.Request(url, callback=self.parse_attachment, errback=self.failed, priority=-1, meta=meta)

    def parse_attachment(self, response: Response) -> Iterator[object]:
        meta = response.meta
        yield from read_attachment(response, meta.get("warc"), meta.get("article"), meta.get("section"))

    def failed(self, failure: Failure) -> Iterator[CrawlError | scrapy.Request]:
        request = failure.request
        page, section = request.meta.get("page"), self.sections.get(url_key(request.meta.get("section") or ""))
        discovering = request.meta.get("kind") in ("discovery", "sitemap") and not request.meta.get("start")
        if failure.check(HttpError):
            status = failure.value.response.status
            if discovering:
                return
            if page is not None and section is not None and status in (404, 410):
                yield from self._unread(section, request.url, page, status, f"HTTP {status}")
                return
            error = CrawlError(request.url, status, f"HTTP {status}")
        elif failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage():
            if discovering:
                return
            error = CrawlError(request.url, None, "forbidden by robots.txt")
        else:
            error = CrawlError(request.url, None, f"{failure.type.__name__}: {failure.getErrorMessage()}")
        yield error
        if page is not None and section is not None:
            yield from self._list_requests(section, section.walk.lost(page, error.error))
