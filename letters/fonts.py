"""The typefaces of letters, and the start-up check that they are installed.

GB/T 9704-2012 sets the title in 2号 小标宋, the body in 3号 仿宋 and page numbers in 4号 宋体.
Defaults use freely licensed faces installed by bin/bootstrap: FandolFang (仿宋; GPL with the
font exception, taken from Debian's texlive-lang-chinese) for the body, Noto Serif CJK SC in
its black weight as the 小标宋-style title face and as the Song face of page numbers, and Noto
Serif CJK SC again as the fallback for characters the body face lacks (𠮷, 䶮, 鿏 …).
A bureau with licensed fonts overrides any role in the setting LETTER_TYPEFACES, e.g.
{"title": "方正小标宋简体", "body": "仿宋_GB2312"}.

A configured face that is not installed is a system-check error (letters.E001), never a
silent fallback to whatever fontconfig finds.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

DEFAULT_TYPEFACES = {
    "title": "Noto Serif CJK SC",  # 小标宋-style: set in weight 900
    "body": "FandolFang",  # 仿宋
    "song": "Noto Serif CJK SC",  # page numbers (4号 宋体)
    "fallback": "Noto Serif CJK SC",  # characters outside the body face
}


def typefaces() -> dict[str, str]:
    configured: dict[str, str] = getattr(settings, "LETTER_TYPEFACES", {}) or {}
    return {**DEFAULT_TYPEFACES, **configured}


@register("letters")
def check_typefaces(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from letters.typeset import font_file

    errors: list[CheckMessage] = []
    for role, family in typefaces().items():
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
