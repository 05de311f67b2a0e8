"""Four markups of the portal: the same visible text and labels, different elements and class names.

- `ul` (PORTAL.md's reader view): the detail is one `ul`; `li`s for title, "Thời gian đăng: …", the first
  paragraph (lead), the body (its first paragraph a bare text node, then `p`s, images in `p`, tables),
  "Tác giả: …", "Các tin bài khác:", ten link `li`s, the pager `li`.
- `div`: `h1` title, labels in `span`s, body `div` of `p`/`figure`/`figcaption`/tables ending with the author line
  `<p><strong>Tác giả:</strong> …</p>`; other news in `div`s.
- `table`: an old CMS laid out in `td` cells with `font`/`b`/`i`; each image sits in its own small table with the
  caption in the row below; body tables are nested tables.
- `cms`, written apart from the other three without reading the extractor: a newer CMS, semantic HTML5 around
  pasted Word content, a notice ticker ("Thời gian đăng ký: …") above it all. `<base href="/">` with every link
  and thumbnail relative to it (`T/SLUG?PageIndex=2`); list entries as `<article>` cards; pagers "a-b of N" then
  `«  ‹  1 2 … ›  »`. Article: `<main>` › `<article>` › `<header>` with breadcrumb, an `<h2>` title linking to
  itself (Latin-1 letters as `&#NNN;`, ASP.NET's HtmlEncode) and a meta line
  "Thời gian đăng:&nbsp;<time>…</time> | Lượt xem: N | In bài | Chia sẻ"; a bold lead; body `div`s of Word
  paragraphs (`MsoNormal`, `<o:p>`, conditional comments, text split mid-word across `span`s and wrapped at 76
  columns in the source) and of paragraphs joined by `<br><br>`, `&nbsp;` spacer `div`s, images centred with an
  italic caption after a `<br>`, tables with `<p>` in their cells; the credit right-aligned, the name on the line
  below "Tác giả:"; "Các tin bài khác:" a `<section>` with `<h3>` and `<ol>`; side boxes in an `<aside>`.
All pages carry Vietnamese text in a head `style`, two `script`s and HTML comments, none of it page content.
Each theme also writes the rest of the portal in its own markup: any section's list and crumbs, boxes of links
(home pages, a list's documents), album pages and an article's document links.
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from replica.model import Album, Article, Block, Image, Link, Raw, Section, Table, format_posted, rebase

BANNER = "CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN ĐIỆN BIÊN"
SECTION = "Tin tức - Sự kiện"
MENU = (
    ("Trang chủ", "/"),
    ("Giới thiệu", "#"),
    (SECTION, "/Tintuc/"),
    ("Thông báo", "/ThongBao/"),
    ("Văn hóa", "/vanhoa/"),
    ("Du lịch", "/dulich/"),
    ("Thư viện ảnh", "/ThuVienAnh/"),
    ("Bản đồ hành chính", "/BanDoHanhChinh/"),
    ("Văn bản chỉ đạo", "#"),
    ("Thủ tục hành chính", "#"),
    ("Liên hệ", "#"),
    ("Đăng nhập", "/Admin/Login.aspx"),
)
LINKS = (
    ("Cổng TTĐT tỉnh Điện Biên", "https://dienbien.gov.vn/"),
    ("Cổng TTĐT Chính phủ", "https://chinhphu.vn/"),
    ("Huyện Điện Biên Đông", "https://dienbiendong.dienbien.gov.vn/"),
    ("Tin tức huyện Điện Biên Đông", "https://dienbiendong.dienbien.gov.vn/TinTuc/?PageIndex=1"),
)
NEWS = Section("/Tintuc/", SECTION)
DOCUMENTS = "Văn bản đính kèm"
FOOTER = (
    "Bản quyền thuộc Ủy ban nhân dân huyện Điện Biên",
    "Địa chỉ: Xã Thanh Xương, huyện Điện Biên, tỉnh Điện Biên",
    "Chịu trách nhiệm chính: Chánh Văn phòng HĐND-UBND huyện",
)
HEAD_SCRIPT = (
    '<script type="text/javascript">var tenCongThongTin = "Cổng thông tin điện tử huyện Điện Biên";\n'
    "var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-2020-1']); _gaq.push(['_trackPageview']);\n"
    "/* Thống kê truy cập: đếm lượt xem tin tức */</script>"
)
FOOT_SCRIPT = (
    '<script>var loiChao = "Chào mừng quý khách đến với Cổng thông tin điện tử huyện Điện Biên";\n'
    'if (window.console) { console.log(loiChao + " - Tin tức nông thôn mới, OCOP 4 sao"); }</script>'
)
NO_IMAGE = "/Uploads/Images/no-image.png"
LIST_COMMENT = "<!-- Danh sách tin tức huyện Điện Biên (mới nhất trước) -->"
DETAIL_COMMENT = "<!-- Nội dung chi tiết tin bài -->"


class Entry(NamedTuple):
    """A link to an article as listed: list pages and the "other news" box."""

    href: str
    title: str
    lead: str
    thumb: str


class Box(NamedTuple):
    """A box of links (home pages, a list's documents): its title, where the title links (None: nowhere), the
    links as `(text, href)`."""

    title: str
    href: str | None
    links: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Pager:
    """Page `page` of `pages` pages of `size` items out of `total`, shown as "a-b of N" and a window of links."""

    page: int
    pages: int
    total: int
    size: int

    @property
    def label(self) -> str:
        """E.g. `1771-1780 of 1911`."""
        return f"{(self.page - 1) * self.size + 1}-{min(self.page * self.size, self.total)} of {self.total}"

    def items(self) -> list[tuple[str, int | None]]:
        """`<`, `...`, ten page numbers around `page`, `...`, `>`; each with the page it links to (None: no link)."""
        start = max(1, min(self.page - 5, self.pages - 9))
        end = min(self.pages, start + 9)
        items: list[tuple[str, int | None]] = [("<", self.page - 1 if self.page > 1 else None)]
        items += [("...", start - 1)] if start > 1 else []
        items += [(str(k), None if k == self.page else k) for k in range(start, end + 1)]
        items += [("...", end + 1)] if end < self.pages else []
        return [*items, (">", self.page + 1 if self.page < self.pages else None)]


class Theme(ABC):
    """Base markup; subclasses define the elements and class names."""

    doctype = "<!DOCTYPE html>"
    pager_link = "pager-link"
    pager_current = '<span class="pager-current">{}</span>'
    document = '<p><a href="{href}">{text}</a></p>'  # a document link of the body
    box_frame: str  # a box of links: {title}, {items}
    box_item = '<li><a href="{href}">{text}</a></li>'  # one of its links: {href}, {text}
    album_frame: str  # an album page's main part: {title}, {date} (its line, or ""), {photos}
    album_date: str  # the album's date line: {posted} as the portal writes dates, {iso} in ISO 8601

    @abstractmethod
    def page(self, title: str, crumbs: str, main: str) -> str:
        """A complete HTML document around `main`."""

    @abstractmethod
    def listing(self, entries: list[Entry], pager: Pager, section: Section = NEWS) -> str:
        """The main part of a page of `section`'s list (its documents in a box below)."""

    @abstractmethod
    def article(self, article: Article, others: list[Entry], pager: Pager, site: str, section: Section = NEWS) -> str:
        """The main part of an article page; `others` and `pager` make the "Các tin bài khác" box."""

    def href(self, href: str) -> str:
        """A root-relative link as the theme writes it."""
        return href

    def box(self, box: Box) -> str:
        """A box of links (`box_frame` around `box_item`s), its title a link when it has one."""
        title = f'<a href="{self.href(box.href)}">{escape(box.title)}</a>' if box.href else escape(box.title)
        items = "".join(self.box_item.format(href=self.href(href), text=escape(text)) for text, href in box.links)
        return self.box_frame.format(title=title, items=items)

    def album(self, album: Album, site: str) -> str:
        """The main part of an album page: title, the date when it shows one, the photos with their captions."""
        posted = album.published
        date = self.album_date.format(posted=format_posted(posted), iso=posted.isoformat()) if posted else ""
        return self.album_frame.format(title=escape(album.title), date=date, photos=self.photos(album, site))

    def documents(self, section: Section) -> str:
        """The box of the documents a list links, after a line break; "" when it links none."""
        links = tuple((document.filename, document.path) for document in section.documents)
        return "\n" + self.box(Box(DOCUMENTS, None, links)) if links else ""

    def photos(self, album: Album, site: str) -> str:
        """The album's photos, as body images."""
        return "\n".join(self.image(photo, rebase(photo.src, site)) for photo in album.photos)

    @abstractmethod
    def image(self, image: Image, src: str) -> str:
        """An image block (with its caption)."""

    @abstractmethod
    def table(self, table: Table) -> str:
        """A table block."""

    def pager(self, pager: Pager) -> str:
        """The pager label then its items (`pager_current` formats an item without link)."""
        parts = (
            f'<a class="{self.pager_link}" href="?PageIndex={page}">{escape(text)}</a>'
            if page is not None
            else self.pager_current.format(escape(text))
            for text, page in pager.items()
        )
        return escape(pager.label) + "&nbsp;&nbsp;".join(parts)

    def paragraph(self, text: str) -> str:
        """A paragraph block."""
        return f"<p>{escape(text)}</p>"

    def block(self, block: Block, site: str) -> str:
        """Any body block; absolute image URLs on the real portal are rewritten onto `site`."""
        if isinstance(block, str):
            return self.paragraph(block)
        if isinstance(block, Image):
            return self.image(block, rebase(block.src, site))
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Link):
            return self.document.format(href=escape(rebase(block.href, site)), text=escape(block.text))
        assert isinstance(block, Raw)
        return block.html

    def blocks(self, blocks: tuple[Block, ...], site: str) -> str:
        """Body blocks, one per line."""
        return "\n".join(self.block(block, site) for block in blocks)

    @staticmethod
    def author(article: Article) -> str | None:
        """The escaped author text after "Tác giả:", "" for an empty label, None for no label."""
        if "no-author-label" in article.quirks:
            return None
        return escape(article.author or "")


