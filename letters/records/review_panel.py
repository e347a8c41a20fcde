"""What the reviewer and the head see of a decision before they pass it (Art 17 review before
disclosure, Art 37): the release set — each file, its boxes and grounds, the suggestions
dismissed with their reasons, a link to each redacted file —, what still blocks it, how a
granted reply provides the information, and the warnings of the proposal with the override."""

from __future__ import annotations

from dataclasses import dataclass, field

from casework.choices import Disposition
from casework.lifecycle import available_transitions
from casework.lifecycle.actors import Staff
from casework.lifecycle.decision_warnings import DecisionWarning, warnings_for
from casework.lifecycle.release_gate import Arrangement, release_refusal
from casework.models import Case
from casework.payloads import Payload
from casework.vague_request import is_vague
from letters.records.models import ReleaseSet, Suggestion
from letters.records.pii import mask
from letters.records.selectors import current_set
from letters.records.services import open_suggestions


@dataclass
class ReviewPanel:
    disposition: str = ""
    disposition_label: str = ""
    proposal: Payload = field(default_factory=dict)
    arrangement: str = ""
    blocked: str = ""
    release_set: ReleaseSet | None = None
    files: list[Payload] = field(default_factory=list)
    dismissed: list[Suggestion] = field(default_factory=list)
    open_count: int = 0
    warnings: list[DecisionWarning] = field(default_factory=list)
    overridden: list[Payload] = field(default_factory=list)
    override_reason: str = ""
    vague: bool = False
    may_correct: bool = False

    @property
    def shown(self) -> bool:
        """Something to show (an empty card says nothing)."""
        return bool(
            self.disposition_label
            or self.release_set
            or self.open_count
            or self.dismissed
            or self.warnings
            or self.vague
        )


def _arrangement_text(proposal: Payload) -> str:
    kind = proposal.get("arrangement")
    if not kind:
        return ""
    label = str(Arrangement(kind).label) if kind in Arrangement.values else kind
    place = proposal.get("arranged_place", "")
    return f"{label}：{proposal.get('arranged_on', '')}" + (f"，{place}" if place else "")


def decision_review_panel(case: Case, user: Staff | None) -> ReviewPanel:
    events = list(case.events.order_by("seq"))
    proposal_event = next((e for e in reversed(events) if e.kind == "propose"), None)
    proposed = case.status in ("review", "approved") and proposal_event is not None
    proposal = dict(proposal_event.payload) if proposed and proposal_event else {}
    disposition = proposal.get("disposition", "")
    panel = ReviewPanel(
        disposition=disposition,
        disposition_label=str(Disposition(disposition).label)
        if disposition in Disposition.values
        else "",
        proposal=proposal,
        arrangement=_arrangement_text(proposal),
        release_set=current_set(case),
        open_count=open_suggestions(case),
        overridden=proposal.get("warnings_overridden", []),
        override_reason=proposal.get("override_reason", ""),
    )
    if proposed:
        panel.blocked = release_refusal(case, proposal, approved=True) or ""
        panel.warnings = warnings_for(case, disposition, events)
    else:
        panel.vague = is_vague(case.subject, case.description) and not any(
            e.kind == "request_correction" for e in events
        )
    if user is not None and (panel.vague or panel.warnings):
        panel.may_correct = "request_correction" in available_transitions(case, user)
    if panel.release_set is not None:
        for released in panel.release_set.files.select_related("record").order_by("position"):
            redactions = list(released.record.redactions.order_by("page", "pk"))
            panel.files.append({"file": released, "redactions": redactions})
    panel.dismissed = list(
        Suggestion.objects.filter(record__case=case, dismissed_at__isnull=False)
        .select_related("record", "dismissed_by")
        .order_by("record_id", "page", "pk")
    )
    for suggestion in panel.dismissed:
        suggestion.masked = mask(suggestion.value)  # type: ignore[attr-defined]
    return panel
