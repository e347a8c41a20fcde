"""PDFs from outside are rebuilt, not trusted (issue 22, point 3).

Two steps, both over every object of the file at any depth (not only the top-level
dictionaries):

- `pdf_dangers` names what runs code, opens other files or programs, or carries files:
  JavaScript, launch actions, remote go-tos (a UNC path fetches a Windows share on open),
  form submission, embedded files, rich media, XFA. The applicant's uploads are refused when
  it finds any (the applicant is told why).
- `pdf_rebuild` copies what a page shows (its content streams and the resources they draw
  with, annotations' appearances flattened into the content first) into a fresh document.
  The catalogue, outlines, names tree, forms, annotations, page and document actions,
  metadata and everything no page draws are left behind; what is copied is scrubbed again of
  action, link and external-file keys. Every PDF an applicant, an agent or an officer uploads
  is stored as this copy, so whatever the inspection does not recognise does not survive.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # pikepdf is loaded when a PDF is checked, not with the module
    import pikepdf

PdfValue: TypeAlias = "pikepdf.Object | int | Decimal"
"""A value read from a PDF: pikepdf gives numbers as Python ints or Decimals."""

# Action types (the /S of an action dictionary) that run code, open a program or another
# file, send data out or play media.
DANGEROUS_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/GoToR",
    "/GoToE",
    "/ImportData",
    "/SubmitForm",
    "/RichMediaExecute",
    "/Rendition",
    "/Movie",
    "/Sound",
}
# Keys that carry code, files or forms with code, wherever they appear.
DANGEROUS_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
# Object types (/Type or /Subtype) that carry files or media.
DANGEROUS_TYPES = {"/EmbeddedFile", "/RichMedia", "/Movie", "/Sound", "/Screen", "/FileAttachment"}
# A URI that reaches the local disk or a Windows share (\\host\share leaks the user's hash).
_LOCAL_URI_PREFIXES = ("file:", "\\\\", "//", "smb:")

# Keys removed from everything copied into the rebuilt file: actions, links, external
# streams and reference XObjects, optional-content and structure trees that point back at
# what was left behind.
_SCRUBBED_KEYS = {
    "/A",
    "/AA",
    "/OpenAction",
    "/JS",
    "/JavaScript",
    "/URI",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
    "/Annots",
    "/AcroForm",
    "/Names",
    "/Ref",
    "/OPI",
    "/Metadata",
    "/PieceInfo",
    "/StructParents",
}
# On stream dictionaries only: stream data read from an external file.
_SCRUBBED_STREAM_KEYS = {"/F", "/FFilter", "/FDecodeParms", "/DL"}
# What a page needs to be shown as it was.
_PAGE_KEYS = ("/MediaBox", "/CropBox", "/Rotate", "/UserUnit", "/Group")


def _children(obj: pikepdf.Object) -> list[pikepdf.Object]:
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        return list(obj.stream_dict.values())
    if isinstance(obj, pikepdf.Dictionary):
        return list(obj.values())
    if isinstance(obj, pikepdf.Array):
        return list(obj)
    return []


def _walk(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every dictionary (and stream dictionary) of the file, direct ones inside others
    included: each indirect object once, then everything nested in it that is not itself an
    indirect object (those are reached on their own)."""
    import pikepdf

    for item in pdf.objects:
        stack = [item]
        while stack:
            obj = stack.pop()
            if isinstance(obj, pikepdf.Stream):
                yield obj.stream_dict
            elif isinstance(obj, pikepdf.Dictionary):
                yield obj
            for child in _children(obj):
                if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and (
                    not child.is_indirect
                ):
                    stack.append(child)