def _head(title: str, style: str, meta: str = '<meta charset="utf-8">') -> str:
    return (
        f"<head>{meta}\n<title>{escape(title)} - Cổng thông tin điện tử huyện Điện Biên</title>\n"
        f'<meta name="viewport" content="width=device-width">\n<style type="text/css">{style}</style>\n'
        f"{HEAD_SCRIPT}\n</head>"
    )


class UlTheme(Theme):
    """The reader's view of PORTAL.md: the article detail is a `ul`, one `li` per part."""

    style = (
        "/* Giao diện cổng thông tin huyện Điện Biên */ body{font-family:Arial} .news-detail-title{font-weight:bold}"
        ' .news-other-title:after{content:" Tin liên quan"}'
    )
    document = '<p class="news-attachment"><a href="{href}" target="_blank">{text}</a></p>'
    box_frame = '<div class="home-box"><h2 class="home-box-title">{title}</h2><ul class="home-list">{items}</ul></div>'
    album_frame = (
        '<div class="album"><h2 class="album-title">{title}</h2>{date}\n<div class="album-photos">\n{photos}\n'
        "</div></div>"
    )
    album_date = '<p class="album-date">Ngày đăng: {posted}</p>'

    def page(self, title: str, crumbs: str, main: str) -> str:
        menu = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for text, href in MENU)
        links = "".join(f'<li><a href="{href}" target="_blank">{escape(text)}</a></li>' for text, href in LINKS)
        footer = "".join(f"<p>{escape(line)}</p>" for line in FOOTER)
        return (
            f'{self.doctype}\n<html lang="vi">\n{_head(title, self.style)}\n<body>\n<div id="wrapper">\n'
            f'<div id="banner"><img src="/Uploads/Images/logo.png" alt="Quốc huy"><h1 class="site-name">{BANNER}'
            f'</h1></div>\n<ul id="main-menu">{menu}</ul>\n<div class="breadcrumb">{crumbs}</div>\n'
            f'<div id="content">\n<div id="left-column">\n{main}\n</div>\n<div id="right-column"><ul class="sidebar">'
            '<li class="box"><div class="box-title">Ảnh đẹp huyện Điện Biên</div><img src="/Uploads/AnhDep/'
            'canh-dong-muong-thanh.jpg" alt="Cánh đồng Mường Thanh"> <a href="/ThuVienAnh/">Thư viện ảnh</a></li>'
            '<li class="box"><div class="box-title">Bản đồ hành chính</div><img src="/Uploads/BanDo/ban-do.jpg" '
            'alt="Bản đồ hành chính huyện Điện Biên"></li>'
            f'<li class="box"><div class="box-title">Liên kết Website</div><ul>{links}</ul></li>'
            '<li class="box"><div class="box-title">Thống kê truy cập</div><p>Tổng truy cập: 2.345.678</p>'
            "<p>Đang trực tuyến: 27</p></li></ul></div>\n</div>\n"
            f'<div id="footer">{footer}</div>\n</div>\n{FOOT_SCRIPT}\n</body>\n</html>\n'
        )

    def listing(self, entries: list[Entry], pager: Pager, section: Section = NEWS) -> str:
        items = "\n".join(
            f'<li class="news-item"><a class="news-thumb" href="{entry.href}"><img src="{escape(entry.thumb)}" '
            f'alt="{escape(entry.title)}"></a><a class="news-title" href="{entry.href}">{escape(entry.title)}</a>'
            f'<p class="news-lead">{escape(entry.lead)}</p></li>'
            for entry in entries
        )
        return (
            f'{LIST_COMMENT}\n<div class="news-box"><h2 class="news-box-title">{escape(section.title)}</h2>\n'
            f'<ul class="news-list">\n{items}\n</ul>\n<div class="news-pager">'
            f"{self.pager(pager)}</div></div>{self.documents(section)}"
        )

    def image(self, image: Image, src: str) -> str:
        html = f'<p style="text-align: center;"><img alt="{escape(image.alt)}" src="{escape(src)}"></p>'
        if image.caption:
            html += f'\n<p style="text-align: center;"><em>{escape(image.caption)}</em></p>'
        return html

    def table(self, table: Table) -> str:
        head, *rows = table.rows
        cells = ["".join(f"<td><strong>{escape(cell)}</strong></td>" for cell in head)]
        cells += ["".join(f"<td>{escape(cell)}</td>" for cell in row) for row in rows]
        body = "".join(f"<tr>{row}</tr>" for row in cells)
        return f'<table border="1" cellpadding="4" cellspacing="0" style="width:100%"><tbody>{body}</tbody></table>'

    def article(self, article: Article, others: list[Entry], pager: Pager, site: str, section: Section = NEWS) -> str:
        blocks = article.blocks
        parts = [
            f'<li class="news-detail-title">{escape(article.title)}</li>',
            f'<li class="news-detail-date">Thời gian đăng: {format_posted(article.published)}</li>',
        ]
        if blocks and isinstance(blocks[0], str):
            parts.append(f'<li class="news-detail-sapo">{escape(blocks[0])}</li>')
            blocks = blocks[1:]
        if blocks and isinstance(blocks[0], str):  # the portal leaves the first paragraph of the body bare
            body = escape(blocks[0]) + "\n" + self.blocks(blocks[1:], site)
        else:
            body = self.blocks(blocks, site)
        parts.append(f'<li class="news-detail-content">{body}</li>')
        author = self.author(article)
        if author is not None:
            parts.append(f'<li class="news-detail-author">Tác giả: {author}</li>')
        parts.append('<li class="news-other-title">Các tin bài khác:</li>')
        parts += [f'<li class="news-other-item"><a href="{o.href}">{escape(o.title)}</a></li>' for o in others]
        parts.append(f'<li class="news-pager">{self.pager(pager)}</li>')
        return (
            f'{DETAIL_COMMENT}\n<div class="news-detail"><ul class="news-detail-list">\n'
            + "\n".join(parts)
            + ("\n</ul></div>")
        )


