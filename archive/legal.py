"""Vietnamese legal document numbers in article text: `781/QĐ-TTg`, `61/2018/NĐ-CP`, `02-NQ/HU`.

Pure functions over text. A document number always carries letters (the kind and the issuer), so a date such
as `17/9` or `31/12/2019` never reads as one. The kind comes from the number's code (QĐ = Quyết định ...) or,
for numbers without one (`123/UBND-NN`, `55/2014/QH13`), from the word written before it ("Công văn số ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from scraper.text import clean, fold_label

_LETTERS = "A-ZĐÐa-zđð"
_L = f"[{_LETTERS}]"
# State documents: number[/year]/KIND-ISSUER[-DEPARTMENT], or number/year/ISSUER (laws: 55/2014/QH13).
_STATE = re.compile(
    rf"(?<![\w/])(?P<number>\d{{1,5}}[a-z]?)(?:/(?P<year>(?:19|20)\d\d))?/"
    rf"(?P<code>{_L}{{1,8}}(?:\s?-\s?{_L}[{_LETTERS}0-9]*)+|QH\d{{1,2}})(?![\w-])"
)
# Party documents: number-KIND/ISSUER (02-NQ/HU, 35-KL/TW).
_PARTY = re.compile(rf"(?<![\w/])(?P<number>\d{{1,5}})-(?P<kind>{_L}{{2,4}})/(?P<issuer>{_L}{{2,6}})(?![\w-])")
_DATE_AFTER = re.compile(
    r"^\W{0,3}(?:(?:ban\s+hanh|ky)\s+)?(?:ngay\s+)?\d{1,2}\s*(?:/|\s+thang\s+)\s*\d{1,2}\s*(?:/|\s+nam\s+)\s*"
    r"((?:19|20)\d\d)\b"
)

KINDS = {
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "CV": "Công văn",
    "TTr": "Tờ trình",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
}
ISSUERS = {
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "TW": "Ban Chấp hành Trung ương",
    "BCT": "Bộ Công Thương",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BTC": "Bộ Tài chính",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BNV": "Bộ Nội vụ",
    "BYT": "Bộ Y tế",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "TU": "Tỉnh ủy",
    "HU": "Huyện ủy",
    "ĐU": "Đảng ủy",
    "BTV": "Ban Thường vụ",
    "MTTQ": "Mặt trận Tổ quốc",
}
# A date before a number that the same clause says it was issued on ("Ngày 05/3/2023, UBND tỉnh ban hành Quyết định
# số 203/QĐ-UBND"), folded.
_ISSUED_BEFORE = re.compile(
    r"\bngay\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*((?:19|20)\d\d)\b[^.;]{0,80}\bban\s+hanh\s+(?:\w+\s+){0,3}(?:so\s+)?$"
)
# The word before a number that names its kind ("Công văn số 123/UBND-NN"), folded.
_KIND_BEFORE = re.compile(
    r"\b(quyet dinh|nghi quyet|nghi dinh|thong tu|chi thi|ke hoach|cong van|thong bao|bao cao|huong dan|"
    r"ket luan|quy che|quy dinh|to trinh|de an|luat)\s+(?:so\s+)?$"
)
_FOLDED_KINDS = {fold_label(kind): kind for kind in KINDS.values()}


@dataclass(frozen=True)
class LegalRef:
    """A cited document: its number as written (NFC, `Đ` for `Ð`, no inner spaces), kind, issuer and year."""

    ref: str
    kind: str | None
    issuer: str | None
    year: int | None


def legal_refs(text: str) -> list[LegalRef]:
    """The documents `text` cites, each once, in order of first citation; a year found at any citation counts."""
    found: dict[str, LegalRef] = {}
    for line in text.splitlines():
        line = clean(line)
        folded = fold_label(line)
        for ref in _refs_in(line, folded if len(folded) == len(line) else None):
            known = found.get(ref.ref)
            if known is None:
                found[ref.ref] = ref
            else:
                found[ref.ref] = replace(known, kind=known.kind or ref.kind, year=known.year or ref.year)
    return list(found.values())


def _refs_in(line: str, folded: str | None) -> list[LegalRef]:
    """The numbers in one line, in the order they are written."""
    refs: list[tuple[int, LegalRef]] = []
    for match in _STATE.finditer(line):
        code = _canonical(match["code"])
        parts = code.split("-")
        if code.startswith("QH"):
            kind, issuer = "Luật", ISSUERS["QH"]
        elif parts[0] in KINDS and len(parts) > 1:
            kind, issuer = KINDS[parts[0]], ISSUERS.get(parts[1], parts[1])
        else:  # no kind code: ISSUER-DEPARTMENT, as in a letter (Công văn) of a People's Committee
            kind, issuer = None, ISSUERS.get(parts[0], parts[0])
        year = int(match["year"]) if match["year"] else None
        ref = LegalRef(f"{match['number']}/{match['year'] + '/' if year else ''}{code}", kind, issuer, year)
        refs.append((match.start(), _from_context(ref, folded, match)))
    for match in _PARTY.finditer(line):
        kind, issuer = _canonical(match["kind"]), _canonical(match["issuer"])
        ref = LegalRef(f"{match['number']}-{kind}/{issuer}", KINDS.get(kind), ISSUERS.get(issuer, issuer), None)
        refs.append((match.start(), _from_context(ref, folded, match)))
    return [ref for _, ref in sorted(refs, key=lambda pair: pair[0])]


def _from_context(ref: LegalRef, folded: str | None, match: re.Match[str]) -> LegalRef:
    """Fill the kind from the word before the number, the year from its date of issue written beside it."""
    if folded is None:
        return ref
    kind, year = ref.kind, ref.year
    if kind is None and (before := _KIND_BEFORE.search(folded, 0, match.start())):
        kind = _FOLDED_KINDS.get(before[1])
    if year is None and (after := _DATE_AFTER.match(folded[match.end() :])):
        year = int(after[1])
    if year is None and (issued := _ISSUED_BEFORE.search(folded, 0, match.start())):
        year = int(issued[1])
    return replace(ref, kind=kind, year=year)


def _canonical(code: str) -> str:
    return re.sub(r"\s+", "", code).replace("Ð", "Đ").replace("ð", "đ")
