"""Rescue from a web archive: WARCs of a small replica (three captures per article, one article edited between
captures), served by a real pywb, read back by real `portal-archive crawl --source wayback` processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, assert_archived_as_expected, cli, rows, servable
from warcio.archiveiterator import ArchiveIterator

from archive.web.image_replay import find_image, read_payload
from replica.images import image_for
from replica.model import SITE, Article, collapse
from replica.server import Replica, ReplicaOptions, free_port, start
from replica.webarchive import (
    Snapshot,
    article_snapshots,
    captured_articles,
    image_snapshots,
    list_snapshots,
    make_collection,
    serve,
    write_warc,
)
from scraper.urls import canonical_article_url
from scraper.warc import warc_datetime

DRAFT = "Bản tin đang được cập nhật, mời bạn đọc quay lại sau."


@dataclass(frozen=True)
class WebArchive:
    """The replica, pywb's base URL, every capture taken (with its HTTP status), the edited and the missed
    articles (captured, but absent from the CDX index the crawl asks)."""

    replica: Replica
    base: str
    captures: dict[str, list[tuple[Snapshot, int]]]
    edited: Article
    missed: tuple[Article, ...]

    def crawl(self, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return cli(
            "crawl", "--source", "wayback", "--start-url", f"{SITE}/Tintuc/?PageIndex=1", "--db", str(db),
            "--cdx-url", f"{self.base}/indexed/cdx", "--replay-url", f"{self.base}/all/", "--delay", "0", *args,
        )  # fmt: skip

    def as_of(self, article: Article, when: datetime) -> str:
        """The ISO time of the article's newest status-200 capture at or before `when` (else the earliest after)."""
        times = sorted(s.when for s, status in self.captures[article.path] if status == 200)
        before = [t for t in times if t <= when]
        return (before[-1] if before else times[0]).isoformat()


def _plain_first_paragraph(article: Article) -> str | None:
    first = article.blocks[0] if article.blocks else None
    if isinstance(first, str) and first == collapse(first) and not set(first) & set("&<>") and len(first) > 40:
        return first
    return None


@pytest.fixture(scope="module")
def web_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebArchive]:
    root = tmp_path_factory.mktemp("webarchive")
    with start(ReplicaOptions(n_articles=50)) as replica:
        captured = captured_articles(replica)
        plain = [a for a in servable(replica) if not a.quirks & {"nfd", "flaky-500"} and _plain_first_paragraph(a)]
        edited, missed = plain[0], tuple(plain[-3:])
        paragraph = _plain_first_paragraph(edited).encode()

        def draft(body: bytes) -> bytes:
            assert paragraph in body
            return body.replace(paragraph, DRAFT.encode())

        plans = {a.path: article_snapshots(replica, a, draft if a is edited else None) for a in captured}
        indexed = [s for a in captured if a not in missed for s in plans[a.path]] + list_snapshots(replica)
        indexed += image_snapshots(captured)
        written = write_warc(replica, root / "indexed.warc.gz", indexed)
        written += write_warc(replica, root / "missed.warc.gz", [s for a in missed for s in plans[a.path]])
    make_collection(root, "all", [root / "indexed.warc.gz", root / "missed.warc.gz"])
    make_collection(root, "indexed", [root / "indexed.warc.gz"])
    captures = {path: [(s, status) for s, status in written if s in plan] for path, plan in plans.items()}
    with serve(root, free_port(), "all") as base:
        yield WebArchive(replica, base, captures, edited, missed)


