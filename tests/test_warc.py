"""The crawl's web archive: valid WARC files of every exchange, an index that finds records, provenance that
points at the right record, replay in real pywb, and a re-parse that rebuilds the same rows without the network."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, cli, crawl, fetch, rows, running
from warcio.archiveiterator import ArchiveIterator

from replica.server import free_port
from scraper.warc import INDEX


def warc_dir(db: Path) -> Path:
    return db.parent / "warc"


def warcs(db: Path) -> list[Path]:
    return sorted(warc_dir(db).glob("*.warc.gz"))


def records(path: Path) -> Iterator:
    with open(path, "rb") as stream:
        yield from ArchiveIterator(stream)


def record_at(path: Path, offset: int):
    """The record that starts at `offset` in a WARC file, with its payload read."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record, record.content_stream().read()


def test_every_warc_file_passes_warcio_check(crawled):
    _, db, _ = crawled
    files = warcs(db)
    assert files and not list(warc_dir(db).glob("*.open"))
    result = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, files)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "digest pass" in result.stdout and "fail" not in result.stdout.lower()


def test_every_exchange_is_captured_as_requested(crawled):
    """robots.txt, list pages, articles and images: one response (and its request) per request the server saw."""
    replica, db, requests = crawled
    responses, request_uris, infos = [], [], 0
    for path in warcs(db):
        for position, record in enumerate(records(path)):
            kind = record.rec_type
            infos += kind == "warcinfo"
            assert (kind == "warcinfo") == (position == 0), path  # each file opens with its warcinfo
            if kind == "response":
                responses.append(record.rec_headers.get_header("WARC-Target-URI"))
            elif kind == "request":
                request_uris.append(record.rec_headers.get_header("WARC-Target-URI"))
    assert infos == len(warcs(db))
    served = sorted(replica.origin + path for _, path in requests)
    assert sorted(responses) == served
    assert sorted(request_uris) == served
    kinds = {urlsplit(url).path.split("/")[1].lower() for url in responses}
    assert {"robots.txt", "tintuc", "t", "uploads"} <= kinds


def test_article_images_are_fetched_once_each(crawled):
    _, db, requests = crawled
    images = {row["url"] for row in rows(db, "select url from images")}
    fetched = [path for _, path in requests if path.startswith("/Uploads/")]
    assert len(fetched) == len(set(fetched))
    assert {urlsplit(url).path for url in images} == set(fetched)


def test_warcinfo_names_software_operator_and_settings(crawled):
    replica, db, _ = crawled
    info = next(records(warcs(db)[0]))
    fields = dict(
        line.split(": ", 1) for line in info.content_stream().read().decode("utf-8").splitlines() if ": " in line
    )
    assert fields["software"].startswith("portal-archive/")
    assert fields["operator"].startswith("http")
    assert "portal-archive/" in fields["http-header-user-agent"]
    assert json.loads(fields["crawl"])["start_url"] == replica.url


