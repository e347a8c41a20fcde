"""The case file (案卷): one PDF that documents a case from application to closing, for the
archive (Archives Law Art 14; the OGI Regulations keep the record of every application) and
on demand for administrative reconsideration or litigation (Art 51), where the organ must
show what it received, what it did and when.

Contents: a cover, a table of contents, the application (applicant, agent, request) with the
list of its attachments, the decision and the records released or withheld, the timeline of
events, the explanation of the statutory deadline (Art 33: how the 20 working days ran), and
then every issued letter exactly as frozen at issue (their stored PDFs, not re-rendered, so
the file shows the letters the applicant received; void letters are marked in the contents),
then the records released to the applicant as they went out with the reply (the released,
redacted files of letters.records, Art 37), each listed in the contents with its pages and
SHA-256; a record withheld whole is listed by name and basis (Art 36(3)), its content not
included. The first pages are rendered with WeasyPrint through letters.rendering (the same
fetcher that loads nothing but the bundled assets); pikepdf appends the documents and adds
bookmarks, then stamps one running page number, "第 n 页 / 共 N 页", in the top right corner
of every page (the front pages, the frozen letters and the released records alike: the
archives' page number goes on the upper right of a page, GB/T 9705 / DA/T 22), so the contents
(目录) can give every section, letter and record by that number.

ID numbers are masked as on the case page (PIPL Art 51; casework.permissions.FULL_ID_ROLES):
the case file as served and as archived shows 3701**********1234. An office role allowed to
reveal asks for the unmasked file through workflows.workbench (a recorded IdNumberReveal,
shown_in "case_file", written before the file is made); such a file says on its cover for whom
it was made.

Rendering takes seconds to minutes and holds no transaction: `casefile_pdf` only reads, and
`casefile_store` writes the built file in a short transaction at the end (SQLite takes its
write lock when a transaction starts, so a render inside one made every other write wait).

At archiving (workflows.services.case_act) one CaseFile row is written in the transaction
and `casefile_build` runs on the long queue after commit: the worker renders the PDF, stores
it with its SHA-256 and freezes the row (one archived case file per case; a rerun returns the
built one). `manage.py casefiles` enqueues the missing or failed ones.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from django_tasks import task

from casework.choices import AttachmentKind, Disposition
from casework.models import Case
from casework.selectors import case_clock, case_history
from casework.tasks import LONG, enqueue_on_commit
from casework.validators import mask_id_number
from letters.fonts import font_stacks
from letters.models import CaseFile, Letter
from letters.records.models import GROUND_REASON, GROUND_SHORT, Ground
from letters.records.selectors import released_files_for_applicant
from letters.rendering import html_to_pdf

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

    import pikepdf

    from letters.records.models import ReleasedFile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LetterEntry:
    letter: Letter
    first_page: int  # 1-based page of the case file where the letter begins
    pages: int


@dataclass(frozen=True)
class RecordEntry:
    """A record released to the applicant: its released (redacted) file as it went out."""

    released: ReleasedFile
    first_page: int
    pages: int

    @property
    def title(self) -> str:
        return self.released.record.title


def _read(field: FieldFile) -> bytes:
    with field.open("rb") as handle:
        return bytes(handle.read())


def _pages(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _withheld_pages(released: ReleasedFile) -> set[int]:
    """The pages of a released file withheld whole: from the statement frozen at approval,
    or from the record's redactions when the set has none."""
    rows = [r for r in released.release_set.statement if r.get("position") == released.position]
    if rows:
        return {int(p) for row in rows for p in row.get("whole_pages", [])}
    return {r.page for r in released.record.redactions.all() if r.whole_page}


def _basis(released: ReleasedFile) -> str:
    """Why a record was withheld (Art 36(3) names the ground): its articles and reasons."""

    rows = [r for r in released.release_set.statement if r.get("position") == released.position]
    grounds = [str(row["ground"]) for row in rows] or sorted(
        {r.ground for r in released.record.redactions.all()}
    )
    notes = [str(n) for row in rows for n in row.get("notes", []) if n]
    parts = [
        f"《中华人民共和国政府信息公开条例》{GROUND_SHORT[Ground(g)]}（{GROUND_REASON[Ground(g)]}）"
        for g in dict.fromkeys(grounds)
        if g in Ground.values
    ]
    return "；".join(parts + notes)


