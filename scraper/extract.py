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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from typing import NamedTuple
from urllib.parse import quote

import nh3
from lxml import etree

from scraper.article import Album, Article, ExtractionError, Image, ListPage
from scraper.text import clean, fold_label, nfc, parse_portal_date
from scraper.urls import (
    PAGE_PARAM,
    absolute,
    canonical_article_url,
    is_document_url,
    is_item_url,
    item_prefix,
    page_number,
    same_site,
    url_key,
)

# Labels are matched on folded text (see `fold_label`), which keeps the clean text's character positions.
# A label ends with its colon or its line (or, for the date, runs into the date): words that merely begin like
# one are text ("Thời gian đăng ký …" on a notice, "Tác giả cuốn sách …" in a body, "Tin khác …").
DATE_LABEL = re.compile(r"(?:thoi\s*gian|ngay)\s*dang\s*(?::|$|(?=\d))")
ARTICLE_DATE_LABEL = re.compile(r"thoi\s*gian\s*dang\s*(?::|$|(?=\d))")  # an article's; an album shows "Ngày đăng:"
AUTHOR_LABEL = re.compile(r"^tac\s*gia\s*(?::|$)")
OTHER_NEWS_LABEL = re.compile(r"^(?:cac\s+)?tin\s+(?:bai\s+)?khac\s*(?::|$)")
# How the folded text of a line opening with each label begins: lines that begin otherwise are passed over
# without folding them whole (folding every paragraph of the body was the costliest part of finding labels).
_OPENINGS = {AUTHOR_LABEL: ("tac",), OTHER_NEWS_LABEL: ("cac", "tin")}
# The pager's "1771-1780 of 1911". It is read from a line's text nodes joined by `_NODE`, which no number runs
# across: a pager's parts are inline elements with nothing between them, and "1-10 of 64" followed by a link
# "1" must read 64, not 641. (On a line's clean text, where `_NODE` never occurs, it finds the pager all the same.)
_NODE = "\x01"
PAGER = re.compile(
    r"(\d[\d.,]*)[\s\x01]*[-–][\s\x01]*(\d[\d.,]*)[\s\x01]+(?:of|/|trên|của)[\s\x01]+(\d[\d.,]*)", re.IGNORECASE
)
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
_PREFORMATTED = frozenset(["pre", "textarea"])
_ASCII_SPACES = " \n\t\f\r"
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters lxml cannot store
_BREAK = "\x00"  # a <br> in plain text being built: lxml cannot store it, so no page text holds it
_BLANK_LINE = re.compile(r"\x00\s*\x00[\s\x00]*")
# One parser for every page: told the encoding (pages arrive as text, encoded here as UTF-8), it ignores
# whatever charset a page's <meta> or <?xml?> declaration claims.
_PARSER = etree.HTMLParser(encoding="utf-8", collect_ids=False)

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


class _Text(NamedTuple):
    """A text node of the page: in lxml's tree, the `.text` of `element` (before its children) or its `.tail`."""

    element: etree._Element
    tail: bool

    @property
    def value(self) -> str:
        return (self.element.tail if self.tail else self.element.text) or ""


_Node = etree._Element | _Text  # what a piece of the page is: an element (or comment) with its subtree, or text


@dataclass
class _Line:
    """One visual line of text: the text nodes a browser would show on one line, in order, and their clean text."""

    texts: list[str]
    first: _Text
    last: _Text
    block: etree._Element | None
    text: str = ""


def parse_article(html: str, url: str) -> Article:
    """Read an article page. Raises ExtractionError when it has no "Thời gian đăng:" line or no title."""
    root = _page(html)
    return _article(root, _lines(root), url)


def parse_album(html: str, url: str) -> Album:
    """Read an album page of the photo library. Raises ExtractionError without a title or without photos."""
    root = _page(html)
    return _album(root, _lines(root), url)


def read_item(html: str, url: str, album: bool = False) -> Article | Album:
    """Read an entry a list links: an article when the page shows "Thời gian đăng:", else an album of photos
    (whose date, when it shows one, is "Ngày đăng:"), else an article after all (which says what is missing).

    `album`: the list is the photo library, so the page is read as an album first, whatever its date's label.
    """
    root = _page(html)
    lines = _lines(root)
    if album or _find(lines, lambda t: ARTICLE_DATE_LABEL.search(fold_label(t)) is not None) is None:
        try:
            return _album(root, lines, url)
        except ExtractionError:
            pass
    return _article(root, lines, url)


