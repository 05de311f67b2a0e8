"""Two crawls of a portal that changed in between: the edit is kept as a version, removals are marked (never
deleted), the reading room shows the history and a diff, and the archive exports with its history."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cli, crawl, get, rows, running
from test_warc import record_at, table, warcs

from replica.server import EDIT_NOTE, free_port
from scraper.urls import article_id

MAX_SIZE = 120_000


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory) -> dict:
    """A 60-article replica crawled, then changed (one article edited, one gone 410, one off the list) and
    crawled again with `--full`; the replica is stopped afterwards."""
    from replica.server import ReplicaOptions, start

    db = tmp_path_factory.mktemp("history") / "archive.db"
    port = free_port()
    with start(ReplicaOptions(n_articles=60), port=port) as replica:
        plain = [a for a in replica.articles if not a.quirks & {"dead-link", "robots-forbidden", "flaky-500"}]
        edited, removed, unlisted = plain[3], plain[10], plain[20]
        crawl(replica, db, "--warc-max-size", str(MAX_SIZE))
    changed = ReplicaOptions(
        n_articles=60,
        edited=frozenset([edited.slug]),
        removed=frozenset([removed.slug]),
        unlisted=frozenset([unlisted.slug]),
    )
    with start(changed, port=port) as replica:
        crawl(replica, db, "--full", "--warc-max-size", str(MAX_SIZE))
        origin = replica.origin
    return {
        "db": db,
        "edited": origin + edited.path,
        "removed": origin + removed.path,
        "unlisted": origin + unlisted.path,
        "origin": origin,
    }


def test_an_edited_article_keeps_its_old_version(two_crawls):
    db, url = two_crawls["db"], two_crawls["edited"]
    (article,) = rows(db, "select * from articles where url = ?", (url,))
    assert EDIT_NOTE in article["body_text"].split("\n\n")
    (old,) = rows(db, "select * from article_versions")
    assert (old["article_id"], old["version"]) == (article["id"], 1)
    assert EDIT_NOTE not in old["body_text"] and old["title"] == article["title"]
    assert old["content_hash"] != article["content_hash"] and old["fetched_at"] <= article["fetched_at"]
    assert (old["warc_file"], old["warc_offset"]) != (article["warc_file"], article["warc_offset"])
    record, body = record_at(db.parent / "warc" / old["warc_file"], old["warc_offset"])
    assert record.rec_headers.get_header("WARC-Target-URI") == url
    assert EDIT_NOTE.encode() not in body  # the first crawl's copy, byte for byte
    assert article["removed_at"] is None


def test_removed_and_unlisted_articles_are_marked_not_deleted(two_crawls):
    db = two_crawls["db"]
    removed = {row["url"] for row in rows(db, "select url from articles where removed_at is not null")}
    assert removed == {two_crawls["removed"], two_crawls["unlisted"]}
    (gone,) = rows(db, "select * from articles where url = ?", (two_crawls["removed"],))
    assert gone["body_text"] and gone["title"]  # the archived copy is still there
    assert rows(db, "select status from crawl_errors where url = ?", (two_crawls["removed"],))[0][0] == 410


def test_warc_files_rotate_and_stay_valid(two_crawls):
    files = warcs(two_crawls["db"])
    assert len(files) >= 4
    assert all(path.stat().st_size < MAX_SIZE + 100_000 for path in files)
    result = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, files)], capture_output=True)
    assert result.returncode == 0, result.stdout


def test_reparse_with_the_replica_stopped_rebuilds_history(two_crawls, tmp_path):
    db = two_crawls["db"]
    rebuilt = tmp_path / "rebuilt.db"
    cli("reparse", "--warc-dir", str(db.parent / "warc"), "--db", str(rebuilt))
    for name in ("images", "article_versions"):
        assert table(rebuilt, name) == table(db, name), name
    columns = "id, url, title, published_at, author, body_text, body_html, fetched_at, first_fetched_at, year, "
    columns += "month, content_hash, warc_file, warc_offset, payload_digest"
    assert rows(rebuilt, f"select {columns} from articles order by id") == rows(
        db, f"select {columns} from articles order by id"
    )
    # A 410 is in the WARCs; an article left off the list is not (it was never requested again).
    removed = {row["url"] for row in rows(rebuilt, "select url from articles where removed_at is not null")}
    assert removed == {two_crawls["removed"]}


def test_reading_room_shows_history_and_diff(two_crawls):
    db = two_crawls["db"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "archive.cli", "serve", "--db", str(db), "--port", str(port)]
    with running(command, f"{base}/-/versions.json"):
        status, page = get(f"{base}/-/history/{article_id(two_crawls['edited'])}")
        assert status == 200
        assert "1</td>" in page and "2 (current)" in page
        assert f'<p class="added">{EDIT_NOTE}</p>' in page
        assert '<p class="removed">' not in page
        status, page = get(f"{base}/-/history/{article_id(two_crawls['edited'])}?from=2&to=2")
        assert status == 200 and "No changes." in page
        status, page = get(f"{base}/-/history/{article_id(two_crawls['removed'])}")
        assert status == 200 and "Removed from the portal" in page and "Only one version" in page
        status, _ = get(f"{base}/-/history/0000000000000000")
        assert status == 404
        status, page = get(f"{base}/{db.stem}/articles/{article_id(two_crawls['edited'])}")
        assert f'href="/-/history/{article_id(two_crawls["edited"])}"' in page


def test_export_jsonl_and_csv(two_crawls, tmp_path):
    db = two_crawls["db"]
    count = rows(db, "select count(*) from articles")[0][0]
    out = cli("export", "--db", str(db), "--format", "jsonl")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == count
    edited = next(line for line in lines if line["url"] == two_crawls["edited"])
    assert [v["version"] for v in edited["versions"]] == [1]
    assert EDIT_NOTE not in edited["versions"][0]["body_text"]
    with_images = next(line for line in lines if line["images"])
    expected = rows(db, "select url from images where article_id = ? order by position", (with_images["id"],))
    assert [image["url"] for image in with_images["images"]] == [row["url"] for row in expected]
    target = tmp_path / "articles.csv"
    cli("export", "--db", str(db), "--format", "csv", "--output", str(target))
    exported = list(csv.DictReader(io.StringIO(Path(target).read_text(encoding="utf-8"))))
    assert len(exported) == count
    assert {row["url"] for row in exported} == {row["url"] for row in rows(db, "select url from articles")}
    assert next(row for row in exported if row["url"] == two_crawls["removed"])["removed_at"]
