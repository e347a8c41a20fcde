"""The letter-delivery form's defaults (issue 24 point 6): the way the applicant chose to
receive the reply (Art 29(2)(3), case.delivery_method) and, by post, the applicant's address.
The officer may change either; nothing is recorded until the form is sent."""

from __future__ import annotations

from casework.choices import DeliveryMethod as RequestedMethod
from letters.models import DeliveryMethod, Letter

# The applicant's chosen way of receiving (application form) → the service of the letter.
SERVICE_FOR_CHOICE: dict[str, str] = {
    RequestedMethod.POST: DeliveryMethod.POST,
    RequestedMethod.COLLECT: DeliveryMethod.IN_PERSON,
}


def delivery_defaults(letter: Letter) -> dict[str, str]:
    """Initial values of the delivery form for `letter`: the method the applicant chose and,
    for post, the applicant's address; {} where the choice has no paper service."""
    case = letter.case
    method = SERVICE_FOR_CHOICE.get(case.delivery_method, "")
    if not method:
        return {}
    values = {"method": method}
    applicant = getattr(case, "applicant", None)
    if method == DeliveryMethod.POST and applicant is not None and applicant.address:
        values["address"] = applicant.address
    return values
