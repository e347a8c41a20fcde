"""Issue 24 point 5: the history shows words, not values: no True, no Python dict, no ISO
date, no "申请人（申请人）"; names family name first."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import translation

import pytest

from casework.templatetags.casework_tags import (
    cn_moment,
    event_actor,
    event_details,
    person_name,
    plain_value,
)


def _event(kind: str, **payload):
    return SimpleNamespace(kind=kind, payload=payload)


def test_values_are_words():
    with translation.override("zh-hans"):
        assert plain_value(True) == "是"
        assert plain_value(False) == "否"
        assert plain_value("2026-03-05") == "2026年3月5日"
        assert plain_value(["2026-03-05", "甲"]) == "2026年3月5日、甲"
        shown = plain_value({"reply_due_on": "2026-03-05"})
        assert "{" not in shown
        assert "2026年3月5日" in shown


def test_a_corrected_request_reads_as_a_change_not_a_dict():
    with translation.override("zh-hans"):
        rows = event_details(
            _event("receive_correction", corrected={"subject": ["旧的内容", "新的内容"]})
        )
    text = " ".join(value for _label, value in rows)
    assert "{" not in text
    assert "[" not in text
    assert "旧的内容 → 新的内容" in text


def test_changed_time_limits_read_as_chinese_dates():
    with translation.override("zh-hans"):
        rows = event_details(
            _event("recompute", clock_changes={"reply_due_on": ["2026-03-05", "2026-03-09"]})
        )
    text = " ".join(value for _label, value in rows)
    assert "2026年3月5日 → 2026年3月9日" in text
    assert "2026-03" not in text


def test_a_first_due_date_reads_as_the_date_alone():
    """Found on the case page: 确认收到 showed "时限预算：None → 2027年1月5日" (a time limit set
    for the first time has no old value)."""
    with translation.override("zh-hans"):
        rows = event_details(
            _event(
                "confirm_receipt",
                clock_changes={
                    "reply_due_on": [None, "2027-01-05"],
                    "dates_provisional": [None, False],
                },
            )
        )
    text = " ".join(value for _label, value in rows)
    assert "None" not in text
    assert "→" not in text
    assert "2027年1月5日" in text
    assert plain_value(None) == ""


def test_no_value_in_any_event_reads_as_python():
    with translation.override("zh-hans"):
        rows = event_details(_event("extend", days=15, reason="需调档", confirmed=True))
    text = " ".join(value for _label, value in rows)
    assert "True" not in text


def test_actor_is_not_doubled():
    assert event_actor(SimpleNamespace(actor_name="申请人", actor_role="申请人")) == "申请人"
    assert event_actor(SimpleNamespace(actor_name="系统", actor_role="系统")) == "系统"
    assert (
        event_actor(SimpleNamespace(actor_name="王登记", actor_role="登记员")) == "王登记（登记员）"
    )


def test_moment_is_chinese_in_beijing_time():
    assert cn_moment(datetime(2026, 3, 5, 2, 30, tzinfo=UTC)) == "2026年3月5日 10:30"
    assert cn_moment(None) == ""


@pytest.mark.django_db
def test_person_name_is_family_name_first():
    user = get_user_model().objects.create_user(username="u1", first_name="就业", last_name="杨")
    assert person_name(user) == "杨就业"


@pytest.mark.django_db
def test_case_history_page_has_no_raw_values(client, users, receive_flow, act):
    case = receive_flow()
    act(case, "register", "registrar")
    client.force_login(users["registrar"])
    html = client.get(f"/cases/{case.number}/").content.decode()
    history = html.split('class="history"', 1)[1].split("</ol>", 1)[0]
    assert "True" not in history
    assert "（登记员）" in history
    assert "系统（系统）" not in history
    assert "申请人（申请人）" not in history
    import re

    assert not re.search(r"\d{4}-\d{2}-\d{2}", history)
