"""The API's transition endpoints, generated from the transition table: one path per
transition the table offers, each with a request body built from the transition's own input
form, so the OpenAPI schema shows every field, its type, whether it is required and its Chinese
description."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from casework.lifecycle import TransitionSpec, offered_transitions
from casework.lifecycle.inputs import backdate_reason_field
from casework.payloads import Payload

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.response import Response

    from workflows.api.views import CaseTransitionView


def _field(name: str, field: forms.Field) -> serializers.Field:
    common: Payload = {
        "required": field.required,
        "label": field.label,
        "help_text": field.help_text or None,
    }
    if hasattr(field, "api_serializer"):  # a field that says its own (casework.items)
        return field.api_serializer(**common)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), allow_empty=True, **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(**common)
    if isinstance(field, forms.ChoiceField):
        choices = field.choices if not callable(field.choices) else []
        if choices:
            return serializers.ChoiceField(choices=[(k, v) for k, v in choices if k], **common)
        return serializers.CharField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value, max_value=field.max_value, **common
        )
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=field.min_value,
            coerce_to_string=False,
            **common,
        )
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.CharField):
        return serializers.CharField(
            max_length=field.max_length, allow_blank=not field.required, **common
        )
    raise TypeError(f"no API field for {name}: {type(field).__name__}")


def request_serializer(spec: TransitionSpec) -> type[serializers.Serializer]:
    """The request body of `spec`: its effective date and the fields of its input form."""
    attrs: Payload = {
        "on": serializers.DateField(
            required=False,
            label=_("Effective date"),
            help_text=_("Effective date; today when omitted."),
        ),
    }
    attrs.update({name: _field(name, f) for name, f in spec.form.base_fields.items()})
    attrs["backdate_reason"] = _field("backdate_reason", backdate_reason_field())
    name = "".join(part.title() for part in spec.name.split("_")) + "In"
    attrs["Meta"] = type("Meta", (), {"ref_name": name})
    serializer: type[serializers.Serializer] = type(name, (serializers.Serializer,), attrs)
    serializer.__doc__ = f"{spec.label}（{spec.article}）" if spec.article else spec.label
    return serializer


REQUESTS: dict[str, type[serializers.Serializer]] = {
    spec.name: request_serializer(spec) for spec in offered_transitions()
}


def transition_urls() -> list[URLPattern]:
    """One path per offered transition, each documented with its own request body."""
    from workflows.api.serializers import CaseOut
    from workflows.api.views import ERRORS, CaseTransitionView

    patterns = []
    for spec in offered_transitions():
        body = REQUESTS[spec.name]

        def post(self: CaseTransitionView, request: Request, number: str) -> Response:
            return CaseTransitionView.post(self, request, number)

        documented = extend_schema(
            request=body,
            responses={200: CaseOut, **ERRORS},
            summary=spec.label,
            description=str(body.__doc__),
            operation_id=f"case_{spec.name}",
            tags=["transitions"],
        )(post)
        view_class = cast(
            "type[CaseTransitionView]",
            type(
                f"{body.__name__[:-2]}View",
                (CaseTransitionView,),
                {"transition": spec.name, "request_serializer": body, "post": documented},
            ),
        )
        patterns.append(
            path(
                f"cases/<str:number>/transitions/{spec.name}/",
                view_class.as_view(),
                name=f"transition-{spec.name}",
            )
        )
    return patterns
