"""What the spider hands to the pipeline besides articles (which are `scraper.extract.Article`)."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.extract import Article


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
class CapturedArticle:
    """An article read from a web archive's capture of its page, taken at `captured_at` (ISO 8601 UTC)."""

    article: Article
    captured_at: str
