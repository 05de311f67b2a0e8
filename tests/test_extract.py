"""Extraction on saved pages: three unrelated markups, NFD text, missing author, a broken page."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from scraper.article import ExtractionError
from scraper.extract import parse_article, parse_list, sanitise_html
from scraper.text import format_portal_date, parse_portal_date

PAGES = Path(__file__).parent / "pages"
HOST = "http://huyendienbien.gov.vn"


def read(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("17/09/2020 03:13:30 PM", "2020-09-17T15:13:30+07:00"),
        ("05/01/2021 12:05:10 AM", "2021-01-05T00:05:10+07:00"),
        ("05/01/2021 12:05:10 PM", "2021-01-05T12:05:10+07:00"),
        ("Thời gian đăng: 1/2/2019", "2019-02-01T00:00:00+07:00"),
        ("31/12/2019 23:59", "2019-12-31T23:59:00+07:00"),
        ("07/03/2022 9:05 SA", "2022-03-07T09:05:00+07:00"),
        ("Thứ Năm, 17/09/2020 - 03:13:30 PM", "2020-09-17T15:13:30+07:00"),
        ("17/09/2020 lúc 15:13", "2020-09-17T15:13:00+07:00"),
        ("17-09-2020 | 03:13 PM", "2020-09-17T15:13:00+07:00"),
        ("31/02/2020 10:00 AM", None),
        ("31/01/2020 13:00:00 PM", None),
    ],
)
def test_portal_dates_are_day_first_12_hour_vietnam_time(text, iso):
    assert parse_portal_date(text) == iso


def test_seed_shaped_page_ul_li():
    article = parse_article(read("article_ul.html"), f"{HOST}/T/HOI-NGHI?PageIndex=3")
    assert article.url == f"{HOST}/T/HOI-NGHI"
    assert article.title == "Hội nghị thường niên về chương trình mỗi xã một sản phẩn (OCOP), huyện Điện Biên năm 2020"
    assert article.published_at == "2020-09-17T15:13:30+07:00"
    assert article.author == "Nguyễn Hoài Nam – Trung tâm VH-TT-TH huyện"
    assert article.body_text.startswith("Ngày 17/9, Huyện Điện Biên tổ chức.")
    assert "OCOP là chương trình phát triển\ndòng hai" in article.body_text
    assert "Sản phẩm | Sao\nMật ong | 4" in article.body_text
    assert "Các tin bài khác" not in article.body_text and "Lễ hội" not in article.body_text
    assert "Tác giả" not in article.body_text and "1771-1780" not in article.body_text
    assert [(i.url, i.alt, i.caption) for i in article.images] == [
        (f"{HOST}/Uploads/IMG_0444.jpg", "IMG_0444.jpg", "Toàn cảnh hội nghị")
    ]
    assert article.declared_total == 1911


def test_body_spread_over_list_items_is_valid_html():
    html = read("article_ul.html").replace("<li><p>Ngày 17/9", "<li>Ngày 17/9 mở đầu.</li><li><p>Ngày 17/9")
    article = parse_article(html, f"{HOST}/T/HOI-NGHI")
    assert article.body_html.startswith("<div>Ngày 17/9 mở đầu.</div>")
    assert "<li" not in article.body_html
    assert article.body_text.startswith("Ngày 17/9 mở đầu.\n\nNgày 17/9, Huyện Điện Biên tổ chức.")


def test_div_layout_with_author_inside_the_body_box():
    article = parse_article(read("article_div.html"), f"{HOST}/T/UBND-HUYEN?PageIndex=2")
    assert article.title == "UBND huyện Điện Biên họp phiên thường kỳ tháng 02 năm 2024"
    assert article.published_at == "2021-01-05T00:05:10+07:00"
    assert article.author == "Lò Văn Tiến - Phòng Nông nghiệp"
    assert "Tác giả" not in article.body_text and "Chia sẻ" not in article.body_text
    assert article.body_text.endswith("Chỉ tiêu | Kết quả\nThu ngân sách | 105%")
    (image,) = article.images
    assert image.url == f"{HOST}/Uploads/2021/hop.jpg"  # lazy-loaded source, relative path resolved
    assert image.caption == "Toàn cảnh phiên họp UBND huyện"


def test_table_layout_without_author():
    article = parse_article(read("article_table.html"), f"{HOST}/T/XA-THANH-XUONG")
    assert article.title == "Xã Thanh Xương đạt chuẩn nông thôn mới nâng cao & kiểu mẫu"
    assert article.published_at == "2019-03-12T12:45:00+07:00"
    assert article.author is None
    assert "hoà bình, thuỷ lợi" in article.body_text  # old tone placement kept as written
    assert "Các tin bài khác" not in article.body_text and "Xã Thanh An" not in article.body_text
    (image,) = article.images
    assert image.url == f"{HOST}/T/Uploads/2019/thanhxuong.jpg"
    assert image.caption == "Lễ đón nhận bằng công nhận"


def test_nfd_page_is_read_as_nfc_and_eth_is_kept():
    html = read("article_nfd.html")
    assert html != unicodedata.normalize("NFC", html)
    article = parse_article(html, f"{HOST}/T/DOAN")
    assert article.title == "Ðoàn công tác UBND huyện Điện Biên kiểm tra thủy lợi Nậm Rốm"
    for text in (article.title, article.body_text, article.author, article.body_html):
        assert unicodedata.is_normalized("NFC", text)
    assert article.published_at == "2021-01-05T00:05:10+07:00"


def test_scripts_handlers_and_javascript_urls_never_survive():
    article = parse_article(read("article_ul.html"), f"{HOST}/T/HOI-NGHI")
    for bad in ("<script", "alert(", "onerror", "javascript:"):
        assert bad not in article.body_html
        assert bad not in article.body_text
    assert sanitise_html('<p onclick="x()">a<iframe src="http://e"></iframe></p>') == "<p>a</p>"


def test_page_without_the_date_label_is_an_error():
    with pytest.raises(ExtractionError, match="Thời gian đăng"):
        parse_article(read("article_broken.html"), f"{HOST}/T/LOI")


def test_list_page_links_pager_and_declared_total():
    listing = parse_list(read("list_page.html"), f"{HOST}/Tintuc/?PageIndex=146")
    assert listing.article_urls == (f"{HOST}/T/HOI-NGHI-OCOP-2020", f"{HOST}/T/LE-HOI-HOA-BAN")
    assert (listing.page, listing.declared_total, listing.page_size) == (146, 1911, 10)


def test_the_short_last_list_page_declares_the_same_page_size():
    html = read("list_page.html").replace("1451-1460 of 1911", "1911-1911 of 1911")
    listing = parse_list(html, f"{HOST}/Tintuc/?PageIndex=192")
    assert (listing.declared_total, listing.page_size) == (1911, 10)


def list_of(pager: str, entries: int = 4) -> str:
    """A first list page of `entries` articles over `pager`, as a portal shows its news."""
    items = "".join(f'<li><a href="/T/TIN-{n}?PageIndex=1">Tin số {n} của huyện</a></li>' for n in range(entries))
    return page(f"<ul>{items}</ul><div>{pager}</div>")


@pytest.mark.parametrize(
    "pager, pages, total",
    [
        # Links to its other pages and no total: a pager (its links were once taken for the page itself).
        ('<a href="/Tintuc/?PageIndex=2">2</a><a href="/Tintuc/?PageIndex=3">3</a>', 2, None),
        # A total below what the page shows declares nothing, but it is a pager all the same.
        ("1-4 of 3", 0, None),
        ("1-4 of 31", 0, 31),
    ],
)
def test_a_pager_with_only_links_or_a_lying_total_still_makes_a_list(pager: str, pages: int, total: int | None):
    listing = parse_list(list_of(pager), f"{HOST}/Tintuc/")
    assert (len(listing.page_urls), listing.declared_total, listing.paged) == (pages, total, True)


def test_a_link_to_the_page_itself_is_no_pager():
    listing = parse_list(list_of('<a href="/Tintuc/?PageIndex=1">1</a>'), f"{HOST}/Tintuc/?PageIndex=1")
    assert (listing.page_urls, listing.paged) == ((), False)


@pytest.mark.parametrize("shown", ["17/09/2020 03:13:30 PM", "05/01/2021 12:05:10 AM", "03/11/2019 12:40:00 PM"])
def test_dates_are_shown_back_as_the_portal_wrote_them(shown):
    assert format_portal_date(parse_portal_date(shown)) == shown


def page(body: str, title: str = "Cổng thông tin điện tử huyện Điện Biên", head: str = "") -> str:
    return f'{head}<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


def test_comments_in_the_body_are_never_text():
    html = page(
        "<h1>Hội nghị tổng kết công tác năm 2024</h1><p>Thời gian đăng: 17/09/2020 03:13:30 PM</p>"
        "<!-- bắt đầu nội dung --><p>Đoạn một<!-- ghi chú --> vẫn liền mạch.</p><!-- giữa --><p>Đoạn hai.</p>"
        "<p>Tác giả: Lò Văn A</p>"
    )
    article = parse_article(html, f"{HOST}/T/A")
    assert article.body_text == "Đoạn một vẫn liền mạch.\n\nĐoạn hai."
    assert article.body_html == "<p>Đoạn một vẫn liền mạch.</p><p>Đoạn hai.</p>"


@pytest.mark.parametrize(
    ("body", "published_at", "author", "body_text"),
    [
        pytest.param(
            "<div><b>Hội nghị tổng kết</b> công tác năm 2024</div>"
            "<div><b>Thời</b> <i>gian</i> <span>đăng</span>: <span>05/01/2021</span> 12:05:10 AM</div>"
            "<div>Nội dung bài viết.</div>"
            "<div><strong>Tác</strong> <em>giả</em>: <a href='#'>Lò Văn A</a> – Phòng Nội vụ</div>"
            "<div>Các <b>tin bài</b> khác:</div><div>Bài khác không thuộc bài này</div>",
            "2021-01-05T00:05:10+07:00",
            "Lò Văn A – Phòng Nội vụ",
            "Nội dung bài viết.",
            id="labels split across inline tags",
        ),
        pytest.param(
            "<table><tr><td>Hội nghị tổng kết công tác năm 2024<br>Thời gian đăng: 17/09/2020 03:13:30 PM<br>"
            "Dòng một của bài.<br>Dòng hai của bài.<br>Tác giả: Lò Văn A<br>Các tin bài khác:<br>"
            '<a href="/T/B">Bài khác</a></td></tr></table>',
            "2020-09-17T15:13:30+07:00",
            "Lò Văn A",
            "Dòng một của bài.\nDòng hai của bài.",
            id="lines separated by br in one cell",
        ),
        pytest.param(
            "<div><h2>Hội nghị tổng kết công tác năm 2024</h2>"
            "<span>Thời gian đăng:</span> 06/04/2023 04:20:45 PM"
            "<p>Sáng nay, huyện ra quân.</p> Hơn 500 người tham gia.<br>"
            "<span>Tác giả:</span> Lò Văn A – Phòng Nông nghiệp</div><div>Các tin bài khác:</div>",
            "2023-04-06T16:20:45+07:00",
            "Lò Văn A – Phòng Nông nghiệp",
            "Sáng nay, huyện ra quân.\n\nHơn 500 người tham gia.",
            id="text after elements (tails) read where it is shown",
        ),
        pytest.param(
            "<h2>Hội nghị tổng kết công tác năm 2024</h2><p>Thời gian đăng: 06/04/2023 04:20:45 PM</p>"
            "<div><span>Sáng nay, huyện ra quân.<br><br>Hơn 500 người tham gia.<br>\n&nbsp;<br>Buổi chiều"
            "<br>bế mạc.</span></div><p>Tác giả: Lò Văn A</p>",
            "2023-04-06T16:20:45+07:00",
            "Lò Văn A",
            "Sáng nay, huyện ra quân.\n\nHơn 500 người tham gia.\n\nBuổi chiều\nbế mạc.",
            id="a blank line of two br parts paragraphs",
        ),
        pytest.param(
            "<h2>Hội nghị tổng kết công tác năm 2024</h2><p>Thời gian đăng: 06/04/2023 04:20:45 PM</p>"
            '<p class="MsoNormal"><span lang="VI">Sáng nay, huyện Điện Biên\nra quân làm đường</span>'
            "<span>\r\ngiao thông nông thôn.</span></p><pre>STT  Xã\n1    Thanh An</pre><p>Tác giả: Lò Văn A</p>",
            "2023-04-06T16:20:45+07:00",
            "Lò Văn A",
            "Sáng nay, huyện Điện Biên ra quân làm đường giao thông nông thôn.\n\nSTT Xã\n1 Thanh An",
            id="line breaks in the source are spaces, outside pre",
        ),
        pytest.param(
            "<marquee>Thông báo tuyển dụng viên chức năm 2024</marquee>"
            "<p>Thời gian đăng ký dự tuyển: 01/10/2024 - 30/10/2024</p>"
            "<h2>Hội nghị tổng kết công tác năm 2024</h2><p>Thời gian đăng: 17/09/2020 03:13:30 PM</p>"
            "<p>Sáng nay, huyện ra quân.</p><p>Tác giả: Lò Văn A</p>"
            "<h3>Các tin bài khác</h3><ul><li><a href='/T/B'>Bài khác của huyện</a></li></ul>",
            "2020-09-17T15:13:30+07:00",
            "Lò Văn A",
            "Sáng nay, huyện ra quân.",
            id="a notice's 'Thời gian đăng ký' above the article is not the date",
        ),
        pytest.param(
            "<h2>Hội nghị tổng kết công tác năm 2024</h2><p>Thời gian đăng: 17/09/2020 03:13:30 PM</p>"
            "<p>Sáng nay, huyện ra mắt cuốn sách.</p><p>Tác giả cuốn sách là nhà văn Lò Văn A.</p><p>Đoạn ba.</p>"
            "<h3>Các tin bài khác</h3><ul><li><a href='/T/B'>Bài khác của huyện</a></li></ul>",
            "2020-09-17T15:13:30+07:00",
            None,
            "Sáng nay, huyện ra mắt cuốn sách.\n\nTác giả cuốn sách là nhà văn Lò Văn A.\n\nĐoạn ba.",
            id="a paragraph opening with 'Tác giả' (no colon) is not the credit",
        ),
        pytest.param(
            "<h2>Hội nghị tổng kết công tác năm 2024</h2><p>Thời gian đăng: 17/09/2020 03:13:30 PM</p>"
            "<p>Sáng nay, huyện ra quân.</p><p>Tin khác trong tuần: lễ hội hoa ban.</p><p>Tác giả</p><p>Lò Văn A</p>"
            "<h3>Các tin bài khác</h3><ul><li><a href='/T/B'>Bài khác của huyện</a></li></ul>",
            "2020-09-17T15:13:30+07:00",
            "Lò Văn A",
            "Sáng nay, huyện ra quân.\n\nTin khác trong tuần: lễ hội hoa ban.",
            id="a paragraph opening with 'Tin khác' is not the other news box",
        ),
    ],
)
def test_lines_as_a_reader_sees_them(body, published_at, author, body_text):
    article = parse_article(page(body), f"{HOST}/T/A")
    assert (article.title, article.published_at) == ("Hội nghị tổng kết công tác năm 2024", published_at)
    assert (article.author, article.body_text) == (author, body_text)
    if author is not None:
        assert "Tác giả" not in article.body_html and "Lò Văn A" not in article.body_html


def test_markup_shown_as_text_stays_text():
    html = page(
        "<ul><li>Hội nghị tổng kết công tác năm 2024</li><li>Thời gian đăng: 17/09/2020 03:13:30 PM</li>"
        "<li>Ký hiệu &lt;b&gt; in đậm<p>Đoạn.</p></li><li>Tác giả: Lò Văn A</li></ul>"
    )
    article = parse_article(html, f"{HOST}/T/A")
    assert article.body_text == "Ký hiệu <b> in đậm\n\nĐoạn."
    assert article.body_html == "Ký hiệu &lt;b&gt; in đậm<p>Đoạn.</p>"


def test_declared_encodings_do_not_change_the_text_already_decoded():
    body = (
        "<h1>Hội nghị tổng kết công tác năm 2024</h1><p>Thời gian đăng: 17/09/2020 03:13:30 PM</p>"
        '<p>Nội dung.<img src="/Uploads/a\x0bb.jpg" alt="ảnh"></p><p>Tác giả: Lò Văn A</p>'
    )
    xml = '<?xml version="1.0" encoding="iso-8859-1"?>'
    head = xml + '<meta http-equiv="Content-Type" content="text/html; charset=cp1252">'
    article = parse_article(page(body, head=head), f"{HOST}/T/A")
    assert (article.title, article.body_text) == ("Hội nghị tổng kết công tác năm 2024", "Nội dung.")
    assert [image.url for image in article.images] == [f"{HOST}/Uploads/a%0Bb.jpg"]


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "Thời gian đăng"),
        ("  \n ", "Thời gian đăng"),
        ("<!-- Thời gian đăng: 17/09/2020 -->", "Thời gian đăng"),
        (page("<div>" * 300 + "Thời gian đăng: 17/09/2020"), "Excessive depth"),
    ],
)
def test_unreadable_pages_are_extraction_errors(html, reason):
    with pytest.raises(ExtractionError, match=reason):
        parse_article(html, f"{HOST}/T/A")
    with pytest.raises(ExtractionError):
        parse_list(html, f"{HOST}/Tintuc/?PageIndex=2")
