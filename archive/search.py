"""Vietnamese-aware search: how text becomes index tokens and a reader's query becomes an FTS5 query.

Every word is indexed twice. Its *exact* form keeps what distinguishes Vietnamese words — the letters with their
vowel-quality marks (â ă ê ô ơ ư, and đ) plus the tone written as a trailing Telex letter — so `mật` is `mâtj`,
`mắt` is `măts`, `mát` is `mats`, and `hòa`/`hoà` are both `hoaf` whichever vowel carries the mark. Its *folded*
form is plain ASCII (`mat`, `hoa`, `dien`). A query word typed with any mark is matched exactly; a word typed without
marks matches every accented form. Case, NFC/NFD and `Ð` (U+00D0) for `Đ` never matter.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# Bump when the tokens change: archives built with another version are re-indexed when opened.
TRANSFORM_VERSION = 1

TONES = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
QUALITY = frozenset("\u0302\u0306\u031b")  # circumflex, breve, horn
_D = str.maketrans({"ð": "đ", "ɖ": "đ"})  # after lower(): Ð (U+00D0) and Ɖ are written for Đ
WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f][^\W_]*)*")  # letters/digits, with any combining marks inside


@dataclass(frozen=True)
class Term:
    """One word of a query: its folded form, and its exact form when it was typed with marks."""

    fold: str
    exact: str | None


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` (NFC), as regex matches so callers can keep their position."""
    return WORD.finditer(text)


def fold(word: str) -> str:
    """The word in plain lower-case ASCII letters: `Điện` → `dien`, `Ð` → `d`."""
    decomposed = unicodedata.normalize("NFD", word.lower().translate(_D).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def exact(word: str) -> str | None:
    """The word with its quality marks and a Telex tone letter (`Hoà` → `hoaf`), or None if it has no marks."""
    decomposed = unicodedata.normalize("NFD", word.lower().translate(_D))
    tone = next((TONES[c] for c in decomposed if c in TONES), "")
    base = "".join(c for c in decomposed if not unicodedata.combining(c) or c in QUALITY)
    marked = unicodedata.normalize("NFC", base) + tone
    return marked if marked != fold(word) else None


@lru_cache(maxsize=200_000)
def forms(word: str) -> tuple[str | None, str]:
    """`exact(word)` and `fold(word)`, remembered: a language of syllables has few distinct words."""
    return exact(word), fold(word)


def index_text(text: str) -> tuple[str, str]:
    """The exact and folded index columns for `text`: exact forms of the marked words, folded forms of all."""
    pairs = [forms(match[0]) for match in words(unicodedata.normalize("NFC", text or ""))]
    return " ".join(e for e, _ in pairs if e), " ".join(f for _, f in pairs)


def terms(query: str) -> list[Term]:
    """The words of a reader's query; punctuation and FTS syntax are just separators."""
    return [Term(fold(w[0]), exact(w[0])) for w in words(unicodedata.normalize("NFC", query or ""))]


EXACT_COLUMNS = "{title_exact body_exact}"
FOLD_COLUMNS = "{title_fold body_fold}"


def fts_query(query: str) -> str:
    """The FTS5 query for a reader's query: every word must occur, exactly if typed with marks, else folded.

    A query without words matches nothing.
    """
    found = terms(query)
    if not found:
        return '""'
    return " AND ".join(
        f'{EXACT_COLUMNS}: "{term.exact}"' if term.exact else f'{FOLD_COLUMNS}: "{term.fold}"' for term in found
    )


def phrase_query(query: str) -> str:
    """The FTS5 query for the articles where the query's words stand together, in order (folded)."""
    found = terms(query)
    return f'{FOLD_COLUMNS}: "{" ".join(t.fold for t in found)}"' if found else '""'


def _matches(word: str, found: list[Term]) -> bool:
    marked, folded = forms(word)
    return any(folded == t.fold and (t.exact is None or marked == t.exact) for t in found)


def highlight(text: str | None, query: str | None) -> str:
    """`text` as HTML with the words the query matches wrapped in `<mark>`."""
    text = unicodedata.normalize("NFC", text or "")
    return _marked(text, [m for m in words(text) if _matches(m[0], terms(query or ""))], 0, len(text))


def snippet(text: str | None, query: str | None, size: int = 30) -> str:
    """About `size` words of `text` around its densest run of matched words, as HTML with them in `<mark>`."""
    text = unicodedata.normalize("NFC", text or "")
    found = terms(query or "")
    all_words = list(words(text))
    hits = [i for i, m in enumerate(all_words) if _matches(m[0], found)]
    if not all_words:
        return ""
    if not hits:
        start = 0
    else:
        best = max(hits, key=lambda i: len({forms(all_words[j][0])[1] for j in hits if i <= j < i + size}))
        start = max(0, best - size // 4)
    window = all_words[start : start + size]
    begin, end = window[0].start(), window[-1].end()
    marked = [m for m in window if _matches(m[0], found)]
    return ("… " if begin else "") + _marked(text, marked, begin, end) + (" …" if end < len(text) else "")


def _marked(text: str, marked: list[re.Match[str]], begin: int, end: int) -> str:
    out, at = [], begin
    for match in marked:
        out += [html.escape(text[at : match.start()]), f"<mark>{html.escape(match[0])}</mark>"]
        at = match.end()
    out.append(html.escape(text[at:end]))
    return "".join(out)
