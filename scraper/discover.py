"""Discovery: which pages of a portal to visit to find its lists, from its home page; a pure state machine.

A crawl of the whole portal starts at its home page. The home page's menus and boxes link its lists and its
sub-sites' home pages, whose menus and boxes link theirs; a sitemap (named by robots.txt, else `/sitemap.xml`)
may list more. Discovery visits those links on the portal's own host (never "Liên kết Website" to other hosts,
never an entry, a document or an image) once each, and the spider tells it what each page was: a list (which the
spider then walks with `scraper.walk`), or a home-like page whose links are visited in turn. Articles linked from
menus are entries of some list, and are not followed here.

It is bounded: at most `limit` pages in all, however many links the pages show; where it would ask for more, it
stops and says so (`ceiling_hit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from scraper.items import Section
from scraper.text import unmarked
from scraper.urls import is_document_url, is_item_url, page_number, same_site, url_key

DISCOVERY_LIMIT = 60  # pages visited to find the lists (a district portal shows a few dozen menu entries)
_PAGE_EXTENSIONS = ("", ".aspx", ".asp", ".htm", ".html", ".php")
# What a menu calls a photo library, or its path says ("Thư viện ảnh", "Album ảnh", "Ảnh đẹp", /ThuVienAnh/), folded.
_LIBRARY = re.compile(r"thu\s*vien\s*anh|album|anh\s*dep|hinh\s*anh|photo|gallery")
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.IGNORECASE)
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def robots_sitemaps(robots_txt: str) -> list[str]:
    """The sitemaps a robots.txt names (`Sitemap: URL` lines)."""
    return _SITEMAP_LINE.findall(robots_txt)


def sitemap_locations(xml: str, url: str) -> list[str]:
    """The `<loc>` URLs of a sitemap or sitemap index, absolute."""
    return [urljoin(url, loc.replace("&amp;", "&")) for loc in _LOC.findall(xml)]


def is_sitemap(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".xml")


def could_be_list(url: str) -> bool:
    """A link discovery may visit: a page (no file but a web page's), not an entry of a list, not past page 1."""
    path = urlsplit(url).path.lower()
    name = path.rsplit("/", 1)[-1]
    extension = name[name.rfind(".") :] if "." in name else ""
    return extension in _PAGE_EXTENSIONS and not is_item_url(url) and not is_document_url(url) and page_number(url) == 1


@dataclass
class Discovery:
    """Discovery from the home page `home`: `begin`, then `home_page`/`sitemap` as each page is read."""

    home: str
    limit: int = DISCOVERY_LIMIT
    asked: dict[str, str] = field(default_factory=dict)  # url_key -> URL, in the order asked
    titles: dict[str, str] = field(default_factory=dict)  # url_key -> the text of the first link to it
    lists: set[str] = field(default_factory=set)  # url_keys of pages found to be lists
    ceiling_hit: str | None = None

    def begin(self) -> list[str]:
        return self._ask([self.home])

    def home_page(self, url: str, links: list[tuple[str, str]]) -> list[str]:
        """A page that is neither a list nor an article was read, with its links: the pages to visit next."""
        for target, text in links:
            if text:
                self.titles.setdefault(url_key(target), text)
        return self._ask([target for target, _ in links if could_be_list(target)])

    def sitemap(self, locations: list[str]) -> list[str]:
        """A sitemap was read: the pages (and nested sitemaps) it lists that are worth a visit."""
        return self._ask([url for url in locations if is_sitemap(url) or could_be_list(url)])

    def found_list(self, url: str) -> None:
        self.lists.add(url_key(url))

    def section(self, url: str) -> Section:
        """The section whose list starts at `url`: its title as a menu shows it, and its sub-site: the longest
        home-like page asked for (not the portal's home) whose path holds the list's."""
        key = url_key(url)
        path = urlsplit(key).path + "/"
        homes = [
            asked
            for home_key, asked in self.asked.items()
            if home_key not in self.lists and not is_sitemap(asked) and len(urlsplit(home_key).path) > 1
        ]
        holders = [
            home for home in homes if path.startswith(urlsplit(url_key(home)).path + "/") and url_key(home) != key
        ]
        parent = max(holders, key=lambda home: len(urlsplit(home).path), default=None)
        return Section(url, self.titles.get(key), parent)

    def _ask(self, urls: list[str]) -> list[str]:
        fresh = list(dict.fromkeys(url for url in urls if same_site(url, self.home) and url_key(url) not in self.asked))
        room = self.limit - len(self.asked)
        if len(fresh) > room:
            self.ceiling_hit = (
                f"discovery stopped at its ceiling of {self.limit} pages; {len(fresh) - room} not visited"
            )
            fresh = fresh[: max(room, 0)]
        for url in fresh:
            self.asked[url_key(url)] = url
        return fresh


def is_photo_library(section: Section) -> bool:
    """Whether a section is the photo library, as its menu title or its path says: its entries are albums, whatever
    labels their pages carry (an album can show "Thời gian đăng:" as an article does)."""
    return any(_LIBRARY.search(unmarked(text)) for text in (section.title or "", urlsplit(section.url).path))
