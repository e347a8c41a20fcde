"""The burn-in and the redact_pdf command on real PDFs made here: nothing redacted can be
extracted afterwards, by any extractor; page count kept; metadata and active content gone;
bad input refused with a Chinese message."""

import io
import json
import subprocess

from django.core.management import call_command
from django.utils import translation

import pikepdf
import pypdfium2
import pytest
from PIL import Image

from letters.records import pdf
from letters.records.samples import (
    SAMPLE_CARD,
    SAMPLE_EMAIL,
    SAMPLE_ID,
    SAMPLE_MOBILE,
    SAMPLE_NAME,
    SAMPLE_PHONE,
    SAMPLE_PLATE,
)

SECRETS = [SAMPLE_ID, SAMPLE_MOBILE, SAMPLE_EMAIL, SAMPLE_PHONE, SAMPLE_CARD, SAMPLE_NAME]


def pdftotext(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdfium_text(data: bytes) -> str:
    doc = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def raw_streams(data: bytes) -> bytes:
    """Every object's decoded stream data and every string, concatenated (what a low-level
    extractor could find)."""
    chunks = [data]
    with pikepdf.open(io.BytesIO(data)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
            elif isinstance(obj, pikepdf.String):
                chunks.append(bytes(obj))
    return b"\n".join(chunks)


def assert_nothing_recoverable(path, data: bytes, secrets) -> None:
    text = pdftotext(path)
    extracted = pdfium_text(data)
    raw = raw_streams(data)
    compact = "".join(text.split())
    for secret in secrets:
        assert secret not in text, secret
        assert secret not in compact, secret
        assert secret not in "".join(extracted.split()), secret
        for encoding in ("utf-8", "utf-16-be"):
            assert secret.encode(encoding) not in raw, (secret, encoding)


def assert_clean(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert len(doc.docinfo.keys()) == 0
        assert "/Metadata" not in doc.Root
        for key in ("/Outlines", "/Names", "/AcroForm", "/OpenAction", "/AA"):
            assert key not in doc.Root
        for page in doc.pages:
            assert "/Annots" not in page.obj
            assert "/AA" not in page.obj


def test_apply_pii_on_a_text_pdf_leaves_nothing_recoverable(tmp_path, text_pdf):
    source = tmp_path / "in.pdf"
    source.write_bytes(text_pdf)
    # The input really holds every secret (else the test could not fail).
    assert all(s in "".join(pdftotext(source).split()) for s in SECRETS)
    out = tmp_path / "out.pdf"
    call_command("redact_pdf", str(source), str(out), "--apply-pii", "--names", SAMPLE_NAME)
    data = out.read_bytes()
    assert_nothing_recoverable(out, data, [*SECRETS, SAMPLE_PLATE])
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert len(doc.pages) == 2
    assert_clean(data)
    # The fresh OCR text layer keeps what was not withheld.
    assert "调查报告" in "".join(pdftotext(out).split())


def test_apply_pii_on_a_scan_ocrs_and_redacts(tmp_path, scanned_pdf):
    source = tmp_path / "scan.pdf"
    source.write_bytes(scanned_pdf)
    assert pdftotext(source).strip() == ""  # no text layer: only OCR can find anything
    out = tmp_path / "out.pdf"
    call_command("redact_pdf", str(source), str(out), "--apply-pii")
    data = out.read_bytes()
    assert_nothing_recoverable(out, data, [SAMPLE_ID, SAMPLE_MOBILE, SAMPLE_EMAIL, SAMPLE_PHONE])
    assert_clean(data)


def test_boxes_json_paints_opaque_boxes_and_whole_pages(tmp_path, text_pdf):
    source = tmp_path / "in.pdf"
    source.write_bytes(text_pdf)
    boxes = tmp_path / "boxes.json"
    boxes.write_text(
        json.dumps(
            [
                {"page": 1, "box": [0.1, 0.1, 0.9, 0.2], "ground": "art16_2"},
                {"page": 2, "whole_page": True, "ground": "art14"},
            ]
        )
    )
    out = tmp_path / "out.pdf"
    call_command("redact_pdf", str(source), str(out), "--boxes", str(boxes), "--no-ocr")
    data = out.read_bytes()
    assert pdftotext(out).strip() == ""  # rebuilt from pictures, no OCR asked: no text at all
    doc = pypdfium2.PdfDocument(data)
    first = doc[0].render(scale=1).to_pil().convert("L")
    second = doc[1].render(scale=1).to_pil().convert("L")
    doc.close()
    w, h = first.size
    inside = first.crop((int(w * 0.15), int(h * 0.12), int(w * 0.85), int(h * 0.18)))
    assert inside.getextrema()[1] < 60 or _mostly_black(inside)
    middle = second.crop((int(w * 0.2), int(h * 0.2), int(w * 0.3), int(h * 0.3)))
    assert middle.getextrema()[1] < 40  # the withheld page is painted


def _mostly_black(image) -> bool:
    histogram = image.histogram()
    return sum(histogram[:60]) / sum(histogram) > 0.9


def test_metadata_annotations_javascript_outlines_and_attachments_are_gone(tmp_path, text_pdf):
    with pikepdf.open(io.BytesIO(text_pdf)) as doc:
        doc.docinfo["/Author"] = "张三"
        doc.docinfo["/Title"] = SAMPLE_ID
        with doc.open_metadata() as meta:
            meta["dc:creator"] = ["张三"]
        doc.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )
        with doc.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(SAMPLE_NAME, 0))
        doc.attachments["secret.txt"] = pikepdf.AttachedFileSpec(doc, SAMPLE_ID.encode())
        doc.pages[0].obj.Annots = doc.make_indirect(
            pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.Text,
                        Rect=[10, 10, 30, 30],
                        Contents=pikepdf.String(SAMPLE_EMAIL),
                    )
                ]
            )
        )
        source = tmp_path / "rich.pdf"
        doc.save(source)
    out = tmp_path / "out.pdf"
    call_command("redact_pdf", str(source), str(out), "--no-ocr")
    data = out.read_bytes()
    assert_clean(data)
    raw = raw_streams(data)
    for secret in (SAMPLE_ID, "张三", SAMPLE_NAME, SAMPLE_EMAIL, "app.alert"):
        for encoding in ("utf-8", "utf-16-be"):
            assert secret.encode(encoding) not in raw


