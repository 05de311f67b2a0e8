"""A crawl of the whole portal from its home page, in every theme of the replica, over real HTTP."""

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from conftest import assert_archived_as_expected, cli, get, rows, serving

from archive.search import fts_query
from replica.model import collapse
from replica.portal import BROKEN, DECISION, OFF_SITE, REPORT, SCAN
from replica.server import Replica, ReplicaOptions, start
from replica.themes import THEMES
from scraper.urls import article_id

Crawled = tuple[Replica, Path, list[tuple[str, str]]]
OUTPUT: dict[str, tuple[str, str]] = {}  # each theme's crawl: its standard output and error


def crawl_portal(replica: Replica, db: Path, *args: str) -> tuple[str, str]:
    done = cli("crawl", "--start-url", replica.origin + "/", "--db", str(db), "--delay", "0", *args)
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def portals(tmp_path_factory) -> Iterator[dict[str, Crawled]]:
    """Each theme's replica (40 news entries), crawled once from its home page: (replica, db, request log)."""
    crawled = {}
    replicas = [start(ReplicaOptions(40, 7, theme)) for theme in THEMES]
    try:
        for theme, replica in zip(THEMES, replicas, strict=True):
            db = tmp_path_factory.mktemp(theme) / "archive.db"
            OUTPUT[theme] = crawl_portal(replica, db)
            crawled[theme] = (replica, db, list(replica.request_log))
        yield crawled
    finally:
        for replica in replicas:
            replica.stop()


def section_ids(replica: Replica) -> dict[str, str]:
    """The archive's id of each of the replica's sections, by path."""
    return {s.path: article_id(replica.origin + s.path) for s in replica.portal.sections}


@pytest.mark.parametrize("theme", THEMES)
def test_every_article_of_every_section_with_its_fields_and_sections(portals, theme: str) -> None:
    replica, db, _ = portals[theme]
    portal = replica.portal
    assert_archived_as_expected(replica, db, articles=portal.articles)
    ids = section_ids(replica)
    sections = {row["url"]: dict(row) for row in rows(db, "select * from sections")}
    assert set(sections) == {replica.origin + s.path for s in portal.sections}
    for section in portal.sections:
        row = sections[replica.origin + section.path]
        parent = replica.origin + section.parent.path if section.parent else None
        assert (row["id"], row["title"], row["parent"]) == (ids[section.path], section.title, parent)
        assert (row["declared_total"], row["pages"]) == (section.declared_total, section.pages)
    linked = {(r["article_id"], r["section_id"]) for r in rows(db, "select * from article_sections")}
    first = {r["id"]: r["section"] for r in rows(db, "select id, section from articles")}
    for article in portal.articles:
        key = article_id(replica.origin + article.path)
        shown = portal.sections_of(article)
        assert {(key, ids[s.path]) for s in shown} <= linked, article.slug
        if key in first:  # the first list the crawl found it in
            assert first[key] in {ids[s.path] for s in shown}, article.slug
    lower = portal.lower_case_link
    assert [r["url"] for r in rows(db, "select url from articles where lower(url) = ?", (replica.origin + lower,))] == [
        replica.origin + next(a.path for a in portal.news.articles if a.path.lower() == lower)
    ]


@pytest.mark.parametrize("theme", THEMES)
def test_albums_and_photos_with_captions(portals, theme: str) -> None:
    replica, db, log = portals[theme]
    library = article_id(replica.origin + replica.portal.library.path)
    albums = {row["url"]: row for row in rows(db, "select * from albums")}
    assert len(albums) == len(replica.portal.albums)
    for album in replica.portal.albums:
        row = albums[replica.origin + album.path]
        published = album.published.isoformat() if album.published else None
        assert (row["title"], row["published_at"], row["section"]) == (album.title, published, library)
        photos = rows(db, "select url, caption, alt from photos where album_id = ? order by position", (row["id"],))
        shown = [
            (replica.origin + p.src, p.caption and collapse(p.caption), collapse(p.alt) or None) for p in album.photos
        ]
        assert [tuple(photo) for photo in photos] == shown, album.slug
    fetched = Counter(path for _, path in log)
    assert all(fetched[p.src] == 1 for album in replica.portal.albums for p in album.photos)


