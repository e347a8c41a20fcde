"""Staff pages for responsive records: thin views (fetch the case with its access check —
404 for missing and forbidden alike —, call one service, respond). Originals and page
pictures are served to staff who see the case only, never cached, never inline scripts."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.errors import CaseworkError, NotVisible
from casework.lifecycle.actors import staff_user
from casework.models import Case
from letters.records import selectors, services
from letters.records.models import Ground, Record, ReleasedFile, ReleaseSet, Suggestion
from letters.records.pii import mask

if TYPE_CHECKING:  # Pillow is imported where it is used
    from PIL import Image

_R = TypeVar("_R", bound=HttpResponseBase)


def _case(request: HttpRequest, number: str) -> Case:
    try:
        return selectors.case_for_records(user=request.user, number=number)
    except NotVisible:
        raise Http404 from None


def _record(case: Case, pk: int) -> Record:
    try:
        return selectors.record_get(case=case, pk=pk)
    except NotVisible:
        raise Http404 from None


def _index_url(case: Case) -> str:
    return reverse("records:index", kwargs={"number": case.number})


def _record_url(record: Record, page: str | int | None = None) -> str:
    url = reverse("records:record", kwargs={"number": record.case.number, "pk": record.pk})
    return f"{url}#page-{page}" if page else url


def _fail(request: HttpRequest, exc: CaseworkError) -> None:
    for errors in exc.errors.values():
        for error in errors:
            messages.error(request, error)


def _no_store(response: _R) -> _R:
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def index(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    if request.method == "POST":
        division = next(
            (
                d
                for d in services.divisions_user_may_add_for(request.user, case)
                if str(d.pk) == request.POST.get("division")
            ),
            None,
        )
        uploaded = request.FILES.get("file")
        if division is None or uploaded is None:
            messages.error(request, _("Choose a file and the division whose part it is."))
        else:
            try:
                services.record_add(
                    case=case,
                    division=division,
                    uploaded=uploaded,
                    actor=staff_user(request),
                    title=request.POST.get("title", ""),
                    names=request.POST.get("names", "").replace("，", ",").split(","),
                )
            except CaseworkError as exc:
                _fail(request, exc)
                return _render_index(request, case, status=400)
            messages.success(request, _("The record was added and is being processed."))
        return redirect(_index_url(case))
    return _render_index(request, case)


def _render_index(request: HttpRequest, case: Case, status: int = 200) -> HttpResponse:
    records = list(selectors.records_of(case))
    return render(
        request,
        "records/index.html",
        {
            "case": case,
            "records": records,
            "divisions": services.divisions_user_may_add_for(request.user, case),
            "release_set": selectors.current_set(case),
            "can_review": services.can_review(request.user),
            "busy": _busy(records, selectors.current_set(case)),
            "max_mb": settings.RECORDS_MAX_BYTES // (1024 * 1024),
            "max_pages": settings.RECORDS_MAX_PAGES,
        },
        status=status,
    )


def _busy(records: list[Record], release_set: ReleaseSet | None) -> bool:
    return any(
        r.status in (Record.Status.PENDING, Record.Status.PROCESSING) for r in records
    ) or bool(release_set and release_set.status == ReleaseSet.Status.BUILDING)


@login_required
def progress(request: HttpRequest, number: str) -> JsonResponse:
    """What the case page polls (records/records.js): each record's and the set's progress."""
    case = _case(request, number)
    records = list(selectors.records_of(case))
    release_set = selectors.current_set(case)
    data = {
        "busy": _busy(records, release_set),
        "records": [
            {
                "id": r.pk,
                "status": r.status,
                "label": r.get_status_display(),
                "pages_done": r.pages_done,
                "pages_total": r.pages_total,
            }
            for r in records
        ],
        "set": None
        if release_set is None
        else {
            "id": release_set.pk,
            "status": release_set.status,
            "label": release_set.get_status_display(),
            "pages_done": release_set.pages_done,
            "pages_total": release_set.pages_total,
        },
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def record_detail(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = _case(request, number)
    record = _record(case, pk)
    redactions = list(record.redactions.all())
    suggestions = list(record.suggestions.all())
    pages = []
    for page in range(1, record.pages_total + 1):
        pages.append(
            {
                "number": page,
                "boxes": [r for r in redactions if r.page == page and not r.whole_page],
                "box_rects": [
                    {
                        "x": r.x0 * 100,
                        "y": r.y0 * 100,
                        "w": (r.x1 - r.x0) * 100,
                        "h": (r.y1 - r.y0) * 100,
                        "label": r.short_ground,
                    }
                    for r in redactions
                    if r.page == page and not r.whole_page
                ],
                "withheld": next((r for r in redactions if r.page == page and r.whole_page), None),
                "suggestions": [
                    {
                        "obj": s,
                        "masked": mask(s.value),
                        "rects": [
                            {
                                "x": x0 * 100,
                                "y": y0 * 100,
                                "w": (x1 - x0) * 100,
                                "h": (y1 - y0) * 100,
                            }
                            for x0, y0, x1, y1 in s.rects
                        ],
                    }
                    for s in suggestions
                    if s.page == page
                ],
            }
        )
    return render(
        request,
        "records/record.html",
        {
            "case": case,
            "record": record,
            "pages": pages,
            "grounds": Ground.choices,
            "can_edit": services.can_edit(request.user, record),
            "pending": sum(1 for s in suggestions if s.is_open),
            "kinds": dict(Suggestion.Kind.choices),
        },
    )


def _png(image: Image.Image) -> HttpResponse:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return _no_store(HttpResponse(buffer.getvalue(), content_type="image/png"))


@login_required
def page_image(request: HttpRequest, number: str, pk: int, page: int) -> HttpResponse:
    """A page of the record as the officer sees it before redaction (staff only)."""
    from letters.records.pdf import open_pdf, render_page

    case = _case(request, number)
    record = _record(case, pk)
    if not record.pdf or not 1 <= page <= record.pages_total:
        raise Http404
    with record.pdf.open("rb") as handle, open_pdf(handle.read()) as doc:
        image = render_page(doc, page - 1, settings.RECORDS_PREVIEW_DPI)
    return _png(image)


@login_required
def original(request: HttpRequest, number: str, pk: int) -> HttpResponseBase:
    """The original file (internal only: staff who see the case)."""
    case = _case(request, number)
    record = _record(case, pk)
    response = FileResponse(
        record.original.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.original_type,
    )
    return _no_store(response)


def _post_action(
    request: HttpRequest,
    number: str,
    pk: int,
    action: Callable[[Record], object],
    page: str | int | None = None,
    *,
    to_index: bool = False,
) -> HttpResponse:
    """Fetch the record with the access check, run one service, report a refusal, go back to
    the record's page (or the case's records)."""
    case = _case(request, number)
    record = _record(case, pk)
    try:
        action(record)
    except CaseworkError as exc:
        _fail(request, exc)
    return redirect(_index_url(case) if to_index else _record_url(record, page))


@login_required
@require_POST
def redaction_add(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    post = request.POST
    return _post_action(
        request,
        number,
        pk,
        lambda record: services.redaction_add(
            record=record,
            page=post.get("page"),
            rect=[post.get("x0"), post.get("y0"), post.get("x1"), post.get("y1")],
            ground=post.get("ground", ""),
            note=post.get("note", ""),
            actor=staff_user(request),
        ),
        post.get("page"),
    )


@login_required
@require_POST
def redaction_remove(request: HttpRequest, number: str, pk: int, rid: int) -> HttpResponse:
    def remove(record: Record) -> None:
        redaction = record.redactions.filter(pk=rid).first()
        if redaction is None:
            raise Http404
        services.redaction_remove(redaction=redaction, actor=staff_user(request))

    return _post_action(request, number, pk, remove, request.POST.get("page"))


@login_required
@require_POST
def page_withhold(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    post = request.POST
    return _post_action(
        request,
        number,
        pk,
        lambda record: services.page_withhold(
            record=record,
            page=post.get("page"),
            ground=post.get("ground", ""),
            note=post.get("note", ""),
            actor=staff_user(request),
        ),
        post.get("page"),
    )


@login_required
@require_POST
def accept(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Accept one suggestion, a page's, or all of the record's."""
    post = request.POST
    page = int(post["page"]) if post.get("page", "").isdigit() else None
    ids = [int(post["suggestion"])] if post.get("suggestion", "").isdigit() else None
    response = _post_action(
        request,
        number,
        pk,
        lambda record: services.suggestions_accept(
            record=record,
            actor=staff_user(request),
            page=page,
            ids=ids,
            ground=post.get("ground") or Ground.ART15,
        ),
        page,
    )
    if page is None and ids is None:
        # All of the record accepted and nothing of the case left open: the next step is
        # building the release set, on the case's records page (one click less, issue 24).
        case = _case(request, number)
        if not services.open_suggestions(case):
            return redirect(_index_url(case))
    return response


