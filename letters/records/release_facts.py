"""The facts of a case's release that the lifecycle's release gate reads
(casework.lifecycle.release_gate): registered when the records app is ready, so the domain
floor applies its rules without importing this floor."""

from __future__ import annotations

from casework.lifecycle.release_gate import ReleaseFacts
from casework.models import Case
from letters.records.models import Record, ReleasedFile, Suggestion
from letters.records.selectors import current_set


def release_facts_of(case: Case) -> ReleaseFacts:
    """Whether the case holds records, its current release set's status, whether that set
    holds every record, and how many personal-data suggestions are still open."""
    record_ids = set(Record.objects.filter(case=case).values_list("pk", flat=True))
    if not record_ids:
        return ReleaseFacts()
    release_set = current_set(case)
    released = (
        set(
            ReleasedFile.objects.filter(release_set=release_set).values_list("record_id", flat=True)
        )
        if release_set is not None
        else set()
    )
    return ReleaseFacts(
        has_records=True,
        set_status=release_set.status if release_set is not None else "",
        set_complete=record_ids <= released,
        open_suggestions=Suggestion.objects.filter(
            record__case=case, accepted=False, dismissed_at__isnull=True
        ).count(),
    )