@pytest.mark.parametrize("theme", THEMES)
def test_attachments_bytes_text_errors_and_legal_refs(portals, theme: str) -> None:
    replica, db, log = portals[theme]
    portal = replica.portal
    stored = {row["url"]: row for row in rows(db, "select * from attachments")}
    assert set(stored) == {replica.origin + d.path for d in portal.documents}
    for article in portal.articles:
        for document in portal.attachments(article):
            row = stored[replica.origin + document.path]
            assert row["article_id"] == article_id(replica.origin + article.path)
            assert (row["sha256"], row["size"], row["content_type"]) == (
                document.sha256,
                len(document.body),
                document.content_type,
            )
            assert (row["text"] is None) == (document.text is None)
    assert collapse(stored[replica.origin + DECISION.path]["text"]) == collapse(DECISION.text)
    assert stored[replica.origin + SCAN.path]["text_status"] == "scanned: no text layer"
    assert stored[replica.origin + BROKEN.path]["text_status"].startswith("broken")
    errors = {row["url"]: row["error"] for row in rows(db, "select url, error from crawl_errors")}
    assert errors[replica.origin + BROKEN.path].startswith("unreadable attachment")
    assert not [url for url in errors if urlsplit(url).hostname != "127.0.0.1"] and OFF_SITE not in stored
    refs = rows(db, "select article_id, attachment from legal_refs where ref = '3719/QĐ-UBND'")
    notice = next(a for a in portal.articles if DECISION in portal.attachments(a))
    assert [tuple(r) for r in refs] == [(article_id(replica.origin + notice.path), DECISION.filename)]
    stars = rows(db, "select product, stars, attachment from ocop_ratings where attachment is not null")
    assert [tuple(r) for r in stars] == [("Trà hoa vàng", 3, REPORT.filename)]
    for words, document in (("sa nhân tím", DECISION), ("Trà hoa vàng", REPORT)):
        found = rows(
            db,
            "select a.url from articles_fts f join articles a on a.rowid = f.rowid where articles_fts match ?",
            (fts_query(words),),
        )
        linking = [a for a in portal.articles if document in portal.attachments(a)]
        assert [r["url"] for r in found] == [replica.origin + a.path for a in linking], words
    assert Counter(path for _, path in log)[DECISION.path] == 1


@pytest.mark.parametrize("theme", THEMES)
def test_each_page_once_and_requests_by_kind(portals, theme: str) -> None:
    replica, db, log = portals[theme]
    portal = replica.portal
    run = rows(db, "select * from crawl_runs")[-1]
    kinds = json.loads(run["requests"])
    fetched = Counter(path for _, path in log)
    flaky = {a.path for a in portal.articles if "flaky-500" in a.quirks}  # its 500 is retried, not a response
    assert sum(kinds.values()) == run["pages_fetched"] == len(log) - len(flaky)
    assert [path for path, n in fetched.items() if n > 1 and path not in flaky] == []
    requested = [a for a in portal.articles if "robots-forbidden" not in a.quirks]
    sections = [s for s in portal.sections]
    minimum = len(requested) + len(portal.albums) + sum(s.pages + 1 for s in sections)
    shown = kinds["article"] + kinds["album"] + kinds["list"]
    assert minimum <= shown <= 1.1 * minimum, kinds
    assert kinds["attachment"] == len(portal.documents) and kinds["photo"] == len(
        {p.src for album in portal.albums for p in album.photos}
    )
    assert kinds["discovery"] <= 2 + len(portal.sub_sites) and kinds["robots"] == 1


