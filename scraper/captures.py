"""Reading a web archive's capture of a portal page: is it the page, and if not, why not.

Pure functions over what a raw (`id_`) replay gives: the capture's HTTP status, the portal's headers and the body.
A capture of a dead or failing portal is often no copy of its page at all: the shutdown notice, a soft-404, an
ASP.NET error page, a login form, a parked domain, a body cut short, or a redirect to another host. These are
recognised by the words a reader sees (never by markup), and each has a reason of its own, which the archive
records for a page no capture of which was good.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import html as lxml_html

from scraper import cdx
from scraper.article import Album, Article, ExtractionError, ListPage
from scraper.extract import page_links, parse_list, read_item
from scraper.urls import same_site

NOTICE, SOFT_404, SERVER_ERROR, LOGIN, PARKED = "notice", "soft-404", "server-error", "login", "parked"
TRUNCATED, OFF_SITE, UNREADABLE, NOT_ARCHIVED = "truncated", "redirect-off-site", "unreadable", "not-archived"
NOT_THE_FILE = "not-the-file"  # a page where an image or a document was captured
ARTICLE, LIST, HOME, FILE = "article", "list", "home", "file"  # what a capture read as, when it is the thing
GOOD = frozenset((ARTICLE, LIST, HOME, FILE))
MAX_HOPS = 5  # redirects followed from one capture

# What a reader sees on each kind of page that is not an article (NFC, compared in lower case).
_SIGNS = (
    (NOTICE, re.compile(r"đã (?:dừng|ngừng) hoạt động|(?:dừng|ngừng) cung cấp thông tin")),
    (SOFT_404, re.compile(r"không tìm thấy trang|không tồn tại hoặc đã bị xóa|file or directory not found|\b404\b")),
    (SERVER_ERROR, re.compile(r"server error in '.*' application|runtime error|lỗi máy chủ")),
    (LOGIN, re.compile(r"\bđăng nhập\b.*\bmật khẩu\b|\bmật khẩu\b.*\bđăng nhập\b|\blog ?in\b.*\bpassword\b", re.S)),
    (PARKED, re.compile(r"domain is parked|this domain (?:is|may be) for sale|tên miền này đang|buy this domain")),
)


def visible_text(html: str) -> str:
    """The words a reader sees on a page (no scripts, styles or comments), NFC, in lower case."""
    try:
        root = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for hidden in root.xpath("//script|//style|//comment()"):
        hidden.drop_tree()
    return unicodedata.normalize("NFC", " ".join(" ".join(root.itertext()).split())).lower()


def sign_of(html: str) -> str | None:
    """The kind of non-article page `html` shows (`NOTICE`, `SOFT_404`, ...), None when it shows none."""
    text = visible_text(html)
    return next((reason for reason, sign in _SIGNS if sign.search(text)), None)


def cut_short(body: bytes, declared_length: int | None) -> bool:
    """True when a captured body is shorter than the length the portal declared for it, or its HTML stops before
    `</html>` (the end of the body, the author and the other-news box come before it)."""
    if declared_length is not None and declared_length > len(body):
        return True
    return b"</html" not in body[-4096:].lower()


def read_capture(
    url: str, html: str, body: bytes, declared_length: int | None = None, album: bool = False
) -> tuple[Article | Album | None, str | None]:
    """The article (or album of photos: `scraper.extract.read_item`, `album` when the photo library lists it) a 200
    capture of `url` shows, or None and why it is not the entry.

    A page that reads as an entry is still refused when it is cut short: a cut page reads, with half a body."""
    try:
        article = read_item(html, url, album)
    except ExtractionError:
        return None, sign_of(html) or (TRUNCATED if cut_short(body, declared_length) else UNREADABLE)
    if cut_short(body, declared_length):
        return None, TRUNCATED
    return article, None


def file_reason(content_type: str, body: bytes, declared_length: int | None = None) -> str | None:
    """None when a 200 capture of an image or a document holds the file; else why not: a page (the shutdown
    notice, a soft-404 ... answering at every URL) or a body shorter than the portal declared."""
    if content_type.split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml"):
        return sign_of(body.decode("utf-8", "replace")) or NOT_THE_FILE
    if declared_length is not None and declared_length > len(body):
        return TRUNCATED
    return None


def read_page(
    url: str, html: str, body: bytes, declared_length: int | None = None, folder: str | None = None, visit: bool = False
) -> tuple[str, ListPage | None, tuple[tuple[str, str], ...] | None]:
    """What a 200 capture of a list page shows (`folder`: where the list's entries sit), or with `visit` one of a
    page discovery visits: `LIST` and the listing, `HOME` and the links of a home-like page (a visit only), else why
    it is neither, with None and None. A page cut short is neither: it would list or link only a part."""
    if cut_short(body, declared_length):
        return sign_of(html) or TRUNCATED, None, None
    try:
        listing = parse_list(html, url, folder)
    except ExtractionError:
        listing = None
    if visit and not (listing and listing.paged):
        verdict = sign_of(html) or HOME
        return verdict, None, tuple(page_links(html, url)) if verdict == HOME else None
    if listing is None:
        return sign_of(html) or UNREADABLE, None, None
    return LIST, listing, None


def replay_outcome(
    replayed: cdx.Capture, status: int, location: str | None, archived: bool, site: str, hops: int = 0
) -> cdx.Capture | str | None:
    """What a raw replay of `replayed` answered (`location`: its absolute Location header; `archived`: it carried a
    Memento-Datetime): the capture a redirect on the portal leads to, to replay next; None for a capture to read;
    else why it is no capture of the thing (a redirect off the portal or one hop too many, a capture the archive
    does not hold, an HTTP error)."""
    if 300 <= status < 400 and location:
        target = cdx.replayed_original(location) or location
        why = redirect_reason(target, site) or ("redirect-loop" if hops >= MAX_HOPS else None)
        return why or cdx.Capture(cdx.replayed_timestamp(location, None) or replayed.timestamp, target, None)
    if status == 404 and not archived:
        return NOT_ARCHIVED
    if status != 200:
        return cdx.row_reason(cdx.Capture(replayed.timestamp, replayed.url, status)) or UNREADABLE
    return None


def redirect_reason(target: str | None, site: str) -> str | None:
    """None when a redirect to `target` (the original URL it leads to) stays on the portal and is worth following;
    else why not."""
    return None if target and same_site(target, site) else OFF_SITE


def held_in_part(body: bytes, headers: list[tuple[str, str]]) -> bool:
    """The web archive holds a part of what the portal sent: the body is shorter than its declared length."""
    length = declared_length(headers)
    return length is not None and length > len(body)


def declared_length(headers: list[tuple[str, str]]) -> int | None:
    """The Content-Length the portal sent with a capture (`X-Archive-Orig-Content-Length`), when the body is not
    content-encoded (then its length is of other bytes than the decoded ones)."""
    values = {name.lower(): value for name, value in headers}
    if values.get("x-archive-orig-content-encoding") or values.get("content-encoding"):
        return None
    length = values.get("x-archive-orig-content-length", "")
    return int(length) if length.strip().isdigit() else None
