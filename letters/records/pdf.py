"""The PDF side of responsive records: check what arrives, turn scans and office documents
into PDF, render pages, read the text layer (or OCR it) with positions.

Positions everywhere are fractions of the displayed page (0..1, origin top left, after the
page's own rotation), so a box drawn on a preview image at any size, a box found in the text
layer and a box painted at any DPI are the same numbers.
"""

from __future__ import annotations

import ctypes
import html
import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from casework.errors import InvalidInput

if TYPE_CHECKING:  # heavy libraries, imported where they are used
    import pikepdf
    import pypdfium2
    from PIL import Image

# A box: (x0, y0, x1, y1) as fractions of the page, origin top left.
Rect = tuple[float, float, float, float]

PDF_MAGIC = b"%PDF-"
IMAGE_SIGNATURES: list[tuple[bytes, str, tuple[str, ...]]] = [
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"II*\x00", "image/tiff", (".tif", ".tiff")),
    (b"MM\x00*", "image/tiff", (".tif", ".tiff")),
]
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office documents: the extension decides the filter, the content must be the right container.
OFFICE_EXTENSIONS: dict[str, bytes] = {
    ".docx": ZIP_MAGIC,
    ".xlsx": ZIP_MAGIC,
    ".odt": ZIP_MAGIC,
    ".ods": ZIP_MAGIC,
    ".doc": OLE_MAGIC,
    ".xls": OLE_MAGIC,
}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}


TESSERACT = shutil.which("tesseract") or "/usr/bin/tesseract"


class RecordError(InvalidInput):
    """A record that cannot be taken: the message is shown to the officer as it is."""


def max_bytes() -> int:
    return int(settings.RECORDS_MAX_BYTES)


def max_pages() -> int:
    return int(settings.RECORDS_MAX_PAGES)


def max_pixels() -> int:
    return int(settings.RECORDS_MAX_IMAGE_PIXELS)


