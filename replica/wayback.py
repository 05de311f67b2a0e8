"""A replica of the Internet Archive's Wayback Machine holding the replica portal (or several), for tests of the
rescue.

    from replica.wayback import WaybackReplica, WaybackOptions
    wb = WaybackReplica(WaybackOptions(n_articles=120, seed=3, cdx_per_minute=120, replay_per_minute=1200))
    with wb.serve(host="127.0.0.1", port=0) as base:   # http://127.0.0.1:PORT
        wb.cdx_url, wb.replay_url   # base + "/cdx/search/cdx", base + "/web/"
        wb.truth                    # ground truth (replica.wayback_captures.Truth)

One archive holds many sites, as the real one does: `WaybackOptions(sites=(Site("http://127.0.0.3:8000", 40, 7,
"table"), …))` holds those portals (never moved, unlike the replica portal) instead, `wb.truth_of(origin)` the truth
of each; their captures share one CDX index, one replay and one set of limits.
        wb.requests, wb.violations  # the request log; requests made inside a Retry-After window (or a block)

Truth (plain dataclasses, re-exported here): `truth.articles[slug]` is an `ArticleTruth` with every capture of
the article's URLs as `Seen(timestamp, url, statuscode, defect, content_timestamp, article)` (`defect` None: it
reads as the article, `article` being the version it shows), `newest` (the newest good one, maybe a revisit),
`lost` (`never-captured` / `only-bad`), `reasons`, `listed_at` (good list captures linking it) and `as_of(ts)`;
`truth.dates` gives per crawl date the list's page count, what each page listed and the list captures;
`truth.edits[slug]` the articles edited on a date (before/after); `truth.images[path]` each image's captures.

`python -m replica.wayback --port 8002` serves one in the foreground. The captures and their truth come from
`replica.wayback_captures` (which describes the mess); this module answers as web.archive.org does.

CDX (`/cdx/search/cdx`), after the IA's wayback-cdx-server: `url` with `matchType=exact|prefix|host|domain` (or
`url=…*` = prefix, `url=*.…` = domain); rows sorted by CDX line (urlkey, then timestamp); `from`/`to` compared as
timestamp prefixes; `filter=[~][!]field:regex` (regex must match the whole field, `~` = contains, a field unknown
or left out matches the whole line), all ANDed; then `collapse=field[:N]` on adjacent kept rows; `offset`;
`limit=N` (first N), `limit=-N` (last N); `showResumeKey=true` prints, when `limit` was reached, the key
`urlencode(urlkey + " " + timestamp-with-last-char-incremented)`, after an empty line (text) or as `[]`, `["key"]`
(JSON); `resumeKey=` resumes at it. `output=json` gives a header row of the `fl=` fields (default the seven),
`[]` when nothing matched. `page=` is refused (400: no paged index here). A missing `url` is a 400.

Replay (`/web/<timestamp><flag>/<url>`): `id_` and `im_` give the captured bytes, with the portal's headers as
`X-Archive-Orig-*`, its `Content-Type`, `Memento-Datetime` and a `Link`; no flag (or another) gives the page with
links rewritten into the archive and a toolbar comment. A timestamp not held for that urlkey (or partial, padded to
its latest second) is a 302 to the nearest capture; a captured redirect replays as its 3xx with `Location` the
replay URL of its target at the same timestamp (a redirect to its own urlkey is skipped, as the IA skips
self-redirects). A revisit replays its original's payload. A URL never captured is a 404.

Limits, per endpoint (cdx, replay): a token bucket of `*_burst` refilled at `*_per_minute`; past it, 429 with
`Retry-After: <seconds>`. A request inside that window is a violation: it gets 429 again, and after
`block_after` of them the client is blocked for `block_seconds`: every connection is then dropped (TCP reset,
counted as a violation too), as the IA's firewall does. `requests` logs every request: monotonic time, kind
(`cdx`, `replay`, `other`), path, status (0: dropped).
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import re
import socket
import struct
import sys
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import parse_qsl, quote_plus, unquote, urljoin, urlsplit

import surt

from replica.wayback_captures import (
    DATES,
    NEW,
    OLD,
    ArticleTruth,
    Capture,
    DateTruth,
    EditTruth,
    FileTruth,
    Holdings,
    Seen,
    Truth,
    WholeTruth,
    build,
    parse_timestamp,
    urlkey,
)

__all__ = [
    "ArticleTruth",
    "Capture",
    "DateTruth",
    "EditTruth",
    "FileTruth",
    "Request",
    "Seen",
    "Site",
    "Truth",
    "WaybackOptions",
    "WaybackReplica",
    "WholeTruth",
    "cdx_answer",
]

FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
_REPLAY = re.compile(r"/web/(\d{1,14})([a-z]{2}_)?/(.*)", re.S)
_RAW_FLAGS = ("id_", "im_", "js_", "cs_")
_LINK = re.compile(rb"""(\s(?:href|src)\s*=\s*["'])([^"'#][^"']*)""", re.I)
_TOO_MANY = b"<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>"
_NOT_ARCHIVED = (
    b"<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body><p>Hrm.</p>"
    b"<p>The Wayback Machine has not archived that URL.</p></body></html>"
)


@dataclass(frozen=True)
class Site:
    """A portal the archive holds: its origin (`http://host:port`), corpus size and seed, markup theme, and the
    origin it moved to on `MOVED` (None: it never moved)."""

    origin: str
    n_articles: int
    seed: int
    theme: str = "ul"
    moved_to: str | None = None


@dataclass(frozen=True)
class WaybackOptions:
    """The portal held (`n_articles`, `seed`, `theme`; or the `sites` instead), the crawl `dates`, and the archive's
    limits."""

    n_articles: int = 120
    seed: int = 3
    theme: str = "ul"
    dates: tuple[datetime, ...] = DATES
    sites: tuple[Site, ...] = ()
    cdx_per_minute: float = 60
    replay_per_minute: float = 600
    cdx_burst: int = 5
    replay_burst: int = 30
    block_after: int = 5  # violations before a block
    block_seconds: float = 60
    skip_self_redirects: bool = True  # replay passes over a redirect to its own urlkey (http → https://www.)
    whole: bool = False  # the whole portal (home page, sections, sub-sites, albums, photos, documents), `Truth.whole`

    @property
    def held(self) -> tuple[Site, ...]:
        """The sites held: `sites`, else the replica portal (which moved to `https://www.`)."""
        return self.sites or (Site(OLD, self.n_articles, self.seed, self.theme, NEW),)


class Request(NamedTuple):
    """One request as the replica saw it; status 0 means the connection was dropped (blocked)."""

    time: float
    kind: str
    path: str
    status: int


class Response(NamedTuple):
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def _text(status: int, body: bytes, content_type: str = "text/plain; charset=utf-8", *headers) -> Response:
    return Response(status, (("Content-Type", content_type), *headers), body)


def _inc_last(value: str) -> str:
    return value[:-1] + chr(ord(value[-1]) + 1)


class _Filter:
    """One `filter=` of the IA's FieldRegexFilter: `[~][!]field:regex`; a regex matches the whole value."""

    def __init__(self, spec: str) -> None:
        self.contains = spec.startswith("~")
        spec = spec[self.contains :]
        self.inverted = spec.startswith("!")
        spec = spec[self.inverted :]
        name, sep, pattern = spec.partition(":")
        self.index = (int(name) if name.isdigit() else FIELDS.index(name) if name in FIELDS else -1) if sep else -1
        self.pattern = pattern if sep else spec
        self.regex = None if self.contains else re.compile(self.pattern)

    def __call__(self, capture: Capture) -> bool:
        row = capture.row
        value = row[self.index] if 0 <= self.index < len(row) else capture.line
        found = self.pattern in value if self.regex is None else self.regex.fullmatch(value) is not None
        return found != self.inverted


