"""Before issuing: the exact PDF as a 样稿 sample; a new wording version waits for the office
head; number series per kind; after issuing: the delivery record and the proof of service."""

import io
from datetime import date

from django.urls import reverse

import pdfplumber
import pytest

from casework.errors import InvalidInput, NotPermitted
from letters.models import LetterDelivery, LetterSettings, LetterWording
from letters.services import (
    current_wording,
    letter_issue,
    letter_record_delivery,
    letter_void,
    wording_approve,
)
from tests.conftest import NOW


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "".join("".join((page.extract_text() or "").split()) for page in document.pages)


@pytest.fixture
def registered(receive_flow, act):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    return case


@pytest.mark.django_db
def test_the_pdf_sample_is_the_letter_as_issued_watermarked(client, registered, users):
    client.force_login(users["registrar"])
    url = reverse("letters:letter-preview", args=[registered.number, "acknowledgement"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        mark = [c["text"] for c in document.pages[0].chars if c["size"] > 50]
    assert mark == ["样", "稿"]  # the watermark
    assert "政府信息公开申请登记回执" in text
    letter = letter_issue(
        number=registered.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    with pdfplumber.open(io.BytesIO(letter.pdf.read())) as document:
        assert not [c for c in document.pages[0].chars if c["size"] > 50]
        issued = [
            "".join(c["text"] for c in line["chars"])
            for line in document.pages[0].extract_text_lines()
        ]
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        sample = [
            "".join(c["text"] for c in line["chars"] if c["size"] < 50)
            for line in document.pages[0].extract_text_lines()
        ]
    # The same lines with the same breaks: only the number, date and code may differ.
    body = issued[issued.index("张三：") : issued.index("特此告知。")]
    assert all(line in sample for line in body[:-1] if "月" not in line)
    bad = client.get(reverse("letters:letter-preview", args=[registered.number, "extension"]))
    assert bad.status_code == 400  # the kind does not fit the case


@pytest.mark.django_db
def test_a_new_wording_takes_effect_only_after_the_office_head_approves(client, users):
    first = current_wording("acknowledgement")
    draft = LetterWording.objects.create(
        kind="acknowledgement", version=first.version + 1, body=first.body + "\n\n新增一段。"
    )
    assert current_wording("acknowledgement") == first  # not yet in effect
    client.force_login(users["reviewer"])
    page = client.get(reverse("letters:wording-review"))
    assert page.status_code == 200
    assert "+新增一段。" in page.content.decode()  # the diff is shown
    with pytest.raises(NotPermitted):
        wording_approve(wording_id=draft.pk, actor=users["reviewer"])
    client.force_login(users["head"])
    response = client.post(reverse("letters:wording-review"), {"wording": draft.pk})
    assert response.status_code == 302
    assert current_wording("acknowledgement") == draft
    assert LetterWording.objects.filter(kind="acknowledgement").count() == 2  # versions kept


@pytest.mark.django_db
def test_number_series_per_kind(registered, users, organ):
    """Issue 21 point 8: each kind of notice has its own series, configurable per organ."""
    first = letter_issue(
        number=registered.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    assert first.number == "济退役军人依回〔2026〕1号"  # the default of letters.kinds.SERIES
    LetterSettings.objects.create(
        organ=organ, reply_series="济退役军人依复", acknowledgement_series="济退役军人登回"
    )
    void = letter_void(
        letter_id=first.pk, actor=users["reviewer"], reason="重新出具", now=NOW, reissue=True
    )
    assert void is not None
    assert void.number == "济退役军人登回〔2026〕1号"


@pytest.mark.django_db
def test_delivery_is_recorded_on_the_letter_and_printed_on_the_proof_of_service(
    client, registered, users
):
    letter = letter_issue(
        number=registered.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    blank = _text(client_get_pdf(client, users, letter))
    assert "送达回证" in blank
    assert "受送达人签名或者盖章" in blank
    assert "□直接送达" in blank
    with pytest.raises(InvalidInput):
        letter_record_delivery(
            letter_id=letter.pk,
            actor=users["registrar"],
            method="post",
            delivered_on="2026-03-01",  # before the letter was issued
            signed_by="张三",
            now=NOW,
        )
    with pytest.raises(NotPermitted):
        letter_record_delivery(
            letter_id=letter.pk,
            actor=users["liaison_a"],
            method="post",
            delivered_on="2026-03-16",
            signed_by="张三",
            now=NOW,
        )
    client.force_login(users["registrar"])
    response = client.post(
        reverse("letters:letter-delivery", args=[letter.pk]),
        {
            "method": "post",
            "delivered_on": "2026-03-16",
            "signed_by": "张三\n本人",
            "tracking_number": "EMS1234567890",
        },
    )
    assert response.status_code == 302
    delivery = LetterDelivery.objects.get(letter=letter)
    assert (delivery.method, delivery.signed_by, delivery.recorded_by) == (
        "post",
        "张三 本人",
        users["registrar"],
    )
    filled = _text(client_get_pdf(client, users, letter))
    assert "EMS1234567890" in filled
    assert "张三本人2026年3月16日" in filled
    assert (
        "张三 本人"
        in client.get(reverse("letters:letter-delivery", args=[letter.pk])).content.decode()
    )


def client_get_pdf(client, users, letter) -> bytes:
    client.force_login(users["registrar"])
    response = client.get(reverse("letters:letter-service-proof", args=[letter.pk]))
    assert response.status_code == 200
    return response.content


@pytest.mark.django_db
def test_a_pending_first_version_never_takes_effect_by_default():
    pending = LetterWording.objects.create(kind="correction", version=1, body="未经批准的措辞。")
    current = current_wording("correction")
    assert current != pending
    assert current.version == 2
    assert current.approved_at is not None
    assert "补正" in current.body


@pytest.mark.django_db
def test_the_reworded_letters_reach_existing_organs_through_approval(monkeypatch):
    import hashlib
    import importlib

    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("letters.migrations.0008_reworded_letters")
    shipped_old = "本机关于{{ received_on_cn }}收到您的申请。（旧版）"
    LetterWording.objects.create(
        kind="extension", version=1, body=shipped_old, approved_at=timezone.now()
    )
    LetterWording.objects.create(
        kind="fee_notice", version=1, body="本机关自拟的收费通知。", approved_at=timezone.now()
    )
    monkeypatch.setitem(
        migration.SHIPPED_BEFORE,
        "extension",
        [hashlib.sha256(shipped_old.encode()).hexdigest()[:16]],
    )
    migration.add_new_wordings(apps, None)
    extension = LetterWording.objects.get(kind="extension", version=2)
    assert extension.approved_at is not None  # the organ never changed it: in effect at once
    assert current_wording("extension") == extension
    fee = LetterWording.objects.get(kind="fee_notice", version=2)
    assert fee.approved_at is None  # the organ's own wording stays until the head approves
    assert current_wording("fee_notice").version == 1
