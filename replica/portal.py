"""The whole portal around the news list, and its ground truth: sections, sub-sites, the photo library, documents.

- `/Tintuc/`, "Tin tức - Sự kiện": the news list of `corpus.generate` (as before);
- `/ThongBao/`, "Thông báo": 22 notices of their own at `/T/SLUG` (three with documents in their body), plus
  two articles of `/Tintuc/` (the `no-author-label` and `empty-author` specials); its list pages link a document;
- the sub-sites `/vanhoa/` ("Văn hóa") and `/dulich/` ("Du lịch"), each a home page and a news list
  `<prefix>/Tintuc/`, 15 articles at `<prefix>/Tintuc/View/<Mixed-Case-Slug>`; one of `/vanhoa/` is the article
  a public reference cites, with a scanned PDF attached;
- `/ThuVienAnh/`, "Thư viện ảnh": 21 albums at `/ThuVienAnh/View/<Album-Slug>`, about two in three showing a date;
- `/BanDoHanhChinh/`: the administrative map, one image (not an album, not a list);
- documents under `/Uploads/files/`: a decision (PDF, its number and the words "sa nhân tím" in no page), a plan
  (PDF, linked from the `/ThongBao/` list pages: "Hồng Lếch"), a report (DOCX: "Trà hoa vàng"), a scanned PDF
  and a PDF cut short. The decision is linked by an absolute URL on the portal's host; a notice also links a
  document on another host (`OFF_SITE`), which is no attachment of the portal's;
- the home page links every list and sub-site and boxes the newest entries; its "Tin nổi bật" box links an
  article of `/Tintuc/` by its lower-case path (`Portal.lower_case_link`).
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from replica.corpus import SPECIAL, write_article
from replica.documents import DOCX, PDF, broken_pdf, docx, pdf, scanned_pdf
from replica.model import (
    SITE,
    VN_TZ,
    Album,
    Article,
    Document,
    Image,
    Link,
    Section,
    SubSite,
    build_article,
    mixed_slug,
    slugify,
)
from replica.pages import article_href
from replica.themes import NEWS, Box

VANHOA = SubSite("/vanhoa/", "Văn hóa")
DULICH = SubSite("/dulich/", "Du lịch")
OFF_SITE = "https://vanban.chinhphu.vn/Uploads/files/Nghi-dinh-61-2018-ND-CP.pdf"
_FILES = "/Uploads/files/"


def _written(path: str, content_type: str, write: Callable[[Sequence[str]], bytes], text: Sequence[str]) -> Document:
    """A document of paragraphs `text`; its ground-truth text is them, joined by blank lines."""
    return Document(_FILES + path, content_type, write(text), "\n\n".join(text))


DECISION = _written(
    "Quyet-dinh-phe-duyet-du-an.pdf",
    PDF,
    pdf,
    (
        "ỦY BAN NHÂN DÂN HUYỆN ĐIỆN BIÊN",
        "Số: 3719/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt dự án phát triển vùng trồng sa nhân tím dưới tán rừng tại xã Pa Thơm, giai đoạn 2025-2027",
        "Điều 1. Phê duyệt dự án phát triển vùng trồng sa nhân tím dưới tán rừng tại xã Pa Thơm với quy mô 120 ha, "
        "tổng kinh phí 8,6 tỷ đồng. Quyết định số 3719/QĐ-UBND có hiệu lực kể từ ngày ký.",
        "Điều 2. Giao Phòng Nông nghiệp chủ trì, phối hợp với UBND xã Pa Thơm tổ chức thực hiện.",
    ),
)
PLAN = _written(
    "Lich-tiep-cong-dan-nam-2025.pdf",
    PDF,
    pdf,
    (
        "ỦY BAN NHÂN DÂN HUYỆN ĐIỆN BIÊN",
        "Số: 4086/KH-UBND",
        "KẾ HOẠCH tiếp công dân định kỳ năm 2025",
        "Chủ tịch UBND huyện tiếp công dân vào ngày 15 hằng tháng tại Trụ sở tiếp công dân huyện. Quý III, buổi "
        "tiếp công dân được tổ chức lưu động tại nhà văn hóa bản Hồng Lếch, xã Mường Phăng.",
    ),
)
REPORT = _written(
    "Bao-cao-ket-qua-OCOP-nam-2024.docx",
    DOCX,
    docx,
    (
        "BÁO CÁO kết quả thực hiện Chương trình mỗi xã một sản phẩm (OCOP) năm 2024",
        "Năm 2024, sản phẩm Trà hoa vàng của HTX Nông lâm nghiệp Pa Thơm được UBND tỉnh công nhận đạt 3 sao OCOP "
        "theo Quyết định số 3804/QĐ-UBND.",
        "Huyện tiếp tục hỗ trợ các chủ thể hoàn thiện hồ sơ, nâng hạng sản phẩm.",
    ),
)
SCAN = Document(
    f"{_FILES}Bang-xep-hang-di-tich-Thanh-Ban-Phu.pdf", PDF, scanned_pdf("Thanh Bản Phủ"), None, scanned=True
)
BROKEN = Document(
    f"{_FILES}Danh-sach-ho-ngheo-nam-2024.pdf", PDF, broken_pdf(("Danh sách hộ nghèo năm 2024",)), None, broken=True
)
DOCUMENTS = (DECISION, PLAN, REPORT, SCAN, BROKEN)

MAP = Album(
    "BanDoHanhChinh",
    "Bản đồ hành chính huyện Điện Biên",
    None,
    (Image("/Uploads/BanDo/ban-do.jpg", "Bản đồ hành chính huyện Điện Biên", "Huyện Điện Biên gồm 25 xã"),),
)
MAP_PATH = "/BanDoHanhChinh/"
"""The administrative map's page (shown as an album of one photo, though it is none of the library's)."""


def _attached(document: Document, href: str | None = None) -> Link:
    return Link(href or document.path, f"Tệp đính kèm: {document.filename}")


def _vn(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=VN_TZ)


_NOTICES = (
    (
        "Quyết định phê duyệt dự án phát triển vùng trồng dược liệu dưới tán rừng",
        _vn(2025, 3, 12, 9, 20),
        "Văn phòng HĐND-UBND huyện",
        (
            "UBND huyện Điện Biên vừa ban hành quyết định phê duyệt dự án phát triển vùng trồng dược liệu dưới tán "
            "rừng giai đoạn 2025-2027. Toàn văn quyết định được đăng kèm theo.",
            _attached(DECISION, SITE + DECISION.path),
            Link(OFF_SITE, "Văn bản liên quan: Nghị định quy định chính sách đầu tư vào nông nghiệp, nông thôn"),
        ),
    ),
    (
        "Báo cáo kết quả thực hiện Chương trình mỗi xã một sản phẩm năm 2024",
        _vn(2025, 1, 8, 14, 5),
        "Phòng Nông nghiệp",
        (
            "UBND huyện Điện Biên báo cáo kết quả thực hiện Chương trình mỗi xã một sản phẩm năm 2024. Chi tiết xem "
            "báo cáo đính kèm.",
            _attached(REPORT),
        ),
    ),
    (
        "Thông báo công khai danh sách hộ nghèo, hộ cận nghèo năm 2024",
        _vn(2024, 12, 20, 16, 30),
        None,
        (
            "UBND huyện Điện Biên thông báo công khai danh sách hộ nghèo, hộ cận nghèo năm 2024 trên địa bàn huyện. "
            "Danh sách được niêm yết tại trụ sở UBND các xã.",
            _attached(BROKEN),
        ),
    ),
)
_THANH_BAN_PHU = (
    "Giới thiệu Di tích lịch sử văn hóa Thành Bản Phủ, xã Noọng Hẹt, huyện Điện Biên",
    _vn(2021, 5, 18, 10, 15),
    "Lường Thị Hương – Phòng Văn hóa và Thông tin",
    (
        "Thành Bản Phủ nằm trên địa bàn xã Noọng Hẹt, cách trung tâm thành phố Điện Biên Phủ khoảng 12 km về phía "
        "Nam. Thành do nghĩa quân Hoàng Công Chất xây dựng vào giữa thế kỷ XVIII, là căn cứ chống quân xâm lược "
        "Phẻ và bảo vệ vùng biên giới Tây Bắc.",
        "Năm 1962, Thành Bản Phủ được xếp hạng di tích lịch sử cấp quốc gia. Hằng năm, tại đây diễn ra lễ hội "
        "Thành Bản Phủ, thu hút đông đảo nhân dân và du khách. Bản chụp bằng xếp hạng di tích được đăng kèm theo.",
        _attached(SCAN),
    ),
)
_ALBUM_SUBJECTS = (
    "Cánh đồng Mường Thanh mùa lúa chín",
    "Hoa ban nở trắng núi rừng Điện Biên",
    "Lễ hội đua thuyền trên sông Nậm Rốm",
    "Di tích lịch sử Thành Bản Phủ",
    "Bản Mển vào xuân",
    "Chợ phiên vùng cao Mường Phăng",
    "Ngày hội văn hóa các dân tộc huyện Điện Biên",
)
_PHOTO_CAPTIONS = (
    "Toàn cảnh nhìn từ trên cao",
    "Người dân trong trang phục truyền thống",
    "Du khách chụp ảnh lưu niệm",
    "Nét đẹp bình dị của bản làng",
    None,
)


@dataclass(frozen=True)
class Portal:
    """The whole portal as ground truth: what a crawl from its home page must find.

    `sections`: `/Tintuc/`, `/ThongBao/`, the sub-sites' news lists, the photo library (its albums in place of
    articles); `documents`: every file under `/Uploads/files/`; `lower_case_link`: the home page's link to an
    article of `/Tintuc/` by its path in lower case.
    """

    sections: tuple[Section, ...]
    sub_sites: tuple[SubSite, ...]
    documents: tuple[Document, ...]
    lower_case_link: str

    @property
    def news(self) -> Section:
        return self.sections[0]

    @property
    def library(self) -> Section:
        return self.sections[-1]

    @property
    def albums(self) -> tuple[Album, ...]:
        return self.library.albums

    @property
    def articles(self) -> list[Article]:
        """Every article some section lists, once, in the order of the sections."""
        return list({article.path: article for section in self.sections for article in section.articles}.values())

    def sections_of(self, article: Article) -> tuple[Section, ...]:
        """The sections listing `article`, the first one first (it shows the article's "Các tin bài khác")."""
        return tuple(section for section in self.sections if article in section.articles)

    def attachments(self, article: Article) -> tuple[Document, ...]:
        """The documents on the portal's host that the article's body links, in order."""
        by_path = {document.path: document for document in self.documents}
        paths = (link.href.removeprefix(SITE) for link in article.links)
        return tuple(by_path[path] for path in paths if path in by_path)

    def home(self, sub_site: SubSite | None = None) -> tuple[Box, ...]:
        """The boxes of the portal's home page, or of a sub-site's."""
        if sub_site:
            section = next(section for section in self.sections if section.parent == sub_site)
            return (_box(section.title, section.path, section.articles[:6]),)
        featured = tuple(
            (article.title, self.lower_case_link if article.path.lower() == self.lower_case_link else article.path)
            for article in self.news.articles
            if article.slug in (SPECIAL["portal-example"], SPECIAL["ocop"])
        )
        news, notices, *lists, library = self.sections
        sub_sites = (section for section in lists if section.parent)
        return (
            _box(news.title, news.path, news.articles[:6]),
            Box("Tin nổi bật", None, featured),
            _box(notices.title, notices.path, notices.articles[:5]),
            *(_box(section.parent.title, section.parent.path, section.articles[:3]) for section in sub_sites),
            Box(library.title, library.path, tuple((album.title, album.path) for album in library.albums[:3])),
        )


def _box(title: str, href: str, articles: Sequence[Article]) -> Box:
    return Box(title, href, tuple((article.title, article_href(article, 1)) for article in articles))


def _newest_first(articles: Sequence[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda article: (article.published, article.slug), reverse=True))


def _generated(
    rng: random.Random, count: int, taken: set[str], topics: tuple[str, ...], sub_site: str | None = None
) -> list[Article]:
    """`count` articles dated 2019-2024 on `topics`."""
    start, days = _vn(2019, 1, 1), 6 * 365
    return [
        write_article(
            rng, start + timedelta(days=rng.randrange(days), hours=rng.randint(7, 17)), None, taken, topics, sub_site
        )
        for _ in range(count)
    ]


def _albums(rng: random.Random, count: int) -> tuple[Album, ...]:
    """`count` albums, newest first (a year's subjects, then the year before's)."""
    albums = []
    for index in range(count):
        year = 2024 - index // len(_ALBUM_SUBJECTS)
        title = f"{_ALBUM_SUBJECTS[index % len(_ALBUM_SUBJECTS)]} năm {year}"
        slug = mixed_slug(title)
        photos = []
        for position in range(1, rng.randint(2, 5) + 1):
            name = f"{slug.lower()}-{position:02d}.jpg"
            caption = rng.choice(_PHOTO_CAPTIONS)
            photos.append(Image(f"/Uploads/ThuVienAnh/{year}/{name}", rng.choice((name, caption or "", "")), caption))
        published = _vn(year, 12 - index % len(_ALBUM_SUBJECTS), 10, 8, 30) if rng.random() < 2 / 3 else None
        albums.append(Album(slug, title, published, tuple(photos)))
    return tuple(albums)


def build(news: Sequence[Article], seed: int = 2020) -> Portal:
    """The portal around the news list `news` (as listed, newest first); the same `seed` gives the same portal."""
    rng = random.Random(f"portal-{seed}")
    taken = {slugify(article.title) for article in news}
    notices = [build_article(title, when, author, blocks) for title, when, author, blocks in _NOTICES]
    taken |= {article.slug for article in notices}
    notices += _generated(rng, 19, taken, ("ubnd", "quyet-dinh"))
    shared = [article for article in news if article.slug in (SPECIAL["no-author-label"], SPECIAL["empty-author"])]
    culture = [build_article(*_THANH_BAN_PHU, sub_site=VANHOA.path.rstrip("/"))]
    culture += _generated(rng, 14, taken, ("van-hoa", "le-hoi"), VANHOA.path.rstrip("/"))
    tourism = _generated(rng, 15, taken, ("du-lich",), DULICH.path.rstrip("/"))
    example = next((a.path.lower() for a in news if a.slug == SPECIAL["portal-example"]), "")
    sections = (
        Section(NEWS.path, NEWS.title, None, tuple(news)),
        Section("/ThongBao/", "Thông báo", None, _newest_first([*notices, *shared]), documents=(PLAN,)),
        Section(f"{VANHOA.path}Tintuc/", "Tin tức", VANHOA, _newest_first(culture)),
        Section(f"{DULICH.path}Tintuc/", "Tin tức", DULICH, _newest_first(tourism)),
        Section("/ThuVienAnh/", "Thư viện ảnh", albums=_albums(rng, 21)),
    )
    return Portal(sections, (VANHOA, DULICH), DOCUMENTS, example)
