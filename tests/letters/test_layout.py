"""The letter on the GB/T 9704-2012 letter format, measured in the PDF with pdfplumber: one
page when the content fits, the type area, 28 characters a line set flush, the fonts, the
date, seal and page numbers, the red lines; no injected paragraphs; no silent font fallback."""

import io
import itertools

from django.core.checks import run_checks
from django.test import override_settings
from django.utils import timezone

import pdfplumber
import pytest

from casework.services import case_receive
from letters.context import build_letter_context
from letters.kinds import KINDS
from letters.layout import wording_paragraphs
from letters.rendering import html_to_pdf, render_letter_html
from letters.sample import sample_case, sample_pdf, sample_seal
from letters.services import current_wording
from tests.conftest import NOW, REQUEST, at, person

MM = 72 / 25.4
CELL = 156 / 28


# The sample's steps that nobody approved: the registrar or a liaison officer fired them.
UNAPPROVED = {
    "acknowledgement",
    "correction",
    "consultation_third_party",
    "consultation_organ",
    "consultation_notice",
    "fee_notice",
}


def _rows(page):
    rows: dict[float, list] = {}
    for char in page.chars:
        rows.setdefault(round(char["top"], 1), []).append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items())]


def _text(row) -> str:
    return "".join(c["text"] for c in row)


@pytest.mark.django_db
def test_every_sample_but_the_multi_file_reply_fits_one_page():
    for key, kind in KINDS.items():
        with pdfplumber.open(io.BytesIO(sample_pdf(kind))) as pdf:
            if key == "reply.partial":  # two files released: 附件 list, may run on
                last = pdf.pages[-1]
                texts = [_text(r) for r in _rows(last)]
                assert any(t == "济南市退役军人事务局" for t in texts)  # signature with the seal
                assert last.images, key
                body = [t for t in texts if t and "—" not in t and "验证码" not in t]
                assert len(body) >= 5, (key, body)  # never the closing alone
                continue
            assert len(pdf.pages) == 1, key
            # The seal (with signature and date) only where the head approved the step.
            assert len(pdf.pages[0].images) == (key not in UNAPPROVED), key


@pytest.mark.django_db
def test_gbt_9704_measurements_of_a_letter():
    with pdfplumber.open(io.BytesIO(sample_pdf(KINDS["extension"]))) as pdf:
        page = pdf.pages[0]
        assert (round(page.width / MM), round(page.height / MM)) == (210, 297)  # A4
        rows = _rows(page)
        masthead, number, title = rows[0], rows[1], rows[2]
        assert abs(masthead[0]["top"] / MM - 30) <= 1  # organ name 30 mm from the top
        assert masthead[0]["non_stroking_color"] != (0,)  # red
        assert "Noto-Serif-CJK" in title[0]["fontname"]
        assert round(title[0]["size"]) == 22
        assert abs(number[-1]["x1"] / MM - 184) <= 0.3  # number flush right in the type area
        body = [r for r in rows[4:] if round(r[0]["size"]) == 16]
        assert all("FandolFang" in c["fontname"] for r in body for c in r)  # 仿宋 body
        full = [
            r
            for r, nxt in itertools.pairwise(body)
            if abs(r[-1]["x1"] / MM - 184) <= 0.4 and abs(nxt[0]["x0"] / MM - 28) <= 0.2
        ]
        assert len(full) >= 4
        for row in full:  # flush at both ends of the 156 mm type area, 28 character cells
            assert (
                abs(row[0]["x0"] / MM - 28) <= 0.2 or abs(row[0]["x0"] / MM - 28 - 2 * CELL) <= 0.2
            )
            assert abs(row[-1]["x1"] / MM - 184) <= 0.4
            cells = sum(1 if ord(c["text"]) > 0x2E80 else 0.5 for c in row)
            assert 26.5 <= cells + (2 if row[0]["x0"] / MM > 30 else 0) <= 29.5
        closing = next(i for i, r in enumerate(body) if _text(r).startswith("特此告知"))
        tops = [r[0]["top"] / MM for r in body[: closing + 1]]
        pitches = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
        assert pitches == {10.2}  # this one fits at the standard 22 lines of 225/22 mm
        date = next(r for r in rows if _text(r).endswith("日") and _text(r).startswith("20"))
        assert (
            abs((184 - date[-1]["x1"] / MM) - 4 * CELL) <= 0.5
        )  # date 4 characters from the right
        seal = page.images[0]
        assert seal["top"] < date[0]["top"] < seal["bottom"]  # the seal presses on the date
        last_body = max(r[0]["bottom"] for r in rows if _text(r).startswith("特此告知"))
        assert 0 <= seal["top"] - last_body <= 10.2 * MM  # its top within one line of the body
        reds = [r for r in page.rects if round(r["width"] / MM) == 170]
        assert len(reds) == 4
        assert all(abs(r["x0"] / MM - 20) < 0.1 for r in reds)
        assert abs(max(r["bottom"] for r in reds) / MM - 277) <= 0.5  # 20 mm above the edge
        footer = next(r for r in rows if "验证码" in _text(r))
        assert footer[0]["top"] / MM > 262  # in the footer, below the type area


