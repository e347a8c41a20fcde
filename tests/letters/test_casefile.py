"""The case file (案卷): one PDF whose text holds the case number, every letter's number,
every event and the deadline explanation; the letters are their frozen PDFs; the download
is access-checked (404 for another division)."""

import io

import pikepdf
import pytest

from casework.choices import CaseStatus
from casework.models import Case
from letters.casefile import casefile_pdf
from letters.models import Letter
from letters.services import letter_issue
from tests.conftest import NOW
from tests.letters.test_letters import _clean, approved, pdf_text  # noqa: F401 - fixture


@pytest.fixture
def replied(approved, act, users):  # noqa: F811
    case = approved("partial", files="安置计划1份", withheld="第五条报价明细")
    letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)
    act(case, "issue_reply", "registrar")
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    return case


@pytest.mark.django_db
def test_the_case_file_holds_the_number_letters_events_and_deadline(replied, tmp_path):
    data = casefile_pdf(replied, generated_by="王登记")
    assert data.startswith(b"%PDF")
    text = _clean(pdf_text(data, tmp_path))
    assert _clean(replied.number) in text
    letters = list(Letter.objects.filter(case=replied).order_by("issued_at"))
    assert len(letters) == 2
    for letter in letters:
        assert text.count(_clean(letter.number)) >= 2  # in the contents and on the letter
    from casework.lifecycle.table import event_kind_label

    for event in replied.events.all():
        assert _clean(event_kind_label(event.kind)) in text, event.kind
    assert "第五条报价明细" in text  # what was withheld
    assert "第三十三条" in text  # the deadline explanation
    with pikepdf.open(io.BytesIO(data)) as merged:
        own = 0
        for letter in letters:
            with pikepdf.open(io.BytesIO(letter.pdf.open("rb").read())) as frozen:
                own += len(frozen.pages)
        assert len(merged.pages) > own  # the front pages, then the letters as issued
        front = len(merged.pages) - own
        with merged.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert any(letters[0].number in t for t in titles)
    # the contents give each letter's first page in the file
    assert f"第{front + 1}页" in text


@pytest.mark.django_db
def test_the_download_is_for_those_who_may_see_the_case(client, replied, users):
    client.force_login(users["liaison_a"])
    response = client.get(f"/letters/casefile/{replied.number}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")
    assert replied.number in client.get(f"/cases/{replied.number}/").content.decode()
    client.force_login(users["liaison_b"])
    assert client.get(f"/letters/casefile/{replied.number}/").status_code == 404
    assert client.get("/letters/casefile/2099-9999/").status_code == 404
    client.logout()
    assert client.get(f"/letters/casefile/{replied.number}/").status_code == 302
    assert Case.objects.filter(pk=replied.pk).exists()
