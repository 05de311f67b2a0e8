"""What the spider hands to the pipeline besides articles (which are `scraper.article.Article`)."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.article import Album, Article, ListPage
from scraper.warc import WarcRef


@dataclass(frozen=True)
class CrawlError:
    """A URL that finally failed: an HTTP error after retries, a network error, or a page that did not read."""

    url: str
    status: int | None
    error: str


@dataclass(frozen=True)
class Section:
    """A list of the portal (a section): its first page's URL, its title as the menu shows it, and the home page of
    the sub-site it belongs to (None on the portal itself)."""

    url: str
    title: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class ListPageRead:
    """A page of a list that was read: the total its pager declares, its section and the entries it shows."""

    url: str
    page: int
    declared_total: int | None
    page_size: int | None
    articles: int
    section: Section | None = None
    entries: tuple[str, ...] = ()
    fetched_at: str | None = None

    @classmethod
    def of(
        cls, listing: ListPage, section: Section | None, entries: tuple[str, ...], fetched_at: str | None = None
    ) -> ListPageRead:
        """The read of `listing`, a page of `section`'s list showing `entries` (in the spelling kept)."""
        shown = len(listing.article_urls)
        return cls(
            listing.url, listing.page, listing.declared_total, listing.page_size, shown, section, entries, fetched_at
        )


@dataclass(frozen=True)
class FetchedAlbum:
    """An album of the photo library read from a response, and the section whose list showed it."""

    album: Album
    fetched_at: str
    section: str | None = None


@dataclass(frozen=True)
class FetchedAttachment:
    """A document linked from an article (`article_url`) or a section's list (`section_url`), as fetched.

    `text` and `text_status` are what `scraper.attachments` read from it; `capture` its WARC record."""

    url: str
    article_url: str | None
    section_url: str | None
    content_type: str
    body: bytes
    text: str | None
    text_status: str
    fetched_at: str
    capture: WarcRef | None = None


@dataclass(frozen=True)
class FetchedArticle:
    """An article read from a response: when it was fetched, and the WARC record holding that response (if any)."""

    article: Article
    fetched_at: str
    capture: WarcRef | None = None
    captured_at: str | None = None  # an article read from a web archive's capture: when its content was seen
    after_as_of: str | None = None  # a rescue `as_of` a date that had no good capture before it: that date
    last_seen_at: str | None = None  # a rescued article: the newest sighting of its content, whatever `as_of`


@dataclass(frozen=True)
class CaptureRead:
    """A web archive's capture that was replayed and read: `verdict` is `article`, `list`, or why it is neither
    (`scraper.captures`). A list page's capture carries what it listed, a home-like page's its links."""

    original: str
    timestamp: str
    digest: str
    verdict: str
    listing: ListPage | None = None
    links: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class LostArticle:
    """An article the portal listed or the archive captured, of which no capture reads as the article: its title
    as a list page showed it (None if none did), why each capture was not it, and how many there were. `kind` says
    what else it may be in a rescue of the whole portal: `album`, `image`, `photo`, `attachment`, `page` (a
    page discovery visits, home-like or a list)."""

    url: str
    title: str | None
    reasons: tuple[str, ...]
    captures: int
    kind: str = "article"


@dataclass(frozen=True)
class WantedAsset:
    """An image, photo or document a rescued entry (or list page) shows, owed to the archive until it is read:
    remembered before the entry is stored, so that a rescue killed in between still fetches it on its re-run.
    `near` is the timestamp of the capture that showed it: its own capture is chosen nearest to it."""

    url: str
    kind: str
    near: str
    article_url: str | None = None
    section_url: str | None = None
