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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

from scraper.urls import canonical_article_url, is_article_url, is_list_url, list_page_url, page_number, same_site

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


def cdx_query(cdx_url: str, url_prefix: str, resume_key: str | None = None) -> str:
    """The CDX request for every status-200 capture under `url_prefix` (host and path, e.g. `host/T/`).

    Captures are not collapsed by URL key on the server: that would keep only the oldest capture of each URL.
    They are reduced to one per article by `best_captures`.
    """
    params = {"url": url_prefix, "matchType": "prefix", "output": "json", "filter": "statuscode:200"}
    params["showResumeKey"] = "true"
    if resume_key:
        params["resumeKey"] = resume_key
    return f"{cdx_url}?{urlencode(params)}"


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
    return Capture(timestamp, url, int(status) if status.isdigit() else None, record.get("digest") or "")


def on_site(url: str, site: str) -> str | None:
    """`url` on `site`'s scheme and host (a capture of `https://www.host/...` is the page `http://host/...`),
    or `None` when it is on another host."""
    if not same_site(url, site):
        return None
    parts, home = urlsplit(url), urlsplit(site)
    return urlunsplit((home.scheme, home.netloc, parts.path, parts.query, ""))


def best_captures(captures: Iterable[Capture], site: str, as_of: str | None = None) -> dict[str, Capture]:
    """The capture to rescue for each article of `site` (by canonical URL on `site`): the latest status-200
    one, or with `as_of` (a 14-digit timestamp) the one closest to it (the earlier one on a tie)."""
    return _best(captures, site, as_of, is_article_url, canonical_article_url)


def best_list_captures(captures: Iterable[Capture], site: str, as_of: str | None = None) -> dict[str, Capture]:
    """The capture to read for each page of the news list that `site` (its first page) starts, by the page's URL
    in `site`'s spelling (IIS paths are case-insensitive: `/tintuc/?pageindex=2` is `/Tintuc/?PageIndex=2`),
    chosen like articles'."""
    return _best(captures, site, as_of, is_list_url, lambda url: list_page_url(site, page_number(url)))


def _best(captures: Iterable[Capture], site: str, as_of: str | None, kind, key) -> dict[str, Capture]:
    groups: dict[str, list[Capture]] = {}
    for capture in captures:
        url = on_site(capture.url, site)
        if capture.status == 200 and url and kind(url):
            groups.setdefault(key(url), []).append(capture)
    return {url: _pick(group, as_of) for url, group in groups.items()}


def _pick(group: list[Capture], as_of: str | None) -> Capture:
    if as_of is None:
        return max(group)
    target = datetime.fromisoformat(timestamp_to_iso(as_of))
    return min(group, key=lambda c: (abs(datetime.fromisoformat(c.captured_at) - target), c.timestamp))
