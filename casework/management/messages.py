"""The project's translatable messages and which of them zh-hans leaves in English.

`messages_extract` finds every message of the Python code and the templates as makemessages
does (xgettext; templates templatized first); `messages_untranslated` asks Django, with
zh-hans active, which of them come back unchanged (Django's own catalogues count). Used by
`manage.py messages_missing` (the per-area makemessages, ADR 0005) and tests/test_translations.py;
`catalogues_compile_stale` compiles what changed first, for both and for tests/conftest.py.
"""

from __future__ import annotations

import gettext as gettext_module
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation.template import templatize

SOURCE_DIRS = ("casework", "letters", "workflows")
KEYWORDS = (
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext:1c,2",
    "pgettext_lazy:1c,2",
    "ngettext:1,2",
    "ngettext_lazy:1,2",
    "npgettext:1c,2,3",
    "npgettext_lazy:1c,2,3",
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@dataclass(frozen=True)
class Message:
    msgid: str
    context: str = ""
    plural: str = ""
    where: str = ""  # the first place it is used, "path:line"


def _po_string(raw: str) -> str:
    """A PO-quoted string's text (its escapes undone; the file is UTF-8 already)."""
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), raw)


def catalogues_compile_stale(root: Path) -> int:
    """Compile every catalogue under `root/locale` whose .mo is missing or older than its .po
    (the .mo files are not committed), and make Django read the catalogues again. Returns how
    many were compiled. Run before asking which messages are untranslated: without it a fresh
    clone reports every message of the project as missing."""
    compiled = 0
    for po in sorted((root / "locale").rglob("django.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(  # noqa: S603 (a fixed program, our own file names)
                ["msgfmt", "--check-format", "-o", str(mo), str(po)],  # noqa: S607
                check=True,
            )
            compiled += 1
    if compiled:
        # Django may have read the catalogues already: read them again, as Django's own
        # setting_changed handler does when LOCALE_PATHS changes (django/test/signals.py).
        from django.utils.translation import trans_real

        from asgiref.local import Local

        vars(trans_real).update(_translations={}, _default=None, _active=Local())
        # Python's gettext keeps every .mo it read, keyed by the file's path: a recompiled
        # catalogue of the same path would be served from that cache (the first run after
        # editing a msgstr reported the state before the edit).
        gettext_module._translations.clear()  # type: ignore[attr-defined]
    return compiled


def messages_extract(root: Path, workdir: Path) -> list[Message]:
    """Every translatable message of the code under `root` (SOURCE_DIRS, templates/)."""

    sources: list[str] = [
        str(p.relative_to(root)) for d in SOURCE_DIRS for p in sorted((root / d).rglob("*.py"))
    ]
    names: dict[str, str] = {}
    for template in sorted((root / "templates").rglob("*.html")):
        relative = str(template.relative_to(root))
        target = workdir / (relative.replace("/", "__") + ".py")
        target.write_text(
            templatize(template.read_text(encoding="utf-8"), origin=relative), encoding="utf-8"
        )
        names[str(target)] = relative
        sources.append(str(target))
    pot = workdir / "messages.pot"
    subprocess.run(  # noqa: S603 - fixed arguments, our own file names
        [  # noqa: S607 - xgettext from Debian's gettext (bin/bootstrap installs it)
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--no-wrap",
            *(f"--keyword={k}" for k in KEYWORDS),
            "-o",
            str(pot),
            *sources,
        ],
        check=True,
        cwd=root,
    )
    messages = []
    for block in pot.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        where, key = "", ""
        for line in block.splitlines():
            if line.startswith("#:") and not where:
                path, _, number = line[2:].strip().split(" ")[0].rpartition(":")
                where = f"{names.get(path, path)}:{number}"
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        msgid = _po_string(fields.get("msgid", ""))
        if msgid:
            messages.append(
                Message(
                    msgid=msgid,
                    context=_po_string(fields.get("msgctxt", "")),
                    plural=_po_string(fields.get("msgid_plural", "")),
                    where=where,
                )
            )
    return messages


def needs_translation(msgid: str) -> bool:
    """English words to translate (an acronym — PDF, HTML, SHA-256 — stays as it is)."""
    words = PLACEHOLDER.sub("", msgid)
    return bool(re.search(r"[A-Za-z]{2}", words)) and not re.fullmatch(r"[A-Z0-9\- ]+", words)


def messages_untranslated(messages: list[Message]) -> list[Message]:
    """The messages that come back in English with zh-hans active."""

    missing = []
    with translation.override("zh-hans"):
        for m in messages:
            if not needs_translation(m.msgid):
                continue
            if m.plural:
                shown = translation.ngettext(m.msgid, m.plural, 1)
            elif m.context:
                shown = translation.pgettext(m.context, m.msgid)
            else:
                shown = translation.gettext(m.msgid)
            if shown == m.msgid:
                missing.append(m)
    return missing


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


PO_HEADER = """# Translations of the {area} area (ADR 0005).
msgid ""
msgstr ""
"Project-Id-Version: casework {area}\\n"
"Language: zh_Hans\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""


def po_append(catalogue: Path, area: str, messages: list[Message]) -> int:
    """Append `messages` (empty msgstr, to be filled) to an area's catalogue, creating it;
    messages already in it are left alone. Returns how many were added."""
    catalogue.parent.mkdir(parents=True, exist_ok=True)
    text = catalogue.read_text(encoding="utf-8") if catalogue.exists() else ""
    if not text:
        text = PO_HEADER.format(area=area)
    added = 0
    seen: set[tuple[str, str]] = set()
    for m in messages:
        if (m.context, m.msgid) in seen or f"\nmsgid {po_quote(m.msgid)}\n" in text:
            continue
        seen.add((m.context, m.msgid))
        entry = f"\n#: {m.where}\n"
        if m.context:
            entry += f"msgctxt {po_quote(m.context)}\n"
        entry += f"msgid {po_quote(m.msgid)}\n"
        if m.plural:
            entry += f'msgid_plural {po_quote(m.plural)}\nmsgstr[0] ""\n'
        else:
            entry += 'msgstr ""\n'
        text += entry
        added += 1
    catalogue.write_text(text, encoding="utf-8")
    return added
