"""The special articles of the corpus: the real seed page and one article per quirk an extractor must handle."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from replica.model import VN_TZ, Block, Image, Raw, Table, parse_posted, slugify

SEED_FILE = Path(__file__).with_name("data") / "seed_000_4aec2ace4b319812.txt"
_BULLET = "  • "
_IMAGE_NAME = re.compile(r"\S+\.(?:jpe?g|png|gif)", re.IGNORECASE)
_PAGER = re.compile(r"\d+-\d+ of \d+")


@dataclass(frozen=True)
class Spec:
    """A special article: fixed title, time, author and leading blocks; `filler` generated paragraphs follow."""

    name: str
    title: str
    published: datetime
    author: str | None
    blocks: tuple[Block, ...]
    topic: str = "ubnd"
    filler: int = 2
    quirks: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class SeedPage:
    """The parsed seed page: its article and the titles of its "Các tin bài khác" box."""

    spec: Spec
    other_titles: tuple[str, ...]


def _vn(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)


def parse_seed(text: str) -> SeedPage:
    """Parse the text copy of a portal article page (bullets for list items, indented continuation lines)."""
    items: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith(_BULLET):
            items.append([line[len(_BULLET) :]])
        elif line.strip() and items:
            items[-1].append(line.strip())
    labels = [item[0] for item in items]
    title = labels[0]
    published = parse_posted(labels[1].removeprefix("Thời gian đăng:"))
    author_at = next(i for i, label in enumerate(labels) if label.startswith("Tác giả:"))
    others_at = labels.index("Các tin bài khác:")
    pager_at = next(i for i, label in enumerate(labels) if _PAGER.match(label))
    blocks: list[Block] = []
    for line in (line for item in items[2:author_at] for line in item):
        if _IMAGE_NAME.fullmatch(line):
            blocks.append(Image(f"/Uploads/{published.year}/{line}", line, None))
        else:
            blocks.append(line)
    author = labels[author_at].removeprefix("Tác giả:").strip() or None
    spec = Spec("seed", title, published, author, tuple(blocks), filler=0, quirks=frozenset({"seed", "typo"}))
    return SeedPage(spec, tuple(labels[others_at + 1 : pager_at]))


SEED = parse_seed(SEED_FILE.read_text(encoding="utf-8"))

_INJECTION = (
    Raw("<script>alert(1)</script>", ""),
    "Theo Công an huyện, thời gian gần đây trên địa bàn xuất hiện nhiều tin nhắn giả mạo ngân hàng, cơ quan nhà "
    "nước, thông báo trúng thưởng hoặc yêu cầu cập nhật thông tin tài khoản. Các đối tượng dẫn dụ người dân truy "
    "cập đường link lạ, cài đặt ứng dụng giả mạo rồi chiếm đoạt tiền trong tài khoản.",
    Raw(
        "<p>Người dân tuyệt đối không truy cập đường link lạ <img src=x onerror=alert(2)> và không cung cấp mã "
        "OTP cho bất kỳ ai.</p>",
        "Người dân tuyệt đối không truy cập đường link lạ và không cung cấp mã OTP cho bất kỳ ai.",
    ),
    Raw('<p><a href="javascript:alert(3)">Nhận quà tri ân khách hàng</a></p>', "Nhận quà tri ân khách hàng"),
    Raw(
        '<script>document.currentScript.insertAdjacentHTML("afterend", '
        "'<div id=\"injected\">Nội dung do mã độc chèn vào</div>');</script>",
        "",
    ),
)

_OCOP_TABLE = Table(
    (
        ("STT", "Tên sản phẩm", "Chủ thể", "Hạng sao"),
        ("1", "Mật ong hoa ban", "HTX Ong mật Điện Biên", "4 sao"),
        ("2", "Mật ong bánh tổ", "HTX Ong mật Điện Biên", "4 sao"),
        ("3", "Gạo Tám & Séng cù Tâm Sáng", "HTX dịch vụ tổng hợp Thanh Yên", "3 sao"),
        ("4", "Gạo tám thơm Nàng Hiên", "Công ty TNHH Thực phẩm Safe Green", "3 sao"),
        ("5", "Cà phê Mường Phăng", "HTX Cà phê Mường Phăng", "3 sao"),
        ("6", "Chè Shan tuyết Pá Khoang", "HTX Chè Pá Khoang", "3 sao"),
    )
)

_HEALTH_LEAD = (
    "Thực hiện kế hoạch năm {year}, UBND xã {commune} phối hợp với Trạm Y tế xã tổ chức tuyên truyền về chăm sóc "
    "sức khỏe ban đầu, công tác hòa giải ở cơ sở và bảo vệ các công trình thủy lợi cho hơn 200 hộ dân. Cán bộ "
    "Ủy ban nhân dân xã đã hướng dẫn người dân giữ gìn vệ sinh, bảo vệ sức khỏe gia đình và chủ động hòa giải "
    "những mâu thuẫn nhỏ trong cộng đồng."
)
_HEALTH_TITLE = "Xã {commune} tuyên truyền chăm sóc sức khỏe, hòa giải ở cơ sở và bảo vệ công trình thủy lợi"

SPECS: tuple[Spec, ...] = (
    SEED.spec,
    Spec(
        "portal-example",
        "HUYỆN ĐIỆN BIÊN 70 NĂM PHẤN ĐẤU - XÂY DỰNG - TRƯỞNG THÀNH",
        _vn(2019, 5, 14, 8, 30),
        "Lê Văn Hùng – Ban Tuyên giáo Huyện ủy",
        (
            "Trải qua 70 năm xây dựng và phát triển, Đảng bộ, chính quyền và nhân dân các dân tộc huyện Điện Biên đã "
            "đoàn kết, nỗ lực vượt qua khó khăn, giành được nhiều thành tựu quan trọng trên các lĩnh vực kinh tế, văn "
            "hóa, xã hội, quốc phòng và an ninh.",
        ),
        topic="nong-thon-moi",
        filler=3,
    ),
    Spec(
        "nfd",
        "Nông dân xã Thanh Xương ra quân nạo vét kênh mương thủy lợi đầu xuân",
        _vn(2022, 2, 21, 9, 12, 44),
        "Lò Văn Tiến - Phòng Nông nghiệp",
        (
            "Sáng ngày 20/2, hơn 300 người dân các bản thuộc xã Thanh Xương đã ra quân nạo vét kênh mương nội đồng, "
            "khơi thông dòng chảy, bảo đảm nước tưới cho cánh đồng lúa vụ Đông Xuân. Đây là hoạt động được duy trì "
            "hằng năm, thể hiện tinh thần đoàn kết, chủ động của bà con trong sản xuất nông nghiệp.",
        ),
        topic="nong-nghiep",
        quirks=frozenset({"nfd"}),
    ),
    Spec(
        "eth",
        "Đoàn công tác tỉnh Điện Biên kiểm tra công tác phòng, chống thiên tai tại huyện Điện Biên",
        _vn(2018, 7, 26, 10, 5),
        "Phạm Thu Trang - Văn phòng HĐND-UBND huyện",
        (
            "Ngày 25/7, Đoàn công tác của Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh Điện Biên đã "
            "kiểm tra công tác khắc phục hậu quả mưa lũ tại các xã Mường Pồn, Na Ư và Hẹ Muông. Đoàn đề nghị huyện "
            "Điện Biên khẩn trương di dời các hộ dân ở vùng có nguy cơ sạt lở đến nơi an toàn.",
        ),
        quirks=frozenset({"eth"}),
    ),
    Spec(
        "old-tone",
        _HEALTH_TITLE.format(commune="Thanh An"),
        _vn(2017, 3, 15, 14, 22, 10),
        "Vì Thị Thu – Phòng Giáo dục và Đào tạo",
        (_HEALTH_LEAD.format(year=2017, commune="Thanh An"),),
        topic="suc-khoe",
        quirks=frozenset({"old-tone"}),
    ),
    Spec(
        "new-tone",
        _HEALTH_TITLE.format(commune="Noọng Hẹt"),
        _vn(2023, 3, 15, 14, 22, 10),
        "Quàng Văn Dũng - Trung tâm Y tế huyện",
        (_HEALTH_LEAD.format(year=2023, commune="Noọng Hẹt"),),
        topic="suc-khoe",
    ),
    Spec(
        "no-author-label",
        "Thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND huyện tháng 6 năm 2023",
        _vn(2023, 6, 1, 7, 45),
        None,
        (
            "Chủ tịch UBND huyện Điện Biên thông báo lịch tiếp công dân định kỳ tháng 6 năm 2023 như sau: thời gian "
            "tiếp công dân vào ngày 15/6/2023, bắt đầu từ 7 giờ 30 phút; địa điểm tại Trụ sở tiếp công dân huyện, xã "
            "Thanh Xương. Đề nghị công dân khi đến mang theo giấy tờ tùy thân và các tài liệu có liên quan.",
        ),
    ),
    Spec(
        "empty-author",
        "Kế hoạch tổ chức các hoạt động hưởng ứng Tháng hành động vì người cao tuổi năm 2022",
        _vn(2022, 9, 28, 16, 40, 12),
        None,
        (
            "Nhằm nâng cao nhận thức của các cấp, các ngành và toàn xã hội về công tác chăm sóc sức khỏe, phát huy vai "
            "trò người cao tuổi, UBND huyện Điện Biên ban hành kế hoạch tổ chức các hoạt động hưởng ứng Tháng hành "
            "động vì người cao tuổi Việt Nam từ ngày 01/10 đến ngày 31/10/2022.",
        ),
        topic="suc-khoe",
        quirks=frozenset({"empty-author"}),
    ),
    Spec(
        "midnight",
        "Huyện Điện Biên triển khai nhiệm vụ phát triển kinh tế - xã hội năm 2021",
        _vn(2021, 1, 5, 0, 5, 10),
        "Phạm Thu Trang - Văn phòng HĐND-UBND huyện",
        (
            "Ngày 04/01, UBND huyện Điện Biên tổ chức hội nghị triển khai nhiệm vụ phát triển kinh tế - xã hội, bảo "
            "đảm quốc phòng, an ninh năm 2021. Năm 2021, huyện phấn đấu tổng giá trị sản xuất tăng 8,5%, tỷ lệ hộ "
            "nghèo giảm từ 3% trở lên và có thêm 03 xã đạt chuẩn nông thôn mới.",
        ),
    ),
    Spec(
        "noon",
        "Trao quà cho hộ nghèo xã Pom Lót nhân Ngày hội Đại đoàn kết toàn dân tộc",
        _vn(2019, 11, 3, 12, 40),
        "Cà Văn Thành – Trung tâm VH-TT-TH huyện",
        (
            "Nhân dịp kỷ niệm 89 năm Ngày thành lập Mặt trận Dân tộc Thống nhất Việt Nam, Ủy ban MTTQ huyện Điện Biên "
            "đã trao 50 suất quà cho các hộ nghèo xã Pom Lót. Mỗi suất quà gồm 10 kg gạo, dầu ăn và 300 nghìn đồng "
            "tiền mặt.",
        ),
        topic="le-hoi",
    ),
    Spec(
        "day-first",
        "Hội nghị triển khai công tác phòng cháy, chữa cháy rừng năm 2023",
        _vn(2023, 4, 6, 16, 20, 45),
        "Lò Văn Tiến - Phòng Nông nghiệp",
        (
            "Chiều ngày 06/4, Ban Chỉ đạo phòng cháy, chữa cháy rừng huyện Điện Biên tổ chức hội nghị triển khai "
            "nhiệm vụ năm 2023. Toàn huyện hiện có trên 50 nghìn ha rừng, trong đó nhiều diện tích rừng trồng, rừng "
            "phục hồi có nguy cơ cháy cao trong mùa khô.",
        ),
        topic="nong-nghiep",
    ),
    Spec(
        "table",
        "Kết quả đánh giá, phân hạng sản phẩm OCOP huyện Điện Biên năm 2021",
        _vn(2021, 12, 20, 10, 30),
        "Nguyễn Hoài Nam – Trung tâm VH-TT-TH huyện",
        (
            "Năm 2021, Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Điện Biên đã công nhận 06 sản phẩm của huyện "
            "Điện Biên đạt hạng từ 3 đến 4 sao. Kết quả cụ thể của Chương trình mỗi xã một sản phẩm như sau:",
            _OCOP_TABLE,
        ),
        topic="ocop",
    ),
    Spec(
        "ocop",
        "Mật ong hoa ban Điện Biên đạt 4 sao OCOP",
        _vn(2022, 11, 11, 9, 0),
        "Nguyễn Hoài Nam – Trung tâm VH-TT-TH huyện",
        (
            "Sản phẩm Mật ong hoa ban của HTX Ong mật Điện Biên vừa được UBND tỉnh công nhận đạt 4 sao theo Quyết định "
            "số 1250/QĐ-UBND ngày 08/11/2022. Đây là lần thứ hai sản phẩm được nâng hạng, từ 3 sao lên 4 sao, sau "
            "khi chủ thể đầu tư hoàn thiện quy trình sản xuất, bao bì và truy xuất nguồn gốc.",
            Image("/Uploads/2022/11/mat-ong-hoa-ban.jpg", "mat-ong-hoa-ban.jpg", "Mật ong hoa ban đạt 4 sao OCOP"),
        ),
        topic="ocop",
    ),
    Spec(
        "parent-relative-image",
        "Ngày hội văn hóa các dân tộc xã Mường Phăng năm 2019",
        _vn(2019, 10, 12, 15, 0),
        "Lường Thị Hương – Phòng Văn hóa và Thông tin",
        (
            "Ngày 11/10, xã Mường Phăng tổ chức Ngày hội văn hóa các dân tộc năm 2019 với sự tham gia của hơn 500 "
            "diễn viên, vận động viên đến từ 30 bản. Ngày hội là dịp để đồng bào các dân tộc giao lưu, học hỏi, giữ "
            "gìn bản sắc văn hóa truyền thống.",
            Image(
                "../Uploads/2019/10/ngay-hoi-van-hoa-muong-phang.jpg",
                "Ngày hội văn hóa",
                "Màn trình diễn trang phục dân tộc Thái tại ngày hội",
            ),
            Image("../Uploads/x.jpg", "", None),
        ),
        topic="le-hoi",
    ),
    Spec(
        "absolute-image",
        "Lễ hội Hoa Ban năm 2023 tại huyện Điện Biên",
        _vn(2023, 3, 8, 8, 0),
        "Cà Văn Thành – Trung tâm VH-TT-TH huyện",
        (
            "Trong khuôn khổ Lễ hội Hoa Ban năm 2023, huyện Điện Biên tổ chức nhiều hoạt động văn hóa, thể thao và du "
            "lịch đặc sắc như thi người đẹp Hoa Ban, trình diễn trang phục dân tộc, thi ẩm thực và các trò chơi dân "
            "gian, thu hút đông đảo người dân và du khách.",
            Image(
                "http://huyendienbien.gov.vn/Uploads/2023/03/le-hoi-hoa-ban.jpg",
                "le-hoi-hoa-ban.jpg",
                "Hoa ban nở trắng núi rừng Điện Biên",
            ),
        ),
        topic="le-hoi",
    ),
    Spec(
        "script-injection",
        "Huyện Điện Biên tuyên truyền phòng, chống lừa đảo trên không gian mạng",
        _vn(2024, 5, 22, 10, 10, 10),
        "Phạm Thu Trang - Văn phòng HĐND-UBND huyện",
        _INJECTION,
        filler=1,
        quirks=frozenset({"script-injection"}),
    ),
    Spec(
        "ocop-forms",
        "Huyện Điện Biên có thêm 06 sản phẩm đạt chuẩn OCOP năm 2023",
        _vn(2023, 12, 15, 16, 45),
        "Lò Văn Tiến - Phòng Nông nghiệp",
        (
            "Ngày 12/12, UBND tỉnh Điện Biên ban hành Quyết định số 1834/QĐ-UBND công nhận kết quả đánh giá, phân "
            "hạng sản phẩm OCOP năm 2023. Theo đó, huyện Điện Biên có 02 sản phẩm đạt 04 sao (Chè Shan tuyết Pá "
            "Khoang, Cà phê Mường Phăng); 03 sản phẩm của HTX Nông nghiệp Hua Thanh đạt chuẩn OCOP 3 sao gồm: Măng "
            "khô Hua Thanh, Miến dong Hua Thanh và Chuối sấy dẻo.",
            "Sản phẩm Gạo Séng cù Mường Thanh được nâng hạng từ 3 sao lên bốn sao. Huyện phấn đấu đến năm 2025 có ít "
            "nhất 15 sản phẩm đạt từ 3 sao trở lên, thực hiện Nghị quyết số 02-NQ/HU của Huyện ủy và Nghị định số "
            "61/2018/NĐ-CP.",
            "Các sản phẩm được giới thiệu tới du khách tại khách sạn 4 sao Mường Thanh trong dịp 31/12/2023.",
        ),
        topic="ocop",
        filler=0,
    ),
    Spec(
        "hotel",
        "Huyện Điện Biên làm việc với doanh nghiệp về đầu tư phát triển du lịch cộng đồng",
        _vn(2024, 8, 16, 14, 30),
        "Lường Thị Hương – Phòng Văn hóa và Thông tin",
        (
            "Ngày 15/8, UBND huyện Điện Biên làm việc với Công ty Cổ phần Du lịch Mường Thanh về dự án đầu tư khu nghỉ "
            "dưỡng sinh thái và khách sạn 4 sao tại xã Thanh Nưa. Theo đề xuất, dự án có quy mô khoảng 12 ha, gồm "
            "khách sạn 4 sao với 150 phòng, khu homestay và dịch vụ trải nghiệm văn hóa bản Thái.",
        ),
        quirks=frozenset({"hotel-stars"}),
    ),
    Spec(
        "dead",
        "Thông báo kết quả tuyển dụng viên chức sự nghiệp giáo dục năm 2020",
        _vn(2020, 7, 7, 9, 45),
        "Vì Thị Thu – Phòng Giáo dục và Đào tạo",
        (
            "Hội đồng tuyển dụng viên chức sự nghiệp giáo dục huyện Điện Biên thông báo kết quả xét tuyển viên chức "
            "năm 2020. Danh sách thí sinh trúng tuyển được niêm yết công khai tại trụ sở Phòng Giáo dục và Đào tạo "
            "huyện và các trường học có chỉ tiêu tuyển dụng.",
        ),
        topic="giao-duc",
        quirks=frozenset({"dead-link"}),
    ),
    Spec(
        "forbidden",
        "Nội bộ - Lịch công tác tuần của Thường trực Huyện ủy",
        _vn(2025, 6, 9, 8, 0),
        None,
        (
            "Lịch công tác tuần của Thường trực Huyện ủy Điện Biên từ ngày 09/6 đến ngày 13/6/2025. Tài liệu dành cho "
            "cán bộ, công chức trong hệ thống chính trị của huyện, không phổ biến ra bên ngoài.",
        ),
        quirks=frozenset({"robots-forbidden"}),
    ),
    Spec(
        "flaky",
        "Huyện Điện Biên tổ chức Lễ ra quân huấn luyện năm 2024",
        _vn(2024, 3, 4, 7, 30),
        "Lê Văn Hùng – Ban Tuyên giáo Huyện ủy",
        (
            "Sáng ngày 03/3, Ban Chỉ huy Quân sự huyện Điện Biên tổ chức Lễ ra quân huấn luyện năm 2024. Năm nay, đơn "
            "vị tập trung huấn luyện sát thực tế chiến đấu, nâng cao trình độ cho lực lượng dân quân tự vệ và dự bị "
            "động viên.",
        ),
        topic="quoc-phong",
        quirks=frozenset({"flaky-500"}),
    ),
    Spec(
        "eye",
        "Khám, điều trị bệnh về mắt miễn phí cho người cao tuổi xã Thanh Luông",
        _vn(2024, 10, 9, 9, 15),
        "Quàng Văn Dũng - Trung tâm Y tế huyện",
        (
            "Ngày 08/10, Trung tâm Y tế huyện Điện Biên phối hợp với Bệnh viện Mắt tỉnh khám, điều trị bệnh về mắt "
            "miễn phí cho hơn 400 người cao tuổi xã Thanh Luông. Nhiều người được mổ đục thủy tinh thể, đôi mắt sáng "
            "trở lại sau nhiều năm nhìn mờ.",
            "Các bác sĩ khuyến cáo người dân nên khám mắt định kỳ, đeo kính bảo hộ khi làm nương và không tự ý dùng "
            "thuốc nhỏ mắt khi chưa có chỉ định.",
            "Chương trình do Trung tâm Y tế huyện tổ chức hằng năm tại các xã vùng cao.",
        ),
        topic="suc-khoe",
        filler=0,
    ),
    Spec(
        "cool",
        "Thời tiết mát mẻ, nông dân xã Thanh Hưng tranh thủ cấy lúa vụ mùa",
        _vn(2023, 7, 18, 8, 40),
        "Lò Văn Tiến - Phòng Nông nghiệp",
        (
            "Những ngày qua, thời tiết mát mẻ, mưa đều, bà con xã Thanh Hưng tranh thủ làm đất, cấy lúa vụ mùa. Đến "
            "nay toàn xã đã cấy được 85% diện tích, dự kiến hoàn thành trước ngày 30/7.",
            "Cán bộ khuyến nông của xã hướng dẫn bà con bón phân cân đối, theo dõi sâu bệnh trên đồng ruộng.",
            "Gió nhẹ, trời mát, lượng mưa phân bố đều là điều kiện thuận lợi cho cây lúa bén rễ.",
        ),
        topic="nong-nghiep",
        filler=0,
    ),
    Spec(
        "scattered",
        "Nông dân thôn Huổi Hốc vui mùa lúa mới",
        _vn(2022, 10, 25, 15, 5),
        "Lò Văn Tiến - Phòng Nông nghiệp",
        (
            "Mùa lúa mới năm nay, bà con nông dân thôn Huổi Hốc thu hoạch đạt năng suất cao nhờ áp dụng giống lúa "
            "mới và tưới tiêu chủ động. Nông dân trong thôn phấn khởi vì giá lúa ổn định.",
            "Nhiều hộ đã bán thóc cho thương lái ngay tại ruộng, thu về từ 25 đến 30 triệu đồng mỗi hộ.",
            "Sau thu hoạch, bà con tranh thủ làm đất, chuẩn bị cho vụ Đông.",
        ),
        topic="nong-nghiep",
        filler=0,
    ),
    Spec(
        "html-escape",
        "Chăn nuôi & phòng, chống rét: giữ đàn gia súc khi nhiệt độ <10°C",
        _vn(2016, 12, 19, 9, 0),
        "Lò Văn Tiến - Phòng Nông nghiệp",
        (
            "Khi nhiệt độ ngoài trời xuống <10°C, các hộ chăn nuôi cần che chắn chuồng trại, bổ sung thức ăn tinh & "
            'muối khoáng, không thả rông gia súc trên núi cao. Khẩu hiệu "<không thả rông>" được viết trên bảng tin '
            "các bản.",
        ),
        topic="nong-nghiep",
    ),
)

SPECIAL: dict[str, str] = {spec.name: slugify(spec.title) for spec in SPECS}
