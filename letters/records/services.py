"""Writes for responsive records: adding, processing, redacting, building the release set,
review and release. Every write leaves a RecordAudit row (who, when, what).

Who may do what:
- add a record: a liaison officer of the case's lead division or of a co-division (for that
  division's part), or the OGI office (for the lead division);
- redact: the officers of the record's division and the OGI office;
- approve or return a release set: holders of casework.review_cases (reviewer, head);
- release: only an approved set, and only with the reply letter (Art 36, Art 37).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import OPEN_STATUSES, CaseStatus
from casework.errors import InvalidInput, NotPermitted, NotVisible, WrongState
from casework.lifecycle.actors import Person, Staff
from casework.models import Case, Division
from casework.payloads import Payload
from casework.permissions import OFFICE_ROLES, user_division_ids, user_roles, user_task_perms
from letters.records import jobs, pdf
from letters.records.models import (
    GROUND_SHORT,
    Ground,
    Record,
    RecordAudit,
    Redaction,
    ReleasedFile,
    ReleaseSet,
    Suggestion,
)

if TYPE_CHECKING:
    from letters.models import Letter
    from letters.records.redaction import PageRedactions

# Records can be added and redacted while the case is being handled, up to the reply.
EDITABLE_STATUSES = frozenset(OPEN_STATUSES) | {CaseStatus.REVIEW, CaseStatus.APPROVED}


def audit(
    case: Case,
    action: str,
    actor: Staff | None = None,
    *,
    record: Record | None = None,
    release_set: ReleaseSet | None = None,
    **payload: object,
) -> RecordAudit:
    return RecordAudit.objects.create(
        case=case,
        record=record,
        release_set=release_set,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        payload=payload,
    )


# --- permissions ---------------------------------------------------------------------------


def is_office(user: Person) -> bool:
    return bool(user_roles(user) & OFFICE_ROLES) or bool(getattr(user, "is_superuser", False))


def case_divisions(case: Case) -> list[Division]:
    divisions = [case.lead_division] if case.lead_division else []
    return divisions + [d for d in case.co_divisions.all() if d not in divisions]


def divisions_user_may_add_for(user: Person, case: Case) -> list[Division]:
    """The divisions for whose part a user may add records on a case."""
    mine = user_division_ids(user)
    allowed = [d for d in case_divisions(case) if d.pk in mine]
    if is_office(user) and case.lead_division and case.lead_division not in allowed:
        allowed.insert(0, case.lead_division)
    return allowed


def can_edit(user: Person, record: Record) -> bool:
    return is_office(user) or record.division_id in user_division_ids(user)


def can_review(user: Person) -> bool:
    return "casework.review_cases" in user_task_perms(user) or bool(
        getattr(user, "is_superuser", False)
    )


def _check_editable(case: Case) -> None:
    if case.status not in EDITABLE_STATUSES:
        raise WrongState(_("The case is closed: its records can no longer be changed."))


def _check_edit(user: Staff, record: Record) -> None:
    if not can_edit(user, record):
        raise NotPermitted(_("Only the officers of the record's division may change it."))
    _check_editable(record.case)


# --- records -------------------------------------------------------------------------------


@transaction.atomic
def record_add(
    *,
    case: Case,
    division: Division,
    uploaded: UploadedFile,
    actor: Staff,
    title: str = "",
    names: list[str] | None = None,
) -> Record:
    """Check an upload (type by content, size, pages, encryption, pixel limit) and store it;
    conversion, text and OCR follow in the background (record_process). A refused file
    leaves nothing behind."""
    case = Case.objects.select_related("lead_division").get(pk=case.pk)  # current routing
    _check_editable(case)
    if division not in divisions_user_may_add_for(actor, case):
        raise NotPermitted(_("You may add records only for your own division's part of the case."))
    name = str(getattr(uploaded, "name", "") or "record")[:200]
    if (uploaded.size or 0) > pdf.max_bytes():
        raise pdf.RecordError(
            _("“%(name)s” is too large: at most %(mb)d MB.")
            % {"name": name, "mb": pdf.max_bytes() // (1024 * 1024)},
            field="file",
        )
    uploaded.seek(0)
    data = uploaded.read()
    kind, content_type = pdf.sniff(data, name)
    if kind == "pdf":
        pdf.pdf_check(data, name)
    elif kind == "image":
        _image_check(data, name)
    record = Record(
        case=case,
        division=division,
        title=(title.strip() or name.rsplit(".", 1)[0])[:200],
        original_name=name,
        original_type=content_type,
        original_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        names=[n.strip() for n in (names or []) if n.strip()],
        added_by=actor,
    )
    record.original.save("original", ContentFile(data), save=False)
    record.save()
    _supersede_open_sets(case)  # the set no longer holds every record of the case
    audit(
        case,
        "record_added",
        actor,
        record=record,
        title=record.title,
        file=name,
        sha256=record.sha256,
        division=division.name,
    )
    jobs.enqueue("record_process", record.pk)
    return record


def _image_check(data: bytes, name: str) -> None:
    """Open the image header only (nothing decoded) and refuse bombs and broken files."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > pdf.max_pixels():
                raise pdf._bomb(name)
            frames = getattr(image, "n_frames", 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise pdf._bomb(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise pdf.RecordError(
            _("“%(name)s” is damaged and cannot be read as an image.") % {"name": name},
            field="file",
        ) from None
    if frames > pdf.max_pages():
        raise pdf.RecordError(
            _("“%(name)s” has %(pages)d pages: at most %(limit)d pages per record.")
            % {"name": name, "pages": frames, "limit": pdf.max_pages()},
            field="file",
        )


def record_process(record_id: int) -> None:
    """Background job: convert to PDF where needed, count pages, read the text layer (OCR for
    pages without one) and store the personal-information suggestions. Progress is written on
    the row; a failure marks the record failed with the reason (retry with record_retry)."""
    from letters.records.pii import page_findings

    record = Record.objects.select_related("case").get(pk=record_id)
    Record.objects.filter(pk=record_id).update(
        status=Record.Status.PROCESSING, pages_done=0, error=""
    )
    try:
        with record.original.open("rb") as handle:
            data = handle.read()
        kind, _type = pdf.sniff(data, record.original_name)
        if kind == "image":
            data = pdf.image_to_pdf(data, record.original_name)
        elif kind == "office":
            data = pdf.office_to_pdf(data, record.original_name)
        if kind != "image":  # an image's PDF is built afresh already
            data = pdf.pdf_rebuilt(data, record.original_name)
        info = pdf.pdf_check(data, record.original_name)
        record.pdf.save("record.pdf", ContentFile(data), save=False)
        Record.objects.filter(pk=record_id).update(pdf=record.pdf.name, pages_total=info.pages)

        def progress(done: int) -> None:
            Record.objects.filter(pk=record_id).update(pages_done=done)

        suggestions = []
        # Findings already accepted or dismissed (before the names changed, say) are not
        # suggested twice: the officer's decision on them stands.
        accepted = set(
            record.suggestions.exclude(accepted=False, dismissed_at__isnull=True).values_list(
                "page", "kind", "value"
            )
        )
        for index, text in pdf.pages_text(data, progress=progress):
            for finding, rects in page_findings(text, record.names):
                if rects and (index + 1, finding.kind, finding.value[:200]) not in accepted:
                    suggestions.append(
                        Suggestion(
                            record=record,
                            page=index + 1,
                            kind=finding.kind,
                            value=finding.value[:200],
                            rects=[list(r) for r in rects],
                            source=text.source,
                        )
                    )
        with transaction.atomic():
            record.suggestions.filter(accepted=False, dismissed_at__isnull=True).delete()
            Suggestion.objects.bulk_create(suggestions)
            Record.objects.filter(pk=record_id).update(
                status=Record.Status.READY, pages_done=info.pages
            )
    except Exception as exc:  # any failure is shown on the record, with a retry
        message = exc.message if isinstance(exc, pdf.RecordError) else _("Processing failed.")
        detail = "" if isinstance(exc, pdf.RecordError) else f" ({type(exc).__name__}: {exc})"
        Record.objects.filter(pk=record_id).update(
            status=Record.Status.FAILED, error=(message + detail)[:2000]
        )
        audit(record.case, "record_failed", None, record=record, error=message)


@transaction.atomic
def record_retry(*, record: Record, actor: Staff) -> None:
    _check_edit(actor, record)
    if record.status == Record.Status.PROCESSING:
        raise WrongState(_("The record is being processed."))
    Record.objects.filter(pk=record.pk).update(status=Record.Status.PENDING, error="")
    audit(record.case, "record_retried", actor, record=record)
    jobs.enqueue("record_process", record.pk)


@transaction.atomic
def record_set_names(*, record: Record, names: list[str], actor: Staff) -> None:
    """The names to look for (e.g. a third party's); the record is read again for them."""
    _check_edit(actor, record)
    clean = sorted({n.strip() for n in names if n.strip()})
    Record.objects.filter(pk=record.pk).update(names=clean, status=Record.Status.PENDING)
    _supersede_open_sets(record.case)  # the record is read again: new suggestions may come
    audit(record.case, "record_names", actor, record=record, names=clean)
    jobs.enqueue("record_process", record.pk)


@transaction.atomic
def record_remove(*, record: Record, actor: Staff) -> None:
    """Take a record off the case before anything is released (its files are deleted)."""
    _check_edit(actor, record)
    if ReleasedFile.objects.filter(
        record=record, release_set__status=ReleaseSet.Status.RELEASED
    ).exists():
        raise WrongState(_("This record was released and cannot be removed."))
    _supersede_open_sets(record.case)
    audit(
        record.case, "record_removed", actor, record=None, title=record.title, sha256=record.sha256
    )
    ReleasedFile.objects.filter(record=record).delete()
    names = {record.original.name, record.pdf.name}
    record.delete()
    storage = record.original.storage
    for name in names:
        if name:
            transaction.on_commit(partial(storage.delete, name))


# --- redactions ----------------------------------------------------------------------------


def _rect(values: Sequence[str | float | None]) -> tuple[float, float, float, float]:
    corners = [v for v in values if v is not None]
    if len(corners) != len(values):  # a corner missing from the form
        raise InvalidInput(_("The box is not valid."))
    try:
        x0, y0, x1, y1 = (float(v) for v in corners)
    except (TypeError, ValueError):
        raise InvalidInput(_("The box is not valid.")) from None
    x0, x1 = sorted((max(0.0, min(1.0, x0)), max(0.0, min(1.0, x1))))
    y0, y1 = sorted((max(0.0, min(1.0, y0)), max(0.0, min(1.0, y1))))
    if x1 - x0 < 0.002 or y1 - y0 < 0.002:
        raise InvalidInput(_("The box is too small."))
    return x0, y0, x1, y1


def _ground(value: str) -> str:
    if value not in Ground.values:
        raise InvalidInput(_("Choose the ground for withholding."), field="ground")
    return value


def _page(record: Record, page: str | int | None) -> int:
    if page is None:
        raise InvalidInput(_("No such page."))
    try:
        number = int(page)
    except (TypeError, ValueError):
        raise InvalidInput(_("No such page.")) from None
    if not 1 <= number <= record.pages_total:
        raise InvalidInput(_("No such page."))
    return number


def _supersede_open_sets(case: Case) -> None:
    """A change to what is withheld makes a set in review or approved out of date."""
    ReleaseSet.objects.filter(
        case=case,
        status__in=[
            ReleaseSet.Status.BUILDING,
            ReleaseSet.Status.IN_REVIEW,
            ReleaseSet.Status.APPROVED,
        ],
    ).update(status=ReleaseSet.Status.SUPERSEDED)


@transaction.atomic
def redaction_add(
    *,
    record: Record,
    page: str | int | None,
    rect: Sequence[str | float | None],
    ground: str,
    note: str,
    actor: Staff,
) -> Redaction:
    _check_edit(actor, record)
    if ground == Ground.OTHER_LAW and not note.strip():
        raise InvalidInput(
            _("Name the law or administrative regulation in the note."), field="note"
        )
    x0, y0, x1, y1 = _rect(rect)
    redaction = Redaction.objects.create(
        record=record,
        page=_page(record, page),
        x0=x0,
        y0=y0,
        x1=x1,
        y1=y1,
        ground=_ground(ground),
        note=note.strip()[:300],
        created_by=actor,
    )
    _supersede_open_sets(record.case)
    audit(
        record.case,
        "redaction_added",
        actor,
        record=record,
        page=redaction.page,
        box=[x0, y0, x1, y1],
        ground=ground,
        note=redaction.note,
    )
    return redaction


@transaction.atomic
def page_withhold(
    *, record: Record, page: str | int | None, ground: str, note: str, actor: Staff
) -> Redaction:
    """Withhold a whole page (it stays in the file as a painted page, so page numbers hold)."""
    _check_edit(actor, record)
    number = _page(record, page)
    if ground == Ground.OTHER_LAW and not note.strip():
        raise InvalidInput(
            _("Name the law or administrative regulation in the note."), field="note"
        )
    record.redactions.filter(page=number, whole_page=True).delete()
    redaction = Redaction.objects.create(
        record=record,
        page=number,
        whole_page=True,
        ground=_ground(ground),
        note=note.strip()[:300],
        created_by=actor,
    )
    _supersede_open_sets(record.case)
    audit(record.case, "page_withheld", actor, record=record, page=number, ground=ground)
    return redaction


@transaction.atomic
def redaction_remove(*, redaction: Redaction, actor: Staff) -> None:
    record = redaction.record
    _check_edit(actor, record)
    if redaction.suggestion_id:
        Suggestion.objects.filter(pk=redaction.suggestion_id).update(accepted=False)
    audit(
        record.case,
        "redaction_removed",
        actor,
        record=record,
        page=redaction.page,
        whole_page=redaction.whole_page,
        ground=redaction.ground,
    )
    redaction.delete()
    _supersede_open_sets(record.case)


@transaction.atomic
def suggestions_accept(
    *,
    record: Record,
    actor: Staff,
    page: int | None = None,
    ids: list[int] | None = None,
    ground: str = Ground.ART15,
    note: str = "",
) -> int:
    """Accept suggestions (one, a page's, or the whole record's) as redactions on ground
    Art 15 (personal information) unless another is given. Returns how many."""
    _check_edit(actor, record)
    _ground(ground)
    pending = record.suggestions.select_for_update().filter(accepted=False)
    if page is not None:
        pending = pending.filter(page=page)
    if ids is not None:
        pending = pending.filter(pk__in=ids)  # a dismissed one only when named
    else:
        pending = pending.filter(dismissed_at__isnull=True)
    count = 0
    labels = dict(Suggestion.Kind.choices)
    for suggestion in pending:
        for x0, y0, x1, y1 in suggestion.rects:
            Redaction.objects.create(
                record=record,
                page=suggestion.page,
                x0=x0,
                y0=y0,
                x1=x1,
                y1=y1,
                ground=ground,
                note=note or str(labels.get(suggestion.kind, "")),
                suggestion=suggestion,
                created_by=actor,
            )
        suggestion.accepted = True
        suggestion.dismissed_reason, suggestion.dismissed_by, suggestion.dismissed_at = (
            "",
            None,
            None,
        )
        suggestion.save(
            update_fields=["accepted", "dismissed_reason", "dismissed_by", "dismissed_at"]
        )
        count += 1
    if count:
        _supersede_open_sets(record.case)
        audit(record.case, "suggestions_accepted", actor, record=record, page=page, count=count)
    return count


@transaction.atomic
def suggestions_dismiss(
    *,
    record: Record,
    actor: Staff,
    reason: str,
    page: int | None = None,
    ids: list[int] | None = None,
) -> int:
    """Dismiss open suggestions (one, a page's, or the whole record's) with a reason: the
    officer judged the text not to be withheld (e.g. the organ's own office phone). The reason
    is shown to the reviewer with the release set (Art 37). Returns how many."""
    _check_edit(actor, record)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            _("Say why the suggestion is not withheld before dismissing it."), field="reason"
        )
    pending = record.suggestions.select_for_update().filter(
        accepted=False, dismissed_at__isnull=True
    )
    if page is not None:
        pending = pending.filter(page=page)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    dismissed = list(pending)
    now = timezone.now()
    for suggestion in dismissed:
        suggestion.dismissed_reason = reason[:300]
        suggestion.dismissed_by = actor
        suggestion.dismissed_at = now
        suggestion.save(update_fields=["dismissed_reason", "dismissed_by", "dismissed_at"])
    if dismissed:
        audit(
            record.case,
            "suggestions_dismissed",
            actor,
            record=record,
            page=page,
            count=len(dismissed),
            reason=reason[:300],
            # Where and what kind, never the personal data itself.
            suggestions=[{"id": s.pk, "page": s.page, "kind": s.kind} for s in dismissed],
        )
    return len(dismissed)


def open_suggestions(case: Case) -> int:
    """How many personal-data suggestions of the case are neither accepted nor dismissed."""
    return Suggestion.objects.filter(
        record__case=case, accepted=False, dismissed_at__isnull=True
    ).count()


def _check_no_open_suggestions(case: Case) -> None:
    """Art 37: every suggestion of personal data is decided (withheld, or released with a
    reason) before the files are built or approved for release."""
    count = open_suggestions(case)
    if count:
        raise WrongState(
            _(
                "%(count)d personal-data suggestions are still open: accept each as a redaction or dismiss it with a reason before the release set is built or approved."
            )
            % {"count": count}
        )


# --- release set ---------------------------------------------------------------------------


@transaction.atomic
def release_set_start(*, case: Case, actor: Staff) -> ReleaseSet:
    """Build the redacted files of every record of the case for review (in the background)."""
    _check_editable(case)
    Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    records = list(case.records.all())
    if not records:
        raise WrongState(_("The case has no records to release."))
    if not any(can_edit(actor, r) for r in records):
        raise NotPermitted(_("Only the officers who hold the records may prepare the release."))
    if any(r.status != Record.Status.READY for r in records):
        raise WrongState(_("Every record must be processed before the release set is built."))
    _check_no_open_suggestions(case)
    _supersede_open_sets(case)
    release_set = ReleaseSet.objects.create(
        case=case, created_by=actor, pages_total=sum(r.pages_total for r in records)
    )
    audit(case, "release_set_started", actor, release_set=release_set, records=len(records))
    jobs.enqueue("release_set_build", release_set.pk)
    return release_set


def page_redactions_for(record: Record) -> dict[int, PageRedactions]:
    """The record's redactions as redaction.PageRedactions per page index (0-based)."""
    from letters.records.redaction import PageRedactions

    result: dict[int, PageRedactions] = {}
    for redaction in record.redactions.all():
        index = redaction.page - 1
        current = result.get(index, PageRedactions())
        short = GROUND_SHORT[Ground(redaction.ground)]
        if redaction.whole_page:
            label = f"本页不予公开（《条例》{short}）"
            result[index] = PageRedactions(boxes=current.boxes, whole_page=label)
        else:
            rect = (redaction.x0, redaction.y0, redaction.x1, redaction.y1)
            result[index] = PageRedactions(
                boxes=(*current.boxes, (rect, short)), whole_page=current.whole_page
            )
    return result


def release_set_build(set_id: int) -> None:
    """Background job: burn in every record's redactions (redaction.burn_in) and store the
    released files; the set then awaits review. Failure marks the set failed."""
    from letters.records.redaction import burn_in

    release_set = ReleaseSet.objects.select_related("case").get(pk=set_id)
    if release_set.status != ReleaseSet.Status.BUILDING:
        return  # built already (a job run twice) or superseded meanwhile
    # A run whose worker died may have stored some files: built again from the start.
    ReleasedFile.objects.filter(release_set=release_set).delete()
    done = 0
    try:
        records = list(release_set.case.records.order_by("pk"))
        for position, record in enumerate(records, start=1):
            with record.pdf.open("rb") as handle:
                data = handle.read()
            redactions = page_redactions_for(record)
            base = done

            def progress(n: int, base: int = base) -> None:
                ReleaseSet.objects.filter(pk=set_id).update(pages_done=base + n)

            output = burn_in(data, redactions, progress=progress)
            done += record.pages_total
            released = ReleasedFile(
                release_set=release_set,
                record=record,
                position=position,
                name=f"附件{position}_{record.title}.pdf"[:200],
                sha256=hashlib.sha256(output).hexdigest(),
                pages=record.pages_total,
                size=len(output),
                redactions=sum(1 for r in record.redactions.all() if not r.whole_page),
                withheld_pages=sum(1 for r in record.redactions.all() if r.whole_page),
            )
            released.file.save("released.pdf", ContentFile(output), save=False)
            released.save()
        updated = ReleaseSet.objects.filter(pk=set_id, status=ReleaseSet.Status.BUILDING).update(
            status=ReleaseSet.Status.IN_REVIEW, pages_done=done
        )
        if updated:
            audit(release_set.case, "release_set_built", None, release_set=release_set, pages=done)
    except Exception as exc:
        message = exc.message if isinstance(exc, pdf.RecordError) else _("Building failed.")
        detail = "" if isinstance(exc, pdf.RecordError) else f" ({type(exc).__name__}: {exc})"
        ReleaseSet.objects.filter(pk=set_id).update(
            status=ReleaseSet.Status.FAILED, error=(message + detail)[:2000]
        )
        audit(release_set.case, "release_set_failed", None, release_set=release_set, error=message)


def withheld_statement(release_set: ReleaseSet) -> list[Payload]:
    """What the reply letter says of the withheld parts: per file, per ground, where."""
    rows: list[Payload] = []
    for released in release_set.files.select_related("record").order_by("position"):
        by_ground: dict[str, Payload] = {}
        for redaction in released.record.redactions.order_by("page", "pk"):
            entry = by_ground.setdefault(
                redaction.ground, {"pages": [], "boxes": 0, "whole": [], "notes": []}
            )
            if redaction.whole_page:
                entry["whole"].append(redaction.page)
            else:
                entry["boxes"] += 1
                if redaction.page not in entry["pages"]:
                    entry["pages"].append(redaction.page)
            if redaction.ground == Ground.OTHER_LAW and redaction.note not in entry["notes"]:
                entry["notes"].append(redaction.note)
        for ground, entry in by_ground.items():
            rows.append(
                {
                    "file": released.name,
                    "position": released.position,
                    "ground": ground,
                    "article": GROUND_SHORT[Ground(ground)],
                    "pages": entry["pages"],
                    "boxes": entry["boxes"],
                    "whole_pages": entry["whole"],
                    "notes": entry["notes"],
                }
            )
    return rows


def _open_set(release_set_id: int, case: Case) -> ReleaseSet:
    release_set = (
        ReleaseSet.objects.select_for_update().filter(pk=release_set_id, case=case).first()
    )
    if release_set is None:
        raise NotVisible(_("No such release set."))
    return release_set


@transaction.atomic
def release_set_approve(*, case: Case, set_id: int, actor: Staff, note: str = "") -> ReleaseSet:
    """The reviewer approves the redacted files (only a set in review); the letter's 附件
    list and the statement of the withheld parts are frozen now."""
    if not can_review(actor):
        raise NotPermitted(_("Only a reviewer of the OGI office may approve the release."))
    release_set = _open_set(set_id, case)
    if release_set.status != ReleaseSet.Status.IN_REVIEW:
        raise WrongState(_("Only a release set awaiting review can be approved."))
    _check_no_open_suggestions(case)
    release_set.status = ReleaseSet.Status.APPROVED
    release_set.reviewed_by = actor
    release_set.reviewed_at = timezone.now()
    release_set.review_note = note.strip()[:500]
    release_set.statement = withheld_statement(release_set)
    release_set.save()
    audit(
        case, "release_set_approved", actor, release_set=release_set, note=release_set.review_note
    )
    return release_set


@transaction.atomic
def release_set_return(*, case: Case, set_id: int, actor: Staff, note: str) -> ReleaseSet:
    if not can_review(actor):
        raise NotPermitted(_("Only a reviewer of the OGI office may return the release."))
    if not note.strip():
        raise InvalidInput(_("Say what must be changed."), field="note")
    release_set = _open_set(set_id, case)
    if release_set.status not in (ReleaseSet.Status.IN_REVIEW, ReleaseSet.Status.APPROVED):
        raise WrongState(_("Only a release set awaiting review or approved can be returned."))
    release_set.status = ReleaseSet.Status.RETURNED
    release_set.reviewed_by = actor
    release_set.reviewed_at = timezone.now()
    release_set.review_note = note.strip()[:500]
    release_set.save()
    audit(
        case, "release_set_returned", actor, release_set=release_set, note=release_set.review_note
    )
    return release_set


def release_set_release(*, release_set: ReleaseSet, letter: Letter) -> ReleaseSet:
    """Release an approved set with the reply letter (called in the letter's transaction)."""
    if release_set.status != ReleaseSet.Status.APPROVED:
        raise WrongState(_("Only an approved release set can be released."))
    release_set.status = ReleaseSet.Status.RELEASED
    release_set.letter = letter
    release_set.released_at = letter.issued_at
    release_set.save(update_fields=["status", "letter", "released_at"])
    audit(
        release_set.case,
        "release_set_released",
        getattr(letter, "issued_by", None),
        release_set=release_set,
        letter=letter.number,
        files=[
            {"name": f.name, "sha256": f.sha256, "pages": f.pages}
            for f in release_set.files.order_by("position")
        ],
    )
    return release_set
