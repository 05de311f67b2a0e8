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


# --- the whole portal (whole=True) -------------------------------------------------------------------------------

import hashlib  # noqa: E402
import io  # noqa: E402
import zipfile  # noqa: E402
import zlib  # noqa: E402
from collections import deque  # noqa: E402
from urllib.parse import parse_qsl, urljoin, urlsplit  # noqa: E402
from xml.etree import ElementTree  # noqa: E402

from replica.independent import _kind  # noqa: E402


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def hrefs(markup: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', markup)


def without_counter(markup: str) -> str:
    return re.sub(r'lblTotal">\d+</span></td></tr><tr><td>Đang trực tuyến:</td><td>\d+', "", markup)


def crawl(base: str) -> dict[str, str]:
    """Every HTML page reachable from the home page on the portal's host, each once: articles and albums by path,
    lists by path and PageIndex. No sitemap is consulted."""
    pages: dict[str, str] = {}
    queue, seen = deque([base + "/"]), {"/"}
    while queue:
        url = queue.popleft()
        status, headers, body = fetch(url)
        if status != 200 or not headers["Content-Type"].startswith("text/html"):
            continue
        markup = body.decode()
        pages[url[len(base) :]] = markup
        for link in hrefs(markup):
            absolute = urljoin(url, link)
            parts = urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != base or parts.path.lower().startswith("/uploads/"):
                continue
            kind = _kind(parts.path, whole=True)
            query = dict(parse_qsl(parts.query))
            key = parts.path if kind in ("article", "album") else f"{parts.path}?PageIndex={query.get('PageIndex', 1)}"
            if kind == "list":
                key = parts.path.rstrip("/") + f"/?PageIndex={query.get('PageIndex', 1)}"
            if kind == "home":
                key = "/" if parts.path.lower() in ("/", "/default.aspx") else "/vanhoa/"
            if key.lower() not in seen:
                seen.add(key.lower())
                queue.append(base + key)
    return pages


def pdf_lines(data: bytes) -> list[str]:
    """Check a PDF's cross-reference table and return the strings its content streams show (Tj), in order."""
    assert data.startswith(b"%PDF-1.") and data.endswith(b"%%EOF\n")
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    head = re.match(rb"xref\n0 (\d+)\n", data[startxref:])
    table = data[startxref + head.end() :]
    assert table[:20] == b"0000000000 65535 f \n"
    for i in range(1, int(head.group(1))):
        entry = table[20 * i : 20 * i + 20]
        assert re.fullmatch(rb"\d{10} 00000 n \n", entry)
        assert data[int(entry[:10]) :].startswith(f"{i} 0 obj\n".encode())
    lines = []
    for m in re.finditer(rb"<<([^<>]*?)/Length (\d+)([^<>]*)>>\nstream\n", data):
        raw = data[m.end() : m.end() + int(m.group(2))]
        assert data[m.end() + int(m.group(2)) :].startswith(b"\nendstream")
        if b"/DCTDecode" in m.group(0):
            assert raw[:2] == b"\xff\xd8"
            continue
        if b"/FlateDecode" in m.group(0):
            raw = zlib.decompress(raw)
        for s in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", raw):
            lines.append(re.sub(rb"\\(.)", rb"\1", s).decode("cp1252"))
    return lines


def docx_paragraphs(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(z.namelist())
        root = ElementTree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return ["".join(t.text or "" for t in p.iter(w + "t")) for p in root.iter(w + "p")]


def test_whole_is_off_by_default() -> None:
    portal = IndependentPortal(n_articles=12, seed=1)
    assert portal.sections == [] and portal.all_articles == [] and portal.albums == [] and portal.attachments == []
    assert all(a.sections == () for a in portal.articles)
    assert portal.respond("/")[0] == 404 and portal.respond("/Chidaodieuhanh/")[0] == 404


def test_whole_portal_is_discovered_from_the_home_page() -> None:
    portal = IndependentPortal(n_articles=34, seed=5, whole=True)
    with portal.serve() as base:
        pages = crawl(base)
        assert fetch(base + "/sitemap.xml")[0] == 404 and b"Sitemap" not in fetch(base + "/robots.txt")[2]
        home = pages["/"]
        assert without_counter(home) == without_counter(get(base + "/Default.aspx")[1].decode())
        default = get(base + "/default.aspx")[1].decode()
        assert without_counter(default) == without_counter(home)
        menu = re.search(r'<table class="mnu".*?</table>', home).group(0)
        for s in portal.sections:
            if s.parent is None:
                assert f'href="{s.path}">{s.title}</a>' in menu
        assert 'href="/vanhoa/"' in menu and 'href="/Thuvienanh/"' in menu and "Bản đồ hành chính" in menu
        vanhoa_menu = re.search(r'<table class="mnu".*?</table>', pages["/vanhoa/"]).group(0)
        assert 'href="/vanhoa/Tintuc/">Tin tức văn hóa</a>' in vanhoa_menu and "Chỉ đạo" not in vanhoa_menu
        assert 'href="http://dienbien.gov.vn/"' in home and 'href="http://chinhphu.vn/"' in home
        assert "Liên kết Website" in text_of(home)
        for s in portal.sections:  # boxes of the newest articles
            if s.parent is None:
                assert f'href="{s.articles[0]}"' in home
        assert f'href="{portal.sections[2].articles[0]}"' in pages["/vanhoa/"]
        # every article, album and list page was reached; the lower-case link is the same page
        arts = {p for p in pages if _kind(p, whole=True) == "article"}
        assert {p.lower() for p in arts} == {a.path.lower() for a in portal.all_articles}
        assert f'href="{portal.lower_case_link}"' in home and portal.lower_case_link != portal.articles[1].path
        assert portal.lower_case_link.upper() == portal.articles[1].path
        upper = portal.lower_case_link.upper()
        same = [without_counter(get(base + p)[1].decode()) for p in (upper, portal.lower_case_link)]
        assert same[0] == same[1]
        assert {p for p in pages if _kind(p, whole=True) == "album"} == {a.path for a in portal.albums}
        lists = [p for p in pages if _kind(p, whole=True) == "list"]
        assert len(lists) == portal.minimum["list"]
        assert portal.count("home") >= 2 and portal.count("attachment") == 0


def test_whole_sections_lists_and_articles() -> None:
    portal = IndependentPortal(n_articles=25, seed=3, whole=True)
    assert [(s.path, s.parent, len(s.articles)) for s in portal.sections] == [
        ("/Tintuc/", None, 25),
        ("/Chidaodieuhanh/", None, 15),
        ("/vanhoa/Tintuc/", "/vanhoa/", 12),
    ]
    assert [a.path for a in portal.articles] == portal.sections[0].articles
    paths = [a.path for a in portal.all_articles]
    assert len(paths) == len(set(paths)) == 25 + 15 + 12 - 3
    assert set(paths) == {p for s in portal.sections for p in s.articles}
    shared = set(portal.sections[0].articles) & set(portal.sections[1].articles)
    assert len(shared) == 3
    by_path = {a.path: a for a in portal.all_articles}
    for s in portal.sections:
        for p in s.articles:
            assert s.path in by_path[p].sections
    assert all(by_path[p].sections == ("/Tintuc/", "/Chidaodieuhanh/") for p in shared)
    assert all(re.fullmatch(r"/vanhoa/Tintuc/View/[A-Za-z0-9-]+", p) for p in portal.sections[2].articles)
    assert any(re.search("[a-z]", p[20:]) and re.search("[A-Z]", p[20:]) for p in portal.sections[2].articles)
    assert (
        portal.sections[2]
        .articles[0]
        .endswith("Gioi-thieu-Di-tich-lich-su-van-hoa-Thanh-Ban-Phu-xa-Noong-Het-huyen-Dien-Bien")
    )
    with portal.serve() as base:
        for s in portal.sections:
            seen = []
            for page in range(1, portal.pages_of(s.path) + 1):
                markup = get(f"{base}{s.path}?PageIndex={page}")[1].decode()
                seen += [link.split("?")[0] for link in entries(markup)]
                assert s.title.upper() in text_of(markup) or s.title in text_of(markup)
            assert seen == s.articles
            pg = pager_text(get(f"{base}{s.path}?PageIndex=1")[1].decode())
            assert pg.startswith(f"1-10 of {len(s.articles)}")
        for art in portal.all_articles:
            status, body = get(base + art.path + "?PageIndex=2")
            assert status == 200
            markup = body.decode()
            text = text_of(markup)
            assert art.title in text and f"Thời gian đăng: {_clock(art.published)}" in text
            assert all(p in text for p in art.paragraphs)
            assert ("Tác giả: " in text) == (art.author is not None)
            assert all(f'src="{src}"' in markup for src, _ in art.images)
            assert get(base + art.path.lower())[0] == 200
        assert portal.count("article") == 2 * len(portal.all_articles)
        assert get(base + "/vanhoa/Tintuc/View/No-such-article")[0] == 404


def test_whole_photo_library() -> None:
    portal = IndependentPortal(n_articles=12, seed=2, whole=True)
    assert len(portal.albums) == 8 and all(3 <= len(a.photos) <= 5 for a in portal.albums)
    assert any(a.published is None for a in portal.albums) and any(a.published for a in portal.albums)
    assert portal.pages_of("/Thuvienanh/") == 3
    with portal.serve() as base:
        listed = []
        for page in (1, 2, 3):
            markup = get(f"{base}/Thuvienanh/?PageIndex={page}")[1].decode()
            listed += [h.split("?")[0] for h in re.findall(r'class="ab-link" href="([^"]+)"', markup)]
        assert listed == [a.path for a in portal.albums]
        assert pager_text(get(base + "/thuvienanh")[1].decode()) == "1-3 of 8123»"
        for album in portal.albums:
            markup = get(base + album.path)[1].decode()
            text = text_of(markup)
            assert album.title in text
            assert ("Thời gian đăng:" in text) == (album.published is not None)
            if album.published:
                assert _clock(album.published) in text
            shown = re.findall(r'<img src="([^"]+)" alt="([^"]*)"[^>]*/></a><div class="ab-cap">([^<]*)</div>', markup)
            assert [(p, html_unescape(c), html_unescape(a)) for p, a, c in shown] == list(album.photos)
            for path, _, _ in album.photos:
                status, headers, jpeg = fetch(base + path)
                assert status == 200 and headers["Content-Type"] == "image/jpeg" and jpeg[:2] == b"\xff\xd8"
        assert get(base + "/Thuvienanh/View/No-such-album")[0] == 404
        assert portal.count("album") == 9 and portal.count("photo") == sum(len(a.photos) for a in portal.albums)
        assert portal.count("list") == 4


def html_unescape(s: str) -> str:
    import html

    return html.unescape(s)


def test_whole_attachments() -> None:
    portal = IndependentPortal(n_articles=20, seed=4, whole=True)
    kinds = {(a.scanned, a.broken, a.filename.rsplit(".", 1)[1]) for a in portal.attachments}
    assert kinds == {(False, False, "pdf"), (False, False, "docx"), (True, False, "pdf"), (False, True, "pdf")}
    assert {a.linked_from for a in portal.attachments} & {"/Chidaodieuhanh/"}
    with portal.serve() as base:
        pages = crawl(base)
        corpus = "\n".join(text_of(m) + m for m in pages.values())
        for att in portal.attachments:
            status, headers, data = fetch(base + att.path)
            assert status == 200 and headers["Content-Type"] == att.content_type
            assert int(headers["Content-Length"]) == len(data) == att.size
            assert hashlib.sha256(data).hexdigest() == att.sha256
            assert fetch(base + att.path.lower())[2] == data
            linker = next(m for p, m in pages.items() if p.split("?")[0] == att.linked_from)
            assert f'href="{att.path}"' in linker and f"Tải về: {att.filename}" in text_of(linker)
            if att.unique_word:
                assert att.unique_word in att.text and att.unique_word.lower() not in corpus.lower()
            if att.filename.endswith(".docx"):
                assert "\n".join(docx_paragraphs(data)) == att.text
                assert "ĐIỆN BIÊN" in att.text
            elif att.broken:
                assert att.text is None and b"%%EOF" not in data and b"xref" not in data
            else:
                lines = pdf_lines(data)
                assert (lines == []) == att.scanned
                if att.scanned:
                    assert att.text is None and b"/DCTDecode" in data and b"/Font" not in data
                else:
                    assert "\n".join(lines) == att.text
        qd = next(a for a in portal.attachments if a.filename == "QD-1250-UBND.pdf")
        assert "Quyet dinh so 1250/QD-UBND" in qd.text and "1250/QD-UBND" not in corpus and "1250/QĐ" not in corpus
        assert qd.linked_from in portal.sections[1].articles
        assert get(base + "/Uploads/files/no-such.pdf")[0] == 404
        assert portal.count("attachment") == 2 * len(portal.attachments) + 1


@pytest.mark.parametrize(("pager", "beyond"), [("too_big", "404"), ("too_small", "repeat_first"), ("none", "empty")])
def test_whole_lists_share_the_pager_lies(pager: str, beyond: str) -> None:
    portal = IndependentPortal(n_articles=12, pager=pager, beyond=beyond, seed=6, whole=True)
    with portal.serve() as base:
        for path in ("/Chidaodieuhanh/", "/vanhoa/Tintuc/", "/Thuvienanh/"):
            first = get(f"{base}{path}?PageIndex=1")[1].decode()
            pg = pager_text(first)
            status, body = get(f"{base}{path}?PageIndex={portal.pages_of(path) + 1}")
            if pager == "too_big":
                assert re.match(r"1-\d+ of \d+12345", pg) and status == 404
            if pager == "too_small":
                assert re.match(r"1-\d+ of \d+", pg) and status == 200
                assert body.decode().count("href") > 20 and first.count('class="ab-link"') == body.decode().count(
                    'class="ab-link"'
                )
            if pager == "none":
                assert " of " not in pg and status == 200


def test_whole_truth_is_deterministic() -> None:
    a, b = IndependentPortal(30, seed=9, whole=True), IndependentPortal(30, seed=9, whole=True)
    assert (a.sections, a.all_articles, a.albums, a.attachments) == (
        b.sections,
        b.all_articles,
        b.albums,
        b.attachments,
    )
    c = IndependentPortal(30, seed=10, whole=True)
    assert a.all_articles != c.all_articles
    assert [x.sha256 for x in a.attachments if not x.broken] == [x.sha256 for x in c.attachments if not x.broken]
    assert IndependentPortal(1, seed=1, whole=True).sections[1].articles  # tiny portals still build
