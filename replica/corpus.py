"""Seeded, deterministic corpus of Điện Biên district news, newest first.

`generate(n, seed)` returns `n` articles dated 2015–2025 (a quarter of them in 2015, the year old news was
migrated to the portal). Besides generated articles it always holds the special articles below; `SPECIAL`
maps each name to its slug (find one with `next(a for a in articles if a.slug == SPECIAL[name])`).
Each article's `quirks` names what it carries; `expected` is what a correct extractor returns.

=======================  =====================================================================================
name                     carries
=======================  =====================================================================================
seed                     the real seed page (replica/data): typo "sản phẩn" in the title, 17/09/2020 03:13:30 PM,
                         author, 7 paragraphs (one with an NBSP), image `/Uploads/2020/IMG_0444.jpg` (alt = name)
portal-example           upper-case title, slug `HUYEN-DIEN-BIEN-70-NAM-PHAN-DAU---XAY-DUNG---TRUONG-THANH`
nfd                      title, body and author in NFD; the server sends its whole page NFD
eth                      `Ð` (U+00D0) instead of `Đ` in title and body (kept in `expected.title`, only NFC-ed)
old-tone / new-tone      same words with old (hoà, thuỷ, khoẻ, Uỷ) and new (hòa, thủy, khỏe, Ủy) tone marks
no-author-label          no author and no "Tác giả:" label
empty-author             no author but an empty "Tác giả:" label
midnight / noon          05/01/2021 12:05:10 AM (= 00:05:10, also day-first) and 03/11/2019 12:40:00 PM
day-first                06/04/2023 04:20:45 PM (6 April)
table                    a table in the body (OCOP products, one cell with `&`)
ocop                     "Mật ong hoa ban ... đạt 4 sao" OCOP article, root-relative image with a caption
parent-relative-image    images `../Uploads/...` (one with caption, one `../Uploads/x.jpg` without)
absolute-image           the only absolute image URL, on the portal's own host (served as the replica's host)
script-injection         `<script>alert(1)</script>`, `<img src=x onerror=alert(2)>`, `<a href="javascript:...">`,
                         a script inserting `<div id="injected">`; `expected` ignores all of them
ocop-forms               OCOP ratings in the portal's forms: "02 sản phẩm đạt 04 sao (A, B)", "... OCOP 3 sao gồm: A, B
                         và C", "từ 3 sao lên bốn sao", a target, a hotel's stars; decision numbers beside dates
hotel                    "khách sạn 4 sao": stars that are not an OCOP rating
dead                     listed, but its page answers 404
forbidden                slug `NOI-BO-...`, disallowed by robots.txt (served if fetched anyway)
flaky                    answers 500 on its first request, 200 afterwards
html-escape              `&` and `<` in the title and body
eye / cool               `mắt` (eye) and `mát` (cool), words a search for `mật` (honey) must not return
scattered                `nông`, `thôn`, `mới` in title and body, never the phrase `nông thôn mới`
=======================  =====================================================================================

Generated articles add variety: 10 real titles from the seed's "other news" box (some upper-case), authors
with or without unit, no author (either way), old tone marks in about a quarter, 0–2 images (root- or
parent-relative, some with captions), a few tables, 12 o'clock times.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from replica import vocab
from replica.model import VN_TZ, Article, Block, Expected, Image, Raw, Table, build_article, slugify
from replica.specials import SEED, SPECIAL, SPECS, Spec

__all__ = ["SPECIAL", "Article", "Block", "Expected", "Image", "Raw", "Table", "generate"]

_START_2015 = datetime(2015, 1, 5, tzinfo=VN_TZ)
_START_2016 = datetime(2016, 1, 1, tzinfo=VN_TZ)
_END = datetime(2025, 6, 30, tzinfo=VN_TZ)
_SEED_BOX_START = datetime(2024, 1, 8, tzinfo=VN_TZ)
_TOPICS = tuple(vocab.TOPICS)
_ALL_TOPICS = vocab.TOPICS | vocab.SUB_SITE_TOPICS
_OCOP_FROM = 2018  # the OCOP programme started in 2018


def _comma(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


_SLOT_MAKERS: dict[str, Callable[[random.Random], str]] = {
    "thang": lambda rng: str(rng.randint(1, 12)),
    "thang2": lambda rng: f"{rng.randint(1, 12):02d}",
    "quy": lambda rng: rng.choice(("I", "II", "III", "IV")),
    "so": lambda rng: f"{rng.randint(2, 30):02d}",
    "so2": lambda rng: f"{rng.randint(1, 15):02d}",
    "so3": lambda rng: str(rng.randint(50, 900)),
    "ty": lambda rng: str(rng.randint(5, 120)),
    "tr": lambda rng: rng.choice(("0,5", "1", "1,5", "2")),
    "pct": lambda rng: _comma(rng.uniform(2.5, 25)),
    "pct2": lambda rng: _comma(rng.uniform(70, 99.9)),
    "tc": lambda rng: str(rng.randint(12, 19)),
    "ha": lambda rng: _thousands(rng.randint(800, 5200)),
    "tn": lambda rng: str(rng.randint(28, 56)),
    "ns": lambda rng: _comma(rng.uniform(48, 66)),
    "diem": lambda rng: str(rng.randint(50, 92)),
    "qd": lambda rng: str(rng.randint(100, 3500)),
    "qd2": lambda rng: str(rng.randint(90, 2200)),
    "ngay": lambda rng: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12)}",
    "hs": lambda rng: str(rng.randint(8, 25)),
}


class _Slots(dict[str, str]):
    """Template slots: the article's fixed facts, random numbers drawn on first use."""

    def __init__(self, fixed: dict[str, str], rng: random.Random) -> None:
        super().__init__(fixed)
        self._rng = rng

    def __missing__(self, key: str) -> str:
        value = self[key] = _SLOT_MAKERS[key](self._rng)
        return value


