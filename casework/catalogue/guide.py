"""The disclosure guide's sections (政府信息公开指南; Art 23 of the Regulations: the guide
states the organ's receiving office, its address, phone and the procedure). The organ's data
comes from the Organ row; the rest is editable text, approved by version (GuideVersion)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from casework.models import Organ

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The editable sections, in the guide's order, with their headings.
SECTIONS: tuple[tuple[str, StrOrPromise], ...] = (
    ("proactive", _("Information already published")),
    ("how", _("How to apply")),
    ("channels", _("Channels")),
    ("time_limits", _("Time limits")),
    ("fees", _("Fees")),
    ("remedies", _("Remedies")),
    ("after", _("After applying")),
)
SECTION_KEYS: tuple[str, ...] = tuple(key for key, _label in SECTIONS)

# The facts drawn from the organ, with their labels (frozen into each approved version).
ORGAN_FIELDS: tuple[tuple[str, StrOrPromise], ...] = (
    ("name", _("Organ")),
    ("office_name", _("Receiving office")),
    ("address", _("Postal address")),
    ("postal_code", _("Postal code")),
    ("phone", _("Phone")),
    ("email", _("E-mail")),
    ("office_hours", _("Office hours")),
)

# The first version's text: what the fixed guide said before it became managed content.
DEFAULT_SECTIONS: dict[str, str] = {
    "proactive": (
        "本机关主动公开的政府信息，按公示公告、工作进展、政策法规、文件解读、会议信息、财政预决算、"
        "人大代表建议和政协提案办理等栏目列入主动公开目录，可在本网站“主动公开目录”中查阅、检索。"
        "申请前请先查阅目录：已经主动公开的信息，我们将告知您获取该信息的方式和途径"
        "（《中华人民共和国政府信息公开条例》第三十六条第一项）。"
    ),
    "how": (
        "公民、法人或者其他组织可以向本机关申请获取政府信息（第二十七条）。申请应当采用书面形式，"
        "包括信件、数据电文等；书写确有困难的，可以口头提出，由我们代为填写申请（第二十九条）。\n\n"
        "申请内容应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号"
        "或者便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径"
        "（第二十九条）。"
    ),
    "channels": (
        "网上申请：在本网站填写申请表并上传身份证明。收到申请的日期以双方确认之日为准。\n\n"
        "当面提交：在办公时间到上述地址提交申请，提交之日即为收到申请之日。\n\n"
        "邮寄：以挂号信或EMS寄送的，以本机关签收之日为收到申请之日；以平常信函寄送的，本机关收到"
        "当日与您联系确认，以确认之日为收到申请之日（第三十一条）。\n\n"
        "电子邮件、传真：以双方确认之日为收到申请之日。"
    ),
    "time_limits": (
        "能够当场答复的，当场答复；不能当场答复的，自收到申请之日起20个工作日内答复。需要延长的，"
        "经政府信息公开工作机构负责人同意并告知您，延长期限最长不超过20个工作日。征求第三方和其他"
        "机关意见所需时间不计算在内（第三十三条）。申请内容不明确的，我们在7个工作日内一次性告知"
        "需要补正的事项，答复期限自收到补正后的申请之日起计算（第三十条）。"
    ),
    "fees": (
        "依申请提供政府信息不收费。申请数量、频次明显超过合理范围的，可以收取信息处理费（第四十二条）："
        "按件计收的，同一申请人一个自然月内累计申请10件以下（含）不收费，11至30件（含）每件100元，"
        "31件以上以10件为一档，每增加一档每件收费标准提高100元；按量计收的，30页以下（含）不收费，"
        "31至100页（含）每页10元，101至200页（含）每页20元，201页以上每页40元（国办函〔2020〕109号）。"
        "需要收费的，我们会发出收费通知，您应在收到通知次日起20个工作日内缴费，逾期未缴纳的视为放弃申请。"
    ),
    "remedies": (
        "您认为本机关在政府信息公开工作中侵犯您合法权益的，可以向上一级行政机关或者政府信息公开"
        "工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（第五十一条）。"
    ),
    "after": (
        "网上申请成功后，您会看到申请编号和查询码，可凭此查询办理进度、下载答复文书或撤回申请；"
        "文书上的验证码可在“文书核验”页面核验。视力、听力或阅读有困难的申请人，可以联系我们获得"
        "必要的帮助（第四十三条）。"
    ),
}


def organ_facts(organ: Organ) -> dict[str, str]:
    """The organ's data as the guide states it (the receiving office falls back to the organ)."""
    facts = {name: str(getattr(organ, name, "") or "") for name, _label in ORGAN_FIELDS}
    facts["office_name"] = facts["office_name"] or organ.name
    return facts


def paragraphs(text: str) -> list[str]:
    """A section's text as paragraphs (blank lines separate them)."""
    return [p.strip() for p in str(text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
