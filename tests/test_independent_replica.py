"""Self-test of replica.independent: it serves, counts requests, and its truth matches its pages."""

from __future__ import annotations

import itertools
import re
import struct
import unicodedata
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest

from replica.independent import IndependentPortal, _clock


class _Text(HTMLParser):
    """Visible text, tags dropped, nothing inserted between elements."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("script", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def text_of(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return "".join(parser.parts)


def get(url: str, method: str = "GET") -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def entries(markup: str) -> list[str]:
    return re.findall(r'class="tt-link" href="([^"]+)"', markup)


def pager_text(markup: str, css: str = "pg-list") -> str:
    block = re.search(rf'<div class="{css}"[^>]*>(.*?)</div>', markup).group(1)
    assert not re.search(r">\s+<", block), "pager parts must run together"
    return text_of(block)


def test_list_pages_link_every_article_newest_first() -> None:
    portal = IndependentPortal(n_articles=64, pager="truthful", beyond="empty", seed=7)
    assert portal.last_page == 7
    with portal.serve() as base:
        assert portal.list_url == base + "/Tintuc/?PageIndex=1"
        seen = []
        for page in range(1, portal.last_page + 1):
            status, body = get(f"{base}/Tintuc/?PageIndex={page}")
            assert status == 200
            links = entries(body.decode())
            assert all(link.endswith(f"?PageIndex={page}") for link in links)
            seen += [link.split("?")[0] for link in links]
        assert seen == [a.path for a in portal.articles]
        first = get(base + "/tintuc")[1].decode()
        assert pager_text(first).startswith("1-10 of 6412345")  # the total runs into the page numbers
        assert entries(first) == entries(get(base + "/TINTUC/")[1].decode())
        assert pager_text(get(base + "/Tintuc/?PageIndex=7")[1].decode()) == "61-64 of 64«...34567"
        assert portal.count("list") == 10


def test_article_pages_show_the_truth() -> None:
    portal = IndependentPortal(n_articles=25, seed=3)
    with portal.serve() as base:
        for i, art in enumerate(portal.articles):
            path = art.path.lower() if i % 2 else art.path
            status, body = get(f"{base}{path}?PageIndex={i % 4 + 1}")
            assert status == 200
            markup = body.decode()
            text = text_of(markup)
            assert "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN ĐIỆN BIÊN" in text
            assert art.title in text
            assert f"Thời gian đăng: {_clock(art.published)}" in text
            for para in art.paragraphs:
                assert para in text
            for src, caption in art.images:
                assert f'src="{src}"' in markup
                assert caption is None or caption in text
            assert ("Tác giả: " in text) == (art.author is not None)
            if art.author:
                assert f"Tác giả: {art.author}" in text
            for label in ("Các tin bài khác:", "Ảnh đẹp huyện Điện Biên", "Thư viện ảnh", "Bản đồ hành chính"):
                assert label in text
            assert "Liên kết Website" in text and 'href="http://dienbien.gov.vn"' in markup
            assert re.search(r"Tổng truy cập:\d+", text)
            assert len(re.findall(r'class="on-link"><a href="/T/', markup)) == {1: 10, 2: 10, 3: 4, 4: 0}[i % 4 + 1]
            assert re.fullmatch(r"\d+-\d+ of 24.*", pager_text(markup, "pg-other"))
        assert portal.count("article") == 25
        assert get(base + "/T/NO-SUCH-ARTICLE")[0] == 404


@pytest.mark.parametrize("mode", ["truthful", "too_big", "too_small", "none", "run_on_digits"])
def test_pager_modes(mode: str) -> None:
    portal = IndependentPortal(n_articles=64, pager=mode, seed=7)
    with portal.serve() as base:
        pages = {p: pager_text(get(f"{base}/Tintuc/?PageIndex={p}")[1].decode()) for p in (1, 4, 7)}
    declared = {p: re.match(r"\d+-\d+ of (\d+)", t) for p, t in pages.items()}
    if mode == "none":
        assert all(m is None for m in declared.values()) and pages[1] == "12345...»"
        return
    if mode == "truthful":
        assert pages[4].startswith("31-40 of 64«")
    if mode == "too_big":
        assert pages[4].startswith("31-40 of 6412345«") and pages[7].startswith("61-70 of 6412345«")
        assert pages[7].endswith("»")  # the links never reveal the real end
    if mode == "too_small":
        assert pages[1].startswith("1-10 of 20") and pages[4].startswith("31-40 of 20«") and not pages[4].endswith("»")
    if mode == "run_on_digits":
        assert pages[4].startswith("31-40 of 64") and int(declared[4].group(1)) > 640


@pytest.mark.parametrize("beyond", ["empty", "404", "repeat_first"])
def test_beyond_the_last_page(beyond: str) -> None:
    portal = IndependentPortal(n_articles=64, beyond=beyond, seed=7)
    with portal.serve() as base:
        first = entries(get(base + "/Tintuc/?PageIndex=1")[1].decode())
        status, body = get(base + "/Tintuc/?PageIndex=8")
        markup = body.decode()
        if beyond == "404":
            assert status == 404
        elif beyond == "empty":
            assert status == 200 and entries(markup) == [] and "Thống kê truy cập" in markup
            assert pager_text(markup).startswith("71-70 of 64")
        else:
            assert status == 200 and entries(markup) == first
        assert portal.requests[-1].status == status


def test_images_robots_other_and_counts() -> None:
    portal = IndependentPortal(n_articles=12, seed=1)
    with portal.serve() as base:
        status, jpeg = get(base + "/Uploads/images/IMG_0444.jpg")
        assert status == 200 and jpeg[:2] == b"\xff\xd8" and jpeg[-2:] == b"\xff\xd9"
        pos = 2
        while jpeg[pos + 1] != 0xDA:  # walk the segments up to the scan
            assert jpeg[pos] == 0xFF
            pos += 2 + struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        assert get(base + "/uploads/images/no-image.png")[1][:8] == b"\x89PNG\r\n\x1a\n"
        status, robots = get(base + "/robots.txt")
        assert status == 200 and b"Disallow: /Admin/" in robots
        assert get(base + "/")[0] == 404 and get(base + "/Admin/")[0] == 404
        assert get(base + "/Tintuc/?PageIndex=1", method="HEAD") == (200, b"")
        counts = {k: portal.count(k) for k in ("list", "article", "image", "robots", "other")}
    assert counts == {"list": 1, "article": 0, "image": 2, "robots": 1, "other": 2}
    assert [r.status for r in portal.requests] == [200, 200, 200, 404, 404, 200]
    assert all(a.at <= b.at for a, b in itertools.pairwise(portal.requests))
    with pytest.raises(RuntimeError):
        _ = portal.list_url


def test_truth_is_deterministic_and_varied() -> None:
    arts = IndependentPortal(n_articles=64, seed=7).articles
    assert arts == IndependentPortal(n_articles=64, seed=7).articles
    assert arts != IndependentPortal(n_articles=64, seed=8).articles
    assert all(a.published > b.published for a, b in itertools.pairwise(arts))
    clocks = {_clock(a.published)[11:] for a in arts}
    assert {"12:05:10 AM", "12:30:00 PM"} <= clocks
    assert any(a.author is None for a in arts) and any(a.author and " – " in a.author for a in arts)
    assert any(not unicodedata.is_normalized("NFC", a.paragraphs[0]) for a in arts)
    assert any("Ð" in p for a in arts for p in a.paragraphs)
    assert len({a.path for a in arts}) == 64
    assert all(re.fullmatch(r"/T/[A-Z0-9-]+", a.path) for a in arts)
