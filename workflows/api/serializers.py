"""API shapes: input validated here for form only; meaning is checked by the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from casework.choices import ApplicantCategory, Channel, DeliveryMethod, IdType, ProvisionForm


class ApplicantIn(serializers.Serializer):
    category = serializers.ChoiceField(choices=ApplicantCategory.choices)
    name = serializers.CharField(max_length=200)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=6, required=False, allow_blank=True)


class AgentIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    id_type = serializers.ChoiceField(choices=IdType.choices)
    id_number = serializers.CharField(max_length=40)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RequestIn(serializers.Serializer):
    subject = serializers.CharField(
        max_length=300, help_text=_("The information requested (Art 29(2)).")
    )
    description = serializers.CharField(required=False, allow_blank=True)
    provision_form = serializers.ChoiceField(choices=ProvisionForm.choices)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)


class CaseCreateIn(serializers.Serializer):
    organ = serializers.CharField(
        required=False, help_text=_("Name of the organ; optional when there is one.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    arrived_at = serializers.DateTimeField(
        help_text=_("When the application arrived (with time zone).")
    )
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
    letters = serializers.ListField(child=serializers.DictField())


class ErrorOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
