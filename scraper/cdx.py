"""Captures in a web archive: CDX queries and answers, and which capture of each page to rescue.

Pure functions, no HTTP. Two answer shapes are read:
- the Internet Archive's `output=json`: one JSON array whose first row holds the field names
  (`urlkey, timestamp, original, mimetype, statuscode, digest, length`), possibly followed by an empty row and
  `[resumeKey]` when `showResumeKey=true` and there is more;
- pywb's `output=json`: one JSON object a line (`urlkey, timestamp, url, mime, status, digest, ...`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

from scraper.urls import (
    canonical_article_url,
    is_article_url,
    is_list_url,
    item_prefix,
    list_page_url,
    page_number,
    same_site,
)

IA_CDX_URL = "https://web.archive.org/cdx/search/cdx"
IA_REPLAY_URL = "https://web.archive.org/web/"
RAW = "id_"  # the replay modifier for a capture's original bytes, without the archive's rewriting
_TIMESTAMP = re.compile(r"^\d{4,14}$")
_REPLAY_TIMESTAMP = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/")
_ORIGINAL = "x-archive-orig-"
# Headers a replaying archive sets itself: about the replay, not the capture.
_ARCHIVE_HEADERS = frozenset(
    "memento-datetime link content-location date server connection keep-alive transfer-encoding set-cookie "
    "cache-control expires x-archive-src x-archive-guessed-content-type x-archive-guessed-charset".split()
)


class CdxError(ValueError):
    """A CDX answer that is neither the Internet Archive's JSON array nor pywb's JSON lines."""


@dataclass(frozen=True, order=True)
class Capture:
    """One capture of a URL: when (`timestamp`, 14 digits UTC), what (`url` as captured) and its HTTP status."""

    timestamp: str
    url: str
    status: int | None
    digest: str = ""
    mimetype: str = ""

    @property
    def revisit(self) -> bool:
        """A revisit record: the content of `digest`, unchanged since an earlier capture, still there then."""
        return self.mimetype == "warc/revisit" or self.status is None

    @property
    def captured_at(self) -> str:
        """The capture's time as ISO 8601 UTC."""
        return timestamp_to_iso(self.timestamp)


@dataclass(frozen=True)
class CdxPage:
    """The captures of one CDX answer and the key to ask for the rest (`None`: there is no more)."""

    captures: tuple[Capture, ...]
    resume_key: str | None = None


def timestamp_to_iso(timestamp: str) -> str:
    """`20240502110000` -> `2024-05-02T11:00:00+00:00` (a short timestamp is padded: `2024` = 1 Jan 2024)."""
    padded = timestamp.ljust(14, "0")
    month, day = padded[4:6], padded[6:8]
    padded = padded[:4] + (month if month != "00" else "01") + (day if day != "00" else "01") + padded[8:]
    return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC).isoformat()


def parse_timestamp(text: str) -> str:
    """A date the user gives (`2023-06-15`, `2023-06-15T08:30`, `20230615`) as a 14-digit archive timestamp."""
    text = text.strip()
    try:
        when = datetime.fromisoformat(timestamp_to_iso(text) if _TIMESTAMP.match(text) else text)
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYYMMDDhhmmss)") from None
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y%m%d%H%M%S")


FIELDS = "timestamp,original,mimetype,statuscode,digest"  # `fl`: what the choice of captures reads
PAGE_ROWS = 5000  # CDX rows asked for at a time (`limit`), the rest by resume key


def cdx_query(
    cdx_url: str, url_prefix: str, resume_key: str | None = None, limit: int = PAGE_ROWS, collapse: bool = False
) -> str:
    """The CDX request for every capture under `url_prefix` (host and path, e.g. `host/T/`), `limit` rows at a time.

    Every status is asked for: a redirect or an error is known from its row alone, without a replay, and a revisit
    (`warc/revisit`, status `-`) says when a content was last seen. `collapse=digest` folds adjacent rows of one
    content into the first; it suits list pages (any copy of one content reads the same) but not articles, whose
    revisits date the content they repeat. Only the Internet Archive's server (`/cdx/search/cdx`) is asked for
    `fl` fields: pywb calls them `url`, `mime`, `status` and leaves out names it does not know.
    """
    params = {"url": url_prefix, "matchType": "prefix", "output": "json", "limit": str(limit)}
    if urlsplit(cdx_url).path.endswith("/cdx/search/cdx"):  # the IA's server; pywb names fields otherwise
        params["fl"] = FIELDS
    if collapse:
        params["collapse"] = "digest"
    params["showResumeKey"] = "true"
    # The key comes URL-encoded, as it goes back: encoding it again would ask for another key.
    return f"{cdx_url}?{urlencode(params)}" + (f"&resumeKey={resume_key}" if resume_key else "")