class _Writer:
    """Writes the text of one article on one topic; `up` is the way from its path to the site's root."""

    def __init__(self, rng: random.Random, topic: str, year: int, up: str = "../") -> None:
        self.rng = rng
        self.up = up
        self.titles, sentences = _ALL_TOPICS[topic]
        product, producer = rng.choice(vocab.OCOP_PRODUCTS)
        self.fixed = {
            "xa": rng.choice(vocab.COMMUNES),
            "nam": str(year),
            "nam0": str(year - 1),
            "nam1": str(year + 1),
            "nam2": str(year + rng.randint(2, 5)),
            "nam5": str(year + 5),
            "sp": product,
            "chu_the": producer,
            "sao": str(rng.choices((3, 4, 5), (12, 7, 1))[0]),
            "truong": rng.choice(vocab.SCHOOLS),
            "phong": rng.choice(vocab.OFFICES),
            "kh": rng.choice(vocab.PLANS),
        }
        self.sentences = sentences
        self.queue: list[str] = []

    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self.fixed, self.rng))

    def title(self) -> str:
        return self.fill(self.rng.choice(self.titles))

    def paragraph(self) -> str:
        """40–120 words of sentences, cycling through the article's shuffled sentences."""
        if not self.queue:
            lead, *rest = self.rng.sample(self.sentences, len(self.sentences))
            self.queue = [lead, *self.rng.sample(rest + list(vocab.COMMON), len(rest) + len(vocab.COMMON))]
        target, words, sentences = self.rng.randint(40, 110), 0, []
        while words < target:
            template = self.queue.pop(0)
            self.queue.append(template)
            sentence = self.fill(template)
            count = sentence.count(" ") + 1
            if words + count > 120:
                break
            sentences.append(sentence)
            words += count
        return " ".join(sentences)

    def image(self, when: datetime, index: int) -> Image:
        rng = self.rng
        name = rng.choice(
            (
                f"IMG_{rng.randint(1000, 9999)}.jpg",
                f"DSC0{rng.randint(1000, 9999)}.JPG",
                f"anh-{index + 1}-{rng.randint(10, 99)}.jpg",
                f"image00{index + 1}.png",
            )
        )
        prefix = "/Uploads" if rng.random() < 0.8 else f"{self.up}Uploads"
        caption = self.fill(rng.choice(vocab.CAPTIONS)) if rng.random() < 0.4 else None
        alt = rng.choice((name, caption or "", ""))
        return Image(f"{prefix}/{when:%Y/%m}/{name}", alt, caption)

    def table(self) -> Table:
        rows = [("STT", "Đơn vị", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)")]
        for number, commune in enumerate(self.rng.sample(vocab.COMMUNES, self.rng.randint(3, 6)), start=1):
            plan = self.rng.randint(20, 400)
            done = self.rng.randint(plan * 7 // 10, plan)
            rows.append((str(number), f"Xã {commune}", str(plan), str(done), _comma(100 * done / plan)))
        return Table(tuple(rows))


def _random_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    day = start + timedelta(days=rng.randrange((end - start).days))
    hour = rng.choice((0, 12)) if rng.random() < 0.03 else rng.randint(7, 17)
    return day.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))


