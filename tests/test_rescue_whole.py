"""Rescue of the whole portal (sections, sub-sites, albums, photos, attachments) from the Wayback Machine replica
(replica.wayback, `whole=True`) over real HTTP, by real `portal-archive crawl --source wayback` processes started
at the portal's home page, at rate limits small enough to be hit: checked against the replica's ground truth."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import assert_rescued_as, cli, rows
from test_rescue import CDX_LIMIT, LIMITS, killed_then_resumed
from test_rescue import rescue_args as news_rescue_args
from warcio.archiveiterator import ArchiveIterator

from archive.search import fts_query
from replica.images import image_for
from replica.model import SITE, collapse
from replica.portal import BROKEN, DECISION, PLAN, REPORT, SCAN
from replica.wayback import ArticleTruth, FileTruth, WaybackReplica
from scraper.cdx import timestamp_to_iso
from scraper.urls import article_id

HOME = SITE + "/"


@pytest.fixture(scope="module")
def replica() -> Iterator[WaybackReplica]:
    wayback = WaybackReplica(replace(LIMITS, whole=True))
    with wayback.serve():
        yield wayback


def rescue_args(replica: WaybackReplica, db: Path, *more: str) -> list[str]:
    """A rescue of the whole portal, from its home page."""
    return news_rescue_args(replica, db, *more, start=HOME)


@pytest.fixture(scope="module")
def rescue(replica: WaybackReplica, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    db = tmp_path_factory.mktemp("whole") / "archive.db"
    before = len(replica.requests)
    cli(*rescue_args(replica, db))
    return db, replica.requests[before:]


def whole(replica: WaybackReplica):
    return replica.truth.whole


def rescued_albums(replica: WaybackReplica) -> list[ArticleTruth]:
    return [truth for truth in whole(replica).albums.values() if truth.good]


def wanted_files(replica: WaybackReplica) -> dict[str, FileTruth]:
    """The photos of rescued albums and the documents rescued articles (or read list pages) link, by path."""
    truth = whole(replica)
    paths = {photo.src for album in rescued_albums(replica) for photo in album.newest.article.photos}
    rescued = {t.path for t in replica.truth.rescuable}
    paths |= {d.path for a in truth.portal.articles if a.path in rescued for d in truth.portal.attachments(a)}
    paths.add(PLAN.path)  # the `/ThongBao/` list pages link it
    return {path: truth.files[path] for path in paths}


def warc_payloads(db: Path) -> Counter[tuple[str, str]]:
    """(path, SHA-256 of the payload) of every response record in the rescue's WARC files."""
    found: Counter[tuple[str, str]] = Counter()
    for path in (db.parent / "warc").glob("*.warc.gz"):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    found[(urlsplit(uri).path, hashlib.sha256(record.content_stream().read()).hexdigest())] += 1
    return found


def test_sections_and_sub_sites_are_found_from_the_newest_good_capture_of_the_home_page(replica, rescue):
    db, _ = rescue
    portal = whole(replica).portal
    sections = {row["url"]: row for row in rows(db, "select * from sections")}
    assert set(sections) == {SITE + section.path for section in portal.sections}
    for section in portal.sections:
        row = sections[SITE + section.path]
        parent = SITE + section.parent.path if section.parent else None
        assert (row["title"], row["parent"], row["declared_total"]) == (section.title, parent, section.declared_total)
    home = whole(replica).pages["/"]
    assert home[-1].defect and any(seen.defect is None for seen in home)  # the newest capture is the dead site's
    listed = {(r["article_id"], r["section_id"]) for r in rows(db, "select * from article_sections")}
    rescued = {t.path for t in replica.truth.rescuable}
    for section in portal.sections:
        for entry in section.albums or section.articles:
            if entry.path in rescued or entry.slug in {a.slug for a in rescued_albums(replica)}:
                assert (article_id(SITE + entry.path), article_id(SITE + section.path)) in listed, entry.path


