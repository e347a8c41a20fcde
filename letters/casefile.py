"""The case file (案卷): one PDF that documents a case from application to closing, for the
archive (Archives Law Art 14; the OGI Regulations keep the record of every application) and
on demand for administrative reconsideration or litigation (Art 51), where the organ must
show what it received, what it did and when.

Contents: a cover, a table of contents, the application (applicant, agent, request) with the
list of its attachments, the decision and the records released or withheld, the timeline of
events, the explanation of the statutory deadline (Art 33: how the 20 working days ran), and
then every issued letter exactly as frozen at issue (their stored PDFs, not re-rendered, so
the file shows the letters the applicant received; void letters are marked in the contents).
The first pages are rendered with WeasyPrint through letters.rendering (the same fetcher
that loads nothing but the bundled assets); pikepdf appends the letters and adds bookmarks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from casework.choices import AttachmentKind, Disposition
from casework.models import Case
from casework.selectors import case_clock, case_history
from letters.models import Letter
from letters.rendering import html_to_pdf


@dataclass(frozen=True)
class LetterEntry:
    letter: Letter
    first_page: int  # 1-based page of the case file where the letter begins
    pages: int


def _letter_pages(letter: Letter) -> int:
    import pikepdf

    with letter.pdf.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        return len(pdf.pages)


def _decision_records(case: Case) -> list[dict[str, str]]:
    """What the decision released, withheld and searched: from the decision events
    (propose, reply on the spot), the latest last."""
    keys = [
        ("found", "已检索到并提供的信息"),
        ("withheld", "不予公开的部分及理由"),
        ("searched", "检索范围"),
        ("reasons", "理由"),
        ("basis", "依据"),
    ]
    rows = []
    for event in case.events.filter(kind__in=["propose", "reply_on_the_spot"]).order_by("seq"):
        payload = event.payload or {}
        for key, label in keys:
            if payload.get(key):
                rows.append({"label": label, "value": str(payload[key]), "on": str(event.on)})
    return rows


def _cover_html(case: Case, entries: list[LetterEntry], *, today: date, by: str) -> str:
    clock = case_clock(case=case, today=today)
    attachments = [
        {
            "kind": str(dict(AttachmentKind.choices).get(a.kind, a.kind)),
            "name": a.original_name,
            "size": a.size,
            "uploaded_at": timezone.localtime(a.uploaded_at),
            "sha256": a.sha256,
        }
        for a in case.attachments.order_by("uploaded_at", "pk")
    ]
    return render_to_string(
        "letters/casefile.html",
        {
            "case": case,
            "applicant": case.applicant,
            "agent": case.agent,
            "disposition": str(dict(Disposition.choices).get(case.disposition, ""))
            if case.disposition
            else "",
            "attachments": attachments,
            "records": _decision_records(case),
            "events": list(case_history(case=case)),
            "clock": clock,
            "entries": entries,
            "today": today,
            "generated_by": by,
        },
    )


def casefile_pdf(case: Case, *, today: date | None = None, generated_by: str = "") -> bytes:
    """The case file of `case` as PDF bytes (see the module docstring)."""
    import pikepdf

    today = today or timezone.localdate()
    letters = list(case.letters.select_related("void").order_by("issued_at", "pk"))
    sizes = [_letter_pages(letter) for letter in letters]
    # The contents give each letter's first page, which depends on the length of the front
    # pages: render, count, render again until the count is stable (twice in practice).
    front_pages = 1
    front = b""
    entries: list[LetterEntry] = []
    for _attempt in range(4):
        entries = []
        page = front_pages + 1
        for letter, size in zip(letters, sizes, strict=True):
            entries.append(LetterEntry(letter, page, size))
            page += size
        front = html_to_pdf(_cover_html(case, entries, today=today, by=generated_by))
        with pikepdf.open(io.BytesIO(front)) as rendered:
            counted = len(rendered.pages)
        if counted == front_pages:
            break
        front_pages = counted
    with pikepdf.open(io.BytesIO(front)) as merged:
        with merged.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(f"案卷封面 {case.number}", 0))
            for entry in entries:
                handle = entry.letter.pdf.open("rb")
                try:
                    letter_pdf = pikepdf.open(io.BytesIO(handle.read()))
                finally:
                    handle.close()
                merged.pages.extend(letter_pdf.pages)
                title = f"{entry.letter.get_kind_display()} {entry.letter.number}"
                if entry.letter.is_void:
                    title += "（已作废）"
                outline.root.append(pikepdf.OutlineItem(title, entry.first_page - 1))
        merged.docinfo["/Title"] = f"案卷 {case.number}"
        out = io.BytesIO()
        merged.save(out)
    return out.getvalue()
