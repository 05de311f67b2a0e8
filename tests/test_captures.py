"""Reading a capture: is it the article, and if not, why not (scraper.captures, pure functions, no network)."""

from __future__ import annotations

import pytest

from replica.corpus import generate
from replica.model import SITE
from replica.pages import render_article, render_list
from scraper import captures, cdx

CORPUS = generate(30, 5)
ARTICLE = next(a for a in CORPUS if a.expected.author and not a.quirks)
PAGE = render_article(CORPUS, ARTICLE, 1, "ul")
URL = SITE + ARTICLE.path


def page(body: str, title: str = "") -> str:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (page("<div><b>THÔNG BÁO</b><br>Trang thông tin đã ngừng hoạt động từ 01/7/2025.</div>"), captures.NOTICE),
        (page("<p>Cổng TTĐT huyện <span>đã dừng hoạt động</span>.</p>", "Thông báo"), captures.NOTICE),
        (page("<h2>Lỗi 404</h2><p>Không tìm thấy trang yêu cầu</p>"), captures.SOFT_404),
        (
            page("<h1>Server Error in '/Portal' Application.</h1><h2>Object reference not set</h2>"),
            captures.SERVER_ERROR,
        ),
        (
            page("<form><h3>Đăng nhập</h3>Tài khoản <input name=u> Mật khẩu <input type=password></form>"),
            captures.LOGIN,
        ),
        (page("<h1>huyendienbien.gov.vn</h1><p>This domain may be for sale!</p>"), captures.PARKED),
    ],
)
def test_a_page_that_is_not_the_article_says_why(html, reason):
    assert captures.read_capture(URL, html, html.encode()) == (None, reason)


def test_the_words_are_read_as_shown_not_from_scripts_or_markup():
    hidden = page('<script>var s = "đã dừng hoạt động";</script><div class="thong-bao-dung-hoat-dong">Xin chào</div>')
    assert captures.sign_of(hidden) is None
    assert captures.read_capture(URL, hidden, hidden.encode()) == (None, captures.UNREADABLE)


def test_the_article_reads_even_when_it_speaks_of_a_closure():
    html = PAGE.replace("</body>", "<p>Nhà máy đã dừng hoạt động. Không tìm thấy trang.</p></body>")
    article, reason = captures.read_capture(URL, html, html.encode())
    assert reason is None and article.title == ARTICLE.expected.title


