"""The `wayback` spider: rescue the portal from a web archive's captures when the live site is gone.

Started with a list page (`/Tintuc/?PageIndex=1`, the default) it rescues that list's articles:
1. ask the CDX server, by prefix, for every capture of the portal's articles (`/T/`) and of its news list, a page
   of rows at a time (`scraper.cdx.cdx_query`);
2. read the captured list pages, each page's copies newest first until one reads as the list (`scraper.walk`
   decides which pages): what they link, and the titles their links show;
3. for each article (every variant of its URL folded into one, in the spelling the list's links use), try its
   copies newest first, or the newest at or before `as_of` (`scraper.cdx.article_pages`), until one reads as the
   article (`scraper.captures`); an article listed but absent from the CDX answer is asked of the archive at the
   list page's time. An article of which no capture reads is recorded as lost, with the reasons.

Started with the portal's home page it rescues the whole portal, as the `portal` spider crawls it live: one prefix
query for every capture on the host; discovery (`scraper.discover`) over the newest good captures of the home page
and of the pages it links; each list found is a section, walked as above; its entries are articles or albums
(`scraper.extract.read_item`); the images, photos and documents they show are replayed from their own captures,
the one nearest the entry's capture first. What a captured page lists but no capture holds is recorded as lost.

Each replay is remembered with its verdict (`scraper.rescue_plan`, stored by `archive.rescue`), and a content
(digest) that was not the page is not replayed again under another URL; a re-run replays nothing an earlier one
read. Requests go one at a time to each endpoint (CDX, replay) and none inside a `Retry-After` window
(`scraper.endpoints`). It stays thin: which copy to try next, what a replay shows and what is lost are decided in
`scraper.rescue_plan`, `scraper.cdx` and `scraper.captures`, without Scrapy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.db import crawl_state
from archive.rescue import earlier_reads, wanted_assets
from scraper import captures, cdx
from scraper.article import Album, Article, ExtractionError, ListPage
from scraper.captures import ARTICLE, FILE, GOOD, HOME, LIST
from scraper.discover import Discovery
from scraper.items import (
    CaptureRead,
    CrawlError,
    FetchedAlbum,
    FetchedArticle,
    ListPageRead,
    Section,
    WantedAsset,
)
from scraper.rescue_plan import (
    AssetTries,
    EntryTries,
    Listed,
    Reads,
    Tries,
    asset_tries,
    captured_lists,
    entry_tries,
    listed_on,
    lost,
    wanted_files,
)
from scraper.responses import page_text, read_attachment
from scraper.urls import (
    HOME_URL,
    canonical_article_url,
    is_item_url,
    is_list_url,
    url_key,
)
from scraper.walk import ListWalk, SectionWalk


@dataclass
class _Section(SectionWalk):
    """A list being read from its captures: its captured pages, its section, each page's copies being tried."""

    pages: dict[int, cdx.Page] = field(default_factory=dict)
    info: Section | None = None
    tries: dict[int, Tries] = field(default_factory=dict)


def whole_portal(start_url: str) -> bool:
    """A start that is no list page (the home page) means the whole portal."""
    return not (is_list_url(start_url) or "pageindex=" in start_url.lower())


