"""Issue 22, finding 1: dangerous PDFs were accepted as identity proofs and online corrections
because only top-level dictionaries were inspected (a JavaScript /OpenAction written as a
direct dictionary, a /Launch, a /GoToR to a UNC path, a page's /AA JavaScript); the
correction upload took 14 files in a row. Each attack here is the one that got through;
each must now fail: refused with a Chinese message, or stored only as a rebuilt copy."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

import pikepdf
import pypdfium2
import pytest

from casework.attachments import attachment_add
from casework.errors import InvalidInput
from casework.models import Attachment, Case, Event
from casework.pdf_rebuild import pdf_dangers
from casework.portal import query_code_digest
from tests.conftest import real_pdf
from tests.workflows.portal.test_portal import _form

UNC = "\\\\198.51.100.7\\share\\x.pdf"


def _attack(kind: str) -> bytes:
    """A one-page PDF with the attack written as direct (nested) dictionaries: nothing at the
    top level of any indirect object names it."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0].obj
    js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    if kind == "openaction_js":
        pdf.Root.OpenAction = js
    elif kind == "launch":
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.Launch,
            Win=pikepdf.Dictionary(F=pikepdf.String("cmd.exe"), P=pikepdf.String("/c calc")),
        )
    elif kind == "gotor_unc":
        page.Annots = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[0, 0, 595, 842],
                    A=pikepdf.Dictionary(
                        S=pikepdf.Name.GoToR, F=pikepdf.String(UNC), D=pikepdf.Array([0])
                    ),
                )
            ]
        )
    elif kind == "page_aa_js":
        page.AA = pikepdf.Dictionary(O=js)
    elif kind == "names_js":
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), js]))
        )
    elif kind == "deep_annotation_js":  # three levels down: annotation → /AA → /Fo
        widget = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Tx,
                T=pikepdf.String("f"),
                Rect=[0, 0, 10, 10],
                AA=pikepdf.Dictionary(Fo=pikepdf.Dictionary(Next=pikepdf.Array([js]))),
            )
        )
        page.Annots = pikepdf.Array([widget])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([widget]))
    elif kind == "xfa":
        pdf.Root.AcroForm = pikepdf.Dictionary(
            Fields=pikepdf.Array(), XFA=pikepdf.Stream(pdf, b"<xdp:xdp/>")
        )
    elif kind == "uri_unc":
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(UNC))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


ATTACKS = [
    "openaction_js",
    "launch",
    "gotor_unc",
    "page_aa_js",
    "names_js",
    "deep_annotation_js",
    "xfa",
    "uri_unc",
]


def _old_check_passes(data: bytes) -> bool:
    """The inspection before issue 22 (top-level keys and /S of indirect objects only): the
    attack files were built so that it finds nothing, which is the finding."""
    active = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA"}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for item in pdf.objects:
            obj = item.stream_dict if isinstance(item, pikepdf.Stream) else item
            if isinstance(obj, pikepdf.Dictionary) and (
                any(str(k) in active for k in obj) or str(obj.get("/S", "")) in active
            ):
                return False
    return True


@pytest.mark.parametrize("kind", ATTACKS)
def test_the_attack_files_hide_from_a_top_level_inspection_but_not_from_the_walk(kind):
    data = _attack(kind)
    if kind != "xfa":  # XFA is a stream, an indirect object: the old check saw that one
        assert _old_check_passes(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf_dangers(pdf)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ATTACKS)
def test_the_apply_form_refuses_every_attack_as_identity_proof(client, organ, kind):
    upload = SimpleUploadedFile("身份证明.pdf", _attack(kind), content_type="application/pdf")
    response = client.post("/apply/", _form(id_proof=upload), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 400
    assert "含有脚本、动作或嵌入文件" in response.content.decode()
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0


@pytest.fixture
def awaiting_correction(client, receive, fire):
    case = receive(channel="online", arrived=date(2026, 3, 2))
    fire(case, "confirm_receipt", "registrar", on=date(2026, 3, 3))
    fire(case, "register", "registrar", on=date(2026, 3, 3))
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 4),
        items="请补充身份证明",
        deadline_on="2026-03-18",
    )
    code = "ABCD-EFGH-JKLM"
    Case.objects.filter(pk=case.pk).update(query_code_digest=query_code_digest(case.number, code))
    client.post("/track/", {"number": case.number, "code": code})
    return case


