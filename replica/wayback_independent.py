"""An independent imitation of the Internet Archive's Wayback Machine holding huyendienbien.gov.vn.

Written from PORTAL.md and issue 14 only, without the team's own Wayback replica. Page bytes come from
``replica.independent.IndependentPortal.respond`` (no HTTP needed); the archive around them is this module's own:

- CDX at ``/cdx/search/cdx``: exact/prefix/host/domain match (``matchType`` or a trailing ``*``), text or
  ``output=json`` (header row of field names, ``fl``), ``filter`` (``[!]field:regex``, full match), ``collapse``
  (``field`` or ``field:N``, adjacent rows), ``from``/``to``, ``limit`` (negative: the last rows), ``showResumeKey``/
  ``resumeKey`` (``[]`` then ``["<key>"]``), ``showNumPages``. Rows sorted by SURT urlkey then timestamp.
- Replay at ``/web/<ts><flag>/<url>``: ``id_``/``im_``/``js_``/``cs_`` give the original bytes with
  ``X-Archive-Orig-*`` headers; no flag gives the page with a toolbar and rewritten links. A timestamp not held
  (or a spelling of the URL other than the capture's) is a 302 to the nearest capture of the urlkey; a captured
  3xx replays as that 3xx with ``Location`` into the archive; a revisit replays its original's payload.
- The mess (deterministic from ``seed``): see ``IndependentWayback._build``.
- Rate limits per endpoint (token buckets), 429 + ``Retry-After``; a request inside an open window is a violation;
  after ``block_after`` violations an endpoint answers 403 for good.
- ``whole=True``: the independent copy's whole portal (home pages, every section's pages, the photo library, albums,
  photos, documents, each with its fates: ``IndependentWayback._whole``), its truth in ``whole_truth``.
- ``host=``: the archive of a portal on another host; ``hold(other)`` serves several gone portals from one archive.

Run: ``python -m replica.wayback_independent --port 8002 --articles 40 --seed 5 [--whole]``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import html
import json
import math
import random
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus, unquote, unquote_plus, urlsplit

from replica.independent import (
    ALBUM_LIST,
    ALBUMS_PER_PAGE,
    BANNER,
    CHIDAO,
    JPEG,
    NEWS,
    PER_PAGE,
    VANHOA,
    VANHOA_HOME,
    IndependentPortal,
    TruthAlbum,
    TruthArticle,
    TruthSection,
)

HOST = "huyendienbien.gov.vn"
HTTP = f"http://{HOST}"
HTTPS = f"https://www.{HOST}"
PROVINCE = "https://dienbien.gov.vn/"
FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
MOVE = datetime(2024, 10, 1)  # from here on http:// answers 301 to https://www.
SHUTDOWN = datetime(2025, 7, 1)
FIRST_LIST = datetime(2024, 3, 14)  # after the newest article of the portal
END = datetime(2026, 10, 31)
NOTICE_TEXT = (
    "Cổng thông tin điện tử huyện Điện Biên đã dừng hoạt động từ ngày 01/07/2025 theo Nghị quyết của Quốc hội về "
    "sắp xếp đơn vị hành chính. Mời quý độc giả truy cập Cổng thông tin điện tử tỉnh Điện Biên."
)
CUTS = (  # where a truncated capture is cut: between these two marks of the page
    (b'id="ctl00_cphMain_ucView_divContent"', "Các tin bài khác".encode()),
    (b'class="khung-noidung"', b'id="ctl00_cphMain_pgr"'),
    (b'class="ab-grid"', b'class="ab-back"'),
)
BAD_KINDS = ("notice", "province_redirect", "parked", "soft404", "server_error", "truncated", "login", "moved_nowhere")
FLAGS = ("id_", "im_", "js_", "cs_", "if_", "fw_", "oe_", "")
# With ``whole``: each album's fate by its position, each photo's by its place among the recoverable albums' photos,
# each document's by its name.
ALBUM_FATES = ("plain", "bad_newer", "revisit", "only_bad", "never", "dead_only", "truncated_newer", "plain")
PHOTO_FATES = ("good", "truncated_newer", "revisit", "never", "good", "notice_only", "good", "revisit")
FILE_FATES = {
    "QD-1250-UBND.pdf": "truncated_newer",
    "KH-87-UBND.pdf": "revisit",
    "BC-215-UBND.docx": "notice_only",
    "Scan-CV-3012-UBND.pdf": "never",
    "TB-45-UBND.pdf": "good",  # the portal's own broken file, captured as it was served
}


def surt(url: str, prefix: bool = False) -> str:
    """The IA's lower-cased SURT urlkey: host reversed without ``www.``, then path and (sorted) query."""
    u = url.strip()
    if "://" not in u:
        u = "http://" + u
    parts = urlsplit(u)
    host = (parts.hostname or "").lower()
    host = re.sub(r"^www\d*\.", "", host)
    key = ",".join(reversed(host.split("."))) + ")"
    if parts.port and parts.port not in (80, 443):
        key = key[:-1] + f":{parts.port})"
    if prefix and not parts.path and not parts.query:
        return key.lower()
    query = parts.query if prefix else "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return (key + (parts.path or "/") + (f"?{query}" if query else "")).lower()


def _ts(dt: datetime) -> str:
    return dt.strftime("%Y%m%d%H%M%S")


