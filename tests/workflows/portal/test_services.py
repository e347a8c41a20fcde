"""The portal's service: an online application with its query code, without the web face."""

import pytest

from casework.errors import InvalidInput
from casework.models import Case, Notification
from casework.portal import case_for_tracking
from tests.conftest import NOW, REQUEST, person
from workflows.portal.services import application_submit


def _submit(organ, **overrides):
    data = {
        "organ": organ,
        "applicant": person(email="liming@example.com"),
        "request": REQUEST,
        "attachments": [],
        "submission_token": "tok-1",
        "now": NOW,
    }
    data.update(overrides)
    return application_submit(**data)


@pytest.mark.django_db
def test_application_submit_binds_the_code_and_tells_applicant_and_office(organ, users):
    users["registrar"].email = "registrar@example.gov.cn"
    users["registrar"].save()
    submission = _submit(organ)
    case = submission.case
    assert submission.created is True
    assert (case.channel, case.status, case.received_on) == ("online", "received", None)
    assert case_for_tracking(case.number, submission.query_code) == case
    assert case_for_tracking(case.number, "AAAA-BBBB") is None
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert keys == {f"applied:{case.pk}", f"office-new:{case.pk}"}
    applied = Notification.objects.get(dedupe_key=f"applied:{case.pk}")
    assert applied.to == ["liming@example.com"]
    assert f"查询码：{submission.query_code}\n" in applied.body


@pytest.mark.django_db
def test_application_submit_twice_returns_the_first_case_and_keeps_its_code(organ):
    first = _submit(organ, query_code="ABCD-EFGH")
    again = _submit(organ, query_code="ZZZZ-YYYY")
    assert again.case.pk == first.case.pk
    assert again.created is False
    assert Case.objects.count() == 1
    assert case_for_tracking(first.case.number, "abcd efgh") == first.case
    assert case_for_tracking(first.case.number, "ZZZZ-YYYY") is None
    assert Notification.objects.filter(dedupe_key__startswith="applied:").count() == 1


@pytest.mark.django_db
def test_application_submit_without_email_sends_the_applicant_nothing(organ):
    submission = _submit(organ, applicant=person(email=""))
    assert submission.case.query_code_digest
    assert not Notification.objects.filter(dedupe_key__startswith="applied:").exists()


@pytest.mark.django_db
def test_application_submit_with_bad_input_stores_nothing(organ):
    with pytest.raises(InvalidInput):
        _submit(organ, applicant=person(phone="123"))
    assert not Case.objects.exists()
    assert not Notification.objects.exists()