def test_progress_per_section_and_a_summary_by_kind_with_the_sections_left_incomplete(portals) -> None:
    replica, _, _ = portals["div"]
    out, err = OUTPUT["div"]
    news = replica.portal.news
    # Off a terminal: a line every few seconds, and the last at the end, per section archived of declared, and %.
    assert (
        "Thư viện ảnh: 21/21 (100 %)" in err and f"{news.title}: {news.declared_total - 2}/{news.declared_total}" in err
    )
    assert "requests by kind: " in out and " album, " in out and " photo, " in out and " attachment, " in out
    # The dead link and the robots-forbidden article are known to be gone: no section is left incomplete.
    assert "sections left incomplete" not in out


def test_search_finds_the_article_by_its_attachment_and_says_so(portals) -> None:
    replica, db, _ = portals["ul"]
    notice = next(a for a in replica.portal.articles if DECISION in replica.portal.attachments(a))
    with serving(db) as base:
        status, page = get(f"{base}/{db.stem}/search.json?_shape=array&q={quote('sa nhân tím')}")
    found = json.loads(page)
    assert status == 200 and [r["url"] for r in found] == [replica.origin + notice.path]
    assert found[0]["snippet"].startswith(f"Tệp đính kèm: {DECISION.filename} — ")
    assert "<mark>sa</mark> <mark>nhân</mark> <mark>tím</mark>" in found[0]["snippet"]


def test_a_list_start_still_archives_that_list_only(tmp_path) -> None:
    with start(ReplicaOptions(40, 7)) as replica:
        cli("crawl", "--start-url", replica.url, "--db", str(tmp_path / "a.db"), "--delay", "0")
        news = {replica.origin + a.path for a in replica.portal.news.articles}
        stored = {row["url"] for row in rows(tmp_path / "a.db", "select url from articles")}
        assert stored <= news and len(stored) == len(news) - 2
        assert [r["url"] for r in rows(tmp_path / "a.db", "select url from sections")] == [replica.origin + "/Tintuc/"]
        assert not any("ThongBao" in path or path == "/" for _, path in replica.request_log)


TABLES = ("articles", "images", "sections", "article_sections", "albums", "photos", "attachments", "legal_refs")


@pytest.mark.parametrize("theme", ["ul", "table"])
def test_reparse_rebuilds_sections_albums_photos_and_attachments(portals, theme: str, tmp_path) -> None:
    _, db, _ = portals[theme]
    rebuilt = tmp_path / "rebuilt.db"
    cli("reparse", "--warc-dir", str(db.parent / "warc"), "--db", str(rebuilt))
    for name in TABLES:
        # The crawl stores items as its pipeline gets them, which need not be the order the WARC holds the
        # responses in: the rows must be the same, not their rowids.
        assert sorted(map(tuple, rows(rebuilt, f"select * from {name}")), key=repr) == sorted(
            map(tuple, rows(db, f"select * from {name}")), key=repr
        ), name


def test_the_section_facet_and_column_show_section_titles(portals) -> None:
    replica, db, _ = portals["ul"]
    titles = {article_id(replica.origin + s.path): s.title for s in replica.portal.sections}
    with serving(db) as base:
        status, page = get(f"{base}/{db.stem}/articles.json?_facet=section&_size=1")
    assert status == 200
    facet = json.loads(page)["facet_results"]["section"]["results"]
    assert facet and {f["value"]: f["label"] for f in facet}.items() <= titles.items()


def test_a_second_crawl_asks_again_for_no_document_a_list_links(tmp_path) -> None:
    with start(ReplicaOptions(40, 7)) as replica:
        db = tmp_path / "archive.db"
        crawl_portal(replica, db)
        first = len(replica.request_log)
        crawl_portal(replica, db)
        again = [path for _, path in replica.request_log[first:]]
        listed = {d.path for s in replica.portal.sections for d in s.documents}
        assert listed and not listed & set(again)
        assert {r["url"] for r in rows(db, "select url from attachments")} >= {replica.origin + p for p in listed}
        second = len(replica.request_log)
        crawl_portal(replica, db, "--full")  # a full crawl asks for everything again
        assert listed <= {path for _, path in replica.request_log[second:]}