def _correct(client, case, files):
    return client.post(
        f"/track/{case.number}/correction/", {"text": "补充身份证明。", "files": files}
    )


@pytest.mark.django_db
def test_the_correction_upload_refuses_every_attack(client, awaiting_correction):
    case = awaiting_correction
    for kind in ATTACKS:
        upload = SimpleUploadedFile(f"{kind}.pdf", _attack(kind), "application/pdf")
        response = _correct(client, case, [upload])
        assert response.status_code == 400, kind
        assert "含有脚本、动作或嵌入文件" in response.content.decode(), kind
    assert not case.attachments.exists()
    assert not Event.objects.filter(case=case, kind="submit_correction").exists()


@pytest.mark.django_db
def test_fourteen_correction_files_in_one_submission_are_refused(
    client, awaiting_correction, settings
):
    assert settings.CORRECTION_MAX_FILES == 5  # the default
    case = awaiting_correction
    files = [SimpleUploadedFile(f"{n}.pdf", real_pdf(), "application/pdf") for n in range(14)]
    response = _correct(client, case, files)
    assert response.status_code == 400
    assert "每次补正最多可提交 5 个文件，您选择了 14 个" in response.content.decode()
    assert not case.attachments.exists()
    five = [SimpleUploadedFile(f"{n}.pdf", real_pdf(), "application/pdf") for n in range(5)]
    assert _correct(client, case, five).status_code == 302
    assert case.attachments.filter(kind="correction").count() == 5


@pytest.mark.django_db
def test_online_corrections_per_case_are_capped(client, awaiting_correction, settings):
    settings.CORRECTION_MAX_SUBMISSIONS = 2
    case = awaiting_correction
    for _round in range(2):
        one = [SimpleUploadedFile("a.pdf", real_pdf(), "application/pdf")]
        assert _correct(client, case, one).status_code == 302
    response = _correct(client, case, [SimpleUploadedFile("a.pdf", real_pdf(), "application/pdf")])
    assert response.status_code == 400
    assert "已在线提交 2 次补正" in response.content.decode()
    assert Event.objects.filter(case=case, kind="submit_correction").count() == 2
    assert case.attachments.count() == 2


def _benign_with_links() -> bytes:
    """What a plain PDF may carry and the stored copy still must not: a web link
    annotation, an open action to a page, document metadata, and text on the page."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 48 Tf 72 700 Td (ID PROOF) Tj ET")
    page.obj.Annots = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=[0, 0, 595, 842],
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("http://x.test/")),
            )
        ]
    )
    pdf.Root.OpenAction = pikepdf.Array([page.obj, pikepdf.Name.Fit])
    pdf.docinfo["/Author"] = "someone"
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _text(data: bytes) -> str:
    doc = pypdfium2.PdfDocument(data)
    try:
        return doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["id_proof", "power_of_attorney", "correction", "other"])
def test_every_attachment_kind_is_stored_rebuilt(receive, kind):
    """Identity proofs, an agent's power of attorney, corrections and intake scans all go
    through attachment_add: what is stored is the rebuilt copy, links and actions gone."""
    case = receive()
    original = _benign_with_links()
    stored = attachment_add(
        case=case, kind=kind, uploaded=SimpleUploadedFile("a.pdf", original, "application/pdf")
    )
    content = stored.file.read()
    assert content != original
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert len(pdf.pages) == 1
        assert "/OpenAction" not in pdf.Root
        assert "/Annots" not in pdf.pages[0].obj
        assert "/Author" not in pdf.docinfo
    assert b"/URI" not in content
    assert b"x.test" not in content
    assert "ID PROOF" in _text(content)  # what the page shows is kept
    assert stored.size == len(content)


@pytest.mark.django_db
def test_attachment_add_refuses_an_attack_even_when_called_directly(receive):
    case = receive()
    for kind in ATTACKS:
        with pytest.raises(InvalidInput):
            attachment_add(
                case=case,
                kind="id_proof",
                uploaded=SimpleUploadedFile("a.pdf", _attack(kind), "application/pdf"),
            )
    assert not case.attachments.exists()
