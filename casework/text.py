"""Text hygiene for one-line fields (names, subject, addresses).

A line break typed into a one-line field would become a paragraph of the organ's own text in
a letter (a forged "本机关已于…予以全部公开。"), so one-line fields lose CR, LF, tabs and other
control and format characters (Unicode category C, and the line/paragraph separators) when
they are taken in; letters drop them again when they are built.
"""

import re
import unicodedata
from datetime import date

_SPACES = re.compile(r"[ \u3000]{2,}")


def one_line(value: object) -> str:
    """The value on one line: line breaks and tabs become a space, other control and format
    characters are removed, runs of spaces collapse, the ends are stripped."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\r\n\t\u2028\u2029\x0b\x0c\x85]+", " ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return _SPACES.sub(" ", text).strip()


def cn_date(day: date | str | None) -> str:
    """A date as every Chinese message, page and letter writes it: 2026年3月5日 (Arabic
    numerals, full year, no zero padding; GB/T 9704 7.3.5.4). An ISO string (a letter's frozen
    facts) is read first; no date gives "". The one formatter of the project."""
    if isinstance(day, str):
        day = date.fromisoformat(day) if day else None
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
