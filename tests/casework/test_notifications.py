"""E-mail wording from templates: subject and body split, plain text, keyed once."""

from datetime import date

import pytest

from casework.models import Notification
from casework.notifications import email_render, notify_template


def test_email_render_splits_subject_and_body_and_escapes_nothing(settings):
    settings.SITE_URL = "https://ogi.example.gov.cn"
    subject, body = email_render(
        "office_digest",
        {
            "today": date(2026, 3, 23),
            "open": 3,
            "overdue": 1,
            "soon": 0,
            "soon_days": 3,
            "unconfirmed": 2,
        },
    )
    assert subject == "依申请公开办理日报 2026-03-23：超期 1 件，即将到期 0 件"
    assert body.endswith("https://ogi.example.gov.cn/supervision/")
    assert not body.endswith("\n")
    _, body = email_render("urge", {"message": "A&B <请尽快>", "case": None})
    assert body.startswith("A&B <请尽快>\n\n")


def test_email_render_refuses_a_template_without_a_subject_line(tmp_path, settings):
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "broken.txt").write_text("one\ntwo\n\nbody\n", encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    with pytest.raises(ValueError, match="first line is the subject"):
        email_render("broken", {})


@pytest.mark.django_db
def test_notify_template_queues_once_per_key_and_needs_a_recipient():
    context = {"message": "m", "case": None}
    assert notify_template(key="k", to=["", ""], template="urge", context=context) is None
    first = notify_template(key="k", to=["b@x.cn", "a@x.cn"], template="urge", context=context)
    again = notify_template(key="k", to=["c@x.cn"], template="urge", context=context)
    assert first is not None
    assert again is not None
    assert again.pk == first.pk
    assert Notification.objects.get().to == ["a@x.cn", "b@x.cn"]
