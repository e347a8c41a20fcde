"""Officers' text set into the letter's sentences (GB/T 9704 body text; issue 21).

Whatever an officer types goes into a letter either as a sentence of its own (the reasons, the
withheld part, the items to correct) or inside one of the wording's sentences (an organ's
name, a contact, a place searched). A sentence ends with exactly one closing mark (。 added
when missing; a trailing ；，、： is dropped first), so the next fixed sentence of the wording
never runs on from it ("…不属于本机关根据…"); a clause loses its trailing punctuation, so the
wording's own 。 or ， follows it cleanly. Line breaks inside the text stay (letters.layout).
"""

from __future__ import annotations

import re

from casework.payloads import TemplateContext

# Marks that close a sentence; a closing quote or bracket may follow them (…。” …。）).
SENTENCE_ENDS = "。！？!?…"
CLOSERS = "”’」』）)】"
# Trailing marks that leave a sentence open.
OPEN_ENDS = "；;，,、：:。.！!？? \u3000\t"

# How each officer-entered value of the letter context is set: a sentence of its own or a
# clause inside the wording's sentence. Every officer-entered key of letters.context is here.
OFFICER_TEXT: dict[str, str] = {
    "reasons": "sentence",
    "withheld": "sentence",
    "correction_items": "sentence",
    "responsible_unknown": "sentence",
    "extension_reason": "clause",
    "where_published": "clause",
    "responsible_organ": "clause",
    "responsible_contact": "clause",
    "consultation_matter": "clause",
    "search_places": "clause",
    "search_systems": "clause",
    "search_period": "clause",
    "step_reason": "clause",  # the step's reason, which a new wording quotes (DEVELOPING)
}


def _rstrip_lines(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def as_clause(value: object) -> str:
    """The text inside a sentence of the wording: no trailing punctuation."""
    return _rstrip_lines(str(value or "")).rstrip(OPEN_ENDS).strip()


def as_sentence(value: object) -> str:
    """The text as a full sentence: one closing mark at the end, none of ；，、： before it."""
    text = _rstrip_lines(str(value or ""))
    if not text:
        return ""
    body = text.rstrip(CLOSERS)
    tail = text[len(body) :]
    if body and body[-1] in SENTENCE_ENDS and body.rstrip(SENTENCE_ENDS):
        # Already closed (…。 …！ …。”); collapse a doubled 。。 to one.
        stem = body.rstrip("。")
        return (stem + "。" if body.endswith("。") else body) + tail
    stripped = body.rstrip(OPEN_ENDS)
    if not stripped:
        return ""
    return stripped + tail + "。" if tail else stripped + "。"


def search_terms_quoted(value: object) -> str:
    """Search terms as the letter quotes them: “安置计划”“2025年” (split on spaces, 、 ，,；;)."""

    terms = [t.strip("“”\"'‘’ ") for t in re.split(r"[\s、，,；;]+", str(value or ""))]
    return "".join(f"“{t}”" for t in terms if t)


def set_officer_texts(context: TemplateContext) -> TemplateContext:
    """The letter context with every officer-entered text set as a sentence or a clause."""
    for key, mode in OFFICER_TEXT.items():
        if isinstance(context.get(key), str):
            context[key] = (
                as_sentence(context[key]) if mode == "sentence" else as_clause(context[key])
            )
    if isinstance(context.get("search_terms"), str):
        context["search_terms"] = search_terms_quoted(context["search_terms"])
    return context
