"""Article model of the replica: blocks, the article itself, and what a correct extractor returns for it."""

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import NamedTuple
from urllib.parse import urljoin

SITE = "http://huyendienbien.gov.vn"
VN_TZ = timezone(timedelta(hours=7))

_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([AP]M)")
_END = r"(?![^\W\d_])"  # not followed by a letter
_OLD_TONE = re.compile(rf"(?:[àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ](?<=[oO].)|[ỳýỷỹỵỲÝỶỸỴ](?<=[uU].)(?<![qQ]..)){_END}")
_NEW_TONE = re.compile(rf"(?:([òóỏõọÒÓỎÕỌ])([aeAE])|(?<![qQ])([ùúủũụÙÚỦŨỤ])([yY])){_END}")
_D_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d"})
_MARKS = re.compile(r"[\u0300-\u036f]")
_NOT_SLUG = re.compile(r"[^A-Z0-9]")
_NOT_WORDS = re.compile(r"[^A-Za-z0-9]+")
_OCOP_STARS = re.compile(r"(?:\d|[bB]a|[bB]ốn|[nN]ăm) sao")


class Image(NamedTuple):
    """An image in the body; `src` is written as on the page (root-relative, `../`, or absolute on SITE)."""

    src: str
    alt: str
    caption: str | None


class Table(NamedTuple):
    """A table in the body; the first row is the header."""

    rows: tuple[tuple[str, ...], ...]


class Raw(NamedTuple):
    """Verbatim HTML (used for hostile markup) and the text a browser without scripts shows for it."""

    html: str
    text: str


class Link(NamedTuple):
    """A paragraph that is one link, to a document: `href` as written (root-relative or absolute), its text."""

    href: str
    text: str


Block = str | Image | Table | Raw | Link


@dataclass(frozen=True)
class Expected:
    """What a correct extractor returns for an article served by the real portal (`SITE`)."""

    title: str
    published: str
    author: str | None
    images: tuple[str, ...]
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """One news article; `title`, `author` and text blocks are exactly as they appear on the page."""

    slug: str
    title: str
    published: datetime
    author: str | None
    blocks: tuple[Block, ...]
    quirks: frozenset[str]
    expected: Expected
    sub_site: str | None = None

    @property
    def path(self) -> str:
        """The article's canonical path (without `PageIndex`): `/T/SLUG`, or `<sub-site>/Tintuc/View/Slug`."""
        return article_path(self.slug, self.sub_site)

    @property
    def links(self) -> tuple[Link, ...]:
        """The document links of the body, in order."""
        return tuple(block for block in self.blocks if isinstance(block, Link))

    @property
    def images(self) -> tuple[Image, ...]:
        """The body images, in order."""
        return tuple(block for block in self.blocks if isinstance(block, Image))

    def image_urls(self, site: str = SITE) -> tuple[str, ...]:
        """Absolute URLs of the body images when the article is served from `site`."""
        return _image_urls(self.path, self.blocks, site)


def rebase(src: str, site: str) -> str:
    """Rewrite an absolute URL on the real portal onto `site` (the host actually serving the page)."""
    return site + src[len(SITE) :] if src.startswith(SITE + "/") else src


def _image_urls(path: str, blocks: Iterable[Block], site: str) -> tuple[str, ...]:
    return tuple(urljoin(site + path, rebase(block.src, site)) for block in blocks if isinstance(block, Image))


def fold(text: str) -> str:
    """Strip Vietnamese diacritics: NFD, drop combining marks, map đ/Đ/Ð to d/D."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text.translate(_D_LETTERS)))


def slugify(title: str) -> str:
    """The portal's URL slug: folded, upper-case ASCII, every other character (space, punctuation) a `-`."""
    return _NOT_SLUG.sub("-", fold(title).upper()).strip("-")


def mixed_slug(title: str) -> str:
    """A sub-site's URL slug: folded ASCII in the title's case, each run of other characters one `-`."""
    return _NOT_WORDS.sub("-", fold(title)).strip("-")


def article_path(slug: str, sub_site: str | None = None) -> str:
    """`/T/SLUG` on the main portal, `<sub-site>/Tintuc/View/Slug` on a sub-site (e.g. `/vanhoa`)."""
    return f"{sub_site}/Tintuc/View/{slug}" if sub_site else f"/T/{slug}"


def format_posted(when: datetime) -> str:
    """The portal's "Thời gian đăng" value: `17/09/2020 03:13:30 PM` (day first, 12-hour clock)."""
    hour = when.hour % 12 or 12
    return f"{when:%d/%m/%Y} {hour:02d}:{when:%M:%S} {'PM' if when.hour >= 12 else 'AM'}"


def parse_posted(text: str) -> datetime:
    """Inverse of `format_posted`, in Vietnam time."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a portal date: {text!r}")
    day, month, year, hour, minute, second = (int(part) for part in match.groups()[:6])
    hour = hour % 12 + (12 if match[7] == "PM" else 0)
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


def old_tone(text: str) -> str:
    """Move tone marks to the old position: hòa → hoà, thủy → thuỷ, khỏe → khoẻ, Ủy → Uỷ (not quý)."""

    def move(match: re.Match[str]) -> str:
        first, second = (match[1], match[2]) if match[1] else (match[3], match[4])
        base, *marks = unicodedata.normalize("NFD", first)
        return base + unicodedata.normalize("NFC", second + "".join(marks))

    return _NEW_TONE.sub(move, text)


def collapse(text: str) -> str:
    """NFC with runs of whitespace (incl. NBSP) collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def block_texts(blocks: Iterable[Block]) -> list[str]:
    """Visible text of the paragraph-like blocks (paragraphs, raw HTML, document links), in order."""
    paragraphs = (block for block in blocks if isinstance(block, str | Raw | Link))
    return [block if isinstance(block, str) else block.text for block in paragraphs]


