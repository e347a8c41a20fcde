"""The input of each transition: one form class per transition, declared once.

The same class validates the lifecycle's input (`clean_input`), renders the staff pages' form
and, through `workflows.api.transitions`, becomes the API request body and its OpenAPI
schema. Forms check the shape and the simple rules of the input; the transition body checks
its meaning against the case and the law. Labels are the Chinese field names of the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.catalogue.selectors import items_for_reply
from casework.choices import (
    OPEN_STATUSES,
    ApplicantCategory,
    ConsultationOpinion,
    ConsultationParty,
    DeliveryMethod,
    Disposition,
    FeeMethod,
    IdType,
    RemedyKind,
    RemedyOutcome,
    Role,
)
from casework.choices import Transition as T
from casework.decision_rules import decision_check
from casework.dispositions import BASES, Basis, basis_choices, basis_for
from casework.errors import InvalidInput
from casework.items import ItemDecisionsField, attach_item_decisions
from casework.library.selectors import (
    earlier_open_requests,
    merge_candidates,
    repeat_candidates,
    same_applicant,
)
from casework.lifecycle import decision_warnings, form_defaults, release_gate
from casework.lifecycle.actors import Staff
from casework.models import Case, Division
from casework.payloads import FormData, Payload
from casework.permissions import division_members
from casework.printable import validate_printable
from casework.selectors import consultations_open
from casework.validators import mask_id_number

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def text(
    label: StrOrPromise,
    *,
    required: bool = True,
    area: bool = False,
    max_length: int = 2000,
    help_text: StrOrPromise = "",
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if area else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=widget,
        help_text=help_text,
        validators=[validate_printable],  # quoted in letters and printed in the case file
    )


def day(
    label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


def choice(
    label: StrOrPromise, choices: Iterable[tuple[object, StrOrPromise]], *, required: bool = True
) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=required)


class TransitionForm(forms.Form):
    """The input of one transition on one case.

    `records` names (and labels) what the event stores beyond the fields themselves, so the
    history can label every key; `hidden` keys are stored but never shown.
    """

    records: ClassVar[Payload] = {}
    hidden: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self, data: Mapping[str, object] | None = None, *, case: Case, **kwargs: Any
    ) -> None:
        self.case = case
        super().__init__(data, **kwargs)
        self.setup()

    def setup(self) -> None:
        """Fit the fields to the case (querysets, choices); nothing by default."""


def clean_input(form_class: type[TransitionForm], case: Case, fields: object) -> FormData:
    """Validate `fields` (a mapping of JSON-safe values) with the transition's form; raise
    InvalidInput naming the first field at fault (all fault lines in `errors`)."""
    if not isinstance(fields, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    for key, value in fields.items():
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInput(_("The text contains a character that is not allowed."), field=key)
    form = form_class(fields, case=case)
    if form.is_valid():
        return dict(form.cleaned_data)
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    name, messages = next(iter(errors.items()))
    labels = {key: str(field.label) for key, field in form.fields.items()}
    message = messages[0] if name == "__all__" else f"{labels.get(name, name)}：{messages[0]}"
    error = InvalidInput(message, field=None if name == "__all__" else name)
    error.errors = errors
    return _raise(error)


def _raise(error: InvalidInput) -> Payload:
    raise error


def json_safe(cleaned: FormData) -> Payload:
    """Cleaned form data as the JSON-safe fields the lifecycle takes (ids, ISO dates, the
    key of a legal basis)."""

    values: Payload = {}
    for key, value in cleaned.items():
        if value in (None, "") or key == "on":
            continue
        if isinstance(value, Basis):
            value = value.key  # DecisionInput.clean turns the chosen key into its Basis
        elif hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "values_list"):
            value = list(value.values_list("pk", flat=True))
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, str | int | bool | list):
            value = str(value)
        values[key] = value
    return values


# --- the forms, in the order of the lifecycle ---------------------------------------------------


class NoInput(TransitionForm):
    """A transition that takes nothing but its effective date."""


class ReceiveInput(TransitionForm):
    records = {
        "channel": _("Channel"),
        "arrived_at": _("Arrived at"),
        "received_on": _("Date of receipt"),
        "number": _("Case number"),
    }


LATE_RECORDS = {"late": _("Late"), "late_reason": _("Reason for acting late")}


def backdate_reason_field() -> forms.CharField:
    """Beside the effective date of every action (casework.lifecycle.periods.backdated)."""
    return text(
        _("Reason for recording it late"),
        required=False,
        area=True,
        max_length=500,
        help_text=_(
            "Needed only when the effective date lies more than a few working days back; it is recorded and listed for supervision."
        ),
    )


def late_reason_field() -> forms.CharField:
    return text(
        _("Reason for acting late"),
        required=False,
        area=True,
        max_length=500,
        help_text=_(
            "Needed only when the step comes after its time limit; it is recorded and flagged."
        ),
    )


class ConfirmReceiptInput(TransitionForm):
    method = text(_("How receipt was confirmed"), required=False, max_length=200)
    late_reason = late_reason_field()
    records = {"received_on": _("Date of receipt"), **LATE_RECORDS}


class NoteInput(TransitionForm):
    note = text(_("Note"), required=False, area=True)


class RequestCorrectionInput(TransitionForm):
    items = text(_("Items to correct"), area=True)
    deadline_on = day(_("Correction deadline"))
    records = {"from_status": _("Status before the correction"), **LATE_RECORDS}
    hidden = frozenset({"from_status"})

    def setup(self) -> None:
        if not self.is_bound:  # a reasonable deadline (Art 30), issue 24 point 6
            self.fields["deadline_on"].initial = form_defaults.correction_deadline_default


class SubmitCorrectionInput(TransitionForm):
    """The applicant's correction sent online from the tracking page (Art 30)."""

    subject = text(_("Corrected subject"), required=False, max_length=300)
    file_names = text(_("Files"), required=False, max_length=1000)
    # Declared last: the field named `text` would shadow the helper in this class body.
    text = forms.CharField(
        label=_("Your correction"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReceiveCorrectionInput(TransitionForm):
    """The corrected application (Art 30): what it now asks for is recorded on the case; the
    history keeps both texts."""

    subject = text(_("Corrected subject"), required=False, max_length=300)
    description = text(_("Corrected description"), required=False, area=True, max_length=5000)
    note = text(_("Note"), required=False, area=True)
    late_reason = late_reason_field()
    records = {"corrected": _("Corrected request"), **LATE_RECORDS}

    def setup(self) -> None:
        if self.is_bound:
            return
        # Prefill with what the applicant submitted online, if anything.
        submitted = self.case.events.filter(kind="submit_correction").order_by("-seq").first()
        if submitted is not None:
            self.initial.update(
                {
                    "subject": submitted.payload.get("subject", ""),
                    "description": submitted.payload.get("text", ""),
                }
            )


class AssignInput(TransitionForm):
    lead_division_id = forms.ModelChoiceField(
        label=_("Lead division"), queryset=Division.objects.none()
    )
    co_division_ids = forms.ModelMultipleChoiceField(
        label=_("Co-divisions"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    division_due_on = day(
        _("Internal due date for the divisions"),
        required=False,
        help_text=_("Leave empty for 5 working days before the reply due date."),
    )
    records = {"lead_division": _("Lead division"), "co_divisions": _("Co-divisions")}
    hidden = frozenset({"lead_division_id", "co_division_ids"})

    def setup(self) -> None:
        divisions = Division.objects.filter(organ_id=self.case.organ_id, is_active=True)
        self.fields["lead_division_id"].queryset = divisions  # type: ignore[attr-defined]
        self.fields["co_division_ids"].queryset = divisions  # type: ignore[attr-defined]

    def clean(self) -> FormData:
        data = super().clean() or {}
        lead, co = data.get("lead_division_id"), data.get("co_division_ids")
        if lead is not None and co is not None and lead in co:
            self.add_error("co_division_ids", _("The lead division cannot also be a co-division."))
        return data


class ClaimInput(TransitionForm):
    records = {"assignee": _("Assignee")}


class GiveOpinionInput(TransitionForm):
    opinion = text(_("Opinion"), area=True)
    records = {"division": _("Division")}
    hidden = frozenset({"division_id"})


class OpenConsultationInput(TransitionForm):
    party = choice(_("Consulted party"), ConsultationParty.choices)
    party_name = text(_("Name of the consulted party"), max_length=200)
    matter = text(_("Matter"), required=False, area=True)
    hidden = frozenset({"consultation_id"})


class CloseConsultationInput(TransitionForm):
    # Text, not a choice: an id that is not (or no longer) open is a state error (409) that
    # the lifecycle reports; the page shows the open ones as a list.
    consultation_id = forms.CharField(label=_("Consultation"), max_length=40, widget=forms.Select)
    opinion = choice(_("Opinion"), ConsultationOpinion.choices)
    summary = text(_("Summary"), required=False, area=True)
    records = {"party_name": _("Name of the consulted party")}
    hidden = frozenset({"consultation_id"})

    def setup(self) -> None:
        # A callable: the events are read only when the list is drawn.
        self.fields["consultation_id"].widget.choices = lambda: [
            ("", "—"),
            *((c.consultation_id, c.party_name) for c in consultations_open(self.case)),
        ]
        if not self.is_bound:  # the only open one, preselected (issue 24 point 6)
            self.fields["consultation_id"].initial = lambda: form_defaults.only_open_consultation(
                self.case
            )


class ConsultationDeliveryInput(CloseConsultationInput):
    """The day the consulted party received the letter is the effective date (Art 32)."""

    opinion = None  # type: ignore[assignment]
    summary = None  # type: ignore[assignment]
    method = text(_("How it was delivered"), required=False, max_length=200)


class ExtensionInput(TransitionForm):
    """The liaison officer's request: how many days, and why the reply cannot be given in time."""

    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=20)
    reason = text(_("Reason"), area=True)


class ExtendInput(TransitionForm):
    """The head's approval (Art 33(2)), prefilled with the pending request. `reason` is the
    ground printed in the extension notice; `note` stays internal."""

    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=20)
    reason = text(
        _("Ground told to the applicant"),
        area=True,
        max_length=300,
        help_text=_(
            "Printed in the extension notice: why the reply cannot be given within 20 working days."
        ),
    )
    note = text(_("Internal note"), required=False, area=True)

    def setup(self) -> None:
        if self.is_bound:
            return

        events = list(
            self.case.events.filter(
                kind__in=[T.REQUEST_EXTENSION, T.EXTEND, "reject_extension"]
            ).order_by("seq")
        )
        if events and events[-1].kind == T.REQUEST_EXTENSION:
            self.initial.update(
                {"days": events[-1].payload.get("days"), "reason": events[-1].payload.get("reason")}
            )


class NotifyFeeInput(TransitionForm):
    method = choice(_("Charging method"), FeeMethod.choices)
    quantity = forms.IntegerField(label=_("Pieces or pages"), min_value=1, max_value=1_000_000)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty to compute it under 国办函〔2020〕109号."),
    )
    notice_received_on = day(_("Notice received on"), required=False)
    records = {
        "computed_amount": _("Amount under 109号 (yuan)"),
        "earlier_in_month": _("Applications earlier in the month"),
    }


class ReceiveFeeInput(TransitionForm):
    amount = forms.DecimalField(
        label=_("Amount paid (yuan)"), min_value=0, max_digits=12, decimal_places=2
    )
    receipt_number = text(_("Receipt number"), required=False, max_length=100)
    late_reason = late_reason_field()
    records = dict(LATE_RECORDS)


def catalogue_item_choices(case: Case) -> list[tuple[int | str, str]]:
    """The catalogue items a reply may point to (published, in force), newest first."""
    if not getattr(case, "organ_id", None):
        return [("", "—")]
    items = (
        items_for_reply(case.organ)
        .select_related(None)
        .only("pk", "title", "doc_number", "published_on")[:300]
    )
    return [
        ("", "—"),
        *(
            (item.pk, f"{item.title}{f'（{item.doc_number}）' if item.doc_number else ''}")
            for item in items
        ),
    ]


class DecisionInput(TransitionForm):
    """A decision with its legal basis (Art 36–39): the basis is one that fits the disposition
    (casework.dispositions); free text adds reasons, never replaces it."""

    # Required unless the request has several items (then `items`): casework.items sets it.
    disposition = choice(_("Disposition"), Disposition.choices, required=False)
    basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=200,
        widget=forms.Select,
        help_text=_("The articles that fit the disposition; empty for its usual basis."),
    )
    reasons = text(_("Reasons"), required=False, area=True)
    where_published = text(_("Where it was published (Art 36(1))"), required=False, max_length=300)
    # Art 36(1): the item of the proactive-disclosure catalogue the reply points to; its title,
    # place, date and address become `where_published` (casework.decision_rules, issue 26).
    catalogue_item = forms.IntegerField(
        label=_("Catalogue item (Art 36(1))"),
        required=False,
        min_value=1,
        widget=forms.Select,
        help_text=_(
            "The published item the reply points to; its title, date and address are printed."
        ),
    )
    responsible_organ = text(_("Responsible organ (Art 36(5))"), required=False, max_length=200)
    responsible_contact = text(
        _("Its contact details"),
        required=False,
        max_length=200,
        help_text=_("A phone number or a postal address (Art 36(5))."),
    )
    responsible_unknown = text(
        _("Why the responsible organ cannot be determined"),
        required=False,
        area=True,
        max_length=500,
        help_text=_("Only when no organ can be named (Art 36(5)); printed in the reply."),
    )
    # Art 36(4): where and how the organ searched, printed in a "not held" reply.
    search_places = text(
        _("Places or archives searched (Art 36(4))"),
        required=False,
        max_length=300,
        help_text=_("e.g. 档案室文书档案、移交安置处业务档案"),
    )
    search_systems = text(
        _("Systems searched"),
        required=False,
        max_length=300,
        help_text=_("e.g. OA办公系统、电子公文系统"),
    )
    search_period = text(
        _("Period covered by the search"),
        required=False,
        max_length=100,
        help_text=_("e.g. 2020年1月至2025年12月"),
    )
    search_terms = text(
        _("Search terms"),
        required=False,
        max_length=300,
        help_text=_("Separated by spaces or 、"),
    )
    earlier_case_number = text(
        _("Earlier case answered (Art 36(6))"),
        required=False,
        max_length=40,
        help_text=_(
            "The number of the same applicant's earlier case at this organ, answered before this application arrived."
        ),
    )
    explanation_requested_on = day(
        _("Day the applicant was asked for reasons (Art 35)"), required=False
    )
    items = ItemDecisionsField()  # a request of several items: one decision each (casework.items)
    records = {
        "basis_key": _("Legal basis"),
        "item_decisions": _("Decision for each item"),
        "earlier_reply_on": _("Earlier reply date"),
        "earlier_letter_number": _("Earlier reply letter number"),
    }
    hidden = frozenset({"basis_key"})

    def setup(self) -> None:
        self.fields["basis"].widget.choices = [("", "—"), *basis_choices()]
        self.fields["catalogue_item"].widget.choices = catalogue_item_choices(self.case)
        attach_item_decisions(self)

    def clean(self) -> FormData:
        data = super().clean() or {}
        disposition = data.get("disposition") or ""
        if disposition:
            basis = basis_for(disposition, data.get("basis") or "")
            if basis is None:
                allowed = "；".join(b.short for b in BASES.get(disposition, ()))
                self.add_error(
                    "basis", _("This disposition rests on: %(allowed)s.") % {"allowed": allowed}
                )
            else:
                data["basis"] = basis
        # Substance and the facts of the ledger (Art 30, 35, 36): casework.decision_rules.
        check = decision_check(disposition, data, case=self.case)
        for name, message in check.problems:
            self.add_error(name if name in self.fields else None, message)
        data.update(check.records)
        return data


