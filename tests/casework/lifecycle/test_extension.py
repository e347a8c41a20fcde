"""Issue 11 point 10: an extension is requested (officer, with reason), then approved or
rejected by the head (form prefilled); one pending request at a time; the applicant's notice
carries the statutory wording and the approved days, never the head's internal note; the case
warns until the notice is issued."""

import re
from datetime import date

import pytest

from casework.errors import WrongState
from casework.models import Case
from casework.selectors import case_warnings
from letters.services import letter_issue
from tests.conftest import NOW
from workflows.workbench.forms import transition_form


@pytest.fixture
def investigating(receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    fire(case, "claim", "liaison_a", on=date(2026, 3, 2))
    return case


@pytest.mark.django_db
def test_request_approve_notice(investigating, fire, users):
    case = investigating
    fire(case, "request_extension", "liaison_a", days=10, reason="需调取2019年以前的纸质档案")
    with pytest.raises(WrongState):  # one pending request at a time
        fire(case, "request_extension", "liaison_a", days=5, reason="再次申请")
    form = transition_form("extend", Case.objects.get(pk=case.pk))
    assert form.initial["days"] == 10
    assert form.initial["reason"] == "需调取2019年以前的纸质档案"
    fire(
        case,
        "extend",
        "head",
        days=10,
        reason="需调取2019年以前的纸质档案。",
        note="同意延期10个工作日。",
    )
    case.refresh_from_db()
    assert case.extension_days == 10
    assert any("延期答复告知书" in w for w in case_warnings(case))
    letter = letter_issue(number=case.number, kind="extension", actor=users["registrar"], now=NOW)
    text = re.sub(r"<[^>]+>|\s", "", letter.html)  # the letter is set line by line
    assert "同意延期" not in text
    assert "因需调取2019年以前的纸质档案，本机关不能在20个工作日内作出答复" in text
    assert "延长10个工作日" in text
    assert not any("延期答复告知书" in w for w in case_warnings(Case.objects.get(pk=case.pk)))


@pytest.mark.django_db
def test_reject_then_ask_again(investigating, fire):
    case = investigating
    with pytest.raises(WrongState):  # nothing to decide
        fire(case, "reject_extension", "head", reason="无")
    fire(case, "request_extension", "liaison_a", days=10, reason="材料多")
    fire(case, "reject_extension", "head", reason="可以按期答复")
    assert Case.objects.get(pk=case.pk).extension_days == 0
    fire(case, "request_extension", "liaison_a", days=5, reason="第三方意见未回")
