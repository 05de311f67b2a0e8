"""Vietnamese vocabulary for the generated district news (new-style tone marks, NFC).

Sentences and titles are `str.format` templates; the slot names are listed in `corpus._SLOT_MAKERS`.
"""

COMMUNES = (
    "Thanh Xương",
    "Thanh An",
    "Thanh Chăn",
    "Thanh Hưng",
    "Thanh Luông",
    "Thanh Nưa",
    "Thanh Yên",
    "Noọng Hẹt",
    "Noong Luống",
    "Sam Mứn",
    "Pom Lót",
    "Núa Ngam",
    "Hẹ Muông",
    "Na Ư",
    "Mường Pồn",
    "Mường Nhà",
    "Mường Lói",
    "Na Tông",
    "Phu Luông",
    "Mường Phăng",
    "Nà Tấu",
    "Nà Nhạn",
    "Pá Khoang",
    "Hua Thanh",
)

OCOP_PRODUCTS = (
    ("Mật ong hoa ban", "HTX Ong mật Điện Biên"),
    ("Mật ong bánh tổ", "HTX Ong mật Điện Biên"),
    ("Gạo Tám Tâm Sáng", "HTX dịch vụ tổng hợp Thanh Yên"),
    ("Gạo Séng cù Tâm Sáng", "HTX dịch vụ tổng hợp Thanh Yên"),
    ("Gạo tám thơm Nàng Hiên", "Công ty TNHH Thực phẩm Safe Green"),
    ("Cà phê Mường Phăng", "HTX Cà phê Mường Phăng"),
    ("Chè Shan tuyết Pá Khoang", "HTX Chè Pá Khoang"),
    ("Thịt trâu gác bếp", "Công ty TNHH Đặc sản Tây Bắc"),
    ("Măng khô Hua Thanh", "HTX Nông nghiệp Hua Thanh"),
    ("Miến dong Mường Phăng", "HTX Miến dong Mường Phăng"),
)

SCHOOLS = (
    "Tiểu học Thanh Xương",
    "THCS Thanh An",
    "Mầm non Hoa Ban",
    "PTDTBT THCS Mường Nhà",
    "Tiểu học Noọng Hẹt",
    "THCS Sam Mứn",
    "PTDTBT Tiểu học Mường Lói",
    "Mầm non Pom Lót",
)

OFFICES = (
    "Tư pháp",
    "Tài chính - Kế hoạch",
    "Nội vụ",
    "Văn hóa và Thông tin",
    "Giáo dục và Đào tạo",
    "Nông nghiệp và Phát triển nông thôn",
    "Tài nguyên và Môi trường",
    "Y tế",
)

PLANS = (
    "phát triển sản xuất nông nghiệp",
    "chuyển đổi số",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "cải cách hành chính",
    "bảo vệ và phát triển rừng",
    "tuyên truyền phổ biến, giáo dục pháp luật",
)

AUTHORS = (
    "Nguyễn Hoài Nam – Trung tâm VH-TT-TH huyện",
    "Lò Văn Tiến - Phòng Nông nghiệp",
    "Lường Thị Hương – Phòng Văn hóa và Thông tin",
    "Quàng Văn Dũng - Trung tâm Y tế huyện",
    "Vì Thị Thu – Phòng Giáo dục và Đào tạo",
    "Phạm Thu Trang - Văn phòng HĐND-UBND huyện",
    "Cà Văn Thành – Trung tâm VH-TT-TH huyện",
    "Lê Văn Hùng – Ban Tuyên giáo Huyện ủy",
    "Trần Minh Đức",
    "Hoàng Thị Mai",
)

CAPTIONS = (
    "Quang cảnh hội nghị",
    "Đồng chí lãnh đạo UBND huyện phát biểu tại buổi làm việc",
    "Người dân xã {xa} tham gia ngày hội",
    "Các đại biểu tham quan gian hàng giới thiệu sản phẩm OCOP",
    "Cánh đồng lúa Mường Thanh vào vụ",
    "Lãnh đạo huyện trao giấy khen cho các tập thể, cá nhân",
)

