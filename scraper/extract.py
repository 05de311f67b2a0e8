"""Extraction: pure functions from a portal page's HTML to what a reader sees on it.

Nothing here knows about Scrapy, HTTP or SQLite, so every rule can be tested on a saved page.
The rules anchor on visible text, never on class names or ids (which differ between copies of the CMS):

- the article's date is the line that starts with "Thời gian đăng:";
- its title is the line shown just above that (preferring one the page's <title> repeats);
- its body is everything between the date line and the "Tác giả:" line (or, without an author,
  the "Các tin bài khác:" box, or the page's side boxes);
- the "Các tin bài khác:" box and its pager ("1771-1780 of 1911") are never part of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement

from scraper.text import clean, fold_label, nfc, parse_portal_date
from scraper.urls import absolute, canonical_article_url, is_article_url, is_list_url, page_number

# Labels are matched on folded text (see `fold_label`), which keeps the clean text's character positions.
DATE_LABEL = re.compile(r"thoi\s*gian\s*dang\s*:?|ngay\s*dang\s*:?")
AUTHOR_LABEL = re.compile(r"^tac\s*gia\s*:?")
OTHER_NEWS_LABEL = re.compile(r"^(?:cac\s+)?tin\s+(?:bai\s+)?khac\b\s*:?")
PAGER = re.compile(r"(\d[\d.,]*)\s*[-–]\s*(\d[\d.,]*)\s+(?:of|/|trên|của)\s+(\d[\d.,]*)", re.IGNORECASE)
# Side boxes that follow an article on the portal: where the body must stop when nothing else marks its end.
_SIDE_BOXES = ("anh dep", "thu vien anh", "ban do hanh chinh", "lien ket website", "thong ke truy cap")
_BANNER = "cong thong tin dien tu"
_BREADCRUMB = re.compile(r"trang chu|[»›>]")

_INVISIBLE = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")
BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd details dir div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre section summary table tbody td tfoot th "
    "thead tr ul caption".split()
)
_WORD = re.compile(r"\w+")
_HOLDERS = frozenset(["li", "dd", "td", "th", "tr", "tbody", "ul", "ol", "table"])
_STRAY = frozenset(["li", "dd", "dt", "td", "th", "tr", "tbody"])
_IMAGE_SOURCES = ("data-src", "data-original", "data-lazy-src", "src")

SAFE_TAGS = {
    "a", "b", "blockquote", "br", "caption", "div", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


class ExtractionError(ValueError):
    """The page does not read as a portal article (or list page); the message says what is missing."""


@dataclass(frozen=True)
class Image:
    url: str
    alt: str | None
    caption: str | None


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    published_at: str
    author: str | None
    body_text: str
    body_html: str
    images: tuple[Image, ...] = ()
    declared_total: int | None = None


@dataclass(frozen=True)
class ListPage:
    url: str
    page: int
    article_urls: tuple[str, ...]
    page_urls: tuple[str, ...]
    declared_total: int | None
    page_size: int | None

    @property
    def last_page(self) -> int:
        """The last page of the list, from the declared total or the highest page link seen."""
        linked = max((page_number(u) for u in self.page_urls), default=self.page)
        if self.declared_total and self.page_size:
            return max(linked, -(-self.declared_total // self.page_size))
        return max(linked, self.page)


@dataclass
class _Line:
    """One visual line of text: the text nodes a browser would show on one line, in order."""

    nodes: list[NavigableString]
    block: Tag | None

    @cached_property
    def text(self) -> str:
        """Read once the line is complete (the label searches read it many times)."""
        return clean("".join(self.nodes))


def parse_article(html: str, url: str) -> Article:
    """Read an article page. Raises ExtractionError when it has no "Thời gian đăng:" line or no title."""
    soup = _soup(html)
    base = _base_url(soup, url)
    lines = _lines(soup)
    date_at = _find(lines, lambda t: DATE_LABEL.search(fold_label(t)) is not None)
    if date_at is None:
        raise ExtractionError("no 'Thời gian đăng:' (date posted) line on the page")
    published_at, date_end = _date_after_label(lines, date_at)
    if published_at is None:
        raise ExtractionError(f"no readable date after 'Thời gian đăng:': {lines[date_at].text[:80]!r}")
    title = _title(soup, lines[:date_at])
    if not title:
        raise ExtractionError("no title above the 'Thời gian đăng:' line")

    other_at = _find(lines, lambda t: OTHER_NEWS_LABEL.match(fold_label(t)) is not None, start=date_end + 1)
    stop = other_at if other_at is not None else _side_box(lines, date_end + 1)
    author_at = _find_last(lines, lambda t: AUTHOR_LABEL.match(fold_label(t)) is not None, date_end + 1, stop)
    author = _value_after_label(lines, author_at, AUTHOR_LABEL, stop) if author_at is not None else None
    end_at = author_at if author_at is not None else stop

    end = lines[end_at].nodes[0] if end_at < len(lines) else None
    body = _unwrap(_between(lines[date_end].nodes[-1], end))
    _absolutise(body, base)
    return Article(
        url=canonical_article_url(url),
        title=title,
        published_at=published_at,
        author=author,
        body_text=_text(body),
        body_html=sanitise_html("".join(str(node) for node in body)),
        images=tuple(_images(body)),
        declared_total=_declared(lines[end_at:])[0],
    )


def parse_list(html: str, url: str) -> ListPage:
    """Read a page of the news list: its article links, its pager links and the declared total."""
    soup = _soup(html)
    base = _base_url(soup, url)
    articles: dict[str, None] = {}
    pages: dict[str, None] = {}
    for link in soup.find_all("a", href=True):
        target = absolute(base, link["href"])
        if is_article_url(target):
            articles.setdefault(canonical_article_url(target))
        elif is_list_url(target) and target != url:
            pages.setdefault(target)
    if not articles:
        raise ExtractionError("no article links (/T/...) on the list page")
    page = page_number(url)
    total, size = _declared(_lines(soup), page)
    return ListPage(url, page, tuple(articles), tuple(pages), total, size)


def sanitise_html(html: str) -> str:
    """Untrusted portal HTML made safe to render: no scripts, styles, event handlers or `javascript:` URLs."""
    return nh3.clean(
        html,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


# --- reading the page as lines -------------------------------------------------------------------------


def _soup(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(nfc(html), "lxml")
    for tag in [tag for tag in _descendant_tags(soup) if tag.name in _INVISIBLE]:
        tag.decompose()
    return soup


def _descendant_tags(root: Tag) -> Iterator[Tag]:
    """The tags under `root` in document order: `find_all(True)` without its general matching, several times faster."""
    return (node for node in root.descendants if isinstance(node, Tag))


def _base_url(soup: BeautifulSoup, url: str) -> str:
    base = next((tag for tag in _descendant_tags(soup) if tag.name == "base" and tag.get("href") is not None), None)
    return absolute(url, base["href"]) if base else url


def _visible_strings(root: Iterable[PageElement]) -> Iterator[PageElement]:
    """Text nodes and line breaks (<br>, <hr>) in document order, leaving out comments."""
    for node in root:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:
                yield node
        elif isinstance(node, Tag) and node.name in ("br", "hr"):
            yield node


def _block_of(node: PageElement) -> Tag | None:
    return next((p for p in node.parents if p.name in BLOCK_TAGS), None)


def _lines(soup: BeautifulSoup | Tag) -> list[_Line]:
    """The page's visible text as lines: a new line starts with each block element and at each <br>."""
    lines: list[_Line] = []
    current: _Line | None = None
    blocks: dict[int, Tag | None] = {}  # by the id of a text node's parent: its siblings share its block
    for node in _visible_strings((soup.body or soup).descendants):
        if isinstance(node, Tag):
            current = None
            continue
        parent = id(node.parent)
        block = blocks[parent] if parent in blocks else blocks.setdefault(parent, _block_of(node))
        if current is None or current.block is not block:
            current = _Line([], block)
            lines.append(current)
        current.nodes.append(node)
    return [line for line in lines if line.text]


