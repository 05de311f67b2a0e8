"""The whole portal of the replica over real HTTP: home pages, sections, sub-sites, the photo library, documents."""

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from test_replica import fetch, visible

from replica.model import collapse, format_posted
from replica.portal import BROKEN, DECISION, OFF_SITE, PLAN, REPORT, SCAN
from replica.server import Replica, ReplicaOptions, start
from replica.themes import LINKS, THEMES

SMALL = ReplicaOptions(n_articles=40, seed=7)
_LINK = re.compile(r'(?:href|src)="([^"#]*)"')
_BASE = re.compile(r'<base href="([^"]+)"')
# Words of the documents that no page shows: the decision's, the plan's, the report's.
ONLY_IN_DOCUMENTS = ("sa nhân tím", "3719/QĐ-UBND", "Hồng Lếch", "4086/KH-UBND", "Trà hoa vàng", "3804/QĐ-UBND")


def links(html: str, url: str) -> list[str]:
    """Absolute URLs of a page's links and images, without fragments."""
    base = _BASE.search(html)
    base_url = urljoin(url, base[1]) if base else url
    return [urljoin(base_url, unescape(href)) for href in _LINK.findall(html) if href]


Walk = dict[str, tuple[int, str, bytes]]


def walk(replica: Replica) -> Walk:
    """Every URL on the replica's host reachable by links from the home page: status, content type, body."""
    seen: Walk = {}
    todo = [replica.origin + "/"]
    while todo:
        url = todo.pop()
        if url in seen or "/Admin/" in url:
            continue
        seen[url] = fetch(replica, url.removeprefix(replica.origin))
        if seen[url][1].startswith("text/html"):
            todo += [link for link in links(seen[url][2].decode(), url) if link.startswith(replica.origin + "/")]
    return seen


@pytest.fixture(scope="module")
def walked() -> Iterator[dict[str, tuple[Replica, Walk]]]:
    """Each theme's replica, walked from its home page."""
    replicas = {theme: start(ReplicaOptions(40, 7, theme)) for theme in THEMES}
    yield {theme: (replica, walk(replica)) for theme, replica in replicas.items()}
    for replica in replicas.values():
        replica.stop()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("theme", THEMES)
def test_home_page_links_every_list_and_sub_site_and_the_walk_reaches_everything(walked, theme: str) -> None:
    replica, pages = walked[theme]
    portal = replica.portal
    home = pages[replica.origin + "/"][2].decode()
    linked = {urlsplit(url).path for url in links(home, replica.origin + "/")}
    for section in portal.sections:
        assert (section.parent.path if section.parent else section.path) in linked, section.path
    for sub_site in portal.sub_sites:
        sub_home = pages[replica.origin + sub_site.path][2].decode()
        assert f"{sub_site.path}Tintuc/" in {urlsplit(url).path for url in links(sub_home, replica.origin)}
    assert {"/ThuVienAnh/", "/BanDoHanhChinh/"} <= linked
    assert all(href in home for _, href in LINKS) and not any(urlsplit(h).hostname == "127.0.0.1" for _, h in LINKS)
    reached = {urlsplit(url).path.lower() for url, (status, _, _) in pages.items() if status == 200}
    every = [article.path for article in portal.articles if not article.quirks & {"dead-link", "flaky-500"}]
    every += [album.path for album in portal.albums] + [document.path for document in portal.documents]
    every += [photo.src for album in portal.albums for photo in album.photos]
    assert {path.lower() for path in every} <= reached
    assert not [url for url in pages if urlsplit(url).hostname != "127.0.0.1"]


def test_sitemap_and_robots() -> None:
    with start(SMALL) as replica, start(ReplicaOptions(40, 7, sitemap=False)) as bare:
        robots = fetch(replica, "/robots.txt")[2].decode()
        assert f"Sitemap: {replica.origin}/sitemap.xml" in robots
        status, kind, body = fetch(replica, "/sitemap.xml")
        listed = re.findall(r"<loc>([^<]+)</loc>", body.decode())
        assert (status, kind) == (200, "text/xml; charset=utf-8")
        assert {replica.origin + section.path for section in replica.portal.sections} <= set(listed)
        assert "Sitemap" not in fetch(bare, "/robots.txt")[2].decode() and fetch(bare, "/sitemap.xml")[0] == 404