def _article(root: etree._Element, lines: list[_Line], url: str) -> Article:
    base = _base_url(root, url)
    date_at = _find(lines, lambda t: DATE_LABEL.search(fold_label(t)) is not None)
    if date_at is None:
        raise ExtractionError("no 'Thời gian đăng:' (date posted) line on the page")
    published_at, date_end = _date_after_label(lines, date_at)
    if published_at is None:
        raise ExtractionError(f"no readable date after 'Thời gian đăng:': {lines[date_at].text[:80]!r}")
    title = _title(root, lines[:date_at])
    if not title:
        raise ExtractionError("no title above the 'Thời gian đăng:' line")

    other_at = _find(lines, lambda t: _opens_with(t, OTHER_NEWS_LABEL), start=date_end + 1)
    stop = other_at if other_at is not None else _side_box(lines, date_end + 1)
    author_at = _find_last(lines, lambda t: _opens_with(t, AUTHOR_LABEL), date_end + 1, stop)
    author = _value_after_label(lines, author_at, AUTHOR_LABEL, stop) if author_at is not None else None
    end_at = author_at if author_at is not None else stop

    body = _unwrap(_between(lines[date_end].last, _first_node(lines, end_at)))
    _absolutise(body, base)
    links = (a.get("href", "") for a in _tags(body, "a"))
    return Article(
        url=canonical_article_url(url),
        title=title,
        published_at=published_at,
        author=author,
        body_text=_text(body),
        body_html=sanitise_html("".join(map(_html, body))),
        images=tuple(_images(body)),
        declared_total=_declared(lines[end_at:])[0],
        documents=tuple(dict.fromkeys(h for h in links if is_document_url(h) and same_site(h, url))),
    )


def _album(root: etree._Element, lines: list[_Line], url: str) -> Album:
    """An album: the heading the page's <title> repeats, the "Ngày đăng:" line under it if any, then its photos
    up to the side boxes."""
    shown = next(root.iter("title"), None)
    page_title = fold_label(_text_of(shown, "")) if shown is not None else ""
    title_at = _find(lines, lambda t: _could_be_title(t) and len(fold_label(t)) >= 15 and fold_label(t) in page_title)
    if title_at is None:
        raise ExtractionError("no heading that the page's <title> repeats")
    start, published_at = title_at, None
    date_at = _find(lines, lambda t: DATE_LABEL.search(fold_label(t)) is not None, title_at + 1)
    if date_at is not None and date_at <= title_at + 2:
        published_at, start = _date_after_label(lines, date_at)
    nodes = _between(lines[start].last, _first_node(lines, _side_box(lines, start + 1)))
    _absolutise(nodes, _base_url(root, url))
    photos = tuple(_images(nodes))
    if not photos:
        raise ExtractionError("no photos under the heading")
    return Album(canonical_article_url(url), lines[title_at].text, published_at, photos)


def _first_node(lines: list[_Line], at: int) -> _Text | None:
    return lines[at].first if at < len(lines) else None


def parse_list(html: str, url: str, folder: str | None = None) -> ListPage:
    """Read a page of a list: its entries, its pager links, the declared total and the documents it links.

    Its entries are the largest group of entry-shaped links (`is_item_url`) on the portal's host that share a
    folder (`/T/`, `/vanhoa/Tintuc/View/`, `/ThuVienAnh/View/`): the page's own list, not its menus or boxes.
    Each entry is kept once (paths are case-insensitive), as the page spells it first. `folder`, the folder of
    the list's entries on its first page, picks them on a later page: past a list's end, a page with no entries
    of its own still shows boxes of other entries (an album, featured news), which are not the list's.
    """
    root = _page(html)
    groups: dict[str, dict[str, str]] = {}
    titles: dict[str, str] = {}  # each entry linked, and the title its link shows (a thumbnail's shows none)
    pages: dict[str, None] = {}
    documents: dict[str, None] = {}
    for target, link in _anchors(root, url):
        if is_document_url(target):
            documents.setdefault(target)
        elif is_item_url(target):
            group = groups.setdefault(item_prefix(target), {})
            entry = group.setdefault(url_key(target), canonical_article_url(target))
            titles[entry] = titles.get(entry) or clean(_text_of(link))
        elif _has_page_param(target) and _page_of(target) != _page_of(url):
            pages.setdefault(target)
    if folder is not None:
        groups = {folder: groups[folder]} if folder in groups else {}
    if not groups:
        raise ExtractionError(f"no links to articles or albums {f'in {folder} ' if folder else ''}on the list page")
    entries = max(groups.values(), key=len)
    page = page_number(url)
    lines = _lines(root)
    total, size, pager = _declared(lines, page)
    dates = sum(1 for line in lines if ARTICLE_DATE_LABEL.search(fold_label(line.text)))
    urls = tuple(entries.values())
    shown = tuple(titles[entry] for entry in urls)
    return ListPage(url, page, urls, tuple(pages), total, size, tuple(documents), dates, shown, pager)


