"""The kinds of letters and their default wording (DESIGN §5, LAW.md §1.8–1.19, §5).

Wording is a Django template per kind in templates/letters/wording/<kind>.txt, one paragraph
per blank-line-separated block. An administrator may replace it without a deploy
(letters.models.LetterWording, versioned); a new version takes effect once the head of the
OGI office approves it; the files are version 1. Variables come from
letters.context.build_letter_context.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import get_template

from casework.choices import Disposition
from casework.dispositions import BASES


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # printed title (without the organ's name)
    label: str  # short name for lists
    to: str  # "applicant", "third_party", "organ"
    needs: str  # what must exist: "receipt", "correction", "extension", "consultation", "fee", "decision"
    remedy: bool  # carries the remedy clause


NOTICES = [
    Kind("acknowledgement", "政府信息公开申请登记回执", "登记回执", "applicant", "receipt", False),
    Kind(
        "correction", "政府信息公开申请补正告知书", "补正告知书", "applicant", "correction", False
    ),
    Kind(
        "extension",
        "政府信息公开申请延期答复告知书",
        "延期答复告知书",
        "applicant",
        "extension",
        False,
    ),
    Kind(
        "consultation_third_party",
        "政府信息公开征求意见书",
        "征求意见书（第三方）",
        "third_party",
        "consultation",
        False,
    ),
    Kind(
        "consultation_organ",
        "政府信息公开征求意见书",
        "征求意见书（共同制作机关）",
        "organ",
        "consultation",
        False,
    ),
    Kind(
        "consultation_notice",
        "政府信息公开申请征求意见告知书",
        "征求意见告知书",
        "applicant",
        "consultation",
        False,
    ),
    Kind("fee_notice", "政府信息公开信息处理费收费通知书", "收费通知书", "applicant", "fee", False),
]

REPLY_TITLE = "政府信息公开申请答复书"
REPLIES = [
    Kind(f"reply.{d.value}", REPLY_TITLE, f"答复书（{d.label}）", "applicant", "decision", True)
    for d in Disposition
]

KINDS: dict[str, Kind] = {k.key: k for k in [*NOTICES, *REPLIES]}


@dataclass(frozen=True)
class Series:
    """The number series (文号 prefix) of the letters that document one kind of step: the
    field of the organ's letter settings (letters.models.LetterSettings, 文书设置) that names
    it, and the word after the organ's short name when that field is empty."""

    field: str
    default: str


# Each kind of notice numbers in its own series (a reply, a correction notice and an extension
# notice are different documents of the organ); one declaration, by what the letter documents
# (Kind.needs). An organ changes them in the admin's 文书设置.
SERIES: dict[str, Series] = {
    "decision": Series("reply_series", "依复"),
    "receipt": Series("acknowledgement_series", "依回"),
    "correction": Series("correction_series", "依补"),
    "extension": Series("extension_series", "依延"),
    "consultation": Series("consultation_series", "依征"),
    "fee": Series("fee_series", "依费"),
}

REFUSAL_GROUNDS: dict[str, str] = {
    Disposition.REFUSED_STATE_SECRET: "属于国家秘密",
    Disposition.REFUSED_PROHIBITED_BY_LAW: "属于法律、行政法规禁止公开的信息",
    Disposition.REFUSED_SECURITY_STABILITY: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Disposition.REFUSED_THIRD_PARTY_RIGHTS: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Disposition.REFUSED_INTERNAL_AFFAIRS: "属于人事管理、后勤管理、内部工作流程等内部事务信息",
    Disposition.REFUSED_PROCESS_INFORMATION: "属于行政机关在履行行政管理职能过程中形成的过程性信息",
    Disposition.REFUSED_ENFORCEMENT_FILE: "属于行政执法案卷信息",
    Disposition.REFUSED_ADMINISTRATIVE_INQUIRY: "属于法律、行政法规对信息的获取有特别规定的行政查询事项",
}

# The statutory basis printed when the case records none (cases decided before bases were
# checked): the disposition's usual basis (casework.dispositions).
DEFAULT_BASIS: dict[str, str] = {d: bases[0].citation for d, bases in BASES.items()}


def default_wording(kind: str) -> str:
    """The default wording of a kind: templates/letters/wording/<kind>.txt (version 1)."""

    source: str = get_template(f"letters/wording/{kind}.txt").template.source  # type: ignore[attr-defined]
    return source.strip()