def test_every_entry_with_a_good_capture_is_archived_once_from_its_newest_good_capture(replica, rescue):
    db, _ = rescue
    archived = {row["url"]: dict(row) for row in rows(db, "select * from articles")}
    rescuable = replica.truth.rescuable
    assert set(archived) == {SITE + t.path for t in rescuable}  # one row each, no notice or error page
    sub_sites = [t for t in rescuable if t.path.startswith(("/vanhoa/", "/dulich/"))]
    assert len(sub_sites) >= 20
    for truth in rescuable:
        row = archived[SITE + truth.path]
        assert_rescued_as(row, truth.newest)
        assert row["last_seen_at"] == timestamp_to_iso(truth.last_seen(truth.newest))
    albums = {row["url"]: dict(row) for row in rows(db, "select * from albums")}
    good = rescued_albums(replica)
    assert set(albums) == {SITE + t.path for t in good} and len(good) < len(whole(replica).albums)
    library = article_id(SITE + whole(replica).portal.library.path)
    for truth in good:
        album, row = truth.newest.article, albums[SITE + truth.path]
        published = album.published.isoformat() if album.published else None
        assert (row["title"], row["published_at"], row["section"]) == (album.title, published, library)
        photos = rows(db, "select url, caption from photos where album_id = ? order by position", (row["id"],))
        assert [tuple(p) for p in photos] == [(SITE + p.src, p.caption and collapse(p.caption)) for p in album.photos]


def test_each_photo_and_attachment_with_a_good_capture_is_archived_once_with_its_content(replica, rescue):
    db, _ = rescue
    files = wanted_files(replica)
    payloads = warc_payloads(db)
    photos = [path for path in files if "/ThuVienAnh/" in path]
    kept = [path for path in photos if files[path].good]
    assert len(kept) >= 30 and len(kept) < len(photos)
    for path in kept:
        assert payloads[(path, hashlib.sha256(image_for(path)[1]).hexdigest())] == 1, path
    stored = {row["url"]: dict(row) for row in rows(db, "select * from attachments")}
    documents = [files[path].document for path in files if files[path].document and files[path].good]
    assert set(stored) == {SITE + d.path for d in documents} == {SITE + d.path for d in (DECISION, SCAN, BROKEN)}
    for document in documents:
        row = stored[SITE + document.path]
        assert (row["sha256"], row["size"]) == (document.sha256, len(document.body))
        assert row["article_id"] is not None
    assert collapse(stored[SITE + DECISION.path]["text"]) == collapse(DECISION.text)
    assert stored[SITE + SCAN.path]["text_status"] == "scanned: no text layer"
    error = rows(db, "select error from crawl_errors where url = ?", (SITE + BROKEN.path,))[0]["error"]
    assert error.startswith("unreadable attachment")
    search = "select a.url from articles_fts f join articles a on a.rowid = f.rowid where articles_fts match ?"
    portal = whole(replica).portal
    linking = [SITE + a.path for a in portal.articles if DECISION in portal.attachments(a)]
    assert [r["url"] for r in rows(db, search, (fts_query("sa nhân tím"),))] == linking  # words only the PDF holds


def test_what_is_lost_is_named_in_crawl_errors_by_kind_and_counted_by_status(replica, rescue):
    db, _ = rescue
    lost = {(r["kind"], r["url"]): r for r in rows(db, "select * from crawl_errors where reasons is not null")}
    by_kind: dict[str, set[str]] = {}
    for kind, url in lost:
        by_kind.setdefault(kind, set()).add(url)
    albums = {SITE + t.path for t in whole(replica).albums.values() if not t.good and (t.captures or t.listed_at)}
    assert by_kind["album"] == albums and albums
    files = wanted_files(replica)
    photos = {SITE + path for path, truth in files.items() if "/ThuVienAnh/" in path and not truth.good}
    assert by_kind["photo"] == photos and photos
    assert by_kind["attachment"] == {SITE + REPORT.path, SITE + PLAN.path}
    assert lost[("attachment", SITE + REPORT.path)]["reasons"] == "never-captured"
    assert "never-captured" not in lost[("attachment", SITE + PLAN.path)]["reasons"]  # only the dead site's copies
    assert by_kind["page"] == {SITE + "/Admin/Login.aspx"}
    known = {SITE + t.path for t in replica.truth.articles.values() if t.lost and (t.captures or t.listed_at)}
    assert by_kind["article"] == known
    status = cli("status", "--db", str(db)).stdout
    assert (
        f"rescued from the web archive: {len(replica.truth.rescuable)} articles; known but lost: {len(known)}" in status
    )
    assert f"{len(albums)} albums" in status and f"{len(photos)} photo" in status and "2 attachments" in status
    assert "content last seen good up to" in status