def _zh(callable_, *args):
    with translation.override("zh-hans"), pytest.raises(pdf.RecordError) as info:
        callable_(*args)
    return info.value.message


def test_bad_input_is_refused_with_a_chinese_message(tmp_path, text_pdf, settings):
    encrypted = io.BytesIO()
    with pikepdf.open(io.BytesIO(text_pdf)) as doc:
        doc.save(encrypted, encryption=pikepdf.Encryption(user="u", owner="o"))
    assert "加密" in _zh(pdf.pdf_check, encrypted.getvalue(), "a.pdf")
    owner_only = io.BytesIO()
    with pikepdf.open(io.BytesIO(text_pdf)) as doc:
        doc.save(owner_only, encryption=pikepdf.Encryption(user="", owner="o"))
    assert "加密" in _zh(pdf.pdf_check, owner_only.getvalue(), "a.pdf")
    assert "损坏" in _zh(pdf.pdf_check, text_pdf[: len(text_pdf) // 3], "a.pdf")
    settings.RECORDS_MAX_PAGES = 1
    assert "最多1页" in _zh(pdf.pdf_check, text_pdf, "a.pdf")
    settings.RECORDS_MAX_PAGES = 500
    png = io.BytesIO()
    Image.new("L", (4000, 4000), 255).save(png, format="PNG")
    settings.RECORDS_MAX_IMAGE_PIXELS = 1_000_000
    assert "图片过大" in _zh(pdf.image_to_pdf, png.getvalue(), "big.png")
    assert "与文件名不符" in _zh(pdf.sniff, png.getvalue(), "scan.pdf")
    assert "不受支持" in _zh(pdf.sniff, b"MZ\x90\x00binary", "tool.exe")
    assert "与文件名不符" in _zh(pdf.sniff, b"MZ\x90\x00binary", "letter.docx")
    settings.RECORDS_MAX_BYTES = 100
    assert "过大" in _zh(pdf.sniff, text_pdf, "a.pdf")


def test_scans_and_office_documents_become_pdfs(tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (1654, 2339), (255, 255, 255)).save(png, format="PNG", dpi=(200, 200))
    converted = pdf.image_to_pdf(png.getvalue(), "scan.png")
    assert pdf.pdf_check(converted).pages == 1
    tiff = io.BytesIO()
    frames = [Image.new("L", (800, 1100), 255) for _ in range(3)]
    frames[0].save(tiff, format="TIFF", save_all=True, append_images=frames[1:])
    assert pdf.pdf_check(pdf.image_to_pdf(tiff.getvalue(), "scan.tif")).pages == 3
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "电话"])
    workbook.active.append([SAMPLE_NAME, SAMPLE_MOBILE])
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    kind, _type = pdf.sniff(xlsx.getvalue(), "名单.xlsx")
    assert kind == "office"
    result = pdf.office_to_pdf(xlsx.getvalue(), "名单.xlsx")
    with pdf.open_pdf(result) as doc:
        assert SAMPLE_MOBILE in pdf.page_text(doc, 0).text


def test_ocr_boxes_cover_where_the_text_really_is(tmp_path, text_pdf, scanned_pdf):
    """The scan is a picture of the text PDF's first page, so the text layer tells where each
    character really is: every OCR'd finding must be painted over there."""
    from letters.records.pii import page_findings

    with pdf.open_pdf(text_pdf) as doc:
        truth = page_findings(pdf.page_text(doc, 0))
    source = tmp_path / "scan.pdf"
    source.write_bytes(scanned_pdf)
    out = tmp_path / "out.pdf"
    call_command("redact_pdf", str(source), str(out), "--apply-pii", "--no-text-layer")
    with pdf.open_pdf(out.read_bytes()) as doc:
        image = pdf.render_page(doc, 0, 100, grey=True)
    kinds = set()
    for finding, rects in truth:
        for x0, y0, x1, y1 in rects:
            w, h = image.size
            region = image.crop(
                (int(x0 * w) + 1, int(y0 * h) + 1, int(x1 * w) - 1, int(y1 * h) - 1)
            )
            histogram = region.histogram()
            dark = sum(histogram[:80]) / sum(histogram)
            assert dark > 0.8, (finding.kind, dark)
        kinds.add(finding.kind)
    assert {"id_number", "mobile", "email", "phone", "bank_card"} <= kinds


def _docx(text: str) -> bytes:
    """The smallest Word document: three parts in a zip."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def test_a_word_document_is_converted_and_its_personal_information_found():
    from letters.records.pii import page_findings

    result = pdf.office_to_pdf(_docx(f"联系人手机{SAMPLE_MOBILE}，身份证{SAMPLE_ID}。"), "函.docx")
    with pdf.open_pdf(result) as doc:
        found = {f.kind for f, _rects in page_findings(pdf.page_text(doc, 0))}
    assert {"mobile", "id_number"} <= found
