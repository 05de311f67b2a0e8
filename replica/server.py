"""A local HTTP replica of the portal (stdlib `ThreadingHTTPServer`), for tests, the demo and benchmarks.

Routes (paths case-insensitive, like IIS; the whole portal is `replica.portal`'s docstring):
- `/robots.txt`: disallows `/Admin/` and `/T/NOI-BO` (the `forbidden` special article); names the sitemap;
- `/sitemap.xml` (unless `sitemap=False`): the home pages and the first page of every list;
- `/`, `/vanhoa/`, `/dulich/`: home pages (the portal's, the sub-sites'): menus and boxes of the newest entries;
- `/Tintuc/?PageIndex=N` (`/Tintuc`, `/Tintuc/` = page 1): 10 entries a page, newest first; 404 past the last page;
  the same for `/ThongBao/`, `/vanhoa/Tintuc/`, `/dulich/Tintuc/` and the albums of `/ThuVienAnh/`;
- `/T/<SLUG>?PageIndex=N`, `<sub-site>/Tintuc/View/<Slug>?PageIndex=N`: an article; `PageIndex` only picks the
  "Các tin bài khác" page (of the first section listing it);
- `/ThuVienAnh/View/<Album-Slug>`: an album; `/BanDoHanhChinh/`: the administrative map;
- `/Uploads/files/...`: the portal's documents (PDF, DOCX); other `/Uploads/...`: a small image (PNG for `.png`,
  JPEG otherwise), bytes fixed by the path;
- anything else: 404.
Special behaviours: the `dead` article answers 404, the `flaky` one 500 on its first request (per server), the
`forbidden` one is served although robots.txt disallows it. Every request is logged in `request_log`.
"""

import gzip
import socket
import struct
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from replica import portal
from replica.chaos import Chaos
from replica.corpus import generate, publish
from replica.images import image_for
from replica.model import Article, Section
from replica.pages import render_album, render_article, render_home, render_list
from replica.themes import THEMES

ROBOTS = "User-agent: *\nDisallow: /Admin/\nDisallow: /T/NOI-BO\n"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
BANNER_HOME = "Trang chủ"
MAP_SECTION = Section(portal.MAP_PATH, "Bản đồ hành chính")
HTML = "text/html; charset=utf-8"
NOT_FOUND = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 - Không tìm thấy trang</title></head><body>'
    "<h1>404 - File or directory not found.</h1><p>Trang bạn tìm không tồn tại hoặc đã bị xóa.</p></body></html>"
)
SERVER_ERROR = (
    "<!DOCTYPE html><html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1>"
    "<h2><i>Runtime Error</i></h2><p>An application error occurred on the server.</p></body></html>"
)


@dataclass(frozen=True)
class ReplicaOptions:
    """What the replica serves: corpus size and seed, the markup theme (`ul`, `div`, `table` or `cms`),
    `new_articles` published at the top since the base corpus, and `chaos`: the share of requests that
    fail (500/503/429 with Retry-After, reset, a stall of `stall_seconds`, a body cut short), seeded.

    The portal as changed since an earlier crawl, by article slug: `edited` articles carry one more paragraph,
    `removed` ones answer 410 Gone (still listed), `unlisted` ones are left out of the news list (still served).
    `gzip` serves pages gzip-encoded to clients that accept it; `sitemap` serves `/sitemap.xml` and names it in
    robots.txt.
    """

    n_articles: int = 1911
    seed: int = 2020
    theme: str = "ul"
    new_articles: int = 0
    chaos: float = 0.0
    chaos_seed: int = 0
    stall_seconds: float = 5.0
    edited: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    unlisted: frozenset[str] = frozenset()
    gzip: bool = False  # compress pages for clients that accept gzip, as IIS can
    sitemap: bool = True


EDIT_NOTE = "Bài viết đã được cập nhật: bổ sung thông tin mới nhất từ Ủy ban nhân dân huyện."


