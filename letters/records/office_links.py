"""Office documents lose their outside references before LibreOffice opens them (issue 22,
point 4).

A Word or OpenDocument file may show a picture, a section or a sheet that lives elsewhere:
an address on the web (the worker would fetch it, telling the sender it ran and from where)
or a file on the worker's own disk (its content would be embedded in the PDF an officer
reads and may release). Conversion runs without a network (letters.records.sandbox); this
module also removes the references themselves, so a local file is never read either:

- OpenDocument (.odt, .ods): every link-like attribute (href, image data, source) whose value
  leaves the package (a scheme such as http:, file: or C:, an absolute path, a `..`), and DDE
  links; macro folders are dropped;
- Office Open XML (.docx, .xlsx): every relationship with TargetMode="External" (linked
  pictures, remote templates, external workbooks, sub-documents) points at nothing inside the
  package instead, and the field codes that include other files (INCLUDEPICTURE,
  INCLUDETEXT, LINK, DDE, DDEAUTO, IMPORT) or name an outside address are emptied, read
  across the runs of their paragraph;
- formulas (OpenDocument table:formula) that name an outside file or address are dropped
  (the cell keeps its last value).

What the package itself contains (embedded pictures, text, tables) is kept.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree  # type: ignore[import-untyped]

# A value that leaves the package: a URL scheme or a drive letter, an absolute or UNC path,
# or a climb out of the package's folder.
_SCHEME_OR_ROOT = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|[/\\])")
_CLIMB = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)")
# Local names of attributes that make LibreOffice load what they name.
_LINK_ATTRIBUTES = {"href", "image-data", "src", "source"}
_DDE_PREFIX = "dde"
_INCLUDE_FIELD = re.compile(
    r"\b(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDE|DDEAUTO|IMPORT)\b", re.IGNORECASE
)
_DROPPED_FOLDERS = ("Basic/", "Scripts/")
_XML_SUFFIXES = (".xml", ".rels")
EXTERNAL_PLACEHOLDER = "removed-external-reference"


def leaves_package(value: str) -> bool:
    """True for a reference to anything outside the office package (percent-escapes read)."""
    from urllib.parse import unquote

    text = unquote(value).strip()
    return bool(_SCHEME_OR_ROOT.match(text) or _CLIMB.search(text))


def _local(name: object) -> str:
    text = str(name)
    return text.rsplit("}", 1)[-1]


def _parser() -> etree.XMLParser:
    # No DTD, no entities, no network: the XML is read as data only.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# A reference to something outside inside a field instruction or a formula: a scheme with
# //, file:, a UNC path or a drive letter.
_OUTSIDE_TOKEN = re.compile(r"(?i)(?:[a-z][a-z0-9+.\-]*://|file:|\\\\|\b[a-z]:[\\/])")


def _clear_field_instructions(paragraph: etree._Element) -> int:
    """Empty the field instructions (w:instrText) of a Word paragraph that include another
    file or name an outside address. They are read together: an instruction split over
    several runs (INCLUDEPIC + TURE "file:///…") is caught too. The field's last shown
    result stays."""
    instructions = [
        e for e in paragraph.iter() if isinstance(e.tag, str) and _local(e.tag) == "instrText"
    ]
    joined = "".join(e.text or "" for e in instructions)
    if not joined or not (_INCLUDE_FIELD.search(joined) or _OUTSIDE_TOKEN.search(joined)):
        return 0
    for element in instructions:
        element.text = ""
    return len(instructions)


def _clean_xml(data: bytes, *, relationships: bool) -> tuple[bytes, int]:
    """The part with its outside references removed, and how many were removed."""
    root = etree.fromstring(data, _parser())
    removed = 0
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        local = _local(element.tag)
        if relationships and local == "Relationship":
            if (element.get("TargetMode") or "").lower() == "external":
                element.set("Target", EXTERNAL_PLACEHOLDER)
                del element.attrib["TargetMode"]
                removed += 1
            continue
        if local.lower().startswith(_DDE_PREFIX) or local in ("dde-connection-decls",):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
                removed += 1
            continue
        if local == "p":
            removed += _clear_field_instructions(element)
        for name in list(element.attrib):
            attribute = _local(name)
            value = element.attrib[name]
            if attribute == "instr" and _INCLUDE_FIELD.search(value):
                element.attrib[name] = ""
                removed += 1
            elif (
                attribute.lower().startswith(_DDE_PREFIX)
                or (attribute in _LINK_ATTRIBUTES and leaves_package(value))
                or (attribute == "formula" and _OUTSIDE_TOKEN.search(value))
            ):
                del element.attrib[name]
                removed += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), removed


def strip_outside_references(data: bytes) -> tuple[bytes, int]:
    """The office package (a zip) with every outside reference removed, and how many were
    removed. Raises zipfile.BadZipFile or ValueError for a broken package."""
    removed = 0
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            name = info.filename
            if name.startswith(_DROPPED_FOLDERS):
                removed += 1
                continue
            content = source.read(info)
            if name.lower().endswith(_XML_SUFFIXES) and content.strip():
                try:
                    content, count = _clean_xml(content, relationships=name.endswith(".rels"))
                except etree.XMLSyntaxError as exc:
                    raise ValueError(f"{name}: {exc}") from None
                removed += count
            # ODF wants its mimetype first and stored; keep every entry's compression.
            target.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue(), removed
