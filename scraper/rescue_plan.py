"""A rescue's bookkeeping, without Scrapy: what each capture read as, and which copy of each thing to try next.

- `Reads`: every capture read, by this run or an earlier one, and its verdict; a content (digest) that was not
  the thing it was captured as is not the thing under any URL either.
- `Tries`: one thing being rescued (a page discovery visits, a list page, an entry, an image or a document): its
  copies in order, the next one, and why those tried were not it. `Tries.next_copy` picks the next copy to use.
- `listed_on`: what a captured list page shows; `entry_tries`, `asset_tries`: the copies of an entry, or of an
  image or a document, to try; `wanted_files`: the files a rescued entry owes.
- `lost`: what is recorded of a thing no copy of which was it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from scraper import cdx
from scraper.article import Album, Article, ListPage, entry_files
from scraper.captures import GOOD, NOT_ARCHIVED, OFF_SITE
from scraper.discover import could_be_list, is_photo_library
from scraper.items import CaptureRead, LostArticle, Section, WantedAsset
from scraper.urls import canonical_article_url

NEVER_CAPTURED = "never-captured"


@dataclass(frozen=True)
class Read:
    """A capture read: its digest, verdict, listing and links."""

    digest: str
    verdict: str
    listing: ListPage | None = None
    links: tuple[tuple[str, str], ...] | None = None


class Reads:
    """The captures read so far (by original URL and timestamp), and the digests of contents that were not the
    thing: those are passed over under any URL."""

    def __init__(self, earlier: dict[tuple[str, str], Read]) -> None:
        self.reads = earlier
        self.bad_digests = {r.digest: r.verdict for r in earlier.values() if r.digest and r.verdict not in GOOD}

    def known(self, capture: cdx.Capture) -> Read | None:
        """What a read made of `capture` (or of its content under another URL), None if it was never read."""
        earlier = self.reads.get((capture.url, capture.timestamp))
        if earlier is None and capture.digest in self.bad_digests:
            return Read(capture.digest, self.bad_digests[capture.digest], None)
        return earlier

    def remember(
        self,
        asked: cdx.Capture,
        served: cdx.Capture,
        verdict: str,
        listing: ListPage | None = None,
        links: tuple[tuple[str, str], ...] | None = None,
    ) -> list[CaptureRead]:
        """The capture asked for (and the one served, when the archive served another) turned out to be `verdict`:
        the reads to store. A content that was not the thing is bad under any URL (not a redirect off the portal,
        nor a capture the archive does not hold: those say nothing of the content)."""
        same = served.url == asked.url and served.timestamp == asked.timestamp
        stored = []
        for capture in dict.fromkeys([asked] if same else [asked, served]):
            self.reads[(capture.url, capture.timestamp)] = Read(capture.digest, verdict, listing, links)
            stored.append(CaptureRead(capture.url, capture.timestamp, capture.digest, verdict, listing, links))
        if asked.digest and verdict not in GOOD | {NOT_ARCHIVED, OFF_SITE}:
            self.bad_digests[asked.digest] = verdict
        return stored


@dataclass
class Tries:
    """Something being rescued: its copies to try, the next one, and why those tried were not it."""

    page: cdx.Page
    title: str | None = None
    next: int = 0
    reasons: list[str] = field(default_factory=list)

    def next_copy(self, reads: Reads, done: frozenset[str]) -> tuple[cdx.Candidate, Read | None] | None:
        """The next copy to use: one never read (with None), or one read before as the thing (its verdict in `done`,
        with that read); copies read as something else are passed over, their verdicts kept as reasons. None when
        no copy is left."""
        while self.next < len(self.page.candidates):
            candidate = self.page.candidates[self.next]
            self.next += 1
            known = reads.known(candidate.capture)
            if known is None or known.verdict in done:
                return candidate, known
            self.reasons.append(known.verdict)
        return None


@dataclass
class EntryTries(Tries):
    """An entry (article or album) being rescued, and the list that showed it."""

    section: str | None = None
    album: bool = False


@dataclass
class AssetTries(Tries):
    """An image, photo or document being rescued, and what shows it."""

    wanted: WantedAsset | None = None


@dataclass(frozen=True)
class Listed:
    """An entry a captured list page links: its URL (in the links' spelling), title, the page's timestamp, the list."""

    url: str
    title: str | None
    timestamp: str
    section: str | None = None


def listed_on(listing: ListPage, site: str, timestamp: str, section_url: str) -> tuple[list[Listed], list[WantedAsset]]:
    """What a captured list page (of `timestamp`, in the list `section_url`) shows, on `site`'s scheme and host: the
    entries it links with the titles their links show, and the documents it links, owed to the archive."""
    titles = listing.article_titles or (None,) * len(listing.article_urls)
    entries = [
        Listed(canonical_article_url(cdx.on_site(url, site) or url), title or None, timestamp, section_url)
        for url, title in zip(listing.article_urls, titles, strict=True)
    ]
    documents = [
        WantedAsset(cdx.on_site(url, site) or url, "attachment", timestamp, None, section_url)
        for url in listing.documents
    ]
    return entries, documents


def entry_tries(page: cdx.Page, listed: Listed | None, shown_in: Section | None, whole: bool) -> EntryTries:
    """An entry to rescue from its copies `page`, `listed` by a list page (`shown_in`, that list). A list-started
    rescue asks the archive for an article listed but absent from the CDX answer at the list page's time. In the
    whole portal's rescue an entry of the photo library (the list that showed it, else its own folder) is an album."""
    if not page.candidates and listed and not whole:
        page = cdx.asked_at(page, listed.timestamp)
    folder = Section(urljoin(page.url, "."))
    album = is_photo_library(shown_in or folder) and whole
    tries = EntryTries(page, listed.title if listed else None, section=listed and listed.section, album=album)
    tries.reasons.extend(reason for _, reason in page.rejected)
    return tries


def asset_tries(group: list[cdx.Capture], wanted: WantedAsset, whole: bool) -> AssetTries:
    """An image, photo or document to rescue from its captures `group`, the one nearest the capture that showed it
    first. A list-started rescue did not ask the CDX for them: it asks the archive at that capture's time."""
    page = cdx.page_of(group, wanted.url, wanted.near)
    if not whole and not page.candidates:
        page = cdx.asked_at(page, wanted.near)
    tries = AssetTries(page, wanted=wanted)
    tries.reasons.extend(reason for _, reason in page.rejected)
    return tries


def wanted_files(entry: Article | Album, served: str, site: str) -> list[WantedAsset]:
    """The files a rescued entry shows, owed until read, their captures chosen nearest `served` (the capture of the
    entry): images and photos as linked, documents on `site`'s scheme and host, with the article that links them."""
    return [
        WantedAsset(cdx.on_site(url, site) or url, kind, served, entry.url)
        if kind == "attachment"
        else WantedAsset(url, kind, served)
        for url, kind in entry_files(entry)
    ]


def lost(url: str, tries: Tries, kind: str) -> LostArticle:
    """A thing no copy of which was it: why each was not (a capture the archive does not hold counts as none)."""
    reasons = [NEVER_CAPTURED if r == NOT_ARCHIVED else r for r in tries.reasons] or [NEVER_CAPTURED]
    captured = len(tries.page.candidates) + len(tries.page.rejected) - (NEVER_CAPTURED in reasons)
    return LostArticle(url, tries.title, tuple(sorted(set(reasons))), max(captured, 0), kind)


def captured_lists(groups: dict[str, list[cdx.Capture]], site: str) -> list[str]:
    """The pages of `site` the web archive holds (`cdx.by_page` groups) that could be lists, shortest paths first:
    where discovery goes when no copy of the home page reads, the archive's own index standing in for its menus."""
    urls = []
    for group in groups.values():
        held = (cdx.on_site(capture.url, site) for capture in group)
        urls += [next((url for url in held if url and could_be_list(url)), None)]
    return sorted((url for url in urls if url), key=lambda url: (len(urlsplit(url).path), url))