def _find(lines: list[_Line], test, start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if test(lines[i].text)), None)


def _find_last(lines: list[_Line], test, start: int, stop: int) -> int | None:
    return next((i for i in range(min(stop, len(lines)) - 1, start - 1, -1) if test(lines[i].text)), None)


def _date_after_label(lines: list[_Line], at: int) -> tuple[str | None, int]:
    """The date written after "Thời gian đăng:" (on its line or the next) and the line it ends on."""
    text = lines[at].text
    label = DATE_LABEL.search(fold_label(text))
    published = parse_portal_date(text[label.end() :]) if label else None
    if published is None and at + 1 < len(lines):
        published = parse_portal_date(lines[at + 1].text)
        if published is not None:
            return published, at + 1
    return published, at


def _value_after_label(lines: list[_Line], at: int, label: re.Pattern[str], stop: int) -> str | None:
    """The text after a "Label:" on its line, or the next line when the label stands alone."""
    text = lines[at].text
    match = label.match(fold_label(text))
    value = clean(text[match.end() :]) if match else ""
    if not value and at + 1 < stop and len(lines[at + 1].text) < 200:
        value = lines[at + 1].text
    return value or None


def _side_box(lines: list[_Line], start: int) -> int:
    """Where the portal's side boxes (or the pager) begin, else the end of the page."""
    for i in range(start, len(lines)):
        folded = fold_label(lines[i].text)
        if PAGER.search(lines[i].text) or any(folded.startswith(box) for box in _SIDE_BOXES):
            return i
    return len(lines)


