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

from replica.corpus import generate
from replica.images import image_for
from replica.model import SITE, VN_TZ, Article, collapse
from replica.pages import PAGE_SIZE, page_count, render_article, render_list
from replica.server import NOT_FOUND, SERVER_ERROR

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
    kind: str  # article | list | image | home | province
    defect: str | None = None
    slug: str | None = None
    page: int | None = None
    article: Article | None = None  # the article as this capture shows it
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
    article: Article | None = None  # the article as shown, for a good article capture
    page: int | None = None  # the list page, for a list capture


@dataclass(frozen=True)
class ArticleTruth:
    """Everything the archive holds of one article, and what a rescue should make of it."""

    slug: str
    title: str
    published: datetime
    captures: tuple[Seen, ...]  # every capture of its URLs, oldest first
    listed_at: tuple[str, ...]  # timestamps of good list-page captures that link it

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
class Truth:
    """Ground truth: per article (by slug, portal order), per crawl date, edits, and images (by path)."""

    articles: dict[str, ArticleTruth]
    dates: tuple[DateTruth, ...]
    edits: dict[str, EditTruth]
    images: dict[str, tuple[Seen, ...]]

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
        self, n_articles: int, seed: int, theme: str, dates: tuple[datetime, ...], origin: str, moved_to: str | None
    ) -> None:
        self.rng = random.Random(f"wayback/{seed}")
        self.theme = theme
        self.old, self.new = origin, moved_to or origin
        self.dates = dates
        self.articles = generate(n_articles, seed)
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

    def article_page(self, article: Article, defect: str | None):
        def make(url: str, when: datetime):
            if when >= SHUTDOWN:
                return self.dead(url, when)
            if "dead-link" in article.quirks:
                return 404, HTML, NOT_FOUND.encode(), GONE, {}
            query = dict((k.lower(), v) for k, v in parse_qsl(urlsplit(url).query))
            page = int(query.get("pageindex", "1"))
            shown = self.version(article, when)
            body = render_article(self.listed(when), shown, page, self.theme, self.old).encode()
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

    def crawl_article(self, article: Article) -> None:
        """Captures of one article's URLs: on some crawl dates and soon after it appeared, a few of them bad
        (all of them for an `only-bad` article, none for a `never` one), then some after the shutdown."""
        rng = self.rng
        fate = (
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
            url = self.host(when, stale=0.25) + self.variant(article, when)
            urls.append(url)
            make = self.article_page(article, defect)
            capture = self.fetch(url, when, "article", make, must=index == forced, slug=article.slug)
            if capture and capture.defect is None and not capture.revisit_of:
                self.crawl_images(article, capture)
                later = when + timedelta(hours=rng.randint(2, 20))
                same = self.listed(later) == self.listed(when) and self.version(article, later) is capture.article
                if rng.random() < 0.2 and same and later < SHUTDOWN:
                    self.add(url, later, 200, HTML, capture.body, "article", slug=article.slug, article=capture.article)
        for index, when in enumerate(d for d in self.dates if d >= SHUTDOWN):
            if rng.random() < (0.6 if index == 0 else 0.45) or (fate == "only-bad" and not alive):
                url = rng.choice(urls) if urls and rng.random() < 0.7 else self.new + article.path
                when = when + timedelta(minutes=rng.randint(0, 900))
                self.fetch(url, when, "article", self.article_page(article, None), slug=article.slug)

    def variant(self, article: Article, when: datetime) -> str:
        """The path as the crawler found it: canonical, with the list page's `?PageIndex=`, or lower-cased."""
        roll = self.rng.random()
        if roll < 0.55:
            return article.path
        page = self.list_page_of(article, when)
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
            if date < SHUTDOWN:
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
    )


def build(
    n_articles: int = 120,
    seed: int = 3,
    theme: str = "ul",
    dates: tuple[datetime, ...] = DATES,
    origin: str = OLD,
    moved_to: str | None = NEW,
) -> Holdings:
    """The captures of a replica portal of `n_articles` (seeded) at `origin`, crawled on `dates`, with their truth;
    the portal moved to `moved_to` on `MOVED` (None: it never moved)."""
    crawl = _Crawl(n_articles, seed, theme, tuple(sorted(dates)), origin, moved_to)
    lists = crawl.crawl_lists()
    for article in crawl.articles:
        crawl.crawl_article(article)
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
    articles = {
        a.slug: ArticleTruth(
            a.slug, a.title, a.published, tuple(map(_seen, by_slug.get(a.slug, []))), tuple(listed_at.get(a.slug, []))
        )
        for a in crawl.articles
    }
    truth = Truth(articles, tuple(lists), crawl.edits, {path: tuple(seen) for path, seen in images.items()})
    return Holdings(captures, truth, tuple(crawl.articles))
