"""The portal replica (a test tool): corpus, routes, special behaviours and themes, over real HTTP."""

import re
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from replica.corpus import SPECIAL, generate
from replica.pages import render_article
from replica.server import Replica, ReplicaOptions, start
from replica.themes import THEMES

SMALL = ReplicaOptions(n_articles=40, seed=7)


class _Visible(HTMLParser):
    """Visible text (no script/style) and class names of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.classes: set[str] = set()
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")
        self.classes.update((dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def visible(html: str) -> tuple[str, set[str]]:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.text).split()), parser.classes


def fetch(replica: Replica, path: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(replica.origin + path) as response:
            body = response.read()
            assert int(response.headers["Content-Length"]) == len(body)
            return response.status, response.headers["Content-Type"], body
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    with start(SMALL) as running:
        yield running


def by_name(replica: Replica, name: str):
    return next(article for article in replica.articles if article.slug == SPECIAL[name])


def test_corpus_is_deterministic_newest_first_with_every_special() -> None:
    articles = generate(40, 7)
    assert articles == generate(40, 7) != generate(40, 8)
    assert [a.published for a in articles] == sorted((a.published for a in articles), reverse=True)
    assert set(SPECIAL.values()) <= {a.slug for a in articles}
    assert SPECIAL["portal-example"] == "HUYEN-DIEN-BIEN-70-NAM-PHAN-DAU---XAY-DUNG---TRUONG-THANH"
    seed = next(a for a in articles if a.slug == SPECIAL["seed"])
    assert seed.expected.title.endswith("mỗi xã một sản phẩn (OCOP), huyện Điện Biên năm 2020")
    assert seed.expected.published == "2020-09-17T15:13:30+07:00"
    assert seed.expected.author == "Nguyễn Hoài Nam – Trung tâm VH-TT-TH huyện"
    assert seed.expected.images == ("http://huyendienbien.gov.vn/Uploads/2020/IMG_0444.jpg",)
    assert all(3 <= len(a.blocks) <= 10 for a in articles if "seed" not in a.quirks)


def test_routes(replica: Replica) -> None:
    status, kind, body = fetch(replica, "/robots.txt")
    assert (status, kind) == (200, "text/plain; charset=utf-8")
    assert b"Disallow: /Admin/" in body and b"Disallow: /T/NOI-BO" in body
    status, kind, body = fetch(replica, "/tintuc")
    text, _ = visible(body.decode())
    assert (status, kind) == (200, "text/html; charset=utf-8") and "1-10 of 40" in text
    links = re.findall(r'href="(/T/[^"]+)"', body.decode())
    assert len(set(links)) == 10 and all(link.endswith("?PageIndex=1") for link in links)
    assert "31-40 of 40" in visible(fetch(replica, "/Tintuc/?PageIndex=4")[2].decode())[0]
    assert fetch(replica, "/Tintuc/?PageIndex=5")[0] == 404
    seed = by_name(replica, "seed")
    first, second = (fetch(replica, f"{seed.path}?PageIndex={page}")[2].decode() for page in (1, 2))
    assert seed.title in visible(first)[0] and "1-10 of 40" in first and "11-20 of 40" in second
    status, kind, body = fetch(replica, "/Uploads/2020/IMG_0444.jpg")
    assert (status, kind, body[:2]) == (200, "image/jpeg", b"\xff\xd8")
    assert body == fetch(replica, "/Uploads/2020/IMG_0444.jpg")[2] != fetch(replica, "/Uploads/x.jpg")[2]
    assert fetch(replica, "/Uploads/a.png")[2].startswith(b"\x89PNG")
    assert fetch(replica, "/T/NO-SUCH-ARTICLE")[0] == fetch(replica, "/Admin/")[0] == 404


def test_special_behaviours(replica: Replica) -> None:
    assert fetch(replica, by_name(replica, "dead").path)[0] == 404
    flaky = by_name(replica, "flaky").path
    assert [fetch(replica, f"{flaky}?PageIndex={n}")[0] for n in (1, 2, 1)] == [500, 200, 200]
    assert by_name(replica, "forbidden").path.startswith("/T/NOI-BO")
    assert replica.hits[f"{flaky}?PageIndex=1"] == 2
    nfd = fetch(replica, by_name(replica, "nfd").path)[2].decode()
    assert unicodedata.is_normalized("NFD", nfd)
    assert by_name(replica, "nfd").expected.title in unicodedata.normalize("NFC", nfd)
    page = fetch(replica, by_name(replica, "script-injection").path)[2].decode()
    text, _ = visible(page)
    assert "<script>alert(1)</script>" in page and 'id="injected"' in page and "javascript:alert(3)" in page
    assert by_name(replica, "script-injection").expected.title in text and "mã độc" not in text
    escaped = by_name(replica, "html-escape")
    assert "&amp; phòng, chống rét" in fetch(replica, escaped.path)[2].decode()
    absolute = by_name(replica, "absolute-image")
    assert absolute.image_urls(replica.origin)[0] in fetch(replica, absolute.path)[2].decode()


def test_themes_show_the_same_text_with_different_markup() -> None:
    texts, classes = [], []
    for theme in THEMES:
        with start(ReplicaOptions(40, 7, theme)) as replica:
            seed = by_name(replica, "seed")
            text, names = visible(fetch(replica, f"{seed.path}?PageIndex=3")[2].decode())
            no_label = visible(fetch(replica, by_name(replica, "no-author-label").path)[2].decode())[0]
            empty_label = visible(fetch(replica, by_name(replica, "empty-author").path)[2].decode())[0]
        for needed in (seed.expected.title, "Thời gian đăng: 17/09/2020 03:13:30 PM", "Các tin bài khác:"):
            assert needed in text, (theme, needed)
        assert f"Tác giả: {seed.expected.author}" in text and "21-30 of 40" in text
        assert "Tác giả:" not in no_label and "Tác giả:" in empty_label
        texts.append(text)
        classes.append(names)
    assert all(not (one & other) for i, one in enumerate(classes) for other in classes[i + 1 :])


def test_same_options_same_bytes_and_fast_rendering() -> None:
    with start(SMALL) as one, start(SMALL) as two:
        seed = by_name(one, "seed").path
        for path in ("/Tintuc/?PageIndex=2", f"{seed}?PageIndex=2"):
            assert fetch(one, path)[2] == fetch(two, path)[2]
        assert len(one.request_log) == len(two.request_log) == 2
    articles = generate()
    began = time.perf_counter()
    for index in range(0, len(articles), 10):
        render_article(articles, articles[index], index // 10 + 1)
    assert (time.perf_counter() - began) / len(range(0, len(articles), 10)) < 0.005
