"""Text as a reader sees it: Unicode normalisation, label matching and the portal's date format."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone
from functools import lru_cache

VIETNAM = timezone(timedelta(hours=7), "ICT")

# Runs of spaces, except a lone plain space (replacing it by itself is wasted work: `clean` is twice as fast).
_SPACE = re.compile(
    r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]{2,}|[\t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]"
)
_DATE = re.compile(
    r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})"
    r"(?:(?:\s*(?:[-–|,T@]|l[úu]c)\s*|\s+)(?P<hour>\d{1,2})\s*[:hH]\s*(?P<minute>\d{2})(?:\s*:\s*(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?|SA|CH|sa|ch)?)?"
)


def nfc(text: str) -> str:
    """Compose text to NFC, the form the portal normally uses (some pages arrive decomposed)."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC text with runs of spaces (incl. no-break and zero-width) folded to one and ends trimmed."""
    return _SPACE.sub(" ", nfc(text)).strip()


class _Unmarked(dict):
    """A `str.translate` table from a character to its letters without marks, filled as characters are first met.

    Folding one character at a time is the same as folding the whole text (NFD splits characters independently
    and every combining mark is dropped), and runs in C once a character has been seen.
    """

    def __missing__(self, codepoint: int) -> str:
        letters = "".join(c for c in unicodedata.normalize("NFD", chr(codepoint)) if not unicodedata.combining(c))
        self[codepoint] = letters
        return letters


_UNMARKED = _Unmarked({ord("đ"): "d", ord("ð"): "d"})  # Ð (U+00D0) is written for Đ


def unmarked(text: str) -> str:
    """`text` in lower case without its marks, `đ`/`Ð` as `d`: `Điện` → `dien` (NFC or NFD alike)."""
    return text.lower().translate(_UNMARKED)


@lru_cache(maxsize=4096)  # the same lines are searched for several labels, and every page repeats its menus
def fold_label(text: str) -> str:
    """A form for comparing labels: lower case, diacritics and `đ`/`Ð` folded, spaces squeezed (NFC or NFD alike).

    Only for *finding* labels such as "Thời gian đăng:"; stored text is never folded.
    """
    return _SPACE.sub(" ", unmarked(text)).strip()


def parse_portal_date(text: str) -> str | None:
    """The first portal date in `text` as ISO 8601 in Vietnam time, or None.

    The portal writes day/month/year and a 12-hour clock: ``17/09/2020 03:13:30 PM`` is
    ``2020-09-17T15:13:30+07:00``; ``12:05:10 AM`` is 00:05:10. Without AM/PM the clock is 24-hour;
    a date without a time is taken as midnight, so every value sorts as the same kind of string.
    """
    for match in _DATE.finditer(nfc(text)):
        iso = _to_iso(match)
        if iso:
            return iso
    return None


def _to_iso(match: re.Match[str]) -> str | None:
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    hour, minute, second = int(match["hour"] or 0), int(match["minute"] or 0), int(match["second"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").upper()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        afternoon = ampm in ("PM", "CH")
        hour = hour % 12 + (12 if afternoon else 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM).isoformat()
    except ValueError:
        return None


def format_portal_date(iso: str) -> str:
    """An ISO 8601 time written as the portal shows it: ``2020-09-17T15:13:30+07:00`` → ``17/09/2020 03:13:30 PM``."""
    when = datetime.fromisoformat(iso).astimezone(VIETNAM)
    return f"{when:%d/%m/%Y} {when.hour % 12 or 12:02d}:{when:%M:%S} {'PM' if when.hour >= 12 else 'AM'}"
