"""Pure functions rendering the portal's pages: the news list `/Tintuc/?PageIndex=N` and articles `/T/SLUG`."""

import unicodedata
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from replica.model import SITE, Article, block_texts
from replica.themes import NO_IMAGE, SECTION, THEMES, Entry, Pager

PAGE_SIZE = 10
LEAD_WORDS = 35
_HOME = '<a href="/">Trang chủ</a> » '
_LIST_CRUMBS = f'{_HOME}<a href="/Tintuc/">{SECTION}</a>'


def page_count(total: int) -> int:
    """Number of list pages for `total` entries."""
    return max(1, -(-total // PAGE_SIZE))


def article_href(article: Article, page: int) -> str:
    """How the list links an article: `/T/SLUG?PageIndex=N`."""
    return f"{article.path}?PageIndex={page}"


def _entry(article: Article, page: int) -> Entry:
    words = next(filter(None, block_texts(article.blocks)), "").split()
    lead = " ".join(words[:LEAD_WORDS]) + (" ..." if len(words) > LEAD_WORDS else "")
    images = article.images
    thumb = urlsplit(urljoin(SITE + article.path, images[0].src)).path if images else NO_IMAGE
    return Entry(article_href(article, page), article.title, lead, thumb)


def _list_entries(articles: Sequence[Article], page: int) -> list[Entry]:
    return [_entry(article, page) for article in articles[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]


def render_list(articles: Sequence[Article], page: int, theme: str = "ul") -> str:
    """List page `page` (1-based, 10 entries, newest first); ValueError when out of range."""
    pages = page_count(len(articles))
    if not 1 <= page <= pages:
        raise ValueError(f"list page {page} not in 1..{pages}")
    markup = THEMES[theme]
    main = markup.listing(_list_entries(articles, page), Pager(page, pages, len(articles), PAGE_SIZE))
    return markup.page(f"{SECTION} - Trang {page}", _LIST_CRUMBS, main)


def render_article(
    articles: Sequence[Article], article: Article, page_index: int = 1, theme: str = "ul", site: str = SITE
) -> str:
    """An article page; `page_index` (clamped to the list's pages) picks the "Các tin bài khác" page.

    `site` is the origin serving the page (absolute image URLs on the real portal are rewritten onto it).
    An article with the `nfd` quirk gets its whole page decomposed.
    """
    pages = page_count(len(articles))
    page = min(max(page_index, 1), pages)
    markup = THEMES[theme]
    pager = Pager(page, pages, len(articles), PAGE_SIZE)
    main = markup.article(article, _list_entries(articles, page), pager, site)
    html = markup.page(article.title, f"{_LIST_CRUMBS} » Chi tiết tin", main)
    return unicodedata.normalize("NFD", html) if "nfd" in article.quirks else html