class ProposeInput(DecisionInput):
    withheld = text(_("Withheld and why"), required=False, area=True)
    # Internal notes on the search; the search a "not held" reply states is in the structured
    # fields of DecisionInput (search_places … search_terms, Art 36(4)).
    searched = text(_("Search notes (internal)"), required=False, area=True)
    found = text(_("What was found"), required=False, area=True)
    # The metaclass moves fields off the class, so this never shadows Form.files.
    files = text(_("Files to provide"), required=False, area=True)  # type: ignore[assignment]
    # How a granted decision provides without attached files (lifecycle.release_gate), and the
    # override of a warning (lifecycle.decision_warnings).
    arrangement, arranged_on, arranged_place = release_gate.provision_fields()
    override_warnings, override_reason = decision_warnings.override_fields()
    records = {**DecisionInput.records, **decision_warnings.RECORDS}

    def setup(self) -> None:
        super().setup()
        if self.is_bound or "earlier_case_number" not in self.fields:
            return
        # Art 36(6): the case library names the same applicant's earlier answered request for
        # the same information; the officer decides whether to cite it (a suggestion only).

        candidates = repeat_candidates(self.case)
        if candidates:
            self.initial.setdefault("earlier_case_number", candidates[0].case.number)

    def clean(self) -> FormData:
        data = super().clean()
        release_gate.provision_clean(self, data)
        if data.get("disposition") == Disposition.PARTIAL and not data.get("withheld"):
            # Art 37: the withheld part must be explained.
            self.add_error(
                "withheld", _("For partial disclosure, state what is withheld and why (Art 37).")
            )
        return data