def test_sections_paginate_and_list_their_articles() -> None:
    with start(SMALL) as replica:
        news, notices, culture, tourism, _ = replica.portal.sections
        assert [s.title for s in replica.portal.sections] == [
            "Tin tức - Sự kiện",
            "Thông báo",
            "Tin tức",
            "Tin tức",
            "Thư viện ảnh",
        ]
        assert news.articles == tuple(replica.listed)
        for section in (news, notices, culture, tourism):
            shown: list[str] = []
            for page in range(1, section.pages + 1):
                status, _, body = fetch(replica, f"{section.path}?PageIndex={page}")
                html = body.decode()
                total = f"of {section.declared_total}"
                assert status == 200 and total in visible(html)[0], (section.path, page)
                hrefs = [urlsplit(url) for url in links(html, replica.origin + section.path)]
                articles = (h for h in hrefs if re.match("/T/|/[a-z]+/Tintuc/View/", h.path))
                shown += [h.path for h in articles if h.query == f"PageIndex={page}"]
            assert list(dict.fromkeys(shown)) == [article.path for article in section.articles], section.path
            assert fetch(replica, f"{section.path}?PageIndex={section.pages + 1}")[0] == 404
        assert 15 <= min(len(s.articles) for s in (notices, culture, tourism)) <= 40
        assert {article.path for article in notices.articles} & {article.path for article in news.articles}
        for section in (culture, tourism):
            for article in section.articles:
                assert re.fullmatch(rf"{section.parent.path}Tintuc/View/[A-Za-z0-9-]+", article.path)
                status, _, body = fetch(replica, f"{article.path}?PageIndex=2")
                assert status == 200 and article.expected.title in visible(unescape(body.decode()))[0]
            assert any(re.search("[a-z]", a.slug) and re.search("[A-Z]", a.slug) for a in section.articles)
        cited = "/vanhoa/Tintuc/View/Gioi-thieu-Di-tich-lich-su-van-hoa-Thanh-Ban-Phu-xa-Noong-Het-huyen-Dien-Bien"
        assert cited in [article.path for article in culture.articles] and fetch(replica, cited.lower())[0] == 200


def test_lower_case_link_serves_the_article_page() -> None:
    with start(SMALL) as replica:
        link = replica.portal.lower_case_link
        home = fetch(replica, "/")[2].decode()
        article = next(a for a in replica.portal.news.articles if a.path.lower() == link)
        assert link != article.path and f'href="{link}"' in home
        assert fetch(replica, link)[2] == fetch(replica, article.path)[2]


def test_photo_library_paginates_and_albums_show_their_photos() -> None:
    with start(SMALL) as replica:
        library = replica.portal.library
        assert library.pages == 3 and library.declared_total == len(replica.portal.albums) == 21
        albums: list[str] = []
        for page in range(1, 4):
            html = fetch(replica, f"/thuvienanh/?PageIndex={page}")[2].decode()
            albums += [path_of(url) for url in links(html, replica.origin) if "/ThuVienAnh/View/" in url]
        assert list(dict.fromkeys(albums)) == [album.path for album in library.albums]
        dated = [album for album in library.albums if album.published]
        assert 0 < len(dated) < len(library.albums)
        for album in library.albums:
            html = fetch(replica, album.path)[2].decode()
            text = visible(html)[0]
            assert album.title in text
            shown = f"Ngày đăng: {format_posted(album.published)}" if album.published else "Ngày đăng:"
            assert (shown in text) == bool(album.published)
            for photo in album.photos:
                assert f'src="{photo.src}"' in html and f'alt="{photo.alt}"' in html
                assert photo.caption is None or photo.caption in text
                status, kind, body = fetch(replica, photo.src)
                assert (status, kind, body[:2]) == (200, "image/jpeg", b"\xff\xd8")


