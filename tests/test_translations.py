"""The zh-hans catalogue is complete: every message has a Chinese translation."""

import os
import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest

from casework.management.messages import messages_extract, messages_untranslated

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


def test_every_label_template_string_and_message_has_a_translation(tmp_path):
    root = Path(__file__).resolve().parent.parent
    messages = messages_extract(root, tmp_path)
    assert len(messages) > 500  # the extraction itself works
    assert [f"{m.where}: {m.msgid}" for m in messages_untranslated(messages)] == []


def test_an_untranslated_english_label_in_a_template_is_caught(tmp_path):
    root = tmp_path / "project"
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "page.html").write_text(
        '{% load i18n %}<p>{% translate "Log out" %}</p>\n<p>{% translate "Planted label" %}</p>'
    )
    work = tmp_path / "work"
    work.mkdir()
    missing = messages_untranslated(messages_extract(root, work))
    assert [(m.where, m.msgid) for m in missing] == [("templates/page.html:2", "Planted label")]


@pytest.mark.django_db
def test_messages_missing_adds_only_the_new_messages_to_one_area(tmp_path, settings):
    root = tmp_path / "project"
    (root / "casework").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "casework" / "views.py").write_text(
        'from django.utils.translation import gettext as _\n_("Log out")\n_("A new label")\n'
    )
    settings.BASE_DIR = root
    out = StringIO()
    call_command("messages_missing", area="newarea", stdout=out)
    po = root / "locale/extra/newarea/zh_Hans/LC_MESSAGES/django.po"
    text = po.read_text()
    assert 'msgid "A new label"\nmsgstr ""' in text
    assert "Log out" not in text  # Django translates it already
    assert "fuzzy" not in text
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.po")) == [
        "locale/extra/newarea/zh_Hans/LC_MESSAGES/django.po"
    ]
    call_command("messages_missing", area="newarea", stdout=StringIO())
    assert po.read_text() == text  # run twice, added once


@pytest.mark.django_db
def test_messages_missing_sees_a_msgstr_filled_or_cleared_since_the_last_run(tmp_path, settings):
    # Each run recompiles the edited catalogue and reads it afresh (Python's gettext kept the
    # .mo it had read: the first run after an edit reported the state before it).
    root = tmp_path / "project"
    (root / "casework").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "casework" / "views.py").write_text(
        'from django.utils.translation import gettext as _\n_("A label to fill")\n'
    )
    settings.BASE_DIR = root
    call_command("messages_missing", area="fillin", stdout=StringIO())
    locale = root / "locale/extra/fillin"
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, str(locale)]
    po = locale / "zh_Hans/LC_MESSAGES/django.po"
    empty = po.read_text()
    filled = empty.replace(
        'msgid "A label to fill"\nmsgstr ""', 'msgid "A label to fill"\nmsgstr "待填写的标签"'
    )
    assert filled != empty
    for text, expected in (
        (empty, "共 1 条未翻译"),
        (filled, "所有界面文字都已有中文翻译"),
        (empty, "共 1 条未翻译"),
        (filled, "所有界面文字都已有中文翻译"),
    ):
        po.write_text(text)
        mo = po.with_suffix(".mo")
        if mo.exists():  # the edit is newer than the last compile, as after a save
            os.utime(mo, (mo.stat().st_mtime - 10, mo.stat().st_mtime - 10))
        out = StringIO()
        call_command("messages_missing", stdout=out)
        assert expected in out.getvalue(), (expected, out.getvalue())
