"""The registrar's input of a request's items (casework.items): at registration, prefilled
with the automatic split, and later on the case page (`set_items`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.items import case_items, split_request
from casework.lifecycle.inputs import NoteInput, TransitionForm, text

ITEMS_HELP = _(
    "One item a line, as the applicant listed them; filled in from the request's numbered "
    "list or its “；”. One line: the request is answered as a whole."
)


def _items_field(*, required: bool) -> forms.CharField:
    return text(
        _("Items of the request"),
        required=required,
        area=True,
        max_length=20000,
        help_text=ITEMS_HELP,
    )


def _prefill(form: TransitionForm) -> None:
    if form.is_bound:
        return
    stored = [item.text for item in case_items(form.case)]
    items = stored or split_request(form.case.subject, form.case.description)
    form.initial.setdefault("items", "\n".join(items))


class RegisterInput(NoteInput):
    """Art 45 registration; the items, when left empty, are split from the request (Art 29)."""

    items = _items_field(required=False)
    records = {"request_items": _("Items of the request"), "items_before": _("Items before")}

    def setup(self) -> None:
        _prefill(self)


class SetItemsInput(TransitionForm):
    """The registrar corrects the items of the request (Art 29(2)(2): what is asked for)."""

    items = _items_field(required=True)
    note = text(_("Note"), required=False, area=True)
    records = {"request_items": _("Items of the request"), "items_before": _("Items before")}

    def setup(self) -> None:
        _prefill(self)
