"""An independent replica of the Điện Biên district news portal (huyendienbien.gov.vn).

Written only from PORTAL.md and one seed article's text, in its own markup: an ASP.NET WebForms-style table
layout (``ctl00_...`` control ids, ``__VIEWSTATE``), list entries as one ``<table>`` per article, the article as
``div``/``span`` blocks, "Các tin bài khác" as a ``<fieldset>`` with a ``<table>``, side boxes as ``div``/``dl``/
``table``. The pagers run their parts together with no whitespace, and a ``pager`` mode makes them lie about the total.

With ``whole=True`` it is the whole portal: a home page (``/``, ``/Default.aspx``) with menus and boxes of the newest
articles, a second category ("Chỉ đạo - Điều hành", ``/Chidaodieuhanh/``), a culture sub-site (``/vanhoa/``, its list
``/vanhoa/Tintuc/`` and articles at ``/vanhoa/Tintuc/View/<Mixed-Case-Slug>``), a paginated photo library
(``/Thuvienanh/``, albums at ``/Thuvienanh/View/<Slug>``, photos under ``/Uploads/album/``), an administrative map
page, static pages, links to other hosts, and attachments under ``/Uploads/files/`` (PDFs with an ASCII text layer, a
DOCX, a scanned PDF without text, a broken PDF). No sitemap. Ground truth: ``sections``, ``all_articles``,
``albums``, ``attachments``, ``minimum``.

Run: ``python -m replica.independent --port 8001 --articles 64 --pager too_big --beyond empty [--whole]``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import io
import math
import random
import re
import struct
import threading
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

PER_PAGE = 10
PAGER_MODES = ("truthful", "too_big", "too_small", "none", "run_on_digits")
BEYOND_MODES = ("empty", "404", "repeat_first")
KINDS = ("list", "article", "image", "robots", "other", "album", "photo", "attachment", "home")
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
    sections: tuple[str, ...] = ()  # the lists that show it (``TruthSection.path``); filled only with ``whole=True``


class TruthSection(NamedTuple):
    """One news list: its first page as the menu links it, the menu's title, its sub-site, its articles in order."""

    path: str
    title: str
    parent: str | None
    articles: list[str]


class TruthAlbum(NamedTuple):
    """One photo album: path alone (no query), title, time shown (or None), photos as (path, caption, alt) in order."""

    path: str
    title: str
    published: datetime | None
    photos: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class TruthAttachment:
    """One document on the portal's host; ``text`` is its lines joined by newlines (None when scanned or broken)."""

    path: str
    filename: str
    content_type: str
    sha256: str
    text: str | None
    scanned: bool
    broken: bool
    linked_from: str  # an article's path, or a section's path when a list page links it
    size: int = 0
    unique_word: str | None = None  # a word found in this file and on no page of the portal


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


# --- the whole portal: more sections, albums, attachments ------------------------------------------------------

WHOLE_LINKS = (
    ("http://dienbien.gov.vn/", "Cổng TTĐT tỉnh Điện Biên"), ("http://chinhphu.vn/", "Cổng TTĐT Chính phủ"),
    ("https://dienbiendong.dienbien.gov.vn/TinTuc/?PageIndex=1", "Huyện Điện Biên Đông"),
)  # fmt: skip
ALBUMS_PER_PAGE = 3
NEWS, CHIDAO, VANHOA, VANHOA_HOME, ALBUM_LIST = (
    "/Tintuc/",
    "/Chidaodieuhanh/",
    "/vanhoa/Tintuc/",
    "/vanhoa/",
    "/Thuvienanh/",
)
VANHOA_VIEW = "/vanhoa/Tintuc/View/"
ALBUM_VIEW = "/Thuvienanh/View/"
FILES = "/Uploads/files/"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BANNER_VANHOA = "TRANG THÔNG TIN VĂN HÓA - DU LỊCH HUYỆN ĐIỆN BIÊN"
CD_FIXED = {1: "UBND huyện Điện Biên công bố Quyết định công nhận sản phẩm OCOP năm 2023"}
VH_FIXED = {0: "Giới thiệu Di tích lịch sử văn hóa Thành Bản Phủ, xã Noọng Hẹt, huyện Điện Biên"}
VH_PLACES = ("bản Him Lam", "bản Co Mỵ", "bản Pa Pốm", "bản Noong Bua", "bản Huổi Hoa", "bản Na Sang")
ALBUM_TITLES = (
    "Cánh đồng Mường Thanh mùa lúa chín", "Lễ hội Hoa Ban năm 2024", "Di tích Thành Bản Phủ",
    "Hội nghị thường niên chương trình OCOP năm 2023", "Đại hội Thể dục thể thao huyện Điện Biên lần thứ VI",
    "Ngày hội Đại đoàn kết toàn dân tộc tại bản Noong Bua", "Xuân về trên bản Mông", "Ảnh đẹp huyện Điện Biên",
)  # fmt: skip
PHOTO_CAPTIONS = (
    "Toàn cảnh cánh đồng Mường Thanh", "Bà con thu hoạch lúa Séng cù", "Hoa ban nở trắng núi rừng Tây Bắc",
    "Du khách chụp ảnh lưu niệm", "Cổng thành nhìn từ phía Nam", "Màn múa xòe Thái trong lễ hội",
    "Gian hàng trưng bày sản phẩm OCOP", "Lãnh đạo huyện trao giấy chứng nhận cho các chủ thể",
    "Các vận động viên thi đấu môn kéo co", "Trẻ em bản Mông chơi tung còn", "Đồng chí Chủ tịch UBND huyện phát biểu",
    "Thiếu nữ Thái trong trang phục truyền thống", "Đường vào bản sau mưa", "Các đại biểu dự hội nghị",
)  # fmt: skip


