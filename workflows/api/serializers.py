"""API shapes: input validated here for form only; meaning is checked by the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from casework.choices import (
    ApplicantCategory,
    CaseStatus,
    Channel,
    ConsultationParty,
    DeliveryMethod,
    IdType,
    ProvisionForm,
)
from casework.printable import validate_printable
from workflows.selectors import TABS

# The fields a letter quotes (addressee, address, request): each character must print.
PRINTED = [validate_printable]


class ApplicantIn(serializers.Serializer):
    category = serializers.ChoiceField(choices=ApplicantCategory.choices)
    name = serializers.CharField(max_length=200, validators=PRINTED)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    contact_person = serializers.CharField(
        max_length=100, required=False, allow_blank=True, validators=PRINTED
    )
    phone = serializers.CharField(max_length=40)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=PRINTED
    )
    postal_code = serializers.CharField(max_length=6, required=False, allow_blank=True)


class AgentIn(serializers.Serializer):
    name = serializers.CharField(max_length=100, validators=PRINTED)
    id_type = serializers.ChoiceField(choices=IdType.choices)
    id_number = serializers.CharField(max_length=40)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=PRINTED
    )


class RequestIn(serializers.Serializer):
    subject = serializers.CharField(
        max_length=300,
        help_text=_("The information requested (Art 29(2))."),
        validators=PRINTED,
    )
    description = serializers.CharField(required=False, allow_blank=True, validators=PRINTED)
    provision_form = serializers.ChoiceField(choices=ProvisionForm.choices)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)


class BoundedDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, except that a naive time near year 1 (or 9999), which DRF's
    time-zone check moves past the calendar's end, is refused like any out-of-range time
    (400) instead of raising OverflowError (500; issue 22)."""

    def to_internal_value(self, value: Any) -> Any:
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")