@pytest.fixture(scope="module")
def rescued(web_archive: WebArchive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web archive rescued once, with the latest capture of every article."""
    db = tmp_path_factory.mktemp("rescued") / "archive.db"
    web_archive.crawl(db)
    return db


def _by_url(db: Path) -> dict[str, dict]:
    return {row["url"]: dict(row) for row in rows(db, "select * from articles")}


def test_rescue_archives_every_article_with_the_fields_of_a_live_crawl(web_archive, rescued):
    assert_archived_as_expected(web_archive.replica, rescued, SITE)
    stored = _by_url(rescued)
    assert all(url.startswith(f"{SITE}/T/") and "PageIndex" not in url for url in stored)  # canonical, original host
    assert {row["source"] for row in stored.values()} == {"wayback"}
    assert rows(rescued, "select count(*), count(distinct url) from articles")[0][:] == (len(stored), len(stored))


def test_rescue_takes_the_latest_capture_and_says_when_it_was_taken(web_archive, rescued):
    stored = _by_url(rescued)
    latest = datetime.max.replace(tzinfo=UTC)
    for article in servable(web_archive.replica):
        assert stored[SITE + article.path]["captured_at"] == web_archive.as_of(article, latest), article.slug
    edited = stored[SITE + web_archive.edited.path]["body_text"]
    assert DRAFT not in edited and web_archive.edited.expected.paragraphs[0] in edited


def test_articles_missing_from_the_cdx_index_are_found_through_captured_list_pages(web_archive, rescued):
    stored = _by_url(rescued)
    for article in web_archive.missed:
        assert stored[SITE + article.path]["title"] == article.expected.title
    errors = {row["url"]: row["error"] for row in rows(rescued, "select * from crawl_errors")}
    uncaptured = {SITE + a.path for a in web_archive.replica.articles if a.quirks & {"dead-link", "robots-forbidden"}}
    assert set(errors) == uncaptured  # only what the archive never captured with status 200
    assert all(error.startswith("known but not rescued: ") for error in errors.values())


def test_as_of_takes_the_newest_capture_at_or_before_the_date(web_archive, tmp_path):
    edited = web_archive.captures[web_archive.edited.path]
    middle = edited[1][0].when  # the edited article's second capture, still showing the draft
    db = tmp_path / "as-of.db"
    web_archive.crawl(db, "--as-of", middle.strftime("%Y-%m-%dT%H:%M:%S"), "--delay", "0.02")
    settings = json.loads(rows(db, "select settings from crawl_runs")[0][0])
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1  # polite to an archive unless --delay 0
    stored = _by_url(db)
    assert len(stored) == len(servable(web_archive.replica))
    chosen = {a.path: stored[SITE + a.path]["captured_at"] for a in servable(web_archive.replica)}
    indexed = [a for a in servable(web_archive.replica) if a not in web_archive.missed]
    assert {chosen[a.path] for a in indexed} != {
        web_archive.as_of(a, datetime.max.replace(tzinfo=UTC)) for a in indexed
    }
    for article in indexed:
        assert chosen[article.path] == web_archive.as_of(article, middle), article.slug
    assert chosen[web_archive.edited.path] == middle.isoformat()
    assert DRAFT in stored[SITE + web_archive.edited.path]["body_text"]


def test_a_second_rescue_with_the_scrapy_command_fetches_only_the_index_and_list_pages(web_archive, rescued, tmp_path):
    db = tmp_path / "again.db"
    shutil.copy(rescued, db)
    endpoints = [f"cdx_url={web_archive.base}/indexed/cdx", f"replay_url={web_archive.base}/all/"]
    arguments = [f"start_url={SITE}/Tintuc/?PageIndex=1", *endpoints]
    settings = [f"-sARCHIVE_DB={db}", "-sDOWNLOAD_DELAY=0", "-sAUTOTHROTTLE_ENABLED=0"]
    command = [sys.executable, "-m", "scrapy", "crawl", "wayback", *(f"-a{a}" for a in arguments), *settings]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    (run,) = rows(db, "select * from crawl_runs order by id desc limit 1")
    assert (run["finish_reason"], run["articles_new"], run["articles_updated"]) == ("finished", 0, 0)
    assert run["pages_fetched"] < len(web_archive.replica.articles) / 4  # CDX answers and list pages, no articles
    assert len(_by_url(db)) == len(servable(web_archive.replica))


def test_an_unreadable_as_of_date_is_refused_before_anything_is_fetched(tmp_path):
    db = tmp_path / "never.db"
    args = ["crawl", "--source", "wayback", "--as-of", "last spring", "--db", str(db)]
    result = subprocess.run([sys.executable, "-m", "archive.cli", *args], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "not a date: 'last spring'" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    ("cdx_path", "said"),
    [("no-such-collection/cdx", "web archive: no capture of huyendienbien.gov.vn/T/ and huyendienbien.gov.vn/Tintuc"),
     ("no-such-collection/cdx/nowhere", "web archive: HTTP 404")],
)  # fmt: skip
def test_a_cdx_server_that_knows_nothing_is_reported_and_the_archive_kept(
    web_archive, rescued, tmp_path, cdx_path, said
):
    db = tmp_path / "kept.db"
    shutil.copy(rescued, db)
    before = _by_url(db)
    result = web_archive.crawl(db, "--cdx-url", f"{web_archive.base}/{cdx_path}")
    errors = [row["error"] for row in rows(db, "select * from crawl_errors where url like '%no-such-collection%'")]
    assert any(error.startswith(said) for error in errors)
    assert all(error.startswith("web archive: ") for error in errors)
    assert f"{len(errors)} errors" in result.stdout
    assert _by_url(db) == before


def test_warc_records_of_a_rescue_keep_the_capture_s_url_date_and_headers(web_archive, rescued):
    records = {}
    for path in sorted((rescued.parent / "warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    records[record.rec_headers.get_header("WARC-Target-URI")] = record
    stored = _by_url(rescued)
    for url, row in stored.items():
        captured = [r for target, r in records.items() if canonical_article_url(target) == url]
        assert len(captured) == 1, url
        (record,) = captured
        assert warc_datetime(record.rec_headers.get_header("WARC-Date")).isoformat() == row["captured_at"]
        assert record.http_headers.get_header("Server") == "Microsoft-IIS/8.5"  # the portal's, not pywb's
        assert record.http_headers.get_header("Memento-Datetime") is None
        assert row["warc_file"] and row["warc_offset"] is not None
    assert not any(target.startswith(web_archive.base + "/all/") for target in records)


def test_a_rescue_keeps_the_articles_images_in_its_warcs(rescued):
    """The reading room shows a rescued article's images from the rescue's own WARC files."""
    warc = rescued.parent / "warc"
    urls = [row["url"] for row in rows(rescued, "select distinct url from images where url like ?", (f"{SITE}/%",))]
    assert len(urls) >= 5
    for url in urls:
        capture = find_image(warc, url)
        assert capture is not None, url
        assert read_payload(warc, capture) == image_for(url[len(SITE) :])[1], url