def _page_of(url: str) -> tuple[str, int]:
    """Which page of which list (or box) a URL names: `url_key` leaves `PageIndex` out, so it is added back."""
    return url_key(url), page_number(url)


def page_links(html: str, url: str) -> list[tuple[str, str]]:
    """The links of a page to its own portal (menus, boxes): absolute URL and link text, in order."""
    return [(target, clean(_text_of(link))) for target, link in _anchors(_page(html), url)]


def _anchors(root: etree._Element, url: str) -> Iterator[tuple[str, etree._Element]]:
    """The links of a page to its own portal, each as an absolute URL with its element."""
    base = _base_url(root, url)
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:")):
            target = absolute(base, href)
            if target.startswith(("http://", "https://")) and same_site(target, url):
                yield target, link


def _has_page_param(url: str) -> bool:
    return f"{PAGE_PARAM.lower()}=" in url.lower()


def sanitise_html(html: str, image_src: Callable[[str], str] | None = None) -> str:
    """Untrusted portal HTML made safe to render: no scripts, styles, event handlers or `javascript:` URLs.

    `image_src`, if given, maps each image's (safe) URL to the one to show it from.
    """

    def images(tag: str, attribute: str, value: str) -> str:
        return image_src(value) if tag == "img" and attribute == "src" and image_src else value

    return nh3.clean(
        html,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        attribute_filter=images,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


# --- reading the page as lines -------------------------------------------------------------------------


def _page(html: str) -> etree._Element:
    """The page's element tree (lxml), NFC, without the elements a reader never sees (scripts, styles, …).

    Raises ExtractionError for text lxml cannot read as HTML; an empty page is an empty tree.
    """
    try:
        root = etree.fromstring(nfc(html).encode("utf-8", "surrogatepass"), _PARSER)
    except etree.LxmlError as error:
        raise ExtractionError(f"the page does not read as HTML: {error}") from error
    halted = [error.message for error in _PARSER.error_log if error.level == etree.ErrorLevels.FATAL]
    if halted:  # e.g. elements nested more than 256 deep: lxml stops there, and the rest of the page is lost
        raise ExtractionError(f"lxml stopped reading the page: {halted[0]}")
    if root is None:  # nothing but spaces, comments or a doctype
        return etree.Element("html")
    for element in list(root.iter(*_INVISIBLE)):
        _hide(element)
    return root


def _hide(element: etree._Element) -> None:
    """Take `element` out of the page, leaving an empty comment so the texts either side stay two text nodes."""
    placeholder = etree.Comment("")
    placeholder.tail = element.tail
    element.getparent().replace(element, placeholder)


def _is_tag(node: _Node) -> bool:
    """True for an element; False for text, comments and processing instructions (lxml's tags that are not str)."""
    return not isinstance(node, _Text) and isinstance(node.tag, str)


def _blank(node: _Node) -> bool:
    """Text, or a comment, that holds nothing but spaces."""
    if isinstance(node, _Text):
        return not node.value.strip()
    return not isinstance(node.tag, str) and not (node.text or "").strip()


def _children(element: etree._Element) -> Iterator[_Node]:
    """The nodes directly in `element`, in order: its text, then each child followed by the child's tail."""
    if element.text:
        yield _Text(element, False)
    for child in element:
        yield child
        if child.tail:
            yield _Text(child, True)


def _next_siblings(node: _Node) -> Iterator[_Node]:
    """The nodes after `node` in its parent, in order."""
    if isinstance(node, _Text) and not node.tail:  # an element's first text: the element's children follow it
        children = _children(node.element)
        next(children)  # the text itself
        yield from children
        return
    element = node.element if isinstance(node, _Text) else node
    if not isinstance(node, _Text) and element.tail:
        yield _Text(element, True)
    for sibling in element.itersiblings():
        yield sibling
        if sibling.tail:
            yield _Text(sibling, True)


def _parent(node: _Node) -> etree._Element | None:
    if isinstance(node, _Text):
        return node.element if not node.tail else node.element.getparent()
    return node.getparent()


def _ancestors(node: _Node) -> Iterator[etree._Element]:
    parent = _parent(node)
    while parent is not None:
        yield parent
        parent = parent.getparent()


def _base_url(root: etree._Element, url: str) -> str:
    base = next((element for element in root.iter("base") if element.get("href") is not None), None)
    return absolute(url, base.get("href")) if base is not None else url


def _lines(root: etree._Element) -> list[_Line]:
    """The page's visible text as lines: a new line starts with each block element and at each <br>.

    Text of nothing but spaces between tags (indentation) is settled on the way, in the tree, to one newline (if
    it has one) or one space, outside <pre>: every later reading of the page then sees the same text, however its
    source is laid out (as BeautifulSoup, which this module used first, stored it).
    """
    lines: list[_Line] = []
    current: _Line | None = None

    def add(text: str, element: etree._Element, tail: bool, block: etree._Element | None) -> None:
        nonlocal current
        if current is None or current.block is not block:
            current = _Line([text], _Text(element, tail), _Text(element, tail), block)
            lines.append(current)
        else:
            current.texts.append(text)
            current.last = _Text(element, tail)

    def visit(element: etree._Element, block: etree._Element | None, preformatted: bool) -> None:
        nonlocal current
        tag = element.tag
        if tag == "br" or tag == "hr":
            current = None
        if tag in BLOCK_TAGS:
            block = element
        preformatted = preformatted or tag in _PREFORMATTED
        text = element.text
        if text:
            if not preformatted and not text.strip(_ASCII_SPACES):
                text = element.text = _settled(text)
            add(text, element, False, block)
        for child in element:
            if isinstance(child.tag, str):
                visit(child, block, preformatted)
            tail = child.tail
            if tail:
                if not preformatted and not tail.strip(_ASCII_SPACES):
                    tail = child.tail = _settled(tail)
                add(tail, child, True, block)

    visit(next(root.iter("body"), root), None, False)
    for line in lines:
        line.text = clean("".join(line.texts))
    return [line for line in lines if line.text]


def _settled(spaces: str) -> str:
    """Spaces between tags as they read: one newline if they hold one, else one space."""
    return "\n" if "\n" in spaces else " "


def _opens_with(text: str, label: re.Pattern[str]) -> bool:
    """Whether the line `text` opens with `label`; a line whose first words fold to another beginning is not
    folded whole (the first few characters fold to the first characters of the whole)."""
    opening = fold_label(text[:24])
    if len(opening) >= 3 and not opening.startswith(_OPENINGS[label]):
        return False
    return label.match(fold_label(text)) is not None


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


def _declared(lines: list[_Line], page: int = 1) -> tuple[int | None, int | None, bool]:
    """The total and page size a pager declares on page `page` ("1771-1780 of 1911" → 1911, 10), and whether the
    page shows a pager's "X-Y of N" at all: one whose numbers cannot hold ("1-10 of 6") declares nothing, but it is
    still a pager.

    The size comes from where the page starts, so the short last page ("1911-1911 of 1911") reads as 10 too.
    """
    shown = False
    for line in lines:
        match = PAGER.search(line.text) and PAGER.search(_NODE.join(line.texts))
        if match:
            shown = True
            first, last, total = (int(re.sub(r"\D", "", g)) for g in match.groups())
            if 0 < first <= last <= total:
                size = (first - 1) // (page - 1) if page > 1 and first > 1 else last - first + 1
                return total, size, True
    return None, None, shown


def _title(root: etree._Element, above: list[_Line]) -> str | None:
    """The line shown above the date.

    Among the few lines above it (banner, breadcrumbs and dates left out): one the page's <title>
    repeats, else the nearest of four words or more (not a "Chia sẻ"/"In bài" button), else the nearest.
    """
    shown = next(root.iter("title"), None)
    page_title = fold_label(_text_of(shown, "")) if shown is not None else ""
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


def _text_of(element: etree._Element, separator: str = " ") -> str:
    """All the text under `element` (comments left out), its pieces joined by `separator`."""
    return separator.join(element.itertext())


# --- the article body ----------------------------------------------------------------------------------


def _between(start: _Text, end: _Text | None) -> list[_Node]:
    """The nodes strictly after `start` and before `end` in document order, as whole subtrees.

    Like a DOM Range: containers that hold `end` are entered and only their part before it is taken.
    """
    stops = {end, *_ancestors(end)} if end is not None else set()
    taken: list[_Node] = []

    def before_end(container: etree._Element) -> None:
        for child in _children(container):
            if child == end:
                return
            if child in stops:
                before_end(child)
                return
            taken.append(child)

    node: _Node | None = start
    while node is not None and (isinstance(node, _Text) or node.tag not in ("body", "html")):
        for sibling in _next_siblings(node):
            if sibling in stops:
                if _is_tag(sibling):
                    before_end(sibling)
                return taken
            taken.append(sibling)
        node = _parent(node)
    return taken


def _unwrap(nodes: list[_Node]) -> list[_Node]:
    """The body without the list items or layout cells that held it on the page.

    A single holder is opened; list items and cells left at the top (a body spread over several <li>) become
    <div>s, since a bare <li> or <td> outside its list or table is not HTML a reader can be shown.
    """
    solid = [node for node in nodes if not _blank(node)]
    holder = solid[0] if len(solid) == 1 and _is_tag(solid[0]) else None
    if holder is not None and holder.tag in _HOLDERS and not (holder.tag == "table" and _is_data_table(holder)):
        return _unwrap(list(_children(holder)))
    for node in solid:
        if _is_tag(node) and node.tag in _STRAY:
            node.tag = "div"
    return nodes


def _absolutise(nodes: list[_Node], base: str) -> None:
    """Make link and image URLs absolute, taking lazy-loading attributes as the image source."""
    for node in _tags(nodes, "img", "a"):
        if node.tag == "img":
            src = next((node.get(a) for a in _IMAGE_SOURCES if node.get(a, "").strip()), "")
            if src and not src.startswith("data:"):
                node.set("src", _url(base, src))
        elif node.get("href"):
            node.set("href", _url(base, node.get("href")))


def _url(base: str, href: str) -> str:
    """`href` made absolute, control characters percent-encoded (as a browser does; lxml refuses them raw)."""
    return _NOT_XML.sub(lambda character: quote(character[0]), absolute(base, href))


def _tags(nodes: list[_Node], *names: str) -> Iterator[etree._Element]:
    """The elements named `names` among `nodes` and under them, in document order."""
    for node in nodes:
        if _is_tag(node):
            yield from node.iter(*names)


def _html(node: _Node) -> str:
    """A node as HTML (comments left out: the sanitiser drops them anyway)."""
    if isinstance(node, _Text):
        return escape(node.value, quote=False)
    if not isinstance(node.tag, str):
        return ""
    parts: list[str] = []
    _write_html(node, parts)
    return "".join(parts)


def _write_html(element: etree._Element, parts: list[str]) -> None:
    """Serialise by hand: lxml's HTML serialiser percent-encodes non-ASCII link and image URLs.

    Attributes go in alphabetical order (the sanitiser keeps the order it is given), as BeautifulSoup wrote them.
    """
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in sorted(element.items()))
    parts.append(f"<{element.tag}{attributes}>")
    if element.text:
        parts.append(escape(element.text, quote=False))
    for child in element:
        if isinstance(child.tag, str):
            _write_html(child, parts)
        if child.tail:
            parts.append(escape(child.tail, quote=False))
    if element.tag not in _VOID:
        parts.append(f"</{element.tag}>")


