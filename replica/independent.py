"""An independent replica of the Điện Biên district news portal (huyendienbien.gov.vn).

Written only from PORTAL.md and one seed article's text, in its own markup: an ASP.NET WebForms-style table
layout (``ctl00_...`` control ids, ``__VIEWSTATE``), list entries as one ``<table>`` per article, the article as
``div``/``span`` blocks, "Các tin bài khác" as a ``<fieldset>`` with a ``<table>``, side boxes as ``div``/``dl``/
``table``. The pagers run their parts together with no whitespace, and a ``pager`` mode makes them lie about the total.

Run: ``python -m replica.independent --port 8001 --articles 64 --pager too_big --beyond empty``.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import math
import random
import re
import struct
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

PER_PAGE = 10
PAGER_MODES = ("truthful", "too_big", "too_small", "none", "run_on_digits")
BEYOND_MODES = ("empty", "404", "repeat_first")
KINDS = ("list", "article", "image", "robots", "other")
BANNER = "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN ĐIỆN BIÊN"
ROBOTS = "User-agent: *\r\nDisallow: /Admin/\r\n"


@dataclass(frozen=True)
class TruthArticle:
    """What a reader sees on one article page; ``path`` is the list's link without its query."""

    path: str
    title: str
    published: datetime
    author: str | None
    paragraphs: tuple[str, ...]
    images: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class RequestRecord:
    """One request the server answered."""

    method: str
    path_with_query: str
    status: int
    at: float


@dataclass(frozen=True)
class _Doc:
    """An article plus how its body is marked up: blocks are ("p", style, text), ("img", path, caption), ("blank",)."""

    truth: TruthArticle
    slug: str
    blocks: tuple[tuple, ...]
    lead: str
    thumb: str


# --- a tiny vocabulary -------------------------------------------------------------------------------------------

COMMUNES = (
    "Thanh Xương", "Thanh An", "Thanh Chăn", "Thanh Yên", "Thanh Luông", "Thanh Hưng", "Noọng Hẹt", "Sam Mứn",
    "Pom Lót", "Núa Ngam", "Mường Nhà", "Mường Lói", "Na Ư", "Mường Pồn", "Hẹ Muông", "Na Tông", "Phu Luông",
    "Nà Tấu", "Mường Phăng", "Nà Nhạn", "Pá Khoang", "Thanh Nưa",
)  # fmt: skip
TOPICS = (
    "chương trình mỗi xã một sản phẩm (OCOP)", "xây dựng nông thôn mới", "chuyển đổi số", "cải cách hành chính",
    "giảm nghèo bền vững", "phòng cháy, chữa cháy rừng", "bảo vệ môi trường", "bảo đảm trật tự an toàn giao thông",
    "phổ biến, giáo dục pháp luật", "phát triển du lịch cộng đồng", "công tác dân tộc",
    "bảo hiểm xã hội, bảo hiểm y tế", "phòng, chống dịch bệnh", "thuỷ lợi nội đồng", "công tác tuyển quân",
)  # fmt: skip
EVENTS = (
    "Hội nghị sơ kết 6 tháng đầu năm", "Hội nghị tổng kết", "Hội nghị triển khai", "Lễ ra quân", "Tập huấn",
    "Hội thảo", "Kiểm tra, giám sát", "Hội nghị thường niên về",
)  # fmt: skip
PRODUCTS = (
    ("Mật ong hoa ban", "Hợp tác xã Ong mật Điện Biên"), ("Gạo Séng cù", "HTX dịch vụ tổng hợp Thanh Yên"),
    ("Gạo tám thơm Nàng Hiên", "Công ty TNHH Thực phẩm Safe Green"), ("Chè Tủa Chùa", "HTX chè Thanh Luông"),
    ("Cà phê Mường Phăng", "HTX nông nghiệp Mường Phăng"), ("Thịt trâu khô", "Cơ sở Lò Thị Ánh"),
)  # fmt: skip
PEOPLE = (
    ("Nguyễn Trọng Phương", "Chuyên gia công ty TNHH Công nghệ NHONHO"), ("Lò Văn Tiến", "Phó Chủ tịch UBND huyện"),
    ("Phạm Văn Hùng", "Chủ tịch UBND huyện"), ("Quàng Thị Mai", "Phó Bí thư Thường trực Huyện ủy"),
)  # fmt: skip
NAMES = (
    "Nguyễn Hoài Nam", "Lò Văn Thắng", "Quàng Thị Hương", "Trần Thu Hà", "Lường Văn Ngọc", "Vũ Minh Đức",
    "Cà Thị Thuỷ", "Phạm Quang Huy",
)  # fmt: skip
UNITS = (
    "Trung tâm VH-TT-TH huyện", "Phòng Nông nghiệp & PTNT", "Văn phòng HĐND-UBND huyện", "Phòng Văn hóa và Thông tin",
    "Ban Tuyên giáo Huyện ủy", None,
)  # fmt: skip
CAPTIONS = (
    "Quang cảnh hội nghị", "Đồng chí {person} phát biểu tại hội nghị", "Các đại biểu tham quan gian hàng sản phẩm OCOP",
    "Cánh đồng Mường Thanh vào vụ thu hoạch", "Lãnh đạo huyện trao giấy chứng nhận cho các chủ thể",
)  # fmt: skip
LINKS = (
    ("http://dienbien.gov.vn", "Cổng TTĐT tỉnh Điện Biên"), ("https://chinhphu.vn", "Cổng TTĐT Chính phủ"),
    ("https://dienbiendong.dienbien.gov.vn", "Huyện Điện Biên Đông"),
    ("http://baodienbienphu.info.vn", "Báo Điện Biên Phủ"),
)  # fmt: skip


