"""Uploaded files: an allow-list checked by content (not by name or browser claim) and a
size cap, stored under random names outside any public folder. What is stored is rebuilt:
images decoded and encoded afresh, PDFs copied page by page into a new file
(casework.pdf_rebuild), so nothing the checks do not know survives."""

from __future__ import annotations

import hashlib
import io
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.base import ContentFile, File
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from casework.errors import InvalidInput
from casework.lifecycle.actors import ActorLike, as_actor
from casework.models import Attachment, Case
from casework.pdf_rebuild import pdf_dangers, pdf_rebuild

# What we accept, recognised by the first bytes of the file.
SIGNATURES: list[tuple[bytes, str, tuple[str, ...]]] = [
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
]


def attachment_check(uploaded: File[bytes], *, field: str = "attachments") -> str:
    """Return the real content type of an upload, or raise InvalidInput (Chinese message)."""
    name = str(getattr(uploaded, "name", "") or "")
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise InvalidInput(
            _("“%(name)s” is too large: at most %(mb)d MB.")
            % {"name": name, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field=field,
        )
    if uploaded.size == 0:
        raise InvalidInput(_("“%(name)s” is empty.") % {"name": name}, field=field)
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    if _looks_like_html(head):
        raise InvalidInput(
            _("“%(name)s” contains web-page code and is refused.") % {"name": name}, field=field
        )
    for magic, content_type, extensions in SIGNATURES:
        if head.startswith(magic):
            if not name.lower().endswith(extensions):
                raise InvalidInput(
                    _("“%(name)s” is not what its name says; upload PDF, JPEG or PNG files only.")
                    % {"name": name},
                    field=field,
                )
            if content_type == "application/pdf":
                _pdf_check(uploaded, name=name, field=field)
            return content_type
    raise InvalidInput(
        _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name}, field=field
    )


# Browsers sniff the first bytes of a file for markup; a PDF or image that also reads as HTML
# (a polyglot) could run script if ever served inline, so any such start is refused.
_HTML_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<object",
    b"<embed",
    b"<meta",
    b"<style",
    b"javascript:",
)


def _looks_like_html(head: bytes) -> bool:
    lowered = head.lower()
    return any(marker in lowered for marker in _HTML_MARKERS)


def _pdf_check(uploaded: File[bytes], *, name: str, field: str) -> None:
    """Open the PDF (pikepdf/qpdf) and refuse any active or embedded content found at any
    depth (casework.pdf_rebuild.pdf_dangers)."""
    import pikepdf

    uploaded.seek(0)
    try:
        with pikepdf.open(io.BytesIO(uploaded.read())) as pdf:
            found = pdf_dangers(pdf)
    except pikepdf.PdfError:
        raise InvalidInput(
            _("“%(name)s” is not a readable PDF file.") % {"name": name}, field=field
        ) from None
    finally:
        uploaded.seek(0)
    if found:
        raise InvalidInput(
            _("“%(name)s” contains scripts, actions or embedded files; upload a plain PDF.")
            % {"name": name},
            field=field,
        )


def pdf_reencode(uploaded: File[bytes], *, name: str, field: str) -> bytes:
    """The checked PDF rebuilt from its pages' contents only (casework.pdf_rebuild): what is
    stored is this copy, never the file as it came."""
    import pikepdf

    uploaded.seek(0)
    try:
        return pdf_rebuild(uploaded.read())
    except pikepdf.PdfError:
        raise InvalidInput(
            _("“%(name)s” is not a readable PDF file.") % {"name": name}, field=field
        ) from None
    finally:
        uploaded.seek(0)


def image_reencode(uploaded: File[bytes], content_type: str, *, name: str, field: str) -> bytes:
    """Decode the image fully (Pillow) and encode it afresh: whatever was hidden after or
    inside the picture data (scripts, archives, metadata) does not survive."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)  # the re-encoded copy drops EXIF
            fmt = "JPEG" if content_type == "image/jpeg" else "PNG"
            if image.format != fmt:
                raise ValueError(image.format)
            clean = (
                upright.convert("RGB")
                if fmt == "JPEG" and upright.mode not in ("RGB", "L")
                else upright
            )
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(
            _("“%(name)s” is not a readable image.") % {"name": name}, field=field
        ) from None
    finally:
        uploaded.seek(0)
    return out.getvalue()


def attachment_add(
    *, case: Case, kind: str, uploaded: File[bytes], actor: ActorLike | None = None
) -> Attachment:
    """Store one checked upload on a case (call inside the transaction that records the case)."""
    content_type = attachment_check(uploaded)
    name = str(uploaded.name)
    if content_type.startswith("image/"):
        uploaded = ContentFile(
            image_reencode(uploaded, content_type, name=name, field="attachments"), name=name
        )
    else:  # a PDF: stored as rebuilt from its pages, never as it came
        uploaded = ContentFile(pdf_reencode(uploaded, name=name, field="attachments"), name=name)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = Attachment(
        case=case,
        kind=kind,
        original_name=str(uploaded.name)[:200],
        content_type=content_type,
        size=uploaded.size,
        sha256=digest.hexdigest(),
        uploaded_by=None if actor is None else as_actor(actor).user,
    )
    attachment.file.save("upload", uploaded, save=False)
    attachment.save()
    return attachment


def correction_uploads_check(case: Case, count: int) -> None:
    """The limits on online corrections (Art 30): at most CORRECTION_MAX_FILES files in one
    submission and CORRECTION_MAX_SUBMISSIONS submissions per case, so the tracking page
    cannot be used to pour files into a case (InvalidInput, Chinese message)."""
    most_files = int(settings.CORRECTION_MAX_FILES)
    if count > most_files:
        raise InvalidInput(
            _("At most %(limit)d files may be sent with one correction; you chose %(count)d.")
            % {"limit": most_files, "count": count},
            field="attachments",
        )
    most_submissions = int(settings.CORRECTION_MAX_SUBMISSIONS)
    if case.events.filter(kind="submit_correction").count() >= most_submissions:
        raise InvalidInput(
            _(
                "This case has already received %(limit)d online corrections; send any "
                "further correction to the office by post or in person."
            )
            % {"limit": most_submissions}
        )


class UploadTooLarge(RequestDataTooBig):
    """An upload past the limit; a SuspiciousOperation, so Django answers 400 even unhandled."""


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: refuses a request whose declared length is past
    UPLOAD_MAX_REQUEST_BYTES before reading it, and stops reading a file as soon as it passes
    ATTACHMENT_MAX_BYTES (a 300 MB body is never read in full, chunked or not)."""

    def _file_limit(self) -> int:
        """Anyone: ATTACHMENT_MAX_BYTES per file; signed-in staff also upload responsive
        records (RECORDS_MAX_BYTES)."""
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return max(settings.ATTACHMENT_MAX_BYTES, getattr(settings, "RECORDS_MAX_BYTES", 0))
        return int(settings.ATTACHMENT_MAX_BYTES)

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],  # noqa: N803 (Django's parameter name)
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        total = max(settings.UPLOAD_MAX_REQUEST_BYTES, self._file_limit() + 1024 * 1024)
        if content_length > total:
            raise UploadTooLarge(
                _("The upload is too large: at most %(mb)d MB in one submission.")
                % {"mb": total // (1024 * 1024)}
            )

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = start + len(raw_data)
        limit = self._file_limit()
        if self.received > limit:
            raise UploadTooLarge(
                _("“%(name)s” is too large: at most %(mb)d MB.")
                % {"name": self.file_name, "mb": limit // (1024 * 1024)}
            )
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
