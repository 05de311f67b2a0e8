"""The whole portal from its home page, on an independently written copy (`replica.independent`, `whole=True`):
its author read none of the crawler. Every article of every section once, the albums and their photos, the
attachments' bytes and text, within the politeness budget."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import assert_reads_as, cli, nfc, rows

from replica.independent import IndependentPortal


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IndependentPortal, str, object]]:
    portal = IndependentPortal(n_articles=34, pager="run_on_digits", beyond="empty", seed=9, whole=True)
    db = tmp_path_factory.mktemp("independent-whole") / "archive.db"
    with portal.serve(host="127.0.0.1", port=0) as base:
        cli("crawl", "--start-url", base + "/", "--db", str(db), "--delay", "0")
        yield portal, base, db


def test_every_article_of_every_section_is_archived_once(crawled):
    portal, base, db = crawled
    stored = {row["url"].lower(): row for row in rows(db, "select * from articles")}
    assert len(stored) == len(portal.all_articles)
    for article in portal.all_articles:
        assert_reads_as(stored[(base + article.path).lower()], article)


def test_sections_and_the_lists_that_show_each_article(crawled):
    portal, base, db = crawled
    titles = {row["title"] for row in rows(db, "select title from sections")}
    assert {section.title for section in portal.sections} <= titles
    shown = rows(
        db,
        "select lower(a.url) url, s.title from article_sections j join articles a on a.id = j.article_id"
        " join sections s on s.id = j.section_id",
    )
    for section in portal.sections:
        assert {(base + path).lower() for path in section.articles} <= {
            r["url"] for r in shown if r["title"] == section.title
        }


def test_albums_and_their_photos_with_captions(crawled):
    portal, base, db = crawled
    albums = {row["url"].lower(): row for row in rows(db, "select * from albums")}
    assert len(albums) == len(portal.albums)
    for album in portal.albums:
        row = albums[(base + album.path).lower()]
        assert row["title"] == nfc(album.title)
        photos = rows(db, "select url, caption, alt from photos where album_id = ? order by position", (row["id"],))
        assert [(p["url"], p["caption"], p["alt"]) for p in photos] == [
            (base + path, nfc(caption), nfc(alt)) for path, caption, alt in album.photos
        ]


def test_attachments_bytes_text_and_the_broken_file(crawled):
    portal, base, db = crawled
    stored = {row["url"]: row for row in rows(db, "select * from attachments")}
    for document in portal.attachments:
        row = stored[base + document.path]
        assert row["sha256"] == document.sha256
        if document.unique_word:
            assert document.unique_word in row["text"]
        if document.scanned:
            assert row["text"] is None and "scanned" in row["text_status"]
    broken = [d for d in portal.attachments if d.broken]
    errors = {row["url"] for row in rows(db, "select url from crawl_errors")}
    assert broken and {base + d.path for d in broken} <= errors


def test_each_page_once_and_no_other_host(crawled):
    portal, _, _ = crawled
    minimum = portal.minimum
    for kind in ("list", "article", "album", "photo", "attachment"):
        assert portal.count(kind) <= 1.1 * minimum[kind] + 3, kind
    assert portal.count("article") == minimum["article"]
