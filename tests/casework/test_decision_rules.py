"""The substance rules of casework.decision_rules on their own (no database)."""

from types import SimpleNamespace

import pytest

from casework.decision_rules import contact_problem, placeholder_problem, same_applicant


@pytest.mark.parametrize(
    "text",
    [
        "无",
        "略",
        "同上",
        "见上",
        "/",
        "-",
        "N/A",
        "n/a",
        "暂无",
        "啊啊啊",
        "哈哈哈哈",
        "。。。",
        "——",
        " 无。",
        "（略）",
    ],
)
def test_placeholders_are_refused_with_a_chinese_message(text):
    problem = placeholder_problem(text, min_chars=10)
    assert problem is not None
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem), problem


def test_reasons_shorter_than_the_setting_are_refused(settings):
    assert "至少10" in str(placeholder_problem("属于过程信息", min_chars=10))
    assert placeholder_problem("属于内部研究过程中形成的讨论稿", min_chars=10) is None
    settings.REASON_MIN_CHARS = 4
    from casework.decision_rules import DecisionCheck, _check_text

    check = DecisionCheck()
    _check_text(check, "refused.process_information", {"reasons": "属于过程信息"})
    assert check.problems == []


def test_places_and_terms_may_be_short_but_not_placeholders():
    assert placeholder_problem("档案室") is None
    assert placeholder_problem("OA") is None
    assert placeholder_problem("无") is not None


def test_a_contact_is_a_phone_or_an_address():
    assert contact_problem("0531-12345678") is None
    assert contact_problem("济南市历下区龙奥北路1号") is None
    assert contact_problem("电话") is not None
    assert contact_problem("无") is not None


def _person(**kw):
    base = {"id_type": "resident_id", "id_number": "", "credit_code": "", "name": "张三"}
    base.update({"phone": "", "email": ""}, **kw)
    return SimpleNamespace(**base)


def test_same_applicant_by_document_or_by_name_and_phone_or_email():
    assert same_applicant(
        _person(id_number="370102198001011237"),
        _person(id_number="370102198001011237", name="张叁"),
    )
    assert not same_applicant(
        _person(id_number="370102198001011237"), _person(id_number="11010519491231002X")
    )
    assert same_applicant(_person(phone="13800138000"), _person(phone="13800138000"))
    assert same_applicant(_person(email="a@b.cn"), _person(email="A@B.CN"))
    assert not same_applicant(_person(phone="13800138000"), _person(phone="13900139000"))
    assert not same_applicant(_person(name="李四", phone="1"), _person(phone="1"))
