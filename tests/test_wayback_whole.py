"""Rescue of the whole portal from a real pywb: WARCs of the whole replica portal (home pages, every section's
pages, every entry, photo, image and document), read back by a real `portal-archive crawl --source wayback`
started at the portal's home page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import body_text, cli, rows

from replica.model import SITE, collapse
from replica.portal import BROKEN, MAP_PATH
from replica.server import ReplicaOptions, free_port, start
from replica.webarchive import LAST_DAY, Snapshot, image_snapshots, make_collection, serve, write_warc
from scraper.urls import article_id


@pytest.fixture(scope="module")
def rescued(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict[str, int], Path]]:
    root = tmp_path_factory.mktemp("whole-pywb")
    with start(ReplicaOptions(n_articles=30)) as replica:
        portal = replica.portal
        paths = ["/", MAP_PATH, *(sub.path for sub in portal.sub_sites)]
        for section in portal.sections:
            paths += [section.path, *(f"{section.path}?PageIndex={page}" for page in range(2, section.pages + 1))]
        paths += [entry.path for section in portal.sections for entry in (*section.articles, *section.albums)]
        paths += [photo.src for album in portal.albums for photo in album.photos]
        paths += [document.path for document in portal.documents]
        snapshots = [Snapshot(path, LAST_DAY + timedelta(seconds=i)) for i, path in enumerate(dict.fromkeys(paths))]
        snapshots += image_snapshots(portal.articles, LAST_DAY + timedelta(hours=1))
        written = write_warc(replica, root / "whole.warc.gz", snapshots)
    make_collection(root, "whole", [root / "whole.warc.gz"])
    db = root / "archive.db"
    with serve(root, free_port(), "whole") as base:
        cli(
            "crawl", "--source", "wayback", "--start-url", f"{SITE}/", "--db", str(db), "--cdx-url",
            f"{base}/whole/cdx", "--replay-url", f"{base}/whole/", "--delay", "0",
        )  # fmt: skip
    yield replica, {snapshot.path: status for snapshot, status in written}, db


def test_every_section_entry_photo_and_document_is_rescued_from_pywb(rescued):
    replica, status, db = rescued
    portal = replica.portal
    sections = {row["url"]: row for row in rows(db, "select * from sections")}
    assert {url: (row["title"], row["parent"]) for url, row in sections.items()} == {
        SITE + s.path: (s.title, SITE + s.parent.path if s.parent else None) for s in portal.sections
    }
    articles = {row["url"]: row for row in rows(db, "select * from articles")}
    good = [a for a in portal.articles if status[a.path] == 200]
    assert set(articles) == {SITE + a.path for a in good} and len(good) >= len(portal.articles) - 2
    for article in good:
        row = articles[SITE + article.path]
        assert (row["title"], row["body_text"]) == (article.expected.title, body_text(article))
    albums = {row["url"]: row for row in rows(db, "select * from albums")}
    assert set(albums) == {SITE + album.path for album in portal.albums}
    for album in portal.albums:
        photos = rows(
            db, "select url, caption from photos where album_id = ? order by position", (article_id(SITE + album.path),)
        )
        assert [tuple(p) for p in photos] == [(SITE + p.src, p.caption and collapse(p.caption)) for p in album.photos]
    attachments = {row["url"]: row["sha256"] for row in rows(db, "select url, sha256 from attachments")}
    assert attachments == {SITE + d.path: d.sha256 for d in portal.documents}
    errors = rows(db, "select url, error, kind from crawl_errors where resolved_at is null")
    assert {row["url"] for row in errors if row["kind"] is None} == {SITE + BROKEN.path}
    lost = {row["url"] for row in errors if row["kind"]}
    assert lost == {SITE + a.path for a in portal.articles if status[a.path] != 200} | {SITE + "/Admin/Login.aspx"}