def _detect(title: str, blocks: tuple[Block, ...], published: datetime) -> set[str]:
    """Quirks visible from the content itself."""
    text = "\n".join([title, *block_texts(blocks)])
    images = [block for block in blocks if isinstance(block, Image)]
    found = {
        "old-tone": bool(_OLD_TONE.search(text)),
        "new-tone": bool(_NEW_TONE.search(text)),
        "midnight": published.hour == 0,
        "noon": published.hour == 12,
        "day-first": published.day <= 12 and published.day != published.month,
        "table": any(isinstance(block, Table) for block in blocks),
        "caption": any(image.caption for image in images),
        "image-root-relative": any(image.src.startswith("/") for image in images),
        "image-parent-relative": any(image.src.startswith("../") for image in images),
        "image-absolute": any(image.src.startswith("http") for image in images),
        "uppercase-title": title.isupper(),
        "html-escape": any(ch in title for ch in "&<>"),
        "attachment": any(isinstance(block, Link) for block in blocks),
        "ocop-stars": " sao" in text
        and ("OCOP" in text or "mỗi xã một sản phẩm" in text.lower())
        and bool(_OCOP_STARS.search(text)),
    }
    return {name for name, present in found.items() if present}


def _map_text(blocks: tuple[Block, ...], change: Callable[[str], str]) -> tuple[Block, ...]:
    """Apply `change` to every visible string of the blocks except raw HTML."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(change(block))
        elif isinstance(block, Image):
            out.append(block._replace(caption=block.caption and change(block.caption)))
        elif isinstance(block, Table):
            out.append(Table(tuple(tuple(change(cell) for cell in row) for row in block.rows)))
        else:
            out.append(block)
    return tuple(out)


def build_article(
    title: str,
    published: datetime,
    author: str | None,
    blocks: tuple[Block, ...],
    quirks: Iterable[str] = (),
    sub_site: str | None = None,
) -> Article:
    """Make an article from new-style NFC text, applying the text quirks asked for in `quirks`.

    `old-tone` moves tone marks to the old position, `eth` writes Đ as Ð (U+00D0), `nfd` decomposes all text.
    The other content quirks are detected; an article without author gets `no-author-label` unless
    `empty-author` is asked for. On a `sub_site` (e.g. `/vanhoa`) the slug keeps the title's case.
    """
    quirks = set(quirks)
    changes = {"old-tone": old_tone, "eth": partial(re.sub, "Đ", "Ð")}
    for name, change in changes.items():
        if name in quirks:
            title, blocks = change(title), _map_text(blocks, change)
    quirks = (quirks - {"old-tone"}) | _detect(title, blocks, published)
    if author is None and "empty-author" not in quirks:
        quirks.add("no-author-label")
    slug = mixed_slug(title) if sub_site else slugify(title)
    expected = Expected(
        title=collapse(title),
        published=published.isoformat(),
        author=collapse(author) if author else None,
        images=_image_urls(article_path(slug, sub_site), blocks, SITE),
        paragraphs=tuple(filter(None, map(collapse, block_texts(blocks)))),
    )
    if "nfd" in quirks:
        nfd = partial(unicodedata.normalize, "NFD")
        title, blocks, author = nfd(title), _map_text(blocks, nfd), author and nfd(author)
    return Article(slug, title, published, author, blocks, frozenset(quirks), expected, sub_site)


PAGE_SIZE = 10


def page_count(total: int) -> int:
    """Number of list pages for `total` entries."""
    return max(1, -(-total // PAGE_SIZE))


@dataclass(frozen=True)
class Document:
    """A file the portal serves and links (from an article's body or a list page), as ground truth.

    `text` is the text its PDF text layer or DOCX holds; None for a scanned PDF (`scanned`) and a broken file.
    """

    path: str
    content_type: str
    body: bytes
    text: str | None
    scanned: bool = False
    broken: bool = False

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[1]

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the bytes served."""
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class Album:
    """A photo album of "Thư viện ảnh": title, the date it shows (None: shows none), photos in position order."""

    slug: str
    title: str
    published: datetime | None
    photos: tuple[Image, ...]

    @property
    def path(self) -> str:
        return f"/ThuVienAnh/View/{self.slug}"


class SubSite(NamedTuple):
    """A sub-site of the portal: its home page's path (`/vanhoa/`) and title."""

    path: str
    title: str


@dataclass(frozen=True)
class Section:
    """A list of the portal: its first page's path, its title as the menu shows it, its sub-site (None on the
    main portal), what it lists newest first (articles, or the photo library's albums) and the documents its
    list pages link."""

    path: str
    title: str
    parent: SubSite | None = None
    articles: tuple[Article, ...] = ()
    albums: tuple[Album, ...] = ()
    documents: tuple[Document, ...] = ()

    @property
    def declared_total(self) -> int:
        """The total its pager declares ("1-10 of N")."""
        return len(self.articles) + len(self.albums)

    @property
    def pages(self) -> int:
        return page_count(self.declared_total)