def _pdf_text(body: bytes) -> str:
    """The text a PDF of `replica.documents` shows: its content stream's hex strings, as UTF-16 (its ToUnicode)."""
    shown = re.findall(rb"<([0-9A-F]+)> Tj", body)
    codes = {code[i : i + 4] for code in shown for i in range(0, len(code), 4)}
    assert shown and all(b"<%s> <%s>" % (code, code) in body for code in codes)  # each mapped to itself
    return " ".join(bytes.fromhex(code.decode()).decode("utf-16-be") for code in shown)


def test_documents_serve_their_bytes_and_hold_their_text() -> None:
    with start(SMALL) as replica:
        portal = replica.portal
        assert portal.documents == (DECISION, PLAN, REPORT, SCAN, BROKEN)
        for document in portal.documents:
            status, kind, body = fetch(replica, document.path.lower())  # fetch checks Content-Length
            assert (status, kind) == (200, document.content_type)
            assert hashlib.sha256(body).hexdigest() == document.sha256
        decision_text, plan_text = (collapse(_pdf_text(document.body)) for document in (DECISION, PLAN))
        for words in ("Quyết định số 3719/QĐ-UBND", "sa nhân tím"):
            assert words in decision_text and words in collapse(DECISION.text)
        assert "Hồng Lếch" in plan_text and "4086/KH-UBND" in plan_text
        with zipfile.ZipFile(io.BytesIO(REPORT.body)) as archive:
            assert archive.testzip() is None
            assert "[Content_Types].xml" in archive.namelist()
            assert "Trà hoa vàng" in archive.read("word/document.xml").decode() and "Trà hoa vàng" in REPORT.text
        assert SCAN.scanned and SCAN.text is None and b"/DCTDecode" in SCAN.body and b"Tj" not in SCAN.body
        assert BROKEN.broken and BROKEN.body.startswith(b"%PDF-") and b"%%EOF" not in BROKEN.body
        attached = {a.path: portal.attachments(a) for a in portal.articles if portal.attachments(a)}
        assert sorted(d.filename for docs in attached.values() for d in docs) == sorted(
            d.filename for d in (DECISION, REPORT, SCAN, BROKEN)
        )
        for path, documents in attached.items():
            html = fetch(replica, path)[2].decode()
            assert all(f'href="{d.path}"' in html or f'href="{replica.origin}{d.path}"' in html for d in documents)
        notices = fetch(replica, "/ThongBao/?PageIndex=2")[2].decode()
        assert f'href="{PLAN.path}"' in notices
        decision_article = next(path for path, documents in attached.items() if DECISION in documents)
        assert OFF_SITE in fetch(replica, decision_article)[2].decode()


def test_document_words_are_on_no_page_and_every_theme_shows_the_new_parts(walked) -> None:
    texts, classes = {}, {}
    for theme, (replica, pages) in walked.items():
        html = [body.decode() for _, kind, body in pages.values() if kind.startswith("text/")]
        shown = unescape("\n".join(html))
        assert not [words for words in ONLY_IN_DOCUMENTS if words in shown], theme
        notice = next(a for a in replica.portal.sections[1].articles if DECISION in replica.portal.attachments(a))
        parts = ("/", "/ThongBao/?PageIndex=1", "/vanhoa/", "/ThuVienAnh/?PageIndex=2", notice.path)
        parts += (replica.portal.albums[0].path,)
        texts[theme] = [visible(fetch(replica, path)[2].decode())[0] for path in parts]
        classes[theme] = set().union(*(visible(fetch(replica, path)[2].decode())[1] for path in parts))
        home, notices, sub_home, library, article, album = texts[theme]
        assert "Thông báo" in home and "Thư viện ảnh" in home and "Văn hóa" in home and "Tin nổi bật" in home
        assert f"Tệp đính kèm: {PLAN.filename}" not in notices and PLAN.filename in notices
        assert "11-20 of 21" in library and f"Tệp đính kèm: {DECISION.filename}" in article
        assert replica.portal.albums[0].title in album and "Tin tức" in sub_home
    themes = list(classes)
    assert all(not (classes[a] & classes[b]) for i, a in enumerate(themes) for b in themes[i + 1 :])