def _slug(title: str) -> str:
    """Upper-case ASCII, every other character a dash (" - " gives "---"), as the portal's URLs show."""
    base = unicodedata.normalize("NFD", title.replace("Đ", "D").replace("đ", "D").replace("Ð", "D"))
    ascii_ = "".join(c for c in base if not unicodedata.combining(c)).upper()
    return re.sub(r"[^A-Z0-9]", "-", ascii_).strip("-")


def _clock(dt: datetime) -> str:
    """dd/mm/yyyy hh:mm:ss AM/PM, independent of the locale."""
    hour = dt.hour % 12 or 12
    return f"{dt:%d/%m/%Y} {hour:02d}:{dt:%M:%S} {'AM' if dt.hour < 12 else 'PM'}"


def _title(rng: random.Random, year: int) -> str:
    """One Vietnamese headline."""
    c, t, e = rng.choice(COMMUNES), rng.choice(TOPICS), rng.choice(EVENTS)
    prod, owner = rng.choice(PRODUCTS)
    forms = (
        f"{e} {t} năm {year}",
        f"Huyện Điện Biên: {e} {t}",
        f"Xã {c} đạt chuẩn nông thôn mới năm {year}",
        f"UBND huyện Điện Biên ban hành kế hoạch về {t} năm {year}",
        f"{prod} của {owner} đạt {rng.choice((3, 4, 5))} sao OCOP",
        f"Đoàn công tác của tỉnh kiểm tra {t} tại xã {c}",
        f"Phiên họp tháng {rng.randint(1, 12):02d} năm {year} UBND huyện Điện Biên",
        f"“Ngày hội Đại đoàn kết toàn dân tộc” tại bản Noong {rng.choice(('Bua', 'Ứng', 'Nhai'))}, xã {c}",
        f"Huyện Điện Biên {rng.randint(2, 9) * 10} năm phấn đấu - xây dựng - trưởng thành",
        f"HUYỆN ĐIỆN BIÊN TỔ CHỨC {e.upper()} {t.upper()}",
    )
    return rng.choice(forms)


