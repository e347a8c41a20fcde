"""Generated scanned pages with planted personal information, to measure how much of it the
suggestions find (manage.py bench_redaction --recall; issue 22, point 6).

Everything is drawn by code from a seeded random generator, so the same seed gives the same
pages byte for byte: layouts (a form, prose, a table, a form with one digit per box), fonts
(Noto Sans/Serif CJK, FandolFang, DejaVu for the digits), the digits written whole, in
groups with spaces or dashes, or one per box, speckle noise, blur, a slight rotation (±2°),
JPEG compression, and a text layer that is absent, junk, or a scanner's own that lost the
numbers. Each page plants a name, an ID number (GB 11643 check digit), a mobile number and
a bank card number (Luhn).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported where it is used
    from PIL import Image, ImageFont

DPI = 200
PAGE_SIZE = (1654, 2339)  # A4 at 200 dpi
FONTS = {
    "noto-sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "noto-serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "fandol-fang": ("/usr/local/share/fonts/opentype/fandol/FandolFang-Regular.otf", 0),
}
DIGIT_FONTS = {
    **FONTS,
    "dejavu-sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    "dejavu-serif": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 0),
}
LAYOUTS = ("form", "prose", "table", "boxed")
DIGIT_STYLES = ("plain", "spaces", "dashes", "boxes")
TEXT_LAYERS = ("none", "junk", "scanner")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"
FILLER = (
    "经调查核实，该事项已按照有关规定办理完毕，相关材料已整理归档。",
    "申请人于本月提交了书面材料，工作人员当场进行了登记并出具了回执。",
    "根据《中华人民共和国政府信息公开条例》的规定，现将有关情况说明如下。",
    "本表所填内容真实有效，如有虚假，本人愿意承担相应的法律责任。",
    "经办人员已对上述信息进行核对，确认无误后报送分管负责同志审核。",
)
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
AREAS = ("110105", "370102", "440305", "320106", "510104", "330106", "420111", "610113")


@dataclass
class Planted:
    kind: str  # "name", "id_number", "mobile", "bank_card"
    value: str  # the digits (and X) or the name, as a finding must read it


@dataclass
class ScanPage:
    """One generated page: its PDF bytes (one page), what was planted, how it was made."""

    pdf: bytes
    planted: list[Planted]
    layout: str
    digits: str
    font: str
    text_layer: str
    rotation: float
    names: list[str] = field(default_factory=list)


def id_number(rng: random.Random) -> str:
    body = (
        rng.choice(AREAS)
        + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        + f"{rng.randint(0, 999):03d}"
    )
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + "".join(
        str(rng.randint(0, 9)) for _ in range(9)
    )


def bank_card(rng: random.Random) -> str:
    body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(16))  # 19 digits with the check
    total = 0
    for i, char in enumerate(reversed(body)):
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


_GROUPS: dict[str, list[tuple[int, ...]]] = {
    "id_number": [(6, 8, 4), (4, 4, 4, 4, 2), (3, 3, 4, 4, 4)],
    "mobile": [(3, 4, 4)],
    "bank_card": [(4, 4, 4, 4, 3)],
}


def written(value: str, kind: str, style: str, rng: random.Random) -> str:
    """The number as the page prints it: whole, in groups with spaces or dashes."""
    if style not in ("spaces", "dashes"):
        return value
    groups = rng.choice(_GROUPS[kind])
    parts, start = [], 0
    for size in groups:
        parts.append(value[start : start + size])
        start += size
    joiner = " " if style == "spaces" else rng.choice(["-", " - "])
    return joiner.join(parts)


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    path, index = DIGIT_FONTS[name]
    return ImageFont.truetype(path, size, index=index)


class _Writer:
    """Draws lines top to bottom; `digits` draws a number in its style (boxes included)."""

    def __init__(self, image: Image.Image, rng: random.Random, font: str, digit_font: str) -> None:
        from PIL import ImageDraw

        self.draw = ImageDraw.Draw(image)
        self.rng = rng
        self.size = rng.randint(34, 46)  # 12–17 pt at 200 dpi
        self.font = _font(font, self.size)
        self.digit_font = _font(digit_font, self.size)
        self.x0 = rng.randint(150, 230)
        self.y = rng.randint(180, 260)
        self.ink = rng.randint(0, 60)
        self.text_layer: list[tuple[str, float, float, float]] = []  # text, x, y, size (px)

    def text(self, x: float, text: str, *, font: ImageFont.FreeTypeFont | None = None) -> float:
        font = font or self.font
        self.draw.text((x, self.y), text, fill=self.ink, font=font)
        self.text_layer.append((text, x, self.y, self.size))
        return x + self.draw.textlength(text, font=font)

    def boxes(self, x: float, digits: str) -> float:
        """One digit per box, the boxes touching, as on a printed form."""
        width = int(self.size * 1.05)
        height = int(self.size * 1.45)
        top = self.y - int(self.size * 0.2)
        for i, digit in enumerate(digits):
            left = x + i * width
            self.draw.rectangle([left, top, left + width, top + height], outline=self.ink, width=2)
            self.draw.text(
                (left + width / 2, top + height / 2),
                digit,
                fill=self.ink,
                font=self.digit_font,
                anchor="mm",
            )
        self.text_layer.append((digits, x, self.y, self.size))
        return x + len(digits) * width

    def newline(self, factor: float = 1.9) -> None:
        self.y += int(self.size * factor)

    def paragraph(self, text: str, width: int) -> None:
        line = ""
        for char in text:
            if self.draw.textlength(line + char, font=self.font) > width:
                self.text(self.x0, line)
                self.newline()
                line = ""
            line += char
        if line:
            self.text(self.x0, line)
            self.newline()


def _draw_page(
    rng: random.Random, layout: str, style: str, font: str, values: dict[str, str]
) -> tuple[Image.Image, list[tuple[str, float, float, float]]]:
    from PIL import Image

    image = Image.new("L", PAGE_SIZE, rng.randint(235, 255))
    digit_font = rng.choice(list(DIGIT_FONTS)) if style != "boxes" else "dejavu-sans"
    writer = _Writer(image, rng, font, digit_font)
    width = PAGE_SIZE[0] - 2 * writer.x0
    title = rng.choice(["个人信息登记表", "情况说明", "调查笔录", "申请材料"])
    writer.text(writer.x0 + width / 3, title)
    writer.newline(2.6)
    shown = {kind: written(values[kind], kind, style, rng) for kind in values if kind != "name"}

    def number(x: float, kind: str) -> None:
        if style == "boxes" and kind in ("id_number", "bank_card"):
            writer.boxes(x, values[kind])
        else:
            writer.text(x, shown[kind], font=writer.digit_font)

    labels = {
        "name": rng.choice(["姓名：", "申请人：", "当事人："]),
        "id_number": rng.choice(["身份证号码：", "公民身份号码：", "身份证号："]),
        "mobile": rng.choice(["手机：", "联系电话：", "手机号码："]),
        "bank_card": rng.choice(["银行卡号：", "开户账号：", "银行账号："]),
    }
    if layout in ("form", "boxed"):
        for _ in range(rng.randint(0, 2)):
            writer.paragraph(rng.choice(FILLER), width)
        for kind in ("name", "id_number", "mobile", "bank_card"):
            x = writer.text(writer.x0, labels[kind])
            if kind == "name":
                writer.text(x, values["name"])
            else:
                number(x + writer.size * 0.3, kind)
            writer.newline(2.3)
        for _ in range(rng.randint(1, 3)):
            writer.paragraph(rng.choice(FILLER), width)
    elif layout == "prose":
        writer.paragraph(rng.choice(FILLER), width)
        sentences = [
            ("name", f"当事人{values['name']}于上月来访，"),
            ("id_number", "其身份证号码为"),
            ("mobile", "，联系手机"),
            ("bank_card", "，补助款发放至银行卡"),
        ]
        for kind, lead in sentences:
            x = writer.text(writer.x0, lead)
            if kind != "name":
                number(x + writer.size * 0.2, kind)
            writer.newline()
        writer.paragraph(rng.choice(FILLER), width)
    else:  # table: a label column and a value column, ruled, digits a little smaller
        heads = {"name": "姓名", "id_number": "身份证号", "mobile": "手机", "bank_card": "银行卡号"}
        writer.digit_font = _font(digit_font, int(writer.size * 0.85))
        split = writer.x0 + int(width * 0.28)
        top = writer.y - int(writer.size * 0.45)
        rows = [top]
        for kind in ("name", "id_number", "mobile", "bank_card"):
            writer.text(writer.x0 + 14, heads[kind])
            if kind == "name":
                writer.text(split + 14, values["name"])
            elif style == "boxes":
                writer.text(split + 14, values[kind], font=writer.digit_font)
            else:
                number(split + 14, kind)
            writer.newline(2.0)
            rows.append(writer.y - int(writer.size * 0.45))
        for y in rows:
            writer.draw.line([writer.x0, y, writer.x0 + width, y], fill=writer.ink, width=2)
        for x in (writer.x0, split, writer.x0 + width):
            writer.draw.line([x, rows[0], x, rows[-1]], fill=writer.ink, width=2)
        writer.newline()
        writer.paragraph(rng.choice(FILLER), width)
    return image, writer.text_layer


def _degrade(image: Image.Image, rng: random.Random) -> tuple[Image.Image, float]:
    from PIL import Image, ImageFilter

    angle = rng.uniform(-2.0, 2.0)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=250)
    if rng.random() < 0.6:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    pixels = image.load()
    if pixels is None:  # never for an image made in memory
        raise RuntimeError("the page picture has no pixels")
    width, height = image.size
    for _ in range(rng.randint(800, 4000)):  # speckle
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = rng.randint(0, 120)
    return image, angle


def _junk(rng: random.Random, length: int) -> str:
    alphabet = "扫描件文档第页共版本号ABCDEFGHscanPDFx0123456789-_/ "
    return "".join(rng.choice(alphabet) for _ in range(length))


def _pdf(
    image: Image.Image,
    rng: random.Random,
    text_layer: str,
    lines: list[tuple[str, float, float, float]],
    quality: int,
) -> bytes:
    """The page picture as a PDF page (a JPEG covering the page), with an invisible text layer
    when asked: junk, or a scanner's that read the words and lost every digit."""
    import pikepdf

    from letters.records.pdf import _append_image_page

    pdf = pikepdf.new()
    page = _append_image_page(pdf, image.convert("RGB"), DPI, quality=quality)
    if text_layer != "none":
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Courier
            )
        )
        page.obj.Resources.Font = pikepdf.Dictionary(F1=font)
        height_pt = image.height / DPI * 72
        ops = ["BT 3 Tr"]
        for text, x, y, size in lines:
            if text_layer == "junk":
                content = _junk(rng, max(8, len(text)))
            else:  # the scanner's: letters kept as '?', digits lost
                content = "".join("?" if not c.isdigit() else rng.choice("lIO|") for c in text)
            ascii_text = content.encode("ascii", "replace").decode()
            escaped = ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            size_pt = size / DPI * 72
            ops.append(
                f"/F1 {size_pt:.1f} Tf 1 0 0 1 {x / DPI * 72:.1f} "
                f"{height_pt - (y + size) / DPI * 72:.1f} Tm ({escaped}) Tj"
            )
        ops.append("ET")
        page.obj.Contents = pikepdf.Array(
            [page.obj.Contents, pikepdf.Stream(pdf, "\n".join(ops).encode())]
        )
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def make_page(
    rng: random.Random, *, layout: str, digits: str, font: str, text_layer: str
) -> ScanPage:
    """One generated scanned page (a JPEG covering the page, the text layer asked for)."""
    values = {
        "name": person_name(rng),
        "id_number": id_number(rng),
        "mobile": mobile(rng),
        "bank_card": bank_card(rng),
    }
    image, lines = _draw_page(rng, layout, digits, font, values)
    image, angle = _degrade(image, rng)
    data = _pdf(image, rng, text_layer, lines, quality=rng.randint(60, 85))
    return ScanPage(
        pdf=data,
        planted=[Planted(kind, value) for kind, value in values.items()],
        layout=layout,
        digits=digits,
        font=font,
        text_layer=text_layer,
        rotation=angle,
        names=[values["name"]],
    )


