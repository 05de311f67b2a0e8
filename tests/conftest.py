"""Shared fixtures: a replica portal over real HTTP, real crawl subprocesses, a crawled archive."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from replica.model import Article, Image, Table, collapse
from replica.server import Replica, ReplicaOptions, free_port, start
from scraper.cdx import timestamp_to_iso

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `portal-archive ARGS` as a real process; fail the test with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "archive.cli", *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    assert result.returncode == 0, f"portal-archive {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def fetch(url: str) -> tuple[int, bytes]:
    """GET `url`: its status and body, also for an HTTP error."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get(url: str) -> tuple[int, str]:
    """GET `url`: its status and text."""
    status, body = fetch(url)
    return status, body.decode("utf-8")


@contextmanager
def running(command: list[str], ready_url: str, cwd: Path = ROOT) -> Iterator[subprocess.Popen]:
    """A server process started with `command`, once `ready_url` answers; stopped afterwards."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(ready_url, timeout=2)
            break
        except OSError:
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.2)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def crawl(replica: Replica, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A crawl of the replica at full speed into `db`."""
    return cli("crawl", "--start-url", replica.url, "--db", str(db), "--delay", "0", *args)


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """`portal-archive serve` on the archive `db` as a real process, until the block ends; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "archive.cli", "serve", "--db", str(db), "--port", str(port)]
    with running(command, f"{base}/-/versions.json"):
        yield base


def rows(db: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


@pytest.fixture
def replica_factory() -> Iterator:
    """Start replicas (`options`, fixed `port` when a test restarts one) that stop after the test."""
    started: list[Replica] = []

    def make(port: int = 0, **options) -> Replica:
        replica = start(ReplicaOptions(**options), port=port)
        started.append(replica)
        return replica

    yield make
    for replica in started:
        replica.stop()


@pytest.fixture(scope="session")
def full_replica() -> Iterator[Replica]:
    """The default replica: 1,911 list entries, like the portal when the seed page was saved."""
    with start(ReplicaOptions()) as replica:
        yield replica


@pytest.fixture(scope="session")
def crawled(full_replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> tuple[Replica, Path, list]:
    """The default replica crawled once into an archive: (replica, db path, the replica's request log)."""
    db = tmp_path_factory.mktemp("archive") / "archive.db"
    before = len(full_replica.request_log)
    crawl(full_replica, db)
    return full_replica, db, list(full_replica.request_log[before:])


def servable(replica: Replica, articles: list[Article] | None = None) -> list[Article]:
    """The replica's articles (of the news list, or `articles`) that a crawl can and may archive (not the dead link,
    not robots-forbidden)."""
    return [a for a in articles or replica.articles if not a.quirks & {"dead-link", "robots-forbidden"}]


def special(replica: Replica, quirk: str) -> Article:
    return next(a for a in replica.articles if quirk in a.quirks)


def nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if text is not None else None


def assert_reads_as(row, article) -> None:
    """A stored article has what a reader sees on a page of the independent copy (`replica.independent`): its
    title, date, author and paragraphs (the images' captions are blocks of the body text of their own)."""
    captions = {nfc(caption) for _, caption in article.images if caption}
    assert (row["title"], row["author"]) == (nfc(article.title), nfc(article.author))
    assert row["published_at"] == article.published.isoformat() + "+07:00"
    assert [b for b in row["body_text"].split("\n\n") if b not in captions] == [nfc(p) for p in article.paragraphs]


def assert_archived_as_expected(
    replica: Replica, db, origin: str | None = None, articles: list[Article] | None = None
) -> None:
    """Every servable article (of the news list, or `articles`) is in the archive once, with the fields a reader
    sees on its page, exactly: title, date, author, the whole body text and each image's URL, alt text and caption
    (served from `origin`: the replica's by default)."""
    origin = origin or replica.origin
    stored = {row["url"]: row for row in rows(db, "select * from articles")}
    wanted = servable(replica, articles)
    assert len(stored) == len(wanted)
    for article in wanted:
        row = stored[origin + article.path]
        expected = article.expected
        assert (row["title"], row["published_at"], row["author"]) == (
            expected.title,
            expected.published,
            expected.author,
        ), article.slug
        assert row["body_text"] == body_text(article), article.slug
        images = rows(db, "select url, alt, caption from images where article_id = ? order by position", (row["id"],))
        shown = [
            (url, collapse(image.alt) or None, image.caption and collapse(image.caption))
            for url, image in zip(article.image_urls(origin), article.images, strict=True)
        ]
        assert [tuple(image) for image in images] == shown, article.slug


def assert_rescued_as(row, seen) -> None:
    """A rescued article is the capture the web archive's truth says it is (`replica.wayback_captures.Seen`): its
    title, date, author, body text and capture time."""
    expected = seen.article.expected
    assert (row["title"], row["published_at"], row["author"]) == (expected.title, expected.published, expected.author)
    assert row["body_text"] == body_text(seen.article)
    assert row["captured_at"] == timestamp_to_iso(seen.timestamp)


def body_text(article: Article) -> str:
    """The body as a reader sees it, block by block: paragraphs, image captions, tables as `cell | cell` rows."""
    blocks = []
    for block in article.blocks:
        if isinstance(block, Table):
            blocks.append("\n".join(" | ".join(map(collapse, row)) for row in block.rows))
        elif isinstance(block, Image):
            blocks.append(collapse(block.caption or ""))
        else:
            blocks.append(collapse(block if isinstance(block, str) else block.text))
    return "\n\n".join(filter(None, blocks))


@pytest.fixture(scope="session")
def served(crawled) -> Iterator[tuple[str, object, object]]:
    """`portal-archive serve` on the crawled archive: (base URL, replica, db path)."""
    replica, db, _ = crawled
    with serving(db) as base:
        yield base, replica, db


REDIS_SERVER = "/usr/bin/redis-server"


@pytest.fixture(scope="module")
def redis_server() -> Iterator[str]:
    """A redis-server of the test module's own on a free port, persistence off; its URL (without a database
    number)."""
    assert Path(REDIS_SERVER).exists(), "redis-server is missing: `make test` installs it"
    port = free_port()
    command = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)