def _revised(article: Article, options: ReplicaOptions) -> Article:
    """The article as the portal serves it now (`options.edited` adds a paragraph)."""
    return replace(article, blocks=(*article.blocks, EDIT_NOTE)) if article.slug in options.edited else article


class Response(NamedTuple):
    """Status, content type, body and extra headers of one answer."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def _html(status: int, text: str) -> Response:
    return Response(status, HTML, text.encode())


def _page_index(query: str) -> int:
    """The `PageIndex` parameter (any case); 1 when absent, unreadable or below 1."""
    value = next((v for k, v in parse_qsl(query) if k.lower() == "pageindex"), "1")
    return max(int(value), 1) if value.strip().isdigit() else 1


def _key(path: str) -> str:
    """A list's or home page's path as routes look it up: lower case, no trailing `/`."""
    return path.lower().rstrip("/")


class Replica:
    """The portal replica: a generated corpus served over HTTP in a background thread.

    `url` is the news list's first page, `origin` the server's `http://host:port`; `articles` is the news list's
    corpus, `portal` the whole portal with its ground truth (`replica.portal.Portal`); `request_log` holds every
    request's `(method, path-with-query)`, `request_times` when each came (monotonic), and `hits` counts them per
    path. Use it as a context manager.
    """

    def __init__(self, options: ReplicaOptions, host: str = "127.0.0.1", port: int = 0) -> None:
        if options.theme not in THEMES:
            raise ValueError(f"unknown theme {options.theme!r}; one of {', '.join(THEMES)}")
        self.options = options
        published = publish(generate(options.n_articles, options.seed), options.new_articles, options.seed)
        self.articles = [_revised(article, options) for article in published]
        self.listed = [article for article in self.articles if article.slug not in options.unlisted]
        self.portal = portal.build(self.listed, options.seed)
        self.chaos = Chaos(options.chaos, options.chaos_seed)
        sections = self.portal.sections
        self._lists = {_key(section.path): section for section in sections}
        self._homes = {_key(sub_site.path): sub_site for sub_site in self.portal.sub_sites}
        news = self.portal.news
        self._articles: dict[str, tuple[Article, Section]] = {a.path.lower(): (a, news) for a in self.articles}
        for section in sections:
            for article in section.articles:
                self._articles.setdefault(article.path.lower(), (article, section))
        self._albums = {album.path.lower(): album for album in self.portal.albums}
        self._documents = {document.path.lower(): document for document in self.portal.documents}
        self.request_log: list[tuple[str, str]] = []
        self.request_times: list[float] = []  # `time.monotonic()` of each request of `request_log`, in step
        self._lock = threading.Lock()
        self._failed: set[str] = set()
        self._httpd = _Server((host, port), self)
        self.origin = f"http://{host}:{self._httpd.server_address[1]}"
        self.url = f"{self.origin}/Tintuc/?PageIndex=1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replica", daemon=True)

    @property
    def hits(self) -> Counter[str]:
        """Requests per path (with query)."""
        with self._lock:
            return Counter(path for _, path in self.request_log)

    def respond(self, method: str, target: str) -> Response:
        """Log a request and answer it."""
        self.record(method, target)
        return self.route(target)

    def record(self, method: str, target: str) -> None:
        """Log a request."""
        with self._lock:
            self.request_log.append((method, target))
            self.request_times.append(time.monotonic())

    def route(self, target: str) -> Response:
        """The answer to a request for `target` (path with query)."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        lowered, key = path.lower(), _key(path)
        theme, page = self.options.theme, _page_index(parts.query)
        if lowered == "/robots.txt":
            sitemap = f"Sitemap: {self.origin}/sitemap.xml\n" if self.options.sitemap else ""
            return Response(200, "text/plain; charset=utf-8", (ROBOTS + sitemap).encode())
        if lowered == "/sitemap.xml" and self.options.sitemap:
            return Response(200, "text/xml; charset=utf-8", self._sitemap().encode())
        if key == "":
            return _html(200, render_home(BANNER_HOME, self.portal.home(), theme))
        if key in self._homes:
            sub_site = self._homes[key]
            return _html(200, render_home(sub_site.title, self.portal.home(sub_site), theme, sub_site))
        if key in self._lists:
            section = self._lists[key]
            if page > section.pages:
                return _html(404, NOT_FOUND)
            return _html(200, render_list(section.articles, page, theme, section))
        if lowered in self._articles:
            return self._article(*self._articles[lowered], page)
        if lowered in self._albums:
            return _html(200, render_album(self._albums[lowered], self.portal.library, theme, self.origin))
        if key == _key(portal.MAP_PATH):
            return _html(200, render_album(portal.MAP, MAP_SECTION, theme, self.origin))
        if lowered in self._documents:
            document = self._documents[lowered]
            return Response(200, document.content_type, document.body)
        if lowered.startswith("/uploads/"):
            content_type, body = image_for(path)
            return Response(200, content_type, body)
        return _html(404, NOT_FOUND)

    def _sitemap(self) -> str:
        """The sitemap: home pages and the first page of each list."""
        paths = ["/", *(sub_site.path for sub_site in self.portal.sub_sites)]
        paths += [section.path for section in self.portal.sections]
        urls = "".join(f"<url><loc>{self.origin}{path}</loc></url>\n" for path in paths)
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{urls}</urlset>\n'

    def _article(self, article: Article, section: Section, page: int) -> Response:
        slug = article.slug
        if "dead-link" in article.quirks:
            return _html(404, NOT_FOUND)
        if slug in self.options.removed:
            return _html(410, NOT_FOUND)
        if "flaky-500" in article.quirks:
            with self._lock:
                first = slug not in self._failed
                self._failed.add(slug)
            if first:
                return _html(500, SERVER_ERROR)
        return _html(200, render_article(section.articles, article, page, self.options.theme, self.origin, section))

    def start(self) -> Self:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _gzipped(response: Response) -> Response:
    """A page compressed with `Content-Encoding: gzip` (images are left as they are)."""
    if not response.content_type.startswith("text/"):
        return response
    body = gzip.compress(response.body, mtime=0)
    return response._replace(body=body, headers=(*response.headers, ("Content-Encoding", "gzip")))


