"""The photo library's gallery and an article's attachments in Chromium (Playwright), served from the WARC files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import cli, rows, serving
from playwright.sync_api import expect, sync_playwright

from replica.portal import DECISION, SCAN
from replica.server import Replica, ReplicaOptions, start

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def reading_room(tmp_path_factory) -> Iterator[tuple[object, str, Path, Replica]]:
    """A whole-portal archive of the replica, served, and a Chromium page: (page, base URL, db, replica)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is needed at /usr/bin/chromium (`.ci/run` installs it)")
    db = tmp_path_factory.mktemp("whole") / "archive.db"
    with start(ReplicaOptions(40, 7, "cms")) as replica:
        cli("crawl", "--start-url", replica.origin + "/", "--db", str(db), "--delay", "0")
        with serving(db) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                yield browser.new_page(accept_downloads=True), base, db, replica
            finally:
                browser.close()


def test_gallery_shows_the_albums_photos_and_captions_from_the_archive(reading_room) -> None:
    page, base, db, replica = reading_room
    album = next(a for a in replica.portal.albums if any(p.caption for p in a.photos))
    (row,) = rows(db, "select id from albums where url = ?", (replica.origin + album.path,))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{base}/-/album/{row['id']}")
    expect(page.locator("article.gallery h1")).to_have_text(album.title)
    images = page.locator(".gallery-photos img")
    expect(images).to_have_count(len(album.photos))
    for image in images.all():
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "a photo did not load"
    captions = [" ".join(p.caption.split()) for p in album.photos if p.caption]
    assert page.locator(".gallery-photos figcaption").all_inner_texts() == captions
    assert not [url for url in asked if url.startswith(replica.origin)], "the gallery loaded something from the portal"


def test_article_lists_its_attachments_and_downloads_them_from_the_warc(reading_room) -> None:
    page, base, db, replica = reading_room
    notice = next(a for a in replica.portal.articles if DECISION in replica.portal.attachments(a))
    (article,) = rows(db, "select id from articles where url = ?", (replica.origin + notice.path,))
    page.goto(f"{base}/archive/articles/{article['id']}")
    item = page.locator(".article-attachments li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"{DECISION.filename} (application/pdf, {len(DECISION.body):,} bytes)")
    before = len(replica.request_log)
    with page.expect_download() as download:
        item.locator("a").click()
    saved = download.value.path()
    assert download.value.suggested_filename == DECISION.filename
    assert hashlib.sha256(Path(saved).read_bytes()).hexdigest() == DECISION.sha256
    assert len(replica.request_log) == before, "the download came from the portal, not the archive"
    response = page.request.get(base + item.locator("a").get_attribute("href"))
    headers = response.headers
    assert headers["content-disposition"].startswith("attachment")
    assert headers["x-content-type-options"] == "nosniff" and "sandbox" in headers["content-security-policy"]
    scanned = next(a for a in replica.portal.articles if SCAN in replica.portal.attachments(a))
    (row,) = rows(db, "select id from articles where url = ?", (replica.origin + scanned.path,))
    page.goto(f"{base}/archive/articles/{row['id']}")
    expect(page.locator(".article-attachments")).to_contain_text("scanned: no text layer")
