"""The letter laid out on the GB/T 9704-2012 letter format (信函格式), before WeasyPrint draws it.

Everything that decides where text goes is computed here, in millimetres, from the composed
lines (letters.typeset): the body, the attachment list (附件说明, 7.3.4), the closing, the
signature, date and seal (7.3.5), the note line (附注, 7.3.6) and whether all of it fits on the
first page. The template only places the pieces.

Geometry (GB/T 9704-2012 5.2.1, 10.1): A4; type area 156 × 225 mm starting 37 mm from the top
and 28 mm from the left; 22 lines of 28 characters of 3号. Letter format: the organ's name
30 mm from the top edge, a red double line 4 mm below it and another 20 mm above the bottom
edge, both 170 mm long; the document number right-aligned 7/8 of a 3号 character below the
upper line; no page number on the first page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template import Context, Template

from casework.payloads import TemplateContext
from casework.text import one_line
from letters.fonts import typefaces
from letters.typeset import (
    BODY_PT,
    LINE_BREAK,
    MM,
    PITCH_PT,
    Line,
    char_width,
    compose,
)

TYPE_AREA_HEIGHT_MM = 225.0
STANDARD_PITCH_MM = 10.2272  # 22 lines in 225 mm (a hair under 225/22, so 22 fit)
# GB/T 9704 7.3.5.5 lets the office tighten the line spacing so that the seal and date are not
# left alone; below 1.38 lines of 3号 it stops looking like a letter, so the letter runs on.
MIN_PITCH_MM = 7.8
FIRST_LINE_MM = 13.5  # the document number's line box starts below the red double line
CHAR_MM = PITCH_PT / MM  # one character cell: 5.571 mm
SEAL_MM = 42.0  # the usual round seal of an organ


def multi_line(value: object) -> str:
    """A multi-line field: its line breaks stay line breaks inside the paragraph that quotes it,
    never new paragraphs."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [one_line(line) for line in text.split("\n")]
    return LINE_BREAK.join(line for line in lines if line)


# Context values that may hold several lines; every other string is one line.
MULTI_LINE_FIELDS = {"reasons", "withheld", "correction_items", "extension_reason"}


def clean_context(context: TemplateContext) -> TemplateContext:
    return {
        key: (
            (multi_line(value) if key in MULTI_LINE_FIELDS else one_line(value))
            if isinstance(value, str)
            else value
        )
        for key, value in context.items()
    }