def _mixed_slug(title: str) -> str:
    """Diacritics dropped, case kept, every run of other characters one dash (the /vanhoa/ shape)."""
    base = unicodedata.normalize("NFD", title.replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    ascii_ = "".join(c for c in base if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-")


def _title_cd(rng: random.Random, year: int) -> str:
    """A headline of the "Chỉ đạo - Điều hành" category."""
    c, t, e = rng.choice(COMMUNES), rng.choice(TOPICS), rng.choice(EVENTS)
    forms = (
        f"UBND huyện Điện Biên ban hành Kế hoạch thực hiện {t} năm {year}",
        f"Chỉ thị về tăng cường {t} trên địa bàn huyện Điện Biên",
        f"Công văn chỉ đạo UBND các xã triển khai {t}",
        f"Thông báo kết luận của Chủ tịch UBND huyện tại phiên họp tháng {rng.randint(1, 12):02d} năm {year}",
        f"Quyết định phê duyệt danh sách hộ nghèo, hộ cận nghèo xã {c} năm {year}",
        f"Kế hoạch tổ chức {e} {t}",
        f"Chủ tịch UBND huyện chỉ đạo khắc phục hậu quả mưa lũ tại xã {c}",
    )
    return rng.choice(forms)


def _title_vh(rng: random.Random, year: int) -> str:
    """A headline of the culture sub-site."""
    c, b = rng.choice(COMMUNES), rng.choice(VH_PLACES)
    forms = (
        f"Lễ hội Hoa Ban năm {year} có nhiều hoạt động đặc sắc",
        f"Nghệ thuật múa xòe Thái ở xã {c}",
        f"Hội thi văn nghệ quần chúng các dân tộc huyện Điện Biên năm {year}",
        f"Bảo tồn nghề dệt thổ cẩm của đồng bào Thái {b}, xã {c}",
        f"Du lịch cộng đồng ở {b}, xã {c}",
        f"Tết Xíp xí của người Thái trắng ở {b}",
        f"Lễ cầu mưa của đồng bào Lào xã {c}",
        f"Giải bóng chuyền hơi người cao tuổi huyện Điện Biên năm {year}",
    )
    return rng.choice(forms)


def _generate_more(
    n: int,
    seed: int,
    start: datetime,
    gap_hours: tuple[int, int],
    title_fn: Callable[[random.Random, int], str],
    fixed: dict[int, str],
    slug_fn: Callable[[str], str],
    prefix: str,
    used: set[str],
) -> list[_Doc]:
    """n articles of another list, newest first; ``used`` holds upper-cased slugs already taken under ``prefix``."""
    rng = random.Random(seed)
    when = start + timedelta(seconds=rng.randint(0, 6 * 3600))
    docs: list[_Doc] = []
    titles: set[str] = set()
    for i in range(n):
        if i:
            when -= timedelta(seconds=rng.randint(gap_hours[0] * 3600, gap_hours[1] * 3600))
        title = fixed.get(i) or title_fn(rng, when.year)
        for _ in range(50):
            if title not in titles:
                break
            title = title_fn(rng, when.year)
        else:
            title = f"{title} (lần {i})"
        titles.add(title)
        slug = slug_fn(title)
        if slug.upper() in used:
            slug = f"{slug}-{i}"
        used.add(slug.upper())
        doc = _doc(rng, i, when, title, slug)
        docs.append(replace(doc, truth=replace(doc.truth, path=prefix + slug)))
    return docs


def _attach(doc: _Doc, path: str) -> _Doc:
    """The article with a "Tải về: <file>" line (linking ``path``) at the end of its body."""
    name = path.rsplit("/", 1)[1]
    truth = replace(doc.truth, paragraphs=(*doc.truth.paragraphs, f"Tải về: {name}"))
    return replace(doc, truth=truth, blocks=(*doc.blocks, ("file", path, name)))


def _pdf_objects(objects: list[bytes], info: int) -> bytes:
    """A PDF file of numbered objects with an exact cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: str = "", flate: bool = True) -> bytes:
    """A stream object's body."""
    if flate:
        data, extra = zlib.compress(data, 9), f"{extra} /Filter /FlateDecode"
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def _pdf_text(pages: list[list[str]], title: str) -> bytes:
    """A PDF whose pages show ASCII lines in Helvetica (WinAnsiEncoding): a real, extractable text layer."""
    n = len(pages)
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(n))
    font, info = 3 + 2 * n, 4 + 2 * n
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    for k, lines in enumerate(pages):
        esc = [ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for ln in lines]
        assert all(ln.isascii() for ln in esc), "the text layer is ASCII only"
        ops = "BT /F1 11 Tf 15 TL 56 786 Td " + " T* ".join(f"({ln}) Tj" for ln in esc) + " ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >> "
            f"/Contents {4 + 2 * k} 0 R >>".encode()
        )
        objects.append(_stream(ops.encode("ascii")))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(f"<< /Title ({title}) /Producer (UBND huyen Dien Bien) /CreationDate (D:20231114090000+07'00') >>"
                   .encode())  # fmt: skip
    return _pdf_objects(objects, info)


