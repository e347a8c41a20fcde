"""Validators for identity numbers and contact details, with Chinese error messages.

Pure functions: each raises django.core.exceptions.ValidationError with a specific message.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

# GB 11643-1999 citizen identification number: 17 digits + ISO 7064 MOD 11-2 check character.
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK = "10X98765432"
_RESIDENT_ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")

# GB 32100-2015 unified social credit code: 18 characters over a 31-symbol alphabet
# (no I, O, S, V, Z), the last one a MOD 31 check character.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landline: area code 0xx/0xxx, 7-8 digit number, optional extension.
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalize_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def validate_resident_id(value: str) -> None:
    """Check a resident identity card number: format, birth date and GB 11643 check digit."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="id_length")
    if not _RESIDENT_ID_RE.match(number):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."), code="id_format"
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in the resident ID number is not a real date."), code="id_birth"
        ) from None
    if birth.year < 1900:
        raise ValidationError(
            _("The birth date in the resident ID number is not a real date."), code="id_birth"
        )
    total = sum(int(d) * w for d, w in zip(number[:17], _RESIDENT_ID_WEIGHTS, strict=True))
    if _RESIDENT_ID_CHECK[total % 11] != number[17]:
        raise ValidationError(
            _("The check digit of the resident ID number is wrong; please check the number."),
            code="id_checksum",
        )


def validate_uscc(value: str) -> None:
    """Check a unified social credit code (统一社会信用代码) with its GB 32100 check character."""
    code = normalize_id_number(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters."), code="uscc_length"
        )
    if not _USCC_RE.match(code):
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed."),
            code="uscc_format",
        )
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    expected = _USCC_ALPHABET[(31 - total % 31) % 31]
    if code[17] != expected:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong."),
            code="uscc_checksum",
        )


def normalize_phone(value: str) -> str:
    number = value.strip().replace(" ", "")
    if number.startswith("+86"):
        number = number[3:]
    return number


def validate_mobile(value: str) -> None:
    """Check a mainland mobile number: 11 digits starting 13–19."""
    if not _MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits starting with 1."), code="mobile"
        )


def validate_phone(value: str) -> None:
    """Check a contact phone: a mainland mobile number or a landline with area code."""
    number = normalize_phone(value)
    if not (_MOBILE_RE.match(number) or _LANDLINE_RE.match(number)):
        raise ValidationError(
            _(
                "Enter a mainland mobile number (11 digits) or a landline with area code, "
                "e.g. 0531-12345678."
            ),
            code="phone",
        )


validate_email = EmailValidator(message=_("Enter a valid e-mail address."))


def validate_postal_code(value: str) -> None:
    if not re.fullmatch(r"\d{6}", value.strip()):
        raise ValidationError(_("A postal code has 6 digits."), code="postal_code")


def mask_id_number(value: str) -> str:
    """Show only the first 4 and last 4 characters, e.g. 3701**********1234."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """Mobile 138****8000; other numbers keep the last 4 digits (issue 16: need-to-know)."""
    digits = [c for c in value if c.isdigit()]
    if len(digits) <= 4:
        return "*" * len(value)
    if len(digits) == 11 and digits[0] == "1":
        return "".join(digits[:3]) + "****" + "".join(digits[-4:])
    return "*" * (len(digits) - 4) + "".join(digits[-4:])


def mask_email(value: str) -> str:
    """z***@example.com: the first character of the local part and the domain."""
    local, at, domain = value.partition("@")
    if not at:
        return "*" * len(value)
    return (local[:1] + "***") + "@" + domain
