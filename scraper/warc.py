"""WARC capture: every HTTP exchange of a crawl, written with warcio as ISO 28500 (WARC 1.1) records.

`WarcFiles` writes request/response pairs into gzipped WARC files (one gzip member per record) in a directory,
each file opened with a `warcinfo` record and closed for a new one past a size limit, and keeps a CDXJ index
(`index.cdxj`) of the response records beside them; `index_entries` and `read_payload` read them back through that
index (the reading room's images, `archive.web.image_replay`). A file being written ends in `.open` and is renamed when
complete, so a killed crawl never leaves a file that looks finished. `WarcFiles.write_exchange` takes the URL,
date, status, headers and body explicitly, so records can also be written for captures made elsewhere (e.g. a
copy recovered from another archive, with its original URL and date).

`WarcCaptureMiddleware` records what Scrapy's downloader fetched. It sits at 950, nearer the downloader than
`HttpCompressionMiddleware` (590): it sees the request with every header Scrapy sends and the response body
exactly as the server sent it (still gzip- or deflate-encoded if the server encoded it), which is what a web
archive must keep; readers of the WARC (warcio, pywb, `archive.reparse`) decode it. Only the transfer
encoding is gone (Twisted has already de-chunked the body), so a `Transfer-Encoding` header is not recorded.
"""

from __future__ import annotations

import bisect
import json
import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
import surt
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper import __version__, captures, cdx

MAX_SIZE = 1_000_000_000  # the size ISO 28500 suggests for one WARC file
INDEX = "index.cdxj"
SOFTWARE = f"portal-archive/{__version__} (Scrapy {scrapy.__version__}, warcio)"
_OPEN = ".open"
_HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}

Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class WarcRef:
    """Where a response record is: its file (name within the WARC directory), offset and length in that file,
    its payload digest and its WARC-Date."""

    filename: str
    offset: int
    length: int
    digest: str
    date: str

    @property
    def fetched_at(self) -> str:
        """The WARC-Date in the archive's timestamp form (ISO 8601, UTC, `+00:00`)."""
        return warc_datetime(self.date).isoformat()

    @property
    def columns(self) -> dict[str, str | int]:
        """The provenance columns of an `articles` row."""
        return {"warc_file": self.filename, "warc_offset": self.offset, "payload_digest": self.digest}


def default_warc_dir(db_path: str | Path) -> str:
    """Where a crawl into `db_path` writes its WARC files: `warc/` beside the database."""
    return str(Path(db_path).parent / "warc")


def warc_date(when: datetime) -> str:
    """A WARC-Date: UTC, to the second (`2025-06-30T10:00:00Z`)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def warc_datetime(date: str) -> datetime:
    """The datetime of a WARC-Date."""
    return datetime.fromisoformat(date.replace("Z", "+00:00")).replace(microsecond=0)


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class WarcFiles:
    """Gzipped WARC files in `directory`, rotated past `max_size` bytes, with a CDXJ index of their responses."""

    def __init__(self, directory: str | Path, info: dict[str, object], max_size: int = MAX_SIZE) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.info = info
        self.max_size = max_size
        self.prefix = f"portal-archive-{datetime.now(UTC).strftime('%Y%m%d%H%M%S')}-{os.getpid()}"
        self.serial = 0
        self.index: list[str] = []
        self._file = None
        self._writer: WARCWriter | None = None
        self.filename = ""
        self.files: list[Path] = []

    def _open(self) -> None:
        self.serial += 1
        self.filename = f"{self.prefix}-{self.serial:05d}.warc.gz"
        self._file = open(self.directory / (self.filename + _OPEN), "wb")  # noqa: SIM115 (closed in _close)
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        info = self._writer.create_warcinfo_record(self.filename, self.info)
        self._writer.write_record(info)

    def _close(self) -> None:
        if self._file is None:
            return
        self._file.close()
        os.replace(self.directory / (self.filename + _OPEN), self.directory / self.filename)
        self.files.append(self.directory / self.filename)
        self._file = self._writer = None

    def write_exchange(
        self,
        url: str,
        date: datetime,
        status: int,
        headers: Headers,
        body: bytes,
        request_headers: Headers | None = None,
        method: str = "GET",
        protocol: str = "HTTP/1.1",
    ) -> WarcRef:
        """Write a response record for `url` (and, given `request_headers`, the request that asked for it)."""
        if self._file is None or self._file.tell() >= self.max_size:
            self._close()
            self._open()
        assert self._writer is not None and self._file is not None
        stamp = warc_date(date)
        kept = [(name, value) for name, value in headers if name.lower() not in _HOP_BY_HOP]
        http_headers = StatusAndHeaders(f"{status} {reason(status)}".strip(), kept, protocol=protocol)
        response = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=http_headers, warc_headers_dict={"WARC-Date": stamp}
        )
        offset = self._file.tell()
        self._writer.write_record(response)
        length = self._file.tell() - offset
        if request_headers is not None:
            self._write_request(url, stamp, response.rec_headers.get_header("WARC-Record-ID"), method, request_headers)
        digest = response.rec_headers.get_header("WARC-Payload-Digest")
        ref = WarcRef(self.filename, offset, length, digest, stamp)
        self.index.append(_cdxj_line(url, ref, status, kept))
        return ref

    def _write_request(self, url: str, stamp: str, response_id: str, method: str, headers: Headers) -> None:
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        if not any(name.lower() == "host" for name, _ in headers):
            headers = [("Host", parts.netloc), *headers]
        request = self._writer.create_warc_record(
            url,
            "request",
            http_headers=StatusAndHeaders(f"{method} {target} HTTP/1.1", headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": stamp, "WARC-Concurrent-To": response_id},
        )
        self._writer.write_record(request)

    def close(self) -> None:
        """Finish the current file and merge this run's entries into the directory's sorted CDXJ index."""
        self._close()
        if not self.index:
            return
        index = self.directory / INDEX
        lines = index.read_text(encoding="utf-8").splitlines() if index.exists() else []
        index.write_text("\n".join(sorted([*lines, *self.index])) + "\n", encoding="utf-8")
        self.index = []


def _cdxj_line(url: str, ref: WarcRef, status: int, headers: Headers) -> str:
    """A CDXJ index line for a response record (the format pywb reads)."""
    mime = next((v for k, v in headers if k.lower() == "content-type"), "").split(";")[0].strip()
    fields = {
        "url": url,
        "mime": mime or "unk",
        "status": str(status),
        "digest": ref.digest.split(":", 1)[-1],
        "length": str(ref.length),
        "offset": str(ref.offset),
        "filename": ref.filename,
    }
    timestamp = ref.date.translate(str.maketrans("", "", "-:TZ"))
    return f"{surt.surt(url)} {timestamp} {json.dumps(fields, ensure_ascii=False)}"


@dataclass(frozen=True)
class IndexEntry:
    """A response record as the CDXJ index lists it: what it answered, and where it is in the WARC files."""

    url: str
    timestamp: str  # the record's WARC-Date as 14 digits (`20250630100000`)
    status: str
    mime: str
    filename: str
    offset: int


@lru_cache(maxsize=4)
def _index_lines(path: Path, modified: int) -> list[str]:
    """The lines of a CDXJ index, read again only when the file changes (`modified`)."""
    return path.read_text(encoding="utf-8").splitlines()


def index_entries(directory: str | Path, url: str) -> list[IndexEntry]:
    """The response records for `url` in the sorted CDXJ index of `directory`, found by bisection (none without one)."""
    index = Path(directory) / INDEX
    if not index.is_file():
        return []
    lines = _index_lines(index, index.stat().st_mtime_ns)
    key = surt.surt(url) + " "
    found = []
    for line in lines[bisect.bisect_left(lines, key) :]:
        if not line.startswith(key):
            break
        timestamp, fields = line[len(key) :].split(" ", 1)
        record = json.loads(fields)
        if record.get("url") == url:
            found.append(
                IndexEntry(
                    url,
                    timestamp,
                    record.get("status", ""),
                    record.get("mime", ""),
                    record["filename"],
                    int(record["offset"]),
                )
            )
    return found


def read_payload(directory: str | Path, entry: IndexEntry) -> bytes:
    """The body of the response record at `entry` (transfer and content codings undone)."""
    with (Path(directory) / Path(entry.filename).name).open("rb") as stream:
        stream.seek(entry.offset)
        record = next(iter(ArchiveIterator(stream)))
        return record.content_stream().read()


def _pairs(headers) -> Headers:
    """Scrapy headers as (name, value) text pairs, one per value."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