def test_a_capture_cut_short_is_refused_though_it_reads():
    body = PAGE.encode()
    cut = body[: body.find("Tác giả".encode())] if "Tác giả".encode() in body else body[: len(body) * 2 // 3]
    assert captures.read_capture(URL, cut.decode("utf-8", "ignore"), cut) == (None, captures.TRUNCATED)
    assert captures.read_capture(URL, PAGE, body, declared_length=len(body) + 500) == (None, captures.TRUNCATED)
    assert captures.read_capture(URL, PAGE, body, declared_length=len(body))[1] is None


def test_the_portal_s_declared_length_is_read_from_the_archive_s_headers():
    assert captures.declared_length([("X-Archive-Orig-Content-Length", "8123"), ("Content-Length", "40")]) == 8123
    assert captures.declared_length([("X-Archive-Orig-Content-Length", "8123"), ("Content-Encoding", "gzip")]) is None
    assert captures.declared_length([("Content-Length", "40")]) is None


def test_a_redirect_is_followed_only_on_the_portal():
    assert captures.redirect_reason("https://www.huyendienbien.gov.vn/T/X", SITE) is None
    assert captures.redirect_reason("https://dienbien.gov.vn/", SITE) == captures.OFF_SITE
    assert captures.redirect_reason(None, SITE) == captures.OFF_SITE


LIST_URL = SITE + "/Tintuc/?PageIndex=1"
LIST_PAGE = render_list(CORPUS, 1)
HOME = page('<ul><li><a href="/Tintuc/">Tin tức</a></li><li><a href="/ThongBao/">Thông báo</a></li></ul>')


def test_a_captured_list_page_reads_as_the_list_it_shows():
    verdict, listing, links = captures.read_page(LIST_URL, LIST_PAGE, LIST_PAGE.encode())
    assert (verdict, links) == (captures.LIST, None)
    assert listing.paged and len(listing.article_urls) == 10 and listing.url == LIST_URL
    # A page discovery visits that turns out to be a paged list is the list too.
    assert captures.read_page(LIST_URL, LIST_PAGE, LIST_PAGE.encode(), visit=True)[:2] == (captures.LIST, listing)


def test_a_home_like_page_gives_discovery_its_links_and_is_no_list_page():
    verdict, listing, links = captures.read_page(SITE + "/", HOME, HOME.encode(), visit=True)
    assert (verdict, listing) == (captures.HOME, None)
    assert [url for url, _ in links] == [SITE + "/Tintuc/", SITE + "/ThongBao/"]
    assert captures.read_page(LIST_URL, HOME, HOME.encode()) == (captures.UNREADABLE, None, None)


def test_a_notice_or_a_page_cut_short_is_neither_a_list_nor_a_home_page():
    notice = page("<p>Cổng TTĐT huyện <span>đã dừng hoạt động</span>.</p>")
    assert captures.read_page(SITE + "/", notice, notice.encode(), visit=True) == (captures.NOTICE, None, None)
    assert captures.read_page(LIST_URL, notice, notice.encode()) == (captures.NOTICE, None, None)
    cut = LIST_PAGE.encode()[: len(LIST_PAGE) // 2]
    assert captures.read_page(LIST_URL, cut.decode("utf-8", "ignore"), cut) == (captures.TRUNCATED, None, None)
    whole = LIST_PAGE.encode()
    assert captures.read_page(LIST_URL, LIST_PAGE, whole, len(whole) + 1)[0] == captures.TRUNCATED  # as declared


REPLAYED = cdx.Capture("20240101000000", SITE + "/", None)


def test_a_replayed_redirect_on_the_portal_leads_to_the_capture_to_replay_next():
    location = "http://127.0.0.1:8080/web/20230505000000id_/https://www.huyendienbien.gov.vn/Tintuc/"
    assert captures.replay_outcome(REPLAYED, 302, location, True, SITE) == cdx.Capture(
        "20230505000000", "https://www.huyendienbien.gov.vn/Tintuc/", None
    )
    # A Location that is no replay URL is the original itself, at the time asked for.
    plain = captures.replay_outcome(REPLAYED, 301, SITE + "/Tintuc/", True, SITE)
    assert plain == cdx.Capture(REPLAYED.timestamp, SITE + "/Tintuc/", None)


def test_a_redirect_off_the_portal_or_one_too_many_is_not_followed():
    away = "http://127.0.0.1:8080/web/20230505000000id_/http://dienbien.gov.vn/"
    assert captures.replay_outcome(REPLAYED, 302, away, True, SITE) == captures.OFF_SITE
    here = "http://127.0.0.1:8080/web/20230505000000id_/http://huyendienbien.gov.vn/Tintuc/"
    assert captures.replay_outcome(REPLAYED, 302, here, True, SITE, captures.MAX_HOPS) == "redirect-loop"
    assert isinstance(captures.replay_outcome(REPLAYED, 302, here, True, SITE, captures.MAX_HOPS - 1), cdx.Capture)


@pytest.mark.parametrize(
    ("status", "archived", "outcome"),
    [
        (200, True, None),  # a capture to read
        (404, False, captures.NOT_ARCHIVED),  # the archive's own 404: it holds no capture there
        (404, True, "not-found"),  # the portal answered 404 when captured
        (503, True, "server-error"),
        (302, True, "redirect"),  # a redirect without a Location: not followed
    ],
)
def test_what_a_replay_answered_without_a_redirect_to_follow(status, archived, outcome):
    assert captures.replay_outcome(REPLAYED, status, None, archived, SITE) == outcome
