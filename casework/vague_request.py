"""Is a request too vague to search for? A small rule-based reading of the subject (and the
description) for the anchors a search needs (Art 29(2)(2): the application describes the
information asked for — its name, 文号 or other features that let the organ find it).

A request is vague when it has none of: a year, a date or a period; a 文号; a named document
(《…》); a place, project or body; a person whose own record it is (本人); and, once the
generic words (所有、相关、文件、材料、资料 …) are taken away, nothing specific is left.
"所有文件", "相关材料", "全部资料" are vague; "2025年退役士兵安置计划" and "军休所改造项目招标文件"
are not. Art 30 then asks the organ to guide the applicant to correct it before saying the
information does not exist (Art 36(4)).
"""

from __future__ import annotations

import re

_PERIOD = re.compile(
    r"(\d{2,4}\s*(年|年度|[-/.]\d))|([一二三四五六七八九十〇零]{2,4}年)|(\d{1,2}\s*月)"
    r"|(上|下)半年|第[一二三四1-4]季度|(今|去|前|明)年|近\s*\d+\s*年|\d+\s*日"
)
_DOCUMENT_NUMBER = re.compile(r"[〔\[（(【]\s*\d{4}\s*[〕\]）)】]\s*\d+\s*号|第?\d+号")
_NAMED_DOCUMENT = re.compile(r"《[^》]+》")
# A place, project, body or thing that narrows the search (the noun's last character(s)).
_PLACE_OR_PROJECT = re.compile(
    r"[\u4e00-\u9fff]{1,12}?(省|市|县|区|镇|乡|村|街道|社区|小区|路|街|园区|项目|工程|公司"
    r"|医院|学校|中心|所|站|院|厂|矿|河|湖|山|楼|场|馆)"
)
_OWN_RECORD = re.compile(r"本人|我的|申请人本人|我父亲|我母亲|我家")
# The generic words that carry no anchor of their own.
_GENERIC = (
    "政府信息",
    "贵单位",
    "你单位",
    "本单位",
    "贵机关",
    "贵局",
    "你局",
    "本局",
    "本机关",
    "所有的",
    "全部的",
    "一切",
    "所有",
    "全部",
    "相关",
    "有关",
    "涉及",
    "关于",
    "各类",
    "各种",
    "各项",
    "其他",
    "其它",
    "历年",
    "以来",
    "全文",
    "复印件",
    "原件",
    "副本",
    "电子版",
    "纸质版",
    "文件",
    "材料",
    "资料",
    "信息",
    "内容",
    "记录",
    "档案",
    "数据",
    "情况",
    "事项",
    "方面",
    "工作",
    "部门",
    "请求",
    "申请",
    "公开",
    "获取",
    "提供",
    "要求",
    "请",
    "的",
    "等",
    "及",
    "和",
    "与",
    "或",
    "以及",
)
_PUNCTUATION = re.compile(r"[\s\W_]+")


def anchors(text: str) -> list[str]:
    """The kinds of anchor found in `text` (period, document number, named document, place or
    project, own record)."""
    found = []
    rest = specific_rest(text)  # a place is looked for without the generic words (所有 ≠ 所)
    for name, pattern, where in (
        ("period", _PERIOD, text),
        ("document_number", _DOCUMENT_NUMBER, text),
        ("named_document", _NAMED_DOCUMENT, text),
        ("place_or_project", _PLACE_OR_PROJECT, rest),
        ("own_record", _OWN_RECORD, text),
    ):
        if pattern.search(where):
            found.append(name)
    return found


def specific_rest(text: str) -> str:
    """What is left of `text` once the generic words and punctuation are taken away."""
    rest = text
    for word in _GENERIC:  # longest first where they overlap (listed so)
        rest = rest.replace(word, "")
    return _PUNCTUATION.sub("", rest)


def is_vague(subject: str, description: str = "") -> bool:
    """True when the request names nothing a search could start from."""
    text = f"{subject or ''} {description or ''}".strip()
    if not text:
        return True
    if anchors(text):
        return False
    return len(specific_rest(text)) < 2