def released_records(case: Case) -> tuple[list[ReleasedFile], list[dict[str, str]]]:
    """The records of the case as the applicant got them (Art 37 区分处理): the released files
    of the released set(s) with at least one page provided, and the records withheld whole
    (every page withheld, or not released at all) by name and basis, without their content."""

    files = list(
        released_files_for_applicant(case)
        .select_related("record", "release_set__letter")
        .prefetch_related("record__redactions")
    )
    released: list[ReleasedFile] = []
    withheld: list[dict[str, str]] = []
    for file in files:
        if file.pages and len(_withheld_pages(file)) >= file.pages:
            withheld.append({"name": file.record.title, "basis": _basis(file)})
        else:
            released.append(file)
    seen = {file.record_id for file in files}
    for record in case.records.exclude(pk__in=seen).order_by("pk"):
        withheld.append({"name": record.title, "basis": case.disposition_basis or "未随答复书提供"})
    return released, withheld


def _decision_records(case: Case) -> list[dict[str, str]]:
    """What the decision released, withheld and searched: from the decision events
    (propose, reply on the spot), the latest last."""
    keys = [
        ("found", "已检索到并提供的信息"),
        ("withheld", "不予公开的部分及理由"),
        ("searched", "检索范围"),
        # Art 36(4): the search record the reply states (casework.decision_rules).
        ("search_places", "检索的场所或档案"),
        ("search_systems", "检索的信息系统"),
        ("search_period", "检索的时间范围"),
        ("search_terms", "检索关键词"),
        ("responsible_organ", "负责公开的行政机关"),
        ("responsible_contact", "其联系方式"),
        ("responsible_unknown", "无法确定负责公开机关的原因"),
        ("earlier_case_number", "已答复的在先申请"),
        ("earlier_letter_number", "在先答复书文号"),
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


def _cover_html(
    case: Case,
    entries: list[LetterEntry],
    record_entries: list[RecordEntry],
    withheld: list[dict[str, str]],
    *,
    today: date,
    by: str,
    revealed_to: str = "",
) -> str:
    clock = case_clock(case=case, today=today)

    def id_number(value: str) -> str:
        return value if revealed_to else mask_id_number(value)

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
            "applicant_id_number": id_number(case.applicant.id_number),
            "agent_id_number": id_number(case.agent.id_number) if case.agent else "",
            "revealed_to": revealed_to,
            "fonts": font_stacks(),
            "disposition": str(dict(Disposition.choices).get(case.disposition, ""))
            if case.disposition
            else "",
            "attachments": attachments,
            "records": _decision_records(case),
            "events": list(case_history(case=case)),
            "clock": clock,
            "entries": entries,
            "record_entries": record_entries,
            "withheld": withheld,
            "today": today,
            "generated_by": by,
        },
    )


def _page_size_pt(page: pikepdf.Page) -> tuple[float, float]:
    box = [float(v) for v in page.mediabox]
    return round(box[2] - box[0], 2), round(box[3] - box[1], 2)


def _number_pages(pdf: pikepdf.Pdf) -> None:
    """One running page number on every page of the merged case file, in the top right corner
    (the archives' page number, GB/T 9705 / DA/T 22): 第 n 页 / 共 N 页. One WeasyPrint
    document of transparent pages, each the size of the page it goes on, laid over them."""
    import pikepdf

    total = len(pdf.pages)
    sizes = [_page_size_pt(page) for page in pdf.pages]
    names = {size: f"s{index}" for index, size in enumerate(dict.fromkeys(sizes))}
    rules = "".join(
        f"@page {name} {{ size: {w}pt {h}pt; margin: 9mm 12mm 0 0; }}"
        for (w, h), name in names.items()
    )
    pages = "".join(
        f'<div class="n" style="page: {names[size]}">第 {number} 页 / 共 {total} 页</div>'
        for number, size in enumerate(sizes, start=1)
    )
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
        f"{rules} html {{ font-family: {font_stacks()['song']}; font-size: 10.5pt; }}"
        " body { margin: 0; } .n { text-align: right; line-height: 1; }"
        " .n + .n { break-before: page; }"
        f"</style></head><body>{pages}</body></html>"
    )
    with pikepdf.open(io.BytesIO(html_to_pdf(html))) as overlay:
        if len(overlay.pages) != total:  # never a number on the wrong page
            raise RuntimeError(f"page numbers: {len(overlay.pages)} for {total} pages")
        for page, stamp in zip(pdf.pages, overlay.pages, strict=True):
            page.add_overlay(stamp, pikepdf.Rectangle(*[float(v) for v in page.mediabox]))


