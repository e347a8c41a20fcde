"""Text that goes into letters must be printable in them (issue 21 point 10): a character no
letter typeface has would come out of the printer as an empty box (tofu), and the applicant's
name, address or request would be wrong on the letter that decides it (Art 36, Art 40).

The core knows no fonts (it imports no upper floor): the letters app registers the finder of
unprintable characters at start-up (letters.apps.LettersConfig.ready, letters.fonts), and the
intake forms (the portal's /apply/, the registrar's intake form, the API's case creation) put
`validate_printable` on the fields that a letter quotes. Without a registered finder every
character passes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UnprintableFinder = Callable[[str], list[str]]
_finders: list[UnprintableFinder] = []


def register_unprintable_finder(finder: UnprintableFinder) -> None:
    """Called once by the app that prints (letters): `finder(text)` lists the characters of
    `text` it cannot print."""
    if finder not in _finders:
        _finders.append(finder)


def unprintable_characters(text: str) -> list[str]:
    found: list[str] = []
    for finder in _finders:
        found.extend(c for c in finder(text) if c not in found)
    return found


def unprintable_message(char: str) -> str:
    return _(
        "The character “%(char)s” (U+%(code)04X) cannot be printed in letters; use a common "
        "character or describe it in words."
    ) % {"char": char, "code": ord(char)}


def validate_printable(value: str) -> None:
    """A form field's validator: the first character no letter typeface can print, named."""
    missing = unprintable_characters(str(value or ""))
    if missing:
        raise ValidationError(unprintable_message(missing[0]), code="unprintable")