def replay_url(replay_base: str, capture: Capture) -> str:
    """Where an archive serves `capture`'s original bytes: `<replay_base><timestamp>id_/<url>`."""
    return f"{replay_base.rstrip('/')}/{capture.timestamp}{RAW}/{capture.url}"


def replayed_timestamp(url: str, memento_datetime: str | None) -> str | None:
    """The timestamp of the capture an archive actually served (it may pick the closest one to the one asked for).

    From the `Memento-Datetime` header when there is one, else from the replay URL the archive redirected to.
    """
    if memento_datetime:
        return parsedate_to_datetime(memento_datetime).astimezone(UTC).strftime("%Y%m%d%H%M%S")
    match = _REPLAY_TIMESTAMP.search(url)
    return match[1] if match else None


def replayed_original(url: str) -> str | None:
    """The original URL a replay URL (`.../<timestamp>id_/<url>`) stands for, None when it is no replay URL."""
    match = _REPLAY_TIMESTAMP.search(url)
    if not match:
        return None
    original = url[match.end() :]
    return original if original.startswith(("http://", "https://")) else "http://" + original


def original_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers the portal sent with a capture, from those its raw (`id_`) replay carries: the archive's own
    (`Memento-Datetime`, `Link`, its `Date`, ...) dropped, `X-Archive-Orig-<Name>` back to `<Name>`."""
    originals = [(name[len(_ORIGINAL) :], value) for name, value in headers if name.lower().startswith(_ORIGINAL)]
    renamed = {name.lower() for name, _ in originals}
    passed = [
        (name, value)
        for name, value in headers
        if not name.lower().startswith(_ORIGINAL) and name.lower() not in _ARCHIVE_HEADERS | renamed
    ]
    return passed + originals


def as_captured(url: str, replay: str, headers: list[tuple[str, str]]) -> tuple[str, datetime, list[tuple[str, str]]]:
    """What a raw replay (of `url`, answered at `replay` with `headers`) is a record of: the capture's own URL, its
    date, and the portal's headers, for a WARC of the portal rather than of the web archive."""
    memento = next((value for name, value in headers if name.lower() == "memento-datetime"), None)
    timestamp = replayed_timestamp(replay, memento)
    when = datetime.fromisoformat(timestamp_to_iso(timestamp)) if timestamp else datetime.now(UTC)
    return url, when, original_headers(headers)


def parse_cdx(text: str) -> CdxPage:
    """Read a CDX answer (the Internet Archive's JSON array or pywb's JSON lines) into captures."""
    text = text.strip()
    if not text:
        return CdxPage(())
    if text.startswith("["):
        return _parse_json_array(text)
    try:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as error:
        raise CdxError(f"not a CDX answer in JSON: {error}: {text[:120]!r}") from None
    return CdxPage(tuple(_capture(record) for record in records))


def _parse_json_array(text: str) -> CdxPage:
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as error:
        raise CdxError(f"not a CDX answer in JSON: {error}: {text[:120]!r}") from None
    if not rows:
        return CdxPage(())
    fields, *rest = rows
    resume_key = None
    if len(rest) >= 2 and rest[-2] == [] and len(rest[-1]) == 1:
        resume_key, rest = rest[-1][0], rest[:-2]
    return CdxPage(tuple(_capture(dict(zip(fields, row, strict=True))) for row in rest if row), resume_key)


def _capture(record: dict) -> Capture:
    url = record.get("original") or record.get("url")
    timestamp = str(record.get("timestamp", ""))
    if not url or not _TIMESTAMP.match(timestamp):
        raise CdxError(f"a CDX record without url or timestamp: {record!r}")
    status = str(record.get("statuscode") or record.get("status") or "")
    mimetype = record.get("mimetype") or record.get("mime") or ""
    return Capture(timestamp, url, int(status) if status.isdigit() else None, record.get("digest") or "", mimetype)


def on_site(url: str, site: str) -> str | None:
    """`url` on `site`'s scheme and host (a capture of `https://www.host/...` is the page `http://host/...`),
    or `None` when it is on another host."""
    if not same_site(url, site):
        return None
    parts, home = urlsplit(url), urlsplit(site)
    return urlunsplit((home.scheme, home.netloc, parts.path, parts.query, ""))


