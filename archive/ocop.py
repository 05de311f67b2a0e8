"""OCOP ("Mỗi xã một sản phẩm", One Commune One Product) in article text: mentions and star ratings.

Pure functions over text. Patterns are matched on folded sentences (`scraper.text.fold_label`: lower case,
no diacritics, `đ`/`Ð` as `d`), so casing, NFD, the Icelandic Eth and old or new tone placement all read the
same; what is stored is the sentence as written (NFC).

Precision first: a star count is a rating only in an OCOP context (the sentence names the programme, or the
article does and the star count is not a hotel's), only when a product is named, and never for a range or a
target ("từ 3 đến 4 sao", "từ 3 sao trở lên"); in an upgrade ("từ 3 sao lên 4 sao") the new rank counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from scraper.text import clean, fold_label

OCOP = "OCOP"
PROGRAMME = "Mỗi xã một sản phẩm"
# Folded forms: the acronym, and the programme's name including the portal's typo "sản phẩn".
_TERMS = ((OCOP, re.compile(r"\bocop\b")), (PROGRAMME, re.compile(r"\bmoi\s+xa\s+mot\s+san\s+pha[mn]\b")))

_STARS = re.compile(r"\b(0?[345]|ba|bon|nam)\s+sao\b")
_STAR_WORDS = {"ba": 3, "bốn": 4, "năm": 5}
# Stars of a hotel or other lodging: never an OCOP rating.
_LODGING = re.compile(r"(khach san|resort|nha nghi|nha hang|homestay|nghi duong|luu tru|can ho)\W+(\w+\W+){0,3}$")
_RANGE_START = re.compile(r"\btu\s+$")
_RANGE_END = re.compile(r"\btu\s+(0?[345]|ba|bon|nam)\s+(sao\s+)?(den|toi)\s+$")
_TARGET = re.compile(r"^\s*(tro\s+len|tro\s+xuong)\b")
# What may stand between a star count and the list of products it applies to.
_LIST_AFTER = re.compile(r"^\s*(?:ocop\s*)?(?:(?:,\s*)?(?:gom|bao\s+gom|la)\b\s*:?|:)\s*")
# Where the subject of a rating ends: the predicate starts.
_PREDICATE = re.compile(
    r"\s+(?:vua|duoc|da|dat|cung|deu|van|tiep\s+tuc|cham|xep\s+hang|nang\s+hang|len|co|la|chinh\s+thuc|nam\s+\d{4})\b"
    r"|\s+ocop\b|\s*[,;]"
)
_UPPER = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZĐÐÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ")
_CONJUNCTION = re.compile(r"\s*(?:(?:va|con|cung)\s+)?")
_PRODUCT_WORD = re.compile(r"(?:^|\s)san\s+pham\s+(?=\S)")
_OF = re.compile(r"\s+cua\s+")
_PRODUCER = re.compile(r"\b(htx|hop\s+tac\s+xa|cong\s+ty|co\s+so|ho\s+kinh\s+doanh|to\s+hop\s+tac|doanh\s+nghiep)\b")
_PRODUCER_END = re.compile(
    r"\s+(?:vua|duoc|da|dat|voi|co|tiep\s+tuc|cham|xep|nang|san\s+xuat|tai|cho\s+biet)\b|\s*[,;:().]|$"
)
# Words that start a phrase that is not a product's name (a place, an authority, a count, a time).
# Matched on the normalised name (lower case, diacritics kept: "nấm" is a product, "năm" is a year).
_NOT_A_NAME = re.compile(
    r"^(?:huyện|xã|tỉnh|thành phố|ubnd|ủy ban|hội đồng|toàn|các|những|năm|ngày|tháng|tính đến|đại diện|đây|đó|"
    r"hiện|sau|theo|trong|tại|đến|chương trình|ocop|sản phẩm|chủ thể|htx|hợp tác xã|công ty|mô hình|dự án|đề án|"
    r"kế hoạch|hội nghị|hội chợ)(?!\w)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»']*\s+(?=[\"“«(']?[0-9A-ZÀ-ÝĂĐĨŨƠƯẠ-Ỹ])")
_TABLE_ROW = " | "
_TONE = "[\u0300\u0301\u0303\u0309\u0323]"
_NEW_TONE = re.compile(rf"(?<![qQ])(?:([oO])([aAeE])({_TONE})|([uU])([yY])({_TONE}))(?!\w)")


@dataclass(frozen=True)
class Mention:
    """A sentence that names the programme, and the name it uses (`OCOP` or `Mỗi xã một sản phẩm`)."""

    sentence: str
    term: str


@dataclass(frozen=True)
class Rating:
    """A product and the OCOP stars it reached, as the sentence (or table row) `sentence` states."""

    product: str
    product_normalised: str
    stars: int
    producer: str | None
    sentence: str


@dataclass(frozen=True)
class Findings:
    """What an article says about OCOP: its mentions and its ratings (one per product and stars)."""

    mentions: tuple[Mention, ...]
    ratings: tuple[Rating, ...]


def sentences(text: str) -> list[str]:
    """The sentences of a text, in order: paragraphs and lines split at sentence ends; NFC, spaces squeezed."""
    out = []
    for line in text.splitlines():
        line = clean(line)
        if line:
            out.extend(part for part in _SENTENCE_END.split(line) if part)
    return out


def analyse(title: str, body_text: str) -> Findings:
    """The OCOP mentions and ratings of an article (title first, then the body's sentences)."""
    parts = sentences(title) + sentences(body_text)
    mentions = [Mention(sentence, term) for sentence in parts for term in terms(sentence)]
    ratings: list[Rating] = []
    if mentions:
        header: list[str] | None = None  # the first row of the table being read
        for sentence in parts:
            if _TABLE_ROW not in sentence:
                header = None
                ratings.extend(sentence_ratings(sentence, in_ocop_article=True))
            elif header is None:
                header = [cell.strip() for cell in sentence.split("|")]
            else:
                ratings.extend(_table_rating(header, [cell.strip() for cell in sentence.split("|")], sentence))
    return Findings(tuple(mentions), _distinct(ratings))


def terms(sentence: str) -> list[str]:
    """The programme's names that `sentence` uses (each once)."""
    folded = fold_label(sentence)
    return [term for term, pattern in _TERMS if pattern.search(folded)]


def sentence_ratings(sentence: str, in_ocop_article: bool = False) -> list[Rating]:
    """The ratings one sentence states; without an OCOP mention in the sentence or its article, none."""
    sentence = clean(sentence)
    if not in_ocop_article and not terms(sentence):
        return []
    folded = fold_label(sentence)
    if len(folded) != len(sentence):  # a character that does not fold to one: positions would not match
        return []
    ratings = []
    previous = 0  # where the previous star count ended: a subject never reaches back past it
    for match in _STARS.finditer(folded):
        before, after = folded[: match.start()], folded[match.end() :]
        if _LODGING.search(before) or _RANGE_START.search(before) or _RANGE_END.search(before):
            continue
        if _TARGET.match(after):
            continue
        stars = _star_value(sentence[match.start(1) : match.end(1)])
        if stars is None:  # "Nam sao", "bà sao": folded alike, not a number
            continue
        floor, previous = previous, match.end()
        listed = _LIST_AFTER.match(after)
        if after.lstrip().startswith("("):
            start = match.end() + after.index("(") + 1
            end = sentence.find(")", start)
            items = _split_list(sentence[start : end if end > 0 else None])
        elif listed:
            start = match.end() + listed.end()
            items = _split_list(sentence[start : _first(folded, (";", ". "), start)])
        else:
            names, producer = _subject(sentence, folded, floor, match.start())
            ratings.extend(_rating(name, stars, producer, sentence) for name in names)
            continue
        producer = _producer(sentence, folded, floor, match.start())
        ratings.extend(_rating(name, stars, own or producer, sentence) for name, own in items)
    return [rating for rating in ratings if rating]


def normalise_product(name: str) -> str:
    """A product's name for grouping: NFC, `Ð` as `Đ`, one tone placement (hòa, thủy), lower case, spaces squeezed."""
    text = unicodedata.normalize("NFD", clean(name).replace("Ð", "Đ").lower())
    text = _NEW_TONE.sub(lambda m: m[1] + m[3] + m[2] if m[1] else m[4] + m[6] + m[5], text)
    return unicodedata.normalize("NFC", text).strip(" .,;:-")


def _star_value(written: str) -> int | None:
    """3, 4 or 5 from "3", "04" or "bốn"; None for a word that only folds like a number ("Nam")."""
    return int(written) if written.isdigit() else _STAR_WORDS.get(written.lower())


def _first(folded: str, marks: tuple[str, ...], start: int) -> int:
    found = [at for at in (folded.find(mark, start) for mark in marks) if at >= 0]
    return min(found, default=len(folded))


def _split_list(text: str) -> list[tuple[str, str | None]]:
    """The items of a list of products, "A, B, C và D" (also `;`-separated), each with the producer named in
    parentheses after it ("A (HTX X)"), if any."""
    items = []
    for item in re.split(r"\s*[,;]\s*(?![^()]*\))|\s+và\s+(?![^()]*\))", text):
        name, _, note = item.partition("(")
        note = note.rstrip(" .)")
        own = note if _PRODUCER.match(fold_label(note)) else None
        if name.strip(" ."):
            items.append((name.strip(" ."), own))
    return items


def _subject(sentence: str, folded: str, floor: int, stars_at: int) -> tuple[list[str], str | None]:
    """The product (and producer) a star count right after it applies to: "Sản phẩm A của B ... đạt 4 sao"."""
    start = max(floor, *(folded.rfind(mark, 0, stars_at) + 1 for mark in (";", ":", "(", ")")))
    named = [
        m
        for m in _PRODUCT_WORD.finditer(folded, start, stars_at)
        if sentence[m.end() :].lstrip("\"“'‘«").startswith(_UPPER) and not folded.startswith("ocop", m.end())
    ]
    if named:
        start = named[-1].end()
    else:
        start = max(start, folded.rfind(",", start, stars_at) + 1)
        start += _CONJUNCTION.match(folded, start).end() - start
    end = _PREDICATE.search(folded, start, stars_at)
    if end and end[0].strip() == "co":  # "Huyện X có (thêm) 05 sản phẩm đạt 3 sao": X owns them, it is not one
        return [], None
    subject_end = end.start() if end else stars_at
    of = _OF.search(folded, start, subject_end)
    name = sentence[start : of.start() if of else subject_end]
    producer = _producer(sentence, folded, of.end() if of else start, stars_at)
    return [name], producer


def _producer(sentence: str, folded: str, start: int, end: int) -> str | None:
    """A producer (HTX, Công ty, ...) named between `start` and `end`, when exactly one is."""
    found = list(_PRODUCER.finditer(folded, start, end))
    if len(found) != 1:
        return None
    at = found[0].start()
    stop = _PRODUCER_END.search(folded, found[0].end())
    return sentence[at : stop.start() if stop else len(sentence)].strip() or None


def _rating(name: str, stars: int, producer: str | None, sentence: str) -> Rating | None:
    """A rating of the product `name`, if `name` reads as a product's name."""
    name = name.strip(' .,;:-–"“”')
    folded = fold_label(name)
    normalised = normalise_product(name)
    if not name or not name[0].isupper() or _NOT_A_NAME.match(normalised) or any(ch.isdigit() for ch in name):
        return None
    if len(name.split()) > 10 or _PRODUCT_WORD.search(folded) or name.isupper():  # a shouted title, not a name
        return None
    return Rating(name, normalised, stars, producer, sentence)


def _table_rating(header: list[str], cells: list[str], row: str) -> list[Rating]:
    """A rating from a table row under a header with a product column and a stars column."""
    folded = [fold_label(cell) for cell in header]
    product = next((i for i, cell in enumerate(folded) if "san pham" in cell), None)
    stars = next((i for i, cell in enumerate(folded) if "sao" in cell or "hang" in cell), None)
    producer = next((i for i, cell in enumerate(folded) if "chu the" in cell or "don vi" in cell), None)
    if product is None or stars is None or len(cells) != len(header):
        return []
    value = _star_value(cells[stars].split()[0]) if _STARS.fullmatch(fold_label(cells[stars])) else None
    rating = value and _rating(cells[product], value, cells[producer] if producer is not None else None, row)
    return [rating] if rating else []


def _distinct(ratings: list[Rating]) -> tuple[Rating, ...]:
    """One rating per product and stars, from the first sentence that says it (or the first that also names the
    producer), under the shortest name written: "A Điện Biên" and "A" with the same stars are one product."""
    kept: list[Rating] = []
    for rating in ratings:
        same = next((i for i, other in enumerate(kept) if _same_product(rating, other)), None)
        if same is None:
            kept.append(rating)
            continue
        first = kept[same]
        source = rating if rating.producer and not first.producer else first
        shorter = min(first, rating, key=lambda r: len(r.product_normalised))
        kept[same] = replace(source, product=shorter.product, product_normalised=shorter.product_normalised)
    return tuple(kept)


def _same_product(rating: Rating, other: Rating) -> bool:
    short, long = sorted((rating.product_normalised, other.product_normalised), key=len)
    return rating.stars == other.stars and (long == short or long.startswith(short + " "))
