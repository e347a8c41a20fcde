"""A returned proposal reopens prefilled (issue 24 point 1): after 退回修改 the propose form
starts from the last proposal's values, not empty; the reason is shown above it
(templates/workflows/decide/_decision_facts.html)."""

from __future__ import annotations

from django import forms

from casework.models import Case
from workflows.decide.facts import prefill_values, returned_proposal


def prefill_returned_proposal(case: Case, form: forms.Form) -> None:
    proposal, _reason = returned_proposal(case)
    if proposal is not None:
        form.initial.update(prefill_values(dict(proposal.payload), form))