def _range(url: str, match: str) -> tuple[str, str]:
    """The urlkey range [start, end) of a query, as the IA's UrlSurtRangeComputer computes it."""
    url = url[1:] if url.startswith(".") else url
    key = surt.surt(url, path_strip_trailing_slash_unless_empty=match != "prefix")
    if match == "prefix" and key.endswith(")/"):
        match = "host"
    host = key.split(")", 1)[0]
    if match == "exact":
        return key, key + "!"
    if match == "prefix":
        return key, _inc_last(key)
    if match == "host":
        return host + ")/", host + "*"
    return host + ")/", host + "-"  # domain: the host and its subdomains


def cdx_answer(captures: Sequence[Capture], params: list[tuple[str, str]]) -> Response:
    """The CDX server's answer to a query (`params` as decoded from the query string) over sorted `captures`."""
    one = {name: value for name, value in params}
    url = one.get("url")
    if not url:
        return _text(400, b"url parameter is required")
    if one.get("page") or one.get("showNumPages"):
        return _text(400, b"Sorry, this server is not configured to support paged query. Remove page= param.")
    match = one.get("matchType")
    if match is None:
        match, url = (
            ("domain", url[2:])
            if url.startswith("*.")
            else ("prefix", url[:-1])
            if url.endswith("*")
            else (
                "exact",
                url,
            )
        )
    if match not in ("exact", "prefix", "host", "domain"):
        return _text(400, f"Sorry, matchType={match} is not supported by this server".encode())
    start, end = _range(url, match)
    since, until = one.get("from", ""), one.get("to", "")
    search = one.get("resumeKey") or (f"{start} {since}" if since else start)
    try:
        filters = [_Filter(value) for name, value in params if name == "filter" and value]
        limit = int(one.get("limit") or 0)
        offset = int(one.get("offset") or 0)
    except (ValueError, re.error) as error:
        return _text(400, str(error).encode())
    collapses = []
    for name, value in params:
        if name == "collapse" and value:
            field, _, size = value.partition(":")
            if field in FIELDS:
                collapses.append((FIELDS.index(field), int(size) if size.isdigit() else None, [None]))
    fields = [name for name in one.get("fl", "").split(",") if name in FIELDS] or list(FIELDS)
    rows: list[Capture] = []
    for capture in captures[bisect_left(captures, search, key=lambda capture: capture.line) :]:
        line = capture.line
        if line >= end:
            break
        if offset > 0:
            offset -= 1
            continue
        ts = capture.timestamp
        if (since and ts < since) or (until and ts > until and not ts.startswith(until)):
            continue
        if not all(check(capture) for check in filters):
            continue
        values = [capture.row[index][:size] if size else capture.row[index] for index, size, _ in collapses]
        if any(value == last[0] for value, (_, _, last) in zip(values, collapses, strict=True)):
            continue
        for value, (_, _, last) in zip(values, collapses, strict=True):
            last[0] = value
        rows.append(capture)
        if 0 < limit <= len(rows):
            break
    if limit < 0:
        rows = rows[limit:]
    resume = None
    if one.get("showResumeKey") == "true" and limit > 0 and len(rows) >= limit:
        last = rows[-1]
        resume = quote_plus(f"{last.urlkey} {_inc_last(last.timestamp)}", safe="*")
    selected = [[capture.row[FIELDS.index(name)] for name in fields] for capture in rows]
    if one.get("output") == "json":
        lines = [json.dumps(fields, separators=(",", ":"))] + [json.dumps(row) for row in selected] if rows else []
        text = "[" + ",\n".join(lines)
        text += f',\n[],\n["{resume}"]' if resume else ""
        return _text(200, (text + "]\n").encode(), "application/json")
    text = "".join(" ".join(row) + "\n" for row in selected) + (f"\n{resume}\n" if resume else "")
    return _text(200, text.encode())


