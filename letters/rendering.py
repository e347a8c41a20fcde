"""HTML and PDF for letters. The only module that imports WeasyPrint.

Security: all case and applicant text is autoescaped; WeasyPrint fetches nothing but `data:`
URLs and files inside the bundled asset folder (no network, no other local files); one
FontConfiguration is shared by every render (memory stays flat).
"""

from __future__ import annotations

import base64
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

_font_lock = threading.Lock()
_font_config: Any = None


def render_paragraphs(wording: str, context: dict[str, Any]) -> list[str]:
    """The wording template rendered with autoescape, split into paragraphs."""
    text = Template(wording).render(Context(context, autoescape=True))
    return [
        mark_safe(block.strip().replace("\n", "<br>"))
        for block in text.split("\n\n")
        if block.strip()
    ]


def seal_data_uri(path: str | None) -> str | None:
    if not path:
        return None
    data = Path(path).read_bytes()
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def render_letter_html(
    *,
    context: dict[str, Any],
    wording: str,
    verification_code: str,
    seal: str | None = None,
    draft: bool = False,
) -> str:
    return render_to_string(
        "letters/letter.html",
        {
            "c": context,
            "paragraphs": render_paragraphs(wording, context),
            "fonts": settings.LETTER_FONTS,
            "verification_code": verification_code,
            "seal": seal,
            "draft": draft,
        },
    )


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    asset_dir = Path(settings.LETTER_ASSET_DIR).resolve()

    class AssetOnlyFetcher(URLFetcher):
        """Allows `data:` URLs and files inside the asset folder; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(asset_dir) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"letters may not load {url!r}")

    return AssetOnlyFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def shared_font_config() -> Any:
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


_malloc_trim: Any = None