def _pdf_scanned(title: str) -> bytes:
    """A one-page PDF that is only a (JPEG) image: no font, no text operators."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        _stream(
            JPEG,
            " /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8"
            " /Filter /DCTDecode",
            flate=False,
        ),
        _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        f"<< /Title ({title}) /Producer (Canon iR-ADV C5535 PDF) >>".encode(),
    ]
    return _pdf_objects(objects, 6)


def _pdf_broken(seed: int) -> bytes:
    """The start of a PDF cut off mid-object, then garbage: no complete object, no xref, no trailer."""
    rng = random.Random(seed)
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catal" + bytes(rng.randrange(256) for _ in range(700))


def _docx(paragraphs: list[str]) -> bytes:
    """A minimal WordprocessingML package; each paragraph's first word is a bold run of its own."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = []
    for text in paragraphs:
        head, _, tail = text.partition(" ")
        tail = " " + tail if tail else ""
        body.append(
            f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{html.escape(head, quote=False)}</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve">{html.escape(tail, quote=False)}</w:t></w:r></w:p>'
        )
    parts = (
        (
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
            '+xml"/></Types>',
        ),
        (
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        ),
        (
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{w}"><w:body>'
            + "".join(body)
            + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>',
        ),
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 20, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode())
    return buf.getvalue()


QD_1250 = [
    [
        "UY BAN NHAN DAN HUYEN DIEN BIEN",
        "CONG HOA XA HOI CHU NGHIA VIET NAM - Doc lap - Tu do - Hanh phuc",
        "So: 1250/QD-UBND                    Dien Bien, ngay 14 thang 11 nam 2023",
        "QUYET DINH",
        "Ve viec cong nhan ket qua danh gia, phan hang san pham OCOP huyen Dien Bien nam 2023",
        "CHU TICH UY BAN NHAN DAN HUYEN DIEN BIEN",
        "Can cu Quyet dinh so 148/QD-TTg ngay 24/02/2023 cua Thu tuong Chinh phu (Bo tieu chi OCOP);",
        "QUYET DINH:",
        "Dieu 1. Cong nhan san pham Mat ong hoa ban cua Hop tac xa Ong mat Dien Bien dat 4 sao;",
        "san pham Tra shan Zeravanh cua HTX nong nghiep Na Tau dat 3 sao.",
        "Dieu 2. Quyet dinh so 1250/QD-UBND co hieu luc ke tu ngay ky.",
        "KT. CHU TICH - PHO CHU TICH",
    ]
]
KH_87 = [
    [
        "UY BAN NHAN DAN HUYEN DIEN BIEN",
        "So: 87/KH-UBND                      Dien Bien, ngay 05 thang 02 nam 2024",
        "KE HOACH",
        "Thuc hien chuong trinh chuyen doi so huyen Dien Bien nam 2024",
        "I. MUC DICH, YEU CAU",
        "1. Nang cao nhan thuc ve chuyen doi so cua can bo, cong chuc va nhan dan.",
    ],
    [
        "II. NHIEM VU",
        "1. Trien khai nen tang so Quavirong tai 21 xa, thi tran truoc ngay 30/6/2024.",
        "2. Phong Van hoa va Thong tin chu tri, phoi hop voi cac co quan lien quan.",
        "Noi nhan: UBND tinh; Thuong truc Huyen uy; cac xa.",
    ],
]
BC_215 = [
    "ỦY BAN NHÂN DÂN HUYỆN ĐIỆN BIÊN",
    "Số: 215/BC-UBND",
    "BÁO CÁO kết quả tổ chức Lễ hội Hoa Ban huyện Điện Biên năm 2024",
    "Lễ hội thu hút hơn 5.000 lượt khách tham quan; đội văn nghệ bản Xoắng giành giải Nhất hội diễn.",
    "Thực hiện Quyết định số 1022/QĐ-UBND ngày 02/02/2024 của UBND huyện, Phòng Văn hóa và Thông tin đã chủ trì tổ "
    "chức lễ hội an toàn, tiết kiệm.",
]


# --- the portal --------------------------------------------------------------------------------------------------


HOME_PATHS = ("/", "/default.aspx", "/vanhoa", "/vanhoa/", "/vanhoa/default.aspx")
LIST_PATHS = ("/chidaodieuhanh", "/chidaodieuhanh/", "/vanhoa/tintuc", "/vanhoa/tintuc/", "/thuvienanh", "/thuvienanh/")


def _kind(path_with_query: str, whole: bool = False) -> str:
    """Which kind of page a request asked for, by its path alone (``whole``: the whole portal's kinds too)."""
    low = unquote(urlsplit(path_with_query).path).lower()
    if low in ("/tintuc", "/tintuc/"):
        return "list"
    if low.startswith("/t/"):
        return "article"
    if whole:
        if low in HOME_PATHS:
            return "home"
        if low in LIST_PATHS:
            return "list"
        if low.startswith(VANHOA_VIEW.lower()):
            return "article"
        if low.startswith(ALBUM_VIEW.lower()):
            return "album"
        if low.startswith("/uploads/album/"):
            return "photo"
        if low.startswith(FILES.lower()):
            return "attachment"
    if low.startswith("/uploads/"):
        return "image"
    return "robots" if low == "/robots.txt" else "other"


