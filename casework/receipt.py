"""The legal date of receipt under Art 31 of the OGI Regulations. Pure: no ORM, no clock."""

from datetime import date

from django.utils.translation import gettext as _

from casework.choices import CHANNELS_NEEDING_CONFIRMATION, Channel
from casework.errors import InvalidInput


def legal_receipt_date(
    *, channel: str, arrived_on: date, today: date, signed_on: date | None = None
) -> date | None:
    """Return `received_on` for an application, or None while it awaits confirmation.

    Art 31: (1) handed in person (and oral applications, which the office writes down at the
    counter, Art 29): the day it is handed in; (2) post that must be signed for: the day the
    organ signs for it; (3) ordinary letters: the day receipt is confirmed with the applicant;
    (4) online, e-mail and fax: the day both sides confirm (双方确认之日). For (3) and (4) the
    date is fixed later by the `confirm_receipt` transition.
    """
    if channel not in Channel.values:
        raise InvalidInput(
            _("Unknown channel: %(channel)s.") % {"channel": channel}, field="channel"
        )
    if arrived_on > today:
        raise InvalidInput(_("The arrival date cannot be in the future."), field="arrived_at")
    if channel in CHANNELS_NEEDING_CONFIRMATION:
        return None
    if channel == Channel.REGISTERED_POST:
        received = signed_on or arrived_on
        if received < arrived_on:
            raise InvalidInput(
                _("The signature date cannot be before the arrival."), field="signed_on"
            )
        if received > today:
            raise InvalidInput(_("The signature date cannot be in the future."), field="signed_on")
        return received
    return arrived_on


def validate_confirmation_date(*, confirmed_on: date, arrived_on: date, today: date) -> None:
    """A confirmation (Art 31(3)-(4)) happens on or after arrival and never in the future."""
    if confirmed_on > today:
        raise InvalidInput(_("The date of receipt cannot be in the future."), field="on")
    if confirmed_on < arrived_on:
        raise InvalidInput(
            _("The date of receipt cannot be before the application arrived."), field="on"
        )
