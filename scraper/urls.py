"""The portal's URL shapes: list pages, articles, and the canonical form of an article URL."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

DEFAULT_START_URL = "http://huyendienbien.gov.vn/Tintuc/?PageIndex=1"

# /T/<SLUG> on huyendienbien.gov.vn; /TinTuc/View/<Slug> on sister portals of the province.
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