def write_article(
    rng: random.Random,
    when: datetime,
    title: str | None,
    taken: set[str],
    topics: tuple[str, ...] = _TOPICS,
    sub_site: str | None = None,
) -> Article:
    """A generated article on one of `topics` (`title` given or drawn), its slug not in `taken` (then added)."""
    for _ in range(50):
        topics = topics if when.year >= _OCOP_FROM else tuple(t for t in topics if t != "ocop")
        writer = _Writer(rng, rng.choice(topics), when.year, "../../../" if sub_site else "../")
        candidate = title or writer.title()
        if title is None and rng.random() < 0.06:
            candidate = candidate.upper()
        if slugify(candidate) not in taken:
            break
        title = None
    else:
        candidate = f"{candidate} ({len(taken)})"
    taken.add(slugify(candidate))
    images = [writer.image(when, index) for index in range(rng.choices((0, 1, 2), (3, 5, 2))[0])]
    extras: list[Block] = [*images, *([writer.table()] if rng.random() < 0.04 else [])]
    paragraphs = [writer.paragraph() for _ in range(rng.randint(max(2, 3 - len(extras)), 6))]
    blocks: list[Block] = paragraphs[:1]
    for paragraph in paragraphs[1:]:
        if extras and rng.random() < 0.5:
            blocks.append(extras.pop(0))
        blocks.append(paragraph)
    blocks += extras
    author = rng.choice(vocab.AUTHORS) if rng.random() < 0.88 else None
    quirks = {"old-tone"} if rng.random() < 0.25 else set()
    if author is None and rng.random() < 0.5:
        quirks.add("empty-author")
    return build_article(candidate, when, author, tuple(blocks), quirks, sub_site)


def _special(spec: Spec, seed: int) -> Article:
    writer = _Writer(random.Random(f"{seed}/{spec.name}"), spec.topic, spec.published.year)
    blocks = spec.blocks + tuple(writer.paragraph() for _ in range(spec.filler))
    return build_article(spec.title, spec.published, spec.author, blocks, spec.quirks)


def generate(n: int = 1911, seed: int = 2020) -> list[Article]:
    """`n` articles (at least one per special), newest first; the same `n` and `seed` give the same corpus."""
    if n < len(SPECS):
        raise ValueError(f"a corpus needs at least {len(SPECS)} articles, got {n}")
    rng = random.Random(seed)
    articles = [_special(spec, seed) for spec in SPECS]
    taken = set(SPECIAL.values())
    real_titles = list(SEED.other_titles)
    for _ in range(n - len(SPECS)):
        if real_titles:
            title = real_titles.pop(0)
            when = _random_time(rng, _SEED_BOX_START, _SEED_BOX_START + timedelta(days=70))
        else:
            title = None
            start = _START_2015 if rng.random() < 0.24 else _START_2016
            when = _random_time(rng, start, _START_2016 if start == _START_2015 else _END)
        articles.append(write_article(rng, when, title, taken))
    return sorted(articles, key=lambda article: (article.published, article.slug), reverse=True)


def publish(articles: list[Article], k: int, seed: int = 2020) -> list[Article]:
    """The corpus after `k` new articles were published at the top of the list (an edition between two crawls)."""
    rng = random.Random(f"edition-{seed}-{k}")
    taken = {article.slug for article in articles}
    newest = max(article.published for article in articles)
    fresh = [write_article(rng, newest + timedelta(hours=6 * (i + 1)), None, taken) for i in range(k)]
    return sorted(fresh, key=lambda article: article.published, reverse=True) + articles
