"""The items of a request (申请事项): one application that asks for several pieces of
information is answered item by item (LAW.md §1.8, "Multi-item requests": the Regulations do
not say how; practice answers each item in one reply).

- `split_request` splits the request's text into its items from a numbered list ("1. … 2. …",
  "一、… 二、…", "（1）…", "①…") or a "；"-separated list; the registrar checks and edits them
  (`register`, `set_items`).
- `RequestItem` keeps them; a case with fewer than two items has no rows and behaves as a
  single request always did.
- A proposal gives every item its own disposition, basis and reasons
  (`ItemDecisionsField`); an item left without an outcome refuses the proposal, naming it.
- `overall_disposition` derives the case's one disposition (the letter's kind, the report's
  row under the "main" rule) from the items' dispositions; the rule is documented there.

Only the lifecycle writes the rows (`record_items`, `record_item_decisions`), inside the
transition's transaction with the case row locked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.choices import Disposition
from casework.decision_rules import DECISION_FACT_KEYS
from casework.dispositions import REGULATION
from casework.payloads import FormData, Payload, TemplateContext

if TYPE_CHECKING:
    from django.forms.renderers import BaseRenderer

    from rest_framework import serializers

    from casework.lifecycle.inputs import TransitionForm
    from casework.models import Case

ITEM_MAX_LENGTH = 500
MAX_ITEMS = 50

# --- splitting -----------------------------------------------------------------------------------

_CHINESE_NUMERALS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A marker starts the text or follows a line break, a space or punctuation: never the "1" of
# "2021年" or "第1项"; a bracketed one anywhere but after 第 ("第三十六条第（一）项").
_BEFORE = r"(?:^|(?<=[\s：:；;，,。.、）)]))"
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("arabic", re.compile(_BEFORE + r"(\d{1,2})\s*[.．、)）](?!\d)")),
    ("arabic_paren", re.compile(r"(?<![第\d])[（(](\d{1,2})[）)]")),
    ("chinese", re.compile(_BEFORE + r"([一二三四五六七八九十]{1,3})\s*[、.．]")),
    ("chinese_paren", re.compile(r"(?<!第)[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("circled", re.compile(r"([" + _CIRCLED + r"])")),
]
_TRIM = " \t\r\n　：:；;，,。、"


def _numeral(value: str) -> int:
    if value in _CIRCLED:  # before isdigit(), which "①" passes
        return _CIRCLED.index(value) + 1
    if value.isascii() and value.isdigit():
        return int(value)
    if value == "十":
        return 10
    if value.startswith("十"):
        return 10 + _CHINESE_NUMERALS.get(value[1:], 0)
    if "十" in value:
        tens, _sep, units = value.partition("十")
        return _CHINESE_NUMERALS.get(tens, 0) * 10 + _CHINESE_NUMERALS.get(units, 0)
    return _CHINESE_NUMERALS.get(value, 0)


def _numbered(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """The markers 1, 2, 3 … of one numbering style, in order (others of the style are text)."""
    run: list[re.Match[str]] = []
    for match in pattern.finditer(text):
        if _numeral(match.group(1)) == len(run) + 1:
            run.append(match)
    return run if len(run) >= 2 else []


def _clean(item: str) -> str:
    return re.sub(r"\s+", " ", item).strip(_TRIM)[:ITEM_MAX_LENGTH]


def split_items(text: str) -> list[str]:
    """The items of one text: a numbered list (the numbering that starts first; text before
    its "1" is a preamble), else a list separated by "；", else the text as one item."""
    text = (text or "").strip()
    runs = [run for _name, pattern in _MARKERS if (run := _numbered(text, pattern))]
    if runs:
        run = min(runs, key=lambda r: (r[0].start(), -len(r)))
        bounds = [m.end() for m in run]
        ends = [m.start() for m in run[1:]] + [len(text)]
        items = [_clean(text[start:end]) for start, end in zip(bounds, ends, strict=True)]
    else:
        items = [_clean(part) for part in re.split(r"[；;]", text)]
    items = [item for item in items if item]
    return items[:MAX_ITEMS] if len(items) >= 2 else ([_clean(text)] if _clean(text) else [])


def split_request(subject: str, description: str = "") -> list[str]:
    """The items of a request: those of the subject (the information requested) when it lists
    several, else those of the description; a request of one item gives one."""
    for text in (subject, description):
        items = split_items(text)
        if len(items) >= 2:
            return items
    return [_clean(subject)] if _clean(subject) else []


def items_from_lines(text: str) -> list[str]:
    """The items as the registrar typed them: one a line (a numbering at a line's start is
    dropped; an empty line is no item)."""
    lines = [
        re.sub(r"^\s*(?:\d{1,2}[.．、)）]|[（(]\d{1,2}[）)]|[①-⑳])\s*", "", line)
        for line in (text or "").splitlines()
    ]
    return [item for line in lines if (item := _clean(line))]


# --- the stored items ----------------------------------------------------------------------------


class RequestItem(models.Model):
    """One item of a multi-item request, in the applicant's order, with the outcome the last
    proposal gave it (written only by the lifecycle)."""

    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.CASCADE,
        related_name="request_items",
        verbose_name=_("case"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("item requested"), max_length=ITEM_MAX_LENGTH)
    disposition = models.CharField(
        _("disposition"), max_length=40, choices=Disposition.choices, blank=True
    )
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        app_label = "casework"
        verbose_name = _("request item")
        verbose_name_plural = _("request items")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="request_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


def case_items(case: Case) -> list[RequestItem]:
    """The case's items when it has several (a case of one item has none stored)."""
    if getattr(case, "pk", None) is None:
        return []
    return list(RequestItem.objects.filter(case_id=case.pk).order_by("position"))


