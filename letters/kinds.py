"""The kinds of letters and their default wording (DESIGN §5, LAW.md §1.8–1.19, §5).

Wording is a Django template per kind, one paragraph per blank-line-separated block. An
administrator may replace it (letters.models.LetterWording, versioned); these are the
defaults loaded by migration. Variables come from letters.context.build_letter_context.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.choices import Disposition


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
    Kind("correction", "政府信息公开申请补正告知书", "补正告知书", "applicant", "correction", False),
    Kind("extension", "政府信息公开申请延期答复告知书", "延期答复告知书", "applicant", "extension", False),
    Kind("consultation_third_party", "政府信息公开征求意见书", "征求意见书（第三方）", "third_party", "consultation", False),
    Kind("consultation_organ", "政府信息公开征求意见书", "征求意见书（共同制作机关）", "organ", "consultation", False),
    Kind("consultation_notice", "政府信息公开申请征求意见告知书", "征求意见告知书", "applicant", "consultation", False),
    Kind("fee_notice", "政府信息公开信息处理费收费通知书", "收费通知书", "applicant", "fee", False),
]

REPLY_TITLE = "政府信息公开申请答复书"
REPLIES = [Kind(f"reply.{d.value}", REPLY_TITLE, f"答复书（{d.label}）", "applicant", "decision", True) for d in Disposition]

KINDS: dict[str, Kind] = {k.key: k for k in [*NOTICES, *REPLIES]}

RECEIPT = "本机关于{{ received_on_cn }}收到您{% if via_agent %}（委托代理人：{{ agent_name }}）{% endif %}通过{{ channel }}提出的政府信息公开申请，申请获取“{{ subject }}”。"

_REPLY_BODIES: dict[str, str] = {
    Disposition.GRANTED: "经审查，您申请获取的政府信息属于公开范围。根据{{ basis }}的规定，本机关向您提供该政府信息{% if files %}（{{ files }}）{% endif %}，提供方式为{{ provision_form }}，获取方式为{{ delivery_method }}。",
    Disposition.PARTIAL: "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{{ basis }}的规定，本机关向您提供可以公开的部分{% if files %}（{{ files }}）{% endif %}，提供方式为{{ provision_form }}。\n\n对不予公开的部分：{{ withheld }}",
    Disposition.UNABLE_NOT_HELD: "经检索，本机关未制作或者获取您申请获取的政府信息，该政府信息不存在。根据{{ basis }}的规定，特此告知。{% if reasons %}\n\n{{ reasons }}{% endif %}",
    Disposition.UNABLE_NEEDS_CREATION: "经审查，本机关没有您所申请的现成信息，需要对现有政府信息进行加工、分析。根据{{ basis }}的规定，本机关不予提供。{% if reasons %}\n\n{{ reasons }}{% endif %}",
    Disposition.UNABLE_UNCLEAR_AFTER_CORRECTION: "本机关已于{{ correction_on_cn }}告知您补正申请内容，经补正后您的申请内容仍不明确，本机关无法确定您所申请的政府信息。根据{{ basis }}的规定，特此告知。",
    Disposition.NOT_PROCESSED_PETITION: "经审查，您以政府信息公开申请形式提出的事项属于信访、投诉、举报事项。根据{{ basis }}的规定，本机关不作为政府信息公开申请处理。{% if reasons %}\n\n{{ reasons }}{% endif %}",
    Disposition.NOT_PROCESSED_REPEATED: "经审查，本机关已就您申请的同一政府信息作出答复，您再次申请。根据{{ basis }}的规定，本机关不予重复处理。{% if reasons %}\n\n{{ reasons }}{% endif %}",
    Disposition.NOT_PROCESSED_PUBLICATION: "经审查，您申请获取的是公开出版物。根据{{ basis }}的规定，您可以通过以下途径获取：{{ reasons }}",
    Disposition.NOT_PROCESSED_UNREASONABLE: "经审查，您申请的数量、频次明显超过合理范围，且本机关要求您说明理由后，您提出的理由不合理。根据{{ basis }}的规定，本机关不予处理。{% if reasons %}\n\n{{ reasons }}{% endif %}",
    Disposition.NOT_PROCESSED_CONFIRM: "经审查，您的申请是要求本机关确认或者重新出具您已获取的信息，不属于申请获取政府信息。根据{{ basis }}的规定，本机关不予处理。{% if reasons %}\n\n{{ reasons }}{% endif %}",
    Disposition.OTHER_NO_CORRECTION: "本机关已于{{ correction_on_cn }}告知您补正申请内容，您无正当理由逾期未补正。根据{{ basis }}的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
    Disposition.OTHER_FEE_UNPAID: "本机关已于{{ fee_notice_on_cn }}向您发出信息处理费收费通知，您逾期未按通知要求缴纳费用。根据{{ basis }}的规定，本机关不再处理该政府信息公开申请。",
    Disposition.OTHER: "经审查，根据{{ basis }}的规定，答复如下：{{ reasons }}",
}
_REFUSED = "经审查，您申请获取的政府信息{{ refusal_ground }}。根据{{ basis }}的规定，本机关决定不予公开。\n\n理由：{{ reasons }}"
REFUSAL_GROUNDS: dict[str, str] = {
    Disposition.REFUSED_STATE_SECRET: "属于国家秘密",
    Disposition.REFUSED_PROHIBITED_BY_LAW: "属于法律、行政法规禁止公开的信息",
    Disposition.REFUSED_SECURITY_STABILITY: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Disposition.REFUSED_THIRD_PARTY_RIGHTS: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Disposition.REFUSED_INTERNAL_AFFAIRS: "属于人事管理、后勤管理、内部工作流程等内部事务信息",
    Disposition.REFUSED_PROCESS_INFORMATION: "属于行政机关在履行行政管理职能过程中形成的过程性信息",
    Disposition.REFUSED_ENFORCEMENT_FILE: "属于行政执法案卷信息",
    Disposition.REFUSED_ADMINISTRATIVE_INQUIRY: "属于法律、行政法规对信息的获取有特别规定的行政查询事项，请依照有关法律、行政法规的规定办理",
}

# The statutory basis printed when the officer gave none more specific (LAW.md §3.1 mapping).
DEFAULT_BASIS: dict[str, str] = {
    Disposition.GRANTED: "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    Disposition.PARTIAL: "《中华人民共和国政府信息公开条例》第三十七条",
    Disposition.REFUSED_STATE_SECRET: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Disposition.REFUSED_PROHIBITED_BY_LAW: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Disposition.REFUSED_SECURITY_STABILITY: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Disposition.REFUSED_THIRD_PARTY_RIGHTS: "《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项",
    Disposition.REFUSED_INTERNAL_AFFAIRS: "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    Disposition.REFUSED_PROCESS_INFORMATION: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Disposition.REFUSED_ENFORCEMENT_FILE: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Disposition.REFUSED_ADMINISTRATIVE_INQUIRY: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    Disposition.UNABLE_NOT_HELD: "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    Disposition.UNABLE_NEEDS_CREATION: "《中华人民共和国政府信息公开条例》第三十八条",
    Disposition.UNABLE_UNCLEAR_AFTER_CORRECTION: "《中华人民共和国政府信息公开条例》第三十条",
    Disposition.NOT_PROCESSED_PETITION: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    Disposition.NOT_PROCESSED_REPEATED: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    Disposition.NOT_PROCESSED_PUBLICATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Disposition.NOT_PROCESSED_UNREASONABLE: "《中华人民共和国政府信息公开条例》第三十五条",
    # UNCONFIRMED: no article names this ground; Art 38 (information already made or obtained) is the usual citation.
    Disposition.NOT_PROCESSED_CONFIRM: "《中华人民共和国政府信息公开条例》第三十八条",
    Disposition.OTHER_NO_CORRECTION: "《中华人民共和国政府信息公开条例》第三十条",
    Disposition.OTHER_FEE_UNPAID: "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    Disposition.OTHER: "《中华人民共和国政府信息公开条例》第三十六条",
}

DEFAULT_WORDING: dict[str, str] = {
    "acknowledgement": RECEIPT + "\n\n您的申请已登记，编号为{{ case_number }}。根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将在收到申请之日起20个工作日内（即{{ reply_due_on_cn }}前{% if provisional %}，该日期为暂定日期{% endif %}）予以答复；需要延长答复期限的，将另行告知。\n\n联系地址：{{ organ_address }}（邮政编码{{ organ_postal_code }}），联系电话：{{ organ_phone }}。",
    "correction": RECEIPT + "\n\n经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下内容作出补正：\n\n{{ correction_items }}\n\n请于{{ correction_deadline_cn }}前将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "extension": RECEIPT + "\n\n因{{ extension_reason }}，本机关不能在20个工作日内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{ extension_days }}个工作日，至{{ reply_due_on_cn }}{% if provisional %}（暂定日期）{% endif %}。",
    "consultation_third_party": "本机关于{{ received_on_cn }}收到政府信息公开申请，申请获取“{{ subject }}”。经审查，该信息的公开可能损害贵方的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。\n\n拟公开事项：{{ consultation_matter }}\n\n请贵方自收到本征求意见书之日起15个工作日内提出意见。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知贵方。",
    "consultation_organ": "本机关于{{ received_on_cn }}收到政府信息公开申请，申请获取“{{ subject }}”。经审查，该信息由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见。\n\n拟公开事项：{{ consultation_matter }}\n\n请贵机关自收到本征求意见书之日起15个工作日内提出意见；逾期未提出意见的，视为同意公开。",
    "consultation_notice": RECEIPT + "\n\n您申请获取的政府信息需要征求{{ consultation_party_kind }}的意见。根据《中华人民共和国政府信息公开条例》第三十三条第三款的规定，征求意见所需时间不计算在答复期限内。本机关将在征求意见结束后依法作出答复。",
    "fee_notice": RECEIPT + "\n\n根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定对您的申请{{ fee_method }}收取信息处理费，计费数量为{{ fee_quantity }}，金额为人民币{{ fee_amount }}元。\n\n请您自收到本通知次日起20个工作日内，按照本通知载明的方式缴纳费用。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
}
for _kind in REPLIES:
    _disposition = _kind.key.removeprefix("reply.")
    DEFAULT_WORDING[_kind.key] = RECEIPT + "\n\n" + (_REPLY_BODIES.get(_disposition) or _REFUSED)