def _text(nodes: list[_Node]) -> str:
    """Plain text: one block a paragraph, blocks separated by a blank line, table rows as `cell | cell`.

    As a browser shows it: a line break only at <br> or in <pre> (line breaks in the source are spaces), and two
    <br>s in a row, a blank line, start a new block.
    """
    blocks: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer).replace("\n", " ")
        parts = _BLANK_LINE.split(text) if _BREAK in text else (text,)
        for part in parts:
            block = "\n".join(filter(None, (clean(line) for line in part.split(_BREAK))))
            if block:
                blocks.append(block)
        buffer.clear()

    def walk(element: etree._Element) -> None:
        tag = element.tag
        if tag == "br":
            buffer.append(_BREAK)
            return
        if tag in _PREFORMATTED:
            flush()
            buffer.append(_text_of(element, "").replace("\n", _BREAK))
            flush()
            return
        if tag == "table" and _is_data_table(element):
            flush()
            rows = (" | ".join(clean(_text_of(c)) for c in r.iterdescendants("td", "th")) for r in _rows(element))
            blocks.append("\n".join(row for row in rows if row.strip(" |")))
            return
        is_block = tag in BLOCK_TAGS
        if is_block:
            flush()
        if element.text:
            buffer.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                buffer.append(child.tail)
        if is_block:
            flush()

    for node in nodes:
        if isinstance(node, _Text):
            buffer.append(node.value)
        elif _is_tag(node):
            walk(node)
    flush()
    return "\n\n".join(blocks)


