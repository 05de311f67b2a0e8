"""What the Internet Archive holds of the replica portal: captures at several dates, and the truth about them.

`build(options)` crawls the replica portal (its generator and page renderers, not its server) as the Wayback
Machine did: the news list and articles as they stood on each crawl date (`DATES`, UTC), images, the home page,
the province's portal. The mess is seeded and recorded in `Truth`:

- the move from `http://huyendienbien.gov.vn` to `https://www.huyendienbien.gov.vn` on `MOVED`: a capture of an
  `http://` URL after it is a 301 to the `https://www.` URL, whose own capture follows seconds later (or never);
  (another portal, `build(origin=…, moved_to=None)`, may never have moved);
- URL variants: `/T/SLUG`, `/T/SLUG?PageIndex=N` (the page the list showed it on), `/t/slug`;
- captures that are not the page: soft-404 "Không tìm thấy trang" (200), "Server Error in '/' Application." (200 or
  500), a login page (200), truncated bodies (cut after the date, or mid-tag; `Content-Length` says the full size);
- after the shutdown (1 July 2025): every URL answers a notice "… đã dừng hoạt động …" (200), a 302 to the
  province's portal, or a parked-domain page (200);
- revisits: a capture whose payload equals the previous capture of the same urlkey is a `warc/revisit` record;
- edits: some articles gain a paragraph on a date, so captures before and after differ;
- fates: some articles listed on captured list pages are never captured, some only as bad captures.

With `whole=True` the archive holds the whole replica portal (`replica.portal`) too: its home page (not the 302 to
`/Tintuc/` of the news-only holdings), the sub-sites' home pages, every page of every section (`/ThongBao/`, the
sub-sites' lists, the photo library; the newest pre-shutdown capture of `/ThongBao/` is cut short), their entries
with the same fates and defects as articles, the photos of good album captures and the images of good article
captures (most of them), the documents (the decision, the scanned PDF and the broken one captured; the report
never; the plan only as the dead site), the map page; the admin login page it links, never. `Truth.whole` says
what of it is recoverable.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import random
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cached_property
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import surt

from replica import portal as whole_portal
from replica.corpus import generate
from replica.images import image_for
from replica.model import SITE, VN_TZ, Album, Article, Document, Section, collapse
from replica.pages import PAGE_SIZE, page_count, render_album, render_article, render_home, render_list
from replica.server import BANNER_HOME, MAP_SECTION, NOT_FOUND, SERVER_ERROR

OLD = SITE  # http://huyendienbien.gov.vn
NEW = "https://www.huyendienbien.gov.vn"
PROVINCE = "https://dienbien.gov.vn/"
MOVED = datetime(2022, 3, 1, tzinfo=UTC)
SHUTDOWN = datetime(2025, 7, 1, tzinfo=VN_TZ)
DATES = tuple(
    datetime(*day, 3, 0, tzinfo=UTC)
    for day in ((2019, 5, 14), (2021, 3, 9), (2023, 8, 21), (2024, 6, 17), (2025, 6, 20), (2025, 8, 12), (2026, 3, 3))
)
EDIT_NOTE = "Cập nhật: Ủy ban nhân dân huyện đã bổ sung số liệu và kết quả thực hiện mới nhất."

# Why a capture does not read as the page it is a capture of.
NOTICE, PROVINCE_REDIRECT, PARKED = "notice", "province-redirect", "parked"
SOFT_404, SERVER_ERROR_PAGE, LOGIN, TRUNCATED = "soft-404", "server-error", "login", "truncated"
REDIRECT, GONE = "redirect", "not-found"  # the 301 of the scheme move; the portal's own 404

NOTICE_PAGE = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thông báo</title></head><body>'
    '<div class="thong-bao"><h1>THÔNG BÁO</h1><p>Cổng thông tin điện tử huyện Điện Biên đã dừng hoạt động kể từ '
    "ngày 01/7/2025, thực hiện chủ trương sắp xếp đơn vị hành chính, kết thúc hoạt động cấp huyện.</p>"
    '<p>Mời quý bạn đọc truy cập <a href="https://dienbien.gov.vn/">Cổng thông tin điện tử tỉnh Điện Biên</a>.</p>'
    "</div></body></html>"
)
PARKED_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>huyendienbien.gov.vn</title>'
    '<script src="/static/parking.js"></script></head><body><h1>huyendienbien.gov.vn</h1>'
    "<p>This domain is parked. Tên miền này đang tạm ngừng sử dụng.</p>"
    "<ul><li>Du lịch Điện Biên</li><li>Đặc sản Tây Bắc</li><li>Khách sạn giá rẻ</li></ul></body></html>"
)
LOGIN_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Đăng nhập hệ thống</title></head><body>'
    '<form method="post" action="/Login.aspx?ReturnUrl={back}" id="form1">'
    '<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk"/><h2>Đăng nhập</h2>'
    '<label>Tên đăng nhập</label><input name="txtUser"/><label>Mật khẩu</label><input type="password" name="txtPass"/>'
    '<input type="submit" value="Đăng nhập"/></form></body></html>'
)
PROVINCE_PAGE = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Cổng thông tin điện tử tỉnh Điện Biên</title>'
    "</head><body><h1>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH ĐIỆN BIÊN</h1><ul><li>"
    '<a href="/portal/pages/tin-tuc.aspx">Tin tức - Sự kiện</a></li></ul></body></html>'
)
MOVED_PAGE = (
    '<head><title>Document Moved</title></head><body><h1>Object Moved</h1>This document may be found <a HREF="{to}">'
    "here</a></body>"
)


def urlkey(url: str) -> str:
    """The CDX urlkey of `url`: SURT, lower-cased, `www.` and default port dropped, query sorted."""
    return surt.surt(url)


def timestamp(when: datetime) -> str:
    """A 14-digit archive timestamp (UTC)."""
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def parse_timestamp(value: str) -> datetime:
    """A 14-digit timestamp as a UTC datetime."""
    return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


@dataclass(frozen=True, eq=False)
class Capture:
    """One capture: the HTTP response to a GET of `original` at `timestamp`, with what it is (`kind`, `slug`,
    `page`) and, when it does not read as that page, why (`defect`). A revisit has no body of its own."""

    timestamp: str
    original: str
    status: int
    mimetype: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    kind: str  # article | list | image | home | province | album | photo | document | page
    defect: str | None = None
    slug: str | None = None
    page: int | None = None
    article: Article | Album | None = None  # the article (or album) as this capture shows it
    revisit_of: Capture | None = None

    @cached_property
    def urlkey(self) -> str:
        return urlkey(self.original)

    @property
    def payload(self) -> bytes:
        """The body replay gives: a revisit's is its original's."""
        return self.revisit_of.body if self.revisit_of else self.body

    @cached_property
    def digest(self) -> str:
        """Base32 SHA-1 of the payload, as the CDX gives it."""
        return base64.b32encode(hashlib.sha1(self.payload).digest()).decode()

    @cached_property
    def length(self) -> int:
        """Size of the gzipped WARC record (a revisit record holds only headers)."""
        kind = "revisit" if self.revisit_of else "response"
        head = f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {self.original}\r\nWARC-Date: {self.timestamp}\r\n"
        http = f"HTTP/1.1 {self.status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in self.headers) + "\r\n"
        return len(gzip.compress((head + http).encode() + self.body, mtime=0))

    @property
    def location(self) -> str | None:
        """The absolute target of a redirect capture."""
        value = next((v for k, v in self.headers if k.lower() == "location"), None)
        return urljoin(self.original, value) if value else None

    @cached_property
    def row(self) -> tuple[str, ...]:
        """The CDX row: urlkey, timestamp, original, mimetype, statuscode, digest, length."""
        mimetype, status = ("warc/revisit", "-") if self.revisit_of else (self.mimetype, str(self.status))
        return (self.urlkey, self.timestamp, self.original, mimetype, status, self.digest, str(self.length))

    @cached_property
    def line(self) -> str:
        """The CDX line; the index is sorted by it."""
        return " ".join(self.row)


@dataclass(frozen=True)
class Seen:
    """A capture as the truth records it: `defect` None means it reads as the page (a revisit of a good capture
    is good, and replays the bytes of `content_timestamp`)."""

    timestamp: str
    url: str
    statuscode: str
    defect: str | None
    content_timestamp: str
    article: Article | Album | None = None  # the article (or album) as shown, for a good capture of one
    page: int | None = None  # the list page, for a list capture
    digest: str = ""  # the payload's, as the CDX gives it


@dataclass(frozen=True)
class ArticleTruth:
    """Everything the archive holds of one article, and what a rescue should make of it."""

    slug: str
    title: str
    published: datetime | None
    captures: tuple[Seen, ...]  # every capture of its URLs, oldest first
    listed_at: tuple[str, ...]  # timestamps of good list-page captures that link it
    path: str = ""  # its path on the portal (`/T/SLUG`, `/vanhoa/Tintuc/View/Slug`, `/ThuVienAnh/View/Slug`)

    @property
    def good(self) -> tuple[Seen, ...]:
        return tuple(seen for seen in self.captures if seen.defect is None)

    @property
    def newest(self) -> Seen | None:
        """The newest capture that reads as the article (may be a revisit)."""
        return self.good[-1] if self.good else None

    @property
    def lost(self) -> str | None:
        """None when rescuable; `never-captured` or `only-bad` otherwise."""
        if self.good:
            return None
        return "only-bad" if self.captures else "never-captured"

    @property
    def reasons(self) -> tuple[str, ...]:
        """The defects of its bad captures, each once, sorted."""
        return tuple(sorted({seen.defect for seen in self.captures if seen.defect}))

    def last_seen(self, chosen: Seen) -> str:
        """When the archive last saw the content of `chosen` (a good capture): its newest capture of that digest."""
        return max(seen.timestamp for seen in self.captures if seen.digest == chosen.digest)

    def as_of(self, ts: str) -> tuple[Seen | None, bool]:
        """The newest good capture at or before `ts` (14 digits); else the earliest after, flagged True."""
        before = [seen for seen in self.good if seen.timestamp <= ts]
        if before:
            return before[-1], False
        after = [seen for seen in self.good if seen.timestamp > ts]
        return (after[0], True) if after else (None, False)


@dataclass(frozen=True)
class DateTruth:
    """The news list on one crawl date: how many pages the portal had, what each listed, which were captured."""

    date: str  # YYYYMMDD
    pages: int  # 0 after the shutdown
    slugs: tuple[tuple[str, ...], ...]  # slugs[page - 1]: what that page listed
    captures: tuple[Seen, ...]  # list-page captures on that date (good or not), by page


@dataclass(frozen=True)
class EditTruth:
    """An article edited on `edited_at`: captures before it show `before`, captures after it `after`."""

    slug: str
    edited_at: datetime
    before: Article
    after: Article


@dataclass(frozen=True)
class FileTruth:
    """An image, photo or document of the whole portal: every capture of its URL, oldest first."""

    path: str
    captures: tuple[Seen, ...]
    document: Document | None = None

    @property
    def good(self) -> tuple[Seen, ...]:
        return tuple(seen for seen in self.captures if seen.defect is None)


@dataclass(frozen=True)
class WholeTruth:
    """The whole portal in the archive: the portal itself (`replica.portal.Portal`), the captures of its home-like
    pages and of each section's pages (by path), its albums (by slug, as `ArticleTruth`; their articles are in
    `Truth.articles`), and its files (photos, images, documents, by path)."""

    portal: whole_portal.Portal
    pages: dict[str, tuple[Seen, ...]]  # home-like pages and the admin login page, by path
    sections: dict[str, tuple[Seen, ...]]  # every capture of each section's list pages, by the section's path
    albums: dict[str, ArticleTruth]
    files: dict[str, FileTruth]

    def section_of(self, path: str) -> Section:
        return next(section for section in self.portal.sections if section.path == path)


@dataclass(frozen=True)
class Truth:
    """Ground truth: per article (by slug, portal order), per crawl date, edits, images (by path), and the whole
    portal when it was captured (`whole`)."""

    articles: dict[str, ArticleTruth]
    dates: tuple[DateTruth, ...]
    edits: dict[str, EditTruth]
    images: dict[str, tuple[Seen, ...]]
    whole: WholeTruth | None = None

    @property
    def rescuable(self) -> list[ArticleTruth]:
        return [truth for truth in self.articles.values() if truth.lost is None]

    @property
    def lost(self) -> dict[str, str]:
        """slug → `never-captured` / `only-bad`, for every article without a good capture."""
        return {slug: truth.lost for slug, truth in self.articles.items() if truth.lost}


@dataclass(frozen=True)
class Holdings:
    """The captures (in CDX order) and the truth about them."""

    captures: tuple[Capture, ...]
    truth: Truth
    articles: tuple[Article, ...] = field(repr=False, default=())


def _headers(when: str, content_type: str, length: int, server: str = "iis") -> tuple[tuple[str, str], ...]:
    date = format_datetime(parse_timestamp(when), usegmt=True)
    if server == "nginx":
        return (("Server", "nginx"), ("Date", date), ("Content-Type", content_type), ("Content-Length", str(length)))
    return (
        ("Cache-Control", "private"),
        ("Content-Type", content_type),
        ("Server", "Microsoft-IIS/8.5"),
        ("X-AspNet-Version", "4.0.30319"),
        ("X-Powered-By", "ASP.NET"),
        ("Date", date),
        ("Content-Length", str(length)),
    )


HTML = "text/html; charset=utf-8"


class _Crawl:
    """Builds the captures, seeded; `captures` grows in the order they are made."""

    def __init__(
        self,
        n_articles: int,
        seed: int,
        theme: str,
        dates: tuple[datetime, ...],
        origin: str,
        moved_to: str | None,
        whole: bool,
    ) -> None:
        self.rng = random.Random(f"wayback/{seed}")
        self.theme = theme
        self.old, self.new = origin, moved_to or origin
        self.dates = dates
        self.articles = generate(n_articles, seed)
        self.portal = whole_portal.build(self.articles, seed) if whole else None
        self._keys = [-article.published.timestamp() for article in self.articles]
        self._index = {article.slug: index for index, article in enumerate(self.articles)}
        self._later_dead = [d for d in dates if d >= SHUTDOWN][1:2]  # from then on, the parked page too
        self.captures: list[Capture] = []
        self._by_key: dict[str, list[Capture]] = {}
        self.edits = self._choose_edits()

    def _choose_edits(self) -> dict[str, EditTruth]:
        edits = {}
        for article in self.articles:
            start = article.published + timedelta(days=30)
            if self.rng.random() < 0.12 and start < datetime(2025, 5, 1, tzinfo=UTC):
                when = start + (datetime(2025, 6, 1, tzinfo=UTC) - start) * self.rng.random()
                after = replace(
                    article,
                    blocks=(*article.blocks, EDIT_NOTE),
                    expected=replace(article.expected, paragraphs=(*article.expected.paragraphs, collapse(EDIT_NOTE))),
                )
                edits[article.slug] = EditTruth(article.slug, when.replace(microsecond=0), article, after)
        return edits

    def listed(self, when: datetime) -> list[Article]:
        """The news list at `when`: the articles published before it, newest first."""
        return self.articles[bisect_right(self._keys, -when.timestamp()) :]

    def list_page_of(self, article: Article, when: datetime) -> int:
        """The list page showing `article` at `when`."""
        return (self._index[article.slug] - bisect_right(self._keys, -when.timestamp())) // PAGE_SIZE + 1

    def version(self, article: Article, when: datetime) -> Article:
        edit = self.edits.get(article.slug)
        return edit.after if edit and edit.edited_at <= when else article

    # -- recording

    def add(self, url: str, when: datetime, status: int, content_type: str, body: bytes, kind: str, **kw) -> Capture:
        """Record a capture at the first free second from `when`; a payload equal to the previous capture's of
        the same urlkey becomes a revisit of it (as deduplicating crawlers write)."""
        key = urlkey(url)
        held = self._by_key.setdefault(key, [])
        taken = {capture.timestamp for capture in held}
        while timestamp(when) in taken:
            when += timedelta(seconds=1)
        ts = timestamp(when)
        full = kw.pop("full_length", len(body))
        headers = _headers(ts, content_type, full, kw.pop("server", "iis")) + kw.pop("extra", ())
        earlier = [capture for capture in held if capture.timestamp < ts]
        previous = max(earlier, key=lambda capture: capture.timestamp) if earlier else None
        capture = Capture(ts, url, status, content_type.split(";")[0], headers, body, kind, **kw)
        if previous and previous.payload == body and previous.status == status and self.rng.random() < 0.85:
            original = previous.revisit_of or previous
            capture = replace(capture, body=b"", revisit_of=original, defect=original.defect, article=original.article)
        held.append(capture)
        self.captures.append(capture)
        return capture

    def fetch(self, url: str, when: datetime, kind: str, make, must: bool = False, **kw) -> Capture | None:
        """Capture `url` at `when`; `make(url, when)` gives (status, content type, body, defect, extra kw).
        An old-origin URL between the move and the shutdown is a 301 to the new origin, then (mostly) the target."""
        if self.new != self.old and url.startswith(self.old) and MOVED <= when < SHUTDOWN:
            target = self.new + url[len(self.old) :]
            moved = MOVED_PAGE.format(to=target).encode()
            self.add(url, when, 301, HTML, moved, kind, defect=REDIRECT, extra=(("Location", target),), **kw)
            if not must and self.rng.random() < 0.25:
                return None
            url, when = target, when + timedelta(seconds=self.rng.randint(1, 40))
        status, content_type, body, defect, extra = make(url, when)
        return self.add(url, when, status, content_type, body, kind, defect=defect, **kw, **extra)

    # -- what the portal answered

    def dead(self, url: str, when: datetime):
        """After the shutdown: the notice, a 302 to the province, or the parked page."""
        first = not self._later_dead or when < self._later_dead[0]
        mode = self.rng.choices((NOTICE, PROVINCE_REDIRECT, PARKED), (6, 3, 0) if first else (3, 3, 4))[0]
        if mode == NOTICE:
            return 200, HTML, NOTICE_PAGE.encode(), NOTICE, {}
        if mode == PARKED:
            return 200, "text/html; charset=UTF-8", PARKED_PAGE.encode(), PARKED, {"server": "nginx"}
        moved = (
            f'<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="{PROVINCE}">here</a>.'
        )
        return (
            302,
            HTML,
            (moved + "</h2></body></html>").encode(),
            PROVINCE_REDIRECT,
            {"extra": (("Location", PROVINCE),)},
        )

    def broken(self, defect: str, url: str, good: bytes):
        """A capture of `url` that is not the page: soft-404, server error, login page, or `good` cut short."""
        if defect == SOFT_404:
            return 200, HTML, NOT_FOUND.encode(), defect, {}
        if defect == SERVER_ERROR_PAGE:
            return self.rng.choice((200, 500)), HTML, SERVER_ERROR.encode(), defect, {}
        if defect == LOGIN:
            return 200, HTML, LOGIN_PAGE.format(back=quote(urlsplit(url).path, safe="")).encode(), defect, {}
        return 200, HTML, self.truncate(good), TRUNCATED, {"full_length": len(good)}

    def truncate(self, body: bytes) -> bytes:
        """Cut between the date and the author (or the other-news box): mid-text, or mid-tag; else half-way."""

        def find(label: str, start: int = 0) -> int:
            spots = (body.find(unicodedata.normalize(form, label).encode(), start) for form in ("NFC", "NFD"))
            return max(spots)

        begin = find("Thời gian đăng")
        end = find("Tác giả:", max(begin, 0))
        end = end if end >= 0 else find("Các tin bài khác", max(begin, 0))
        if begin < 0 or end <= begin + 80:
            return body[: len(body) // 2]
        cut = self.rng.randrange(begin + 60, end)
        if self.rng.random() < 0.5:  # mid-tag: just after a `<`
            tag = body.rfind(b"<", begin + 60, cut)
            cut = tag + self.rng.randint(1, 3) if tag > 0 else cut
        return body[:cut]

    def article_page(self, article: Article, defect: str | None, section: Section | None = None):
        def make(url: str, when: datetime):
            if when >= SHUTDOWN:
                return self.dead(url, when)
            if "dead-link" in article.quirks:
                return 404, HTML, NOT_FOUND.encode(), GONE, {}
            query = dict((k.lower(), v) for k, v in parse_qsl(urlsplit(url).query))
            page = int(query.get("pageindex", "1"))
            shown = self.version(article, when)
            if section is None:
                body = render_article(self.listed(when), shown, page, self.theme, self.old).encode()
            else:
                body = render_article(section.articles, shown, page, self.theme, self.old, section).encode()
            if defect:
                return self.broken(defect, url, body)
            return 200, HTML, body, None, {"article": shown}

        return make

    def list_page(self, page: int, defect: str | None):
        def make(url: str, when: datetime):
            if when >= SHUTDOWN:
                return self.dead(url, when)
            body = render_list(self.listed(when), page, self.theme).encode()
            return self.broken(defect, url, body) if defect else (200, HTML, body, None, {})

        return make

    # -- the crawl plan

    def host(self, when: datetime, stale: float = 0.0) -> str:
        """The origin a crawler reached the portal at: the old one before the move; after, the new one, or the old
        one from an old link (share `stale`)."""
        return self.old if when < MOVED or self.rng.random() < stale else self.new

    def bad_defect(self) -> str:
        return self.rng.choices((SOFT_404, SERVER_ERROR_PAGE, LOGIN, TRUNCATED), (25, 25, 15, 35))[0]

    def crawl_article(self, article: Article, section: Section | None = None, fate: str | None = None) -> None:
        """Captures of one article's URLs: on some crawl dates and soon after it appeared, a few of them bad
        (all of them for an `only-bad` article, none for a `never` one), then some after the shutdown.
        `section`: the section of the whole portal whose article it is (None: the news list's)."""
        rng = self.rng
        fate = fate or (
            "only-bad" if "dead-link" in article.quirks else rng.choices(("normal", "never", "only-bad"), (86, 7, 7))[0]
        )
        if fate == "never":
            return
        times = [d + timedelta(minutes=rng.randint(0, 600)) for d in self.dates if article.published < d < SHUTDOWN]
        times = [when for when in times if rng.random() < 0.5]
        if rng.random() < 0.35 or not times:
            times.append(article.published.astimezone(UTC) + timedelta(days=rng.uniform(0.5, 15)))
        times = sorted(when.replace(microsecond=0) for when in times)
        alive = [index for index, when in enumerate(times) if when < SHUTDOWN]
        defects: list[str | None] = [None if rng.random() < 0.8 else self.bad_defect() for _ in times]
        forced = None
        if fate == "only-bad":
            defects = [self.bad_defect() for _ in times]
        elif alive and all(defects[index] for index in alive):
            forced = rng.choice(alive)
            defects[forced] = None
        if "flaky-500" in article.quirks and len(alive) > 1:
            defects[alive[0]] = SERVER_ERROR_PAGE
        urls: list[str] = []
        for index, (when, defect) in enumerate(zip(times, defects, strict=True)):
            url = self.host(when, stale=0.25) + self.variant(article, when, section)
            urls.append(url)
            make = self.article_page(article, defect, section)
            capture = self.fetch(url, when, "article", make, must=index == forced, slug=article.slug)
            if capture and capture.defect is None and not capture.revisit_of:
                self.crawl_images(article, capture)
                later = when + timedelta(hours=rng.randint(2, 20))
                same = self.version(article, later) is capture.article and (
                    section is not None or self.listed(later) == self.listed(when)
                )
                if rng.random() < 0.2 and same and later < SHUTDOWN:
                    self.add(url, later, 200, HTML, capture.body, "article", slug=article.slug, article=capture.article)
        for index, when in enumerate(d for d in self.dates if d >= SHUTDOWN):
            if rng.random() < (0.6 if index == 0 else 0.45) or (fate == "only-bad" and not alive):
                url = rng.choice(urls) if urls and rng.random() < 0.7 else self.new + article.path
                when = when + timedelta(minutes=rng.randint(0, 900))
                self.fetch(url, when, "article", self.article_page(article, None, section), slug=article.slug)

    def variant(self, article: Article, when: datetime, section: Section | None = None) -> str:
        """The path as the crawler found it: canonical, with the list page's `?PageIndex=`, or lower-cased."""
        roll = self.rng.random()
        if roll < 0.55:
            return article.path
        page = self.list_page_of(article, when) if section is None else section.articles.index(article) // 10 + 1
        if roll < 0.85:
            return f"{article.path}?PageIndex={page}"
        return article.path.lower() + (f"?PageIndex={page}" if roll < 0.9 else "")

    def crawl_images(self, article: Article, page: Capture) -> None:
        """The images of a good article capture, fetched soon after it (most of them)."""
        for image in article.images:
            if self.rng.random() < 0.85:
                url = urljoin(page.original, image.src)
                content_type, body = image_for(urlsplit(url).path)
                when = parse_timestamp(page.timestamp) + timedelta(seconds=self.rng.randint(5, 90))
                self.fetch(url, when, "image", lambda u, w, c=content_type, b=body: (200, c, b, None, {}), must=True)

    def crawl_lists(self) -> list[DateTruth]:
        dates = []
        last_pre = max((d for d in self.dates if d < SHUTDOWN), default=None)
        for date in self.dates:
            listed = self.listed(date) if date < SHUTDOWN else []
            pages = page_count(len(listed)) if listed else 0
            slugs = tuple(
                tuple(a.slug for a in listed[(p - 1) * PAGE_SIZE : p * PAGE_SIZE]) for p in range(1, pages + 1)
            )
            home_when = date - timedelta(minutes=5)
            if date < SHUTDOWN and self.portal:
                home = self.good(render_home(BANNER_HOME, self.portal.home(), self.theme).encode())
                self.fetch(self.host(date) + "/", home_when, "home", home, must=True)
            elif date < SHUTDOWN:
                home = self.host(date) + "/"
                self.add(home, home_when, 302, HTML, b"", "home", defect=REDIRECT, extra=(("Location", "/Tintuc/"),))
            else:
                self.fetch(self.new + "/", home_when, "home", self.dead)
                self.fetch(self.old + "/", home_when + timedelta(seconds=30), "home", self.dead)
            if date >= datetime(2023, 1, 1, tzinfo=UTC):
                self.add(PROVINCE, date - timedelta(minutes=20), 200, HTML, PROVINCE_PAGE.encode(), "province")
            seen = []
            for page in range(1, (pages or 3) + 1):
                if date != last_pre and self.rng.random() < 0.25:
                    continue
                defect = (
                    None
                    if date == last_pre or self.rng.random() < 0.88
                    else self.rng.choice((TRUNCATED, SERVER_ERROR_PAGE))
                )
                path = "/Tintuc/" if page == 1 and self.rng.random() < 0.5 else f"/Tintuc/?PageIndex={page}"
                path = path.lower() if self.rng.random() < 0.1 else path
                when = date + timedelta(seconds=20 * page)
                url = self.host(date, stale=0.1) + path
                capture = self.fetch(url, when, "list", self.list_page(page, defect), must=True, page=page)
                assert capture is not None
                seen.append(capture)
            dates.append(DateTruth(f"{date:%Y%m%d}", pages, slugs, tuple(_seen(c) for c in seen)))
        return dates

    # -- the whole portal around the news list

    def good(self, body: bytes, **extra):
        return lambda url, when: (200, HTML, body, None, extra)

    def alive(self) -> list[datetime]:
        return [date for date in self.dates if date < SHUTDOWN]

    def crawl_whole(self) -> None:
        """Captures of the home-like pages, the sections' list pages, their entries, photos and documents."""
        portal, rng = self.portal, self.rng
        alive, dead = self.alive(), [date for date in self.dates if date >= SHUTDOWN]
        pages = {sub.path: render_home(sub.title, portal.home(sub), self.theme, sub) for sub in portal.sub_sites}
        pages[whole_portal.MAP_PATH] = render_album(whole_portal.MAP, MAP_SECTION, self.theme)
        for path, html in pages.items():
            for index, date in enumerate(alive):
                if index == len(alive) - 1 or rng.random() < 0.5:
                    when = date + timedelta(minutes=2)
                    self.fetch(self.host(date) + path, when, "page", self.good(html.encode()), must=True)
            for date in dead:
                self.fetch(self.new + path, date + timedelta(minutes=3), "page", self.dead)
        for section in portal.sections[1:]:
            self.crawl_section(section, alive, dead)
        news = {article.path for article in portal.news.articles}
        attached = {article.path for section in portal.sections for article in section.articles if article.links}
        for section in portal.sections[1:-1]:
            for article in section.articles:
                if article.path not in news:
                    self.crawl_article(article, section, "normal" if article.path in attached else None)
        for album in portal.albums:
            self.crawl_album(album, alive, dead)
        self.crawl_documents(dead)

    def crawl_section(self, section: Section, alive: list[datetime], dead: list[datetime]) -> None:
        """Every page of a section's list on some dates, always on the last before the shutdown (where the first
        page of `/ThongBao/` is cut short, and captured good a date before), a few of them bad."""
        for page in range(1, section.pages + 1):
            html = render_list(section.articles, page, self.theme, section).encode()
            path = section.path if page == 1 else f"{section.path}?PageIndex={page}"
            cut = page == 1 and section.path == "/ThongBao/"
            for index, date in enumerate(alive):
                last = index == len(alive) - 1
                older = cut and index == len(alive) - 2  # the good copy behind the cut one
                if not (last or older or self.rng.random() < 0.5):
                    continue
                defect = TRUNCATED if cut and last else None
                if not (last or older) and self.rng.random() < 0.15:
                    defect = self.rng.choice((TRUNCATED, SERVER_ERROR_PAGE))
                when = date + timedelta(minutes=30, seconds=20 * page)
                make = (lambda u, w, d=defect, h=html: self.broken(d, u, h)) if defect else self.good(html)
                self.fetch(self.host(date, stale=0.1) + path, when, "list", make, must=True, page=page)
            for date in dead[:1]:
                self.fetch(self.new + path, date + timedelta(minutes=31), "list", self.dead, page=page)

    def crawl_album(self, album: Album, alive: list[datetime], dead: list[datetime]) -> None:
        """An album's page on some dates (never, or only badly, for a few), its photos after each good capture."""
        rng = self.rng
        fate = rng.choices(("normal", "never", "only-bad"), (80, 10, 10))[0]
        html = render_album(album, self.portal.library, self.theme).encode()
        if fate == "never":
            return
        times = [date + timedelta(hours=1, minutes=rng.randint(0, 300)) for date in alive if rng.random() < 0.5]
        times = times or [alive[-1] + timedelta(hours=2)]
        good = None if fate == "only-bad" else rng.randrange(len(times))
        for index, when in enumerate(times):
            defect = None if index == good or (fate == "normal" and rng.random() < 0.75) else self.bad_defect()
            make = (lambda u, w, d=defect: self.broken(d, u, html)) if defect else self.good(html, article=album)
            capture = self.fetch(self.host(when, 0.2) + album.path, when, "album", make, must=True, slug=album.slug)
            if capture and capture.defect is None and not capture.revisit_of:
                self.crawl_photos(album.photos, capture, "photo")
        for date in dead[: rng.randint(0, len(dead))]:
            self.fetch(self.new + album.path, date + timedelta(hours=2), "album", self.dead, slug=album.slug)

    def crawl_photos(self, images, page: Capture, kind: str) -> None:
        for image in images:
            if self.rng.random() < 0.85:
                url = urljoin(page.original, image.src)
                content_type, body = image_for(urlsplit(url).path)
                when = parse_timestamp(page.timestamp) + timedelta(seconds=self.rng.randint(5, 90))
                self.fetch(url, when, kind, lambda u, w, c=content_type, b=body: (200, c, b, None, {}), must=True)

    def crawl_documents(self, dead: list[datetime]) -> None:
        """The decision, the scanned PDF and the broken one captured (the scan again after the shutdown, as the
        notice); the report never; the plan the list pages link only as the dead site."""
        for document in (whole_portal.DECISION, whole_portal.SCAN, whole_portal.BROKEN):
            make = lambda u, w, d=document: (200, d.content_type, d.body, None, {})  # noqa: E731
            self.fetch(self.new + document.path, datetime(2025, 4, 2, 8, tzinfo=UTC), "document", make, must=True)
        for document in (whole_portal.SCAN, whole_portal.PLAN):
            for date in dead:
                self.fetch(self.new + document.path, date + timedelta(hours=3), "document", self.dead)


def _seen(capture: Capture) -> Seen:
    content = capture.revisit_of or capture
    return Seen(
        capture.timestamp,
        capture.original,
        capture.row[4],
        capture.defect,
        content.timestamp,
        capture.article,
        capture.page,
        capture.digest,
    )


def build(
    n_articles: int = 120,
    seed: int = 3,
    theme: str = "ul",
    dates: tuple[datetime, ...] = DATES,
    origin: str = OLD,
    moved_to: str | None = NEW,
    whole: bool = False,
) -> Holdings:
    """The captures of a replica portal of `n_articles` (seeded) at `origin`, crawled on `dates`, with their truth;
    the portal moved to `moved_to` on `MOVED` (None: it never moved); `whole`: the whole portal around its news
    list."""
    crawl = _Crawl(n_articles, seed, theme, tuple(sorted(dates)), origin, moved_to, whole)
    lists = crawl.crawl_lists()
    for article in crawl.articles:
        crawl.crawl_article(article)
    if crawl.portal:
        crawl.crawl_whole()
    captures = tuple(sorted(crawl.captures, key=lambda capture: capture.line))
    listed_at: dict[str, list[str]] = {}
    for date in lists:
        for seen in date.captures:
            if seen.defect is None and seen.page:
                for slug in date.slugs[seen.page - 1]:
                    listed_at.setdefault(slug, []).append(seen.timestamp)
    by_slug: dict[str, list[Capture]] = {}
    images: dict[str, list[Seen]] = {}
    for capture in sorted(crawl.captures, key=lambda capture: capture.timestamp):
        if capture.kind == "article":
            by_slug.setdefault(capture.slug or "", []).append(capture)
        elif capture.kind == "image":
            images.setdefault(urlsplit(capture.original).path, []).append(_seen(capture))
    everything = crawl.portal.articles if crawl.portal else crawl.articles
    whole = _whole_truth(crawl, listed_at) if crawl.portal else None
    articles = {
        a.slug: ArticleTruth(
            a.slug,
            a.title,
            a.published,
            tuple(map(_seen, by_slug.get(a.slug, []))),
            tuple(listed_at.get(a.slug, [])),
            a.path,
        )
        for a in everything
    }
    truth = Truth(articles, tuple(lists), crawl.edits, {path: tuple(seen) for path, seen in images.items()}, whole)
    return Holdings(captures, truth, tuple(crawl.articles))


def _whole_truth(crawl: _Crawl, listed_at: dict[str, list[str]]) -> WholeTruth:
    """What the archive holds of the whole portal (adds the sections' good list captures to `listed_at`)."""
    portal = crawl.portal
    by_path: dict[str, list[Capture]] = {}
    for capture in sorted(crawl.captures, key=lambda capture: capture.timestamp):
        if capture.kind != "province":
            by_path.setdefault(urlsplit(capture.original).path.lower(), []).append(capture)
    pages = {path: tuple(map(_seen, by_path.get(path.lower(), []))) for path in ("/", "/Admin/Login.aspx")}
    pages |= {path: tuple(map(_seen, by_path.get(path.lower(), []))) for path in ("/vanhoa/", "/dulich/")}
    pages[whole_portal.MAP_PATH] = tuple(map(_seen, by_path.get(whole_portal.MAP_PATH.lower(), [])))
    sections = {}
    for section in portal.sections[1:]:
        held = tuple(map(_seen, by_path.get(section.path.lower(), [])))
        sections[section.path] = held
        for seen in held:
            if seen.defect is None:
                shown = section.albums or section.articles
                for entry in shown[(seen.page - 1) * PAGE_SIZE : seen.page * PAGE_SIZE]:
                    listed_at.setdefault(entry.slug, []).append(seen.timestamp)
    albums = {
        album.slug: ArticleTruth(
            album.slug,
            album.title,
            album.published,
            tuple(map(_seen, by_path.get(album.path.lower(), []))),
            tuple(listed_at.get(album.slug, [])),
            album.path,
        )
        for album in portal.albums
    }
    images = {image.src for article in portal.articles for image in article.images}
    images |= {photo.src for album in portal.albums for photo in album.photos}
    files = {src: FileTruth(src, tuple(map(_seen, by_path.get(src.lower(), [])))) for src in images if src[:1] == "/"}
    for document in portal.documents:
        held = tuple(map(_seen, by_path.get(document.path.lower(), [])))
        files[document.path] = FileTruth(document.path, held, document)
    return WholeTruth(portal, pages, sections, albums, files)
