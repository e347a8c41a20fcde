"""Ruled lines out of a page picture before OCR (issue 22, point 6).

Forms print numbers one digit per box, and tables put them between borders; Tesseract reads
a box's sides as `[`, `]`, `|`, `l` or `1`, which breaks an ID number into noise. Before a
page is OCR'd, the long horizontal rules (underlines, table borders, the tops and bottoms of
boxes) are painted white, and so are the vertical strokes that hang from them (the sides of
boxes, table columns); the characters, which do not touch the rules, stay. Only the picture
that OCR reads is changed; positions are unchanged, so boxes found on it fit the page.

Everything is done with Pillow's whole-image operations (shifted copies combined with
lighter/darker), tolerant of a scan rotated by a couple of degrees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported where it is used
    from PIL.Image import Image

INK = 150  # grey levels below this are ink
# A horizontal run at least this long (in pixels at the OCR resolution) is a rule: about two
# character widths at RECORDS_OCR_DPI 150 — no stroke of a character is that long.
RULE_LENGTH = 64
# How far (pixels) a vertical stroke is followed from a rule: a box's side.
SIDE_REACH = 72


def _shift(image: Image, dx: int, dy: int) -> Image:
    """The image moved by (dx, dy), the uncovered edge white (not wrapped around)."""
    from PIL import Image

    moved = Image.new("L", image.size, 255)
    moved.paste(image, (dx, dy))
    return moved


def _all_dark_run(mask: Image, length: int, dx: int, dy: int) -> Image:
    """Dark where `length` consecutive pixels from here, stepping (dx, dy), are all dark."""
    from PIL import ImageChops

    run, covered = mask, 1
    while covered < length:
        step = min(covered, length - covered)
        run = ImageChops.lighter(run, _shift(run, -dx * step, -dy * step))
        covered += step
    return run


def _spread(mask: Image, length: int, dx: int, dy: int) -> Image:
    """Each dark pixel extended `length - 1` pixels further in the direction (dx, dy)."""
    from PIL import ImageChops

    grown, covered = mask, 1
    while covered < length:
        step = min(covered, length - covered)
        grown = ImageChops.darker(grown, _shift(grown, dx * step, dy * step))
        covered += step
    return grown


def remove_rules(image: Image) -> Image:
    """A copy of the greyscale page picture with ruled lines and box sides painted over in
    the paper's colour."""
    from PIL import Image, ImageChops

    ink = image.point(lambda v: 0 if v < INK else 255)
    # Let a slightly rotated rule stay one run: thicken ink vertically by 2 px each way.
    thick = ink
    for dy in (-2, -1, 1, 2):
        thick = ImageChops.darker(thick, _shift(ink, 0, dy))
    starts = _all_dark_run(thick, RULE_LENGTH, 1, 0)
    rules = _spread(starts, RULE_LENGTH, 1, 0)
    rules = ImageChops.lighter(rules, _spread(ink, 1, 0, 0))  # only the ink of the band
    # Sides: ink connected vertically to a rule, within SIDE_REACH, 1 px of sideways slack.
    wide = ink
    for dx in (-1, 1):
        wide = ImageChops.darker(wide, _shift(ink, dx, 0))
    sides = rules
    for _ in range(SIDE_REACH):
        grown = ImageChops.darker(
            sides, ImageChops.darker(_shift(sides, 0, 1), _shift(sides, 0, -1))
        )
        grown = ImageChops.lighter(grown, wide)
        if grown.tobytes() == sides.tobytes():
            break
        sides = grown
    erase = ImageChops.darker(rules, sides)
    # Paint the paper's colour (the commonest grey) where erase is dark (ink of a rule or a
    # side, a pixel around included): white on grey paper would leave the boxes' outlines.
    erase = _spread(_spread(erase, 2, 1, 0), 2, 0, 1)
    histogram = image.histogram()
    paper = max(range(INK, 256), key=lambda level: histogram[level])
    cleaned = Image.composite(Image.new("L", image.size, paper), image, ImageChops.invert(erase))
    return binarise(cleaned, paper, histogram)


def binarise(image: Image, paper: int, histogram: list[int]) -> Image:
    """Black and white at the midpoint between the paper and the typical ink: what is left
    of an erased rule's soft edge (a pale grey Tesseract's own threshold may keep on grey
    paper) turns to paper, the strokes of the characters to ink."""
    dark = histogram[:INK]
    total = sum(dark)
    if total == 0:
        return image
    seen, ink = 0, 0
    for level, count in enumerate(dark):
        seen += count
        if seen * 2 >= total:
            ink = level
            break
    threshold = (paper + ink) // 2
    return image.point(lambda v: 0 if v < threshold else 255)