def pdf_dangers(pdf: pikepdf.Pdf) -> set[str]:
    """The dangerous names found anywhere in an open pikepdf document (empty when none)."""
    import pikepdf

    found: set[str] = set()
    for obj in _walk(pdf):
        found.update(key for key in DANGEROUS_KEYS if key in obj)
        action = obj.get("/S")
        if isinstance(action, pikepdf.Name) and str(action) in DANGEROUS_ACTIONS:
            found.add(str(action))
        for key in ("/Type", "/Subtype"):
            value = obj.get(key)
            if isinstance(value, pikepdf.Name) and str(value) in DANGEROUS_TYPES:
                found.add(str(value))
        uri = obj.get("/URI")
        if isinstance(uri, pikepdf.String):
            text = bytes(uri).decode("latin-1").strip().lower()
            if text.startswith(_LOCAL_URI_PREFIXES):
                found.add("/URI(local)")
    return found


def _scrub(pdf: pikepdf.Pdf) -> None:
    """Remove action, link and external-file keys from every object of the (rebuilt) file."""
    import pikepdf

    for item in list(pdf.objects):
        stack = [item]
        while stack:
            obj = stack.pop()
            target = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if isinstance(target, pikepdf.Dictionary):
                keys = _SCRUBBED_KEYS | (
                    _SCRUBBED_STREAM_KEYS if isinstance(obj, pikepdf.Stream) else set()
                )
                for key in [k for k in keys if k in target]:
                    del target[key]
            for child in _children(obj):
                if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and (
                    not child.is_indirect
                ):
                    stack.append(child)


def pdf_rebuild(data: bytes) -> bytes:
    """A fresh PDF showing the same pages: page contents and their resources only. Raises
    pikepdf.PdfError for a file qpdf cannot read (the caller words the refusal)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as source:
        # Stamps, signatures drawn as annotations and filled form fields stay visible; a
        # broken annotation is dropped with the rest below.
        with contextlib.suppress(pikepdf.PdfError, ValueError, TypeError, KeyError):
            source.flatten_annotations(mode="all")
        out = pikepdf.new()
        for page in source.pages:
            fresh = pikepdf.Dictionary(Type=pikepdf.Name.Page)
            for key in _PAGE_KEYS:
                # Inherited values (MediaBox, Rotate...) are read through the page tree.
                value = page.obj.get(key)
                if value is None and key in ("/MediaBox", "/CropBox", "/Rotate"):
                    value = _inherited(page.obj, key)
                if value is not None:
                    fresh[key] = _copy_direct(out, value)
            if "/MediaBox" not in fresh:
                fresh.MediaBox = pikepdf.Array([0, 0, 612, 792])
            resources = page.obj.get("/Resources") or _inherited(page.obj, "/Resources")
            fresh.Resources = (
                pikepdf.Dictionary() if resources is None else _copy_direct(out, resources)
            )
            contents = page.obj.get("/Contents")
            if contents is not None:
                fresh.Contents = _copy_direct(out, contents)
            out.pages.append(pikepdf.Page(fresh))
        _scrub(out)
        if "/Info" in out.trailer:
            del out.trailer["/Info"]
        buffer = io.BytesIO()
        out.save(buffer, fix_metadata_version=False, deterministic_id=True)
    rebuilt = buffer.getvalue()
    with pikepdf.open(io.BytesIO(rebuilt)) as check:
        left = pdf_dangers(check)
    if left:  # nothing dangerous may be reachable in the copy; never store one that has
        raise pikepdf.PdfError(f"active content left after the rebuild: {sorted(left)}")
    return rebuilt


def _copy_direct(out: pikepdf.Pdf, value: PdfValue) -> PdfValue:
    """Copy an object of another file into `out` (copy_foreign takes indirect objects only)."""
    import pikepdf

    if not isinstance(value, pikepdf.Object):
        return value  # a number pikepdf gives as a Python int or Decimal
    if value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy_direct(out, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy_direct(out, item) for key, item in value.items()})
    return value


def _inherited(page: pikepdf.Object, key: str) -> pikepdf.Object | None:
    """An inheritable page attribute (MediaBox, CropBox, Rotate, Resources) from the tree."""
    node = page.get("/Parent")
    depth = 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        node = node.get("/Parent")
        depth += 1
    return None