class WaybackSpider(scrapy.Spider):
    """Archive a portal from web-archive captures (`-a start_url=URL -a cdx_url=URL -a replay_url=URL
    -a as_of=YYYYMMDDhhmmss -a full=1 -a cdx_limit=N`); the defaults ask the Internet Archive."""

    name = "wayback"
    custom_settings: ClassVar[dict] = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    def __init__(
        self,
        start_url: str = HOME_URL,
        cdx_url: str = cdx.IA_CDX_URL,
        replay_url: str = cdx.IA_REPLAY_URL,
        as_of: str | None = None,
        full: bool | str = False,
        cdx_limit: int | str = cdx.PAGE_ROWS,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.cdx_url = cdx_url
        self.replay_url = replay_url
        self.as_of = cdx.parse_timestamp(as_of) if as_of else None
        self.full = str(full).lower() in ("1", "true", "yes")
        self.cdx_limit = int(cdx_limit)
        self.whole = whole_portal(start_url)
        parts = urlsplit(start_url)
        # SURT keys drop a path's trailing slash before its query: `/Tintuc/?PageIndex=2` is `/tintuc?pageindex=2`.
        # The whole portal is one prefix query of the host (articles not collapsed: revisits date their content).
        self.prefixes = (
            {f"{parts.netloc}/": False}
            if self.whole
            else {f"{parts.netloc}/T/": False, f"{parts.netloc}{parts.path.rstrip('/')}": True}
        )
        self.discovery = Discovery(start_url)
        self.captures: list[cdx.Capture] = []
        self.groups: dict[str, list[cdx.Capture]] = {}
        self.sections: dict[str, _Section] = {}
        self.visits: dict[str, Tries] = {}  # pages discovery visits, by url_key
        self.listed: dict[str, Listed] = {}
        self.pending: dict[str, EntryTries] = {}
        self.assets: dict[str, AssetTries] = {}
        self.section_documents: list[WantedAsset] = []
        self.out = 0  # discovery visits and list pages being replayed
        self.articles_started = False
        self.requested: set[str] = set()

    @property
    def walks(self) -> list[ListWalk]:
        return [section.walk for section in self.sections.values()]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        path = self.settings.get("ARCHIVE_DB")
        self.state = crawl_state(path)
        self.reads = Reads({} if self.full else earlier_reads(path))
        self.owed = [] if self.full else wanted_assets(path)
        self.waiting = set(self.prefixes)
        for prefix in sorted(self.prefixes):
            yield self._cdx_request(prefix)

    # -- the CDX

    def _cdx_request(self, prefix: str, resume_key: str | None = None) -> scrapy.Request:
        return scrapy.Request(
            cdx.cdx_query(self.cdx_url, prefix, resume_key, self.cdx_limit, collapse=self.prefixes[prefix]),
            callback=self.parse_cdx,
            errback=self.failed,
            priority=20,
            meta={"prefix": prefix, "endpoint": "cdx", "download_slot": "cdx"},
        )

    def parse_cdx(self, response: Response) -> Iterator[object]:
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

    def _answered(self, prefix: str) -> Iterator[object]:
        """A CDX query is done (or failed for good): once all are, read the list pages (found by discovery over the
        captured home page, for the whole portal), then the entries."""
        self.waiting.discard(prefix)
        if self.waiting:
            return
        if not self.captures:
            where = " and ".join(sorted(self.prefixes))
            yield CrawlError(self.cdx_url, None, f"web archive: no capture of {where} (is --cdx-url right?)")
        self.groups = cdx.by_page(self.captures, self.start_url)
        if self.whole:
            yield from self._visit(self.discovery.begin())
        else:
            section = self._open(self.start_url, None, None)
            yield from self._list_requests(section, section.walk.begin() if section.pages else [])
        yield from self._after_lists()

    # -- replay

    def _replay(self, target: cdx.Capture, callback, priority: int = 0, **meta) -> scrapy.Request:
        return scrapy.Request(
            cdx.replay_url(self.replay_url, target),
            callback=callback,
            errback=self.failed,
            priority=priority,
            dont_filter=True,
            meta={
                "replay_of": target.url,
                "timestamp": target.timestamp,
                "asked": target,
                "endpoint": "replay",
                "download_slot": "replay",
                "capture": True,
                "dont_redirect": True,
                "handle_httpstatus_all": True,
            }
            | meta,
        )

    def _read(self, response: Response) -> scrapy.Request | str | None:
        """What a replay shows: a request when it is a redirect worth following, None for a capture to read, or why
        it is no capture of the thing (a redirect off the portal, an error, a capture not archived)."""
        meta = response.meta
        location = response.headers.get("Location")
        outcome = captures.replay_outcome(
            cdx.Capture(meta["timestamp"], meta["replay_of"], None),
            response.status,
            urljoin(response.url, location.decode("latin-1")) if location else None,
            b"Memento-Datetime" in response.headers,
            self.start_url,
            meta.get("hops", 0),
        )
        if not isinstance(outcome, cdx.Capture):
            return outcome
        known = self.reads.known(outcome)
        if known is not None and known.verdict not in GOOD:
            return known.verdict
        kept = {name: meta[name] for name in ("kind", "key", "page", "candidate", "asked", "at") if name in meta}
        return self._replay(outcome, response.request.callback, hops=meta.get("hops", 0) + 1, **kept)

    @staticmethod
    def _text(response: Response) -> str | None:
        try:
            return page_text(response)
        except ExtractionError:
            return None

    def _record(self, response: Response, verdict: str, **read) -> list[CaptureRead]:
        """Remember what the capture asked for (and the one served, if the archive served another) turned out to be."""
        served = cdx.Capture(self._served_timestamp(response), response.meta["replay_of"], None)
        return self.reads.remember(response.meta["asked"], served, verdict, **read)

    # -- discovery and the list pages: each page's copies newest first until one reads

    def _visit(self, urls: list[str]) -> Iterator[object]:
        """Discovery visits `urls`: each one's good copies newest first, then its captured redirects, newest first (a
        home page that sent to the news list leads there)."""
        for url in urls:
            page = cdx.with_redirects(cdx.numbered_page_of(self.groups, url, self.as_of))
            self.visits[url_key(url)] = Tries(page, self.discovery.titles.get(url_key(url)))
            yield from self._try_page(url, None)

    def _open(self, url: str, info: Section | None, listing: ListPage | None) -> _Section:
        """A list found (the start list, or one discovery found): its captured pages and its walk."""
        pages = cdx.list_pages(self.captures, url, self.as_of)
        first = 1 if listing else min(pages, default=1)
        walk = ListWalk(first=first, available=frozenset(pages) | ({1} if listing else set()))
        folder = listing.folder if listing else None
        section = self.sections[url_key(url)] = _Section(url, walk, folder, pages, info)
        return section

    def _list_requests(self, section: _Section, pages: list[int]) -> Iterator[object]:
        for page in pages:
            section.tries.setdefault(page, Tries(section.pages[page]))
            yield from self._try_page(section.url, page)

    def _tries(self, url: str, page: int | None) -> Tries:
        return self.visits[url_key(url)] if page is None else self.sections[url_key(url)].tries[page]

    def _try_page(self, url: str, page: int | None) -> Iterator[object]:
        """The next copy of a page discovery visits (`page` None) or of page `page` of the list `url` to read (or
        what an earlier run read of it)."""
        tries = self._tries(url, page)
        found = tries.next_copy(self.reads, frozenset((LIST,) if page else (LIST, HOME)))
        if found is None and page is not None:
            section = self.sections[url_key(url)]
            yield from self._list_requests(section, section.walk.lost(page, "no capture reads as the list page"))
        elif found is None:
            yield lost(url, tries, "page")
            if url_key(url) == url_key(self.start_url):  # no good home page: go by what the archive holds
                yield from self._visit(self.discovery.sitemap(captured_lists(self.groups, self.start_url)))
        elif found[1] is None:
            self.out += 1
            yield self._replay(found[0].capture, self.parse_page, 10, at=(url, page))
        else:
            yield from self._page_read(url, page, found[0].seen, listing=found[1].listing, links=found[1].links)

    def parse_page(self, response: Response) -> Iterator[object]:
        url, page = response.meta["at"]
        outcome = self._read(response)
        if isinstance(outcome, scrapy.Request):
            yield outcome
            return
        self.out -= 1
        text = None if outcome else self._text(response)
        verdict, listing, links = outcome or captures.UNREADABLE, None, None
        if text is not None:
            length = captures.declared_length(list(response.headers.to_unicode_dict().items()))
            section = self.sections.get(url_key(url)) if page is not None else None
            # A page discovery visits is read where its captured redirects led, if they did.
            base = (
                self._tries(url, page).page.url
                if page is not None
                else cdx.led_to(url, response.meta["replay_of"], self.start_url)
            )
            folder = section.folder if section else None
            verdict, listing, links = captures.read_page(base, text, response.body, length, folder, visit=page is None)
        seen = self._served_timestamp(response)
        if listing is not None:
            yield from self._record(response, LIST, listing=listing)
            yield from self._page_read(url, page, seen, listing=listing)
        elif links is not None:
            yield from self._record(response, HOME, listing=None, links=links)
            yield from self._page_read(url, page, seen, links=links)
        else:
            self._tries(url, page).reasons.append(verdict)
            yield from self._record(response, verdict, listing=None)
            yield from self._try_page(url, page)
        yield from self._after_lists()

    def _page_read(
        self, url: str, page: int | None, timestamp: str, listing: ListPage | None = None, links=None
    ) -> Iterator[object]:
        """A page read: a list page's entries, or a home-like page's links for discovery to visit."""
        if page is not None:
            yield from self._listed(self.sections[url_key(url)], page, listing, timestamp)
        elif listing is not None:  # discovery found a list (where the visit led: `listing.url`)
            found = canonical_article_url(listing.url)
            self.discovery.found_list(found)
            section = self._open(found, self.discovery.section(found), listing)
            first = section.pages.get(1)
            if first is None or not first.candidates or first.candidates[0].capture.timestamp == timestamp:
                section.tries[1] = self.visits[url_key(url)]
                section.walk.begin()
                yield from self._listed(section, 1, listing, timestamp)
            else:  # the visit read another copy (a redirect led to an older one): page 1 from its own copies
                yield from self._list_requests(section, section.walk.begin())
        else:
            on_site = [(cdx.on_site(target, self.start_url) or target, text) for target, text in links]
            yield from self._visit(self.discovery.home_page(url, on_site))

    def _after_lists(self) -> Iterator[object]:
        """Once no page is being read, the entries (list pages first: their links spell the URLs)."""
        if not self.out and not self.articles_started and not self.waiting:
            yield from self._articles()

    def _listed(self, section: _Section, page: int, listing: ListPage, timestamp: str) -> Iterator[object]:
        """What list page `page` showed: the entries it links, with their titles; then the walk's next pages."""
        following = section.walk.shown(listing)
        shown, documents = listed_on(listing, self.start_url, timestamp, section.url)
        entries = tuple(self.listed.setdefault(cdx.page_key(listed.url), listed).url for listed in shown)
        if page in section.walk.fruitful:
            yield ListPageRead.of(listing, section.info, entries if section.info else ())
        self.section_documents += documents
        yield from self._list_requests(section, following)

    # -- the entries

    def _articles(self) -> Iterator[object]:
        """Every list page read: rescue each entry not archived yet, and the assets owed since an earlier run."""
        self.articles_started = True
        for wanted in [*self.owed, *self.section_documents]:
            yield from self._asset(wanted, recorded=wanted in self.owed)
        linked = {key: listed.url for key, listed in self.listed.items()}
        shape = is_item_url if self.whole else cdx.is_article_url
        pages = cdx.article_pages(self.captures, self.start_url, self.as_of, linked, shape)
        for key in sorted(pages.keys() | self.listed.keys()):
            listed = self.listed.get(key)
            page = pages.get(key) or cdx.Page(listed.url, ())
            if not self.full and page.url in self.state.archived:
                continue
            section = self.sections.get(url_key(listed.section)) if listed and listed.section else None
            self.pending[key] = entry_tries(page, listed, section and section.info, self.whole)
            yield from self._try_article(key)
        self.logger.info("%d captures, %d entries to rescue", len(self.captures), len(self.pending))

    def _try_article(self, key: str) -> Iterator[object]:
        pending = self.pending[key]
        found = pending.next_copy(self.reads, frozenset((ARTICLE,)))  # read before, not stored: replayed again
        if found is None:
            yield lost(pending.page.url, pending, "album" if pending.album else "article")
        else:
            yield self._replay(found[0].capture, self.parse_article, kind=ARTICLE, key=key, candidate=found[0])

    def parse_article(self, response: Response) -> Iterator[object]:
        key = response.meta["key"]
        pending = self.pending[key]
        outcome = self._read(response)
        if isinstance(outcome, scrapy.Request):
            yield outcome
            return
        verdict, entry = outcome, None
        text = None if outcome else self._text(response)
        if text is not None:
            length = captures.declared_length(list(response.headers.to_unicode_dict().items()))
            entry, verdict = captures.read_capture(pending.page.url, text, response.body, length, pending.album)
        if entry is None:
            pending.reasons.append(verdict or captures.UNREADABLE)
            yield from self._record(response, verdict or captures.UNREADABLE)
            yield from self._try_article(key)
            return
        yield from self._stored(response, entry, pending)
        yield from self._record(response, ARTICLE)
        yield from self._entry_assets(response, entry)

    def _stored(self, response: Response, entry: Article | Album, pending: EntryTries) -> Iterator[object]:
        candidate: cdx.Candidate = response.meta["candidate"]
        served = self._served_timestamp(response)
        seen, last = cdx.sighting(candidate, served)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        if self.settings.get("WARC_DIR"):  # owed before the entry is stored: a kill leaves them owed
            yield from wanted_files(entry, served, self.start_url)
        if isinstance(entry, Album):
            yield FetchedAlbum(entry, now, pending.section)
            return
        after = self.as_of and seen > self.as_of
        yield FetchedArticle(
            entry,
            now,
            response.meta.get("warc"),
            cdx.timestamp_to_iso(seen),
            cdx.timestamp_to_iso(self.as_of) if after else None,
            cdx.timestamp_to_iso(last),
        )

    def _entry_assets(self, response: Response, entry: Article | Album) -> Iterator[object]:
        for wanted in wanted_files(entry, self._served_timestamp(response), self.start_url):
            yield from self._asset(wanted, recorded=True)

    # -- images, photos and documents: their own captures, the one nearest the capture that showed them first (or,
    # when the CDX was not asked for them, a list page's rescue, whatever the archive holds nearest that capture)

    def _asset(self, wanted: WantedAsset, recorded: bool) -> Iterator[object]:
        key = url_key(wanted.url)
        if key in self.requested or not self.settings.get("WARC_DIR"):
            return
        self.requested.add(key)
        if not recorded:
            yield wanted
        self.assets[key] = asset_tries(self.groups.get(cdx.page_key(wanted.url), []), wanted, self.whole)
        yield from self._try_asset(key)

    def _try_asset(self, key: str) -> Iterator[object]:
        asset = self.assets[key]
        found = asset.next_copy(self.reads, frozenset((FILE,)))
        if found is None:
            yield lost(asset.wanted.url, asset, asset.wanted.kind)
        elif found[1] is None:  # (a file read before is kept in the WARC files already)
            yield self._replay(found[0].capture, self.parse_asset, -1, kind=asset.wanted.kind, key=key)

    def parse_asset(self, response: Response) -> Iterator[object]:
        key = response.meta["key"]
        asset = self.assets[key]
        outcome = self._read(response)
        if isinstance(outcome, scrapy.Request):
            yield outcome
            return
        if outcome is None:
            kind = response.headers.get("Content-Type", b"").decode("latin-1")
            length = captures.declared_length(list(response.headers.to_unicode_dict().items()))
            outcome = captures.file_reason(kind, response.body, length)
        if outcome:
            asset.reasons.append(outcome)
            yield from self._record(response, outcome)
            yield from self._try_asset(key)
            return
        wanted = asset.wanted
        if wanted.kind == "attachment":
            warc = response.meta.get("warc")
            yield from read_attachment(response, warc, wanted.article_url, wanted.section_url, wanted.url)
        yield from self._record(response, FILE)

    @staticmethod
    def _served_timestamp(response: Response) -> str:
        memento = response.headers.get("Memento-Datetime")
        served = cdx.replayed_timestamp(response.url, memento.decode("latin-1") if memento else None)
        return served or response.meta["timestamp"]

    def failed(self, failure: Failure) -> Iterator[object]:
        """A request the archive would not answer, after retries. A replay is recorded under the page's own URL,
        without a status (a live crawl must not take the archive's failure for the portal's), and the page's next
        copy is tried; a failed CDX query leaves the list pages to find articles."""
        request = failure.request
        url = request.meta.get("replay_of", request.url)
        if failure.check(HttpError):
            yield CrawlError(url, None, f"web archive: HTTP {failure.value.response.status} for {request.url}")
        else:
            yield CrawlError(url, None, f"web archive: {failure.type.__name__}: {failure.getErrorMessage()}")
        meta = request.meta
        if "prefix" in meta:
            yield from self._answered(meta["prefix"])
        elif "at" in meta:
            self.out -= 1
            self._tries(*meta["at"]).reasons.append("not-replayed")
            yield from self._try_page(*meta["at"])
            yield from self._after_lists()
        elif meta.get("kind") == ARTICLE:
            self.pending[meta["key"]].reasons.append("not-replayed")
            yield from self._try_article(meta["key"])
        elif meta.get("key") in self.assets:
            self.assets[meta["key"]].reasons.append("not-replayed")
            yield from self._try_asset(meta["key"])