def _sentence(rng: random.Random, year: int) -> str:
    """One Vietnamese sentence of a news body."""
    c, t = rng.choice(COMMUNES), rng.choice(TOPICS)
    prod, owner = rng.choice(PRODUCTS)
    person, role = rng.choice(PEOPLE)
    forms = (
        "Tham dự có các đồng chí Lãnh đạo Huyện ủy, HĐND, UBND huyện; đại diện lãnh đạo các cơ quan, đơn vị và UBND "
        "các xã thuộc huyện.",
        f"Theo báo cáo, năm {year} toàn huyện đã hoàn thành {rng.randint(60, 99)}% kế hoạch về {t}.",
        f"Xã {c} hiện có {rng.randint(600, 2500)} hộ dân với hơn {rng.randint(3000, 9000)} nhân khẩu, chủ yếu là đồng "
        "bào dân tộc Thái, Mông, Khơ Mú.",
        f"{owner} với sản phẩm {prod} đã được UBND tỉnh công nhận đạt {rng.choice(('3', '4', 'bốn'))} sao.",
        "Phòng Nông nghiệp & PTNT huyện phối hợp với các xã hướng dẫn nhân dân chăm sóc lúa vụ Đông Xuân, phòng trừ "
        "sâu bệnh hại, bảo đảm nước tưới từ các công trình thuỷ lợi.",
        f"Phát biểu chỉ đạo, đồng chí {person} – {role} đề nghị các cơ quan, đơn vị tiếp tục triển khai nghiêm túc "
        f"các văn bản về {t}.",
        f"Thực hiện Quyết định số {rng.randint(100, 999)}/QĐ-UBND ngày {rng.randint(1, 28):02d}/"
        f"{rng.randint(1, 12):02d}/{year} của UBND tỉnh Điện Biên, huyện đã thành lập Ban chỉ đạo.",
        "Cánh đồng Mường Thanh là vựa lúa lớn nhất vùng Tây Bắc, với các giống lúa đặc sản như Séng cù, Bắc thơm số 7, "
        "Tám thơm.",
        "Công tác chăm sóc sức khoẻ nhân dân được quan tâm; hoà giải ở cơ sở đạt kết quả tốt.",
        f"Nhiều hộ gia đình ở xã {c} đã mạnh dạn chuyển đổi cây trồng, vật nuôi, thu nhập bình quân đạt "
        f"{rng.randint(25, 48)} triệu đồng/người/năm.",
    )
    return rng.choice(forms)


def _doc(rng: random.Random, index: int, published: datetime, title: str, slug: str) -> _Doc:
    """Generate one article's body, author and images."""
    year = published.year
    first = f"Ngày {published.day}/{published.month}, huyện Điện Biên tổ chức {title[0].lower()}{title[1:]}."
    paragraphs = [first]
    for _ in range(rng.randint(2, 6)):
        paragraphs.append(" ".join(_sentence(rng, year) for _ in range(rng.randint(1, 3))))
    paragraphs[-1] = paragraphs[-1] + "/."
    if index % 23 == 4:  # copied-in text: decomposed marks
        paragraphs = [unicodedata.normalize("NFD", p) for p in paragraphs]
    blocks: list[tuple] = []
    images: list[tuple[str, str | None]] = []
    image_after = set(rng.sample(range(1, len(paragraphs)), k=min(len(paragraphs) - 1, rng.choice((0, 0, 1, 1, 2)))))
    for i, text in enumerate(paragraphs):
        if i in image_after:
            path = f"/Uploads/images/{rng.choice(('IMG_', 'DSC_', 'anh-'))}{rng.randint(100, 9999):04d}.jpg"
            if any(p == path for p, _ in images):
                path = path.replace(".jpg", f"-{i}.jpg")
            caption = None if rng.random() < 0.3 else rng.choice(CAPTIONS).format(person=rng.choice(PEOPLE)[0])
            images.append((path, caption))
            blocks.append(("img", path, caption))
        if i and rng.random() < 0.15:
            blocks.append(("blank",))
        blocks.append(("p", rng.randrange(5), text))
    author: str | None = None
    if rng.random() >= 0.2:
        unit = rng.choice(UNITS)
        author = rng.choice(NAMES) + (f" – {unit}" if unit else "")
    lead = paragraphs[0] if len(paragraphs[0]) <= 200 else paragraphs[0][:200].rsplit(" ", 1)[0] + "..."
    thumb = images[0][0].replace("/images/", "/images/thumbs/") if images else "/Uploads/images/no-image.png"
    truth = TruthArticle(f"/T/{slug}", title, published, author, tuple(paragraphs), tuple(images))
    return _Doc(truth, slug, tuple(blocks), lead, thumb)


