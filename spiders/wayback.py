"""The `wayback` spider: rescue the portal from a web archive's captures when the live site is gone.

1. ask the CDX server, by prefix, for every capture of the portal's articles (`/T/`) and of its news list, a page
   of rows at a time (`scraper.cdx.cdx_query`);
2. read the captured list pages, each page's copies newest first until one reads as the list (`scraper.walk`
   decides which pages): what they link, and the titles their links show;
3. for each article (every variant of its URL folded into one, in the spelling the list's links use), try its
   copies newest first, or the newest at or before `as_of` (`scraper.cdx.article_pages`), until one reads as the
   article (`scraper.captures`); an article listed but absent from the CDX answer is asked of the archive at the
   list page's time. An article of which no capture reads is recorded as lost, with the reasons.

Each replay is remembered with its verdict (`archive.rescue`), and a content (digest) that was not the article is
not replayed again under another URL; a re-run replays nothing an earlier one read. Requests go one at a time to
each endpoint (CDX, replay) and none inside a `Retry-After` window (`scraper.endpoints`). It stays thin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.db import crawl_state
from archive.rescue import Read, earlier_reads
from scraper import captures, cdx
from scraper.article import Article, ExtractionError, ListPage
from scraper.extract import parse_list
from scraper.items import CaptureRead, CrawlError, FetchedArticle, ListPageRead, LostArticle
from scraper.responses import image_kept, page_text, portal_images
from scraper.urls import DEFAULT_START_URL, canonical_article_url
from scraper.walk import ListWalk

ARTICLE, LIST = "article", "list"
NEVER_CAPTURED = "never-captured"
MAX_HOPS = 5  # redirects followed from one capture


@dataclass
class _Pending:
    """An article being rescued: its copies to try, the next one, and why those tried were not it."""

    page: cdx.Page
    title: str | None
    next: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Listed:
    url: str
    title: str | None
    timestamp: str


class WaybackSpider(scrapy.Spider):
    """Archive a portal from web-archive captures (`-a start_url=URL -a cdx_url=URL -a replay_url=URL
    -a as_of=YYYYMMDDhhmmss -a full=1 -a cdx_limit=N`); the defaults ask the Internet Archive."""

    name = "wayback"
    custom_settings: ClassVar[dict] = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    def __init__(
        self,
        start_url: str = DEFAULT_START_URL,
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
        parts = urlsplit(start_url)
        # SURT keys drop a path's trailing slash before its query: `/Tintuc/?PageIndex=2` is `/tintuc?pageindex=2`.
        self.prefixes = {f"{parts.netloc}/T/": False, f"{parts.netloc}{parts.path.rstrip('/')}": True}
        self.captures: list[cdx.Capture] = []
        self.listed: dict[str, _Listed] = {}
        self.pending: dict[str, _Pending] = {}
        self.lists_out = 0
        self.articles_started = False
        self.requested: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        path = self.settings.get("ARCHIVE_DB")
        self.state = crawl_state(path)
        self.reads: dict[tuple[str, str], Read] = {} if self.full else earlier_reads(path)
        # A content that was not the page is not the page under any URL: its digest is enough.
        self.bad_digests = {
            r.digest: r.verdict for r in self.reads.values() if r.digest and r.verdict not in (ARTICLE, LIST)
        }
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
        """A CDX query is done (or failed for good): once all are, read the list pages, then the articles."""
        self.waiting.discard(prefix)
        if self.waiting:
            return
        if not self.captures:
            where = " and ".join(sorted(self.prefixes))
            yield CrawlError(self.cdx_url, None, f"web archive: no capture of {where} (is --cdx-url right?)")
        self.lists = cdx.list_pages(self.captures, self.start_url, self.as_of)
        self.list_tried: dict[int, int] = {}
        self.walk = ListWalk(first=min(self.lists, default=1), available=frozenset(self.lists))
        yield from self._list_requests(self.walk.begin() if self.lists else [])
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

    def _known(self, capture: cdx.Capture) -> Read | None:
        """What an earlier read made of `capture` (or of its content under another URL), None if never read."""
        earlier = self.reads.get((capture.url, capture.timestamp))
        if earlier is None and capture.digest in self.bad_digests:
            return Read(capture.digest, self.bad_digests[capture.digest], None)
        return earlier

    def _read(self, response: Response) -> scrapy.Request | tuple[str, str | None]:
        """What a replay shows: a request when it is a redirect worth following, else `("200", text)` for a page to
        read, or `(why, None)` when it is no page (a redirect off the portal, an error, a capture not archived)."""
        meta = response.meta
        if 300 <= response.status < 400 and response.headers.get("Location"):
            location = urljoin(response.url, response.headers["Location"].decode("latin-1"))
            target = cdx.replayed_original(location) or location
            why = captures.redirect_reason(target, self.start_url)
            if why is None and meta.get("hops", 0) >= MAX_HOPS:
                why = "redirect-loop"
            if why:
                return why, None
            capture = cdx.Capture(cdx.replayed_timestamp(location, None) or meta["timestamp"], target, None)
            known = self._known(capture)
            if known is not None and known.verdict not in (ARTICLE, LIST):
                return known.verdict, None
            kept = {name: meta[name] for name in ("kind", "key", "page", "candidate", "asked") if name in meta}
            return self._replay(capture, response.request.callback, hops=meta.get("hops", 0) + 1, **kept)
        if response.status == 404 and b"Memento-Datetime" not in response.headers:
            return captures.NOT_ARCHIVED, None
        if response.status != 200:
            return cdx.row_reason(
                cdx.Capture(meta["timestamp"], meta["replay_of"], response.status)
            ) or "unreadable", None
        try:
            return "200", page_text(response)
        except ExtractionError:
            return captures.UNREADABLE, None

    def _record(self, response: Response, verdict: str, listing: ListPage | None = None) -> Iterator[CaptureRead]:
        """Remember what the capture asked for (and the one served, if the archive served another) turned out to be."""
        asked: cdx.Capture = response.meta["asked"]
        served = cdx.Capture(self._served_timestamp(response), response.meta["replay_of"], None)
        for capture in dict.fromkeys(
            [asked, served] if served.url != asked.url or served.timestamp != asked.timestamp else [asked]
        ):
            self.reads[(capture.url, capture.timestamp)] = Read(capture.digest, verdict, listing)
            yield CaptureRead(capture.url, capture.timestamp, capture.digest, verdict, listing)
        if asked.digest and verdict not in (ARTICLE, LIST, captures.NOT_ARCHIVED, captures.OFF_SITE):
            self.bad_digests[asked.digest] = verdict

    # -- the list pages

    def _list_requests(self, pages: list[int]) -> Iterator[scrapy.Request | ListPageRead | CaptureRead]:
        for page in pages:
            yield from self._try_list(page)

    def _after_lists(self) -> Iterator[scrapy.Request | FetchedArticle | CaptureRead | LostArticle]:
        """Once no list page is being read, the articles (list pages first: their links spell the URLs)."""
        if not self.lists_out and not self.articles_started:
            yield from self._articles()

    def _try_list(self, page: int) -> Iterator[scrapy.Request | ListPageRead | CaptureRead]:
        """The next copy of list page `page` to read (or what an earlier run read of it)."""
        copies = self.lists[page].candidates
        while (index := self.list_tried.get(page, 0)) < len(copies):
            self.list_tried[page] = index + 1
            known = self._known(copies[index].capture)
            if known is None:
                self.lists_out += 1
                yield self._replay(copies[index].capture, self.parse_list, priority=10, page=page)
                return
            if known.verdict == LIST and known.listing:
                yield from self._listed(page, known.listing, copies[index].seen)
                return
        yield from self._list_requests(self.walk.lost(page, "no capture reads as the list page"))

    def parse_list(self, response: Response) -> Iterator[scrapy.Request | CrawlError | ListPageRead | CaptureRead]:
        page = response.meta["page"]
        outcome = self._read(response)
        if isinstance(outcome, scrapy.Request):
            yield outcome
            return
        verdict, text = outcome
        self.lists_out -= 1
        listing = None
        if text is not None:
            try:
                listing = parse_list(text, self.lists[page].url)
            except ExtractionError:
                verdict = captures.sign_of(text) or captures.UNREADABLE
        if listing is None:
            yield from self._record(response, verdict)
            yield from self._try_list(page)
        else:
            yield from self._record(response, LIST, listing)
            yield from self._listed(page, listing, self._served_timestamp(response))
        yield from self._after_lists()

    def _listed(self, page: int, listing: ListPage, timestamp: str) -> Iterator[scrapy.Request | ListPageRead]:
        """What list page `page` showed: the articles it links, with their titles; then the walk's next pages."""
        following = self.walk.shown(listing)
        if page in self.walk.fruitful:
            yield ListPageRead(
                listing.url, listing.page, listing.declared_total, listing.page_size, len(listing.article_urls)
            )
        titles = listing.article_titles or (None,) * len(listing.article_urls)
        for url, title in zip(listing.article_urls, titles, strict=True):
            on_site = canonical_article_url(cdx.on_site(url, self.start_url) or url)
            self.listed.setdefault(cdx.page_key(on_site), _Listed(on_site, title or None, timestamp))
        yield from self._list_requests(following)

    # -- the articles

    def _articles(self) -> Iterator[scrapy.Request | FetchedArticle | CaptureRead | LostArticle]:
        """Every list page read: rescue each article not archived yet."""
        self.articles_started = True
        linked = {key: listed.url for key, listed in self.listed.items()}
        pages = cdx.article_pages(self.captures, self.start_url, self.as_of, linked)
        for key in sorted(pages.keys() | self.listed.keys()):
            listed = self.listed.get(key)
            page = pages.get(key) or cdx.Page(listed.url, ())
            if not self.full and page.url in self.state.archived:
                continue
            if not page.candidates and listed:  # listed, not in the CDX answer: asked at the list page's time
                probe = cdx.Capture(listed.timestamp, listed.url, None)
                page = replace(page, candidates=(cdx.Candidate(probe, listed.timestamp),))
            self.pending[key] = _Pending(page, listed.title if listed else None)
            self.pending[key].reasons.extend(reason for _, reason in page.rejected)
            yield from self._try_article(key)
        self.logger.info("%d captures, %d articles to rescue", len(self.captures), len(self.pending))

    def _try_article(self, key: str) -> Iterator[scrapy.Request | LostArticle]:
        pending = self.pending[key]
        copies = pending.page.candidates
        while pending.next < len(copies):
            candidate = copies[pending.next]
            pending.next += 1
            known = self._known(candidate.capture)
            if known is None or known.verdict == ARTICLE:
                yield self._replay(candidate.capture, self.parse_article, kind=ARTICLE, key=key, candidate=candidate)
                return
            pending.reasons.append(known.verdict)
        reasons = [NEVER_CAPTURED if r == captures.NOT_ARCHIVED else r for r in pending.reasons] or [NEVER_CAPTURED]
        captured = len(copies) + len(pending.page.rejected) - (NEVER_CAPTURED in reasons)
        yield LostArticle(pending.page.url, pending.title, tuple(sorted(set(reasons))), max(captured, 0))

    def parse_article(
        self, response: Response
    ) -> Iterator[scrapy.Request | FetchedArticle | CaptureRead | LostArticle]:
        key = response.meta["key"]
        pending = self.pending[key]
        outcome = self._read(response)
        if isinstance(outcome, scrapy.Request):
            yield outcome
            return
        verdict, text = outcome
        article = None
        if text is not None:
            length = captures.declared_length(list(response.headers.to_unicode_dict().items()))
            article, verdict = captures.read_capture(pending.page.url, text, response.body, length)
        if article is None:
            pending.reasons.append(verdict)
            yield from self._record(response, verdict)
            yield from self._try_article(key)
            return
        yield from self._stored(response, article)
        yield from self._record(response, ARTICLE)

    def _stored(self, response: Response, article: Article) -> Iterator[FetchedArticle | scrapy.Request]:
        candidate: cdx.Candidate = response.meta["candidate"]
        served = self._served_timestamp(response)
        seen = candidate.seen if served == candidate.capture.timestamp else served
        after = self.as_of and seen > self.as_of
        yield FetchedArticle(
            article,
            datetime.now(UTC).replace(microsecond=0).isoformat(),
            response.meta.get("warc"),
            cdx.timestamp_to_iso(seen),
            cdx.timestamp_to_iso(self.as_of) if after else None,
        )
        if self.settings.get("WARC_DIR"):
            # The article's images as the archive kept them closest to the article's capture, into the WARC files.
            for url in portal_images(article):
                if url not in self.requested:
                    self.requested.add(url)
                    image = cdx.Capture(served, url, None)
                    yield self._replay(image, image_kept, -1, dont_redirect=False, handle_httpstatus_all=False)

    @staticmethod
    def _served_timestamp(response: Response) -> str:
        memento = response.headers.get("Memento-Datetime")
        served = cdx.replayed_timestamp(response.url, memento.decode("latin-1") if memento else None)
        return served or response.meta["timestamp"]

    def failed(self, failure: Failure) -> Iterator[CrawlError | scrapy.Request | LostArticle]:
        """A request the archive would not answer, after retries. A replay is recorded under the page's own URL,
        without a status (a live crawl must not take the archive's failure for the portal's), and the page's next
        copy is tried; a failed CDX query leaves the list pages to find articles."""
        request = failure.request
        url = request.meta.get("replay_of", request.url)
        if failure.check(HttpError):
            yield CrawlError(url, None, f"web archive: HTTP {failure.value.response.status} for {request.url}")
        else:
            yield CrawlError(url, None, f"web archive: {failure.type.__name__}: {failure.getErrorMessage()}")
        if "prefix" in request.meta:
            yield from self._answered(request.meta["prefix"])
        elif "page" in request.meta:
            self.lists_out -= 1
            yield from self._try_list(request.meta["page"])
            yield from self._after_lists()
        elif request.meta.get("kind") == ARTICLE:
            self.pending[request.meta["key"]].reasons.append("not-replayed")
            yield from self._try_article(request.meta["key"])
