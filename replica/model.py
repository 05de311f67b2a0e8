"""Article model of the replica: blocks, the article itself, and what a correct extractor returns for it."""

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


Block = str | Image | Table | Raw


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

    @property
    def path(self) -> str:
        """The article's canonical path (without `PageIndex`)."""
        return f"/T/{self.slug}"

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
    """Visible text of the paragraph-like blocks (paragraphs and raw HTML), in order."""
    return [block if isinstance(block, str) else block.text for block in blocks if isinstance(block, str | Raw)]


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
) -> Article:
    """Make an article from new-style NFC text, applying the text quirks asked for in `quirks`.

    `old-tone` moves tone marks to the old position, `eth` writes Đ as Ð (U+00D0), `nfd` decomposes all text.
    The other content quirks are detected; an article without author gets `no-author-label` unless
    `empty-author` is asked for.
    """
    quirks = set(quirks)
    changes = {"old-tone": old_tone, "eth": partial(re.sub, "Đ", "Ð")}
    for name, change in changes.items():
        if name in quirks:
            title, blocks = change(title), _map_text(blocks, change)
    quirks = (quirks - {"old-tone"}) | _detect(title, blocks, published)
    if author is None and "empty-author" not in quirks:
        quirks.add("no-author-label")
    slug = slugify(title)
    expected = Expected(
        title=collapse(title),
        published=published.isoformat(),
        author=collapse(author) if author else None,
        images=_image_urls(f"/T/{slug}", blocks, SITE),
        paragraphs=tuple(filter(None, map(collapse, block_texts(blocks)))),
    )
    if "nfd" in quirks:
        nfd = partial(unicodedata.normalize, "NFD")
        title, blocks, author = nfd(title), _map_text(blocks, nfd), author and nfd(author)
    return Article(slug, title, published, author, blocks, frozenset(quirks), expected)
