"""What reading a portal page gives: an `Article` (with its `Image`s) or a `ListPage`, or an `ExtractionError`.

These are the models every other part shares: `scraper.extract` builds them from HTML, the spiders hand them on
(`scraper.items`), and the archive stores them (`archive.db`). Plain frozen dataclasses, no behaviour but the
list's folder and evidence, and the files an entry shows (`entry_files`).
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.urls import item_prefix, same_site


class ExtractionError(ValueError):
    """The page does not read as a portal article (or list page); the message says what is missing."""


@dataclass(frozen=True)
class Image:
    """An image shown in an article's body: its absolute URL, its alt text, and the caption a reader sees with it."""

    url: str
    alt: str | None
    caption: str | None


@dataclass(frozen=True)
class Article:
    """An article as a reader sees it on the portal, the central model of the archive (one `articles` row).

    `url` is the canonical URL (without `PageIndex`); `published_at` is ISO 8601 in Vietnam time (`+07:00`);
    `author` is the credit after "Tác giả:" as shown, None without one; `body_text` is plain text, paragraphs
    separated by a blank line; `body_html` is the body as sanitised HTML; `images` are those of the body, in order;
    `declared_total` is the total the "Các tin bài khác" box's pager declares, when the page shows one.
    """

    url: str
    title: str
    published_at: str
    author: str | None
    body_text: str
    body_html: str
    images: tuple[Image, ...] = ()
    declared_total: int | None = None
    documents: tuple[str, ...] = ()  # documents on the portal's host that the body links (absolute URLs), in order


@dataclass(frozen=True)
class Album:
    """An album of the photo library: its URL, title, the date it shows (ISO 8601, None when it shows none) and its
    photos in order (an `Image` each: URL, alt text, the caption shown with it)."""

    url: str
    title: str
    published_at: str | None
    photos: tuple[Image, ...]


@dataclass(frozen=True)
class ListPage:
    """A page of a list: its number, the entries it links (canonical URLs: articles, or a photo library's albums),
    the other pages of the list it links, the total and page size its pager declares (None when it shows no pager),
    the documents it links on the portal's host, and the title each entry's link shows (in the order of
    `article_urls`)."""

    url: str
    page: int
    article_urls: tuple[str, ...]
    page_urls: tuple[str, ...]
    declared_total: int | None
    page_size: int | None
    documents: tuple[str, ...] = ()
    article_dates: int = 0  # lines opening with "Thời gian đăng:" (an article shows one)
    article_titles: tuple[str, ...] = ()
    pager_shown: bool = False  # an "X-Y of N" line, also one whose numbers cannot hold (declaring no total)

    @property
    def folder(self) -> str | None:
        """The folder its entries sit in (`/t/`, `/vanhoa/tintuc/view/`): where to find them on its other pages."""
        return item_prefix(self.article_urls[0]) if self.article_urls else None

    @property
    def paged(self) -> bool:
        """The page shows the evidence of a list: several entries and a pager (links to its other pages, or
        "1-10 of N" even when N is a lie), and is no article (whose "Các tin bài khác" box has both)."""
        pager = self.page_urls or self.declared_total or self.pager_shown
        return len(self.article_urls) >= 3 and bool(pager) and self.article_dates != 1


def entry_files(entry: Article | Album) -> list[tuple[str, str]]:
    """The files an entry shows that a crawl keeps, each with its kind: an article's images on the portal itself
    (`image`), an album's photos there (`photo`), then an article's documents (`attachment`)."""
    kind, images = ("photo", entry.photos) if isinstance(entry, Album) else ("image", entry.images)
    files = [(image.url, kind) for image in images if same_site(image.url, entry.url)]
    return files + [(url, "attachment") for url in getattr(entry, "documents", ())]
