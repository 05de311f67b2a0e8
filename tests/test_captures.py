"""Reading a capture: is it the article, and if not, why not (scraper.captures, pure functions, no network)."""

from __future__ import annotations

import pytest

from replica.corpus import generate
from replica.model import SITE
from replica.pages import render_article
from scraper import captures

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