def page_key(url: str) -> str:
    """What every variant of one page's URL shares: the host without `www.`, the path in lower case (IIS paths are
    case-insensitive) and the query without `PageIndex` (an article's only pages its "other news" box)."""
    parts = urlsplit(canonical_article_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.lower().rstrip('/')}{'?' + parts.query.lower() if parts.query else ''}"


@dataclass(frozen=True)
class Candidate:
    """One copy of a page to try: the capture to replay (a response record, not a revisit, when the CDX lists one)
    and `seen`, when the archive saw that content (a revisit counts): the newest sighting, or with `as_of` the
    newest at or before it, or else the earliest after it (`after_as_of`); `last_seen`, the newest sighting of
    that content whatever `as_of` (when it was last seen good, if it reads)."""

    capture: Capture
    seen: str
    after_as_of: bool = False
    last_seen: str = ""

    @property
    def seen_at(self) -> str:
        return timestamp_to_iso(self.seen)


@dataclass(frozen=True)
class Page:
    """Every capture of one page (an article, or a page of the news list): its URL in the portal's spelling, the
    copies to try in order, and the captures that are not the page by their CDX row alone, with why."""

    url: str
    candidates: tuple[Candidate, ...]
    rejected: tuple[tuple[Capture, str], ...] = ()


def row_reason(capture: Capture) -> str | None:
    """Why a capture is not a copy of its page, from its CDX row alone: a redirect or an HTTP error (None: it may be,
    replay will tell)."""
    if capture.revisit or capture.status == 200:
        return None
    if capture.status in (301, 302, 303, 307, 308):
        return "redirect"
    if capture.status in (404, 410):
        return "not-found"
    return "server-error" if capture.status and capture.status >= 500 else f"http-{capture.status}"


def ordered_copies(captures: Iterable[Capture], as_of: str | None = None) -> tuple[Candidate, ...]:
    """The copies among one page's captures, in the order to try them: one per content (digest), newest first, or
    with `as_of` those seen at or before it (newest first) and then those seen only after it (earliest first).

    A revisit is no copy of its own: it dates its content's sighting, and the response record it repeats is replayed.
    """
    sightings: dict[str, list[Capture]] = {}
    for capture in captures:
        if row_reason(capture) is None:
            sightings.setdefault(capture.digest or capture.timestamp, []).append(capture)
    ranked = []
    for group in sightings.values():
        times = sorted(capture.timestamp for capture in group)
        before = [ts for ts in times if as_of is None or ts <= as_of]
        seen, after = (before[-1], False) if before else (times[0], True)
        responses = sorted((c for c in group if not c.revisit), key=lambda c: c.timestamp)
        held = [c for c in responses if c.timestamp <= seen]
        replay = held[-1] if held else responses[0] if responses else max(c for c in group if c.timestamp == seen)
        ranked.append(((after, seen if after else _inverted(seen)), Candidate(replay, seen, after, times[-1])))
    return tuple(candidate for _, candidate in sorted(ranked, key=lambda pair: pair[0]))


def _inverted(timestamp: str) -> str:
    """A timestamp that sorts the other way round (newest first)."""
    return "".join(str(9 - int(digit)) for digit in timestamp)


def spelling(urls: Iterable[str], site: str, upper_case: bool = False) -> str:
    """The article URL a set of captured variants stands for, on `site`, as the portal's links would spell it: the
    spelling captured most often among those not all in lower case (crawlers lower-case paths, portals do not);
    when every capture is in lower case, in upper case if the portal's links spell every path so (`upper_case`)."""
    counts: dict[str, int] = {}
    for url in urls:
        canonical = canonical_article_url(on_site(url, site) or url)
        counts[canonical] = counts.get(canonical, 0) + 1
    best = max(counts, key=lambda url: (_path(url) != _path(url).lower(), counts[url], url))
    if upper_case and _path(best) == _path(best).lower():
        parts = urlsplit(best)
        return urlunsplit((parts.scheme, parts.netloc, parts.path.upper(), parts.query, ""))
    return best


def _path(url: str) -> str:
    return urlsplit(url).path


def upper_case_links(urls: Iterable[str]) -> bool:
    """Whether a portal's links spell every article path in upper case (the slugs of huyendienbien.gov.vn)."""
    paths = [_path(url) for url in urls]
    return bool(paths) and all(path == path.upper() for path in paths)