def _generate(n: int, seed: int) -> list[_Doc]:
    """n articles, newest first, with strictly descending publication times."""
    rng = random.Random(seed)
    when = datetime(2024, 3, 12, 8, 0, 0) + timedelta(seconds=rng.randint(0, 8 * 3600))
    docs: list[_Doc] = []
    titles: set[str] = set()
    slugs: set[str] = set()
    for i in range(n):
        if i:
            cand = when - timedelta(seconds=rng.randint(3 * 3600, 80 * 3600))
            if i == 1:
                cand = cand.replace(hour=0, minute=5, second=10)  # 12:05:10 AM
            elif i == 2:
                cand = cand.replace(hour=12, minute=30, second=0)  # 12:30:00 PM
            while cand >= when:
                cand -= timedelta(days=1)
            when = cand
        title = _title(rng, when.year)
        for _ in range(50):
            if title not in titles:
                break
            title = _title(rng, when.year)
        else:
            title = f"{title} (lần {i})"
        titles.add(title)
        if i % 29 == 7:  # copied-in text: Icelandic Eth for Đ
            title = title.replace("Đ", "Ð")
        slug = _slug(title)
        if slug in slugs:
            slug = f"{slug}-{i}"
        slugs.add(slug)
        doc = _doc(rng, i, when, title, slug)
        if i % 29 == 7:
            t = doc.truth
            paras = tuple(p.replace("Đ", "Ð") for p in t.paragraphs)
            blocks = tuple((b[0], b[1], b[2].replace("Đ", "Ð")) if b[0] == "p" else b for b in doc.blocks)
            truth = TruthArticle(t.path, t.title, t.published, t.author, paras, t.images)
            doc = _Doc(truth, slug, blocks, doc.lead.replace("Đ", "Ð"), doc.thumb)
        docs.append(doc)
    return docs


# --- tiny images -------------------------------------------------------------------------------------------------


def _jpeg() -> bytes:
    """A valid 8x8 mid-grey baseline JPEG (one DC-only block)."""
    seg = lambda marker, body: struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body  # noqa: E731
    huff = bytes([1] + [0] * 15 + [0])
    return (
        b"\xff\xd8"
        + seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + seg(0xDB, b"\x00" + b"\x01" * 64)
        + seg(0xC0, b"\x08\x00\x08\x00\x08\x01\x01\x11\x00")
        + seg(0xC4, b"\x00" + huff)
        + seg(0xC4, b"\x10" + huff)
        + seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f\xff\xd9"
    )


def _png() -> bytes:
    """A valid 1x1 PNG."""
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xc8\x3c\x28"))
        + chunk(b"IEND", b"")
    )


JPEG, PNG = _jpeg(), _png()


# --- the portal --------------------------------------------------------------------------------------------------


def _kind(path_with_query: str) -> str:
    """Which kind of page a request asked for, by its path alone."""
    low = unquote(urlsplit(path_with_query).path).lower()
    if low in ("/tintuc", "/tintuc/"):
        return "list"
    if low.startswith("/t/"):
        return "article"
    if low.startswith("/uploads/"):
        return "image"
    return "robots" if low == "/robots.txt" else "other"