def _dt(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y%m%d%H%M%S")


def _http_date(dt: datetime) -> str:
    """An HTTP date; capture timestamps are UTC."""
    return format_datetime(dt.replace(tzinfo=UTC), usegmt=True)


def _digest(body: bytes) -> str:
    return base64.b32encode(hashlib.sha1(body).digest()).decode()


def _photo(path: str) -> bytes:
    """The portal's little JPEG with the photo's path in a comment segment, so that no two photos share bytes."""
    note = path.encode()
    return JPEG[:2] + b"\xff\xfe" + len(note + b"..").to_bytes(2, "big") + note + JPEG[2:]


def _lower_head(path: str) -> str:
    """A path with all but its last segment lower-cased (``/t/SLUG``, ``/vanhoa/tintuc/view/Slug``)."""
    head, _, slug = path.rpartition("/")
    return f"{head.lower()}/{slug}"


@dataclass(frozen=True)
class Capture:
    """One CDX row and what replay gives for it (a revisit carries its original's payload and headers)."""

    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: str
    kind: str  # good, list, image, other, revisit, or one of BAD_KINDS / "redirect"
    body: bytes = field(repr=False)
    headers: tuple[tuple[str, str], ...] = field(repr=False)
    status: int = 200  # what replay answers
    location: str | None = None
    article: str | None = None  # the article's path, for captures of an article URL

    def row(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FIELDS}


@dataclass(frozen=True)
class ArticleTruth:
    """What a complete rescue should find for one article of the portal."""

    url: str  # canonical: http://huyendienbien.gov.vn<path>
    recoverable: bool
    newest_good_timestamp: str | None  # newest full (non-revisit) capture that reads as the article
    lost_reason: str | None  # "never captured" or "only bad captures: <kinds>"
    article: TruthArticle
    good_original: str | None = None  # the original URL (as captured) of that newest good capture
    last_seen_good: str | None = None  # newest of those and the revisits of good captures
    bad_kinds: tuple[str, ...] = ()  # kinds of its bad captures, sorted


@dataclass(frozen=True)
class ItemTruth:
    """What a complete rescue should find for one album, photo or document (``kind``) of the whole portal."""

    kind: str
    url: str  # http://<host><path>, as the portal links it
    recoverable: bool
    newest_good_timestamp: str | None  # its newest capture that is the thing itself, whole
    last_seen_good: str | None  # that or a newer revisit of it
    lost_reason: str | None  # "never captured" or "only bad captures: <kinds>"
    sha256: str | None = None  # of a file's bytes as the portal served them
    item: object = None  # the portal's TruthAlbum or TruthAttachment (None for a photo)


@dataclass(frozen=True)
class WholeTruth:
    """What the archive holds of the whole portal beyond its articles (those are ``IndependentWayback.truth``).

    ``photos`` are those of recoverable albums (a lost album's photos are not known from the archive's pages)."""

    sections: list[TruthSection]  # every section is recoverable: each of its pages has a good capture
    home: tuple[str, ...]  # the kinds of the home page's captures, oldest first
    albums: list[ItemTruth]
    photos: list[ItemTruth]
    attachments: list[ItemTruth]

    def of(self, kind: str, recoverable: bool) -> list[ItemTruth]:
        """The albums, photos or attachments (``kind`` as in ``ItemTruth``) that are, or are not, recoverable."""
        items = {"album": self.albums, "photo": self.photos, "attachment": self.attachments}[kind]
        return [t for t in items if t.recoverable == recoverable]


@dataclass(frozen=True)
class WaybackRequest:
    """One request answered: wall time, kind (cdx, replay, other), path, status, and whether it was a violation."""

    at: float
    kind: str
    path: str
    status: int
    violation: bool = False
    retry_after: int | None = None


class _Bucket:
    """A token bucket with a Retry-After window."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate, self.burst = per_minute / 60.0, max(1, burst)
        self.tokens, self.stamp = float(self.burst), time.monotonic()
        self.window_end, self.window_start = 0.0, 0.0

    def take(self, now: float, grace: float) -> tuple[bool, int | None, bool]:
        """(allowed, retry_after, violation)."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if now < self.window_end:
            return False, max(1, math.ceil(self.window_end - now)), now - self.window_start > grace
        if self.tokens >= 1:
            self.tokens -= 1
            return True, None, False
        wait = max(1, math.ceil((1 - self.tokens) / self.rate))
        self.window_start, self.window_end = now, now + wait
        return False, wait, False


# --- pages that are not the portal's -------------------------------------------------------------------------------


def _notice() -> bytes:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thông báo - Cổng thông tin điện tử huyện '
        f'Điện Biên</title></head><body><div class="banner">{BANNER}</div><div class="thong-bao"><h1>THÔNG BÁO</h1>'
        f'<p>{NOTICE_TEXT}</p><p><a href="{PROVINCE}">{PROVINCE}</a></p></div></body></html>'
    ).encode()


def _parked(year: int, host: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{host}</title></head><body>'
        f'<div class="parked"><h1>{host}</h1><p>Tên miền này đang chờ gia hạn hoặc đã hết hạn sử dụng.</p>'
        f"<p>This domain may be for sale. Related searches: du lịch Điện Biên, gạo Điện Biên.</p>"
        f"<small>© {year} Domain Parking</small></div></body></html>"
    ).encode()


def _soft404() -> bytes:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8" /><title>Không tìm thấy trang - Cổng thông tin điện tử huyện '
        f'Điện Biên</title></head><body><table id="tblMain" class="khung"><tr><td class="banner">{BANNER}</td></tr>'
        '<tr><td class="cot-chinh"><div class="loi-404"><h2>Không tìm thấy trang</h2><p>Trang bạn yêu cầu không tồn '
        'tại hoặc đã bị xóa. Quay lại <a href="/">Trang chủ</a>.</p></div></td></tr></table></body></html>'
    ).encode()


def _server_error(rng: random.Random) -> bytes:
    message, kind = rng.choice(
        (
            ("Object reference not set to an instance of an object.", "System.NullReferenceException"),
            ("Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool.",
             "System.InvalidOperationException"),
            ("An error has occurred while establishing a connection to the server.",
             "System.Data.SqlClient.SqlException"),
        )
    )  # fmt: skip
    return (
        "<!DOCTYPE html>\r\n<html>\r\n    <head>\r\n        <title>" + message + "</title>\r\n"
        '        <meta name="viewport" content="width=device-width" />\r\n    </head>\r\n'
        "    <body bgcolor=\"white\">\r\n            <span><H1>Server Error in '/' Application.<hr width=100% size=1 "
        "color=silver></H1>\r\n            <h2> <i>" + message + "</i> </h2></span>\r\n"
        "            <b> Exception Details: </b>" + kind + ": " + message + "<br><br>\r\n"
        "            <b>Version Information:</b>&nbsp;Microsoft .NET Framework Version:4.0.30319; ASP.NET Version:"
        "4.7.3930.0\r\n    </body>\r\n</html>\r\n"
    ).encode()


def _moved(target: str, title: str = "Document Moved") -> bytes:
    return (
        f"<head><title>{title}</title></head>\n<body><h1>Object Moved</h1>This document may be found "
        f'<a HREF="{html.escape(target)}">here</a></body>'
    ).encode()


