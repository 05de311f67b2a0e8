"""Hand-labelled articles for the OCOP and legal-reference extractors, with the rows each must give.

Each case is an article (title, body) written the way the portal writes, with the sentences it must store
spelled out: `mentions` are (sentence, term), `ratings` (product, stars, producer, sentence), `refs`
(ref, kind, issuer, year). `is_ocop` is the article-level label. `tests/test_ocop.py` asserts the tables
exactly; `bench/ocop.py` scores precision and recall on the same set.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from replica.specials import SEED

OCOP, MXMSP = "OCOP", "Mỗi xã một sản phẩm"
QD, NQ, ND, TT, CT, KH = "Quyết định", "Nghị quyết", "Nghị định", "Thông tư", "Chỉ thị", "Kế hoạch"
TTG, UBND, CP, HU, TU = "Thủ tướng Chính phủ", "Ủy ban nhân dân", "Chính phủ", "Huyện ủy", "Tỉnh ủy"


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    body: str
    is_ocop: bool
    mentions: tuple[tuple[str, str], ...] = ()
    ratings: tuple[tuple[str, int, str | None, str], ...] = ()
    refs: tuple[tuple[str, str | None, str | None, int | None], ...] = ()
    published_at: str = "2022-11-11T09:00:00+07:00"


def _paragraphs(*sentences: str) -> str:
    return " ".join(sentences)


# The real seed page (typo "sản phẩn" in its title, a parenthesised list of rated products, three decisions).
_SEED_BODY = "\n\n".join(block for block in SEED.spec.blocks if isinstance(block, str))
_S = [
    SEED.spec.title,
    "Ngày 17/9, Huyện Điện Biên tổ chức chương trình Hội nghị thường niên năm 2020 về chương trình mỗi xã một "
    "sản phẩn (OCOP).",
    "OCOP là chương trình phát triển kinh tế khu vực nông thôn theo hướng phát triển nội lực và gia tăng giá trị; "
    "là giải pháp, nhiệm vụ trong triển khai thực hiện chương trình mục tiêu quốc gia xây dựng nông thôn mới.",
    "Trọng tâm của chương trình OCOP là phát triển sản phẩm nông nghiệp, phi nông nghiệp, dịch vụ có lợi thế ở mỗi "
    "địa phương theo chuỗi giá trị, do các thành phần kinh tế tư nhân (doanh nghiệp, hộ sản xuất) và kinh tế tập "
    "thể thực hiện.",
    "Tính đến 31/12/2019 huyện Điện Biên có 05 sản phẩm được UBND tỉnh công nhận đạt sao gồm: 02 sản phẩm đạt 04 "
    "sao (Mật ong Hoa Ban, Mật ong bánh tố); 03 sản phẩm đạt 3 sao (Gạo tám thơm Thiên Bản, Gạo Tâm Sáng - Séng "
    "cù, Gạo Tâm Sáng - Tám thơm).",
]
_SEED_DECISIONS = " ".join(next(line for line in _SEED_BODY.splitlines() if "781/QĐ-TTg" in line).split())
_SEED_CLOSING = next(line for line in _SEED_BODY.splitlines() if line.startswith("Hội nghị lần này"))

# A hotel article: "khách sạn 4 sao" and dates, no programme.
_HOTEL = [
    "Ngày 15/8, UBND huyện Điện Biên làm việc với Công ty Cổ phần Du lịch Mường Thanh về dự án khu nghỉ dưỡng và "
    "khách sạn 4 sao tại xã Thanh Nưa.",
    "Theo đề xuất, dự án gồm khách sạn 4 sao với 150 phòng, dự kiến hoàn thành trước ngày 31/12/2026.",
]
# Stars of a product in an article that never names the programme: not a rating.
_NO_CONTEXT = [
    "Sản phẩm Mật ong hoa ban của HTX Ong mật Điện Biên đạt 4 sao trên sàn thương mại điện tử.",
    "Khách hàng chấm điểm trung bình 5 sao cho sản phẩm.",
]
_SIMPLE = [
    "Mật ong hoa ban Điện Biên đạt 4 sao OCOP",
    "Sản phẩm Mật ong hoa ban của HTX Ong mật Điện Biên vừa được UBND tỉnh công nhận đạt 4 sao theo Quyết định "
    "số 1250/QĐ-UBND ngày 08/11/2022.",
    "Đây là lần thứ hai sản phẩm được nâng hạng, từ 3 sao lên 4 sao, sau khi chủ thể hoàn thiện bao bì.",
]
_LIST = [
    "Huyện Điện Biên có thêm 04 sản phẩm được công nhận OCOP 3 sao",
    "Ngày 05/3/2023, UBND tỉnh ban hành Quyết định số 203/QĐ-UBND công nhận kết quả đánh giá, phân hạng sản phẩm "
    "OCOP năm 2022.",
    "Theo đó, 04 sản phẩm của HTX Nông nghiệp Hua Thanh đạt chuẩn OCOP 3 sao gồm: Măng khô Hua Thanh, Miến dong "
    "Hua Thanh, Chuối sấy dẻo và Gạo nếp cẩm.",
    "Như vậy, đến nay toàn huyện có 12 sản phẩm OCOP từ 3 sao trở lên.",
]
_WORDS = [
    "Nâng hạng sản phẩm Cà phê Mường Phăng lên 4 sao",
    "Sản phẩm Cà phê Mường Phăng của HTX Cà phê Mường Phăng được Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh "
    "chấm đạt 72 điểm, xếp hạng 04 sao.",
    "Trước đó, năm 2021, sản phẩm Chè Shan tuyết Pá Khoang đạt bốn sao và Thịt trâu gác bếp đạt 03 sao.",
    "Sản phẩm Măng khô Hua Thanh cũng được nâng hạng từ 3 sao lên 4 sao.",
]
_TARGETS = [
    "Tập huấn triển khai Chương trình mỗi xã một sản phẩm (OCOP) năm 2023",
    "Huyện phấn đấu đến năm 2025 có ít nhất 10 sản phẩm đạt từ 3 sao trở lên, trong đó có sản phẩm đạt 4 sao.",
    "Năm 2022, Hội đồng đã công nhận 06 sản phẩm đạt hạng từ 3 đến 4 sao.",
    "Các đại biểu nghỉ tại khách sạn 3 sao của xã Thanh Xương trong thời gian tập huấn.",
    "Lớp tập huấn thực hiện theo Kế hoạch số 45/KH-UBND ngày 15/3/2023 của UBND huyện và Nghị quyết số 02-NQ/HU "
    "của Huyện ủy.",
]
# Text copied in decomposed (NFD), with Ð (U+00D0) for Đ, lower-case "ocop" and old tone marks (hoà, thuỷ).
_COPIED = [
    "Ðiện Biên: sản phẩm Gạo Séng cù Thanh Yên đạt ba sao",
    "Thực hiện chương trình Mỗi xã một sản phẩm, năm 2023 sản phẩm Gạo Séng cù Thanh Yên của HTX dịch vụ tổng hợp "
    "Thanh Yên đạt ba sao.",
    "Chương trình ocop góp phần hoà nhập kinh tế nông thôn, phát triển thuỷ lợi nội đồng.",
]
_DOCUMENTS = [
    "Triển khai Nghị định số 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông",
    "Ngày 24/7, UBND huyện Điện Biên tổ chức hội nghị triển khai Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của "
    "Chính phủ và Thông tư số 01/2018/TT-VPCP.",
    "Thực hiện Chỉ thị số 05-CT/TU của Tỉnh ủy và Công văn số 1234/UBND-NC ngày 12/6/2019, đến 31/12/2019 huyện đã "
    "giải quyết 98% hồ sơ đúng hạn.",
    "Hội nghị kết thúc lúc 17h ngày 24/7/2019.",
]
_TABLE_TITLE = "Kết quả đánh giá, phân hạng sản phẩm OCOP huyện Điện Biên năm 2021"
_TABLE_ROWS = [
    "STT | Tên sản phẩm | Chủ thể | Hạng sao",
    "1 | Mật ong hoa ban | HTX Ong mật Điện Biên | 4 sao",
    "2 | Gạo Tám & Séng cù Tâm Sáng | HTX dịch vụ tổng hợp Thanh Yên | 3 sao",
]
_PRODUCT_LIST_ONLY = [
    "Hội chợ sản phẩm OCOP và nông sản tiêu biểu năm 2024",
    "Hội chợ giới thiệu hơn 100 sản phẩm, trong đó có 30 sản phẩm OCOP đạt từ 3 sao trở lên của các huyện.",
    "Đại diện HTX Ong mật Điện Biên cho biết, sau khi được công nhận sản phẩm OCOP 4 sao, sản lượng tiêu thụ tăng "
    "rõ rệt.",
]

# Only the typo names the programme (no "OCOP" anywhere).
_TYPO = [
    "Hội nghị triển khai chương trình mỗi xã một sản phẩn năm 2021",
    "Sáng ngày 12/4, UBND huyện tổ chức hội nghị triển khai chương trình mỗi xã một sản phẩn năm 2021.",
    "Năm 2020, sản phẩm Rượu San Thàng của Hộ kinh doanh Lò Văn Sáng đạt 3 sao.",
]
# Upper-case name of the programme, a resort's stars, a decision number written with Ð (U+00D0).
_UPPER = [
    "MỖI XÃ MỘT SẢN PHẨM: ĐIỆN BIÊN CÓ THÊM SẢN PHẨM 4 SAO",
    "Theo Quyết định số 1520/QÐ-UBND ngày 20/10/2022 của UBND tỉnh, sản phẩm Miến dong Mường Phăng đạt 4 sao.",
    "Sản phẩm được bày bán tại khu nghỉ dưỡng 5 sao ở thành phố Điện Biên Phủ.",
]

# Other ways the portal words results: counts without names, an owner "có ... là", a list with producers in
# parentheses, a quoted name.
_PHRASINGS = [
    "Kết quả thực hiện Chương trình OCOP năm 2022",
    "Năm 2022, huyện Điện Biên có 06 sản phẩm được công nhận đạt chuẩn OCOP, trong đó 02 sản phẩm đạt 4 sao, 04 sản "
    "phẩm đạt 3 sao.",
    "HTX Nông nghiệp Thanh Yên có 02 sản phẩm OCOP 3 sao là Gạo Séng cù và Gạo Bắc Hương.",
    "Các sản phẩm đạt 4 sao gồm: Chè Shan tuyết Pá Khoang (HTX Chè Pá Khoang), Cà phê Mường Phăng (HTX Cà phê "
    "Mường Phăng).",
    "Sản phẩm “Măng khô Hua Thanh” đạt 3 sao.",
    "Mô hình trồng dứa Thanh Xương đạt 3 sao OCOP mang lại thu nhập cao.",
]

CASES: tuple[Case, ...] = (
    Case(
        "seed",
        SEED.spec.title,
        _SEED_BODY,
        True,
        mentions=(
            (_S[0], OCOP),
            (_S[0], MXMSP),
            (_S[1], OCOP),
            (_S[1], MXMSP),
            (_S[2], OCOP),
            (_S[3], OCOP),
            (_SEED_DECISIONS, OCOP),
            (_SEED_DECISIONS, MXMSP),
            (_SEED_CLOSING, MXMSP),
        ),
        ratings=(
            ("Mật ong Hoa Ban", 4, None, _S[4]),
            ("Mật ong bánh tố", 4, None, _S[4]),
            ("Gạo tám thơm Thiên Bản", 3, None, _S[4]),
            ("Gạo Tâm Sáng - Séng cù", 3, None, _S[4]),
            ("Gạo Tâm Sáng - Tám thơm", 3, None, _S[4]),
        ),
        refs=(("781/QĐ-TTg", QD, TTG, 2020), ("1048/QĐ-TTg", QD, TTG, 2019), ("203/QĐ-UBND", QD, UBND, 2020)),
        published_at="2020-09-17T15:13:30+07:00",
    ),
    Case(
        "hotel",
        "Huyện Điện Biên làm việc với doanh nghiệp về đầu tư phát triển du lịch cộng đồng",
        _paragraphs(*_HOTEL),
        False,
    ),
    Case("stars-without-ocop", "Mật ong hoa ban bán chạy trên mạng", _paragraphs(*_NO_CONTEXT), False),
    Case(
        "simple",
        _SIMPLE[0],
        _paragraphs(*_SIMPLE[1:]),
        True,
        mentions=((_SIMPLE[0], OCOP),),
        ratings=(("Mật ong hoa ban", 4, "HTX Ong mật Điện Biên", _SIMPLE[1]),),
        refs=(("1250/QĐ-UBND", QD, UBND, 2022),),
    ),
    Case(
        "list-gom",
        _LIST[0],
        _paragraphs(*_LIST[1:]),
        True,
        mentions=((_LIST[0], OCOP), (_LIST[1], OCOP), (_LIST[2], OCOP), (_LIST[3], OCOP)),
        ratings=tuple(
            (product, 3, "HTX Nông nghiệp Hua Thanh", _LIST[2])
            for product in ("Măng khô Hua Thanh", "Miến dong Hua Thanh", "Chuối sấy dẻo", "Gạo nếp cẩm")
        ),
        refs=(("203/QĐ-UBND", QD, UBND, 2023),),
    ),
    Case(
        "numbers-words-upgrades",
        _WORDS[0],
        _paragraphs(*_WORDS[1:]),
        True,
        mentions=((_WORDS[1], OCOP),),
        ratings=(
            ("Cà phê Mường Phăng", 4, "HTX Cà phê Mường Phăng", _WORDS[1]),
            ("Chè Shan tuyết Pá Khoang", 4, None, _WORDS[2]),
            ("Thịt trâu gác bếp", 3, None, _WORDS[2]),
            ("Măng khô Hua Thanh", 4, None, _WORDS[3]),
        ),
    ),
    Case(
        "targets-ranges-and-a-hotel",
        _TARGETS[0],
        _paragraphs(*_TARGETS[1:]),
        True,
        mentions=((_TARGETS[0], OCOP), (_TARGETS[0], MXMSP)),
        refs=(("45/KH-UBND", KH, UBND, 2023), ("02-NQ/HU", NQ, HU, None)),
        published_at="2023-04-02T08:00:00+07:00",
    ),
    Case(
        "nfd-eth-old-tone",
        unicodedata.normalize("NFD", _COPIED[0]),
        unicodedata.normalize("NFD", _paragraphs(*_COPIED[1:])),
        True,
        mentions=((_COPIED[1], MXMSP), (_COPIED[2], OCOP)),
        # Said twice (title and body): one rating, read from the sentence that also names the producer.
        ratings=(("Gạo Séng cù Thanh Yên", 3, "HTX dịch vụ tổng hợp Thanh Yên", _COPIED[1]),),
    ),
    Case(
        "documents-and-dates",
        _DOCUMENTS[0],
        "\n\n".join(_DOCUMENTS[1:]),
        False,
        refs=(
            ("61/2018/NĐ-CP", ND, CP, 2018),
            ("01/2018/TT-VPCP", TT, "Văn phòng Chính phủ", 2018),
            ("05-CT/TU", CT, TU, None),
            ("1234/UBND-NC", "Công văn", UBND, 2019),
        ),
    ),
    Case(
        "table",
        _TABLE_TITLE,
        "Kết quả cụ thể của Chương trình mỗi xã một sản phẩm như sau:\n\n" + "\n".join(_TABLE_ROWS),
        True,
        mentions=(
            (_TABLE_TITLE, OCOP),
            ("Kết quả cụ thể của Chương trình mỗi xã một sản phẩm như sau:", MXMSP),
        ),
        ratings=(
            ("Mật ong hoa ban", 4, "HTX Ong mật Điện Biên", _TABLE_ROWS[1]),
            ("Gạo Tám & Séng cù Tâm Sáng", 3, "HTX dịch vụ tổng hợp Thanh Yên", _TABLE_ROWS[2]),
        ),
        published_at="2021-12-20T10:30:00+07:00",
    ),
    Case(
        "fair-without-named-products",
        _PRODUCT_LIST_ONLY[0],
        _paragraphs(*_PRODUCT_LIST_ONLY[1:]),
        True,
        mentions=tuple((sentence, OCOP) for sentence in _PRODUCT_LIST_ONLY),
        published_at="2024-03-10T08:00:00+07:00",
    ),
    Case(
        "typo-only",
        _TYPO[0],
        _paragraphs(*_TYPO[1:]),
        True,
        mentions=((_TYPO[0], MXMSP), (_TYPO[1], MXMSP)),
        ratings=(("Rượu San Thàng", 3, "Hộ kinh doanh Lò Văn Sáng", _TYPO[2]),),
        published_at="2021-04-12T10:00:00+07:00",
    ),
    Case(
        "upper-case-resort-eth",
        _UPPER[0],
        _paragraphs(*_UPPER[1:]),
        True,
        mentions=((_UPPER[0], MXMSP),),
        ratings=(("Miến dong Mường Phăng", 4, None, _UPPER[1]),),
        refs=(("1520/QĐ-UBND", QD, UBND, 2022),),
    ),
    Case(
        "other-phrasings",
        _PHRASINGS[0],
        _paragraphs(*_PHRASINGS[1:]),
        True,
        mentions=((_PHRASINGS[0], OCOP), (_PHRASINGS[1], OCOP), (_PHRASINGS[2], OCOP), (_PHRASINGS[5], OCOP)),
        ratings=(
            ("Gạo Séng cù", 3, "HTX Nông nghiệp Thanh Yên", _PHRASINGS[2]),
            ("Gạo Bắc Hương", 3, "HTX Nông nghiệp Thanh Yên", _PHRASINGS[2]),
            ("Chè Shan tuyết Pá Khoang", 4, "HTX Chè Pá Khoang", _PHRASINGS[3]),
            ("Cà phê Mường Phăng", 4, "HTX Cà phê Mường Phăng", _PHRASINGS[3]),
            ("Măng khô Hua Thanh", 3, None, _PHRASINGS[4]),
        ),
    ),
)
