"""Burn-in: the released PDF is rebuilt from rendered page images with the boxes painted
opaque (Art 37 区分处理). Nothing of the original document survives: no text, image or vector
data under a box, and no metadata, XMP, annotations, forms, attachments, JavaScript or
outlines, because the new file is built from nothing but page pictures. A fresh text layer
may be added by OCR of the redacted pictures, so it cannot contain what was painted over.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from letters.records.pdf import Rect, _append_image_page, open_pdf, render_page

if TYPE_CHECKING:  # heavy libraries, imported where they are used
    import pikepdf
    from PIL import Image, ImageFont

FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


@dataclass(frozen=True)
class PageRedactions:
    """What to paint on one page: boxes with an optional label (the ground), or the whole page."""

    boxes: tuple[tuple[Rect, str], ...] = ()
    whole_page: str | None = None  # the label printed on a withheld page, or None


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        return ImageFont.load_default()


def paint(image: Image.Image, redactions: PageRedactions, *, for_ocr: bool = False) -> Image.Image:
    """Paint the boxes (rounded outwards to whole pixels) black; a withheld page is painted
    whole, with its label. Labels are drawn in white inside boxes tall enough to hold them.

    `for_ocr` paints the same boxes white and without labels: Tesseract's layout analysis
    turns black boxes with white labels into noise, and a blank area reads as nothing."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    width, height = image.size
    fill: int | tuple[int, int, int] = 255 if image.mode == "L" else (255, 255, 255)
    if for_ocr and redactions.whole_page is not None:
        draw.rectangle([0, 0, width, height], fill=fill)
        return image
    if redactions.whole_page is not None:
        draw.rectangle([0, 0, width, height], fill=(255, 255, 255))
        margin = int(width * 0.08)
        draw.rectangle([margin, margin, width - margin, height - margin], fill=(0, 0, 0))
        label = redactions.whole_page
        font = _font(max(12, width // 30))
        draw.text((width / 2, height / 2), label, fill=(255, 255, 255), font=font, anchor="mm")
        return image
    for (x0, y0, x1, y1), label in redactions.boxes:
        box = [
            max(0, math.floor(x0 * width) - 1),
            max(0, math.floor(y0 * height) - 1),
            min(width, math.ceil(x1 * width) + 1),
            min(height, math.ceil(y1 * height) + 1),
        ]
        if for_ocr:
            draw.rectangle(box, fill=fill)
            continue
        draw.rectangle(box, fill=(0, 0, 0))
        box_height = box[3] - box[1]
        if label and box_height >= 14:
            font = _font(min(box_height - 4, max(10, width // 80)))
            if draw.textlength(label, font=font) <= box[2] - box[0] - 4:
                draw.text(
                    ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2),
                    label,
                    fill=(255, 255, 255),
                    font=font,
                    anchor="mm",
                )
    return image


def burn_in(
    data: bytes,
    redactions: Mapping[int, PageRedactions],
    *,
    dpi: int | None = None,
    text_layer: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The redacted PDF: every page rendered at `dpi`, painted, and stored as a JPEG picture in
    a new file with the same page count and page sizes. `redactions` maps page index (0-based)
    to what to paint. With `text_layer`, Tesseract reads each painted picture and its invisible
    text is laid over the page (two processes at once)."""
    import os
    import tempfile

    import pikepdf

    from letters.records.pdf import tesseract_text_pdf

    dpi = dpi or int(settings.RECORDS_RENDER_DPI)
    if text_layer is None:
        text_layer = bool(settings.RECORDS_RELEASE_TEXT_LAYER)
    batch_size = max(1, int(settings.RECORDS_OCR_BATCH))
    out = pikepdf.new()
    overlays: list[tuple[list[int], Future[bytes]]] = []
    batch: list[tuple[int, str]] = []
    with (
        open_pdf(data) as doc,
        tempfile.TemporaryDirectory(prefix="records-burn-") as tmp,
        ThreadPoolExecutor(int(settings.RECORDS_OCR_WORKERS)) as pool,
    ):

        def submit() -> None:
            future = pool.submit(tesseract_text_pdf, [path for _i, path in batch], dpi)
            overlays.append(([index for index, _p in batch], future))
            batch.clear()

        for index in range(len(doc)):
            image = render_page(doc, index, dpi)
            page_redactions = redactions.get(index, PageRedactions())
            if text_layer:
                # OCR reads a copy with the same boxes blanked out (never the original).
                grey = paint(image.convert("L"), page_redactions, for_ocr=True)
                path = os.path.join(tmp, f"page-{index:05d}.png")
                grey.save(path, format="PNG")
                batch.append((index, path))
                if len(batch) >= batch_size:
                    submit()
            paint(image, page_redactions)
            _append_image_page(out, image, dpi)
            image.close()
            if not text_layer and progress is not None:
                progress(index + 1)
        if batch:
            submit()
        for indexes, future in overlays:
            with pikepdf.open(io.BytesIO(future.result())) as text_pdf:
                for position, index in enumerate(indexes):
                    target = out.pages[index]
                    target.add_overlay(text_pdf.pages[position], pikepdf.Rectangle(target.mediabox))
            if progress is not None:
                progress(indexes[-1] + 1)
    return _save_clean(out)


def _save_clean(pdf: pikepdf.Pdf) -> bytes:
    """Save with an empty document information dictionary and no XMP, outlines, names,
    forms, actions or annotations (none were ever copied; this makes sure)."""
    import pikepdf

    for key in ("/Metadata", "/Outlines", "/Names", "/AcroForm", "/OpenAction", "/AA"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        for key in ("/Annots", "/AA"):
            if key in page.obj:
                del page.obj[key]
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    out = io.BytesIO()
    pdf.save(
        out,
        fix_metadata_version=False,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return out.getvalue()


def suggestion_redactions(
    data: bytes, *, names: list[str] | tuple[str, ...] = (), label: str = "", ocr: bool = True
) -> dict[int, PageRedactions]:
    """Every personal-information suggestion on every page, accepted (for redact_pdf
    --apply-pii and the benchmark)."""
    from letters.records.pdf import pages_text
    from letters.records.pii import page_findings

    result: dict[int, PageRedactions] = {}
    for index, text in pages_text(data, ocr=ocr):
        boxes = tuple(
            (rect, label) for _finding, rects in page_findings(text, names) for rect in rects
        )
        if boxes:
            result[index] = PageRedactions(boxes=boxes)
    return result


def merge(*maps: Mapping[int, PageRedactions]) -> dict[int, PageRedactions]:
    result: dict[int, PageRedactions] = {}
    for mapping in maps:
        for index, item in mapping.items():
            before = result.get(index, PageRedactions())
            result[index] = PageRedactions(
                boxes=before.boxes + item.boxes,
                whole_page=item.whole_page if item.whole_page is not None else before.whole_page,
            )
    return result
