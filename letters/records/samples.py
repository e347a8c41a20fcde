"""Sample records made on the spot (tests, the benchmark, the demo): a text PDF with personal
information in it, and the same pages as a "scan" (page pictures only, no text layer)."""

from __future__ import annotations

import io

SAMPLE_ID = "370102198001011237"
SAMPLE_MOBILE = "13912345678"
SAMPLE_EMAIL = "wangxm@example.com"
SAMPLE_PHONE = "0531-88886666"
SAMPLE_CARD = "6222021234567890128"
SAMPLE_PLATE = "鲁A12345"
SAMPLE_NAME = "李四华"


def sample_html(pages: int = 1) -> str:
    body = []
    for n in range(1, pages + 1):
        body.append(
            f"""<section style="page-break-after: always">
<h1>关于某某事项的调查报告（第{n}页）</h1>
<p>当事人王小明，身份证号码{SAMPLE_ID}，手机{SAMPLE_MOBILE}。</p>
<p>电子邮箱 {SAMPLE_EMAIL}，固定电话{SAMPLE_PHONE}。</p>
<p>银行卡号{SAMPLE_CARD}，车牌{SAMPLE_PLATE}。第三人{SAMPLE_NAME}参与了调查。</p>
<p>本报告其余内容可以公开：经调查，该事项已按规定办理完毕，相关材料已归档保存。</p>
</section>"""
        )
    return (
        "<html><head><style>@page { size: A4; margin: 20mm } body { font-family: 'Noto Sans CJK SC'; "
        "font-size: 14pt; line-height: 1.8 }</style></head><body>"
        + "".join(body)
        + "</body></html>"
    )


def sample_text_pdf(pages: int = 1) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=sample_html(pages)).write_pdf())


def sample_scanned_pdf(pages: int = 1, dpi: int = 200) -> bytes:
    """The text PDF's pages as greyscale pictures in a new PDF: no text layer at all."""
    import pikepdf

    from letters.records.pdf import _append_image_page, open_pdf, render_page

    text_pdf = sample_text_pdf(pages)
    out = pikepdf.new()
    with open_pdf(text_pdf) as doc:
        for index in range(len(doc)):
            image = render_page(doc, index, dpi).convert("RGB")
            _append_image_page(out, image, dpi, quality=80)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