class DivTheme(Theme):
    """A newer CMS skin: `div`/`h1`/`span`/`p`, labels in `span`/`strong`, the author line inside the body."""

    pager_link = "trang"
    pager_current = '<b class="trang-hien-tai">{}</b>'
    style = (
        "/* Khung giao diện mới - Cổng TTĐT huyện Điện Biên */ .tieu-de-tin{font-size:22px}"
        ' .tin-khac-nhan:before{content:"Xem thêm: "}'
    )
    document = '<p class="tep-dinh-kem"><a href="{href}">{text}</a></p>'
    box_frame = '<section class="khoi-tin"><h2 class="khoi-tin-tieu-de">{title}</h2>{items}</section>'
    box_item = '<div class="dong-tin-moi"><a href="{href}">{text}</a></div>'
    album_frame = '<div class="bo-anh"><h1 class="ten-bo-anh">{title}</h1>{date}\n{photos}\n</div>'
    album_date = '<div class="ngay-bo-anh"><span>Ngày đăng:</span> {posted}</div>'

    def page(self, title: str, crumbs: str, main: str) -> str:
        menu = " ".join(f'<a class="muc-menu" href="{href}">{escape(text)}</a>' for text, href in MENU)
        links = "".join(f'<option value="{href}">{escape(text)}</option>' for text, href in LINKS)
        footer = "<br>".join(escape(line) for line in FOOTER)
        return (
            f'{self.doctype}\n<html lang="vi">\n{_head(title, self.style)}\n<body class="trang">\n'
            f'<header class="dau-trang"><a href="/"><img src="/Uploads/Images/logo.png" alt="Quốc huy"></a>'
            f'<span class="ten-cong">{BANNER}</span></header>\n<nav class="thanh-menu">{menu}</nav>\n'
            f'<nav class="duong-dan">{crumbs}</nav>\n<div class="than-trang"><main class="cot-chinh">\n{main}\n'
            '</main>\n<aside class="cot-phu"><div class="hop"><h3 class="hop-tieu-de">Ảnh đẹp huyện Điện Biên</h3>'
            '<img src="/Uploads/AnhDep/hoa-ban.jpg" alt="Hoa ban"><a href="/ThuVienAnh/">Thư viện ảnh</a></div>'
            '<div class="hop"><h3 class="hop-tieu-de">Bản đồ hành chính</h3><img src="/Uploads/BanDo/ban-do.jpg" '
            'alt="Bản đồ"></div><div class="hop"><h3 class="hop-tieu-de">Liên kết Website</h3>'
            f'<select onchange="window.open(this.value)"><option>-- Chọn liên kết --</option>{links}</select></div>'
            '<div class="hop"><h3 class="hop-tieu-de">Thống kê truy cập</h3><div>Tổng truy cập: '
            "<span>2.345.678</span></div><div>Đang trực tuyến: <span>27</span></div></div></aside></div>\n"
            f'<footer class="chan-trang"><p>{footer}</p></footer>\n{FOOT_SCRIPT}\n</body>\n</html>\n'
        )

    def listing(self, entries: list[Entry], pager: Pager, section: Section = NEWS) -> str:
        items = "\n".join(
            f'<div class="tin"><div class="anh-dai-dien"><a href="{entry.href}">'
            f'<img src="{escape(entry.thumb)}" alt=""></a></div><div class="tin-tom-tat"><h3 class="tin-tieu-de">'
            f'<a href="{entry.href}">{escape(entry.title)}</a></h3>'
            f'<div class="mo-ta">{escape(entry.lead)}</div></div></div>'
            for entry in entries
        )
        return (
            f'{LIST_COMMENT}\n<section class="ds-tin"><h2 class="ds-tin-tieu-de">{escape(section.title)}</h2>\n'
            f'{items}\n<div class="phan-trang-ds">{self.pager(pager)}</div></section>{self.documents(section)}'
        )

    def image(self, image: Image, src: str) -> str:
        caption = f"<figcaption>{escape(image.caption)}</figcaption>" if image.caption else ""
        return f'<figure class="hinh-anh"><img src="{escape(src)}" alt="{escape(image.alt)}">{caption}</figure>'

    def table(self, table: Table) -> str:
        head, *rows = table.rows
        thead = "".join(f"<th>{escape(cell)}</th>" for cell in head)
        tbody = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        return f'<div class="bang-bieu"><table><thead><tr>{thead}</tr></thead><tbody>{tbody}</tbody></table></div>'

    def article(self, article: Article, others: list[Entry], pager: Pager, site: str, section: Section = NEWS) -> str:
        author = self.author(article)
        signature = "" if author is None else f'\n<p class="ky-ten"><strong>Tác giả:</strong> {author}</p>'
        links = "\n".join(f'<div class="dong-tin"><a href="{o.href}">{escape(o.title)}</a></div>' for o in others)
        return (
            f'{DETAIL_COMMENT}\n<div class="khung-tin"><div class="khung-trong">\n'
            f'<h1 class="tieu-de-tin">{escape(article.title)}</h1>\n<div class="thong-tin-dang">'
            f'<span class="nhan-thoi-gian">Thời gian đăng:</span> <span class="ngay-dang">'
            f"{format_posted(article.published)}</span></div>\n"
            f'<div class="noi-dung-tin">\n{self.blocks(article.blocks, site)}{signature}\n</div>\n'
            f'<div class="tin-khac"><div class="tin-khac-nhan"><strong>Các tin bài khác:</strong></div>\n{links}\n'
            f'<div class="phan-trang"><span class="tong-so">{self.pager(pager)}'
            "</span></div></div>\n</div></div>"
        )