@pytest.mark.django_db
def test_an_unsealed_notice_signs_two_characters_from_the_right():
    """GB/T 9704 7.3.5.2: no seal: the signature two characters from the right, the date
    below it, starting two characters to the right of the signature's first character."""
    with pdfplumber.open(io.BytesIO(sample_pdf(KINDS["acknowledgement"]))) as pdf:
        page = pdf.pages[0]
        assert not page.images
        rows = _rows(page)
        signature = next(
            r for r in rows if _text(r) == "济南市退役军人事务局" and r[0]["size"] < 20
        )
        date = rows[rows.index(signature) + 1]
        assert abs((184 - signature[-1]["x1"] / MM) - 2 * CELL) <= 0.5
        assert abs(date[0]["x0"] / MM - signature[0]["x0"] / MM - 2 * CELL) <= 0.5


@pytest.mark.django_db
def test_page_numbers_alternate_in_song_7_mm_below_the_type_area():
    with pdfplumber.open(io.BytesIO(sample_pdf(KINDS["reply.partial"]))) as pdf:
        assert len(pdf.pages) == 2
        assert not any("— 1 —" in _text(r) for r in _rows(pdf.pages[0]))  # letter format
        row = next(r for r in _rows(pdf.pages[1]) if "—" in _text(r))
        assert _text(row).replace(" ", "") == "—2—"
        assert "Noto-Serif-CJK" in row[0]["fontname"]
        assert round(row[0]["size"]) == 14
        assert abs(row[0]["top"] / MM - 262 - 7) <= 1
        assert abs(row[0]["x0"] / MM - 28 - CELL) <= 0.6  # even page: left, one character in


@pytest.mark.django_db
def test_a_long_letter_runs_on_at_22_lines_of_28_characters():
    kind = KINDS["reply.refused.process_information"]
    with sample_case(kind) as case:
        context = build_letter_context(
            case=case, kind=kind, number="X〔2026〕1号", issued_on=timezone.localdate()
        )
    context["reasons"] = (
        "所申请信息系本机关在研究论证过程中形成的讨论记录和请示报告，尚未定稿。" * 30
    )
    html = render_letter_html(
        context=context,
        wording=current_wording(kind.key).body,
        verification_code="C",
        seal=sample_seal(),
    )
    with pdfplumber.open(io.BytesIO(html_to_pdf(html))) as pdf:
        assert len(pdf.pages) >= 3
        rows = [r for r in _rows(pdf.pages[1]) if round(r[0]["size"]) == 16]
        assert len(rows) == 22  # a full page: 22 lines
        assert abs(rows[0][0]["top"] / MM - 37 - (10.227 - 5.644) / 2) <= 1  # top margin 37 mm
        tops = [r[0]["top"] / MM for r in rows]
        assert {round(b - a, 1) for a, b in itertools.pairwise(tops)} == {10.2}
        for row in rows[:-1]:
            assert abs(row[0]["x0"] / MM - 28) <= 0.2  # left margin 28 mm
            assert abs(row[-1]["x1"] / MM - 184) <= 0.4  # flush right: 156 mm type area
            assert len(row) == 28  # 28 characters (all full-width here)
        last = pdf.pages[-1]
        texts = [_text(r) for r in _rows(last)]
        assert "济南市退役军人事务局" in texts  # the signature never alone:
        assert len([t for t in texts if t and "—" not in t]) >= 5  # body lines came with it


@pytest.mark.django_db
def test_rare_characters_render_through_the_fallback_face():
    kind = KINDS["acknowledgement"]
    with sample_case(kind) as case:
        context = build_letter_context(
            case=case, kind=kind, number="X〔2026〕1号", issued_on=timezone.localdate()
        )
    context["subject"] = "𠮷䶮鿏相关信息"
    html = render_letter_html(
        context=context,
        wording=current_wording(kind.key).body,
        verification_code="C",
        seal=sample_seal(),
    )
    with pdfplumber.open(io.BytesIO(html_to_pdf(html))) as pdf:
        chars = pdf.pages[0].chars
        rare = [c for c in chars if c["text"] in "𠮷䶮鿏"]
        assert len(rare) == 3
        assert all("Noto-Serif-CJK" in c["fontname"] for c in rare)
        assert not any("DejaVu" in c["fontname"] or "JP" in c["fontname"] for c in chars)