COMMON = (
    "Phát biểu tại buổi làm việc, đồng chí Phó Chủ tịch UBND huyện đề nghị các cơ quan, đơn vị tiếp tục phối "
    "hợp chặt chẽ, tăng cường công tác tuyên truyền để người dân hiểu và tích cực tham gia.",
    "Ban Thường vụ Huyện ủy, UBND huyện xác định đây là nhiệm vụ trọng tâm, cần sự vào cuộc quyết liệt của cả "
    "hệ thống chính trị từ huyện đến cơ sở.",
    "Thời gian tới, UBND xã {xa} sẽ tiếp tục rà soát, đánh giá kết quả thực hiện, kịp thời tháo gỡ khó khăn, "
    "vướng mắc phát sinh.",
    "Theo báo cáo của UBND huyện, đến hết tháng {thang} năm {nam}, toàn huyện đã huy động được trên {ty} tỷ "
    "đồng từ các nguồn vốn để thực hiện các chương trình mục tiêu quốc gia.",
    "Các đại biểu đã tập trung thảo luận, đóng góp nhiều ý kiến tâm huyết, sát với thực tiễn của địa phương.",
    "Đồng chí Chủ tịch UBND huyện ghi nhận, biểu dương những kết quả đã đạt được, đồng thời chỉ ra một số tồn "
    "tại, hạn chế cần sớm khắc phục.",
    "Người dân các bản trên địa bàn xã {xa} đồng tình, hưởng ứng và tích cực tham gia các phong trào do địa "
    "phương phát động.",
    "Công tác kiểm tra, giám sát được duy trì thường xuyên, góp phần nâng cao hiệu lực, hiệu quả quản lý nhà "
    "nước ở cơ sở.",
    "Kết thúc chương trình, đoàn đã trao {so} suất quà, mỗi suất trị giá {tr} triệu đồng cho các hộ gia đình có "
    "hoàn cảnh khó khăn.",
    "Năm {nam}, kinh tế của huyện tiếp tục tăng trưởng khá, cơ cấu kinh tế chuyển dịch đúng hướng, đời sống vật "
    "chất và tinh thần của nhân dân từng bước được cải thiện.",
    "Quốc phòng, an ninh được giữ vững, trật tự an toàn xã hội được bảo đảm, khối đại đoàn kết các dân tộc ngày "
    "càng được củng cố.",
    "Dịp này, UBND huyện đã khen thưởng {so} tập thể và {so2} cá nhân có thành tích xuất sắc.",
    "Tỷ lệ hộ nghèo toàn huyện giảm còn {pct}%, vượt chỉ tiêu Nghị quyết Hội đồng nhân dân huyện đề ra.",
    "Các phòng, ban chuyên môn của huyện được giao nhiệm vụ hướng dẫn, đôn đốc các xã hoàn thành kế hoạch đúng "
    "tiến độ.",
    "Công tác hòa giải ở cơ sở được quan tâm, nhiều vụ việc mâu thuẫn nhỏ trong cộng đồng được giải quyết "
    "thấu tình, đạt lý.",
)

TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nong-thon-moi": (
        (
            "Xã {xa} đạt chuẩn nông thôn mới năm {nam}",
            "Huyện Điện Biên đẩy mạnh xây dựng nông thôn mới tại xã {xa}",
            "Sơ kết chương trình xây dựng nông thôn mới {thang} tháng đầu năm {nam} tại xã {xa}",
            "Kiểm tra tiến độ xây dựng nông thôn mới nâng cao tại xã {xa}",
            "Xã {xa} ra quân làm đường giao thông nông thôn năm {nam}",
        ),
        (
            "Đến nay, xã {xa} đã đạt {tc}/19 tiêu chí nông thôn mới, trong đó các tiêu chí về giao thông, thủy lợi, "
            "điện và trường học cơ bản hoàn thành.",
            "Phong trào hiến đất làm đường giao thông nông thôn được nhân dân hưởng ứng, nhiều hộ gia đình tự "
            "nguyện hiến hàng trăm mét vuông đất.",
            "Toàn huyện đã có {so} xã đạt chuẩn nông thôn mới, {so2} xã đạt chuẩn nông thôn mới nâng cao; bình "
            "quân mỗi xã đạt {tc} tiêu chí.",
            "Hệ thống kênh mương nội đồng được kiên cố hóa, bảo đảm nước tưới cho trên {ha} ha lúa hai vụ trên "
            "cánh đồng Mường Thanh.",
            "Thu nhập bình quân đầu người của xã năm {nam} đạt {tn} triệu đồng/người/năm, tăng so với cùng kỳ "
            "năm trước.",
            "Nhiều tuyến đường bê tông liên bản được hoàn thành, tạo thuận lợi cho việc đi lại, giao thương hàng "
            "hóa của người dân.",
            "Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh” tiếp tục được triển khai "
            "sâu rộng.",
            "Xã đã huy động hơn {ty} tỷ đồng để đầu tư xây dựng nhà văn hóa bản, sân thể thao và các công trình "
            "vệ sinh môi trường.",
        ),
    ),
    "ocop": (
        (
            "{sp} đạt {sao} sao OCOP năm {nam}",
            "Huyện Điện Biên có thêm {so2} sản phẩm được công nhận OCOP {sao} sao",
            "Tập huấn triển khai Chương trình mỗi xã một sản phẩm (OCOP) năm {nam}",
            "Nâng hạng sản phẩm {sp} lên {sao} sao",
            "Đánh giá, phân hạng sản phẩm OCOP huyện Điện Biên đợt {so2} năm {nam}",
        ),
        (
            "Chương trình mỗi xã một sản phẩm (OCOP) là giải pháp quan trọng nhằm phát huy nội lực, gia tăng giá "
            "trị cho các sản phẩm nông nghiệp đặc trưng của địa phương.",
            "Sản phẩm {sp} của {chu_the} được Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh chấm đạt {diem} "
            "điểm, xếp hạng {sao} sao.",
            "Theo Quyết định số {qd}/QĐ-UBND ngày {ngay}/{nam} của UBND tỉnh Điện Biên, huyện có thêm {so2} sản "
            "phẩm được công nhận đạt chuẩn OCOP.",
            "Các chủ thể được hướng dẫn hoàn thiện hồ sơ, thiết kế bao bì, nhãn mác, truy xuất nguồn gốc và xây "
            "dựng câu chuyện sản phẩm.",
            "Hiện nay, {sp} đã có mặt tại nhiều siêu thị, cửa hàng giới thiệu sản phẩm trong và ngoài tỉnh, giá "
            "bán ổn định.",
            "Huyện phấn đấu đến năm {nam2} có ít nhất {so2} sản phẩm đạt từ 3 sao trở lên, trong đó có sản phẩm "
            "đạt 4 sao.",
            "Đại diện {chu_the} cho biết, sau khi được công nhận sản phẩm OCOP {sao} sao, sản lượng tiêu thụ tăng "
            "rõ rệt, thu nhập của các thành viên được nâng lên.",
            "Công tác xúc tiến thương mại, quảng bá sản phẩm qua các hội chợ, sàn thương mại điện tử được chú trọng.",
        ),
    ),
    "ubnd": (
        (
            "Phiên họp thường kỳ tháng {thang2} năm {nam} UBND huyện Điện Biên",
            "UBND huyện Điện Biên tổ chức hội nghị giao ban công tác quý {quy} năm {nam}",
            "UBND huyện làm việc với xã {xa} về tình hình phát triển kinh tế - xã hội",
            "Hội nghị triển khai nhiệm vụ cải cách hành chính năm {nam}",
        ),
        (
            "Chủ trì phiên họp có đồng chí Chủ tịch UBND huyện; tham dự có các đồng chí Phó Chủ tịch UBND huyện, "
            "Thủ trưởng các phòng, ban, đơn vị.",
            "Phiên họp đã nghe báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng {thang}, "
            "nhiệm vụ trọng tâm tháng tiếp theo.",
            "Trong tháng, công tác thu ngân sách trên địa bàn đạt {pct}% dự toán tỉnh giao; giải ngân vốn đầu tư "
            "công đạt {pct2}% kế hoạch.",
            "Kết luận phiên họp, đồng chí Chủ tịch UBND huyện yêu cầu các phòng, ban chuyên môn tập trung chỉ đạo "
            "sản xuất, đẩy nhanh tiến độ các công trình trọng điểm.",
            "Công tác cải cách hành chính, chuyển đổi số được đẩy mạnh; {pct2}% hồ sơ thủ tục hành chính được giải "
            "quyết đúng hạn.",
            "Các ý kiến tại phiên họp tập trung vào công tác giải phóng mặt bằng, quản lý đất đai, trật tự xây "
            "dựng và bảo vệ môi trường.",
        ),
    ),
    "suc-khoe": (
        (
            "Khám sức khỏe miễn phí cho người dân xã {xa}",
            "Tăng cường công tác phòng, chống dịch bệnh mùa mưa năm {nam}",
            "Tiêm chủng mở rộng tại xã {xa}: bảo vệ sức khỏe trẻ em",
            "Trung tâm Y tế huyện Điện Biên triển khai chiến dịch chăm sóc sức khỏe sinh sản năm {nam}",
        ),
        (
            "Trung tâm Y tế huyện đã tổ chức khám, tư vấn sức khỏe và cấp phát thuốc miễn phí cho {so3} người dân.",
            "Công tác tuyên truyền phòng, chống dịch bệnh như sốt xuất huyết, tay chân miệng, sởi được tăng cường "
            "tại các bản vùng cao.",
            "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin đạt {pct2}%.",
            "Chương trình chăm sóc sức khỏe ban đầu cho người cao tuổi, phụ nữ mang thai và trẻ em được triển khai "
            "đồng bộ tại {so} trạm y tế xã.",
            "Các y, bác sĩ đã hướng dẫn người dân cách giữ gìn vệ sinh, ăn chín, uống sôi, ngủ màn và chủ động "
            "phòng bệnh.",
            "Đội ngũ nhân viên y tế thôn bản được tập huấn nâng cao năng lực, kịp thời phát hiện và báo cáo các ca "
            "bệnh truyền nhiễm.",
        ),
    ),
    "nong-nghiep": (
        (
            "Nông dân xã {xa} thu hoạch lúa vụ Mùa năm {nam}",
            "Hiệu quả mô hình trồng cà phê tại xã {xa}",
            "Phòng, chống đói, rét cho đàn gia súc mùa đông năm {nam}",
            "Nạo vét kênh mương thủy lợi phục vụ sản xuất vụ Đông Xuân tại xã {xa}",
            "Huyện Điện Biên gieo cấy vụ Đông Xuân năm {nam}",
        ),
        (
            "Vụ Đông Xuân năm {nam}, toàn huyện gieo cấy được {ha} ha lúa, năng suất bình quân ước đạt {ns} tạ/ha.",
            "Phòng Nông nghiệp và Phát triển nông thôn huyện đã chỉ đạo các xã chủ động nguồn nước, bảo đảm lịch "
            "thời vụ.",
            "Mô hình trồng cà phê, mắc ca tại xã {xa} bước đầu cho hiệu quả kinh tế, góp phần chuyển đổi cơ cấu cây "
            "trồng.",
            "Công tác phòng, chống đói, rét cho đàn gia súc trong mùa đông được các hộ chăn nuôi chủ động thực hiện.",
            "Hệ thống công trình thủy lợi Nậm Rốm được nạo vét, tu sửa kịp thời phục vụ tưới tiêu cho cánh đồng "
            "Mường Thanh.",
            "Người dân được hỗ trợ giống, phân bón và hướng dẫn kỹ thuật canh tác theo hướng an toàn, bền vững.",
            "Tổng đàn gia súc, gia cầm trên địa bàn huyện ổn định, không có dịch bệnh lớn xảy ra.",
        ),
    ),
    "giao-duc": (
        (
            "Trường {truong} khai giảng năm học {nam}–{nam1}",
            "Huyện Điện Biên tổng kết năm học {nam0}–{nam}",
            "Trao học bổng cho học sinh nghèo vượt khó xã {xa}",
            "Hội thi giáo viên dạy giỏi cấp huyện năm học {nam}–{nam1}",
        ),
        (
            "Năm học {nam}–{nam1}, toàn huyện có {so3} trường học với trên {hs} nghìn học sinh các cấp.",
            "Ngành Giáo dục huyện tập trung nâng cao chất lượng dạy và học, duy trì kết quả phổ cập giáo dục, xóa "
            "mù chữ.",
            "Nhiều trường học đã được đầu tư xây dựng phòng học kiên cố, nhà bán trú cho học sinh vùng cao.",
            "Tại buổi lễ, Trường {truong} đã trao {so} suất học bổng cho học sinh có hoàn cảnh khó khăn vượt khó "
            "học tốt.",
            "Công tác phối hợp giữa nhà trường, gia đình và xã hội trong giáo dục học sinh được tăng cường.",
        ),
    ),
    "le-hoi": (
        (
            "Lễ hội Hoa Ban năm {nam}: nhiều hoạt động đặc sắc",
            "Xã {xa} tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm {nam}",
            "Giải bóng đá thanh niên huyện Điện Biên năm {nam}",
            "Lễ hội đua thuyền truyền thống trên sông Nậm Rốm năm {nam}",
        ),
        (
            "Lễ hội Hoa Ban là dịp để quảng bá hình ảnh, con người và văn hóa các dân tộc tỉnh Điện Biên tới du "
            "khách trong và ngoài nước.",
            "Chương trình văn nghệ với nhiều tiết mục ca, múa, nhạc đặc sắc mang đậm bản sắc văn hóa dân tộc Thái, "
            "Mông, Khơ Mú.",
            "Các môn thi đấu thể thao dân tộc như kéo co, đẩy gậy, ném còn, bắn nỏ thu hút đông đảo vận động viên "
            "và người dân tham gia.",
            "Phần lễ được tổ chức trang trọng, phần hội diễn ra sôi nổi với nhiều trò chơi dân gian.",
            "Hoạt động này góp phần giữ gìn, phát huy giá trị văn hóa truyền thống, thúc đẩy phát triển du lịch "
            "cộng đồng của huyện.",
            "Xã {xa} đã trình diễn trang phục truyền thống và giới thiệu các món ăn đặc sản như xôi nếp nương, cá "
            "nướng sông Nậm Rốm, thịt trâu gác bếp.",
        ),
    ),
    "quoc-phong": (
        (
            "Huyện Điện Biên tổ chức lễ giao nhận quân năm {nam}",
            "Diễn tập khu vực phòng thủ xã {xa} năm {nam}",
            "Đảng bộ xã {xa} tổng kết công tác xây dựng Đảng năm {nam}",
        ),
        (
            "Năm {nam}, huyện Điện Biên có {so3} thanh niên lên đường nhập ngũ, đạt 100% chỉ tiêu giao.",
            "Tại buổi lễ, các tân binh đã nhận được sự động viên, dặn dò của lãnh đạo huyện và gia đình.",
            "Đảng bộ huyện đã tập trung lãnh đạo thực hiện tốt công tác xây dựng Đảng về chính trị, tư tưởng, đạo "
            "đức và tổ chức.",
            "Diễn tập khu vực phòng thủ nhằm nâng cao năng lực lãnh đạo, chỉ đạo, điều hành của cấp ủy, chính quyền "
            "trong xử lý các tình huống.",
            "Công tác kết nạp đảng viên mới được quan tâm, trong năm đã kết nạp {so3} đảng viên.",
        ),
    ),
    "quyet-dinh": (
        (
            "Triển khai Quyết định số {qd}/QĐ-UBND về kế hoạch {kh} năm {nam}",
            "Công bố Quyết định bổ nhiệm Trưởng phòng {phong} huyện Điện Biên",
            "UBND huyện ban hành kế hoạch {kh} giai đoạn {nam}–{nam5}",
        ),
        (
            "Ngày {ngay}/{nam}, UBND huyện Điện Biên ban hành Quyết định số {qd}/QĐ-UBND về việc phê duyệt kế "
            "hoạch {kh}.",
            "Quyết định nêu rõ mục tiêu, nhiệm vụ, giải pháp và phân công trách nhiệm cụ thể cho các cơ quan, đơn vị.",
            "Thực hiện Quyết định số {qd2}/QĐ-TTg của Thủ tướng Chính phủ, huyện đã xây dựng kế hoạch triển khai "
            "trên địa bàn.",
            "Tại buổi lễ, đồng chí Bí thư Huyện ủy đã trao quyết định và chúc mừng đồng chí Trưởng phòng {phong} "
            "được bổ nhiệm.",
            "Kinh phí thực hiện từ nguồn ngân sách nhà nước và các nguồn vốn huy động hợp pháp khác.",
        ),
    ),
}

