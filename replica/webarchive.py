"""A web archive of the replica: WARC captures of its pages at chosen dates, served by a real pywb.

The replica serves itself at `http://127.0.0.1:PORT`; a capture of the real portal names `SITE`, so captured
pages are recorded under `SITE` and the replica's origin in their bodies is written back as `SITE`.
For tests and benchmarks of `portal-archive crawl --source wayback`.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from replica.model import SITE, Article
from replica.pages import article_href, page_count
from replica.server import Replica

BIN = Path(sys.executable).parent
_HOUR = timedelta(hours=1)
LAST_DAY = datetime(2025, 6, 30, 1, 0, tzinfo=UTC)  # the last captures, the day before the districts were abolished
LIST_CAPTURED = datetime(2025, 6, 30, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Snapshot:
    """One capture to take: the page at `path` (with query) as if fetched at `when`, its body changed by `edit`."""

    path: str
    when: datetime
    edit: Callable[[bytes], bytes] | None = None

    @property
    def timestamp(self) -> str:
        """The capture's 14-digit archive timestamp (UTC)."""
        return self.when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def warc_date(when: datetime) -> str:
    """`WARC-Date` for `when`: ISO 8601 UTC to the second with a `Z`."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_warc(replica: Replica, path: Path, snapshots: Iterable[Snapshot]) -> list[tuple[Snapshot, int]]:
    """Fetch each snapshot's page from the replica over HTTP and write a request and a response record for it,
    dated `when`, under the portal's own URL. Returns each snapshot with the HTTP status it captured."""
    written = []
    with path.open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        for snapshot in snapshots:
            try:
                answer = urllib.request.urlopen(replica.origin + snapshot.path, timeout=10)
            except urllib.error.HTTPError as error:
                answer = error
            body = answer.read().replace(replica.origin.encode(), SITE.encode())
            if snapshot.edit:
                body = snapshot.edit(body)
            headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
            url, date = SITE + snapshot.path, {"WARC-Date": warc_date(snapshot.when)}
            status = StatusAndHeaders(f"{answer.status} {answer.reason}", headers, protocol="HTTP/1.1")
            request = StatusAndHeaders(
                f"GET {snapshot.path} HTTP/1.1", [("Host", SITE.split("//")[1])], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=status, warc_headers_dict=date
                )
            )
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request, warc_headers_dict=date))
            written.append((snapshot, answer.status))
    return written


def captured_articles(replica: Replica) -> list[Article]:
    """The articles a web archive that obeys robots.txt captured: all but the one robots.txt forbids."""
    return [article for article in replica.articles if "robots-forbidden" not in article.quirks]


def article_snapshots(
    replica: Replica, article: Article, edit: Callable[[bytes], bytes] | None = None
) -> list[Snapshot]:
    """Three captures of an article: an hour after it was published, half-way to `LAST_DAY` (at the URL the
    list's second page links, with `?PageIndex=2`) and on `LAST_DAY`; `edit` changes the first two."""
    position = replica.articles.index(article)
    published = article.published.astimezone(UTC)
    last = LAST_DAY.replace(minute=position % 60, second=position // 60 % 60)
    first = published.replace(microsecond=0) + _HOUR
    middle = first + (last - first) / 2
    return [
        Snapshot(article.path, first, edit),
        Snapshot(article_href(article, 2), middle.replace(microsecond=0), edit),
        Snapshot(article.path, last),
    ]


def list_snapshots(replica: Replica, when: datetime = LIST_CAPTURED) -> list[Snapshot]:
    """One capture of every page of the news list at `when`."""
    return [Snapshot(f"/Tintuc/?PageIndex={page}", when) for page in range(1, page_count(len(replica.articles)) + 1)]


def image_snapshots(articles: Iterable[Article], when: datetime = LAST_DAY) -> list[Snapshot]:
    """One capture of every image (on the portal itself) that `articles` show, at `when`."""
    paths = {url[len(SITE) :] for article in articles for url in article.image_urls() if url.startswith(SITE + "/")}
    return [Snapshot(path, when) for path in sorted(paths)]


def make_collection(root: Path, name: str, warcs: Iterable[Path]) -> None:
    """A pywb collection `name` under `root` holding (and indexing) `warcs`, with `wb-manager`."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run([BIN / "wb-manager", "init", name], cwd=root, check=True, capture_output=True)
    subprocess.run([BIN / "wb-manager", "add", name, *map(str, warcs)], cwd=root, check=True, capture_output=True)


@contextmanager
def serve(root: Path, port: int, collection: str, timeout: float = 60) -> Iterator[str]:
    """Run pywb's `wayback` over the collections under `root` on 127.0.0.1:`port`; yields its base URL."""
    base = f"http://127.0.0.1:{port}"
    with (root / "pywb.log").open("wb") as log:
        process = subprocess.Popen(
            [BIN / "wayback", "-p", str(port), "-b", "127.0.0.1"], cwd=root, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_for(f"{base}/{collection}/cdx?url={SITE}/", process, timeout)
            yield base
        finally:
            process.terminate()
            process.wait(10)


def _wait_for(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pywb exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"pywb did not answer {url} within {timeout} s")