def item_name(position: int, text: str) -> str:
    """第2项“落实情况”: how a message names an item."""
    return gettext("item %(position)s “%(text)s”") % {"position": position, "text": text}


def record_items(case: Case, items: list[str]) -> Payload:
    """Store what the registrar set (called by the lifecycle): two or more items are kept,
    one item is the request itself and keeps nothing. Returns what the event records."""
    before = [item.text for item in case_items(case)]
    items = items if len(items) >= 2 else []
    if items != before:
        RequestItem.objects.filter(case_id=case.pk).delete()
        RequestItem.objects.bulk_create(
            RequestItem(case_id=case.pk, position=n, text=text)
            for n, text in enumerate(items, start=1)
        )
    recorded: Payload = {"request_items": items} if items else {}
    if before and before != items:
        recorded["items_before"] = before
    return recorded


# --- the case's one disposition ------------------------------------------------------------------

PROVIDED = (Disposition.GRANTED, Disposition.GRANTED_ALREADY_PUBLISHED, Disposition.PARTIAL)
_PRECEDENCE = ("refused.", "unable.", "not_processed.", "other")


def overall_disposition(dispositions: list[str]) -> str:
    """The case's one disposition derived from its items' (in the applicant's order).

    - All items alike: that disposition.
    - Every item provided (予以公开 or 部分公开, Art 36(1)-(2), 37): 部分公开 when any item is
      partial, else 予以公开.
    - Some items provided and some not: 部分公开 (Art 37). The report's row （二） reads
      "部分公开（区分处理的，只计这一情形，不计其他情形）" (LAW.md §3.1): an application of which
      part was given and part was not counts there, once.
    - Nothing provided: the first item (in order) of the first group of 不予公开 (Arts 14-16,
      36(3), 36(7)), 无法提供 (36(4)-(5), 38, 30), 不予处理 (35, 36(6), 39), 其他处理 — the
      decision that withholds most decides the row.

    How table 三 counts a multi-item application is UNCONFIRMED (LAW.md §1.8, §3.1 and open
    question 10): settings.MULTI_ITEM_REPORT_RULE chooses "main" (this disposition, once) or
    "per_item" (casework.annual_report).
    """
    if not dispositions:
        return ""
    if len(set(dispositions)) == 1:
        return dispositions[0]
    provided = [d for d in dispositions if d in PROVIDED]
    if provided and len(provided) == len(dispositions):
        return Disposition.PARTIAL if Disposition.PARTIAL in provided else Disposition.GRANTED
    if provided:
        return Disposition.PARTIAL
    for prefix in _PRECEDENCE:
        for disposition in dispositions:
            if disposition.startswith(prefix):
                return disposition
    return dispositions[0]


def record_item_decisions(case: Case, data: FormData) -> Payload:
    """The lifecycle's half of a per-item proposal (Art 36-39 for each item): each item's
    disposition and basis on its row, the derived disposition on the case; the event records
    every item's decision."""

    decided = sorted(data["items"], key=lambda item: item["position"])
    rows = {item.position: item for item in case_items(case)}
    for item in decided:
        row = rows[item["position"]]
        row.disposition, row.basis = item["disposition"], item["basis"]
        row.save(update_fields=["disposition", "basis"])
    case.disposition = overall_disposition([item["disposition"] for item in decided])
    citations: list[str] = []
    for item in decided:
        short = item["basis"].replace(REGULATION, "《条例》")
        if short not in citations:
            citations.append(short)
    case.disposition_basis = "；".join(citations)[:200]
    return {
        "disposition": case.disposition,
        "basis": case.disposition_basis,
        "item_decisions": decided,
    }