def warcinfo(settings, spider: scrapy.Spider | None) -> dict[str, object]:
    """The `warcinfo` fields: the software, the operator to contact, and the crawl's settings."""
    names = ("start_url", "full", "max_pages", "stop_after", "cdx_url", "replay_url", "as_of")  # portal's, wayback's
    spider_args = {name: getattr(spider, name) for name in names if hasattr(spider, name)}
    return {
        "software": SOFTWARE,
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iso.org/standard/68004.html",
        "operator": settings.get("WARC_OPERATOR") or settings.get("CONTACT_URL"),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "hostname": platform.node(),
        "python": platform.python_version(),
        "crawl": json.dumps(
            {
                **spider_args,
                "download_delay": settings.getfloat("DOWNLOAD_DELAY"),
                "autothrottle": settings.getbool("AUTOTHROTTLE_ENABLED"),
                "concurrent_requests_per_domain": settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                "warc_max_size": settings.getint("WARC_MAX_SIZE", MAX_SIZE),
            },
            sort_keys=True,
        ),
    }


class WarcCaptureMiddleware:
    """Downloader middleware writing every response Scrapy receives, and its request, to `WARC_DIR`.

    The response's `meta["warc"]` is the `WarcRef` of its record. Off when `WARC_DIR` is empty.
    """

    def __init__(self, crawler: Crawler, directory: str) -> None:
        self.crawler = crawler
        self.directory = directory
        self.files: WarcFiles | None = None
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        directory = crawler.settings.get("WARC_DIR")
        if not directory:
            raise NotConfigured("WARC capture is off (no WARC_DIR)")
        return cls(crawler, directory)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.files is None:
            settings = self.crawler.settings
            info = warcinfo(settings, self.crawler.spider)
            self.files = WarcFiles(self.directory, info, settings.getint("WARC_MAX_SIZE", MAX_SIZE))
        url, date, headers = request.url, datetime.now(UTC), _pairs(response.headers)
        if "replay_of" in request.meta:  # a web archive's raw capture: recorded as the portal's own exchange
            if request.meta.get("capture") and b"Memento-Datetime" not in response.headers:
                return response  # the archive's own answer (to another capture, "not archived"): not the portal's
            if captures.held_in_part(response.body, headers):
                return response  # cut short by the archive: not what the portal sent, and no copy to replay
            url, date, headers = cdx.as_captured(request.meta["replay_of"], response.url, headers)
        request.meta["warc"] = self.files.write_exchange(
            url,
            date,
            response.status,
            headers,
            response.body,
            request_headers=_pairs(request.headers),
            method=request.method,
            protocol=response.protocol or "HTTP/1.1",
        )
        return response

    def close(self) -> None:
        if self.files is not None:
            self.files.close()