@pytest.mark.django_db
def test_line_breaks_typed_into_one_line_fields_never_become_paragraphs(organ, users):
    forged = "安置计划\r\n\r\n本机关已于2026年3月3日予以全部公开。"
    case = case_receive(
        organ=organ,
        actor=users["registrar"],
        channel="in_person",
        arrived_at=at(NOW.date()),
        applicant=person(name="张三\n\n李四"),
        request={**REQUEST, "subject": forged},
        now=NOW,
    )
    case.refresh_from_db()
    assert "\n" not in case.subject
    assert "\r" not in case.subject
    assert case.applicant.name == "张三 李四"
    kind = KINDS["acknowledgement"]
    context = build_letter_context(case=case, kind=kind, number="X", issued_on=NOW.date())
    context["subject"] = forged  # and again when the letter is built
    paragraphs = wording_paragraphs(current_wording(kind.key).body, context)
    assert len(paragraphs) == 3
    assert not any(p.startswith("本机关已于2026年3月3日") for p in paragraphs)


def test_a_missing_typeface_is_a_system_check_error():
    with override_settings(LETTER_TYPEFACES={"body": "No Such FangSong"}):
        errors = [e for e in run_checks() if e.id == "letters.E001"]
    assert len(errors) == 1
    assert "No Such FangSong" in errors[0].msg
    assert not [e for e in run_checks() if e.id == "letters.E001"]


# --- issue 21 point 10: the line-start rule after a squeezed bracket; a long 附件 list ------


def test_no_line_starts_with_closing_punctuation_after_a_squeezed_bracket():
    """A closing bracket squeezed into a full line (挤进) used to leave the punctuation after
    it, 。 or ，, to open the next line; such a run is now pushed down with the line's last
    character (推出) when it cannot all be squeezed in."""
    from letters.fonts import typefaces
    from letters.typeset import NO_START, compose

    family = typefaces()["body"]
    texts = [
        "永" * 28 + "）。后文继续。",
        "永" * 28 + "”，他说。",
        "永" * 28 + "》）。",
        "关于《本市退役士兵安置计划（2025年）》的" * 3 + "说明（见附件）。后续",
        "申请人所称（详见申请书第二页第三段所列事项及其附件材料和补充说明）。" * 4,
    ]
    for text in texts:
        for first_indent in (0, 2):
            lines = compose(text, family, first_indent=first_indent)
            assert "".join(line.text for line in lines) == text, text
            for line in lines[1:]:
                assert line.text[0] not in NO_START, (text, [x.text for x in lines])
    # A single bracket still squeezes into the full line rather than pushing a character down.
    lines = compose("永" * 28 + "）后文", family, first_indent=0)
    assert lines[0].text == "永" * 28 + "）"


@pytest.mark.django_db
def test_a_long_attachment_list_runs_on_instead_of_leaving_the_page_empty():
    """附件说明 (7.3.4) with thirty files: the list follows the body on the same page and runs
    on from page to page; only its last two lines are kept with the signature (7.3.5.5).
    Before, the body's last lines, the whole list and the signature moved to a new page as one
    block and left the page before it nearly empty."""
    files = "\n".join(f"《2025年第{n}次局长办公会议纪要及其附件材料》" for n in range(1, 31))
    data = sample_pdf(KINDS["reply.partial"], files=files)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [[_text(r) for r in _rows(page)] for page in pdf.pages]
        body_rows = [
            [r for r in _rows(page) if r and round(r[0]["size"]) == 16] for page in pdf.pages
        ]
    assert len(pages) == 3
    listed = [t for page in pages for t in page if "局长办公会议纪要" in t]
    assert len(listed) == 30
    # The page where the list starts is filled to the foot of the type area (22 lines).
    start = next(i for i, page in enumerate(pages) if any(t.startswith("附件：") for t in page))
    assert len(body_rows[start]) >= 21, pages[start]
    assert start + 1 < len(pages)  # and runs on
    last = pages[-1]
    assert "济南市退役军人事务局" in last  # the signature, never alone:
    assert sum("局长办公会议纪要" in t for t in last) >= 2
