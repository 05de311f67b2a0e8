"""What the spider hands to the pipeline besides articles (which are `scraper.article.Article`)."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.article import Article, ListPage
from scraper.warc import WarcRef


@dataclass(frozen=True)
class CrawlError:
    """A URL that finally failed: an HTTP error after retries, a network error, or a page that did not read."""

    url: str
    status: int | None
    error: str


@dataclass(frozen=True)
class ListPageRead:
    """A page of the news list that was read, with the total its pager declares."""

    url: str
    page: int
    declared_total: int | None
    page_size: int | None
    articles: int


@dataclass(frozen=True)
class FetchedArticle:
    """An article read from a response: when it was fetched, and the WARC record holding that response (if any)."""

    article: Article
    fetched_at: str
    capture: WarcRef | None = None
    captured_at: str | None = None  # an article read from a web archive's capture: when its content was seen
    after_as_of: str | None = None  # a rescue `as_of` a date that had no good capture before it: that date


@dataclass(frozen=True)
class CaptureRead:
    """A web archive's capture that was replayed and read: `verdict` is `article`, `list`, or why it is neither
    (`scraper.captures`). A list page's capture carries what it listed."""

    original: str
    timestamp: str
    digest: str
    verdict: str
    listing: ListPage | None = None


@dataclass(frozen=True)
class LostArticle:
    """An article the portal listed or the archive captured, of which no capture reads as the article: its title
    as a list page showed it (None if none did), why each capture was not it, and how many there were."""

    url: str
    title: str | None
    reasons: tuple[str, ...]
    captures: int
