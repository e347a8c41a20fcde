"""Suggestions of personal information (个人信息) to withhold under Art 15: pure functions over
text, returning what was found and where (character offsets). Nothing here touches a file or
the database; pdf.PageText maps the offsets back to boxes on the page.

A suggestion is only a suggestion: it becomes a redaction when an officer accepts it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from letters.records.pdf import PageText, Rect

ID_NUMBER = "id_number"
MOBILE = "mobile"
PHONE = "phone"
BANK_CARD = "bank_card"
EMAIL = "email"
PLATE = "plate"
NAME = "name"

# Earlier kinds win when two findings overlap (an ID number is also a run of digits that
# could pass the bank-card check).
PRIORITY = [ID_NUMBER, EMAIL, BANK_CARD, MOBILE, PHONE, PLATE, NAME]

_PHONE_RE = re.compile(
    r"(?<!\d)((?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[ \-－—])\s?[2-9]\d{6,7})(?!\d)"
)
_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_RE = re.compile(
    "(["
    + _PROVINCES
    + r"]\s?[A-HJ-NP-Z][·•\.\s]?(?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳]))"
    r"(?![A-Za-z0-9])"
)

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    value: str
    whole: bool = False  # a number that is a whole run of digit groups, nothing around it


def id_number_valid(number: str) -> bool:
    """GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812 (Luhn) check digit, which Chinese bank cards (UnionPay 62…) carry."""
    if not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit() or c in "Xx")


# Numbers as printed and as OCR reads them: whole, in groups (1101 0519 …, 139-1234-5678), or
# one digit per box (the boxes' sides removed before OCR, a digit or two per word left).
# A run is groups of digits with at most three separator characters between them; a
# candidate is a span of whole groups with the right number of digits.
_GROUP_SEPARATORS = set(" \t\n\u3000-－—–_·.|/\\[](){}:;,'`!")
_MAX_SEPARATOR = 3


@dataclass(frozen=True)
class _Group:
    start: int  # offsets in the text
    end: int
    digits: str


def _is_digit(char: str) -> bool:
    return char.isascii() and char.isdigit()


def _lone_x(text: str, i: int) -> bool:
    """An X at i that can be an ID's check character: not part of a Latin word."""
    after = text[i + 1] if i + 1 < len(text) else ""
    return text[i] in "Xx" and not (after.isascii() and (after.isalpha() or after.isdigit()))


def _digit_runs(text: str) -> list[list[_Group]]:
    """The runs of digit groups in the text. An X ends a group (an ID's check character),
    directly after its digits or on its own after a separator (its own box)."""
    runs: list[list[_Group]] = []
    current: list[_Group] = []
    i, n = 0, len(text)
    while i < n:
        if not (_is_digit(text[i]) or (current and _lone_x(text, i))):
            i += 1
            continue
        start = i
        while i < n and _is_digit(text[i]):
            i += 1
        if i < n and _lone_x(text, i):
            i += 1
        current.append(_Group(start, i, text[start:i]))
        gap = i
        while gap < n and text[gap] in _GROUP_SEPARATORS and gap - i < _MAX_SEPARATOR:
            gap += 1
        if gap > i and gap < n and (_is_digit(text[gap]) or _lone_x(text, gap)):
            i = gap
            continue
        runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def _spans(text: str, lengths: range) -> list[tuple[int, int, str, bool]]:
    """(start, end, digits, whole run) of every span of whole groups whose digit count is in
    `lengths`; an X only as the span's last character."""
    found = []
    for run in _digit_runs(text):
        for first in range(len(run)):
            digits = ""
            for last in range(first, len(run)):
                if "X" in digits.upper():
                    break  # an X ended an earlier group: nothing may follow it
                digits += run[last].digits
                if len(digits) > lengths.stop:
                    break
                if len(digits) in lengths:
                    whole = first == 0 and last == len(run) - 1
                    found.append((run[first].start, run[last].end, digits, whole))
    return found


def find_id_numbers(text: str) -> list[Finding]:
    """18 characters (GB 11643) with a valid check character, whole or in groups or boxes."""
    return [
        Finding(ID_NUMBER, start, end, text[start:end], whole)
        for start, end, digits, whole in _spans(text, range(18, 19))
        if id_number_valid(digits.upper())
    ]


def find_mobiles(text: str) -> list[Finding]:
    """11 digits beginning 13–19, whole or grouped (139 1234 5678, 139-1234-5678)."""
    return [
        Finding(MOBILE, start, end, text[start:end], whole)
        for start, end, digits, whole in _spans(text, range(11, 12))
        if digits.isdigit() and re.fullmatch(r"1[3-9]\d{9}", digits)
    ]


def find_phones(text: str) -> list[Finding]:
    """Fixed lines with an area code (0 + 2–3 digits) and a 7–8 digit number."""
    return [Finding(PHONE, m.start(1), m.end(1), m.group(1)) for m in _PHONE_RE.finditer(text)]


def find_bank_cards(text: str) -> list[Finding]:
    """16–19 digits (whole, grouped or boxed) that pass the Luhn check."""
    return [
        Finding(BANK_CARD, start, end, text[start:end], whole)
        for start, end, digits, whole in _spans(text, range(16, 20))
        if digits.isdigit() and luhn_valid(digits)
    ]


def find_emails(text: str) -> list[Finding]:
    return [Finding(EMAIL, m.start(1), m.end(1), m.group(1)) for m in _EMAIL_RE.finditer(text)]


