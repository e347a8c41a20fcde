"""The zh-hans catalogue is complete: every message has a Chinese translation."""

import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = [
    LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po",
    *sorted(LOCALE.glob("extra/*/zh_Hans/LC_MESSAGES/django.po")),
]


def _entries():
    text = "\n\n".join(po.read_text(encoding="utf-8") for po in CATALOGUES)
    for raw in text.split("\n\n"):
        block = "\n".join(line for line in raw.splitlines() if not line.startswith("#|"))
        if "msgid " not in block:
            continue
        msgid = "".join(
            re.findall(
                r'^(?:msgid )?"(.*)"$',
                block.split("msgid_plural")[0].split("msgstr")[0].split("msgid ", 1)[1],
                re.M,
            )
        )
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1]))
        yield msgid, msgstr, block


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = [
        msgid
        for msgid, msgstr, block in _entries()
        if msgid and (not msgstr or "#, fuzzy" in block)
    ]
    assert missing == []


def test_translations_keep_their_placeholders():
    for msgid, msgstr, _block in _entries():
        if not msgid:
            continue
        for pattern in (r"%\(\w+\)[sd]", r"\{\w+\}"):
            assert sorted(re.findall(pattern, msgid)) == sorted(re.findall(pattern, msgstr)), msgid


# --- every message the code and the templates use has a zh-hans translation ---------------------

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


def extracted_messages(root: Path, tmp: Path) -> list[tuple[str, str, str, str]]:
    """(context, msgid, plural, where) of every translatable string in the project's Python
    code and templates, extracted as makemessages does (xgettext; templates templatized)."""
    import subprocess

    from django.utils.translation.template import templatize

    sources = [p.relative_to(root) for d in SOURCE_DIRS for p in sorted((root / d).rglob("*.py"))]
    for template in sorted((root / "templates").rglob("*.html")):
        code = templatize(template.read_text(encoding="utf-8"), origin=str(template))
        target = tmp / (str(template.relative_to(root)).replace("/", "__") + ".py")
        target.write_text(code, encoding="utf-8")
        sources.append(target)
    pot = tmp / "messages.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--no-wrap",
            *(f"--keyword={k}" for k in KEYWORDS),
            "-o",
            str(pot),
            *map(str, sources),
        ],
        check=True,
        cwd=root,
    )
    messages = []
    for block in pot.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        where = ""
        key = ""
        for line in block.splitlines():
            if line.startswith("#:"):
                where = where or line[2:].strip().split(" ")[0]
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        msgid = fields.get("msgid", "").encode().decode("unicode_escape").encode("latin-1")
        text = msgid.decode("utf-8") if msgid else ""
        if text:
            messages.append(
                (fields.get("msgctxt", ""), text, fields.get("msgid_plural", ""), where)
            )
    return messages


def untranslated(messages: list[tuple[str, str, str, str]]) -> list[str]:
    """The messages that zh-hans leaves in English (Django's own catalogues count too)."""
    from django.utils import translation

    missing = []
    with translation.override("zh-hans"):
        for context, msgid, plural, where in messages:
            words = re.sub(r"%\(\w+\)[sd]|\{\w+\}", "", msgid)
            if not re.search(r"[A-Za-z]{2}", words) or re.fullmatch(r"[A-Z0-9\- ]+", words):
                continue  # no English words (or an acronym: PDF, HTML, SHA-256): as it is
            if plural:
                shown = translation.ngettext(msgid, plural, 1)
            elif context:
                shown = translation.pgettext(context, msgid)
            else:
                shown = translation.gettext(msgid)
            if shown == msgid:
                missing.append(f"{where}: {msgid}")
    return missing


def test_every_label_template_string_and_message_has_a_translation(tmp_path):
    root = Path(__file__).resolve().parent.parent
    messages = extracted_messages(root, tmp_path)
    assert len(messages) > 500  # the extraction itself works
    assert untranslated(messages) == []


def test_an_untranslated_english_label_is_caught(tmp_path):
    planted = [("", "Planted label nobody translated", "", "casework/planted.py:1")]
    assert untranslated(planted) == ["casework/planted.py:1: Planted label nobody translated"]
