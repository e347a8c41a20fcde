"""Helpers for decisions that provide information (issue 21 "release follows approval"): a
granted proposal says how it provides (here: posted, Art 36(2)/40), and a partial one carries
an approved release set of real records (letters.records), built as an officer builds it."""

from __future__ import annotations

from typing import Any

# A granted decision whose information was posted to the applicant (Art 40).
BY_POST: dict[str, str] = {"arrangement": "post", "arranged_on": "2026-03-20"}


def approved_release_set(
    case: Any, *, officer: Any, reviewer: Any, pdf: bytes | None = None
) -> Any:
    """Add a record to `case` (a blank one-page PDF unless `pdf` is given), decide every
    suggestion (accepted), build the release set and approve it: what a partial or granted
    decision on a case with records needs before it is proposed, reviewed and signed off."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.models import Case
    from letters.records import jobs, services
    from letters.records.models import ReleaseSet
    from tests.conftest import real_pdf

    case = Case.objects.select_related("lead_division").get(pk=case.pk)  # as routed now
    data = pdf if pdf is not None else real_pdf()
    record = services.record_add(
        case=case,
        division=case.lead_division,
        uploaded=SimpleUploadedFile("record.pdf", data, "application/pdf"),
        actor=officer,
        title="调查报告",
    )
    jobs.run("record_process", record.pk)
    services.suggestions_accept(record=record, actor=officer)
    release_set = services.release_set_start(case=case, actor=officer)
    jobs.run("release_set_build", release_set.pk)
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.IN_REVIEW, release_set.error
    return services.release_set_approve(case=case, set_id=release_set.pk, actor=reviewer)