class CaseCreateIn(serializers.Serializer):
    organ = serializers.CharField(
        required=False, help_text=_("Name of the organ; optional when there is one.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    arrived_at = BoundedDateTimeField(help_text=_("When the application arrived (with time zone)."))
    signed_on = serializers.DateField(
        required=False, help_text=_("Signature date for registered post.")
    )
    applicant = ApplicantIn()
    agent = AgentIn(required=False)
    request = RequestIn()


class TimelineOut(serializers.Serializer):
    kind = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    working_days = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()


class TaskOut(serializers.Serializer):
    task = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField(allow_null=True)
    division_id = serializers.IntegerField(allow_null=True)


class LetterOut(serializers.Serializer):
    """An issued letter (文书) of the case: issued or void, and its correction chain."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text=_("Document number (文号)."))
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    addressed_to = serializers.ChoiceField(
        choices=[
            ("applicant", _("the applicant")),
            ("third_party", _("a third party")),
            ("organ", _("another organ")),
        ],
        help_text=_("Who the letter is addressed to."),
    )
    status = serializers.ChoiceField(choices=[("issued", _("issued")), ("void", _("void"))])
    issued_at = serializers.DateTimeField()
    voided_at = serializers.DateTimeField(allow_null=True)
    void_reason = serializers.CharField(allow_null=True)
    replaces = serializers.CharField(
        allow_null=True, help_text=_("Number of the voided letter this one replaces.")
    )
    replaced_by = serializers.CharField(
        allow_null=True, help_text=_("Number of the letter that replaced this voided one.")
    )
    sha256 = serializers.CharField()
    download_url = serializers.URLField(
        help_text=_("The PDF, opened with the same API credentials.")
    )
    pdf_url = serializers.URLField(help_text=_("The PDF for a signed-in browser session."))


class PartyDeadlineOut(serializers.Serializer):
    due_on = serializers.DateField()
    estimated = serializers.BooleanField(
        help_text=_(
            "True while the deadline is counted from the day the request was sent rather than"
            " the day the party received it."
        )
    )


class ConsultationOut(serializers.Serializer):
    """A consultation (征求意见) of a third party (Art 32) or another organ (Art 34); its `id`
    is the consultation_id that close_consultation takes."""

    id = serializers.CharField(help_text=_("Consultation id, for close_consultation."))
    party = serializers.ChoiceField(choices=ConsultationParty.choices)
    party_name = serializers.CharField()
    matter = serializers.CharField(allow_blank=True)
    sent_on = serializers.DateField()
    party_deadline = PartyDeadlineOut(
        help_text=_("The consulted party's deadline: 15 working days (Art 32).")
    )
    closed = serializers.BooleanField()
    closed_on = serializers.DateField(allow_null=True)
    opinion = serializers.CharField(allow_blank=True)


class DeadlineOut(serializers.Serializer):
    due_on = serializers.DateField()
    remaining_working_days = serializers.IntegerField(
        allow_null=True, help_text=_("Working days left; negative when overdue.")
    )


class DeadlinesOut(serializers.Serializer):
    """The case's time limits beside the reply due date; null where the case has none."""

    division_due_on = DeadlineOut(
        allow_null=True, help_text=_("Internal due date for the divisions.")
    )
    correction_notice_due_on = DeadlineOut(
        allow_null=True, help_text=_("Due date of the correction notice (Art 30).")
    )
    correction_deadline_on = DeadlineOut(
        allow_null=True, help_text=_("The applicant's deadline for the correction (Art 30).")
    )
    fee_due_on = DeadlineOut(allow_null=True, help_text=_("Fee payment deadline."))


class ActionOut(serializers.Serializer):
    """A transition the caller may fire now (casework.lifecycle.available_actions)."""

    name = serializers.CharField()
    label = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())
    url = serializers.URLField(help_text=_("POST here to take the action."))


class CaseOut(serializers.Serializer):
    number = serializers.CharField()
    organ = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    channel = serializers.CharField()
    arrived_at = serializers.DateTimeField()
    received_on = serializers.DateField(allow_null=True)
    reply_due_on = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField(
        help_text=_("The due dates rely on a calendar year that is not loaded yet.")
    )
    extension_days = serializers.IntegerField()
    remaining_working_days = serializers.IntegerField(allow_null=True)
    supervision_level = serializers.CharField()
    lead_division = serializers.CharField(allow_null=True)
    assignee = serializers.CharField(allow_null=True)
    disposition = serializers.CharField()
    clock = TimelineOut(many=True)
    open_tasks = TaskOut(many=True)
    letters = LetterOut(many=True)
    consultations = ConsultationOut(many=True)
    deadlines = DeadlinesOut()
    actions = ActionOut(many=True, help_text=_("The actions the caller may take now."))


class CaseListFilterIn(serializers.Serializer):
    """The case list's query parameters (all optional, combined with AND)."""

    # Empty parameters (a form submitted with blank fields) mean "no filter".
    status = serializers.ChoiceField(
        choices=CaseStatus.choices,
        required=False,
        allow_blank=True,
        help_text=_("Only cases in this status."),
    )
    division = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Only cases whose lead division has this id.")
    )
    received_from = serializers.DateField(
        required=False, allow_null=True, help_text=_("Only cases received on or after this date.")
    )
    received_to = serializers.DateField(
        required=False, allow_null=True, help_text=_("Only cases received on or before this date.")
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Part of the case number or of the applicant's name."),
    )


class CaseListOut(serializers.Serializer):
    """One row of the case list."""

    number = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    channel = serializers.CharField()
    applicant = serializers.CharField()
    subject = serializers.CharField()
    received_on = serializers.DateField(allow_null=True)
    reply_due_on = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField()
    remaining_working_days = serializers.IntegerField(allow_null=True)
    supervision_level = serializers.CharField()
    lead_division = serializers.CharField(allow_null=True)
    lead_division_id = serializers.IntegerField(allow_null=True)
    assignee = serializers.CharField(allow_null=True)
    url = serializers.URLField(help_text=_("The case detail."))


class TaskListFilterIn(serializers.Serializer):
    tab = serializers.ChoiceField(
        choices=list(TABS),
        required=False,
        allow_blank=True,
        help_text=_(
            "mine: tasks I have claimed; division: my divisions' unclaimed tasks; office: the"
            " office's unclaimed tasks; extensions: extension requests for the head. Default:"
            " the first of these that can hold tasks for the caller."
        ),
    )


class TaskCaseOut(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    applicant = serializers.CharField()
    subject = serializers.CharField()
    reply_due_on = serializers.DateField(allow_null=True)
    remaining_working_days = serializers.IntegerField(allow_null=True)
    supervision_level = serializers.CharField()
    url = serializers.URLField()


class TaskListOut(serializers.Serializer):
    """One open task of a queue, with its case."""

    id = serializers.IntegerField()
    task = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField(allow_null=True)
    division_id = serializers.IntegerField(allow_null=True)
    urges = serializers.IntegerField(help_text=_("How often the applicant urged the case."))
    case = TaskCaseOut()


class ErrorOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