def _login() -> bytes:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8" /><title>Đăng nhập hệ thống</title></head><body>'
        f'<div class="banner">{BANNER}</div><form method="post" action="Login.aspx" id="form1"><h2>Đăng nhập hệ thống'
        '</h2><label>Tên đăng nhập</label><input name="txtUser" /><label>Mật khẩu</label><input type="password" '
        'name="txtPass" /><input type="submit" value="Đăng nhập" /></form></body></html>'
    ).encode()


def _province() -> bytes:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8" /><title>Cổng thông tin điện tử tỉnh Điện Biên</title></head>'
        "<body><h1>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH ĐIỆN BIÊN</h1><ul><li>Tin tức - Sự kiện</li><li>Sắp xếp đơn vị hành "
        "chính cấp xã</li></ul></body></html>"
    ).encode()


def _not_archived(url: str) -> bytes:
    return (
        "<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body><h2>Hrm.</h2><p>The Wayback Machine "
        f"has not archived that URL.</p><p>{html.escape(url)}</p></body></html>"
    ).encode()


# --- the archive ---------------------------------------------------------------------------------------------------


class IndependentWayback:
    """A deterministic Wayback Machine (CDX + replay) of the dead Điện Biên district portal, on loopback."""

    def __init__(
        self,
        n_articles: int = 40,
        seed: int = 5,
        cdx_per_minute: float = 30,
        replay_per_minute: float = 300,
        cdx_burst: int = 3,
        replay_burst: int = 10,
        block_after: int | None = 50,
        violation_grace: float = 0.05,
        whole: bool = False,
        host: str | None = None,
    ) -> None:
        self.seed, self.whole = seed, whole
        # the module's HOST unless told (replica.independent_fleet sets the module's names for its gone portal)
        host = host or HOST
        self.host, self.http = host, f"http://{host}"
        self.https = HTTPS if host == HOST else f"https://www.{host}"
        self.portal = IndependentPortal(n_articles=n_articles, pager="truthful", beyond="empty", seed=seed,
                                        whole=whole)  # fmt: skip
        self.site = self.http + "/Tintuc/?PageIndex=1"
        self.home = self.http + "/"
        self.page_truth: dict[str, str] = {}  # with ``whole``: home-like page URL -> newest good timestamp
        self.whole_truth: WholeTruth | None = None
        self.others: list[IndependentWayback] = []  # other sites held (``hold``)
        self._first_good: dict[str, datetime] = {}  # article path -> its earliest good capture
        self._album_first: dict[str, datetime] = {}
        self.captures: list[Capture] = []
        self.truth: list[ArticleTruth] = []
        self.list_truth: dict[str, str] = {}  # list page URL (http, as linked) -> newest good timestamp
        self.image_truth: dict[str, bool] = {}  # image path -> captured at all
        self.requests: list[WaybackRequest] = []
        self.violations = 0
        self.rate_limited = 0  # 429s sent
        self.block_after, self.grace = block_after, violation_grace
        self._limits = {"cdx": (cdx_per_minute, cdx_burst), "replay": (replay_per_minute, replay_burst)}
        self._buckets = {k: _Bucket(*v) for k, v in self._limits.items()}
        self._violations = {"cdx": 0, "replay": 0}
        self._lock = threading.Lock()
        self._held: set[tuple[str, str]] = set()
        self._rng = random.Random(seed * 1_000_003 + 14)
        self._counter = 2_000_000 + self._rng.randint(0, 99_999)
        self.base: str | None = None
        self._build()
        self._index()

    def _index(self) -> None:
        self.captures.sort(key=lambda c: (c.urlkey, c.timestamp, c.original))
        self._by_key: dict[str, list[Capture]] = {}
        for c in self.captures:
            self._by_key.setdefault(c.urlkey, []).append(c)

    def hold(self, other: IndependentWayback) -> None:
        """Also hold another gone portal's captures (built with another ``host``): one archive of many sites, as the
        real one is. Its truth stays in ``other``; requests and limits are this archive's."""
        if other.host in {self.host, *(o.host for o in self.others)}:
            raise ValueError("that site is already held")
        self.others.append(other)
        self.captures += [c for c in other.captures if c.original != PROVINCE]
        self._index()

    # -- public --
    @property
    def cdx_url(self) -> str:
        return self._need_base() + "/cdx/search/cdx"

    @property
    def replay_url(self) -> str:
        return self._need_base() + "/web/"

    def _need_base(self) -> str:
        if self.base is None:
            raise RuntimeError("not serving")
        return self.base

    def count(self, kind: str) -> int:
        """Requests of one kind ("cdx", "replay", "other") so far."""
        with self._lock:
            return sum(1 for r in self.requests if r.kind == kind)

    def reset_limits(self) -> None:
        """Full buckets, no open windows, counters kept."""
        with self._lock:
            self._buckets = {k: _Bucket(*v) for k, v in self._limits.items()}

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve in a background thread; yields the base URL."""
        server = ThreadingHTTPServer((host, port), self._handler())
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name="independent-wayback", daemon=True)
        thread.start()
        self.base = f"http://{host}:{server.server_address[1]}"
        try:
            yield self.base
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
            self.base = None

    # -- building the captures --
    def _when(self, lo: datetime, hi: datetime) -> datetime:
        return lo + timedelta(seconds=self._rng.randint(0, max(0, int((hi - lo).total_seconds()))))

    def _add(
        self,
        original: str,
        when: datetime,
        kind: str,
        body: bytes,
        status: int = 200,
        ctype: str = "text/html; charset=utf-8",
        location: str | None = None,
        article: str | None = None,
        server: str = "Microsoft-IIS/8.5",
        full_length: int | None = None,
    ) -> Capture:
        """Record one capture at a timestamp unique within its urlkey."""
        key = surt(original)
        while (key, _ts(when)) in self._held:
            when += timedelta(seconds=1)
        self._held.add((key, _ts(when)))
        headers: list[tuple[str, str]] = [("Date", _http_date(when))]
        headers.append(("Server", server))
        if server.startswith("Microsoft"):
            headers += [("X-AspNet-Version", "4.0.30319"), ("X-Powered-By", "ASP.NET"), ("Cache-Control", "private")]
        headers.append(("Content-Type", ctype))
        if location:
            headers.append(("Location", location))
        if kind == "truncated" and full_length is None:
            headers.append(("Transfer-Encoding", "chunked"))
        else:
            headers.append(("Content-Length", str(full_length or len(body))))
        mime = ctype.split(";")[0].strip()
        if status in (301, 302) and self._rng.random() < 0.25:
            mime = "unk"
        cap = Capture(key, _ts(when), original, mime, str(status), _digest(body), str(len(body) // 3 + 420), kind,
                      body, tuple(headers), status, location, article)  # fmt: skip
        self.captures.append(cap)
        return cap

    def _revisit(self, of: Capture, when: datetime) -> Capture:
        key = of.urlkey
        while (key, _ts(when)) in self._held:
            when += timedelta(seconds=1)
        self._held.add((key, _ts(when)))
        cap = Capture(key, _ts(when), of.original, "warc/revisit", "-", of.digest, str(self._rng.randint(380, 560)),
                      "revisit", of.body, of.headers, of.status, of.location, of.article)  # fmt: skip
        self.captures.append(cap)
        return cap

    def _page(self, path_with_query: str) -> bytes:
        """The portal's bytes for a path, with a visit counter that differs capture to capture."""
        status, _, body = self.portal.respond(path_with_query)
        assert status == 200, path_with_query
        self._counter += self._rng.randint(40, 9000)
        return re.sub(rb'(id="ctl00_ucCounter_lblTotal">)\d+', rb"\g<1>" + str(self._counter).encode(), body, count=1)

    def _good(self, variant: str, when: datetime, kind: str, article: str | None, direct_www: bool) -> Capture:
        """A good capture of a portal path as the crawler met it at that date (301 first after the move)."""
        body = self._page(variant)
        if when < MOVE:
            return self._add(self.http + variant, when, kind, body, article=article)
        if not direct_www:
            target = self.https + variant
            self._add(self.http + variant, when, "redirect", _moved(target), 301, location=target, article=article)
            when += timedelta(seconds=self._rng.randint(2, 40))
        return self._add(self.https + variant, when, kind, body, article=article)

    def _dead(self, variant: str, article: str | None, count: int) -> list[str]:
        """Captures after the shutdown: a notice, a 302 to the province, a parked page. Returns their kinds."""
        kinds = []
        for _ in range(count):
            kind = self._rng.choice(("notice", "notice", "province_redirect", "parked"))
            lo, hi = {"notice": (SHUTDOWN, datetime(2025, 12, 31)), "province_redirect": (datetime(2025, 9, 1), END),
                      "parked": (datetime(2026, 2, 1), END)}[kind]  # fmt: skip
            when = self._when(lo, hi)
            original = self._rng.choice((self.http, self.https)) + variant
            if kind == "notice":
                self._add(original, when, kind, _notice(), server="nginx", article=article)
            elif kind == "parked":
                self._add(original, when, kind, _parked(when.year, self.host), server="openresty", article=article)
            else:
                self._add(original, when, kind, _moved(PROVINCE, "302 Found"), 302, location=PROVINCE,
                          server="nginx", article=article)  # fmt: skip
            kinds.append(kind)
        return kinds

    def _bad(self, kind: str, variant: str, when: datetime, article: str | None) -> None:
        """One bad capture before the shutdown."""
        base = self.http if when < MOVE or kind == "moved_nowhere" else self.https
        original = base + variant
        if kind == "soft404":
            self._add(original, when, kind, _soft404(), article=article)
        elif kind == "server_error":
            status = 500 if self._rng.random() < 0.7 else 200
            self._add(original, when, kind, _server_error(self._rng), status, article=article)
        elif kind == "truncated":  # cut inside the article's body, a list's entries or an album's photos
            full = self._page(variant)
            start, end = next((full.index(a), full.index(b, full.index(a))) for a, b in CUTS if a in full)
            cut = start + int((end - start) * self._rng.uniform(0.15, 0.75))
            length = len(full) if self._rng.random() < 0.5 else None
            self._add(original, when, kind, full[:cut], article=article, full_length=length)
        elif kind == "login":
            target = f"{self.http}/Login.aspx?ReturnUrl={quote_plus(variant.split('?')[0]).lower()}"
            self._add(original, when, kind, _moved(target, "Object moved"), 302, location=target, article=article)
            self._add(target, when + timedelta(seconds=self._rng.randint(3, 30)), "login", _login())
        elif kind == "moved_nowhere":
            self._add(self.http + variant, max(when, MOVE + timedelta(days=3)), kind, _moved(self.https + variant), 301,
                      location=self.https + variant, article=article)  # fmt: skip
        else:
            raise ValueError(kind)

    def _build(self) -> None:
        """Every capture of the archive, and the truth a complete rescue should find.

        Articles (n=40 gives 3 never captured, 6 with only bad captures, 3 whose newest capture is good, the rest
        with a good older capture under a bad newer one): good captures at 1-3 dates from publication to
        2025-06-30, ``http://`` before 2024-10-01 and afterwards mostly a 301 plus the ``https://www.`` capture;
        a quarter of them only under the https host, a quarter only under a variant the list does not link
        (lower-case path, bare path, another ``PageIndex``); revisits; truncated/soft-404/ASP.NET-error/login
        captures newer than the good ones; 1-3 captures of the dead site after 2025-07-01. List pages are all
        recoverable; older captures (2018-2023) of ``/``, ``robots.txt`` and a failing list page; images mostly
        captured, often with revisits. With ``whole``: the articles of every section (those that attach a document
        always recoverable), revisits only of an article's newest good copy, and ``_whole``'s captures.
        """
        rng = self._rng
        docs = self.portal.all_articles if self.whole else self.portal.articles
        where = self._linked_pages()
        n = len(docs)
        order = list(range(n))
        rng.shuffle(order)
        n_never, n_bad, n_clean = max(1, round(n * 0.08)), max(2, round(n * 0.15)), max(1, round(n * 0.07))
        fates = {i: "never" for i in order[:n_never]}
        fates |= {i: "only_bad" for i in order[n_never : n_never + n_bad]}
        fates |= {i: "clean" for i in order[n_never + n_bad : n_never + n_bad + n_clean]}
        rest = order[n_never + n_bad + n_clean :]
        flavours = ("plain", "www_only", "variant_only", "bad_newer")
        fates |= {i: flavours[j % 4] for j, i in enumerate(rest)}
        if self.whole:  # a document is known only from the article that links it: those articles are recoverable
            keep = {a.linked_from for a in self.portal.attachments}
            spare = [i for i in rest if docs[i].path not in keep]
            for i, art in enumerate(docs):
                if art.path in keep and fates[i] in ("never", "only_bad"):
                    j = spare.pop()
                    fates[i], fates[j] = fates[j], fates[i]
        bad_cycle = ("soft404", "server_error", "truncated", "dead_only", "moved_nowhere", "login")
        n_seen_bad = 0
        for i, art in enumerate(docs):
            (page, last), path = where[art.path], art.path
            fate = fates[i]
            linked = f"{path}?PageIndex={page}"
            lo = max(art.published + timedelta(days=1), FIRST_LIST - timedelta(days=30))
            goods: list[Capture] = []
            revisits: list[Capture] = []
            bad_kinds: list[str] = []
            if fate == "never":
                self.truth.append(ArticleTruth(self.http + path, False, None, "never captured", art))
                continue
            if fate == "only_bad":
                flavour = bad_cycle[n_seen_bad % len(bad_cycle)]
                n_seen_bad += 1
                if flavour == "dead_only":
                    bad_kinds += self._dead(linked, path, rng.randint(1, 3))
                else:
                    for _ in range(rng.randint(1, 2)):
                        self._bad(flavour, linked, self._when(lo, SHUTDOWN - timedelta(days=1)), path)
                        bad_kinds.append(flavour)
                    if rng.random() < 0.7:
                        bad_kinds += self._dead(linked, path, rng.randint(1, 2))
                kinds = tuple(sorted(set(bad_kinds)))
                self.truth.append(
                    ArticleTruth(
                        self.http + path, False, None, "only bad captures: " + ", ".join(kinds), art, bad_kinds=kinds
                    )
                )
                continue
            n_good = rng.choice((1, 2, 2, 3))
            span_lo = MOVE + timedelta(days=1) if fate == "www_only" else lo
            dates = sorted(self._when(span_lo, datetime(2025, 6, 20)) for _ in range(n_good))
            if fate == "variant_only":
                other = rng.choice([p for p in range(1, last + 2) if p != page])
                alt = rng.choice((path.lower(), path, f"{path}?PageIndex={other}"))
                variants = [alt] * n_good
            else:
                variants = [linked if rng.random() < 0.75 else rng.choice((f"{_lower_head(path)}?PageIndex={page}",
                            f"{path}?PageIndex={rng.randint(1, last)}", path.lower())) for _ in dates]  # fmt: skip
            for k, (when, variant) in enumerate(zip(dates, variants, strict=True)):
                direct = (fate == "www_only" and rng.random() < 0.5) or rng.random() < 0.3
                cap = self._good(variant, when, "good", path, direct)
                goods.append(cap)
                if rng.random() < 0.35 and (not self.whole or k == n_good - 1):
                    later = _dt(cap.timestamp) + timedelta(days=rng.randint(5, 120))
                    if later < SHUTDOWN:
                        revisits.append(self._revisit(cap, later))
            if fate == "www_only":  # the linked http URL only ever answered 301s, then the dead site
                self._bad("moved_nowhere", linked, self._when(MOVE, datetime(2025, 6, 25)), path)
                bad_kinds.append("moved_nowhere")
            if fate == "bad_newer" or (fate != "clean" and rng.random() < 0.2):
                newest = max(_dt(c.timestamp) for c in goods + revisits)
                for _ in range(rng.randint(1, 2)):
                    kind = rng.choice(("truncated", "soft404", "server_error", "login", "truncated", "soft404"))
                    self._bad(kind, rng.choice((linked, variants[-1])), self._when(newest, SHUTDOWN), path)
                    bad_kinds.append(kind)
            if fate != "clean":
                bad_kinds += self._dead(rng.choice((linked, variants[-1])), path, rng.randint(1, 3))
            best = max(goods, key=lambda c: c.timestamp)
            seen = max(c.timestamp for c in goods + revisits)
            self.truth.append(ArticleTruth(self.http + path, True, best.timestamp, None, art, best.original, seen,
                                           tuple(sorted(set(bad_kinds)))))  # fmt: skip
            self._first_good[path] = min(_dt(c.timestamp) for c in goods)
            self._images(art, goods[0])
        self._lists()
        self._extras()
        if self.whole:
            self._whole()

    def _linked_pages(self) -> dict[str, tuple[int, int]]:
        """Each article's path -> (the page of its first list that links it, that list's last page)."""
        lists = [(s.path, s.articles) for s in self.portal.sections] or [(NEWS, [a.path for a in self.portal.articles])]
        where: dict[str, tuple[int, int]] = {}
        for _, paths in lists:
            last = max(1, math.ceil(len(paths) / PER_PAGE))
            for k, path in enumerate(paths):
                where.setdefault(path, (k // PER_PAGE + 1, last))
        return where

    def _images(self, art: TruthArticle, near: Capture) -> None:
        """The article's images, mostly captured soon after the article, sometimes revisited."""
        for path, _ in art.images:
            captured = self._rng.random() < 0.85
            self.image_truth[path] = captured
            if captured:
                when = _dt(near.timestamp) + timedelta(seconds=self._rng.randint(5, 600))
                host = self.http if when < MOVE else self.https
                cap = self._add(host + path, when, "image", self.portal.respond(path)[2], ctype="image/jpeg")
                if self._rng.random() < 0.4:
                    later = when + timedelta(days=self._rng.randint(30, 300))
                    if later < SHUTDOWN:
                        self._revisit(cap, later)

    def _lists(self) -> None:
        """List pages 1..last+1 (the one beyond is empty): 2-3 good captures each, bad newer ones, the dead site.
        With ``whole``: every section's and the photo library's pages, the first cut short on its newest
        pre-shutdown capture for one list, a soft-404 over another's second page."""
        rng = self._rng
        lists = [(NEWS, self.portal.last_page)]
        if self.whole:
            lists = [(s.path, self.portal.pages_of(s.path)) for s in self.portal.sections]
            lists.append((ALBUM_LIST, self.portal.pages_of(ALBUM_LIST)))
        for prefix, last in lists:
            for k in range(1, last + 2):
                linked = f"{prefix}?PageIndex={k}"
                variants = [linked] + ([prefix, prefix.lower() + "?pageindex=1"] if k == 1 else [])
                for variant in variants:
                    n_good = 3 if variant == linked else 1
                    dates = sorted(self._when(FIRST_LIST, datetime(2025, 6, 15)) for _ in range(n_good))
                    goods = [self._good(variant, when, "list", None, rng.random() < 0.4) for when in dates]
                    if variant == linked:
                        self.list_truth[self.http + linked] = max(c.timestamp for c in goods)
                    if rng.random() < 0.5:
                        self._bad("server_error", variant, self._when(_dt(goods[-1].timestamp), SHUTDOWN), None)
                    if self.whole and variant == linked and (prefix, k) in ((CHIDAO, 1), (VANHOA, 2)):
                        kind = "truncated" if k == 1 else "soft404"
                        self._bad(kind, variant, self._when(_dt(goods[-1].timestamp), SHUTDOWN), None)
                    self._dead(variant, None, rng.randint(1, 2))
        for path in ("/Uploads/images/no-image.png", "/Uploads/images/album/canh-dong-muong-thanh.jpg"):
            self.image_truth[path] = True
            body = self.portal.respond(path)[2]
            ctype = "image/png" if path.endswith(".png") else "image/jpeg"
            cap = self._add(self.http + path, self._when(FIRST_LIST, MOVE), "image", body, ctype=ctype)
            self._revisit(cap, self._when(MOVE, SHUTDOWN))
        for art in self.portal.all_articles if self.whole else self.portal.articles:
            if art.images:
                thumb = art.images[0][0].replace("/images/", "/images/thumbs/")
                self.image_truth[thumb] = rng.random() < 0.8
                if self.image_truth[thumb]:
                    self._add(self.http + thumb, self._when(FIRST_LIST, MOVE), "image", self.portal.respond(thumb)[2],
                              ctype="image/jpeg")  # fmt: skip

    def _extras(self) -> None:
        """Captures from 2018 on of the root, robots.txt and a failing list page; the province's portal."""
        robots = self.portal.respond("/robots.txt")[2]
        for year in (2018, 2020, 2022, 2024):
            self._add(self.http + "/robots.txt", self._when(datetime(year, 1, 1), datetime(year, 9, 1)), "other",
                      robots, ctype="text/plain")  # fmt: skip
        for year in (2019, 2021) if self.whole else (2019, 2021, 2023, 2024):  # before the home page of 2024
            self._add(self.http + "/", self._when(datetime(year, 1, 1), datetime(year, 9, 1)), "redirect",
                      _moved("/Tintuc/", "Object moved"), 302, location=self.http + "/Tintuc/")  # fmt: skip
        self._dead("/", None, 3)
        self._bad("server_error", "/Tintuc/?PageIndex=1", self._when(datetime(2018, 3, 1), datetime(2018, 6, 1)), None)
        for _ in range(3):
            self._add(PROVINCE, self._when(SHUTDOWN, END), "other", _province(), server="nginx")

    # -- the whole portal --
    def _whole(self) -> None:
        """Home pages (good before the shutdown, an error page, then the dead site newest), static pages (one never
        captured), albums, their photos and the documents, each with its own fate; and ``whole_truth``."""
        rng = self._rng
        for path, n_good in (("/", 3), (VANHOA_HOME, 2), ("/Gioithieu/Tongquan", 1), ("/Bandohanhchinh/", 1)):
            dates = sorted(self._when(FIRST_LIST, datetime(2025, 6, 10)) for _ in range(n_good))
            goods = [self._good(path, when, "home", None, rng.random() < 0.4) for when in dates]
            self.page_truth[self.http + path] = max(c.timestamp for c in goods)
            if path.endswith("/"):
                self._bad("server_error", path, self._when(_dt(goods[-1].timestamp), SHUTDOWN), None)
            if path == VANHOA_HOME:
                self._dead(path, None, 2)
        albums = [self._album(i, album) for i, album in enumerate(self.portal.albums)]
        photos: list[ItemTruth] = []
        for album, truth in zip(self.portal.albums, albums, strict=True):
            near = _dt(truth.newest_good_timestamp) if truth.recoverable else self._when(FIRST_LIST, MOVE)
            near = min(near, self._album_first.get(album.path, near))
            for path, _, _ in album.photos:
                fate = PHOTO_FATES[len(photos) % len(PHOTO_FATES)] if truth.recoverable else "good"
                photo = self._file(path, "photo", fate, near, _photo(path), "image/jpeg")
                if truth.recoverable:
                    photos.append(photo)
        files = []
        for doc in self.portal.attachments:
            near = self._first_good.get(doc.linked_from, FIRST_LIST)
            ctype, body = self.portal.respond(doc.path)[1:]
            files.append(self._file(doc.path, "attachment", FILE_FATES[doc.filename], near, body, ctype, doc))
        home = tuple(c.kind for c in sorted(self._by_url(self.http + "/") + self._by_url(self.https + "/"),
                                            key=lambda c: c.timestamp))  # fmt: skip
        self.whole_truth = WholeTruth(self.portal.sections, home, albums, photos, files)

    def _by_url(self, url: str) -> list[Capture]:
        return [c for c in self.captures if c.original == url]

    def _album(self, i: int, album: TruthAlbum) -> ItemTruth:
        """The captures of one album page by its fate (``ALBUM_FATES``), and its truth."""
        rng, fate = self._rng, ALBUM_FATES[i % len(ALBUM_FATES)]
        linked = f"{album.path}?PageIndex={i // ALBUMS_PER_PAGE + 1}"
        url = self.http + album.path
        if fate == "never":
            return ItemTruth("album", url, False, None, None, "never captured", item=album)
        if fate in ("only_bad", "dead_only"):
            kinds = ["server_error"] if fate == "only_bad" else []
            for _ in kinds * 2:
                self._bad("server_error", linked, self._when(FIRST_LIST, SHUTDOWN), None)
            kinds += self._dead(linked, None, 2)
            reason = "only bad captures: " + ", ".join(sorted(set(kinds)))
            return ItemTruth("album", url, False, None, None, reason, item=album)
        dates = sorted(self._when(FIRST_LIST, datetime(2025, 6, 1)) for _ in range(1 if fate == "revisit" else 2))
        goods = [self._good(rng.choice((linked, album.path)), when, "album", None, rng.random() < 0.4)
                 for when in dates]  # fmt: skip
        seen = goods[-1].timestamp
        if fate == "revisit":
            seen = self._revisit(goods[-1], _dt(seen) + timedelta(days=rng.randint(20, 90))).timestamp
        if fate in ("bad_newer", "truncated_newer"):
            self._bad("soft404" if fate == "bad_newer" else "truncated", linked, self._when(_dt(seen), SHUTDOWN), None)
        if fate != "plain":
            self._dead(linked, None, 1)
        self._album_first[album.path] = _dt(goods[0].timestamp)
        return ItemTruth("album", url, True, goods[-1].timestamp, seen, None, item=album)

    def _file(self, path: str, kind: str, fate: str, near: datetime, body: bytes, ctype: str,
              item: object = None) -> ItemTruth:  # fmt: skip
        """The captures of one photo or document by its fate (``FILE_FATES``, ``PHOTO_FATES``) around ``near``
        (when the page that shows it was first captured good), and its truth."""
        rng, url = self._rng, self.http + path
        sha = hashlib.sha256(body).hexdigest()
        host = lambda when: self.http if when < MOVE else self.https  # noqa: E731
        if fate == "never":
            return ItemTruth(kind, url, False, None, None, "never captured", sha, item)
        if fate == "notice_only":
            for _ in range(2):
                when = self._when(SHUTDOWN, datetime(2025, 12, 31))
                self._add(host(when) + path, when, "notice", _notice(), server="nginx")
            return ItemTruth(kind, url, False, None, None, "only bad captures: notice", sha, item)
        when = near - timedelta(seconds=rng.randint(3600, 2 * 86400))
        good = self._add(host(when) + path, when, kind, body, ctype=ctype)
        seen = good.timestamp
        if fate == "revisit":
            seen = self._revisit(good, self._when(max(near, when + timedelta(days=1)), SHUTDOWN)).timestamp
        if fate == "truncated_newer":  # newer, still at or before the page that shows it, and cut short
            cut = near - timedelta(seconds=rng.randint(20, 600))
            self._add(host(cut) + path, cut, "truncated", body[: len(body) * 3 // 5], ctype=ctype,
                      full_length=len(body))  # fmt: skip
        if fate in ("truncated_newer", "revisit"):
            when = self._when(SHUTDOWN, datetime(2025, 12, 31))
            self._add(host(when) + path, when, "notice", _notice(), server="nginx")
        return ItemTruth(kind, url, True, good.timestamp, seen, None, sha, item)

    # -- CDX --
    def cdx(self, query: str) -> tuple[int, str, bytes]:
        """Status, content type and body of one CDX query string."""
        params = parse_qsl(query, keep_blank_values=True)
        one = {k: v for k, v in params}
        url = one.get("url", "")
        if not url:
            return 400, "text/plain", b"Request must include a url parameter\n"
        match = one.get("matchType", "exact")
        if url.startswith("*."):
            match, url = "domain", url[2:]
        if url.endswith("*"):
            match, url = "prefix", url[:-1]
        if match not in ("exact", "prefix", "host", "domain"):
            return 400, "text/plain", f"Unknown matchType {match}\n".encode()
        if match in ("host", "domain"):
            key = surt(url.split("/")[0] if "://" not in url else url.split("/")[2], prefix=True).split(")")[0]
        else:
            key = surt(url, prefix=match == "prefix")
        fl = [f.strip() for f in one.get("fl", ",".join(FIELDS)).split(",") if f.strip()]
        if any(f not in FIELDS for f in fl):
            return 400, "text/plain", b"Unknown field in fl\n"
        filters = []
        for k, v in params:
            if k != "filter":
                continue
            neg, spec = v.startswith("!"), v.lstrip("!")
            name, _, rx = spec.partition(":")
            if name not in FIELDS:
                return 400, "text/plain", f"Unknown filter field {name}\n".encode()
            try:
                filters.append((neg, name, re.compile(rx)))
            except re.error:
                return 400, "text/plain", b"Bad filter regex\n"
        collapses = []
        for k, v in params:
            if k == "collapse":
                name, _, n = v.partition(":")
                if name not in FIELDS:
                    return 400, "text/plain", f"Unknown collapse field {name}\n".encode()
                collapses.append((name, int(n) if n.isdigit() else None))
        lo = re.sub(r"\D", "", one.get("from", "")).ljust(14, "0")
        hi = re.sub(r"\D", "", one.get("to", "")).ljust(14, "9") if one.get("to") else "9" * 14
        json_out = one.get("output") == "json"
        if one.get("showNumPages") == "true":
            return 200, "text/plain", b"1\n"
        rows = [c for c in self.captures if _matches(c.urlkey, match, key) and lo <= c.timestamp <= hi]
        resume = one.get("resumeKey")
        prev: dict[str, str | None] = {name: None for name, _ in collapses}
        if resume:
            key = unquote_plus(resume)
            if " " not in key and ("%" in key or "+" in key):
                key = unquote_plus(key)
            rkey, _, rts = key.rpartition(" ")
            pos = next((j for j, c in enumerate(rows) if (c.urlkey, c.timestamp) > (rkey, rts)), len(rows))
            at = [c for c in rows[:pos] if (c.urlkey, c.timestamp) == (rkey, rts)]
            for name, n in collapses:
                prev[name] = getattr(at[0], name)[:n] if at and n else getattr(at[0], name) if at else None
            rows = rows[pos:]
        out: list[Capture] = []
        for c in rows:
            if any(bool(rx.fullmatch(getattr(c, name))) == neg for neg, name, rx in filters):
                continue
            dup = False
            for name, n in collapses:
                value = getattr(c, name)[:n] if n else getattr(c, name)
                dup = dup or value == prev[name]
                prev[name] = value
            if not dup:
                out.append(c)
        limit = one.get("limit")
        more = False
        if limit and re.fullmatch(r"-?\d+", limit):
            n = int(limit)
            if n >= 0:
                more, out = len(out) > n, out[:n]
            else:
                out = out[n:]
        show_key = one.get("showResumeKey") == "true" and more and out
        key_text = quote_plus(f"{out[-1].urlkey} {out[-1].timestamp}") if show_key else ""
        if json_out:
            table: list[list[str]] = [fl] + [[c.row()[f] for f in fl] for c in out] if out else []
            if show_key:
                table += [[], [key_text]]
            body = "[" + ",\n".join(_json_row(r) for r in table) + "]\n"
            return 200, "application/json", body.encode()
        text = "".join(" ".join(c.row()[f] for f in fl) + "\n" for c in out)
        if show_key:
            text += f"\n{key_text}\n"
        return 200, "text/plain", text.encode()

    # -- replay --
    def replay(self, rest: str) -> tuple[int, list[tuple[str, str]], bytes]:
        """Status, headers and body for ``/web/<rest>``."""
        m = re.match(r"(\d{1,14})([a-z]{2}_)?/(.*)$", rest, re.S)
        if not m:
            return 400, [("Content-Type", "text/plain")], b"Bad replay request\n"
        ts, flag, url = m.group(1), m.group(2) or "", m.group(3)
        url = re.sub(r"^(https?):/+", r"\1://", url)
        if "://" not in url:
            url = "http://" + url
        ts = ts + "00000101000000"[len(ts) :] if len(ts) < 14 else ts
        ts = ts[:4] + (ts[4:6] if ts[4:6] != "00" else "01") + (ts[6:8] if ts[6:8] != "00" else "01") + ts[8:]
        caps = self._by_key.get(surt(url), [])
        html_type = [("Content-Type", "text/html; charset=utf-8")]
        if not caps:
            return 404, html_type, _not_archived(url)
        exact = next((c for c in caps if c.timestamp == ts), None)
        if exact is None or unquote(exact.original) != unquote(url):
            target = exact or min(caps, key=lambda c: (abs((_dt(c.timestamp) - _dt(ts)).total_seconds()), c.timestamp))
            where = f"{self._need_base()}/web/{target.timestamp}{flag}/{target.original}"
            return 302, [*html_type, ("Location", where)], _moved(where, "302 Found")
        c = exact
        orig = dict(c.headers)
        headers = [("Content-Type", orig.get("Content-Type", "text/html")), ("Memento-Datetime",
                   _http_date(_dt(c.timestamp)))]  # fmt: skip
        headers += [(f"X-Archive-Orig-{k}", v) for k, v in c.headers if k != "Content-Type"]
        if c.location:
            headers.append(("Location", f"{self._need_base()}/web/{c.timestamp}{flag}/{c.location}"))
        body = c.body
        if (
            flag not in ("id_", "im_", "js_", "cs_")
            and c.mimetype in ("text/html", "warc/revisit")
            and (orig.get("Content-Type", "").startswith("text/html"))
        ):
            body = self._rewrite(body, c, flag)
        return c.status, headers, body

    def _rewrite(self, body: bytes, c: Capture, flag: str) -> bytes:
        """Links into the archive, and the toolbar unless ``if_``/``fw_``."""
        root = c.original.split("/", 3)
        origin = "/".join(root[:3])
        prefix = f"/web/{c.timestamp}{flag}/".encode()
        body = re.sub(rb'((?:href|src)=")/(?!/)', rb"\g<1>" + prefix + origin.encode() + b"/", body)
        if flag in ("if_", "fw_"):
            return body
        bar = (f'<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp">{c.timestamp} {html.escape(c.original)}'
               "</div><!-- END WAYBACK TOOLBAR INSERT -->").encode()  # fmt: skip
        return re.sub(rb"(<body[^>]*>)", rb"\g<1>" + bar.replace(b"\\", b"\\\\"), body, count=1, flags=re.I)

    # -- HTTP --
    def _gate(self, kind: str) -> tuple[int | None, int | None, bool]:
        """(refusal status or None, retry_after, violation) for one request of an endpoint."""
        with self._lock:
            if self.block_after is not None and self._violations[kind] >= self.block_after:
                return 403, None, True
            ok, retry, violation = self._buckets[kind].take(time.monotonic(), self.grace)
            if violation:
                self._violations[kind] += 1
                self.violations += 1
            if ok:
                return None, None, False
            self.rate_limited += 1
            return 429, retry, violation

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        wb = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def version_string(self) -> str:
                return "nginx"

            def _answer(self, send_body: bool) -> None:
                path = self.path
                kind = "cdx" if path.split("?")[0] in ("/cdx/search/cdx", "/cdx/search/cdx/") else (
                    "replay" if path.startswith("/web/") else "other")  # fmt: skip
                headers: list[tuple[str, str]] = [("Content-Type", "text/plain")]
                violation, retry = False, None
                refused, retry, violation = wb._gate(kind) if kind != "other" else (None, None, False)
                if refused == 403:
                    status, body = 403, b"Blocked: too many requests after Retry-After.\n"
                elif refused == 429:
                    status, body = 429, b"429 Too Many Requests\n"
                    headers.append(("Retry-After", str(retry)))
                elif kind == "cdx":
                    status, ctype, body = wb.cdx(urlsplit(path).query)
                    headers = [("Content-Type", ctype)]
                elif kind == "replay":
                    status, headers, body = wb.replay(path[len("/web/") :])
                else:
                    status, body = 404, _not_archived(path)
                    headers = [("Content-Type", "text/html; charset=utf-8")]
                with wb._lock:
                    wb.requests.append(WaybackRequest(time.time(), kind, path, status, violation, retry))
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(True)

            def do_HEAD(self) -> None:
                self._answer(False)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def _matches(urlkey: str, match: str, key: str) -> bool:
    """Whether a urlkey answers a CDX query of that matchType (``key``: the SURT, or the SURT host for host/domain)."""
    if match == "exact":
        return urlkey == key
    if match == "prefix":
        return urlkey.startswith(key)
    return urlkey.startswith(key + ")") or (match == "domain" and urlkey.startswith(key + ","))


def _json_row(row: list[str]) -> str:
    return json.dumps(row, ensure_ascii=False)


def main(argv: list[str] | None = None) -> None:
    """Serve in the foreground until interrupted."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8002)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--cdx-per-minute", type=float, default=30)
    ap.add_argument("--replay-per-minute", type=float, default=300)
    ap.add_argument("--whole", action="store_true", help="the whole portal, not its news list only")
    args = ap.parse_args(argv)
    wb = IndependentWayback(args.articles, args.seed, args.cdx_per_minute, args.replay_per_minute, whole=args.whole)
    with wb.serve(args.host, args.port):
        print(wb.cdx_url, wb.replay_url, wb.home if args.whole else wb.site, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
