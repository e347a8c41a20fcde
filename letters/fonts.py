"""The typefaces of letters, the start-up check that they are installed, and the check that
every character of a letter can be printed with them.

GB/T 9704-2012 sets the title in 2号 小标宋, the body in 3号 仿宋 and page numbers in 4号 宋体.
Defaults use freely licensed faces installed by bin/bootstrap: FandolFang (仿宋; GPL with the
font exception, taken from Debian's texlive-lang-chinese) for the body, Noto Serif CJK SC in
its black weight as the 小标宋-style title face and as the Song face of page numbers. The
fallback role is a stack, tried in order for characters the body face lacks: Noto Serif CJK SC
(𠮷, 䶮, 鿏 … of the basic block and Extension A), then HanaMinA and HanaMinB of Debian's
fonts-hanazono (花園明朝, SIL OFL), which cover the CJK Extensions B to F (𠀀 U+20000 …) that
no Noto CJK face has. A bureau with licensed fonts overrides any role in the setting
LETTER_TYPEFACES, e.g. {"title": "方正小标宋简体", "body": "仿宋_GB2312"}; a role may name
several families separated by commas.

A configured face that is not installed is a system-check error (letters.E001), never a
silent fallback to whatever fontconfig finds. A character that no face of the body's stack
has would print as an empty box (tofu): `unprintable_characters` finds it from the faces' own
character maps (fontTools), and the intake forms (through casework.printable, registered in
letters.apps) and letter issue (`check_printable`) refuse it with the character named.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.utils.safestring import mark_safe

from casework.errors import InvalidInput
from casework.printable import unprintable_message
from letters.typeset import font_face, font_file

DEFAULT_TYPEFACES = {
    "title": "Noto Serif CJK SC",  # 小标宋-style: set in weight 900
    "body": "FandolFang",  # 仿宋
    "song": "Noto Serif CJK SC",  # page numbers (4号 宋体)
    # characters outside the body face, in this order (Extensions B-F: fonts-hanazono)
    "fallback": "Noto Serif CJK SC, HanaMinA, HanaMinB",
}


def typefaces() -> dict[str, str]:
    configured: dict[str, str] = getattr(settings, "LETTER_TYPEFACES", {}) or {}
    return {**DEFAULT_TYPEFACES, **configured}


def families(role: str) -> list[str]:
    """The families a role names, in order (a role may list several, comma-separated)."""
    return [f.strip() for f in typefaces()[role].split(",") if f.strip()]


def stack(role: str) -> list[str]:
    """The faces text of `role` is set in: the role's own, then the fallback stack."""
    return list(dict.fromkeys([*families(role), *families("fallback")]))


def font_stacks() -> dict[str, str]:
    """CSS font-family values for every role, each ending with the fallback stack (safe in a
    <style> element: the names lose quotes, backslashes and markup)."""

    return {role: mark_safe(", ".join(_css_family(f) for f in stack(role))) for role in typefaces()}


def _css_family(family: str) -> str:
    return '"' + "".join(c for c in family if c not in '"\\<>;{}') + '"'


@register("letters")
def check_typefaces(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for role in typefaces():
        for family in families(role):
            if font_file(family) is None:
                errors.append(
                    Error(
                        f"The letter typeface {family!r} ({role}) is not installed.",
                        hint="Run bin/bootstrap (it installs the letter fonts) or change "
                        "LETTER_TYPEFACES.",
                        id="letters.E001",
                    )
                )
    return errors


# --- every character printable (issue 21 point 10) ------------------------------------------


@lru_cache(maxsize=16)
def _coverage(faces: tuple[str, ...]) -> frozenset[int]:
    """The code points mapped by any of `faces` (their cmaps, read once per process)."""

    covered: set[int] = set()
    for family in faces:
        face = font_face(family)
        if face is None:
            continue
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        font = TTFont(face[0], lazy=True, fontNumber=face[1])
        covered.update(font.getBestCmap())
        font.close()
    return frozenset(covered)


def _needs_glyph(char: str) -> bool:
    """Spaces, line breaks, controls, format characters (ZWJ, soft hyphen) and variation
    selectors draw nothing of their own."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def unprintable_characters(text: str, role: str = "body") -> list[str]:
    """The characters of `text` that no face of the role's stack has, each once, in order."""
    covered = _coverage(tuple(stack(role)))
    return list(dict.fromkeys(c for c in str(text) if _needs_glyph(c) and ord(c) not in covered))


def check_printable(values: Iterable[object]) -> None:
    """At letter issue: refuse a letter whose text has a character no letter face can print
    (it would come out as an empty box), naming the character."""

    for value in values:
        if isinstance(value, str):
            missing = unprintable_characters(value)
            if missing:
                raise InvalidInput(unprintable_message(missing[0]))