def generate(count: int, seed: int = 22) -> list[ScanPage]:
    """`count` pages, cycling through every layout, digit style, font and text layer."""
    rng = random.Random(seed)  # noqa: S311 (test pages, not secrets)
    return [
        make_page(
            rng,
            layout=LAYOUTS[n % len(LAYOUTS)],
            digits="boxes" if LAYOUTS[n % len(LAYOUTS)] == "boxed" else DIGIT_STYLES[(n // 4) % 3],
            font=list(FONTS)[n % len(FONTS)],
            text_layer=TEXT_LAYERS[(n // 2) % len(TEXT_LAYERS)],
        )
        for n in range(count)
    ]


@dataclass
class Score:
    """What the detector found on a set of generated pages."""

    planted: dict[str, int] = field(default_factory=dict)  # kind → planted
    found: dict[str, int] = field(default_factory=dict)  # kind → planted and found
    suggestions: int = 0
    true_suggestions: int = 0
    seconds: float = 0.0
    pages: int = 0
    missed: list[str] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.planted)
        planted = sum(self.planted.get(k, 0) for k in kinds)
        return sum(self.found.get(k, 0) for k in kinds) / planted if planted else 1.0

    def precision(self) -> float:
        return self.true_suggestions / self.suggestions if self.suggestions else 1.0


def evaluate(pages: list[ScanPage]) -> Score:
    """Run the suggestions as record_process does (pages_text, then page_findings with the
    record's names) on each page and count what was planted and found; a suggestion is true
    when its kind and value are a planted one's."""
    import time

    from letters.records.pdf import pages_text
    from letters.records.pii import normalised, page_findings

    score = Score()
    for number, page in enumerate(pages, start=1):
        started = time.perf_counter()
        findings = [
            finding
            for _index, text in pages_text(page.pdf)
            for finding, _rects in page_findings(text, page.names)
        ]
        score.seconds += time.perf_counter() - started
        score.pages += 1
        read = {(f.kind, normalised(f)) for f in findings}
        planted = {(p.kind, p.value) for p in page.planted}
        for kind, value in planted:
            score.planted[kind] = score.planted.get(kind, 0) + 1
            if (kind, value) in read:
                score.found[kind] = score.found.get(kind, 0) + 1
            else:
                score.missed.append(
                    f"page {number} ({page.layout}, {page.digits}, {page.font}, "
                    f"text layer {page.text_layer}): {kind} {value}"
                )
        score.suggestions += len(findings)
        score.true_suggestions += sum(1 for f in findings if (f.kind, normalised(f)) in planted)
    return score
