"""HTML and PDF for letters. The only module that imports WeasyPrint.

Security: all case and applicant text is autoescaped; WeasyPrint fetches nothing but `data:`
URLs and files inside the bundled asset folder (no network, no other local files); one
FontConfiguration is shared by every render (memory stays flat).
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from casework.payloads import TemplateContext
from letters.fonts import font_stacks
from letters.layout import clean_context, closing_height_mm, layout_letter, wording_paragraphs
from letters.typeset import BASE_SPACING_PT, LINE_BREAK, MM, PITCH_PT, Line

if TYPE_CHECKING:  # WeasyPrint loads native libraries: imported where it is used
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

_font_lock = threading.Lock()
_font_config: FontConfiguration | None = None


def render_paragraphs(wording: str, context: TemplateContext) -> list[str]:
    """The wording's paragraphs as escaped HTML (for previews in a page); one-line fields lose
    their line breaks, so a value never starts a paragraph of its own."""

    return [
        mark_safe(escape(text).replace(LINE_BREAK, "<br>"))
        for text in wording_paragraphs(wording, context)
    ]


def seal_data_uri(path: str | None) -> str | None:
    if not path:
        return None
    data = Path(path).read_bytes()
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _css_string(text: str) -> str:
    """Text for a CSS string in a <style> element: no quote, backslash, markup or line break
    can end the string or the element."""
    escaped = "".join(
        c if c.isalnum() or c in " 　-—:：/.〔〕（）" else f"\\{ord(c):x} " for c in text
    )
    return mark_safe(escaped)


def _rows(lines: list[Line]) -> list[TemplateContext]:
    return [
        {"text": line.text, "spacing": line.spacing, "pad": round(line.indent * PITCH_PT / MM, 3)}
        for line in lines
    ]


def render_letter_html(
    *,
    context: TemplateContext,
    wording: str,
    verification_code: str,
    seal: str | None = None,
    draft: bool = False,
) -> str:
    """The letter's HTML, laid out on the GB/T 9704-2012 letter format (letters.layout)."""

    layout = layout_letter(context=context, wording=wording, sealed=bool(seal))
    pitch = layout.pitch_mm
    organ = clean_context({"organ_name": context.get("organ_name", "")})["organ_name"]
    masthead_pt = min(30.0, 150 / max(len(organ), 1) * 72 / 25.4)
    masthead_mm = masthead_pt / 72 * 25.4
    redline_top = -7 + masthead_mm + 4  # 4 mm below the organ's name (10.1)
    # The name's top edge 30 mm from the page top (10.1): the font's ascent sits 0.217 em above
    # the line box of line-height 1.
    masthead_top = -7 - 0.217 * masthead_mm
    # The document number 7/8 of a 3号 character below the red double line (10.1).
    number_glyph_top = redline_top + 2.15 + 5.644 * 7 / 8
    first_line = number_glyph_top - (pitch - 5.644) / 2
    code = verification_code
    top = 37 + redline_top  # page coordinates, mm
    redlines = (
        "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='210mm' "
        "height='297mm' viewBox='0 0 210 297'><g fill='%23e60000'>"
        f"<rect x='20' y='{top:.3f}' width='170' height='1.2'/>"
        f"<rect x='20' y='{top + 1.8:.3f}' width='170' height='0.35'/>"
        "<rect x='20' y='274.85' width='170' height='0.35'/>"
        "<rect x='20' y='275.8' width='170' height='1.2'/></g></svg>"
    )
    verify_url = f"{settings.SITE_URL.rstrip('/')}/verify/"
    verify_line = f"文书编号 {context.get('number', '')}　验证码 {code}　核验：{verify_url}"
    return render_to_string(
        "letters/letter.html",
        {
            "c": clean_context(context),
            "layout": layout,
            "body_rows": _rows([line for block in layout.blocks for line in block.lines]),
            "keep_rows": _rows([line for block in layout.keep for line in block.lines]),
            "note_rows": _rows(layout.note),
            "fonts": font_stacks(),
            "verification_code": code,
            "verify_line": _css_string(verify_line),
            "seal": seal,
            "draft": draft,
            "pitch": f"{pitch:.4f}",
            "two_lines": f"{2 * pitch:.4f}",
            "first_line_mm": f"{first_line:.3f}",
            "masthead_pt": f"{masthead_pt:.2f}",
            "masthead_top": f"{masthead_top:.3f}",
            "redlines": mark_safe(redlines),
            "base_spacing": round(BASE_SPACING_PT, 4),
            "sig_top": f"{(2 if seal else 1) * pitch:.4f}",
            "date_top": f"{(3 if seal else 2) * pitch:.4f}",
            "closing_height": f"{closing_height_mm(pitch, bool(seal)):.4f}",
        },
    )


def _fetcher() -> URLFetcher:
    from weasyprint.urls import URLFetcher

    asset_dir = Path(settings.LETTER_ASSET_DIR).resolve()

    class AssetOnlyFetcher(URLFetcher):
        """Allows `data:` URLs and files inside the asset folder; refuses everything else."""

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(asset_dir) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"letters may not load {url!r}")

    return AssetOnlyFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def shared_font_config() -> FontConfiguration:
    global _font_config
    with _font_lock:
        if _font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            _font_config = FontConfiguration()
        return _font_config


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # native libraries load only when a PDF is made; no fallback

    document = HTML(
        string=html,
        base_url=str(Path(settings.LETTER_ASSET_DIR).resolve()) + "/",
        url_fetcher=_fetcher(),
    )
    pdf: bytes = document.write_pdf(font_config=shared_font_config())
    _release_freed_memory()
    return pdf


def _release_freed_memory() -> None:
    """A render allocates tens of MB (layout, font subsets) and frees them; glibc keeps freed
    arenas mapped, so a long-running worker's memory creeps up letter after letter. Giving
    the free pages back keeps it flat (measured by bench_letters)."""
    global _malloc_trim
    if _malloc_trim is None:
        import ctypes
        import ctypes.util

        try:
            _malloc_trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        except (OSError, AttributeError):  # not glibc: nothing to do
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Callable[[int], object] | Literal[False] | None = None