@login_required
@require_POST
def dismiss(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Dismiss one suggestion, or a page's open ones, with the reason the officer gives."""
    post = request.POST
    page = int(post["page"]) if post.get("page", "").isdigit() else None
    ids = [int(post["suggestion"])] if post.get("suggestion", "").isdigit() else None
    return _post_action(
        request,
        number,
        pk,
        lambda record: services.suggestions_dismiss(
            record=record,
            actor=staff_user(request),
            reason=post.get("reason", ""),
            page=page,
            ids=ids,
        ),
        page,
    )


@login_required
@require_POST
def names(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    listed = request.POST.get("names", "").replace("，", ",").replace("\n", ",").split(",")
    return _post_action(
        request,
        number,
        pk,
        lambda record: services.record_set_names(
            record=record, names=listed, actor=staff_user(request)
        ),
    )


@login_required
@require_POST
def retry(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    action = lambda record: services.record_retry(record=record, actor=staff_user(request))  # noqa: E731
    return _post_action(request, number, pk, action, to_index=True)


@login_required
@require_POST
def remove(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    action = lambda record: services.record_remove(record=record, actor=staff_user(request))  # noqa: E731
    return _post_action(request, number, pk, action, to_index=True)


@login_required
@require_POST
def release_build(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    try:
        services.release_set_start(case=case, actor=staff_user(request))
    except CaseworkError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("The redacted files are being built for review."))
    return redirect(_index_url(case))


@login_required
def review(request: HttpRequest, number: str, sid: int) -> HttpResponse:
    """Original and redacted pages side by side, with the grounds; approve or return."""
    case = _case(request, number)
    try:
        release_set = selectors.set_get(case=case, pk=sid)
    except NotVisible:
        raise Http404 from None
    files = []
    for released in release_set.files.select_related("record").order_by("position"):
        redactions = list(released.record.redactions.all())
        files.append(
            {
                "file": released,
                "pages": [
                    {
                        "number": page,
                        "redactions": [r for r in redactions if r.page == page],
                    }
                    for page in range(1, released.pages + 1)
                ],
            }
        )
    return render(
        request,
        "records/review.html",
        {
            "case": case,
            "release_set": release_set,
            "files": files,
            "can_review": services.can_review(request.user),
            "dismissed": [
                (s, mask(s.value))
                for s in Suggestion.objects.filter(record__case=case, dismissed_at__isnull=False)
                .select_related("record", "dismissed_by")
                .order_by("record_id", "page", "pk")
            ],
            "open_count": services.open_suggestions(case),
        },
    )


@login_required
@require_POST
def review_decide(request: HttpRequest, number: str, sid: int) -> HttpResponse:
    case = _case(request, number)
    note = request.POST.get("note", "")
    try:
        if request.POST.get("decision") == "approve":
            services.release_set_approve(
                case=case, set_id=sid, actor=staff_user(request), note=note
            )
            messages.success(request, _("The release set is approved."))
            # The reviewer's next step is the decision itself, on the case page (issue 24).
            return redirect(case)
        else:
            services.release_set_return(case=case, set_id=sid, actor=staff_user(request), note=note)
            messages.success(request, _("The release set was returned to the officers."))
    except CaseworkError as exc:
        _fail(request, exc)
        return redirect("records:review", number=case.number, sid=sid)
    return redirect(_index_url(case))


def _released(request: HttpRequest, number: str, sid: int, fid: int) -> ReleasedFile:
    case = _case(request, number)
    try:
        release_set = selectors.set_get(case=case, pk=sid)
    except NotVisible:
        raise Http404 from None
    released = release_set.files.filter(pk=fid).first()
    if released is None:
        raise Http404
    return released


@login_required
def released_page_image(
    request: HttpRequest, number: str, sid: int, fid: int, page: int
) -> HttpResponse:
    from letters.records.pdf import open_pdf, render_page

    released = _released(request, number, sid, fid)
    if not 1 <= page <= released.pages:
        raise Http404
    with released.file.open("rb") as handle, open_pdf(handle.read()) as doc:
        image = render_page(doc, page - 1, settings.RECORDS_PREVIEW_DPI)
    return _png(image)


@login_required
def released_download(request: HttpRequest, number: str, sid: int, fid: int) -> HttpResponseBase:
    released = _released(request, number, sid, fid)
    response = FileResponse(
        released.file.open("rb"),
        as_attachment=True,
        filename=released.name,
        content_type="application/pdf",
    )
    return _no_store(response)