def article_pages(
    captures: Iterable[Capture],
    site: str,
    as_of: str | None = None,
    linked: dict[str, str] | None = None,
    shape: Callable[[str], bool] = is_article_url,
) -> dict[str, Page]:
    """Every article (every URL of `shape`) of `site` the captures hold, by `page_key`: its URL (as `linked` from
    list pages spells it, else `spelling` in the links' case), its copies in order, its captures that are not it."""
    groups: dict[str, list[Capture]] = {}
    for capture in captures:
        url = on_site(capture.url, site)
        if url and shape(url):
            groups.setdefault(page_key(url), []).append(capture)
    linked = linked or {}
    folders: dict[str, list[str]] = {}
    for url in linked.values():
        folders.setdefault(item_prefix(url), []).append(url)
    # Each folder's links say their case: the upper-case slugs of `/T/` beside the mixed case of a sub-site's.
    upper = {folder for folder, urls in folders.items() if upper_case_links(urls)}
    return {
        key: page_of(group, linked.get(key) or spelling([c.url for c in group], site, _folder(group) in upper), as_of)
        for key, group in groups.items()
    }


def _folder(group: list[Capture]) -> str:
    return item_prefix(urlsplit(group[0].url).path)


def list_pages(captures: Iterable[Capture], site: str, as_of: str | None = None) -> dict[int, Page]:
    """Every page of the list that `site` (its first page) starts, by page number, in `site`'s spelling: the
    captures of its path in any case and scheme (of any news-list path, for a news list)."""
    key, news = page_key(site), is_list_url(site)
    groups: dict[int, list[Capture]] = {}
    for capture in captures:
        url = on_site(capture.url, site)
        if url and (page_key(url) == key or (news and is_list_url(url))):
            groups.setdefault(page_number(url), []).append(capture)
    return {page: page_of(group, list_page_url(site, page), as_of) for page, group in groups.items()}


def by_page(captures: Iterable[Capture], site: str) -> dict[str, list[Capture]]:
    """The captures on `site`'s host, grouped by `page_key` (every variant of a URL together)."""
    groups: dict[str, list[Capture]] = {}
    for capture in captures:
        url = on_site(capture.url, site)
        if url:
            groups.setdefault(page_key(url), []).append(capture)
    return groups


def page_of(group: list[Capture], url: str, as_of: str | None) -> Page:
    """One page (spelled `url`) of its captures `group`: its copies in order and the captures not it by their row."""
    rejected = tuple((capture, reason) for capture in group if (reason := row_reason(capture)))
    return Page(url, ordered_copies(group, as_of), rejected)


def numbered_page_of(groups: dict[str, list[Capture]], url: str, as_of: str | None) -> Page:
    """One page of a list or a home-like page (`by_page` groups): the captures of its own `PageIndex`, which counts
    here, unlike an article's."""
    group = [c for c in groups.get(page_key(url), []) if page_number(c.url) == page_number(url)]
    return page_of(group, url, as_of)


def with_redirects(page: Page) -> Page:
    """`page` with its captured redirects as copies too, after its good ones and newest first: a page captured only
    as a redirect (a home page sending to the news list) is read where the redirect led."""
    moved = [Candidate(capture, capture.timestamp) for capture, why in page.rejected if why == "redirect"]
    moved.sort(key=lambda candidate: candidate.seen, reverse=True)
    return replace(page, candidates=page.candidates + tuple(moved))


def asked_at(page: Page, timestamp: str) -> Page:
    """`page` with one copy to try, asked of the archive at `timestamp` (it sends the capture nearest): for a thing
    the CDX was not asked about, seen linked from a capture of that time."""
    return replace(page, candidates=(Candidate(Capture(timestamp, page.url, None), timestamp),))


def led_to(url: str, served: str, site: str) -> str:
    """The page a replay of `url` read: `url` in its own spelling, unless a captured redirect led to another page
    (`served`, the original URL of the capture the archive served)."""
    target = on_site(served, site) or served
    return url if page_key(target) == page_key(url) else target


def sighting(candidate: Candidate, served: str) -> tuple[str, str]:
    """When the archive saw the content a replay of `candidate` gave (served from the capture of `served`), and
    when it saw it last: the candidate's own sightings when the capture asked for was served, else `served`."""
    if served == candidate.capture.timestamp:
        return candidate.seen, max(candidate.last_seen, candidate.seen)
    return served, served
