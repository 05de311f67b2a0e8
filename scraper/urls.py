"""The portal's URL shapes: list pages, articles, and the canonical form of an article URL."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

HOME_URL = "http://huyendienbien.gov.vn/"  # where a crawl or a rescue of the whole portal starts (the default)

# The shapes web-archive captures are matched on (`scraper.cdx`): /T/<SLUG> on huyendienbien.gov.vn,
# /TinTuc/View/<Slug> on sister portals. A crawl of the portal itself tells articles and lists apart on the pages'
# evidence instead (`is_item_url`, `scraper.extract.parse_list`, `scraper.extract.read_item`).
_ARTICLE_PATH = re.compile(r"^/(?:T|Tintuc/View|Tin-tuc/View)/[^/]+/?$", re.IGNORECASE)
_LIST_PATH = re.compile(r"^/(?:Tintuc|Tin-tuc)(?:/(?:Index)?)?/?$", re.IGNORECASE)
PAGE_PARAM = "PageIndex"


def _split(url: str):
    return urlsplit(url.strip())


def is_article_url(url: str) -> bool:
    """True for an article URL, whatever its `PageIndex`."""
    parts = _split(url)
    return parts.scheme in ("http", "https") and bool(_ARTICLE_PATH.match(parts.path))


def is_list_url(url: str) -> bool:
    """True for a page of the news list (`/Tintuc/?PageIndex=N`)."""
    parts = _split(url)
    return parts.scheme in ("http", "https") and bool(_LIST_PATH.match(parts.path))


# What a document link ends with: the files a crawl keeps as an article's (or a section's) attachments.
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".zip", ".rar")
_SLUG_WORD = re.compile(r"[A-Za-z0-9]+")


def is_item_url(url: str) -> bool:
    """True for a URL shaped like one entry of a list (an article, an album), whatever its path's prefix:
    a last path segment that is a slug (words joined by `-`, no file extension) below at least one folder.

    `/T/<SLUG>`, `/vanhoa/Tintuc/View/<Slug>`, `/TinTuc/View/<Slug>` and `/ThuVienAnh/View/<Slug>` all are; a
    page tells which it is (`scraper.extract.read_item`)."""
    parts = _split(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.scheme not in ("http", "https") or len(segments) < 2:
        return False
    words = segments[-1].split("-")
    return "." not in segments[-1] and len(words) >= 2 and any(_SLUG_WORD.fullmatch(word) for word in words)


def item_prefix(url: str) -> str:
    """The folder an entry's URL sits in, lower case (`/t/`, `/vanhoa/tintuc/view/`): what groups a list's entries."""
    path = _split(url).path
    return path[: path.rstrip("/").rfind("/") + 1].lower()


def is_document_url(url: str) -> bool:
    """True for a link to a document file (PDF, Word, Excel, OpenDocument, an archive)."""
    return _split(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def url_key(url: str) -> str:
    """What makes two URLs one page of an IIS portal: paths are case-insensitive, `PageIndex` only pages a box."""
    parts = _split(canonical_article_url(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path.lower().rstrip("/"), parts.query.lower(), ""))


def _without_page_param(query: str) -> str:
    return urlencode(sorted((k, v) for k, v in parse_qsl(query) if k.lower() != PAGE_PARAM.lower()))


def canonical_article_url(url: str) -> str:
    """The article's own URL: `PageIndex` only pages the "other news" box, so it is dropped."""
    parts = _split(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, _without_page_param(parts.query), ""))


def list_page_url(list_url: str, page: int) -> str:
    """The URL of page `page` of the news list that `list_url` belongs to."""
    parts = _split(list_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() != PAGE_PARAM.lower()]
    query.append((PAGE_PARAM, str(page)))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(query), ""))


def page_number(url: str) -> int:
    """The `PageIndex` of a URL (1 when absent or unreadable)."""
    for key, value in parse_qsl(_split(url).query):
        if key.lower() == PAGE_PARAM.lower() and value.isdigit():
            return int(value)
    return 1


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (ignoring `www.` and the port's default)."""

    def host(u: str) -> str:
        return (_split(u).hostname or "").removeprefix("www.")

    return host(url) == host(other)


def absolute(base: str, href: str) -> str:
    """`href` resolved against `base` with surrounding spaces and the fragment removed."""
    return urljoin(base, href.strip()).split("#", 1)[0]


def article_id(canonical_url: str) -> str:
    """A stable id for an article: 16 hex digits of the SHA-1 of its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]
