"""Errors raised by services and the lifecycle. Each carries a Chinese message for the user
(through gettext) and maps to one HTTP status in the faces."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.core.exceptions import ValidationError

    from django_stubs_ext import StrOrPromise


class CaseworkError(Exception):
    """Base class: `message` is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: StrOrPromise, *, field: str | None = None) -> None:
        self.message = str(message)
        self.field = field
        self.errors: dict[str, list[str]] = {field or "__all__": [self.message]}
        super().__init__(self.message)


class InvalidInput(CaseworkError):
    """A missing or malformed field, or a date that cannot be right (400)."""

    status_code = 400


class NotPermitted(CaseworkError):
    """The actor's role or division does not allow this (403)."""

    status_code = 403


class NotVisible(CaseworkError):
    """Missing or not visible to the actor: the same answer for both (404)."""

    status_code = 404


class WrongState(CaseworkError):
    """The case is not in a state that allows this, or a concurrent change won (409)."""

    status_code = 409


def invalid_from_validation_error(error: ValidationError) -> InvalidInput:
    """Turn a Django ValidationError (possibly with several fields) into InvalidInput."""
    errors: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        errors = {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in error.error_dict.items()
        }
    else:
        errors = {"__all__": [str(m) for m in error.messages]}
    field, messages = next(iter(errors.items()))
    result = InvalidInput(messages[0], field=None if field == "__all__" else field)
    result.errors = errors
    return result