class TableTheme(Theme):
    """An old table-layout CMS: `td` cells, `font`/`b` tags, image captions in a table row under the image."""

    doctype = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">'
    pager_link = "lnkTrang"
    pager_current = '<font color="red">{}</font>'
    style = "/* Kiểu chữ cũ - trang tin điện tử huyện Điện Biên */ .tdTieuDe{color:#004a8f} .lnk{color:#00c}"
    document = '<p><font size="2"><a class="lnkTep" href="{href}">{text}</a></font></p>'
    box_frame = '<table width="100%" class="tblHopTin"><tr><td class="tdTenHop"><b>{title}</b></td></tr>{items}</table>'
    box_item = '<tr><td>&raquo; <a class="lnk" href="{href}">{text}</a></td></tr>'
    album_frame = (
        '<table width="100%" class="tblAlbum"><tr><td class="tdTenAlbum"><font size="4"><b>{title}</b></font>'
        "</td></tr>{date}\n<tr><td>\n{photos}\n</td></tr></table>"
    )
    album_date = '<tr><td><font size="2" color="#777777">Ngày đăng: {posted}</font></td></tr>'

    def page(self, title: str, crumbs: str, main: str) -> str:
        menu = " | ".join(
            f'<a href="{href}"><font color="#ffffff"><b>{escape(text)}</b></font></a>' for text, href in MENU
        )
        links = "<br>".join(f'&raquo; <a href="{href}">{escape(text)}</a>' for text, href in LINKS)
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        return (
            f"{self.doctype}\n<html>\n{_head(title, self.style, meta)}\n"
            '<body bgcolor="#ffffff" topmargin="0">\n<table width="980" align="center" cellpadding="0" '
            'cellspacing="0" border="0" class="tblKhung">\n<tr><td colspan="2" class="tdBanner" bgcolor="#b30000">'
            f'<img src="/Uploads/Images/logo.png" width="80" alt=""><font size="5" color="#ffff00"><b>{BANNER}'
            f'</b></font></td></tr>\n<tr><td colspan="2" class="tdMenu" bgcolor="#004a8f">{menu}</td></tr>\n'
            f'<tr><td colspan="2" class="tdDuongDan"><font size="2">{crumbs}</font></td></tr>\n'
            f'<tr><td width="700" valign="top" class="tdNoiDungChinh">\n{main}\n</td>\n'
            '<td width="280" valign="top" class="tdCotPhai"><table width="100%" cellpadding="3" class="tblHop">'
            '<tr><td class="tdHopTieuDe"><b>Ảnh đẹp huyện Điện Biên</b></td></tr><tr><td>'
            '<img src="/Uploads/AnhDep/ban-co.jpg" width="260" alt=""><br><a href="/ThuVienAnh/">Thư viện ảnh</a>'
            "</td></tr>"
            '<tr><td class="tdHopTieuDe"><b>Bản đồ hành chính</b></td></tr><tr><td>'
            '<img src="/Uploads/BanDo/ban-do.jpg" width="260" alt=""></td></tr>'
            f'<tr><td class="tdHopTieuDe"><b>Liên kết Website</b></td></tr><tr><td>{links}</td></tr>'
            '<tr><td class="tdHopTieuDe"><b>Thống kê truy cập</b></td></tr><tr><td><font size="2">Tổng truy cập: '
            "2.345.678<br>Đang trực tuyến: 27</font></td></tr></table></td></tr>\n"
            '<tr><td colspan="2" class="tdChanTrang" align="center"><font size="2">'
            f"{'<br>'.join(map(escape, FOOTER))}</font></td></tr>\n</table>\n{FOOT_SCRIPT}\n</body>\n</html>\n"
        )

    def listing(self, entries: list[Entry], pager: Pager, section: Section = NEWS) -> str:
        rows = "\n".join(
            f'<tr><td width="130" valign="top"><a href="{entry.href}"><img src="{escape(entry.thumb)}" width="120" '
            f'border="0" alt=""></a></td><td valign="top"><a class="lnk" href="{entry.href}"><b>'
            f'{escape(entry.title)}</b></a><br><font size="2">{escape(entry.lead)}</font></td></tr>'
            for entry in entries
        )
        return (
            f'{LIST_COMMENT}\n<table width="100%" cellpadding="5" class="tblDanhSach">\n<tr><td colspan="2" '
            f'class="tdTieuDeMuc"><font size="3"><b>{escape(section.title)}</b></font></td></tr>\n{rows}\n'
            f'<tr><td colspan="2" class="tdPhanTrang">{self.pager(pager)}</td></tr>\n'
            f"</table>{self.documents(section)}"
        )

    def paragraph(self, text: str) -> str:
        return f'<p align="justify"><font face="Arial" size="2">{escape(text)}</font></p>'

    def image(self, image: Image, src: str) -> str:
        caption = (
            f'<tr><td align="center"><font size="1"><i>{escape(image.caption)}</i></font></td></tr>'
            if image.caption
            else ""
        )
        return (
            f'<table align="center" class="tblAnh"><tr><td><img src="{escape(src)}" alt="{escape(image.alt)}" '
            f'border="0"></td></tr>{caption}</table>'
        )

    def table(self, table: Table) -> str:
        rows = "".join(
            "<tr>" + "".join(f'<td><font size="2">{escape(cell)}</font></td>' for cell in row) + "</tr>"
            for row in table.rows
        )
        return f'<table border="1" cellspacing="0" cellpadding="3" width="100%" class="tblBang">{rows}</table>'

    def article(self, article: Article, others: list[Entry], pager: Pager, site: str, section: Section = NEWS) -> str:
        author = self.author(article)
        signature = (
            ""
            if author is None
            else f'<tr><td class="tdTacGia" align="right"><font size="2"><b>Tác giả:</b> <i>{author}</i></font>'
            "</td></tr>\n"
        )
        links = "\n".join(
            f'<tr><td class="tdTinKhac"><img src="/Uploads/Images/bullet.png" alt=""> <a href="{o.href}">'
            f"{escape(o.title)}</a></td></tr>"
            for o in others
        )
        return (
            f'{DETAIL_COMMENT}\n<table width="100%" cellpadding="4" cellspacing="0" border="0" class="tblChiTiet">\n'
            f'<tr><td class="tdTieuDe"><font face="Arial" size="4" color="#004a8f"><b>{escape(article.title)}</b>'
            '</font></td></tr>\n<tr><td class="tdNgayDang"><font size="2" color="#777777"><b>Thời gian đăng:</b> '
            f"{format_posted(article.published)}</font></td></tr>\n"
            f'<tr><td class="tdNoiDung">\n{self.blocks(article.blocks, site)}\n</td></tr>\n{signature}'
            '<tr><td class="tdTinKhacNhan"><b><font color="#cc0000">Các tin bài khác:</font></b></td></tr>\n'
            f'{links}\n<tr><td class="tdPhanTrangTin">{self.pager(pager)}</td></tr>\n'
            "</table>"
        )