def casefile_pdf(
    case: Case, *, today: date | None = None, generated_by: str = "", revealed_to: str = ""
) -> bytes:
    """The case file of `case` as PDF bytes (see the module docstring). ID numbers are masked
    unless `revealed_to` names the person the unmasked file is made for (its reveal recorded
    by the caller). Reads only: call it outside any transaction."""
    import pikepdf

    today = today or timezone.localdate()
    letters = list(case.letters.select_related("void").order_by("issued_at", "pk"))
    letter_data = [_read(letter.pdf) for letter in letters]
    released, withheld = released_records(case)
    record_data = [_read(file.file) for file in released]
    letter_sizes = [_pages(data) for data in letter_data]
    record_sizes = [_pages(data) for data in record_data]
    # The contents give each document's first page, which depends on the length of the front
    # pages: render, count, render again until the count is stable (twice in practice).
    front_pages = 1
    front = b""
    entries: list[LetterEntry] = []
    record_entries: list[RecordEntry] = []
    for _attempt in range(4):
        entries, record_entries = [], []
        page = front_pages + 1
        for letter, size in zip(letters, letter_sizes, strict=True):
            entries.append(LetterEntry(letter, page, size))
            page += size
        for file, size in zip(released, record_sizes, strict=True):
            record_entries.append(RecordEntry(file, page, size))
            page += size
        html = _cover_html(
            case,
            entries,
            record_entries,
            withheld,
            today=today,
            by=generated_by,
            revealed_to=revealed_to,
        )
        front = html_to_pdf(html)
        counted = _pages(front)
        if counted == front_pages:
            break
        front_pages = counted
    with pikepdf.open(io.BytesIO(front)) as merged:
        with merged.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(f"案卷封面 {case.number}", 0))
            for entry, data in zip(entries, letter_data, strict=True):
                merged.pages.extend(pikepdf.open(io.BytesIO(data)).pages)
                title = f"{entry.letter.get_kind_display()} {entry.letter.number}"
                if entry.letter.is_void:
                    title += "（已作废）"
                outline.root.append(pikepdf.OutlineItem(title, entry.first_page - 1))
            for record_entry, data in zip(record_entries, record_data, strict=True):
                merged.pages.extend(pikepdf.open(io.BytesIO(data)).pages)
                title = f"附件{record_entry.released.position} {record_entry.title}"
                outline.root.append(pikepdf.OutlineItem(title, record_entry.first_page - 1))
        merged.docinfo["/Title"] = f"案卷 {case.number}"
        _number_pages(merged)
        out = io.BytesIO()
        merged.save(out)
    return out.getvalue()


# --- the archived case file ------------------------------------------------------------------


def casefile_archive_start(case: Case, *, now: datetime) -> CaseFile:
    """In the archiving transaction (workflows.services.case_act): the case's archived case
    file row, pending, and its build in a worker once the transaction commits. Nothing is
    rendered here: the request only writes one row."""
    casefile, _created = CaseFile.objects.get_or_create(
        case=case, reason=CaseFile.Reason.ARCHIVE, defaults={"requested_at": now}
    )
    if casefile.status == CaseFile.Status.FAILED:  # tried again (manage.py casefiles)
        casefile.status, casefile.error = CaseFile.Status.BUILDING, ""
        casefile.save(update_fields=["status", "error"])
    if casefile.status != CaseFile.Status.READY:
        enqueue_on_commit(casefile_build, casefile.pk)
    return casefile


def casefile_store(casefile_id: int) -> CaseFile:
    """Build and store one case file (idempotent: a built one is returned as it is). The PDF
    is rendered with no transaction open, so no other request waits on it; the result is
    written in one short transaction at the end, under the row's lock. Two workers building at
    once both render, and the first to write wins (the file is frozen once built). A failure
    is recorded on the row and raised."""
    try:
        casefile = CaseFile.objects.select_related("case").get(pk=casefile_id)
        if casefile.status == CaseFile.Status.READY:
            return casefile
        data = casefile_pdf(casefile.case, today=timezone.localdate(), generated_by="归档组卷")
        digest, pages = hashlib.sha256(data).hexdigest(), _pages(data)
        with transaction.atomic():
            casefile = (
                CaseFile.objects.select_for_update().select_related("case").get(pk=casefile_id)
            )
            if casefile.status == CaseFile.Status.READY:
                return casefile  # another worker stored it meanwhile
            casefile.pdf.save("casefile.pdf", ContentFile(data), save=False)
            casefile.sha256 = digest
            casefile.pages = pages
            casefile.size = len(data)
            casefile.built_at = timezone.now()
            casefile.error = ""
            casefile.status = CaseFile.Status.READY
            casefile.save()
            return casefile
    except Exception as exc:
        CaseFile.objects.filter(pk=casefile_id).exclude(status=CaseFile.Status.READY).update(
            status=CaseFile.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise


@task(queue_name=LONG)
def casefile_build(casefile_id: int) -> str:
    """A worker builds the archived case file (on the long queue, never in the request);
    returns its SHA-256."""
    try:
        return casefile_store(casefile_id).sha256
    except Exception:
        logger.exception("case file %s failed", casefile_id)
        raise
