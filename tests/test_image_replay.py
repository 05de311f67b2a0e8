"""Article images shown from the crawl's WARC files once the portal is gone (`archive/web/image_replay.py`)."""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import crawl, fetch, get, rows, serving

from replica.images import image_for
from replica.server import ReplicaOptions, start


@pytest.fixture(scope="module")
def gone_portal(tmp_path_factory) -> Iterator[tuple[str, str, Path, Path]]:
    """A small replica crawled with and without WARC capture, then stopped (the portal is gone); the archive with
    WARCs served: (base URL, the replica's origin, db with WARCs, db without)."""
    with start(ReplicaOptions(n_articles=60)) as replica:
        with_warc = tmp_path_factory.mktemp("with-warc") / "archive.db"
        without_warc = tmp_path_factory.mktemp("without-warc") / "archive.db"
        crawl(replica, with_warc)
        crawl(replica, without_warc, "--no-warc")
        origin = replica.origin
    with serving(with_warc) as base:
        yield base, origin, with_warc, without_warc


def _illustrated(db: Path) -> dict:
    """The first article with an image: its id and its first image's URL."""
    return rows(db, "select article_id as id, url from images order by article_id, position limit 1")[0]


def _request(base: str, path: str) -> http.client.HTTPResponse:
    """GET without following redirects."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    connection.request("GET", path)
    return connection.getresponse()


def test_article_page_shows_its_images_from_the_archive(gone_portal):
    base, origin, db, _ = gone_portal
    article = _illustrated(db)
    status, page = get(f"{base}/archive/articles/{article['id']}")
    assert status == 200
    sources = re.findall(r'<img[^>]* src="([^"]*)"', page)
    assert sources and all(src.startswith("/-/image?url=") for src in sources), sources
    assert f'src="/-/image?url={quote(article["url"], safe="")}"' in page
    assert f'src="{origin}' not in page


def test_image_comes_from_the_warc_as_the_portal_sent_it(gone_portal):
    base, _, db, _ = gone_portal
    urls = [row["url"] for row in rows(db, "select distinct url from images")]
    assert len(urls) >= 5
    for url in urls:
        response = _request(base, f"/-/image?url={quote(url, safe='')}")
        content_type, body = image_for(unquote(urlsplit(url).path))
        assert response.status == 200, url
        assert response.getheader("Content-Type").startswith(content_type)
        assert response.read() == body, url
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert "sandbox" in response.getheader("Content-Security-Policy")
        assert response.getheader("Memento-Datetime").endswith(" GMT")


def test_only_the_archives_images_are_served(gone_portal):
    base, origin, db, _ = gone_portal
    article_url = rows(db, "select url from articles limit 1")[0]["url"]
    for url in (article_url, f"{origin}/robots.txt", "http://example.org/x.png", "javascript:alert(1)", ""):
        status, _ = fetch(f"{base}/-/image?url={quote(url, safe='')}")
        assert status == 404, url


def test_image_not_in_the_warcs_links_to_the_original(gone_portal):
    """An archive crawled with `--no-warc` has no copy: the image route sends the reader to the original."""
    _, _, _, without_warc = gone_portal
    url = _illustrated(without_warc)["url"]
    with serving(without_warc) as base:
        response = _request(base, f"/-/image?url={quote(url, safe='')}")
    assert response.status == 302
    assert response.getheader("Location") == url
