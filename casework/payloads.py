"""The project's names for data whose shape is only known at a boundary.

These are the places where `Any` is the honest type: JSON that goes into or comes out of the
database or the API (an event's payload, a letter's facts, a request body), a validated form's
`cleaned_data`, a template's context. Code that knows more declares a TypedDict or a dataclass
instead. `tests/test_typing_ceiling.py` counts the uses of `Any` in this module as boundary
uses (`any_boundary`), with the other boundaries its docstring names; every other `Any` counts
in `any`, which goes to zero.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Payload: TypeAlias = dict[str, Any]
"""JSON-shaped data: an event's payload, a letter's facts, an API body or answer, a log record."""

FormData: TypeAlias = dict[str, Any]
"""A form's `cleaned_data` (or the data a service takes from it): values of the fields' types."""

TemplateContext: TypeAlias = dict[str, Any]
"""The context handed to a template."""

JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"
"""One JSON value, spelled out: what `json.loads` gives back or `json.dumps` takes."""

__all__ = ["FormData", "JSONValue", "Payload", "TemplateContext"]