def wording_paragraphs(wording: str, context: TemplateContext) -> list[str]:
    """The wording rendered as plain text (escaped later, line by line), one item a paragraph.
    Only the wording's own blank lines separate paragraphs."""
    text = str(Template(wording).render(Context(clean_context(context), autoescape=False)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # wording typed in a browser
    # A single line break inside a block is only where the author wrapped the text: Chinese
    # joins without a space.
    paragraphs = [
        "".join(block.split("\n")).strip() for block in text.split("\n\n") if block.strip()
    ]
    if context.get("item_paragraphs"):
        # A request of several items (letters.items): the receipt sentence, then item by item.
        return paragraphs[:1] + list(context["item_paragraphs"])
    return paragraphs


@dataclass
class Block:
    lines: list[Line]
    kind: str = "para"  # para, attachment, note


@dataclass
class LetterLayout:
    blocks: list[Block]
    keep: list[Block]  # the last lines of the body with the closing: never alone on a page
    closing: str
    signature: str
    date: str
    signature_right_mm: float
    date_right_mm: float
    sealed: bool
    pitch_mm: float
    one_page: bool
    title_lines: int
    note: list[Line] = field(default_factory=list)

    @property
    def seal_left_mm(self) -> float:
        """The seal's left edge: centred on the date (7.3.5.1)."""
        date_width = _text_mm(self.date)
        centre = 156.0 - self.date_right_mm - date_width / 2
        return round(centre - SEAL_MM / 2, 2)


def closing_height_mm(pitch: float, sealed: bool) -> float:
    """The signature block: with a seal two blank lines, the signature and the date, and tall
    enough that the note line (附注) below starts under the seal (its top touches the body's
    last line box, so 7.3.5.1's "within one line" holds); without one, a blank line, the
    signature and the date (7.3.5.2)."""
    if not sealed:
        return 3 * pitch
    return max(4 * pitch, SEAL_MM + 0.5 - (pitch - BODY_PT / MM) / 2)


def _text_mm(text: str) -> float:
    family = typefaces()["body"]
    return sum(char_width(c, family) for c in text) / MM + max(len(text) - 1, 0) * (
        CHAR_MM - BODY_PT / MM
    )


def _attachments(files: str, family: str) -> list[Line]:
    """附件说明 (7.3.4): "附件：" after a blank line, indented two characters; several files
    numbered 1. 2. …, wrapped lines aligned with the first character of the file's name."""
    names = [
        n.strip(" ；;、，,") for n in re.split(r"[\n\u2028；;]+", files) if n.strip(" ；;、，,")
    ]
    if not names:
        return []
    lines: list[Line] = []
    for index, name in enumerate(names, start=1):
        label = f"{index}." if len(names) > 1 else ""
        head = "附件：" if index == 1 else ""
        text = f"{head}{label}{name}".rstrip("。")
        composed = compose(text, family, first_indent=0, indent=2 if index == 1 else 5, hang=3)
        lines.extend(composed)
    return lines


def _blocks(lines: list[tuple[Line, str]]) -> list[Block]:
    """Consecutive lines of one kind as one block."""
    blocks: list[Block] = []
    for line, kind in lines:
        if blocks and blocks[-1].kind == kind:
            blocks[-1].lines.append(line)
        else:
            blocks.append(Block([line], kind))
    return blocks


def _closing(kind: str) -> str:
    """One closing a letter: a 函 to a consulted party asks for an answer; others inform."""
    return (
        "请予函复。" if kind in ("consultation_third_party", "consultation_organ") else "特此告知。"
    )


# Administrative Reconsideration Law (2023) Art 23(1)(4): a refusal to disclose goes to
# reconsideration before court; 法释〔2025〕8号 Art 1 reads "不予公开" as refusals under Arts 14,
# 15 and 16 of the OGI Regulations, including the withheld part of a partial disclosure (Art
# 37). Other outcomes (无法提供, 不予处理, Art 36(7) inquiries) keep the ordinary clause.
# The setting LETTER_RECONSIDERATION_FIRST replaces this list (a trailing * matches a prefix).
RECONSIDERATION_FIRST = (
    "refused.state_secret",
    "refused.prohibited_by_law",
    "refused.security_stability",
    "refused.third_party_rights",
    "refused.internal_affairs",
    "refused.process_information",
    "refused.enforcement_file",
    "partial",
)


def _reconsideration_first(context: TemplateContext) -> bool:
    if context.get("remedy_reconsideration_first"):  # a reply of several items (letters.items)
        return bool(context["remedy_reconsideration_first"] != "none")
    disposition = str(context.get("disposition") or "")
    wanted = getattr(settings, "LETTER_RECONSIDERATION_FIRST", RECONSIDERATION_FIRST)
    return any(
        disposition.startswith(rule[:-1]) if rule.endswith("*") else disposition == rule
        for rule in wanted
    )


def remedy_paragraph(context: TemplateContext) -> str:
    """Art 51 of the OGI Regulations: the remedy clause of a reply letter."""
    organ = context.get("reconsideration_organ") or ""
    court = context.get("court") or "人民法院"
    if not _reconsideration_first(context):
        return (
            f"如对本答复不服，可以自收到本答复书之日起60日内向{organ}申请行政复议，"
            f"或者自收到本答复书之日起6个月内依法向{court}提起行政诉讼。"
        )
    split = context.get("remedy_reconsideration_first", "") == "some" or (
        not context.get("remedy_reconsideration_first") and context.get("disposition") == "partial"
    )
    part = "对本答复中不予公开的部分" if split else "对本答复"
    other = (
        f"对本答复其他内容不服的，可以自收到本答复书之日起60日内向{organ}申请行政复议，"
        f"或者自收到本答复书之日起6个月内依法向{court}提起行政诉讼。"
        if split
        else ""
    )
    return (
        f"根据《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，{part}不服的，"
        f"应当先自收到本答复书之日起60日内向{organ}申请行政复议；对行政复议决定不服的，"
        f"可以依法向人民法院提起行政诉讼。{other}"
    )


def note_text(context: TemplateContext) -> str:
    """附注 (7.3.6): the contact person and telephone, in parentheses."""
    contact = context.get("contact_person") or context.get("contact_office") or ""
    phone = context.get("organ_phone") or ""
    parts = [f"联系人：{contact}" if contact else "", f"联系电话：{phone}" if phone else ""]
    return "（" + "，".join(p for p in parts if p) + "）" if any(parts) else ""


def layout_letter(
    *, context: TemplateContext, wording: str, sealed: bool, paragraphs: list[str] | None = None
) -> LetterLayout:
    family = typefaces()["body"]
    texts = paragraphs if paragraphs is not None else wording_paragraphs(wording, context)
    kind = str(context.get("kind", ""))
    if context.get("replaces_number"):
        texts.append(
            f"本文书替代本机关此前出具的{one_line(context['replaces_number'])}文书，原文书作废。"
        )
    if context.get("remedy"):
        texts.append(remedy_paragraph(context))
    closing = _closing(kind)
    # One closing per letter: a wording that already ends with it keeps its own.
    if texts and texts[-1].rstrip().endswith(closing.rstrip("。")):
        texts[-1] = texts[-1].rstrip()
        if not texts[-1].endswith("。"):
            texts[-1] += "。"
        closing_line = ""
    else:
        closing_line = closing
    blocks = [Block(compose(text, family)) for text in texts]
    if closing_line:
        blocks.append(Block(compose(closing_line, family)))
    files = str(context.get("files") or "")
    attachment_lines = _attachments(files, family) if files else []
    note = (
        compose(note_text(clean_context(context)), family, first_indent=2)
        if note_text(context)
        else []
    )

    # The signature keeps the last lines before it on its page (never alone, 7.3.5.5): the
    # body's last two lines and the closing, or the last lines of the attachment list (附件说明,
    # 7.3.4), which otherwise runs on from page to page like the body. Held together whole, a
    # long list took the closing and signature to a new page and left three quarters of the
    # page before it empty.
    flat = [line for block in blocks for line in block.lines]
    held = 3 if closing_line else 2
    sequence = [(line, "para") for line in flat]
    if attachment_lines:
        sequence.append((Line("", 0.0), "blank"))
        sequence.extend((line, "attachment") for line in attachment_lines)
        held = 2 if len(attachment_lines) >= 2 else 3
    blocks = _blocks(sequence[:-held])
    keep: list[Block] = _blocks(sequence[-held:])

    signature = str(context.get("organ_name", ""))
    date = str(context.get("issued_on_cn", ""))
    sig_mm, date_mm = _text_mm(signature), _text_mm(date)
    if sealed:
        # 7.3.5.1: date four characters from the right; the signature centred on the date.
        date_right = 4 * CHAR_MM
        signature_right = max(date_right + (date_mm - sig_mm) / 2, 0.0)
    elif sig_mm >= date_mm + 2 * CHAR_MM:
        # 7.3.5.2: signature two characters from the right, the date two characters to the right
        # of the signature's first character.
        signature_right = 2 * CHAR_MM
        date_right = signature_right + sig_mm - 2 * CHAR_MM - date_mm
    else:
        date_right = 2 * CHAR_MM
        signature_right = date_right + date_mm + 2 * CHAR_MM - sig_mm

    title_lines = 1 if len(str(context.get("title", ""))) <= 20 else 2
    body_lines = sum(len(b.lines) for b in blocks) + sum(len(b.lines) for b in keep)
    # number, two blank lines, title, one blank line, addressee (7.3.3: 主送机关 below the title)
    head_lines = 1 + 2 + title_lines + 1 + 1
    lines = head_lines + body_lines + len(note)
    room = TYPE_AREA_HEIGHT_MM - FIRST_LINE_MM - 1.0  # 1 mm for rounding in the renderer
    pitch = STANDARD_PITCH_MM
    one_page = lines * pitch + closing_height_mm(pitch, sealed) <= room
    while not one_page and pitch - 0.05 >= MIN_PITCH_MM:
        pitch -= 0.05
        one_page = lines * pitch + closing_height_mm(pitch, sealed) <= room
    if not one_page:
        pitch = STANDARD_PITCH_MM
    return LetterLayout(
        blocks=blocks,
        keep=keep,
        closing="",
        signature=signature,
        date=date,
        signature_right_mm=round(signature_right, 2),
        date_right_mm=round(date_right, 2),
        sealed=sealed,
        pitch_mm=round(pitch, 4) if pitch != STANDARD_PITCH_MM else pitch,
        one_page=one_page,
        title_lines=title_lines,
        note=note,
    )
