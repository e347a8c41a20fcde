"""The withheld part of a partial proposal (不予公开的部分, Art 37) taken from the records, not
retyped (issue 24 point 6): with a built release set (in review or approved), the propose form
opens with that set's statement, each part with its ground and article
(letters.records.selectors.statement_text, the same words the reply letter prints); without one, the field's help lists the grounds with
their articles so that the text the officer writes names one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from casework.choices import Transition
from casework.models import Case


def withheld_prefill(name: str, form: forms.Form, case: Case) -> None:
    """Fill the unbound propose form's `withheld` field from the case's built release set,
    and list the grounds with their articles in its help text."""
    if name != Transition.PROPOSE or form.is_bound or "withheld" not in form.fields:
        return
    from letters.records.models import GROUND_REASON, GROUND_SHORT
    from letters.records.selectors import proposal_withheld_text

    statement = proposal_withheld_text(case)
    if statement:
        form.fields["withheld"].initial = statement
        form.fields["withheld"].help_text = _(
            "From the release set: each withheld part with its ground and article."
        )
        return
    grounds = "；".join(
        f"{reason}（《条例》{GROUND_SHORT[ground]}）" for ground, reason in GROUND_REASON.items()
    )
    form.fields["withheld"].help_text = (
        _("Name the part and its ground with the article, e.g.: ") + grounds
    )
