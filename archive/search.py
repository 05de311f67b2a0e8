"""Vietnamese-aware search: how text becomes index tokens and a reader's query becomes an FTS5 query.

Every word is indexed twice. Its *exact* form keeps what distinguishes Vietnamese words — the letters with their
vowel-quality marks (â ă ê ô ơ ư, and đ) plus the tone written as a trailing Telex letter — so `mật` is `mâtj`,
`mắt` is `măts`, `mát` is `mats`, and `hòa`/`hoà` are both `hoaf` whichever vowel carries the mark. Its *folded*
form is plain ASCII (`mat`, `hoa`, `dien`). A query word typed with any mark is matched exactly; a word typed without
marks matches every accented form. Case, NFC/NFD and `Ð` (U+00D0) for `Đ` never matter.
"""

from __future__ import annotations

import bisect
import html
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from scraper.text import unmarked

# Bump when the tokens change: archives built with another version are re-indexed when opened.
TRANSFORM_VERSION = 2

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
    return unmarked(word.lower().translate(_D))


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


# Stands in the exact column for a word without marks, so that the exact forms keep their places: a phrase typed
# with marks is then a phrase of exact forms. No query ever asks the exact column for it.
UNMARKED = "0"


def index_text(text: str) -> tuple[str, str]:
    """The exact and folded index columns for `text`: exact forms of the marked words (`UNMARKED` in place of the
    others; empty when no word has marks), folded forms of all."""
    pairs = [forms(match[0]) for match in words(unicodedata.normalize("NFC", text or ""))]
    marked = " ".join(e or UNMARKED for e, _ in pairs) if any(e for e, _ in pairs) else ""
    return marked, " ".join(f for _, f in pairs)


def terms(query: str) -> list[Term]:
    """The words of a reader's query; punctuation and FTS syntax are just separators."""
    return [Term(fold(w[0]), exact(w[0])) for w in words(unicodedata.normalize("NFC", query or ""))]


EXACT_COLUMNS = "{title_exact body_exact}"
FOLD_COLUMNS = "{title_fold body_fold}"
# The columns of the title index (`archive.fts.TITLE_TABLE`).
TITLE_EXACT = "{title_exact}"
TITLE_FOLD = "{title_fold}"


def fts_query(query: str, exact_columns: str = EXACT_COLUMNS, fold_columns: str = FOLD_COLUMNS) -> str:
    """The FTS5 query for a reader's query: every word must occur, exactly if typed with marks, else folded.

    A query without words matches nothing.
    """
    found = terms(query)
    if not found:
        return '""'
    return " AND ".join(
        f'{exact_columns}: "{term.exact}"' if term.exact else f'{fold_columns}: "{term.fold}"' for term in found
    )


def phrase_query(query: str, exact_columns: str = EXACT_COLUMNS, fold_columns: str = FOLD_COLUMNS) -> str:
    """The FTS5 query for the articles where the query's words stand together, in order: exactly when every word was
    typed with marks, else folded."""
    found = terms(query)
    if found and all(term.exact for term in found):
        return f'{exact_columns}: "{" ".join(t.exact for t in found)}"'
    return f'{fold_columns}: "{" ".join(t.fold for t in found)}"' if found else '""'


def phrase_match(query: str, exact_columns: str = EXACT_COLUMNS, fold_columns: str = FOLD_COLUMNS) -> str:
    """The FTS5 query for the articles matching `query` with its words together as a phrase (the first tier).

    A query typed all with marks or all without is its phrase alone: an article with the phrase has all its words.
    """
    found = terms(query)
    phrase = phrase_query(query, exact_columns, fold_columns)
    if all(term.exact for term in found) or not any(term.exact for term in found):
        return phrase
    return f"({fts_query(query, exact_columns, fold_columns)}) AND ({phrase})"


def title_phrase_match(query: str) -> str:
    """`phrase_match` over the title index: the articles whose title holds the query as a phrase."""
    return phrase_match(query, TITLE_EXACT, TITLE_FOLD)


