"""The whole portal rescued from the independently written Wayback imitation (`replica.wayback_independent`,
`whole=True`; its author read none of the crawler): started at the dead portal's home page over real HTTP, by real
`portal-archive crawl --source wayback` processes, checked against the imitation's own truth and request log."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, assert_reads_as, cli, nfc, rows
from test_rescue_whole import warc_payloads

from replica.independent import ALBUM_LIST
from replica.wayback_independent import NOTICE_TEXT, IndependentWayback, WaybackRequest

CDX_LIMIT = 200  # rows a CDX answer holds: the host's captures come in several pages, by resume key
NEIGHBOUR = "muongnhe.dienbien.gov.vn"  # another gone portal the same archive holds
DEAD = ("notice", "province_redirect", "parked")
JUNK = (NOTICE_TEXT[:40], "Không tìm thấy trang", "Server Error in '/' Application", "Đăng nhập hệ thống", "domain")


@pytest.fixture(scope="module")
def wayback() -> Iterator[IndependentWayback]:
    archive = IndependentWayback(n_articles=30, seed=11, cdx_per_minute=60, replay_per_minute=900, cdx_burst=3,
                                 replay_burst=10, whole=True)  # fmt: skip
    archive.hold(IndependentWayback(n_articles=12, seed=3, host=NEIGHBOUR))
    with archive.serve():
        yield archive


def rescue_args(wayback: IndependentWayback, db: Path) -> list[str]:
    return [
        "crawl", "--source", "wayback", "--start-url", wayback.home, "--db", str(db), "--cdx-url", wayback.cdx_url,
        "--replay-url", wayback.replay_url, "--delay", "0", "--cdx-limit", str(CDX_LIMIT),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def rescue(wayback: IndependentWayback, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[WaybackRequest]]:
    db = tmp_path_factory.mktemp("whole-independent") / "archive.db"
    before = len(wayback.requests)
    cli(*rescue_args(wayback, db), timeout=600)
    return db, wayback.requests[before:]


def own_captures(wayback: IndependentWayback) -> list:
    """The captures of the rescued portal (the archive holds another's too)."""
    return [c for c in wayback.captures if urlsplit(c.original).hostname.endswith(wayback.host)]


def iso(timestamp: str) -> str:
    return datetime.strptime(timestamp, "%Y%m%d%H%M%S").isoformat() + "+00:00"


def key(url: str) -> str:
    """A URL's path, lower-cased, without its query: how IIS and the CDX tell one page from another."""
    return urlsplit(url).path.lower()


def test_the_imitation_holds_what_its_truth_says(wayback):
    truth = wayback.whole_truth
    assert truth.home[-1] in DEAD and "home" in truth.home  # the newest capture of / is the dead site's
    for kind in ("album", "photo", "attachment"):
        assert truth.of(kind, True) and truth.of(kind, False), kind
    reasons = {t.lost_reason for t in truth.albums + truth.photos + truth.attachments if not t.recoverable}
    assert "never captured" in reasons and "only bad captures: notice" in reasons
    sections = {s.path for s in truth.sections} | {ALBUM_LIST}
    for url, ts in wayback.list_truth.items():  # every page of every list has a good capture
        assert ts and key(url).rsplit("?")[0] in {p.lower() for p in sections}
    assert len({key(url) for url in wayback.list_truth}) == len(sections)


def test_sections_come_from_the_newest_good_capture_of_the_home_page(wayback, rescue):
    db, _ = rescue
    sections = {key(r["url"]): r for r in rows(db, "select * from sections")}
    truth = wayback.whole_truth.sections
    assert set(sections) == {s.path.lower() for s in truth} | {ALBUM_LIST.lower()}  # no notice page is a section
    for section in truth:
        row = sections[section.path.lower()]
        assert (nfc(row["title"]), row["declared_total"]) == (nfc(section.title), len(section.articles))
        assert (row["parent"] and key(row["parent"])) == (section.parent and section.parent.lower())
    listed = {
        (r["url"], key(r["section"]))
        for r in rows(
            db,
            "select a.url, s.url section from article_sections j join articles a on a.id = j.article_id"
            " join sections s on s.id = j.section_id",
        )
    }
    for t in wayback.truth:
        if t.recoverable:
            for section in t.article.sections:
                assert (t.url, section.lower()) in listed, (t.url, section)


def test_every_recoverable_article_once_with_its_newest_good_content(wayback, rescue):
    db, _ = rescue
    stored = {row["url"]: row for row in rows(db, "select * from articles")}
    recoverable = [t for t in wayback.truth if t.recoverable]
    assert {t.url for t in recoverable} == set(stored)  # one row each, no notice, error, login or redirect page
    assert len({t.article.sections[0] for t in recoverable}) == 3  # from every section
    for t in recoverable:
        row = stored[t.url]
        assert_reads_as(row, t.article)
        assert row["source"] == "wayback"
        assert (row["captured_at"], row["last_seen_at"]) == (iso(t.last_seen_good), iso(t.last_seen_good)), t.url
    for row in stored.values():
        assert not any(junk in (row["title"] + row["body_text"]) for junk in JUNK), row["url"]


def test_albums_and_their_photos_from_good_captures_only(wayback, rescue):
    db, _ = rescue
    truth = wayback.whole_truth
    albums = {row["url"]: row for row in rows(db, "select * from albums")}
    assert set(albums) == {t.url for t in truth.of("album", True)}
    library = rows(db, "select id from sections where url like ?", (f"%{ALBUM_LIST}",))[0]["id"]
    for t in truth.of("album", True):
        album, row = t.item, albums[t.url]
        published = album.published.isoformat() + "+07:00" if album.published else None
        assert (row["title"], row["published_at"], row["section"]) == (nfc(album.title), published, library)
        photos = rows(db, "select url, caption, alt from photos where album_id = ? order by position", (row["id"],))
        assert [tuple(p) for p in photos] == [
            (wayback.http + path, nfc(caption), nfc(alt)) for path, caption, alt in album.photos
        ]
    payloads = warc_payloads(db)
    for photo in truth.of("photo", True):
        assert payloads[(urlsplit(photo.url).path, photo.sha256)] == 1, photo.url  # its bytes, once


def test_no_copy_that_is_not_the_file_is_kept_in_the_warc(wayback, rescue):
    # A photo's or document's capture cut short (shorter than its Content-Length) or the dead site's notice at its
    # URL is not the file: the WARC files keep the good copy alone, so that whoever replays them gets the file.
    db, _ = rescue
    payloads = warc_payloads(db)
    truth = wayback.whole_truth
    kinds = {(key(c.original), hashlib.sha256(c.body).hexdigest()): f"{c.kind} {c.timestamp}" for c in wayback.captures}
    kept = {}
    for item in truth.photos + truth.attachments:
        held = {sha: n for (path, sha), n in payloads.items() if path == urlsplit(item.url).path}
        if held != ({item.sha256: 1} if item.recoverable else {}):
            kept[item.url] = sorted(f"{kinds.get((key(item.url), sha), sha)} x{n}" for sha, n in held.items())
    assert kept == {}


def test_documents_from_good_captures_only_with_their_text(wayback, rescue):
    db, _ = rescue
    truth = wayback.whole_truth
    stored = {row["url"]: row for row in rows(db, "select * from attachments")}
    assert set(stored) == {t.url for t in truth.of("attachment", True)}
    for t in truth.of("attachment", True):
        row, document = stored[t.url], t.item
        assert (row["sha256"], row["size"]) == (t.sha256, document.size), t.url  # not the cut copy, nor a notice
        if document.unique_word:
            assert document.unique_word in row["text"]
    broken = next(t.url for t in truth.attachments if t.item.broken)
    assert rows(db, "select error from crawl_errors where url = ?", (broken,))[0]["error"].startswith("unreadable")


def test_what_is_lost_is_named_by_kind(wayback, rescue):
    db, _ = rescue
    named: dict[str, dict[str, object]] = {}
    for row in rows(db, "select * from crawl_errors where reasons is not null"):
        named.setdefault(row["kind"], {})[row["url"]] = row
    lost = [t for t in wayback.truth if not t.recoverable]
    assert set(named["article"]) == {t.url for t in lost}
    for t in lost:
        assert nfc(named["article"][t.url]["title"]) == nfc(t.article.title)
        if t.lost_reason == "never captured":
            assert named["article"][t.url]["reasons"] == "never-captured"
    for kind in ("album", "photo", "attachment"):
        assert set(named[kind]) == {t.url for t in wayback.whole_truth.of(kind, False)}, kind
    status = cli("status", "--db", str(db)).stdout
    recoverable = sum(t.recoverable for t in wayback.truth)
    assert f"rescued from the web archive: {recoverable} articles; known but lost: {len(lost)}" in status


def outside_retry_after(log: list[WaybackRequest]) -> list[WaybackRequest]:
    """Requests sent to an endpoint before the Retry-After of a 429 it answered had passed (from the server's log:
    ``at`` is when an answer was logged, so a request is inside a window when logged less than Retry-After after
    the 429, less a little for the time between logging one answer and reading the next)."""
    inside = []
    for kind in ("cdx", "replay"):
        mine = [r for r in log if r.kind == kind]
        for i, refused in enumerate(mine):
            if refused.status == 429 and refused.retry_after:
                end = refused.at + refused.retry_after - 0.05
                inside += [r for r in mine[i + 1 :] if r.at < end]
    return inside


def test_requests_stay_within_bounds_and_none_falls_inside_a_retry_after_window(wayback, rescue):
    _, log = rescue
    answered = Counter(r.kind for r in log if r.status != 429)
    own = own_captures(wayback)
    assert answered["cdx"] <= len(own) // CDX_LIMIT + 1  # one prefix query of the host, paged
    # Replay: at most each content (digest) once per page, entry or file; every other capture is known from its row.
    contents = {(key(c.original), c.digest) for c in own if c.statuscode in ("200", "-")}
    assert answered["replay"] <= len(contents)
    truth = wayback.whole_truth
    items = sum(t.recoverable for t in wayback.truth) + len(wayback.list_truth) + len(wayback.page_truth)
    items += sum(len(truth.of(kind, True)) for kind in ("album", "photo", "attachment"))
    items += sum(wayback.image_truth.get(p, False) for t in wayback.truth if t.recoverable for p, _ in t.article.images)
    assert answered["replay"] <= 2 * items
    assert Counter(r.status for r in log)[429] > 0  # the limits were hit ...
    assert outside_retry_after(log) == [] and wayback.violations == 0  # ... and honoured
    replayed = Counter(r.path for r in log if r.kind == "replay" and r.status != 429)
    assert max(replayed.values()) == 1  # nothing replayed twice


def test_nothing_of_another_site_the_archive_holds_is_asked_for_or_kept(wayback, rescue):
    db, log = rescue
    assert not [r.path for r in log if NEIGHBOUR in unquote(r.path)]
    for table in ("articles", "albums", "photos", "attachments", "sections", "crawl_errors"):
        assert not rows(db, f"select url from {table} where url like ?", (f"%{NEIGHBOUR}%",)), table


def test_a_second_rescue_replays_nothing(wayback, rescue):
    db, _ = rescue
    before = len(wayback.requests)
    cli(*rescue_args(wayback, db), timeout=600)
    again = Counter(r.kind for r in wayback.requests[before:] if r.status != 429)
    assert again["replay"] == 0 and again["cdx"] <= len(own_captures(wayback)) // CDX_LIMIT + 1


def test_a_rescue_killed_mid_way_completes_on_a_re_run_without_fetching_twice(wayback, rescue, tmp_path):
    full, log = rescue
    db = tmp_path / "killed.db"
    wayback.reset_limits()
    before = len(wayback.requests)
    halfway = sum(r.kind == "replay" and r.status != 429 for r in log) // 2
    process = subprocess.Popen([sys.executable, "-m", "archive.cli", *rescue_args(wayback, db)], cwd=ROOT)
    deadline = time.monotonic() + 300
    replays = lambda: sum(r.kind == "replay" and r.status != 429 for r in wayback.requests[before:])  # noqa: E731
    while replays() < halfway and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    first = wayback.requests[before:]
    middle = len(wayback.requests)
    cli(*rescue_args(wayback, db), timeout=600)
    second = wayback.requests[middle:]
    fetched = [{r.path for r in run if r.kind == "replay" and r.status != 429} for run in (first, second)]
    assert len(fetched[0]) >= halfway - 2 and fetched[1]
    assert len(fetched[0] & fetched[1]) <= 2  # at most the answer in flight when killed (and its redirect)
    for table, column in (("articles", "url"), ("albums", "url"), ("attachments", "sha256"), ("sections", "url"),
                          ("photos", "url"), ("article_sections", "article_id || section_id")):  # fmt: skip
        done = sorted(r[0] for r in rows(db, f"select {column} from {table}"))
        assert done == sorted(r[0] for r in rows(full, f"select {column} from {table}")), table
    wanted = {key(t.url) for t in wayback.whole_truth.photos + wayback.whole_truth.attachments if t.recoverable}
    replayed = {key(unquote(path.split("_/", 1)[1])) for path in fetched[0] | fetched[1] if "_/" in path}
    assert wanted <= replayed
    assert outside_retry_after(first + second) == [] and wayback.violations == 0
