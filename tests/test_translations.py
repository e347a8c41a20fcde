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