# --- the proposal's per-item blocks --------------------------------------------------------------

# What one item's decision may carry beyond its disposition and basis (the proposal's fields).
ITEM_KEYS = (
    "disposition",
    "basis",
    "reasons",
    "withheld",
    "searched",
    "found",
    "files",
    "where_published",
    "responsible_organ",
    "responsible_contact",
    # The substance of each item's decision (casework.decision_rules: Art 35, 36(4)-(6)).
    "responsible_unknown",
    "search_places",
    "search_systems",
    "search_period",
    "search_terms",
    "earlier_case_number",
    "explanation_requested_on",
    # How a providing item provides (release_gate) and a warned one is confirmed (Art 30/32/37).
    "arrangement",
    "arranged_on",
    "arranged_place",
    "override_warnings",
    "override_reason",
    "catalogue_item",  # Art 36(1): the catalogue item the item's reply points to (issue 26)
)


class ItemDecisionsWidget(forms.Widget):
    """One block of the decision's fields per item on the staff page (names items-2-basis …);
    the API sends the list itself."""

    template_name = "casework/_item_decisions.html"

    def __init__(self, attrs: dict[str, object] | None = None) -> None:
        super().__init__(attrs)
        # Set together by attach_item_decisions for a case of several items.
        self.items: list[RequestItem] = []
        self.item_form: type[TransitionForm] | None = None
        self.case: Case | None = None

    def item_decision_form(
        self, data: FormData | None = None, *, prefix: str | None = None
    ) -> TransitionForm:
        """One item's decision form (bound to `data` when given), for the case."""
        if self.item_form is None or self.case is None:
            raise ValueError("attach_item_decisions has not fitted this widget to a case")
        return self.item_form(data, case=self.case, prefix=prefix)

    def value_from_datadict(self, data: Mapping[str, object], files: object, name: str) -> object:
        value = data.get(name)
        if isinstance(value, list) or not self.items:
            return value
        return [
            {
                "position": item.position,
                **{
                    key: data.get(f"{name}-{item.position}-{key}")
                    for key in ITEM_KEYS
                    if data.get(f"{name}-{item.position}-{key}") not in (None, "")
                },
            }
            for item in self.items
        ]

    def value_omitted_from_data(self, data: Mapping[str, object], files: object, name: str) -> bool:
        return False

    def render(
        self,
        name: str,
        value: object,
        attrs: dict[str, object] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def get_context(
        self, name: str, value: object, attrs: dict[str, object] | None
    ) -> TemplateContext:
        context = super().get_context(name, value, attrs)
        given = (
            {v.get("position"): v for v in value if isinstance(v, dict)}
            if isinstance(value, list)
            else {}
        )
        blocks = []
        for item in self.items:
            prefix = f"{name}-{item.position}"
            data = given.get(item.position)
            form = self.item_decision_form(
                None
                if data is None
                else {f"{prefix}-{k}": v for k, v in data.items() if k in ITEM_KEYS},
                prefix=prefix,
            )
            if data is not None:
                form.is_valid()
            blocks.append({"item": item, "numeral": chinese_numeral(item.position), "form": form})
        context["blocks"] = blocks
        return context


class ItemDecisionsField(forms.Field):
    """Each item's decision: a list of {position, disposition, basis, reasons, …}, every item
    validated by the transition's own decision form (so each item meets the same rules as a
    single decision: a basis that fits, reasons for a refusal, the withheld part of 部分公开 …)."""

    widget = ItemDecisionsWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Decision for each item"))
        kwargs.setdefault(
            "help_text",
            _(
                "Only for a request of several items: a list of {position, disposition, basis, "
                "reasons, …}, one for every item."
            ),
        )
        super().__init__(**kwargs)

    def api_serializer(self, **common: Any) -> serializers.ListField:
        """The API body's field (workflows.api.transitions)."""
        from rest_framework import serializers

        return serializers.ListField(child=serializers.DictField(), allow_empty=True, **common)

    def to_python(self, value: object) -> list[Payload]:
        if value in (None, "", []):
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise forms.ValidationError(_("A list of the items' decisions is expected."))
        return value

    def validate(self, value: list[Payload]) -> None:
        widget: ItemDecisionsWidget = self.widget  # type: ignore[assignment]
        items = {item.position: item for item in getattr(widget, "items", [])}
        if not items:
            if value:
                raise forms.ValidationError(_("This request has one item: decide it as a whole."))
            return
        given: dict[int, Payload] = {}
        for entry in value:
            try:
                position = int(entry.get("position", ""))  # missing: ValueError
            except (TypeError, ValueError):
                raise forms.ValidationError(_("Each item's decision names its position.")) from None
            if position not in items:
                raise forms.ValidationError(
                    _("The request has no item %(position)s.") % {"position": position}
                )
            if position in given:
                raise forms.ValidationError(
                    _("%(item)s is decided twice.")
                    % {"item": item_name(position, items[position].text)}
                )
            given[position] = entry
        missing = [
            item_name(p, item.text)
            for p, item in items.items()
            if not (given.get(p) or {}).get("disposition")
        ]
        if missing:
            raise forms.ValidationError(
                _("No outcome for %(items)s: every item of the request must be answered.")
                % {"items": "、".join(missing)}
            )

    def clean(self, value: object) -> list[FormData]:
        value = self.to_python(value)
        self.validate(value)
        widget: ItemDecisionsWidget = self.widget  # type: ignore[assignment]
        items = {item.position: item for item in getattr(widget, "items", [])}
        if not items:
            return []
        decided = []
        for entry in sorted(value, key=lambda e: int(e["position"])):
            position = int(entry["position"])
            form = widget.item_decision_form({k: v for k, v in entry.items() if k in ITEM_KEYS})
            if not form.is_valid():
                field, messages = next(iter(form.errors.items()))
                label = form.fields[field].label if field in form.fields else ""
                message = f"{label}：{messages[0]}" if label else messages[0]
                raise forms.ValidationError(
                    f"{item_name(position, items[position].text)}：{message}"
                )
            basis = form.cleaned_data["basis"]
            decided.append(
                {
                    "position": position,
                    "text": items[position].text,
                    "disposition": form.cleaned_data["disposition"],
                    "basis": basis.citation,
                    "basis_key": basis.key,
                    **{
                        key: _json_value(form.cleaned_data[key])
                        for key in (*ITEM_KEYS[2:], *DECISION_FACT_KEYS)
                        if form.cleaned_data.get(key)
                    },
                    "reasons": form.cleaned_data.get("reasons") or "",
                }
            )
        return decided


def attach_item_decisions(form: TransitionForm) -> None:
    """Fit a decision form to the case (DecisionInput.setup): a case of several items decides
    each in its own block and the whole-case fields go; otherwise the item list stays hidden
    and empty, and the form is the single decision it always was."""
    field = form.fields.get("items")
    if field is None:
        return
    items = [] if getattr(form, "one_item", False) else case_items(form.case)
    if len(items) < 2:
        form.fields["disposition"].required = True  # the decision of the whole request
        if getattr(form, "one_item", False):
            del form.fields["items"]
        else:
            field.widget = forms.HiddenInput()
        return
    item_form = type(f"Item{type(form).__name__}", (_decision_form(form),), {"one_item": True})
    field.widget.items, field.widget.item_form, field.widget.case = items, item_form, form.case
    field.required = True
    for key in [*ITEM_KEYS]:
        form.fields.pop(key, None)


def _decision_form(form: TransitionForm) -> type:
    from casework.lifecycle.inputs import DecisionInput, ProposeInput

    return ProposeInput if isinstance(form, ProposeInput) else DecisionInput


def _json_value(value: object) -> object:
    """A cleaned value as the event stores it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def item_decisions_text(decided: Iterable[object]) -> str:
    """A proposal's item decisions as the history shows them: "1.安置计划：予以公开；2.…"."""
    labels = dict(Disposition.choices)
    return "；".join(
        f"{d.get('position')}.{d.get('text', '')}：{labels.get(d.get('disposition', ''), '')}"
        + (f"（{d['reasons']}）" if d.get("reasons") else "")
        for d in decided
        if isinstance(d, dict)
    )


def chinese_numeral(n: int) -> str:
    """一 … 九十九: the numbering of the letter's item paragraphs (一、二、…)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    return ("十" if tens == 1 else digits[tens] + "十") + (digits[units] if units else "")


def registered_items(case: Case, data: FormData) -> list[str]:
    """What the registrar entered, one item a line; nothing entered: the automatic split."""
    typed = items_from_lines(data.get("items") or "")
    return typed or split_request(case.subject, case.description)