class ReasonInput(TransitionForm):
    reason = text(_("Reason"), area=True)


class OptionalReasonInput(TransitionForm):
    reason = text(_("Reason"), required=False, area=True)


class MergeDuplicateInput(TransitionForm):
    """The earlier request a duplicate is merged into (issue 25 point 2): the same applicant,
    the same organ, arrived before this one and not yet answered."""

    merged_into = text(
        _("Earlier request to merge into"),
        max_length=40,
        help_text=_(
            "The number of the same applicant's earlier case at this organ, not yet answered;"
            " its reply answers both."
        ),
    )
    reason = text(_("Reason"), required=False, area=True)

    def setup(self) -> None:
        if self.is_bound:
            return
        # The case library's same-information duplicates first (a suggestion only); else the
        # applicant's latest earlier request still open (the guard earlier_request_open makes
        # sure there is one), so the form offered opens ready to submit.
        candidates = merge_candidates(self.case)
        if candidates:
            self.initial.setdefault("merged_into", candidates[0].case.number)
        else:
            latest = earlier_open_requests(self.case).last()
            if latest is not None:
                self.initial.setdefault("merged_into", latest.number)

    def clean_merged_into(self) -> str:
        number = str(self.cleaned_data["merged_into"]).strip()
        earlier = (
            Case.objects.select_related("applicant")
            .filter(organ_id=self.case.organ_id, number=number)
            .first()
        )
        if earlier is None or earlier.pk == self.case.pk:
            raise forms.ValidationError(_("There is no other case with this number here."))
        if not same_applicant(self.case, earlier):
            raise forms.ValidationError(
                _(
                    "Case %(number)s is not the same applicant's (identity document, or name"
                    " with phone or e-mail)."
                )
                % {"number": number}
            )
        if (earlier.arrived_at, earlier.pk) > (self.case.arrived_at, self.case.pk):
            raise forms.ValidationError(
                _("Case %(number)s arrived after this one: merge the later request into it.")
                % {"number": number}
            )
        if earlier.status not in OPEN_STATUSES:
            raise forms.ValidationError(
                _(
                    "Case %(number)s is closed: an answered request makes this one a repeat"
                    " (Art 36(6)), not a duplicate."
                )
                % {"number": number}
            )
        return str(number)


