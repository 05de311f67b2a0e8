"""The list walk: which pages of a paginated list to ask for next, on evidence alone.

A pure state machine, without Scrapy: a spider tells it what each list page showed, and it answers with the
pages to request next. No number read from a page can make it schedule more than a few pages:

- pages are asked for in a window of `window` pages ahead of the highest page seen with new articles
  (articles no other page of this walk showed), never the whole range a pager declares;
- a page that shows nothing new (an empty list, a 404 or an unreadable page past the end, a repeat of an
  earlier page) is the end of the list: nothing past it is asked for unless a page before it shows more;
- a declared total that the pages bear out narrows the window to its last page plus one, the page that shows
  the end; a total the pages contradict is set aside and reported as a disagreement;
- a ceiling that no bug can pass: the walk never asks for more than `2 × pages with new articles + window + 1`
  pages, nor `hard_limit`; where it would, it stops and says why (`stopped`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scraper.article import ListPage

WINDOW = 3  # pages asked for ahead of the highest page seen with new articles
HARD_LIMIT = 20_000  # list pages in one walk, whatever the evidence (a district portal has a few hundred)


@dataclass
class ListWalk:
    """The walk of one paginated list from page `first`.

    `available`, when given, holds the only pages that can be asked for (a web archive's captured list pages):
    the window then counts those pages rather than page numbers. `max_pages` caps the walk as the user asked.
    """

    first: int = 1
    window: int = WINDOW
    max_pages: int | None = None
    hard_limit: int = HARD_LIMIT
    available: frozenset[int] | None = None
    asked: set[int] = field(default_factory=set)
    fruitful: set[int] = field(default_factory=set)  # pages that showed new articles
    ended: dict[int, str] = field(default_factory=dict)  # pages that showed the end, and how
    failed: dict[int, str] = field(default_factory=dict)  # pages that could not be read, and why
    listed: dict[str, int] = field(default_factory=dict)  # every article the list showed, and its page
    declared_total: int | None = None
    page_size: int | None = None
    stopped: str | None = None  # why the walk stopped before the list's end
    ceiling_hit: str | None = None  # what the ceiling stopped, if it did

    def begin(self) -> list[int]:
        """The first page to ask for."""
        return self._ask([self.first])

    def shown(self, listing: ListPage) -> list[int]:
        """Page `listing.page` was read: the pages to ask for next. See `misread_ends` after it."""
        new = [url for url in listing.article_urls if url not in self.listed]
        for url in new:
            self.listed[url] = listing.page
        if new:
            self.fruitful.add(listing.page)
        else:
            self.ended[listing.page] = "a repeat of pages already read"
        if listing.declared_total is not None and listing.page_size:
            self.declared_total, self.page_size = listing.declared_total, listing.page_size
        return self._next()

    def empty(self, page: int, why: str) -> list[int]:
        """Page `page` answered but showed no articles (an empty list, a 404, a page without article links)."""
        self.ended[page] = why
        return self._next()

    def lost(self, page: int, why: str) -> list[int]:
        """Page `page` could not be had (after retries): not evidence of the end, nor of more pages."""
        self.failed[page] = why
        return self._next()

    def misread_ends(self) -> list[tuple[int, str]]:
        """Pages taken for the end that a later page with new articles shows were not: failures after all.

        Each is reported once, and counted as failed from then on.
        """
        misread = [(page, why) for page, why in sorted(self.ended.items()) if page < self.highest]
        for page, why in misread:
            del self.ended[page]
            self.failed[page] = why
        return misread

    def stop(self, why: str) -> None:
        """Ask for no more pages (a spider's own reason: an incremental walk that found nothing new)."""
        self.stopped = self.stopped or why

    @property
    def highest(self) -> int:
        """The highest page that showed new articles (`first - 1` before any did)."""
        return max(self.fruitful, default=self.first - 1)

    @property
    def end(self) -> int | None:
        """The first page past every page with new articles that showed the end of the list, once one has."""
        return min((page for page in self.ended if page > self.highest), default=None)

    @property
    def reached_end(self) -> bool:
        """The walk read every page from `first` to the end of the list."""
        end = self.end
        return end is not None and all(page in self.fruitful or page in self.ended for page in range(self.first, end))

    @property
    def declared_last(self) -> int | None:
        """The last page the declared total implies."""
        return -(-self.declared_total // self.page_size) if self.declared_total and self.page_size else None

    @property
    def ceiling(self) -> int:
        """The most pages this walk may have asked for, on its evidence so far."""
        return min(self.hard_limit, 2 * len(self.fruitful) + self.window + 1)

    @property
    def disagreement(self) -> str | None:
        """What the declared total claims against what the walk found, when they differ (once the end is seen)."""
        last, claimed = self.end, self.declared_last
        if last is None or claimed is None or claimed == last - 1:
            return None
        return (
            f"the pager declares {self.declared_total:,} entries ({claimed:,} pages of {self.page_size}), "
            f"but the list ends at page {last - 1:,} with {len(self.listed):,} articles"
        )

    def _trusted_last(self) -> int | None:
        """The declared last page, while every page read bears it out."""
        claimed = self.declared_last
        if claimed is None or self.highest > claimed or any(self.first <= p <= claimed for p in self.ended):
            return None
        return claimed

    def _next(self) -> list[int]:
        if self.stopped:
            return []
        trusted = self._trusted_last()
        bounds = [self.end, trusted + 1 if trusted is not None else None]
        if self.max_pages is not None:
            bounds.append(self.first + self.max_pages - 1)
        bound = min((b for b in bounds if b is not None), default=None)
        ahead = [p for p in self._ahead(self.highest) if p not in self.asked and (bound is None or p <= bound)]
        return self._ask(ahead)

    def _ahead(self, highest: int) -> list[int]:
        """The `window` pages that can be asked for after `highest`."""
        if self.available is None:
            return list(range(max(highest + 1, self.first), highest + 1 + self.window))
        return sorted(page for page in self.available if page > highest)[: self.window]

    def _ask(self, pages: list[int]) -> list[int]:
        room = self.ceiling - len(self.asked)
        if len(pages) > room:
            self.ceiling_hit = (
                f"the list walk stopped at its ceiling of {self.ceiling:,} pages "
                f"({len(self.fruitful):,} pages showed new articles)"
            )
            self.stop(self.ceiling_hit)
            pages = pages[: max(room, 0)]
        self.asked.update(pages)
        return pages


@dataclass
class SectionWalk:
    """One list being walked: its first page's URL, its walk, and the folder its entries sit in (from its first
    page, `ListPage.folder`: on a later page, the list's own entries are those in it)."""

    url: str
    walk: ListWalk
    folder: str | None = None