class _Server(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], replica: Replica) -> None:
        super().__init__(address, _Handler)
        self.replica = replica

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients hanging up are not errors
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 10

    def version_string(self) -> str:
        return "Microsoft-IIS/8.5"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        replica = self.server.replica
        replica.record(self.command, self.path)
        fault = replica.chaos.fault(self.path)
        if fault in ("reset", "stall"):
            if fault == "stall":
                time.sleep(replica.options.stall_seconds)
            self._reset()
            return
        if fault in ("500", "503", "429"):
            retry = (("Retry-After", "1"),) if fault == "429" else ()
            response = Response(int(fault), HTML, SERVER_ERROR.encode(), retry)
        else:
            response = replica.route(self.path)
        if replica.options.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            response = _gzipped(response)
        body = response.body[: len(response.body) // 2] if fault in ("truncate", "cut-html") else response.body
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        if fault == "cut-html":  # no length to check against: only the missing </html> gives it away
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Powered-By", "ASP.NET")
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)
        if fault == "truncate":
            self._reset()

    def _reset(self) -> None:
        """Drop the connection with a TCP reset, as a crashing server or a middlebox does."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are in `Replica.request_log`."""


def start(options: ReplicaOptions | None = None, host: str = "127.0.0.1", port: int = 0) -> Replica:
    """Build and start a replica on `host:port` (port 0: an ephemeral port); stop it with `.stop()` or `with`."""
    return Replica(options or ReplicaOptions(), host, port).start()


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free now, for a replica that must come back on the same address after a restart."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