class CommentInput(TransitionForm):
    comment = text(_("Comment"), required=False, area=True)


class IssueReplyInput(TransitionForm):
    letter = text(_("Letter"), required=False, max_length=100)
    sha256 = text(_("SHA-256"), required=False, max_length=64)
    records = {"disposition": _("Disposition"), **LATE_RECORDS}


class RecordDeliveryInput(TransitionForm):
    method = choice(_("Delivery method"), DeliveryMethod.choices)
    tracking_number = text(_("Tracking number"), required=False, max_length=100)

    def setup(self) -> None:
        # The way the applicant asked to receive it (Art 29(2)), unless the officer says otherwise.
        if not self.is_bound and self.case.delivery_method in DeliveryMethod.values:
            self.initial.setdefault("method", self.case.delivery_method)


class AbandonInput(TransitionForm):
    reason = text(_("Reason"), required=False, area=True)
    records = {"disposition": _("Disposition"), "deadline_on": _("Deadline")}


class UrgeInput(TransitionForm):
    message = text(_("Message"), area=True)


class RecordRemedyInput(TransitionForm):
    remedy = choice(_("Remedy"), RemedyKind.choices)
    outcome = choice(_("Outcome"), RemedyOutcome.choices)
    filed_on = day(_("Filed on"))
    decided_on = day(_("Decided on"), required=False)
    body = text(_("Body"), required=False, max_length=200)

    def clean(self) -> FormData:
        data = super().clean() or {}
        filed, decided = data.get("filed_on"), data.get("decided_on")
        if data.get("outcome") and data["outcome"] != RemedyOutcome.PENDING and decided is None:
            self.add_error(
                "decided_on", _("Please fill in: %(label)s.") % {"label": _("decision date")}
            )
        if filed and decided and decided < filed:
            self.add_error("decided_on", _("The decision date cannot be before the filing date."))
        return data