# Topics of the sub-sites only (kept out of TOPICS, which draws the main corpus).
SUB_SITE_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "van-hoa": (
        (
            "Bảo tồn nghề dệt thổ cẩm của đồng bào Thái xã {xa}",
            "Xã {xa} khôi phục điệu xòe truyền thống năm {nam}",
            "Câu lạc bộ văn nghệ dân gian bản Mển, xã {xa} ra mắt",
            "Hội thi văn hóa, văn nghệ quần chúng huyện Điện Biên năm {nam}",
            "Giữ gìn tiếng nói, chữ viết dân tộc Thái ở xã {xa}",
        ),
        (
            "Nghề dệt thổ cẩm được các nghệ nhân truyền dạy cho thế hệ trẻ, mỗi năm mở {so} lớp tại nhà văn hóa bản.",
            "Điệu xòe vòng là di sản văn hóa phi vật thể đại diện của nhân loại, gắn bó với đời sống đồng bào Thái.",
            "Các tiết mục hát then, đàn tính, múa sạp được dàn dựng công phu, mang đậm bản sắc văn hóa địa phương.",
            "Phòng Văn hóa và Thông tin huyện phối hợp với UBND xã {xa} tổ chức sưu tầm, lưu giữ các hiện vật "
            "truyền thống.",
            "Nhà văn hóa bản được đầu tư xây dựng với kinh phí {ty} tỷ đồng, là nơi sinh hoạt cộng đồng của bà con.",
            "Những người cao tuổi trong bản vẫn kể cho con cháu nghe các truyện cổ, dạy hát những làn điệu dân ca.",
        ),
    ),
    "du-lich": (
        (
            "Du lịch cộng đồng bản Mển, xã {xa} hút khách dịp cuối tuần",
            "Khám phá hang động Pa Thơm và cánh rừng nguyên sinh",
            "Huyện Điện Biên quảng bá du lịch tại hội chợ năm {nam}",
            "Homestay xã {xa}: điểm dừng chân mới của du khách",
            "Mùa hoa ban nở, du khách tìm về xã {xa}",
        ),
        (
            "Năm {nam}, huyện Điện Biên đón trên {so3} nghìn lượt khách du lịch, doanh thu đạt {ty} tỷ đồng.",
            "Du khách được trải nghiệm cuộc sống của đồng bào, thưởng thức xôi nếp nương, cá nướng và rượu cần.",
            "Các hộ làm homestay được tập huấn về kỹ năng đón tiếp, phục vụ khách và giữ gìn vệ sinh môi trường.",
            "Con đường vào bản được bê tông hóa, thuận tiện cho xe ô tô đưa khách đến tham quan.",
            "Huyện đang xây dựng các tour kết nối điểm di tích lịch sử với các bản du lịch cộng đồng.",
            "Nhiều du khách nước ngoài đánh giá cao cảnh quan thiên nhiên và sự thân thiện của người dân xã {xa}.",
        ),
    ),
}