def _declared(lines: list[_Line], page: int = 1) -> tuple[int | None, int | None]:
    """The total and page size a pager declares on page `page` ("1771-1780 of 1911" → 1911, 10).

    The size comes from where the page starts, so the short last page ("1911-1911 of 1911") reads as 10 too.
    """
    for line in lines:
        match = PAGER.search(line.text)
        if match:
            first, last, total = (int(re.sub(r"\D", "", g)) for g in match.groups())
            if 0 < first <= last <= total:
                size = (first - 1) // (page - 1) if page > 1 and first > 1 else last - first + 1
                return total, size
    return None, None


def _title(soup: BeautifulSoup, above: list[_Line]) -> str | None:
    """The line shown above the date.

    Among the few lines above it (banner, breadcrumbs and dates left out): one the page's <title>
    repeats, else the nearest of four words or more (not a "Chia sẻ"/"In bài" button), else the nearest.
    """
    page_title = fold_label(soup.title.get_text()) if soup.title else ""
    candidates = [line.text for line in reversed(above[-8:]) if _could_be_title(line.text)]
    for text in candidates:
        folded = fold_label(text)
        if len(folded) >= 15 and folded in page_title:
            return text
    return next((t for t in candidates if len(_WORD.findall(t)) >= 4), candidates[0] if candidates else None)


def _could_be_title(text: str) -> bool:
    folded = fold_label(text)
    return (
        len(text.split()) >= 2
        and not folded.startswith(_BANNER)
        and not _BREADCRUMB.search(folded)
        and parse_portal_date(text) is None
    )


# --- the article body ----------------------------------------------------------------------------------


def _between(start: PageElement, end: PageElement | None) -> list[PageElement]:
    """The nodes strictly after `start` and before `end` in document order, as whole subtrees.

    Like a DOM Range: containers that hold `end` are entered and only their part before it is taken.
    """
    stops = {id(end), *(id(p) for p in end.parents)} if end is not None else set()
    taken: list[PageElement] = []

    def before_end(container: Tag) -> None:
        for child in container.children:
            if child is end:
                return
            if id(child) in stops:
                before_end(child)
                return
            taken.append(child)

    node: PageElement | None = start
    while node is not None and node.name not in ("body", "html", "[document]"):
        for sibling in node.next_siblings:
            if id(sibling) in stops:
                if isinstance(sibling, Tag):
                    before_end(sibling)
                return taken
            taken.append(sibling)
        node = node.parent
    return taken


def _unwrap(nodes: list[PageElement]) -> list[PageElement]:
    """The body without the list items or layout cells that held it on the page.

    A single holder is opened; list items and cells left at the top (a body spread over several <li>) become
    <div>s, since a bare <li> or <td> outside its list or table is not HTML a reader can be shown.
    """
    solid = [n for n in nodes if not (isinstance(n, NavigableString) and not n.strip())]
    holder = solid[0] if len(solid) == 1 and isinstance(solid[0], Tag) else None
    if holder is not None and holder.name in _HOLDERS and not (holder.name == "table" and _is_data_table(holder)):
        return _unwrap(list(holder.children))
    for node in solid:
        if isinstance(node, Tag) and node.name in _STRAY:
            node.name = "div"
    return nodes