class ReleaseInput(TransitionForm):
    reason = text(_("Reason"), required=False, area=True)
    records = {"previous": _("Previous assignee")}


class ReassignInput(TransitionForm):
    assignee_id = forms.ModelChoiceField(label=_("Assignee"), queryset=Division.objects.none())
    reason = text(_("Reason"), required=False, area=True)
    records = {"previous": _("Previous assignee"), "assignee": _("Assignee")}
    hidden = frozenset({"assignee_id"})

    def setup(self) -> None:
        officers: QuerySet[Staff] = get_user_model().objects.none()
        if self.case.lead_division_id is not None and self.case.lead_division is not None:
            officers = division_members(self.case.lead_division).filter(groups__name=Role.LIAISON)
            if self.case.assignee_id:
                officers = officers.exclude(pk=self.case.assignee_id)
        self.fields["assignee_id"].queryset = officers  # type: ignore[attr-defined]
        self.fields["assignee_id"].error_messages["invalid_choice"] = _(
            "Choose a liaison officer of the lead division."
        )


class HandBackInput(TransitionForm):
    """退回分办: the lead division says why the case is not its own (required, for the office)."""

    reason = text(_("Reason"), area=True)
    records = {
        "from_division": _("From division"),
        "from_co_divisions": _("Former co-divisions"),
        "previous": _("Previous assignee"),
    }