def _smaller(total: int) -> int:
    """A stale total well below the real one (20 for 64)."""
    d = (total // 3) // PER_PAGE * PER_PAGE or total // 3
    return min(d, max(total - 1, 0))


class IndependentPortal:
    """A deterministic district portal served on loopback, with a pager that may lie about the total."""

    def __init__(self, n_articles: int = 64, pager: str = "truthful", beyond: str = "empty", seed: int = 7) -> None:
        if pager not in PAGER_MODES:
            raise ValueError(f"pager must be one of {PAGER_MODES}")
        if beyond not in BEYOND_MODES:
            raise ValueError(f"beyond must be one of {BEYOND_MODES}")
        if n_articles < 1:
            raise ValueError("n_articles must be at least 1")
        self.pager, self.beyond, self.seed = pager, beyond, seed
        self._docs = _generate(n_articles, seed)
        self._by_slug = {d.slug.upper(): d for d in self._docs}
        self.articles: list[TruthArticle] = [d.truth for d in self._docs]
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        rng = random.Random(seed * 7919 + 1)
        self._hits_base = rng.randint(1_200_000, 4_800_000)
        self._views = rng.randint(10_000, 99_999)
        self._viewstate = "/wE" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                                          for _ in range(120))  # fmt: skip
        self.base: str | None = None

    # -- public API --
    @property
    def last_page(self) -> int:
        """The real last list page."""
        return math.ceil(len(self._docs) / PER_PAGE)

    @property
    def list_url(self) -> str:
        """First list page's URL; only while serving."""
        if self.base is None:
            raise RuntimeError("not serving")
        return self.base + "/Tintuc/?PageIndex=1"

    def count(self, kind: str) -> int:
        """Requests of one kind ("list", "article", "image", "robots", "other") so far."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        with self._lock:
            return sum(1 for r in self.requests if _kind(r.path_with_query) == kind)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve in a background thread; yields the base URL."""
        server = ThreadingHTTPServer((host, port), self._handler())
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name="independent-portal", daemon=True)
        thread.start()
        self.base = f"http://{host}:{server.server_address[1]}"
        try:
            yield self.base
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
            self.base = None

    # -- routing --
    def respond(self, path_with_query: str) -> tuple[int, str, bytes]:
        """Status, content type and body for one GET."""
        parts = urlsplit(path_with_query)
        path = unquote(parts.path)
        low = path.lower()
        query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        try:
            page = max(1, int(query.get("pageindex", "1")))
        except ValueError:
            page = 1
        html_type = "text/html; charset=utf-8"
        if low in ("/tintuc", "/tintuc/"):
            body = self._list_page(page)
            return (404, html_type, self._not_found()) if body is None else (200, html_type, body)
        if low.startswith("/t/"):
            doc = self._by_slug.get(path[3:].upper())
            return (200, html_type, self._article_page(doc, page)) if doc else (404, html_type, self._not_found())
        if low.startswith("/uploads/") and low.endswith((".jpg", ".jpeg")):
            return 200, "image/jpeg", JPEG
        if low.startswith("/uploads/") and low.endswith((".png", ".gif")):
            return 200, "image/png", PNG
        if low == "/robots.txt":
            return 200, "text/plain; charset=utf-8", ROBOTS.encode()
        return 404, html_type, self._not_found()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "Microsoft-IIS/8.5"
            sys_version = ""

            def _answer(self, send_body: bool) -> None:
                status, ctype, body = portal.respond(self.path)
                with portal._lock:  # recorded before the answer leaves, so a client never sees it unrecorded
                    portal.requests.append(RequestRecord(self.command, self.path, status, time.monotonic()))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-AspNet-Version", "4.0.30319")
                self.send_header("X-Powered-By", "ASP.NET")
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

    # -- pager --
    def _pager(self, page: int, shown: int, total: int, href: Callable[[int], str], css: str) -> str:
        """The run-on pager: "X-Y of N" (per mode) then «, ..., a window of five pages, ..., », no whitespace."""
        mode = self.pager
        declared = int(f"{total}12345") if mode == "too_big" else _smaller(total) if mode == "too_small" else total
        # too_big: links never reach an end; otherwise they end at the declared last page (or the current one)
        last = math.ceil(declared / PER_PAGE) if mode == "too_big" else max(1, math.ceil(declared / PER_PAGE), page)
        first_item = (page - 1) * PER_PAGE + 1
        last_item = page * PER_PAGE if mode == "too_big" else first_item - 1 + shown
        parts: list[str] = []
        if mode != "none":
            parts.append(f'<span class="pg-info">{first_item}-{last_item} of {declared}</span>')
        if mode == "run_on_digits":
            parts.append(f'<span class="pg-views" title="Lượt xem">{self._views}</span>')
        start = max(1, page - 2)
        end = min(last, start + 4)
        start = max(1, end - 4)
        link = lambda k, text, cls: f'<a class="{cls}" href="{href(k)}">{text}</a>'  # noqa: E731
        if page > 1:
            parts.append(link(page - 1, "«", "pg-prev"))
        if start > 1:
            parts.append(link(start - 1, "...", "pg-more"))
        for k in range(start, end + 1):
            parts.append(f'<span class="pg-cur">{k}</span>' if k == page else link(k, str(k), "pg-num"))
        if end < last:
            parts.append(link(end + 1, "...", "pg-more"))
        if page < last:
            parts.append(link(page + 1, "»", "pg-next"))
        return f'<div class="{css}" id="ctl00_cphMain_pgr">' + "".join(parts) + "</div>"

    # -- pages --
    def _slice(self, docs: list[_Doc], page: int) -> tuple[int, list[_Doc]] | None:
        """(page shown, its docs) per the beyond mode, or None for a 404."""
        last = max(1, math.ceil(len(docs) / PER_PAGE))
        if page > last:
            if self.beyond == "404":
                return None
            if self.beyond == "repeat_first":
                return 1, docs[:PER_PAGE]
            return page, []
        return page, docs[(page - 1) * PER_PAGE : page * PER_PAGE]

    def _list_page(self, page: int) -> bytes | None:
        got = self._slice(self._docs, page)
        if got is None:
            return None
        page, docs = got
        rows = []
        for d in docs:
            url = f"{d.truth.path}?PageIndex={page}"
            rows.append(
                '<table class="tt-row" cellpadding="0" cellspacing="0" width="100%"><tr>'
                f'<td class="tt-img" valign="top" width="130"><a href="{url}"><img src="{d.thumb}" alt="" width="120" '
                'height="80" border="0" /></a></td>\n'
                f'<td class="tt-txt" valign="top"><a class="tt-link" href="{url}">{html.escape(d.truth.title)}</a>\n'
                f'<div class="tt-sapo">{html.escape(d.lead)}</div></td></tr></table>'
            )
        pager = self._pager(page, len(docs), len(self._docs), lambda k: f"/Tintuc/?PageIndex={k}", "pg-list")
        main = (
            '<div id="ctl00_cphMain_ucList_pnList" class="khung-tin">\n<div class="khung-tieude">'
            '<span>TIN TỨC - SỰ KIỆN</span></div>\n<div class="khung-noidung">\n'
            + "\n".join(rows)
            + f"\n</div>\n{pager}\n</div>"
        )
        return self._chrome("Tin tức - Sự kiện", f"./?PageIndex={page}", main, detail=False)

    def _block(self, b: tuple) -> str:
        if b[0] == "blank":
            return "<p>&nbsp;</p>"
        if b[0] == "img":
            path, caption = b[1], b[2]
            name = path.rsplit("/", 1)[1]
            img = f'<img alt="{name}" src="{path}" style="width: 500px; height: 333px;" />'
            if caption is None:
                return f'<p style="text-align: center;">{img}</p>'
            return (
                '<table align="center" border="0" cellpadding="1" cellspacing="1" class="tbl-anh" '
                'style="width: 500px;">'
                f'<tbody><tr><td>{img}</td></tr><tr><td style="text-align: center;"><em>{html.escape(caption)}</em>'
                "</td></tr></tbody></table>"
            )
        style, text = b[1], b[2]
        e = html.escape
        if style == 1:
            return (
                '<p><span style="font-size:14px;"><span style="font-family:times new roman,times,serif;">'
                f"{e(text)}</span></span></p>"
            )
        if style == 2:
            return f'<div style="text-align: justify;">{e(text)}</div>'
        if style == 3 and 0 < text.find(", ") < 40:
            cut = text.find(", ") + 2
            return f"<p><strong>{e(text[:cut])}</strong>{e(text[cut:])}</p>"
        if style == 4 and " " in text[20:]:
            cut = text.index(" ", 20) + 1
            return (
                f'<p style="text-align:justify"><span lang="VI">{e(text[:cut])}</span>'
                f'<span lang="VI">{e(text[cut:])}</span></p>'
            )
        return f'<p style="text-align: justify;">{e(text)}</p>'

    def _article_page(self, doc: _Doc, page: int) -> bytes:
        t = doc.truth
        body = "\n".join(self._block(b) for b in doc.blocks)
        author = (
            f'<div class="vw-author" align="right"><span>Tác giả: </span><b id="ctl00_cphMain_ucView_lblAuthor">'
            f"{html.escape(t.author)}</b></div>"
            if t.author
            else ""
        )
        others = [d for d in self._docs if d is not doc]
        got = self._slice(others, page)
        shown_page, box = got if got is not None else (page, [])
        rows = "".join(
            f'<tr><td class="on-bullet" width="12"><img src="/Uploads/images/icons/bullet.gif" alt="" /></td>'
            f'<td class="on-link"><a href="{d.truth.path}?PageIndex={shown_page}">{html.escape(d.truth.title)}</a>'
            "</td></tr>\n"
            for d in box
        )
        pager = self._pager(shown_page, len(box), len(others), lambda k: f"?PageIndex={k}", "pg-other")
        main = (
            '<div id="ctl00_cphMain_ucView_pnView" class="vw-news">\n'
            f'<div class="vw-title"><span id="ctl00_cphMain_ucView_lblTitle">{html.escape(t.title)}</span></div>\n'
            '<div class="vw-date"><span class="vw-lbl">Thời gian đăng:</span> '
            f'<span id="ctl00_cphMain_ucView_lblDate">{_clock(t.published)}</span></div>\n'
            f'<div class="vw-content" id="ctl00_cphMain_ucView_divContent">\n{body}\n</div>\n{author}\n</div>\n'
            '<fieldset class="other-news"><legend>Các tin bài khác:</legend>\n'
            f'<table class="on-grid" cellpadding="2" cellspacing="0">\n{rows}</table>\n{pager}\n</fieldset>'
        )
        return self._chrome(t.title, f"/T/{doc.slug}?PageIndex={page}", main, detail=True)

    def _not_found(self) -> bytes:
        return (
            b'<!DOCTYPE html><html><head><meta charset="utf-8" /><title>404 - File or directory not found.</title>'
            b'</head><body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>404 - File or '
            b"directory not found.</h2><h3>The resource you are looking for might have been removed, had its name "
            b"changed, or is temporarily unavailable.</h3></div></body></html>"
        )

    def _chrome(self, title: str, action: str, main: str, detail: bool) -> bytes:
        """The page frame around ``main``: banner, menu, breadcrumbs, side boxes, footer."""
        with self._lock:
            hits = self._hits_base + len(self.requests)
        menu = "".join(
            f'<td class="mnu-item"><a href="{h}">{x}</a></td>'
            for h, x in (("/", "TRANG CHỦ"), ("/Gioithieu/Tongquan", "GIỚI THIỆU"), ("/Tintuc/", "TIN TỨC"),
                         ("/Vanban", "VĂN BẢN"), ("/vanhoa/", "VĂN HÓA"), ("/Lienhe", "LIÊN HỆ"))
        )  # fmt: skip
        crumb = '<a href="/">Trang chủ</a><span class="sep"> › </span><a href="/Tintuc/">Tin tức - Sự kiện</a>'
        if detail:
            crumb += '<span class="sep"> › </span><span class="cur">Chi tiết</span>'
        links = "".join(f'<dd><a href="{h}" target="_blank">{x}</a></dd>' for h, x in LINKS)
        side = (
            '<div class="sb-box"><div class="sb-head">Ảnh đẹp huyện Điện Biên</div>\n<div class="sb-body">'
            '<a href="/Uploads/images/album/canh-dong-muong-thanh.jpg"><img src="/Uploads/images/album/'
            'canh-dong-muong-thanh.jpg" width="240" alt="" /></a>\n<a class="sb-more" href="/Thuvienanh">'
            "Thư viện ảnh</a></div></div>\n"
            '<div class="sb-box"><div class="sb-head"><a href="/Uploads/images/bando/ban-do-hanh-chinh.jpg">'
            "Bản đồ hành chính</a></div></div>\n"
            '<div class="sb-box"><div class="sb-head">Liên kết Website</div>\n'
            f'<dl class="sb-links">{links}</dl></div>\n'
            '<div class="sb-box"><div class="sb-head">Thống kê truy cập</div>\n<table class="sb-counter"><tr>'
            f'<td>Tổng truy cập:</td><td><span id="ctl00_ucCounter_lblTotal">{hits}</span></td></tr>'
            f"<tr><td>Đang trực tuyến:</td><td>{hits % 37 + 3}</td></tr></table></div>"
        )
        page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{html.escape(title)} - Cổng thông tin điện tử huyện Điện Biên</title>
