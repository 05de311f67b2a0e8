"""What the spider hands to the pipeline besides articles (which are `scraper.article.Article`)."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.article import Article
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
    captured_at: str | None = None  # an article read from a web archive's capture: when it was taken