def _smaller(total: int) -> int:
    """A stale total well below the real one (20 for 64)."""
    d = (total // 3) // PER_PAGE * PER_PAGE or total // 3
    return min(d, max(total - 1, 0))


class IndependentPortal:
    """A deterministic district portal served on loopback, with a pager that may lie about the total."""

    def __init__(
        self, n_articles: int = 64, pager: str = "truthful", beyond: str = "empty", seed: int = 7, whole: bool = False
    ) -> None:
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
        self.whole = whole
        self.sections: list[TruthSection] = []
        self.all_articles: list[TruthArticle] = []
        self.albums: list[TruthAlbum] = []
        self.attachments: list[TruthAttachment] = []
        self.lower_case_link: str | None = None
        if whole:
            self._build_whole(seed)

    def _build_whole(self, seed: int) -> None:
        """The other lists, the albums and the attachments, and their ground truth."""
        news = self._docs
        n = len(news)
        used = set(self._by_slug)
        shared = sorted({min(i, n - 1) for i in (1, 6, 13)})
        own = _generate_more(15 - len(shared), seed * 31 + 2, datetime(2024, 3, 11, 8), (90, 220), _title_cd,
                             CD_FIXED, _slug, "/T/", used)  # fmt: skip
        vanhoa = _generate_more(12, seed * 31 + 3, datetime(2024, 3, 10, 7), (120, 360), _title_vh, VH_FIXED,
                                _mixed_slug, VANHOA_VIEW, set())  # fmt: skip
        files: dict[str, tuple[str, bytes, str | None, bool, bool, str | None]] = {
            "QD-1250-UBND.pdf": (PDF_TYPE, _pdf_text(QD_1250, "QD 1250/QD-UBND"), "\n".join(QD_1250[0]), False,
                                 False, "Zeravanh"),
            "KH-87-UBND.pdf": (PDF_TYPE, _pdf_text(KH_87, "KH 87/KH-UBND"), "\n".join(ln for pg in KH_87 for ln in pg),
                               False, False, "Quavirong"),
            "BC-215-UBND.docx": (DOCX_TYPE, _docx(BC_215), "\n".join(BC_215), False, False, "Xoắng"),
            "Scan-CV-3012-UBND.pdf": (PDF_TYPE, _pdf_scanned("CV 3012"), None, True, False, None),
            "TB-45-UBND.pdf": (PDF_TYPE, _pdf_broken(seed), None, False, True, None),
        }  # fmt: skip
        linked: dict[str, str] = {}
        own[1] = _attach(own[1], FILES + "QD-1250-UBND.pdf")
        own[4] = _attach(own[4], FILES + "TB-45-UBND.pdf")
        vanhoa[2] = _attach(vanhoa[2], FILES + "BC-215-UBND.docx")
        scan_at = min(2, n - 1)
        news[scan_at] = _attach(news[scan_at], FILES + "Scan-CV-3012-UBND.pdf")
        for doc in (own[1], own[4], vanhoa[2], news[scan_at]):
            linked[doc.blocks[-1][2]] = doc.truth.path
        linked["KH-87-UBND.pdf"] = CHIDAO
        self._cd_files = [FILES + "KH-87-UBND.pdf"]
        chidao = sorted([news[i] for i in shared] + own, key=lambda d: (d.truth.published, d.truth.path), reverse=True)
        lists = {NEWS: news, CHIDAO: chidao, VANHOA: vanhoa}
        member: dict[str, list[str]] = {}
        for key, docs in lists.items():
            for d in docs:
                member.setdefault(d.truth.path, []).append(key)
        fix = {d.truth.path: replace(d, truth=replace(d.truth, sections=tuple(member[d.truth.path])))
               for docs in lists.values() for d in docs}  # fmt: skip
        self._lists = {key: [fix[d.truth.path] for d in docs] for key, docs in lists.items()}
        self._docs = self._lists[NEWS]
        self._home_of = {path: keys[0] for path, keys in member.items()}
        self._by_slug = {d.slug.upper(): d for d in self._docs + self._lists[CHIDAO]}
        self._by_vslug = {d.slug.upper(): d for d in self._lists[VANHOA]}
        self.articles = [d.truth for d in self._docs]
        seen: set[str] = set()
        for docs in self._lists.values():
            for d in docs:
                if d.truth.path not in seen:
                    seen.add(d.truth.path)
                    self.all_articles.append(d.truth)
        self.sections = [
            TruthSection(NEWS, "Tin tức - Sự kiện", None, [d.truth.path for d in self._lists[NEWS]]),
            TruthSection(CHIDAO, "Chỉ đạo - Điều hành", None, [d.truth.path for d in self._lists[CHIDAO]]),
            TruthSection(VANHOA, "Tin tức văn hóa", VANHOA_HOME, [d.truth.path for d in self._lists[VANHOA]]),
        ]
        self._section_titles = {s.path: s.title for s in self.sections}
        self.lower_case_link = self._docs[min(1, n - 1)].truth.path.lower()
        self._files: dict[str, tuple[str, bytes]] = {}
        for name, (ctype, data, text, scanned, broken, word) in files.items():
            path = FILES + name
            self._files[path.lower()] = (ctype, data)
            self.attachments.append(TruthAttachment(path, name, ctype, hashlib.sha256(data).hexdigest(), text,
                                                    scanned, broken, linked[name], len(data), word))  # fmt: skip
        rng = random.Random(seed * 31 + 5)
        when = datetime(2024, 3, 9, 16, 20, 0)
        for i, title in enumerate(ALBUM_TITLES):
            when -= timedelta(seconds=rng.randint(5 * 86400, 20 * 86400))
            slug = _mixed_slug(title)
            stem = f"IMG_{rng.randint(1000, 8999)}" if i == 3 else slug.lower()
            photos = []
            for k, caption in enumerate(rng.sample(PHOTO_CAPTIONS, rng.randint(3, 5)), 1):
                name = f"{stem[:-2]}{int(stem[-2:]) + k:02d}.JPG" if i == 3 else f"{stem}-{k:02d}.jpg"
                alt = caption if k % 2 else f"{title} - ảnh {k}"
                photos.append((f"/Uploads/album/{name}", caption, alt))
            published = None if i in (2, 5) else when
            self.albums.append(TruthAlbum(ALBUM_VIEW + slug, title, published, tuple(photos)))
        self._by_album = {a.path.rsplit("/", 1)[1].upper(): a for a in self.albums}

    # -- public API --
    @property
    def last_page(self) -> int:
        """The real last list page."""
        return math.ceil(len(self._docs) / PER_PAGE)

    @property
    def home_url(self) -> str:
        """The home page's URL; only while serving."""
        if self.base is None:
            raise RuntimeError("not serving")
        return self.base + "/"

    def pages_of(self, path: str) -> int:
        """The real number of pages of one list (a section's path, or ``/Thuvienanh/``)."""
        if path == ALBUM_LIST:
            return math.ceil(len(self.albums) / ALBUMS_PER_PAGE)
        return max(1, math.ceil(len(self._lists[path]) / PER_PAGE))

    @property
    def minimum(self) -> dict[str, int]:
        """Fewest requests by kind for a complete whole-portal crawl: each page, image, photo and file once."""
        if not self.whole:
            return {"list": self.last_page, "article": len(self.articles),
                    "image": len({p for a in self.articles for p, _ in a.images})}  # fmt: skip
        return {
            "home": 2,
            "list": sum(self.pages_of(s.path) for s in self.sections) + self.pages_of(ALBUM_LIST),
            "article": len(self.all_articles),
            "album": len(self.albums),
            "photo": len({p for a in self.albums for p, _, _ in a.photos}),
            "attachment": len(self.attachments),
            "image": len({p for a in self.all_articles for p, _ in a.images}),
        }

    @property
    def list_url(self) -> str:
        """First list page's URL; only while serving."""
        if self.base is None:
            raise RuntimeError("not serving")
        return self.base + "/Tintuc/?PageIndex=1"

    def count(self, kind: str) -> int:
        """Requests of one kind so far: "list", "article", "image", "robots", "other"; with ``whole=True`` also
        "home", "album", "photo" (``/Uploads/album/``) and "attachment" (``/Uploads/files/``)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        with self._lock:
            return sum(1 for r in self.requests if _kind(r.path_with_query, self.whole) == kind)

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
        if self.whole:
            got = self._respond_whole(path, low, page)
            if got is not None:
                return got
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
    def _pager(
        self, page: int, shown: int, total: int, href: Callable[[int], str], css: str, per: int = PER_PAGE
    ) -> str:
        """The run-on pager: "X-Y of N" (per mode) then «, ..., a window of five pages, ..., », no whitespace."""
        mode = self.pager
        declared = int(f"{total}12345") if mode == "too_big" else _smaller(total) if mode == "too_small" else total
        # too_big: links never reach an end; otherwise they end at the declared last page (or the current one)
        last = math.ceil(declared / per) if mode == "too_big" else max(1, math.ceil(declared / per), page)
        first_item = (page - 1) * per + 1
        last_item = page * per if mode == "too_big" else first_item - 1 + shown
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
    def _slice(self, docs: list, page: int, per: int = PER_PAGE) -> tuple[int, list] | None:
        """(page shown, its items) per the beyond mode, or None for a 404."""
        last = max(1, math.ceil(len(docs) / per))
        if page > last:
            if self.beyond == "404":
                return None
            if self.beyond == "repeat_first":
                return 1, docs[:per]
            return page, []
        return page, docs[(page - 1) * per : page * per]

    def _list_page(self, page: int, key: str = NEWS) -> bytes | None:
        pool = self._docs if key == NEWS else self._lists[key]
        got = self._slice(pool, page)
        if got is None:
            return None
        page, docs = got
        rows = []
        for d in docs:
            url = f"{d.truth.path}?PageIndex={page}"
            date = f' <span class="tt-date">({d.truth.published:%d/%m/%Y})</span>' if key == VANHOA else ""
            rows.append(
                '<table class="tt-row" cellpadding="0" cellspacing="0" width="100%"><tr>'
                f'<td class="tt-img" valign="top" width="130"><a href="{url}"><img src="{d.thumb}" alt="" width="120" '
                'height="80" border="0" /></a></td>\n'
                f'<td class="tt-txt" valign="top"><a class="tt-link" href="{url}">{html.escape(d.truth.title)}</a>'
                f"{date}\n"
                f'<div class="tt-sapo">{html.escape(d.lead)}</div></td></tr></table>'
            )
        pager = self._pager(page, len(docs), len(pool), lambda k: f"{key}?PageIndex={k}", "pg-list")
        head = {NEWS: "TIN TỨC - SỰ KIỆN", CHIDAO: "CHỈ ĐẠO - ĐIỀU HÀNH", VANHOA: "TIN TỨC VĂN HÓA"}[key]
        files = "".join(
            f'<div class="khung-vanban"><b>Văn bản chỉ đạo mới:</b> Tải về: <a href="{f}" target="_blank">'
            f"{f.rsplit('/', 1)[1]}</a></div>\n"
            for f in (self._cd_files if key == CHIDAO else ())
        )
        main = (
            '<div id="ctl00_cphMain_ucList_pnList" class="khung-tin">\n<div class="khung-tieude">'
            f"<span>{head}</span></div>\n{files}"
            + '<div class="khung-noidung">\n'
            + "\n".join(rows)
            + f"\n</div>\n{pager}\n</div>"
        )
        if not self.whole:
            return self._chrome("Tin tức - Sự kiện", f"./?PageIndex={page}", main, detail=False)
        title = self._section_titles[key]
        return self._whole_chrome(title, f"./?PageIndex={page}", main, self._crumbs(key), VANHOA_HOME if key == VANHOA
                                  else None)  # fmt: skip

    def _block(self, b: tuple) -> str:
        if b[0] == "blank":
            return "<p>&nbsp;</p>"
        if b[0] == "file":
            return (
                f'<p style="text-align: justify;"><strong>Tải về: </strong><a href="{b[1]}" target="_blank">{b[2]}</a>'
                "</p>"
            )
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
        key = self._home_of[t.path] if self.whole else NEWS
        body = "\n".join(self._block(b) for b in doc.blocks)
        author = (
            f'<div class="vw-author" align="right"><span>Tác giả: </span><b id="ctl00_cphMain_ucView_lblAuthor">'
            f"{html.escape(t.author)}</b></div>"
            if t.author
            else ""
        )
        others = [d for d in (self._docs if key == NEWS else self._lists[key]) if d.truth.path != t.path]
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
        action = f"{t.path}?PageIndex={page}"
        if not self.whole:
            return self._chrome(t.title, action, main, detail=True)
        crumbs = [*self._crumbs(key), (None, "Chi tiết")]
        return self._whole_chrome(t.title, action, main, crumbs, VANHOA_HOME if key == VANHOA else None)

    def _not_found(self) -> bytes:
        return (
            b'<!DOCTYPE html><html><head><meta charset="utf-8" /><title>404 - File or directory not found.</title>'
            b'</head><body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>404 - File or '
            b"directory not found.</h2><h3>The resource you are looking for might have been removed, had its name "
            b"changed, or is temporarily unavailable.</h3></div></body></html>"
        )

    def _counter(self) -> str:
        """The visit counter box."""
        with self._lock:
            hits = self._hits_base + len(self.requests)
        return (
            '<div class="sb-box"><div class="sb-head">Thống kê truy cập</div>\n<table class="sb-counter"><tr>'
            f'<td>Tổng truy cập:</td><td><span id="ctl00_ucCounter_lblTotal">{hits}</span></td></tr>'
            f"<tr><td>Đang trực tuyến:</td><td>{hits % 37 + 3}</td></tr></table></div>"
        )

    def _chrome(self, title: str, action: str, main: str, detail: bool) -> bytes:
        """The page frame around ``main``: banner, menu, breadcrumbs, side boxes, footer."""
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
            f'<dl class="sb-links">{links}</dl></div>\n' + self._counter()
        )
        return self._frame(title, action, menu, crumb, main, side, f'<div class="ten-cong">{BANNER}</div>')

    def _frame(self, title: str, action: str, menu: str, crumb: str, main: str, side: str, banner: str) -> bytes:
        """The WebForms page around its parts."""
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
{banner}</div></td></tr>
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

    # -- the whole portal --
    def _respond_whole(self, path: str, low: str, page: int) -> tuple[int, str, bytes] | None:
        """The whole portal's own routes, or None to fall through to the news list's."""
        h = "text/html; charset=utf-8"

        def ok(body: bytes | None) -> tuple[int, str, bytes]:
            return (404, h, self._not_found()) if body is None else (200, h, body)

        if low in ("/", "/default.aspx"):
            return ok(self._home_page())
        if low in ("/vanhoa", "/vanhoa/", "/vanhoa/default.aspx"):
            return ok(self._vanhoa_home())
        if low in ("/chidaodieuhanh", "/chidaodieuhanh/"):
            return ok(self._list_page(page, CHIDAO))
        if low in ("/vanhoa/tintuc", "/vanhoa/tintuc/"):
            return ok(self._list_page(page, VANHOA))
        if low.startswith(VANHOA_VIEW.lower()):
            doc = self._by_vslug.get(path[len(VANHOA_VIEW) :].upper())
            return ok(self._article_page(doc, page) if doc else None)
        if low in ("/thuvienanh", "/thuvienanh/"):
            return ok(self._album_list(page))
        if low.startswith(ALBUM_VIEW.lower()):
            album = self._by_album.get(path[len(ALBUM_VIEW) :].upper())
            return ok(self._album_page(album) if album else None)
        if low.startswith(FILES.lower()):
            got = self._files.get(low)
            return (200, *got) if got else ok(None)
        if low.rstrip("/") in STATIC_PAGES:
            return ok(self._static_page(low.rstrip("/")))
        return None

    def _crumbs(self, key: str) -> list[tuple[str | None, str]]:
        """Breadcrumbs down to one list."""
        if key == VANHOA:
            return [("/", "Trang chủ"), (VANHOA_HOME, "Văn hóa - Du lịch"), (VANHOA, self._section_titles[key])]
        return [("/", "Trang chủ"), (key, self._section_titles[key])]

    def _whole_chrome(
        self, title: str, action: str, main: str, crumbs: list[tuple[str | None, str]], site: str | None
    ) -> bytes:
        """The whole portal's frame: the main menu, or the culture sub-site's menu and banner when ``site``."""
        e = html.escape
        items = VANHOA_MENU if site else MAIN_MENU
        menu = "".join(f'<td class="mnu-item mnu-up"><a href="{h}">{e(x)}</a></td>' for h, x in items)
        crumb = '<span class="sep"> › </span>'.join(
            f'<a href="{h}">{e(x)}</a>' if h else f'<span class="cur">{e(x)}</span>' for h, x in crumbs
        )
        cover = self.albums[0]
        links = "".join(f'<dd><a href="{h}" target="_blank">{x}</a></dd>' for h, x in WHOLE_LINKS)
        side = (
            '<div class="sb-box"><div class="sb-head">Ảnh đẹp huyện Điện Biên</div>\n<div class="sb-body">'
            f'<a href="{cover.path}"><img src="{cover.photos[0][0]}" width="240" alt="{e(cover.photos[0][2])}" /></a>'
            f'\n<a class="sb-more" href="{ALBUM_LIST}">Thư viện ảnh</a></div></div>\n'
            '<div class="sb-box"><div class="sb-head"><a href="/Bandohanhchinh/">Bản đồ hành chính</a></div></div>\n'
            '<div class="sb-box"><div class="sb-head">Liên kết Website</div>\n'
            f'<dl class="sb-links">{links}</dl></div>\n' + self._counter()
        )
        banner = f'<div class="ten-cong">{BANNER}</div>'
        if site:
            banner += f'<div class="ten-trang">{BANNER_VANHOA}</div>'
        return self._frame(title, action, menu, crumb, main, side, banner)

    def _box(self, title: str, href: str, docs: list[_Doc], css: str) -> str:
        """A home page box of newest articles, each linked by its path alone, with the date."""
        e = html.escape
        items = "".join(
            f'<li><a href="{d.truth.path}">{e(d.truth.title)}</a> <span class="hm-date">'
            f"({d.truth.published:%d/%m/%Y})</span></li>"
            for d in docs
        )
        return (
            f'<div class="hm-box {css}"><div class="hm-head"><a href="{href}">{e(title)}</a></div>\n'
            f'<ul class="hm-list">{items}</ul>\n<div class="hm-more"><a href="{href}">Xem tiếp »</a></div></div>'
        )

    def _album_cells(self, albums: list[TruthAlbum], suffix: str) -> str:
        """Album covers with their titles, one cell each."""
        e = html.escape
        return "".join(
            f'<td class="ab-item" valign="top" width="33%"><a href="{a.path}{suffix}"><img src="{a.photos[0][0]}" '
            f'alt="{e(a.photos[0][2])}" width="200" height="133" /></a><div class="ab-name"><a class="ab-link" '
            f'href="{a.path}{suffix}">{e(a.title)}</a></div><div class="ab-count">({len(a.photos)} ảnh)</div></td>'
            for a in albums
        )

    def _home_page(self) -> bytes:
        e = html.escape
        feat = self._docs[min(1, len(self._docs) - 1)]
        main = (
            '<div class="hm-noibat" id="ctl00_cphMain_ucHot_pnHot"><table cellpadding="0" cellspacing="0"><tr>'
            f'<td class="hm-img"><a href="{self.lower_case_link}"><img src="{feat.thumb}" width="300" alt="" /></a>'
            f'</td><td class="hm-txt"><a class="hm-hot" href="{self.lower_case_link}">{e(feat.truth.title)}</a>'
            f'<div class="hm-sapo">{e(feat.lead)}</div></td></tr></table></div>\n'
            '<table class="hm-grid" cellpadding="0" cellspacing="0" width="100%"><tr><td class="hm-col" valign="top">'
            + self._box("Tin tức - Sự kiện", NEWS, self._docs[:5], "hm-news")
            + '</td><td class="hm-col" valign="top">'
            + self._box("Chỉ đạo - Điều hành", CHIDAO, self._lists[CHIDAO][:5], "hm-cd")
            + "</td></tr></table>\n"
            + self._box("Văn hóa - Du lịch", VANHOA_HOME, self._lists[VANHOA][:3], "hm-vh")
            + '\n<div class="hm-box hm-album"><div class="hm-head"><a href="/Thuvienanh/">Thư viện ảnh</a></div>\n'
            f'<table class="ab-list"><tr>{self._album_cells(self.albums[:3], "")}</tr></table></div>'
        )
        return self._whole_chrome("Trang chủ", "/Default.aspx", main, [(None, "Trang chủ")], None)

    def _vanhoa_home(self) -> bytes:
        e = html.escape
        docs = self._lists[VANHOA]
        feat = docs[0]
        main = (
            '<div class="hm-noibat vh-noibat"><table cellpadding="0" cellspacing="0"><tr>'
            f'<td class="hm-img"><a href="{feat.truth.path}"><img src="{feat.thumb}" width="300" alt="" /></a></td>'
            f'<td class="hm-txt"><a class="hm-hot" href="{feat.truth.path}">{e(feat.truth.title)}</a>'
            f'<div class="hm-sapo">{e(feat.lead)}</div></td></tr></table></div>\n'
            + self._box("Tin tức văn hóa", VANHOA, docs[1:7], "hm-vh")
            + '\n<div class="hm-box hm-album"><div class="hm-head"><a href="/Thuvienanh/">Thư viện ảnh</a></div>\n'
            f'<table class="ab-list"><tr>{self._album_cells(self.albums[1:3], "")}</tr></table></div>'
        )
        crumbs = [("/", "Trang chủ"), (None, "Văn hóa - Du lịch")]
        return self._whole_chrome("Văn hóa - Du lịch", "/vanhoa/Default.aspx", main, crumbs, VANHOA_HOME)

    def _album_list(self, page: int) -> bytes | None:
        got = self._slice(self.albums, page, ALBUMS_PER_PAGE)
        if got is None:
            return None
        page, albums = got
        pager = self._pager(page, len(albums), len(self.albums), lambda k: f"{ALBUM_LIST}?PageIndex={k}", "pg-list",
                            ALBUMS_PER_PAGE)  # fmt: skip
        main = (
            '<div id="ctl00_cphMain_ucAlbums_pnList" class="khung-tin">\n<div class="khung-tieude">'
            '<span>THƯ VIỆN ẢNH</span></div>\n<table class="ab-list" cellpadding="4" cellspacing="0" width="100%"><tr>'
            + self._album_cells(albums, f"?PageIndex={page}")
            + f"</tr></table>\n{pager}\n</div>"
        )
        crumbs = [("/", "Trang chủ"), (ALBUM_LIST, "Thư viện ảnh")]
        return self._whole_chrome("Thư viện ảnh", f"./?PageIndex={page}", main, crumbs, None)

    def _album_page(self, album: TruthAlbum) -> bytes:
        e = html.escape
        cells = [
            f'<td class="ab-cell" valign="top"><a href="{p}" rel="lightbox[album]" title="{e(cap)}"><img src="{p}" '
            f'alt="{e(alt)}" width="220" height="147" /></a><div class="ab-cap">{e(cap)}</div></td>'
            for p, cap, alt in album.photos
        ]
        rows = "".join("<tr>" + "".join(cells[k : k + 3]) + "</tr>" for k in range(0, len(cells), 3))
        date = (
            '<div class="ab-date"><span class="vw-lbl">Thời gian đăng:</span> '
            f'<span id="ctl00_cphMain_ucAlbum_lblDate">{_clock(album.published)}</span></div>\n'
            if album.published
            else ""
        )
        main = (
            '<div id="ctl00_cphMain_ucAlbum_pnAlbum" class="ab-view">\n<div class="ab-title">'
            f'<span id="ctl00_cphMain_ucAlbum_lblTitle">{e(album.title)}</span></div>\n{date}'
            f'<table class="ab-grid" cellpadding="4" cellspacing="0">{rows}</table>\n'
            f'<div class="ab-back"><a href="{ALBUM_LIST}">« Về Thư viện ảnh</a></div>\n</div>'
        )
        crumbs = [("/", "Trang chủ"), (ALBUM_LIST, "Thư viện ảnh"), (None, album.title)]
        return self._whole_chrome(album.title, album.path, main, crumbs, None)

    def _static_page(self, low: str) -> bytes:
        title, paragraphs, image = STATIC_PAGES[low]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        if image:
            body += f'<p style="text-align: center;"><img src="{image}" alt="{html.escape(title)}" width="600" /></p>'
        main = (
            f'<div class="vw-news st-page"><div class="vw-title"><span>{html.escape(title)}</span></div>\n'
            f'<div class="vw-content">{body}</div></div>'
        )
        return self._whole_chrome(title, low, main, [("/", "Trang chủ"), (None, title)], None)


MAIN_MENU = (
    ("/", "Trang chủ"), ("/Gioithieu/Tongquan", "Giới thiệu"), (NEWS, "Tin tức - Sự kiện"),
    (CHIDAO, "Chỉ đạo - Điều hành"), (VANHOA_HOME, "Văn hóa - Du lịch"), (ALBUM_LIST, "Thư viện ảnh"),
    ("/Bandohanhchinh/", "Bản đồ hành chính"), ("/Lienhe", "Liên hệ"),
)  # fmt: skip
VANHOA_MENU = (
    (VANHOA_HOME, "Trang chủ"), (VANHOA, "Tin tức văn hóa"), (ALBUM_LIST, "Thư viện ảnh"), ("/", "Cổng TTĐT huyện"),
)  # fmt: skip
STATIC_PAGES = {
    "/gioithieu/tongquan": ("Giới thiệu chung", (
        "Huyện Điện Biên nằm ở phía Nam tỉnh Điện Biên, có 21 xã với cánh đồng Mường Thanh rộng lớn.",
        "Dân số toàn huyện hơn 110 nghìn người, gồm các dân tộc Thái, Kinh, Mông, Khơ Mú, Lào và các dân tộc khác.",
    ), None),
    "/lienhe": ("Liên hệ", (
        "Văn phòng HĐND và UBND huyện Điện Biên, xã Thanh Xương, huyện Điện Biên, tỉnh Điện Biên.",
    ), None),
    "/bandohanhchinh": ("Bản đồ hành chính", (
        "Bản đồ hành chính huyện Điện Biên: " + ", ".join(COMMUNES) + ".",
    ), "/Uploads/images/bando/ban-do-hanh-chinh.jpg"),
}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Serve in the foreground until interrupted."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8001)
    ap.add_argument("--articles", type=int, default=64)
    ap.add_argument("--pager", choices=PAGER_MODES, default="truthful")
    ap.add_argument("--beyond", choices=BEYOND_MODES, default="empty")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--whole", action="store_true", help="the whole portal: home page, sections, albums, files")
    args = ap.parse_args(argv)
    portal = IndependentPortal(args.articles, args.pager, args.beyond, args.seed, whole=args.whole)
    with portal.serve(args.host, args.port):
        print(portal.home_url if args.whole else portal.list_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