<link href="/App_Themes/Default/style.css" rel="stylesheet" type="text/css" /></head>
<body>
<form name="aspnetForm" method="post" action="{html.escape(action)}" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{self._viewstate}" /></div>
<script type="text/javascript">
//<![CDATA[
function __doPostBack(eventTarget, eventArgument) {{ var f = document.forms['aspnetForm']; f.submit(); }}
//]]>
</script>
<table id="tblMain" class="khung" cellpadding="0" cellspacing="0" width="1000" align="center">
<tr><td colspan="2" class="banner"><div id="ctl00_ucBanner_pnBanner" class="banner-in">\
<img src="/Uploads/images/banner/quoc-huy.png" alt="Quốc huy" class="qh" />\
<div class="ten-cong">{BANNER}</div></div></td></tr>
<tr><td colspan="2" class="thanh-menu"><table class="mnu" cellpadding="0" cellspacing="0"><tr>{menu}</tr></table>\
</td></tr>
<tr><td colspan="2" class="duong-dan"><span id="ctl00_cphMain_lblPath">{crumb}</span></td></tr>
<tr><td class="cot-chinh" valign="top">
{main}
</td><td class="cot-phai" valign="top" width="260">
{side}
</td></tr>
<tr><td colspan="2" class="chan-trang">Bản quyền thuộc Ủy ban nhân dân huyện Điện Biên, tỉnh Điện Biên<br />\
Địa chỉ: Xã Thanh Xương, huyện Điện Biên, tỉnh Điện Biên - ĐT: 0215.3825.xxx</td></tr>
</table>
</form>
</body>
</html>
"""
        return page.encode()


def main(argv: list[str] | None = None) -> None:
    """Serve in the foreground until interrupted."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8001)
    ap.add_argument("--articles", type=int, default=64)
    ap.add_argument("--pager", choices=PAGER_MODES, default="truthful")
    ap.add_argument("--beyond", choices=BEYOND_MODES, default="empty")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    portal = IndependentPortal(args.articles, args.pager, args.beyond, args.seed)
    with portal.serve(args.host, args.port):
        print(portal.list_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