def _pad(ts: str) -> datetime:
    """A 1–14 digit timestamp, padded to the latest second it covers."""
    year = int(ts[:4].ljust(4, "9"))
    parts = [int(ts[i : i + 2]) if len(ts) >= i + 2 else None for i in (4, 6, 8, 10, 12)]
    month = min(max(parts[0] or 12, 1), 12) if parts[0] is not None else 12
    last_day = calendar.monthrange(min(year, 9999), month)[1]
    day = min(max(parts[1], 1), last_day) if parts[1] is not None else last_day
    hour, minute, second = (
        min(p, top) if p is not None else top for p, top in zip(parts[2:], (23, 59, 59), strict=True)
    )
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _memento_date(ts: str) -> str:
    return format_datetime(parse_timestamp(ts), usegmt=True)


class _Bucket:
    """A token bucket with the Retry-After window it last announced."""

    def __init__(self, per_minute: float, burst: int, now: float) -> None:
        self.rate, self.burst, self.tokens, self.last, self.window_end = per_minute / 60, burst, float(burst), now, 0.0

    def take(self, now: float) -> float:
        """0 when a token was taken; else the seconds until one is there."""
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class WaybackReplica:
    """The Wayback Machine replica: captures and truth built at construction, served by `serve()`.

    `clock` (monotonic seconds) drives the rate limits and the request log; tests may pass a fake one.
    """

    def __init__(self, options: WaybackOptions | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.options = options or WaybackOptions()
        dates, whole = self.options.dates, self.options.whole
        self.sites: dict[str, Holdings] = {
            site.origin: build(site.n_articles, site.seed, site.theme, dates, site.origin, site.moved_to, whole)
            for site in self.options.held
        }
        self.holdings = next(iter(self.sites.values()))
        self.captures = tuple(sorted((c for held in self.sites.values() for c in held.captures), key=lambda c: c.line))
        self._by_key: dict[str, list[Capture]] = {}
        for capture in sorted(self.captures, key=lambda capture: capture.timestamp):
            self._by_key.setdefault(capture.urlkey, []).append(capture)
        self._clock = clock
        self._lock = threading.Lock()
        self._log: list[Request] = []
        self._violations = 0
        self._strikes = 0
        self._blocked_until = -math.inf
        now = clock()
        self._buckets = {
            "cdx": _Bucket(self.options.cdx_per_minute, self.options.cdx_burst, now),
            "replay": _Bucket(self.options.replay_per_minute, self.options.replay_burst, now),
        }
        self.base = ""

    @property
    def truth(self) -> Truth:
        """The truth of the (first) site held."""
        return self.holdings.truth

    def truth_of(self, origin: str) -> Truth:
        """The truth of the site at `origin`."""
        return self.sites[origin].truth

    @property
    def cdx_url(self) -> str:
        return self.base + "/cdx/search/cdx"

    @property
    def replay_url(self) -> str:
        return self.base + "/web/"

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._log)

    @property
    def violations(self) -> int:
        with self._lock:
            return self._violations

    # -- answers

    def cdx(self, query: str) -> Response:
        """The CDX answer to a query string."""
        return cdx_answer(self.captures, parse_qsl(query, keep_blank_values=True))

    def replay(self, target: str) -> Response:
        """The answer to `/web/<timestamp><flag>/<url>` (path with query)."""
        found = _REPLAY.fullmatch(target)
        if not found:
            return _text(400, b"Bad replay URL")
        ts, flag, url = found[1], found[2] or "", found[3]
        url = unquote(url) if re.match(r"https?%3A", url, re.I) else url
        url = re.sub(r"^(https?):/+", r"\1://", url) if re.match(r"https?:/", url) else "http://" + url
        key = urlkey(url)
        held = self._by_key.get(key, [])
        if self.options.skip_self_redirects:
            held = [c for c in held if not (c.location and urlkey(c.location) == key)]
        if not held:
            return _text(404, _NOT_ARCHIVED, "text/html; charset=utf-8")
        wanted = _pad(ts)
        nearest = min(held, key=lambda c: (abs((parse_timestamp(c.timestamp) - wanted).total_seconds()), c.timestamp))
        if nearest.timestamp != ts:
            location = f"{self.base}/web/{nearest.timestamp}{flag}/{nearest.original}"
            return Response(302, (("Location", location), ("Content-Type", "text/plain")), b"")
        return self._memento(nearest, flag)

    def _memento(self, capture: Capture, flag: str) -> Response:
        content = capture.revisit_of or capture
        body = content.body
        headers = [(f"X-Archive-Orig-{name}", value) for name, value in capture.headers]
        original_type = next((v for k, v in capture.headers if k.lower() == "content-type"), content.mimetype)
        headers += [
            ("Content-Type", original_type),
            ("Memento-Datetime", _memento_date(capture.timestamp)),
            (
                "Link",
                f'<{capture.original}>; rel="original", <{self.base}/web/{capture.timestamp}/{capture.original}>'
                f'; rel="memento"; datetime="{_memento_date(capture.timestamp)}"',
            ),
        ]
        if capture.location:
            headers.append(("Location", f"{self.base}/web/{capture.timestamp}{flag}/{capture.location}"))
        if flag not in _RAW_FLAGS and content.mimetype == "text/html" and body:
            body = self._rewrite(body, capture)
        return Response(content.status, tuple(headers), body)

    def _rewrite(self, body: bytes, capture: Capture) -> bytes:
        """Links into the archive at the capture's timestamp, and the toolbar's comment after `<head>`."""
        prefix = f"{self.base}/web/{capture.timestamp}"

        def link(found: re.Match[bytes]) -> bytes:
            value = found[2].decode("utf-8", "replace")
            if value.lower().startswith(("javascript:", "mailto:", "data:")):
                return found[0]
            flag = "im_" if found[1].strip().lower().startswith(b"src") else ""
            return found[1] + f"{prefix}{flag}/{urljoin(capture.original, value)}".encode()

        toolbar = b"<!-- BEGIN WAYBACK TOOLBAR INSERT --><!-- END WAYBACK TOOLBAR INSERT -->"
        body = _LINK.sub(link, body)
        head = body.lower().find(b"<head>")
        return body[: head + 6] + toolbar + body[head + 6 :] if head >= 0 else toolbar + body

    # -- limits

    def admit(self, kind: str) -> tuple[str, int]:
        """`("ok", 0)`, `("limited", retry_after)` or `("blocked", 0)` for a request to endpoint `kind`."""
        with self._lock:
            now = self._clock()
            if now < self._blocked_until:
                self._violations += 1
                return "blocked", 0
            bucket = self._buckets.get(kind)
            if bucket is None:
                return "ok", 0
            if now < bucket.window_end:
                self._violations += 1
                self._strikes += 1
                if self._strikes >= self.options.block_after:
                    self._strikes = 0
                    self._blocked_until = now + self.options.block_seconds
                    return "blocked", 0
                return "limited", math.ceil(bucket.window_end - now)
            wait = bucket.take(now)
            if not wait:
                return "ok", 0
            retry = max(1, math.ceil(wait))
            bucket.window_end = now + retry
            return "limited", retry

    def record(self, kind: str, path: str, status: int) -> None:
        with self._lock:
            self._log.append(Request(self._clock(), kind, path, status))

    def handle(self, path: str) -> Response | None:
        """Gate, answer and log one GET; None means drop the connection."""
        kind = "cdx" if urlsplit(path).path == "/cdx/search/cdx" else "replay" if path.startswith("/web/") else "other"
        verdict, retry = self.admit(kind)
        if verdict == "blocked":
            response = None
        elif verdict == "limited":
            response = _text(429, _TOO_MANY, "text/html", ("Retry-After", str(retry)))
        elif kind == "cdx":
            response = self.cdx(urlsplit(path).query)
        elif kind == "replay":
            response = self.replay(path)
        else:
            response = _text(404, b"Not found")
        self.record(kind, path, response.status if response else 0)
        return response

    # -- serving

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve in a background thread until the block ends; yields the base URL."""
        server = _Server((host, port), self)
        self.base = f"http://{host}:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, name="wayback", daemon=True)
        thread.start()
        try:
            yield self.base
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], replica: WaybackReplica) -> None:
        super().__init__(address, _Handler)
        self.replica = replica

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 10

    def version_string(self) -> str:
        return "nginx"

    def do_GET(self) -> None:
        response = self.server.replica.handle(self.path)
        if response is None:  # blocked: reset the connection
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are in `WaybackReplica.requests`."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a replica of the Wayback Machine holding the replica portal.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--cdx-per-minute", type=float, default=60)
    parser.add_argument("--replay-per-minute", type=float, default=600)
    args = parser.parse_args(argv)
    options = WaybackOptions(
        args.articles, args.seed, cdx_per_minute=args.cdx_per_minute, replay_per_minute=args.replay_per_minute
    )
    replica = WaybackReplica(options)
    with replica.serve(args.host, args.port):
        truth = replica.truth
        print(f"CDX:    {replica.cdx_url}\nreplay: {replica.replay_url}", flush=True)
        print(
            f"{len(replica.captures)} captures; {len(truth.rescuable)} articles rescuable, {len(truth.lost)} lost",
            flush=True,
        )
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
