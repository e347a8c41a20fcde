"""Line composition for letters on the GB/T 9704-2012 grid: 28 characters of 3号 (16 pt) in
a 156 mm line, every line but a paragraph's last set flush at both ends.

WeasyPrint justifies only at spaces, which Chinese text has none of, and its own line breaks
leave 26–27 characters and a ragged right edge. So the lines are composed here: the text is cut
into lines by the font's own advance widths, with the line-start and line-end prohibitions of
Chinese typesetting (禁则, GB/T 15834 / W3C clreq: no "，。" at a line start, no "（《" at a
line end), punctuation squeezed into the line (挤进) before a character is pushed down (推出),
and each full line gets the letter spacing that makes it exactly 156 mm wide. Knowing the
number of lines also lets the renderer decide, before WeasyPrint lays anything out, whether a
letter fits on one page (GB/T 9704 7.3.5.5: adjust line spacing rather than leave the seal
alone on a page).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

MM = 72 / 25.4  # points per millimetre
BODY_PT = 16.0  # 3号
LINE_CHARS = 28
LINE_WIDTH_PT = 156 * MM  # the type area's width (版心宽 156 mm)
PITCH_PT = LINE_WIDTH_PT / LINE_CHARS  # one character cell: 15.79 pt
BASE_SPACING_PT = PITCH_PT - BODY_PT  # letter spacing of an unjustified full-width line
SQUEEZE_PT = BODY_PT  # at most one character may be squeezed into a full line (挤进)

# clreq 3.1.7: characters that may not start a line, and those that may not end one.
NO_START = set("，。、；：？！）》」』〕】〗〉”’…—%·．,.;:?!)]}＞｝")
NO_END = set("（《「『〔【〖〈“‘([{＜｛")
# Runs kept together: Latin words, numbers, codes, URLs, and doubled dashes and ellipses.
_TOKEN = re.compile(r"[A-Za-z0-9@._\-/:%#+=&?~]+|……|——|\s|.", re.DOTALL)

LINE_BREAK = "\u2028"  # a forced line break inside a paragraph (never a new paragraph)


@dataclass(frozen=True)
class Line:
    text: str
    spacing: float  # letter spacing in pt
    indent: int = 0  # leading empty cells (hanging indent of a list)


@lru_cache(maxsize=16)
def font_face(family: str) -> tuple[str, int] | None:
    """The file and face index (in a collection such as NotoSerifCJK-Regular.ttc) fontconfig
    uses for `family`, or None when the family is not installed."""
    if not shutil.which("fc-match"):
        return None
    result = subprocess.run(  # noqa: S603 - fixed program, family passed as one argument
        ["fc-match", "--format=%{family}\n%{file}\n%{index}", family],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or result.stdout.count("\n") < 2:
        return None
    families, path, index = result.stdout.split("\n", 2)
    if family.casefold() not in [f.strip().casefold() for f in families.split(",")]:
        return None
    if not path.strip():
        return None
    return path.strip(), int(index.strip() or 0)


def font_file(family: str) -> str | None:
    """The file fontconfig uses for `family`, or None when the family is not installed."""
    face = font_face(family)
    return face[0] if face else None


@lru_cache(maxsize=8)
def _advances(family: str) -> dict[int, float]:
    """Advance widths in em of every character the font maps (read once per process)."""
    face = font_face(family)
    if face is None:
        return {}
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(face[0], lazy=True, fontNumber=face[1])
    upem = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {
        code: metrics[glyph][0] / upem
        for code, glyph in font.getBestCmap().items()
        if glyph in metrics
    }
    font.close()
    return widths


def char_width(char: str, family: str) -> float:
    """Width in pt at 3号; a character the body font lacks (set by the fallback face) and any
    CJK character count as one em."""
    if char == LINE_BREAK:
        return 0.0
    width = _advances(family).get(ord(char))
    if width is None:
        width = 0.5 if ord(char) < 0x2E80 else 1.0
    return width * BODY_PT


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _width(tokens: list[str], family: str) -> float:
    return sum(char_width(c, family) + BASE_SPACING_PT for t in tokens for c in t)


def _justified(tokens: list[str], family: str, width_pt: float, indent: int) -> Line:
    text = "".join(tokens).rstrip()
    glyphs = sum(char_width(c, family) for c in text)
    gaps = max(len(text) - 1, 1)
    return Line(text, round((width_pt - glyphs) / gaps, 4), indent)


def compose(
    text: str, family: str, *, first_indent: int = 2, indent: int = 0, hang: int = 0
) -> list[Line]:
    """Cut one paragraph into lines of the type area's width.

    `first_indent` empty cells open the paragraph (首行缩进二字), `indent` cells start every
    line, `hang` more cells start the lines after the first (a hanging list item).
    """
    lines: list[Line] = []
    for part in text.split(LINE_BREAK):
        lines.extend(_compose_part(part, family, first_indent, indent, hang))
        first_indent = hang  # a forced break continues the same paragraph
    return lines


def _compose_part(text: str, family: str, first_indent: int, indent: int, hang: int) -> list[Line]:
    lines: list[Line] = []
    lead = indent + first_indent
    current: list[str] = []
    width = 0.0

    def room() -> float:
        return LINE_WIDTH_PT - lead * PITCH_PT

    pending = _tokens(text.strip())
    while pending:
        token = pending.pop(0)
        if not current and token.isspace():
            continue  # no space at a line start
        token_width = _width([token], family)
        if width + token_width <= room() + 0.01:
            current.append(token)
            width += token_width
            continue
        if len(token) > 1 and not current:
            # A run longer than the line (a long URL): cut it where it overflows.
            pending[:0] = list(token)
            continue
        # The punctuation that may not start a line comes as a run ("）。", "”，"): squeeze
        # it into this line only if the whole run fits, or the next line would start with
        # the rest of it; otherwise push the line's last character down with it.
        run = [token]
        while len(pending) >= len(run) and len(run) < 4 and pending[len(run) - 1][0] in NO_START:
            run.append(pending[len(run) - 1])
        if token[0] in NO_START and current and width + _width(run, family) <= room() + SQUEEZE_PT:
            current.extend(run)  # 挤进: squeeze the punctuation into this line
            del pending[: len(run) - 1]
            lines.append(_justified(current, family, room(), lead))
            current, width, lead = [], 0.0, indent + hang
            continue
        carry: list[str] = []
        if token[0] in NO_START and current:
            carry.insert(0, current.pop())  # 推出: the last character goes down with it
        while len(current) > 1 and current[-1] and current[-1][-1] in NO_END:
            carry.insert(0, current.pop())
        if current:
            lines.append(_justified(current, family, room(), lead))
        else:  # nothing could stay: give up the prohibition rather than loop
            lines.append(_justified(carry, family, room(), lead))
            carry = []
        lead = indent + hang
        current = [*carry, token]
        width = _width(current, family)
    if current:
        lines.append(Line("".join(current).rstrip(), round(BASE_SPACING_PT, 4), lead))
    elif not lines:
        lines.append(Line("", round(BASE_SPACING_PT, 4), lead))
    return lines