def find_plates(text: str) -> list[Finding]:
    """Licence plates (GA 36): province abbreviation, issuing-office letter, 5 characters
    (6 for new-energy vehicles), or 4 and 挂/学/警/港/澳."""
    return [Finding(PLATE, m.start(1), m.end(1), m.group(1)) for m in _PLATE_RE.finditer(text)]


def find_names(text: str, names: Iterable[str]) -> list[Finding]:
    """Every occurrence of the names the officer listed (e.g. a third party's)."""
    found = []
    for name in {n.strip() for n in names if n and n.strip()}:
        for m in re.finditer(re.escape(name), text):
            found.append(Finding(NAME, m.start(), m.end(), name))
    return found


def _numbers(text: str) -> list[Finding]:
    """ID numbers, bank cards and mobiles: spans of digit groups (a line break separates
    groups and may fall inside a number)."""
    return [*find_id_numbers(text), *find_bank_cards(text), *find_mobiles(text)]


def _others(text: str, names: Iterable[str]) -> list[Finding]:
    return [
        *find_emails(text),
        *find_phones(text),
        *find_plates(text),
        *find_names(text, names),
    ]


def _resolve(candidates: list[Finding]) -> list[Finding]:
    """Overlaps resolved: a number that is a whole run of digit groups first, then by
    PRIORITY; of two readings of a number, the one with more digits,
    then the one broken in fewer places (a box's side read as a digit adds a group in
    front), then the longer one. In text order."""
    candidates.sort(
        key=lambda f: (
            not f.whole,  # a whole run read as one number beats any part of it
            PRIORITY.index(f.kind),
            -len(_digits(f.value)),
            sum(1 for c in f.value if not c.isalnum()),
            -(f.end - f.start),
            f.start,
        )
    )
    taken: list[Finding] = []
    for finding in candidates:
        if all(finding.end <= t.start or finding.start >= t.end for t in taken):
            taken.append(finding)
    return sorted(taken, key=lambda f: f.start)


def find_all(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """All findings, overlaps resolved (_resolve), in text order."""
    return _resolve([*_numbers(text), *_others(text, names)])


def page_findings(page: PageText, names: Iterable[str] = ()) -> list[tuple[Finding, list[Rect]]]:
    """Findings on a page with their boxes. Line breaks are left out of the text searched
    for names, addresses, e-mails, plates and fixed lines, so one wrapped at the end of a line
    is still found (Chinese text has no spaces to lose; a false join is only a suggestion
    the officer rejects). Numbers are searched in the text with its line breaks, each one a
    place where a number may continue: a number wrapped is found, and two numbers on
    consecutive lines (an OCR'd form) do not run together into one."""
    kept = [i for i, char in enumerate(page.text) if char != "\n"]
    joined = "".join(page.text[i] for i in kept)
    others = [
        Finding(f.kind, kept[f.start], kept[f.end - 1] + 1, f.value) for f in _others(joined, names)
    ]
    result: list[tuple[Finding, list[Rect]]] = []
    for original in _resolve([*_numbers(page.text), *others]):
        # OCR boxes (Tesseract's LSTM engine) can be off by about a character: pad them by
        # most of a line height on each side. That may cover a neighbouring character, which
        # the officer sees before accepting; it never leaves part of the finding showing.
        pad = 0.8 if page.source == "ocr" else 0.1
        rects = finding_rects(page, original, pad=pad)
        if not any(_same_place(original, rects, *earlier) for earlier in result):
            result.append((original, rects))
    return result


def normalised(finding: Finding) -> str:
    """What two readings of the same finding share: its digits (and X), or its text."""
    if finding.kind in (ID_NUMBER, MOBILE, BANK_CARD, PHONE):
        return _digits(finding.value).upper()
    return finding.value


def _same_place(finding: Finding, rects: list[Rect], other: Finding, others: list[Rect]) -> bool:
    """The same finding read twice on a scan (its text layer and OCR): same kind and value,
    boxes that overlap."""
    if finding.kind != other.kind or normalised(finding) != normalised(other):
        return False
    return any(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for a in rects for b in others
    )


def finding_rects(page: PageText, finding: Finding, *, pad: float = 0.1) -> list[Rect]:
    """The boxes covering a finding's characters: one per line, padded a little so the
    painted box covers ascenders, descenders and anti-aliasing."""
    rects: list[Rect] = []
    current: list[float] | None = None
    for box in page.boxes[finding.start : finding.end]:
        if box is None:
            continue
        x0, y0, x1, y1 = box
        middle = (y0 + y1) / 2
        if current is not None and current[1] <= middle <= current[3] and x0 >= current[0]:
            current = [current[0], min(current[1], y0), max(current[2], x1), max(current[3], y1)]
        else:
            if current is not None:
                rects.append(_pad(current, pad))
            current = [x0, y0, x1, y1]
    if current is not None:
        rects.append(_pad(current, pad))
    return rects


def _pad(box: list[float], pad: float) -> Rect:
    """Pad horizontally by `pad` line heights, vertically by 0.15 of one."""
    height = box[3] - box[1]
    pad_y = height * 0.15
    pad_x = height * pad
    return (
        max(0.0, box[0] - pad_x),
        max(0.0, box[1] - pad_y),
        min(1.0, box[2] + pad_x),
        min(1.0, box[3] + pad_y),
    )


def mask(value: str) -> str:
    """What a list shows of a finding: the ends only (the page image shows the rest)."""
    compact = value.strip()
    if len(compact) <= 2:
        return compact[:1] + "*"
    keep = max(1, len(compact) // 4)
    return compact[:keep] + "*" * (len(compact) - 2 * keep) + compact[-keep:]