def _rows(table: etree._Element) -> list[etree._Element]:
    return [row for row in table.iterdescendants("tr") if next(row.iterancestors("table")) is table]


def _is_data_table(table: etree._Element) -> bool:
    """A table of data (kept as `cell | cell` rows), not one used to lay out text or an image and caption."""
    if _first(table.iterdescendants("table")) is not None:
        return False
    return max((sum(1 for _ in row.iterdescendants("td", "th")) for row in _rows(table)), default=0) >= 2


def _first(elements: Iterator[etree._Element]) -> etree._Element | None:
    return next(elements, None)


def _images(nodes: list[_Node]) -> Iterator[Image]:
    seen: set[str] = set()
    for img in _tags(nodes, "img"):
        src = img.get("src", "").strip()
        hostile = any(name.lower().startswith("on") for name in img.attrib)  # <img src=x onerror=...> is an attack
        if not src or src.startswith("data:") or src in seen or hostile:
            continue
        seen.add(src)
        yield Image(url=src, alt=clean(img.get("alt", "")) or None, caption=_caption(img))


def _caption(img: etree._Element) -> str | None:
    """The caption a reader sees with an image: a <figcaption>, the table row under it, or an italic line."""
    figure = _first(img.iterancestors("figure"))
    figcaption = _first(figure.iterdescendants("figcaption")) if figure is not None else None
    if figcaption is not None:
        return clean(_text_of(figcaption)) or None
    cell = _first(img.iterancestors("td", "th"))
    if cell is not None and sum(1 for _ in cell.iter("img")) == 1:
        own = clean(_text_of(cell))
        if own:  # the image's own cell: in a grid of photos, each is captioned in its cell
            return own if len(own) <= 300 else None
    row = _first(img.iterancestors("tr"))
    if row is not None:
        own = clean(_text_of(row))
        if own:
            return own if len(own) <= 300 else None
        below = _first(row.itersiblings("tr"))
        text = clean(_text_of(below)) if below is not None else ""
        return text if 0 < len(text) <= 300 else None
    return _line_under(img)


def _line_under(img: etree._Element) -> str | None:
    """A short line set apart as a caption (italic or centred) in the image's own box or right after it."""
    holder = img
    while holder.tag not in BLOCK_TAGS and (parent := holder.getparent()) is not None and _short(parent):
        holder = parent
    if holder is not img and _looks_like_caption(holder):
        return clean(_text_of(holder))
    following = _first(holder.itersiblings(etree.Element))
    if following is None or _first(following.iterdescendants("img")) is not None or not _short(following):
        return None
    return clean(_text_of(following)) if _looks_like_caption(following) else None


def _short(element: etree._Element) -> bool:
    return element.tag != "body" and len(clean(_text_of(element))) <= 300


def _looks_like_caption(element: etree._Element) -> bool:
    text = re.sub(r"\s", "", _text_of(element, ""))
    emphasised = re.sub(r"\s", "", "".join(_text_of(e, "") for e in element.iterdescendants("em", "i")))
    aligned = " ".join(f"{e.get('style', '')} {e.get('align', '')}" for e in element.iter(etree.Element))
    return bool(text) and (emphasised == text or "center" in aligned.lower())