def sniff(data: bytes, name: str) -> tuple[str, str]:
    """("pdf" | "image" | "office", content type) from the first bytes and the name; raises
    RecordError for an unsupported type or a file whose content is not what its name says."""
    lower = name.lower()
    suffix = Path(lower).suffix
    if len(data) == 0:
        raise RecordError(_("“%(name)s” is empty.") % {"name": name}, field="file")
    if len(data) > max_bytes():
        raise RecordError(
            _("“%(name)s” is too large: at most %(mb)d MB.")
            % {"name": name, "mb": max_bytes() // (1024 * 1024)},
            field="file",
        )
    if data.startswith(PDF_MAGIC):
        if suffix != ".pdf":
            raise _mislabelled(name)
        return "pdf", "application/pdf"
    for magic, content_type, extensions in IMAGE_SIGNATURES:
        if data.startswith(magic):
            if suffix not in extensions:
                raise _mislabelled(name)
            return "image", content_type
    if suffix in OFFICE_EXTENSIONS:
        if not data.startswith(OFFICE_EXTENSIONS[suffix]):
            raise _mislabelled(name)
        return "office", OFFICE_TYPES[suffix]
    if suffix in (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"):
        raise _mislabelled(name)
    raise RecordError(
        _(
            "“%(name)s” is not a supported type: upload PDF, JPEG, PNG or TIFF scans, or Word, Excel or OpenDocument files."
        )
        % {"name": name},
        field="file",
    )


def _mislabelled(name: str) -> RecordError:
    return RecordError(
        _("“%(name)s” is not what its name says: its content is of another type.") % {"name": name},
        field="file",
    )


@dataclass(frozen=True)
class PdfInfo:
    pages: int


def pdf_check(data: bytes, name: str = "") -> PdfInfo:
    """Refuse encrypted, corrupt, over-long or oversized-page PDFs (before anything is stored)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise RecordError(_encrypted(name), field="file")
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        raise RecordError(_encrypted(name), field="file") from None
    except pikepdf.PdfError:
        raise RecordError(
            _("“%(name)s” is damaged and cannot be read as a PDF.") % {"name": name},
            field="file",
        ) from None
    if pages == 0:
        raise RecordError(_("“%(name)s” has no pages.") % {"name": name}, field="file")
    if pages > max_pages():
        raise RecordError(
            _("“%(name)s” has %(pages)d pages: at most %(limit)d pages per record.")
            % {"name": name, "pages": pages, "limit": max_pages()},
            field="file",
        )
    # pdfium must open it too (it is what renders), and no page may render into a bomb.
    with open_pdf(data, name) as doc:
        for index in range(len(doc)):
            width, height = doc[index].get_size()
            dpi = int(settings.RECORDS_RENDER_DPI)
            if (width / 72 * dpi) * (height / 72 * dpi) > max_pixels():
                raise RecordError(
                    _("Page %(page)d of “%(name)s” is too large to render.")
                    % {"page": index + 1, "name": name},
                    field="file",
                )
    return PdfInfo(pages=pages)


def _encrypted(name: str) -> str:
    return str(
        _(
            "“%(name)s” is encrypted or password-protected: remove the protection and upload it again."
        )
        % {"name": name}
    )


def pdf_rebuilt(data: bytes, name: str = "") -> bytes:
    """The working copy of a record's PDF (uploaded or converted): its pages' contents copied
    into a fresh file, without actions, JavaScript, launch or remote links, embedded files,
    forms, annotations or metadata at any depth (casework.pdf_rebuild, issue 22). Officers
    preview and release from this copy; the original is kept only as the uploaded evidence."""
    import pikepdf

    from casework.pdf_rebuild import pdf_rebuild

    try:
        return pdf_rebuild(data)
    except pikepdf.PdfError:
        raise RecordError(
            _("“%(name)s” is damaged and cannot be read as a PDF.") % {"name": name},
            field="file",
        ) from None


@contextmanager
def open_pdf(data: bytes, name: str = "") -> Iterator[pypdfium2.PdfDocument]:
    """pdfium document as a context manager; a PDF pdfium cannot read is a RecordError."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise RecordError(
            _("“%(name)s” is damaged and cannot be read as a PDF.") % {"name": name},
            field="file",
        ) from None
    try:
        yield doc
    finally:
        doc.close()


def image_to_pdf(data: bytes, name: str = "") -> bytes:
    """A scan (JPEG, PNG, TIFF with one or more pages) as a PDF of image pages. Images over
    RECORDS_MAX_IMAGE_PIXELS are refused before they are decoded (decompression bombs)."""
    import pikepdf
    from PIL import Image, ImageSequence, UnidentifiedImageError

    limit = max_pixels()
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > max_pages():
                raise RecordError(
                    _("“%(name)s” has %(pages)d pages: at most %(limit)d pages per record.")
                    % {"name": name, "pages": frames, "limit": max_pages()},
                    field="file",
                )
            pdf = pikepdf.new()
            for frame in ImageSequence.Iterator(image):
                if frame.width * frame.height > limit:
                    raise _bomb(name)
                page_image = frame.convert("RGB")
                dpi = _image_dpi(frame)
                _append_image_page(pdf, page_image, dpi)
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RecordError(
            _("“%(name)s” is damaged and cannot be read as an image.") % {"name": name},
            field="file",
        ) from None


def _bomb(name: str) -> RecordError:
    return RecordError(
        _("“%(name)s” is too large an image (more than %(mp)d megapixels).")
        % {"name": name, "mp": max_pixels() // 1_000_000},
        field="file",
    )


def _image_dpi(image: Image.Image) -> float:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    # A scan without a plausible resolution is taken as 200 dpi (an A4 page then is A4-sized).
    return value if 50 <= value <= 1200 else 200.0


def _append_image_page(
    pdf: pikepdf.Pdf, image: Image.Image, dpi: float, *, quality: int = 85
) -> pikepdf.Page:
    """Add one page showing `image` (RGB) at `dpi`: a JPEG image XObject and a content stream
    that only draws it. Nothing else is on the page."""
    import pikepdf

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    width_pt = image.width / dpi * 72
    height_pt = image.height / dpi * 72
    xobject = pikepdf.Stream(pdf, buffer.getvalue())
    xobject.Type = pikepdf.Name.XObject
    xobject.Subtype = pikepdf.Name.Image
    xobject.Width = image.width
    xobject.Height = image.height
    xobject.ColorSpace = pikepdf.Name.DeviceRGB
    xobject.BitsPerComponent = 8
    xobject.Filter = pikepdf.Name.DCTDecode
    content = f"q {width_pt:.3f} 0 0 {height_pt:.3f} 0 0 cm /Im0 Do Q".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, round(width_pt, 3), round(height_pt, 3)],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject)),
        Contents=pikepdf.Stream(pdf, content),
    )
    pdf.pages.append(pikepdf.Page(page))
    return pdf.pages[-1]