def _matches(word: str, found: list[Term]) -> bool:
    marked, folded = forms(word)
    return any(folded == t.fold and (t.exact is None or marked == t.exact) for t in found)


@lru_cache(maxsize=64)
def _spellings(letter: str) -> str:
    """A regex character class of every Latin letter that folds to `letter` (`d`: `dDđĐÐ…`), marks optional after it."""
    latin = (*range(0x30, 0x250), *range(0x1E00, 0x1F00))
    same = "".join(chr(c) for c in latin if fold(chr(c)) == letter)
    return f"[{re.escape(same or letter)}][\u0300-\u036f]*"


@lru_cache(maxsize=1024)
def _pattern(folds: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words of NFC text that fold to one of `folds`, in any case and with any marks."""
    either = "|".join("".join(map(_spellings, word)) for word in folds)
    return re.compile(rf"(?<![^\W_])(?<![\u0300-\u036f])(?:{either})(?![^\W_]|[\u0300-\u036f])", re.IGNORECASE)


def _hits(text: str, found: list[Term]) -> list[tuple[int, int]]:
    """Where in `text` (NFC) the words the query's terms match are: found by one regular expression over the
    text, each then checked against the term's exact form."""
    if not found:
        return []
    spans = _pattern(tuple(sorted({t.fold for t in found}))).finditer(text)
    return [m.span() for m in spans if _matches(m[0], found)]


def highlight(text: str | None, query: str | None) -> str:
    """`text` as HTML with the words the query matches wrapped in `<mark>`."""
    text = unicodedata.normalize("NFC", text or "")
    return _marked(text, _hits(text, terms(query or "")), 0, len(text))


def snippet(text: str | None, query: str | None, size: int = 30) -> str:
    """About `size` words of `text` around its densest run of matched words, as HTML with them in `<mark>`."""
    text = unicodedata.normalize("NFC", text or "")
    all_words = list(words(text))
    if not all_words:
        return ""
    hits = _hits(text, terms(query or ""))
    starts = [m.start() for m in all_words]
    at = [bisect.bisect_left(starts, begin) for begin, _ in hits]  # the word each hit is
    folds = [forms(text[begin:end])[1] for begin, end in hits]
    start = max(0, _densest(at, folds, size) - size // 4) if hits else 0
    window = all_words[start : start + size]
    begin, end = window[0].start(), window[-1].end()
    marked = [(b, e) for b, e in hits if begin <= b and e <= end]
    return ("… " if begin else "") + _marked(text, marked, begin, end) + (" …" if end < len(text) else "")


def _densest(at: list[int], folds: list[str], size: int) -> int:
    """The first word of the run of `size` words holding the most different matched words (`at`: their words)."""
    best, most = at[0], 0
    for i, first in enumerate(at):
        different = set()
        for j in range(i, len(at)):
            if at[j] >= first + size:
                break
            different.add(folds[j])
        if len(different) > most:
            best, most = first, len(different)
    return best


def _marked(text: str, marked: list[tuple[int, int]], begin: int, end: int) -> str:
    out, at = [], begin
    for start, stop in marked:
        out += [html.escape(text[at:start]), f"<mark>{html.escape(text[start:stop])}</mark>"]
        at = stop
    out.append(html.escape(text[at:end]))
    return "".join(out)


ATTACHMENT_LABEL = "Tệp đính kèm"


def snippet_with_attachments(text: str | None, attachments: str | None, query: str | None) -> str:
    """The snippet of an article found by `query`: from its body when the body matches, else from the first of its
    attachments (`attachments`: a JSON array of `[filename, text]`) that does, introduced by "Tệp đính kèm: <name>"."""
    found = terms(query or "")
    body = unicodedata.normalize("NFC", text or "")
    if not _hits(body, found):
        for filename, attached in json.loads(attachments or "[]"):
            if _hits(unicodedata.normalize("NFC", attached or ""), found):
                return f"{ATTACHMENT_LABEL}: {html.escape(filename)} — {snippet(attached, query)}"
    return snippet(text, query)
