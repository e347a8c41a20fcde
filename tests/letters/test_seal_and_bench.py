import io
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

import pytest
from PIL import Image

from letters.models import Letter
from letters.services import letter_issue
from tests.conftest import NOW


def _png(size=(300, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 0, 0, 128)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_seal_must_be_an_image_and_small(organ):
    organ.seal = SimpleUploadedFile("seal.png", b"not an image at all", content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        organ.full_clean()
    assert "seal" in excinfo.value.message_dict
    organ.seal = SimpleUploadedFile(
        "seal.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1), content_type="image/png"
    )
    with pytest.raises(ValidationError) as excinfo:
        organ.full_clean()
    assert any("1 MB" in m for m in excinfo.value.message_dict["seal"])


@pytest.mark.django_db
def test_uploaded_seal_is_embedded(organ, receive_flow, users, act, divisions):
    organ.seal = SimpleUploadedFile("seal.png", _png(), content_type="image/png")
    organ.full_clean()
    organ.save()
    case = receive_flow()
    act(case, "register", "registrar")
    letter = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    # A receipt no head approved carries no seal (the seal follows the approval).
    assert b"/Subtype /Image" not in Letter.objects.get(pk=letter.pk).pdf.read()
    act(case, "assign", "head", on=NOW.date(), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=NOW.date())
    act(case, "extend", "head", on=NOW.date(), days=10, reason="需要调取档案")
    letter = letter_issue(number=case.number, kind="extension", actor=users["head"], now=NOW)
    assert b"/Subtype /Image" in Letter.objects.get(pk=letter.pk).pdf.read()


@pytest.mark.django_db
def test_bench_letters_prints_its_figures():
    out = StringIO()
    call_command("bench_letters", "--count", "3", stdout=out)
    text = out.getvalue()
    assert "p50" in text
    assert "p95" in text
    assert "memory after the first letter" in text


@pytest.mark.django_db
def test_letter_sample_writes_a_pdf(tmp_path):
    out = tmp_path / "sample.pdf"
    call_command(
        "letter_sample", "reply.refused.process_information", "--out", str(out), stdout=StringIO()
    )
    assert out.read_bytes().startswith(b"%PDF")