def _absolutise(nodes: list[PageElement], base: str) -> None:
    """Make link and image URLs absolute, taking lazy-loading attributes as the image source."""
    for node in _tags(nodes):
        if node.name == "img":
            src = next((node[a] for a in _IMAGE_SOURCES if node.get(a, "").strip()), "")
            if src and not src.startswith("data:"):
                node["src"] = absolute(base, src)
        elif node.name == "a" and node.get("href"):
            node["href"] = absolute(base, node["href"])


def _tags(nodes: list[PageElement]) -> Iterator[Tag]:
    for node in nodes:
        if isinstance(node, Tag):
            yield node
            yield from _descendant_tags(node)


def _text(nodes: list[PageElement]) -> str:
    """Plain text: one block a paragraph, blocks separated by a blank line, table rows as `cell | cell`."""
    blocks: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(filter(None, (clean(part) for part in "".join(buffer).split("\n"))))
        if text:
            blocks.append(text)
        buffer.clear()

    def walk(node: PageElement) -> None:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:
                buffer.append(str(node))
            return
        if node.name == "br":
            buffer.append("\n")
            return
        if node.name == "table" and _is_data_table(node):
            flush()
            rows = (" | ".join(clean(c.get_text(" ")) for c in r.find_all(["td", "th"])) for r in _rows(node))
            blocks.append("\n".join(row for row in rows if row.strip(" |")))
            return
        is_block = node.name in BLOCK_TAGS
        if is_block:
            flush()
        for child in node.children:
            walk(child)
        if is_block:
            flush()

    for node in nodes:
        walk(node)
    flush()
    return "\n\n".join(blocks)


def _rows(table: Tag) -> list[Tag]:
    return [row for row in table.find_all("tr") if row.find_parent("table") is table]


def _is_data_table(table: Tag) -> bool:
    """A table of data (kept as `cell | cell` rows), not one used to lay out text or an image and caption."""
    if table.find("table"):
        return False
    return max((len(row.find_all(["td", "th"])) for row in _rows(table)), default=0) >= 2


def _images(nodes: list[PageElement]) -> Iterator[Image]:
    seen: set[str] = set()
    for img in (tag for tag in _tags(nodes) if tag.name == "img"):
        src = img.get("src", "").strip()
        hostile = any(name.lower().startswith("on") for name in img.attrs)  # <img src=x onerror=...> is an attack
        if not src or src.startswith("data:") or src in seen or hostile:
            continue
        seen.add(src)
        yield Image(url=src, alt=clean(img.get("alt", "")) or None, caption=_caption(img))


def _caption(img: Tag) -> str | None:
    """The caption a reader sees with an image: a <figcaption>, the table row under it, or an italic line."""
    figure = img.find_parent("figure")
    if figure and figure.find("figcaption"):
        return clean(figure.find("figcaption").get_text(" ")) or None
    row = img.find_parent("tr")
    if row is not None:
        own = clean(row.get_text(" "))
        if own:
            return own if len(own) <= 300 else None
        below = row.find_next_sibling("tr")
        text = clean(below.get_text(" ")) if below else ""
        return text if 0 < len(text) <= 300 else None
    return _line_under(img)


def _line_under(img: Tag) -> str | None:
    """A short line set apart as a caption (italic or centred) in the image's own box or right after it."""
    holder: Tag = img
    while holder.name not in BLOCK_TAGS and holder.parent is not None and _short(holder.parent):
        holder = holder.parent
    if holder is not img and _looks_like_caption(holder):
        return clean(holder.get_text(" "))
    following = holder.find_next_sibling()
    if following is None or following.find("img") or not _short(following):
        return None
    return clean(following.get_text(" ")) if _looks_like_caption(following) else None


def _short(tag: Tag) -> bool:
    return tag.name not in ("body", "[document]") and len(clean(tag.get_text(" "))) <= 300


def _looks_like_caption(tag: Tag) -> bool:
    text = re.sub(r"\s", "", tag.get_text(""))
    emphasised = re.sub(r"\s", "", "".join(t.get_text("") for t in tag.find_all(["em", "i"])))
    aligned = " ".join(f"{t.get('style', '')} {t.get('align', '')}" for t in [tag, *_descendant_tags(tag)])
    return bool(text) and (emphasised == text or "center" in aligned.lower())