def office_to_pdf(data: bytes, name: str) -> bytes:
    """Word/Excel/OpenDocument → PDF with LibreOffice headless (Debian's -nogui packages),
    sealed (issue 22): outside references stripped from the package first
    (letters.records.office_links), then soffice run without a network, with a minimal
    environment, a throwaway profile and home, and a time limit that kills its process group
    (letters.records.sandbox). A binary .doc/.xls cannot be cleaned as it is: it is first
    saved as OpenDocument inside the sandbox, cleaned, and then converted. Refused (never run
    in the open) when the sandbox cannot be set up."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RecordError(_("Office documents cannot be converted: LibreOffice is not installed."))
    suffix = Path(name.lower()).suffix
    with tempfile.TemporaryDirectory(prefix="records-convert-") as tmp:
        if OFFICE_EXTENSIONS.get(suffix) == OLE_MAGIC:
            opendocument = ".ods" if suffix == ".xls" else ".odt"
            data = _soffice_convert(soffice, tmp, data, suffix, opendocument[1:], name)
            suffix = opendocument
        data = _strip_links(data, name)
        return _soffice_convert(soffice, tmp, data, suffix, "pdf", name)


def _strip_links(data: bytes, name: str) -> bytes:
    import zipfile

    from letters.records.office_links import strip_outside_references

    try:
        return strip_outside_references(data)[0]
    except (zipfile.BadZipFile, ValueError, KeyError):
        raise RecordError(
            _("LibreOffice could not convert “%(name)s” to PDF.") % {"name": name}
        ) from None


def _soffice_convert(
    soffice: str, tmp: str, data: bytes, suffix: str, target: str, name: str
) -> bytes:
    """One sealed LibreOffice run: `data` (a file ending in `suffix`) → `target` format."""
    from letters.records.sandbox import SandboxError, SandboxTimeout, run_sealed

    run = Path(tempfile.mkdtemp(prefix="run-", dir=tmp))
    source = run / f"record{suffix}"
    source.write_bytes(data)
    profile = run / "profile"
    try:
        result = run_sealed(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                "--convert-to",
                target,
                "--outdir",
                str(run),
                str(source),
            ],
            home=str(run),
            timeout=int(settings.RECORDS_CONVERT_TIMEOUT),
        )
    except SandboxTimeout:
        raise RecordError(_("The conversion to PDF took too long and was stopped.")) from None
    except SandboxError as exc:
        raise RecordError(
            _(
                "Office documents cannot be converted: the conversion sandbox (a process "
                "without network access) cannot be set up on this server (%(error)s)."
            )
            % {"error": str(exc)}
        ) from None
    output = run / f"record.{target}"
    if result.returncode != 0 or not output.exists():
        raise RecordError(_("LibreOffice could not convert “%(name)s” to PDF.") % {"name": name})
    return output.read_bytes()


def render_page(
    doc: pypdfium2.PdfDocument, index: int, dpi: float, *, grey: bool = False
) -> Image.Image:
    """One page as a PIL image (RGB, or L for OCR), annotations and form fields drawn as the
    reader sees them."""
    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / 72, may_draw_forms=True, grayscale=grey)
        image: Image.Image = bitmap.to_pil()
        return image.convert("L" if grey else "RGB")
    finally:
        page.close()


# --- text with positions ----------------------------------------------------------------


@dataclass
class PageText:
    """The text of one page, one position per character (None for generated spaces)."""

    text: str = ""
    boxes: list[Rect | None] = field(default_factory=list)
    source: str = "text"  # "text" (the PDF's text layer) or "ocr"

    def add(self, chars: str, box: Rect | None) -> None:
        self.text += chars
        self.boxes.extend([box] * len(chars))


def page_text(doc: pypdfium2.PdfDocument, index: int) -> PageText:
    """The text layer of a page with each character's box, through pdfium."""
    import pypdfium2.raw as pdfium_c

    page = doc[index]
    textpage = page.get_textpage()
    result = PageText(source="text")
    try:
        scale = 100000
        count = textpage.count_chars()
        dx, dy = ctypes.c_int(), ctypes.c_int()
        for i in range(count):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            char = chr(code) if 0 < code < 0x110000 else " "
            left, bottom, right, top = textpage.get_charbox(i)
            if right <= left or top <= bottom or char in "\r\n":
                result.add("\n" if char in "\r\n" else char, None)
                continue
            corners = []
            for x, y in ((left, top), (right, bottom)):
                pdfium_c.FPDF_PageToDevice(
                    page.raw, 0, 0, scale, scale, 0, x, y, ctypes.byref(dx), ctypes.byref(dy)
                )
                corners.append((dx.value / scale, dy.value / scale))
            (ax, ay), (bx, by) = corners
            result.add(char, (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    finally:
        textpage.close()
        page.close()
    return result


# A page whose largest picture covers at least this share of it is a scan: it is OCR'd even
# when it carries a text layer (a scanner's own, which may have lost what the picture shows).
SCAN_COVERAGE = 0.9


def picture_coverage(doc: pypdfium2.PdfDocument, index: int) -> float:
    """The share of the page (0..1) covered by its largest image, forms' contents included."""
    import pypdfium2.raw as pdfium_c

    page = doc[index]
    try:
        width, height = page.get_size()
        area = width * height
        if area <= 0:
            return 0.0
        left0, bottom0, right0, top0 = page.get_mediabox()
        best = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            covered_w = max(0.0, min(right, right0) - max(left, left0))
            covered_h = max(0.0, min(top, top0) - max(bottom, bottom0))
            best = max(best, covered_w * covered_h / area)
        return min(1.0, best)
    finally:
        page.close()


def is_scan(doc: pypdfium2.PdfDocument, index: int) -> bool:
    return picture_coverage(doc, index) >= SCAN_COVERAGE


def merged(layer: PageText, ocr: PageText) -> PageText:
    """A scan's own text layer followed by what OCR read on its picture: suggestions come from
    both (the same finding twice is dropped in pii.page_findings). A separator that no
    pattern runs across keeps the two apart."""
    result = PageText(text=layer.text, boxes=list(layer.boxes), source="ocr")
    result.add("\n¦\n", None)
    result.text += ocr.text
    result.boxes.extend(ocr.boxes)
    return result


def has_text_layer(text: PageText) -> bool:
    """A page counts as text when it has a few real characters; otherwise it is a scan to OCR."""
    return sum(1 for c in text.text if not c.isspace()) >= 8


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def ocr_page(image: Image.Image) -> PageText:
    """OCR one page image with Tesseract (chi_sim+eng) through its CLI: words with boxes from
    the TSV output. Adjacent CJK words are joined without a space (Tesseract splits Chinese
    text into words of a character or two)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ocr_png(buffer.getvalue(), image.width, image.height)


def ocr_png(png: bytes, width: int, height: int) -> PageText:
    hocr = tesseract(png, "-c", "hocr_char_boxes=1", "hocr")
    return _parse_hocr(hocr, [(width, height)])[0]


def ocr_files(pages: list[tuple[str, int, int]]) -> list[PageText]:
    """OCR several page images (path, width, height) in one Tesseract run: the model is
    loaded once for the batch (about a fifth less CPU than one run per page)."""
    if not pages:
        return []
    listing = _listing([path for path, _w, _h in pages])
    hocr = _tesseract_run(listing, None, "-c", "hocr_char_boxes=1", "hocr")
    return _parse_hocr(hocr.decode("utf-8", errors="replace"), [(w, h) for _p, w, h in pages])


_HOCR_PAGE = re.compile(r"class='ocr_page'[^>]*ppageno (\d+)")
_HOCR_LINE = re.compile(r"class='(?:ocr_line|ocr_header|ocr_caption|ocr_textfloat)'")
_HOCR_WORD = re.compile(r"class='ocrx_word'")
_HOCR_BBOX = re.compile(r"^[^>]*title='bbox (\d+) (\d+) (\d+) (\d+)")
_HOCR_CHAR = re.compile(r"x_bboxes (\d+) (\d+) (\d+) (\d+);[^>]*>([^<]*)<")


def _parse_hocr(hocr: str, sizes: list[tuple[int, int]]) -> list[PageText]:
    """Tesseract's hOCR with character boxes (hocr_char_boxes=1) as PageText per page: a line
    break between lines, a space between words unless both sides are Chinese."""
    results = [PageText(source="ocr") for _ in sizes]
    pages = _HOCR_PAGE.split(hocr)
    # split() gives [before, pageno, body, pageno, body, ...]
    for number, body in zip(pages[1::2], pages[2::2], strict=True):
        index = int(number)
        if not 0 <= index < len(sizes):
            continue
        result = results[index]
        width, height = sizes[index]
        for line in _HOCR_LINE.split(body)[1:]:
            if result.text:
                result.add("\n", None)
            line_start = len(result.text)
            for word in _HOCR_WORD.split(line)[1:]:
                chars = [
                    (html.unescape(text), (int(a), int(b), int(c), int(d)))
                    for a, b, c, d, text in _HOCR_CHAR.findall(word)
                ]
                chars = [(text, box) for text, box in chars if text.strip()]
                if not chars:
                    continue
                # Character boxes from the LSTM engine are approximate, the word's box is
                # not: the word's first and last characters reach its edges.
                edges = _HOCR_BBOX.search(word)
                if edges:
                    left, right = int(edges.group(1)), int(edges.group(3))
                    text, (a, b, c, d) = chars[0]
                    chars[0] = (text, (min(a, left), b, c, d))
                    text, (a, b, c, d) = chars[-1]
                    chars[-1] = (text, (a, b, max(c, right), d))
                if len(result.text) > line_start and not (
                    _is_cjk(result.text[-1]) and _is_cjk(chars[0][0][0])
                ):
                    result.add(" ", None)
                for text, (x0, y0, x1, y1) in chars:
                    result.add(text, (x0 / width, y0 / height, x1 / width, y1 / height))
    return results


def _listing(paths: list[str]) -> str:
    listing = f"{paths[0]}.list.txt"
    with open(listing, "w", encoding="utf-8") as handle:
        handle.write("\n".join(paths) + "\n")
    return listing


def tesseract(png: bytes, *configs: str) -> str:
    """Run the tesseract CLI on PNG bytes (stdin) and return stdout."""
    return _tesseract_run("stdin", png, *configs).decode("utf-8", errors="replace")


def _tesseract_run(source: str, stdin: bytes | None, *configs: str) -> bytes:
    """One tesseract process, one thread (OMP_THREAD_LIMIT=1) so a pool of processes uses the
    cores; no search for inverted text (scans are dark on light)."""
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [
                TESSERACT,
                source,
                "stdout",
                "-l",
                settings.RECORDS_OCR_LANG,
                "--psm",
                "3",
                "-c",
                "tessedit_do_invert=0",
                *configs,
            ],
            input=stdin,
            capture_output=True,
            timeout=int(settings.RECORDS_OCR_TIMEOUT),
            env=_tesseract_environment(),
            check=False,
        )
    except FileNotFoundError:
        raise RecordError(_("OCR is not available: Tesseract is not installed.")) from None
    except subprocess.TimeoutExpired:
        raise RecordError(_("OCR of a page took too long and was stopped.")) from None
    if result.returncode != 0:
        raise RecordError(
            _("OCR failed: %(error)s") % {"error": result.stderr.decode(errors="replace")[-300:]}
        )
    return result.stdout


def _tesseract_environment() -> dict[str, str]:
    """PATH, where the language data is, and one thread: none of the worker's secrets."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1"}
    if os.environ.get("TESSDATA_PREFIX"):
        environment["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
    return environment


def tesseract_text_pdf(paths: list[str], dpi: int) -> bytes:
    """A text-only PDF (invisible text, no image), one page per image: the fresh text layer,
    one Tesseract run for the batch."""
    output = _tesseract_run(_listing(paths), None, "--dpi", str(dpi), "-c", "textonly_pdf=1", "pdf")
    if not output.startswith(PDF_MAGIC):
        raise RecordError(_("OCR failed: %(error)s") % {"error": "no PDF"})
    return output


def pages_text(
    data: bytes, *, ocr: bool = True, progress: Callable[[int], object] | None = None
) -> Iterator[tuple[int, PageText]]:
    """Text with positions for every page: the text layer where there is one; OCR (at
    RECORDS_OCR_DPI, ruled lines removed first: scan_clean) for the pages without one and for
    scans (a picture covering the page, issue 22) whatever text layer they carry, in batches
    of RECORDS_OCR_BATCH pages run by RECORDS_OCR_WORKERS processes at once while the next
    pages are rendered. Yields in page order."""
    from concurrent.futures import Future, ThreadPoolExecutor

    from letters.records.scan_clean import remove_rules

    dpi = int(settings.RECORDS_OCR_DPI)
    batch_size = max(1, int(settings.RECORDS_OCR_BATCH))
    with (
        open_pdf(data) as doc,
        tempfile.TemporaryDirectory(prefix="records-ocr-") as tmp,
        ThreadPoolExecutor(int(settings.RECORDS_OCR_WORKERS)) as pool,
    ):
        texts: dict[int, PageText] = {}
        batches: dict[int, tuple[Future[list[PageText]], int]] = {}  # page → (batch, position)
        batch: list[tuple[int, str, int, int]] = []

        def submit() -> None:
            future = pool.submit(ocr_files, [(path, w, h) for _i, path, w, h in batch])
            for position, (index, *_rest) in enumerate(batch):
                batches[index] = (future, position)
            batch.clear()

        layers: dict[int, PageText] = {}  # the text layers of scans, merged with their OCR
        for index in range(len(doc)):
            text = page_text(doc, index)
            if not ocr or (has_text_layer(text) and not is_scan(doc, index)):
                texts[index] = text
                continue
            if has_text_layer(text):
                layers[index] = text
            image = remove_rules(render_page(doc, index, dpi, grey=True))
            path = os.path.join(tmp, f"page-{index:05d}.png")
            image.save(path, format="PNG")
            batch.append((index, path, image.width, image.height))
            image.close()
            if len(batch) >= batch_size:
                submit()
        if batch:
            submit()
        for index in range(len(doc)):
            if index in texts:
                result = texts[index]
            else:
                future, position = batches[index]
                result = future.result()[position]
                if index in layers:
                    result = merged(layers[index], result)
            if progress is not None:
                progress(index + 1)
            yield index, result