def test_requests_stay_within_bounds_and_none_falls_inside_a_retry_after_window(replica, rescue):
    _, log = rescue
    answered = Counter(r.kind for r in log if r.status != 429)
    rows_held = sum(1 for c in replica.captures if c.urlkey.startswith("vn,gov,huyendienbien)/"))
    assert answered["cdx"] <= rows_held // CDX_LIMIT + 1  # one prefix query of the host, paged
    # Replay: at most one copy of each content of each page, entry or file (the CDX row says the rest), and a few
    # hops of the archive's own redirects.
    contents = {(c.urlkey.split("?")[0], c.digest) for c in replica.captures if c.row[4] in ("200", "-")}
    assert answered["replay"] <= len(contents)
    items = len(replica.truth.rescuable) + len(rescued_albums(replica))
    items += sum(1 for truth in wanted_files(replica).values() if truth.good)
    assert answered["replay"] < 2.2 * items
    assert Counter(r.status for r in log)[429] > 0  # the limits were hit ...
    assert replica.violations == 0  # ... and honoured
    paths = Counter(r.path for r in log if r.kind == "replay" and r.status == 200)
    assert max(paths.values()) == 1  # nothing replayed twice


def test_a_second_rescue_replays_nothing(replica, rescue):
    db, _ = rescue
    before = len(replica.requests)
    cli(*rescue_args(replica, db))
    again = Counter(r.kind for r in replica.requests[before:] if r.status != 429)
    assert again["replay"] == 0


def test_a_rescue_killed_mid_way_completes_on_a_re_run_without_fetching_twice(replica, rescue, tmp_path):
    full, _ = rescue
    db = tmp_path / "killed.db"
    # Killed once the entries are being rescued, with their photos and documents owed.
    fetched = killed_then_resumed(replica, rescue_args(replica, db), 250)
    assert len(fetched[0]) >= 200 and fetched[1]
    assert len(fetched[0] & fetched[1]) <= 2  # at most the answer in flight when killed (and its redirect)
    for table in ("articles", "albums", "photos", "attachments", "sections", "article_sections"):
        assert (
            rows(db, f"select count(*) n from {table}")[0]["n"] == rows(full, f"select count(*) n from {table}")[0]["n"]
        )
    replayed = {unquote(urlsplit(path.split("_/", 1)[1]).path) for path in fetched[0] | fetched[1] if "_/" in path}
    assert {path for path, truth in wanted_files(replica).items() if truth.good} <= replayed
    assert replica.violations == 0


def test_a_home_page_captured_only_as_a_redirect_to_the_news_list_leads_the_rescue_there(tmp_path):
    # Its home page: a 302 to /Tintuc/ on every date, which leads to older copies than the list's newest.
    news_only = WaybackReplica(LIMITS)
    db = tmp_path / "archive.db"
    with news_only.serve():
        cli(*rescue_args(news_only, db))
    assert [tuple(r) for r in rows(db, "select url from sections")] == [(f"{SITE}/Tintuc/",)]
    archived = {row["url"] for row in rows(db, "select url from articles")}
    assert archived == {SITE + t.path for t in news_only.truth.rescuable}
    lost = {row["url"] for row in rows(db, "select url from crawl_errors where kind = 'article'")}
    assert lost == {SITE + t.path for t in news_only.truth.articles.values() if t.lost and (t.captures or t.listed_at)}


def test_crawl_portals_from_the_web_archive_rescues_a_gone_portal_whole(replica, rescue, tmp_path):
    full, _ = rescue
    registry = tmp_path / "portals.csv"
    registry.write_text(
        "id,province,district,start_url,status,gone_since\n"
        f"huyen-dien-bien,Điện Biên,Điện Biên,{HOME},gone,2025-07-01\n",
        encoding="utf-8",
    )
    archives = tmp_path / "archives"
    cli(
        "crawl", "--portals", str(registry), "--archive-dir", str(archives), "--source", "wayback",
        "--cdx-url", replica.cdx_url, "--replay-url", replica.replay_url, "--delay", "0",
    )  # fmt: skip
    db = archives / "huyen-dien-bien" / "archive.db"
    for table in ("sections", "articles", "albums", "attachments"):
        assert {r["url"] for r in rows(db, f"select url from {table}")} == {
            r["url"] for r in rows(full, f"select url from {table}")
        }, table