def test_cdxj_index_finds_every_response_record(crawled):
    _, db, _ = crawled
    lines = (warc_dir(db) / INDEX).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    responses = sum(r.rec_type == "response" for path in warcs(db) for r in records(path))
    assert len(lines) == responses
    for line in lines[:: max(1, len(lines) // 200)]:
        entry = json.loads(line.split(" ", 2)[2])
        record, _ = record_at(warc_dir(db) / entry["filename"], int(entry["offset"]))
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == "sha1:" + entry["digest"]


def test_articles_name_the_warc_record_they_were_read_from(crawled):
    _, db, _ = crawled
    articles = rows(db, "select url, fetched_at, warc_file, warc_offset, payload_digest from articles")
    assert all(article["warc_file"] for article in articles)
    for article in articles[::50]:
        record, body = record_at(warc_dir(db) / article["warc_file"], article["warc_offset"])
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == article["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == article["payload_digest"]
        assert record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00") == article["fetched_at"]
        assert body == fetch(article["url"])[1]  # the bytes the portal serves


# Every table that storing an article writes (the crawl log tables `crawl_*` and `list_pages` are not rebuilt).
ARTICLE_TABLES = ("articles", "images", "article_versions", "ocop_mentions", "ocop_ratings", "legal_refs")


def table(db: Path, name: str) -> list[tuple]:
    return sorted(tuple(row) for row in rows(db, f"select * from {name}"))


def test_reparse_rebuilds_the_same_rows_from_warcs_alone(crawled, tmp_path):
    _, db, _ = crawled
    rebuilt = tmp_path / "rebuilt.db"
    out = cli("reparse", "--warc-dir", str(warc_dir(db)), "--db", str(rebuilt))
    assert "new" in out.stdout
    for name in ARTICLE_TABLES:
        assert table(rebuilt, name) == table(db, name), name
    assert rows(rebuilt, "select count(*) from articles")[0][0] > 1800


def test_reparse_refuses_an_existing_database_and_a_missing_directory(crawled, tmp_path):
    _, db, _ = crawled
    for args, message in (
        (["--warc-dir", str(warc_dir(db)), "--db", str(db)], "exists"),
        (["--warc-dir", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x.db")], "no WARC directory"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "archive.cli", "reparse", *args], capture_output=True, text=True, cwd=ROOT
        )
        assert result.returncode == 2 and message in result.stderr
    assert rows(db, "select count(*) from articles")[0][0] > 1800  # nothing lost


@pytest.fixture
def pywb(crawled, tmp_path) -> Iterator[str]:
    """Real pywb serving a collection of the crawl's WARCs with the crawl's own CDXJ index."""
    _, db, _ = crawled
    collection = tmp_path / "collections" / "portal"
    (collection / "archive").mkdir(parents=True)
    (collection / "indexes").mkdir()
    for path in warcs(db):
        (collection / "archive" / path.name).symlink_to(path)
    shutil.copy(warc_dir(db) / INDEX, collection / "indexes" / INDEX)
    port = free_port()
    wayback = str(Path(sys.executable).with_name("wayback"))
    base = f"http://127.0.0.1:{port}"
    with running([wayback, "--bind", "127.0.0.1", "--port", str(port)], base + "/", cwd=tmp_path):
        yield f"{base}/portal"


def test_pywb_replays_an_article_and_its_image_byte_for_byte(crawled, pywb):
    replica, db, _ = crawled
    article = rows(
        db,
        """select a.url, a.fetched_at, i.url as image from articles a join images i on i.article_id = a.id
           where i.url like ? limit 1""",
        (replica.origin + "/Uploads/%",),
    )[0]
    stamp = article["fetched_at"][:19].translate(str.maketrans("", "", "-:T"))
    for url in (article["url"], article["image"]):
        status, body = fetch(f"{pywb}/{stamp}id_/{url}")
        assert status == 200, url
        assert body == fetch(url)[1], url  # the original bytes
    status, page = fetch(f"{pywb}/{stamp}mp_/{article['url']}")  # the rewritten page a reader sees
    assert status == 200 and b"Th\xe1\xbb\x9di gian \xc4\x91\xc4\x83ng" in page


def test_gzip_encoded_pages_are_archived_as_sent_and_reparse_alike(replica_factory, tmp_path):
    """The WARC keeps the body the server sent (gzip-encoded), and re-parsing it decodes it as the crawl did."""
    replica = replica_factory(n_articles=30, gzip=True)
    db = tmp_path / "archive.db"
    crawl(replica, db)
    article = rows(db, "select url, warc_file, warc_offset from articles limit 1")[0]
    with open(warc_dir(db) / article["warc_file"], "rb") as stream:
        stream.seek(article["warc_offset"])
        record = next(iter(ArchiveIterator(stream)))
        assert record.http_headers.get_header("Content-Encoding") == "gzip"
        raw = record.raw_stream.read()
    assert raw[:2] == b"\x1f\x8b"  # the bytes as sent, not decompressed
    assert gzip.decompress(raw) == fetch(article["url"])[1]  # what the portal serves uncompressed
    rebuilt = tmp_path / "rebuilt.db"
    cli("reparse", "--warc-dir", str(warc_dir(db)), "--db", str(rebuilt))
    for name in ("articles", "images"):
        assert table(rebuilt, name) == table(db, name), name
    result = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, warcs(db))], capture_output=True)
    assert result.returncode == 0, result.stdout
