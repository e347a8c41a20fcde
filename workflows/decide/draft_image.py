"""The draft reply as one PNG of its pages, one under the other (issue 24 point 1): shown as an
image in the review and sign-off forms, it reads the same in every browser, including those
without a PDF viewer (the PDF itself is linked beside it). pdfium renders the very PDF the
letter would be (letters.services.letter_preview_pdf), watermarked 样稿."""

from __future__ import annotations

import io

# 1.5 × 72 dpi: an A4 page 893 px wide, legible on a laptop without zooming.
SCALE = 1.5
GAP_PX = 12


def pdf_pages_png(pdf: bytes) -> bytes:
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [document[i].render(scale=SCALE).to_pil() for i in range(len(document))]
    finally:
        document.close()
    width = max(p.width for p in pages)
    height = sum(p.height for p in pages) + GAP_PX * (len(pages) - 1)
    sheet = Image.new("RGB", (width, height), (128, 128, 128))
    top = 0
    for page in pages:
        sheet.paste(page.convert("RGB"), (0, top))
        top += page.height + GAP_PX
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