_WORD_COMMENT = (
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom></w:WordDocument>"
    "</xml><![endif]-->"
)
_LINE = re.compile(r"(.{40,76}) ")
_SPAN = '<span style="font-family:&quot;Times New Roman&quot;,serif; font-size:14pt">{}</span>'


def _relative(href: str) -> str:
    """A root-relative URL written relative to `<base href="/">`."""
    return href.removeprefix("/")


def _wrapped(text: str) -> str:
    """Text broken into source lines of at most 77 characters at its spaces, as Word's "Save as HTML" writes it."""
    return _LINE.sub("\\1\n", text)


def _encode(text: str) -> str:
    """ASP.NET HtmlEncode: markup characters escaped, characters 160-255 as decimal references."""
    return "".join(f"&#{ord(ch)};" if 160 <= ord(ch) <= 255 else ch for ch in escape(text))


class CmsTheme(Theme):
    """Semantic HTML5 around CKEditor/Word body markup (the `cms` part of the module docstring)."""

    document = '<p class="MsoNormal"><span lang="VI"><a href="{href}">{text}</a></span><o:p></o:p></p>'
    box_frame = (
        '<section class="home-section"><h2 class="home-section-title">{title}</h2><ul class="post-list">{items}'
        "</ul></section>"
    )
    album_frame = (
        '<article class="gallery"><h1 class="gallery-title">{title}</h1>{date}\n<div class="gallery-grid">\n'
        "{photos}\n</div></article>"
    )
    album_date = '<p class="gallery-meta">Ngày đăng: <time datetime="{iso}">{posted}</time></p>'

    def href(self, href: str) -> str:
        return _relative(href)

    def page(self, title: str, crumbs: str, main: str) -> str:
        menu = "".join(f'<li class="nav-item"><a href="{_relative(h)}">{escape(t)}</a></li>' for t, h in MENU)
        links = "".join(f'<li><a rel="noopener" href="{href}">{escape(text)}</a></li>' for text, href in LINKS)
        return (
            '<!doctype html>\n<html lang="vi-VN" prefix="og: https://ogp.me/ns#">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n<base href="/">\n'
            f"<title>{escape(title)} | {BANNER.title()}</title>\n"
            '<link rel="stylesheet" href="Portals/_default/skin.css">\n'
            '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebSite", '
            '"name": "Cổng thông tin điện tử huyện Điện Biên"}</script>\n</head>\n'
            '<body class="layout-2col">\n<a class="skip-link" href="#noi-dung">Bỏ qua để đến nội dung</a>\n'
            '<header class="site-header" role="banner"><a class="brand" href="./"><img src="Portals/logo.svg" '
            f'alt="{BANNER}"></a><p class="brand-title">{BANNER}</p></header>\n'
            f'<nav class="primary-nav" aria-label="Menu chính"><ul>{menu}</ul></nav>\n'
            '<div class="notice-bar"><strong>Thông báo:</strong> <marquee>Tuyển sinh lớp 10 năm học 2025-2026. '
            "Thời gian đăng ký: từ 01/06/2025 đến 15/06/2025</marquee></div>\n"
            f'<div class="layout">\n<main id="noi-dung">\n{main}\n</main>\n'
            '<aside class="widgets">\n<section class="widget"><h3 class="widget-title">Ảnh đẹp huyện Điện Biên</h3>'
            '<a href="#"><img src="Portals/gallery/muong-phang.jpg" alt=""></a>'
            '<p><a href="ThuVienAnh/">Thư viện ảnh</a></p></section>\n'
            '<section class="widget"><h3 class="widget-title">Bản đồ hành chính</h3></section>\n'
            f'<section class="widget"><h3 class="widget-title">Liên kết Website</h3><ul>{links}</ul></section>\n'
            '<section class="widget"><h3 class="widget-title">Thống kê truy cập</h3><dl><dt>Tổng truy cập:</dt>'
            "<dd>2.345.678</dd><dt>Hôm nay:</dt><dd>1.024</dd></dl></section>\n</aside>\n</div>\n"
            f'<footer class="site-footer"><address>{"<br>".join(map(escape, FOOTER))}</address></footer>\n'
            f"{FOOT_SCRIPT}\n</body>\n</html>\n"
        )

    @staticmethod
    def paging(pager: Pager, path: str) -> str:
        """The label "a-b of N", then first, previous, a window of pages, next, last; links relative to the base."""
        target = _relative(path)
        last = pager.pages

        def link(text: str, page: int | None, label: str = "") -> str:
            title = f' title="{label}"' if label else ""
            if page is None:
                return f'<span class="is-current" aria-current="page">{escape(text)}</span>'
            return f'<a href="{target}?PageIndex={page}"{title}>{escape(text)}</a>'

        window = [link("…" if text == "..." else text, page) for text, page in pager.items()[1:-1]]
        parts = [
            link("«", 1 if pager.page > 1 else None, "Trang đầu"),
            link("‹", pager.page - 1 if pager.page > 1 else None, "Trang trước"),
            *window,
            link("›", pager.page + 1 if pager.page < last else None, "Trang sau"),
            link("»", last if pager.page < last else None, "Trang cuối"),
        ]
        return f'<nav class="paging"><span class="paging-info">{pager.label}</span> {"  ".join(parts)}</nav>'

    def listing(self, entries: list[Entry], pager: Pager, section: Section = NEWS) -> str:
        cards = "\n".join(
            f'<article class="card"><a class="card-thumb" href="{_relative(e.href)}"><img loading="lazy" '
            f'src="{escape(_relative(e.thumb))}" alt="{escape(e.title)}" width="240" height="160"></a>'
            f'<div class="card-body"><h3 class="card-title"><a href="{_relative(e.href)}">{escape(e.title)}</a>'
            f'</h3><p class="card-text">{escape(e.lead)}</p></div></article>'
            for e in entries
        )
        return (
            f'<h1 class="section-heading">{escape(section.title)}</h1>\n<div class="cards">\n{cards}\n</div>\n'
            f"{self.paging(pager, section.path)}{self.documents(section)}"
        )

    def paragraph(self, text: str) -> str:
        """A Word paragraph, its text split mid-word across two runs (as Word's revision marks leave it)."""
        half = len(text) // 2
        first, second = _wrapped(escape(text[:half])), _wrapped(escape(text[half:]))
        return (
            f'<p class="MsoNormal" style="text-align:justify"><span lang="VI">{first}</span><span lang="VI" '
            f'style="mso-bidi-font-weight:bold">{second}</span><o:p></o:p></p>'
        )

    def image(self, image: Image, src: str) -> str:
        caption = f'<br>\n<i><span style="font-size:11pt">{escape(image.caption)}</span></i>' if image.caption else ""
        return (
            f'<div style="text-align:center"><img alt="{escape(image.alt)}" src="{escape(src)}" width="600" '
            f'style="max-width:100%; height:auto">{caption}</div>\n<div>&nbsp;</div>'
        )

    def table(self, table: Table) -> str:
        head, *rows = table.rows
        thead = "".join(f'<th scope="col"><p><b>{escape(cell)}</b></p></th>' for cell in head)
        tbody = "".join(
            "<tr>" + "".join(f'<td><p style="margin:0">{escape(cell)}</p></td>' for cell in row) + "</tr>"
            for row in rows
        )
        return (
            f'<figure class="table"><table style="border-collapse:collapse" border="1"><thead><tr>{thead}</tr>'
            f"</thead><tbody>{tbody}</tbody></table></figure>"
        )

    def blocks(self, blocks: tuple[Block, ...], site: str) -> str:
        """Runs of paragraphs alternate between Word paragraphs and one `div` of `<br><br>`-joined text."""
        out: list[str] = [_WORD_COMMENT]
        run: list[str] = []
        runs = 0

        def flush() -> None:
            nonlocal runs
            if run:
                if runs % 2:
                    out.append("<div>" + _SPAN.format("<br>\n<br>".join(map(escape, run))) + "</div>")
                else:
                    out.extend(map(self.paragraph, run))
                runs += 1
                run.clear()

        for block in blocks:
            if isinstance(block, str):
                run.append(block)
            else:
                flush()
                out.append(self.block(block, site))
        flush()
        return "\n".join(out)

    def article(self, article: Article, others: list[Entry], pager: Pager, site: str, section: Section = NEWS) -> str:
        blocks = article.blocks
        lead = ""
        if blocks and isinstance(blocks[0], str):
            lead = f'<div class="entry-summary"><strong>{escape(blocks[0])}</strong></div>\n'
            blocks = blocks[1:]
        author = self.author(article)
        credit = (
            ""
            if author is None
            else f'<p align="right" style="text-align:right"><em>Tác giả:</em><br>\n<strong>{author}</strong></p>'
        )
        items = "\n".join(f'<li><a href="{_relative(o.href)}">{escape(o.title)}</a></li>' for o in others)
        posted = article.published
        parent = [(section.parent.title, section.parent.path)] if section.parent else []
        trail = [("Trang chủ", "/"), *parent, (section.title, section.path)]
        crumbs = " › ".join(f'<a href="{_relative(href) or "./"}">{escape(text)}</a>' for text, href in trail)
        return (
            '<article class="entry">\n<header class="entry-header">\n<nav class="crumbs" aria-label="breadcrumb">'
            f"{crumbs}</nav>\n"
            f'<h2 class="entry-title"><a href="{_relative(article.path)}" rel="bookmark">{_encode(article.title)}</a>'
            '</h2>\n<div class="entry-meta">'
            f'<span class="meta-label">Thời gian đăng:</span>&nbsp;<time datetime="{posted.isoformat()}">'
            f"{format_posted(posted)}</time> &nbsp;|&nbsp; Lượt xem: {len(article.slug) * 37} &nbsp;|&nbsp; "
            '<a href="#" onclick="window.print(); return false;">In bài</a> | <a href="https://www.facebook.com/'
            f'sharer/sharer.php?u={site}{article.path}" target="_blank">Chia sẻ</a></div>\n</header>\n{lead}'
            f'<div class="entry-content">\n{self.blocks(blocks, site)}\n{credit}\n</div>\n</article>\n'
            f'<section class="related"><h3 class="related-title">Các tin bài khác:</h3>\n<ol>\n{items}\n</ol>\n'
            f"{self.paging(pager, article.path)}</section>"
        )


THEMES: dict[str, Theme] = {"ul": UlTheme(), "div": DivTheme(), "table": TableTheme(), "cms": CmsTheme()}