class TransferInput(TransitionForm):
    lead_division_id = forms.ModelChoiceField(
        label=_("Lead division"), queryset=Division.objects.none()
    )
    reason = text(_("Reason"), area=True)
    records = {"from_division": _("From division"), "lead_division": _("Lead division")}
    hidden = frozenset({"lead_division_id"})

    def setup(self) -> None:
        divisions = Division.objects.filter(organ_id=self.case.organ_id, is_active=True)
        if self.case.lead_division_id:
            divisions = divisions.exclude(pk=self.case.lead_division_id)
        self.fields["lead_division_id"].queryset = divisions  # type: ignore[attr-defined]


class UpdateApplicantInput(TransitionForm):
    category = choice(_("Applicant category"), ApplicantCategory.choices)
    name = text(_("Name"), max_length=200)
    id_type = choice(_("ID type"), IdType.choices, required=False)
    id_number = text(_("ID number"), required=False, max_length=40)
    credit_code = text(_("Unified social credit code"), required=False, max_length=18)
    contact_person = text(_("Contact person"), required=False, max_length=100)
    phone = text(_("Phone"), max_length=40)
    email = text(_("E-mail"), required=False, max_length=254)
    address = text(_("Address"), required=False, max_length=200)
    postal_code = text(_("Postal code"), required=False, max_length=6)
    records = {
        "changes": _("Changes"),
        "completed": _("Completed details of an imported application"),
    }

    def setup(self) -> None:
        # A field left out keeps its value: the API may send only what changes.
        current = {
            name: getattr(self.case.applicant, name)
            for name in type(self).base_fields
            if name not in ("on", "backdate_reason")  # the page form's own fields
        }
        stored_id = current["id_number"]
        if self.is_bound:
            data: MutableMapping[str, object] = self.data.copy()  # type: ignore[attr-defined]  # QueryDict or dict
            for name, value in current.items():
                if name not in data:
                    data[name] = value
            # The form shows the ID number masked (issue 16: need-to-know); the masked value
            # sent back means "unchanged" and keeps the stored number.
            if stored_id and str(data.get("id_number") or "").strip() == mask_id_number(stored_id):
                data["id_number"] = stored_id
            self.data = data
        else:
            # Never the full number in a form: it is shown only through the recorded reveal.
            self.initial.update(current, id_number=mask_id_number(stored_id) if stored_id else "")


class IssueLetterInput(TransitionForm):
    kind = text(_("letter kind"), max_length=60)
    letter = text(_("document number"), max_length=60)
    title = text(_("Title"), required=False, max_length=100)
    sha256 = text(_("SHA-256"), required=False, max_length=64)


class VoidLetterInput(TransitionForm):
    letter = text(_("document number"), max_length=60)
    reason = text(_("reason"), max_length=300)
