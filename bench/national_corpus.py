"""A generated national corpus: each portal's news written about its own province, district and communes.

The replica's corpus is one district's news (Điện Biên's). Written 700 times over, as the first national search
benchmark did, `Điện Biên` is in more than half of a national archive, and `Mường Phăng` in a twentieth of it. Real
portals name their own places: here portal `i` is a district of one of Vietnam's 63 provinces (Điện Biên province
holds the real Điện Biên district and its neighbours), with communes of its own, and its corpus is drawn from its
own seed. Place names in its articles are rewritten to its own; every other word, the generic phrases of district
news included (`nông thôn mới`, `học sinh`, `hòa giải`), is as the replica writes it.

`national_rows(n, portals)` yields `articles` rows (with `portal`, `province`, `district`) portal by portal, so the
corpus is never all in memory; `places(portals)` is the registry of the portals it writes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from search import rows_of

from replica import vocab
from replica.corpus import generate

PROVINCES = (
    "Điện Biên", "Lai Châu", "Lào Cai", "Sơn La", "Yên Bái", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Lạng Sơn",
    "Tuyên Quang", "Thái Nguyên", "Phú Thọ", "Bắc Giang", "Quảng Ninh", "Bắc Ninh", "Hà Nam", "Hải Dương",
    "Hưng Yên", "Nam Định", "Ninh Bình", "Thái Bình", "Vĩnh Phúc", "Hòa Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa",
    "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh",
    "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long",
    "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Hà Nội",
    "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh",
)  # fmt: skip
# Điện Biên province's districts, the first portals of its province.
DIEN_BIEN = ("Điện Biên", "Điện Biên Đông", "Mường Ảng", "Mường Chà", "Mường Nhé", "Nậm Pồ", "Tủa Chùa", "Tuần Giáo")
_FIRST = (
    "An Bình Cẩm Châu Diên Đại Đông Đức Gia Hải Hàm Hòa Hoài Hưng Kim Lạc Long Mỹ Nam Ngọc Nghĩa Phú Phù Phước "
    "Quảng Quế Tam Tân Thạch Thanh Thuận Tiên Triệu Trực Vạn Vĩnh Xuân Yên Bảo Cao Chợ Hồng Kỳ Lâm Mường Na"
).split()
_SECOND = (
    "An Bình Châu Cường Điền Định Đông Giang Hà Hải Hòa Hưng Khánh Lâm Lộc Long Lợi Minh Ninh Phong Phú Phước Quang "
    "Sơn Tân Thành Thịnh Thuận Tiến Trung Vinh Xuyên Yên Bắc Cát Lĩnh Nguyên Thủy Tường"
).split()
_NAMES = tuple(f"{first} {second}" for first in _FIRST for second in _SECOND if first != second)
COMMUNES_PER_PORTAL = len(vocab.COMMUNES)


@dataclass(frozen=True)
class Place:
    """One generated portal: its registry names and the communes its news names."""

    portal: str
    province: str
    district: str
    communes: tuple[str, ...]


def places(portals: int, seed: int = 15) -> list[Place]:
    """The portals of the corpus, portal `i` in province `i mod 63`; Điện Biên's district as the replica has it."""
    rng = random.Random(seed)
    names = iter(rng.sample(_NAMES, len(_NAMES)))
    dien_bien = iter(DIEN_BIEN)
    out = []
    for index in range(portals):
        province = PROVINCES[index % len(PROVINCES)]
        district = next(dien_bien, None) if province == "Điện Biên" else None
        district = district or next(name for name in names if name not in PROVINCES)
        communes = vocab.COMMUNES if index == 0 else tuple(rng.sample(_NAMES, COMMUNES_PER_PORTAL))
        out.append(Place(f"p-{index:03d}", province, district, communes))
    return out


def _rewriter(place: Place):
    """A function rewriting Điện Biên's place names in a text to `place`'s, keeping a name's upper case."""
    # The battle of Điện Biên Phủ is the country's history, named as it is everywhere.
    names = {"Điện Biên Phủ": "Điện Biên Phủ", "tỉnh Điện Biên": f"tỉnh {place.province}", "Điện Biên": place.district}
    names.update(zip(vocab.COMMUNES, place.communes, strict=True))
    pattern = re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)), re.IGNORECASE)
    lower = {name.lower(): new for name, new in names.items()}

    def rewrite(text: str | None) -> str | None:
        if not text:
            return text

        def one(match: re.Match[str]) -> str:
            new = lower[match[0].lower()]
            return new.upper() if match[0].isupper() else new

        return pattern.sub(one, text)

    return rewrite


def national_rows(n: int, portals: int) -> Iterator[dict]:
    """`n` articles over `portals` portals (nearly as many each), portal by portal, as national `articles` rows."""
    first = 0
    for index, place in enumerate(places(portals)):
        size = n // portals + (index < n % portals)
        rewrite = _rewriter(place)
        for row in rows_of(generate(size, seed=1000 + index), first, f"{place.portal}.gov.vn"):
            for column in ("title", "body_text", "body_html", "author"):
                row[column] = rewrite(row[column])
            yield {**row, "portal": place.portal, "province": place.province, "district": place.district}
        first += size
