"""Pure functions rendering the portal's pages: lists (`/Tintuc/?PageIndex=N` and the other sections), articles
(`/T/SLUG`, `<sub-site>/Tintuc/View/Slug`), home pages, the photo library's albums."""

import unicodedata
from collections.abc import Sequence
from html import escape
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from replica.model import PAGE_SIZE, SITE, Album, Article, Section, SubSite, block_texts, page_count
from replica.themes import NEWS, NO_IMAGE, THEMES, Box, Entry, Pager

LEAD_WORDS = 35
_HOME = '<a href="/">Trang chủ</a> » '
_Item = TypeVar("_Item")


def article_href(article: Article, page: int) -> str:
    """How the list links an article: `/T/SLUG?PageIndex=N`."""
    return f"{article.path}?PageIndex={page}"


def _crumbs(section: Section) -> str:
    """Breadcrumbs down to the section's list: home, the sub-site, the list."""
    parent = f'<a href="{section.parent.path}">{escape(section.parent.title)}</a> » ' if section.parent else ""
    return f'{_HOME}{parent}<a href="{section.path}">{escape(section.title)}</a>'


def _entry(article: Article, page: int) -> Entry:
    words = next(filter(None, block_texts(article.blocks)), "").split()
    lead = " ".join(words[:LEAD_WORDS]) + (" ..." if len(words) > LEAD_WORDS else "")
    images = article.images
    thumb = urlsplit(urljoin(SITE + article.path, images[0].src)).path if images else NO_IMAGE
    return Entry(article_href(article, page), article.title, lead, thumb)


def _album_entry(album: Album) -> Entry:
    return Entry(album.path, album.title, f"{len(album.photos)} ảnh", album.photos[0].src)


def _on_page(items: Sequence[_Item], page: int) -> Sequence[_Item]:
    return items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def _list_entries(articles: Sequence[Article], page: int) -> list[Entry]:
    return [_entry(article, page) for article in _on_page(articles, page)]


def render_list(articles: Sequence[Article], page: int, theme: str = "ul", section: Section = NEWS) -> str:
    """Page `page` (1-based, 10 entries, newest first) of `section`'s list of `articles`, or of its albums when it
    has some; ValueError when out of range."""
    total = len(section.albums) or len(articles)
    pages = page_count(total)
    if not 1 <= page <= pages:
        raise ValueError(f"list page {page} not in 1..{pages}")
    markup = THEMES[theme]
    entries = [_album_entry(album) for album in _on_page(section.albums, page)] or _list_entries(articles, page)
    main = markup.listing(entries, Pager(page, pages, total, PAGE_SIZE), section)
    return markup.page(f"{section.title} - Trang {page}", _crumbs(section), main)


def render_article(
    articles: Sequence[Article],
    article: Article,
    page_index: int = 1,
    theme: str = "ul",
    site: str = SITE,
    section: Section = NEWS,
) -> str:
    """An article page of `section`; `page_index` (clamped to the list's pages) picks the "Các tin bài khác" page,
    which shows `articles` (the section's list).

    `site` is the origin serving the page (absolute image URLs on the real portal are rewritten onto it).
    An article with the `nfd` quirk gets its whole page decomposed.
    """
    pages = page_count(len(articles))
    page = min(max(page_index, 1), pages)
    markup = THEMES[theme]
    pager = Pager(page, pages, len(articles), PAGE_SIZE)
    main = markup.article(article, _list_entries(articles, page), pager, site, section)
    html = markup.page(article.title, f"{_crumbs(section)} » Chi tiết tin", main)
    return unicodedata.normalize("NFD", html) if "nfd" in article.quirks else html


def render_home(title: str, boxes: Sequence[Box], theme: str = "ul", sub_site: SubSite | None = None) -> str:
    """A home page (the portal's, or a sub-site's): boxes of links."""
    markup = THEMES[theme]
    crumbs = _HOME + (escape(sub_site.title) if sub_site else "")
    return markup.page(title, crumbs.removesuffix(" » "), "\n".join(map(markup.box, boxes)))


def render_album(album: Album, section: Section, theme: str = "ul", site: str = SITE) -> str:
    """An album page of `section` (the photo library)."""
    markup = THEMES[theme]
    return markup.page(album.title, f"{_crumbs(section)} » {escape(album.title)}", markup.album(album, site))
