"""Normalising a request's text for comparison.

Wording, word order, enumeration order, polite boilerplate and the delivery form do not
change the information asked for (Art 36(6) as read in docs/adr/0009, rule 6): full-width
characters become half-width, the brackets of a 文号 are unified, clauses that only say why
or how the applicant wants it (本人因自身生产生活需要…, 请以纸质复印件邮寄方式提供) are
dropped, and the filler words of a request (申请公开, 相关, 的) are removed. Inside a clause
that asks, only the phrases of reason, delivery, addressee, statute and closing go, wherever
they stand (请将…报告以电子邮件发送给我; 恳请贵局公开…), so no requested item goes with them.
"""

from __future__ import annotations

import re
import unicodedata

# Clauses that carry no information about *what* is asked for: the applicant's purpose (因…
# 生活需要, 为核实…, 以便…), the delivery form, the greeting and closing — unless the clause
# also holds the request's verb (恳请贵局公开…花名册; 依据条例申请公开…): then only the phrases
# go. A bare 需要 is not enough ("因…项目建设需要纳入征收范围" names the project).
_BOILERPLATE_CLAUSE = re.compile(
    r"(生产生活|(?:生产|生活|科研|工作|学习|诉讼|维权|个人|自身|特殊|实际|家庭|因)需要|"
    r"为了?(?:核实|了解|维护|监督|查明|知悉|证实|保障)|需要(?:详细)?了解|"
    r"邮寄|电子邮件|邮箱|纸质|复印件|光盘|传真|现场查阅|当面|自行领取|"
    r"予以答复|依法答复|政府信息公开条例|信息公开条例|特此申请|提供方式|获取方式|"
    r"申请理由|理由如下|事实(?:和|与|及)理由)"
)
_ASKS = re.compile(r"公开|提供|获取|请将")
# Greetings and closings, wherever they stand (…的信息此致敬礼; …报告望予公开为盼).
_CLOSING = re.compile(
    r"此致|敬礼|谢谢您?|非常感谢|感谢|望予?(?:公开|答复|批准|办理|支持)?为盼|盼复|特此申请"
)
# The statute cited (根据《中华人民共和国政府信息公开条例》第二十七条的规定) and the purpose
# (因家庭生活需要) inside a clause that asks.
_STATUTE = re.compile(
    r"(?:根据|依据|依照|按照)?《?(?:中华人民共和国)?政府信息公开条例》?"
    r"(?:第[一二三四五六七八九十百零〇\d]+条)?(?:第[一二三四五六七八九十\d]+款)?(?:之|的)?(?:规定)?"
)
_PURPOSE = re.compile(
    r"(?:本人)?(?:因|由于|出于|基于)?(?:自身|个人|家庭|本人)?"
    r"(?:生产生活|生产|生活|科研|工作|学习|诉讼|维权|特殊|实际)(?:等)?(?:的)?需要|"
    r"(?:以便|便于)[^,，。；;]*"
)
# Phrases that say how or to whom, wherever they stand in a clause (a request of one clause
# keeps its subject): the delivery form (以电子邮件发送给我, 以复印件形式, 书面, 查阅) and the
# addressee (被告规划局, 贵局, 区政府公开…).
_MEDIUM = (
    r"(?:纸质|书面|电子邮件|电子邮箱|邮件|邮寄|传真|光盘|复印件|复印本|扫描件|电子文档|电子版|"
    r"纸质版|当面|现场)(?:复印件|文件)?"
)
_HANDING = r"(?:发送|寄送|邮寄|寄回|寄|送达|领取|答复|告知)(?:给|至|到)?(?:我|本人|申请人)?"
_DELIVERY_PHRASE = re.compile(
    # 以/通过 a medium (形式/方式) and the handing over: 请通过电子邮件发送, 以纸质方式邮寄给我
    r"(?:请)?(?:以|通过|采用|按照?|用)" + _MEDIUM + r"(?:的)?(?:形式|方式)?(?:" + _HANDING + r")?|"
    r"(?:请)?"
    + _MEDIUM
    + r"(?:的)?(?:形式|方式)(?:"
    + _HANDING
    + r")?|"
    # a bare medium word goes, the word after it stays (书面答复 is an 答复)
    + _MEDIUM
    + r"|(?:发送|寄送|邮寄|寄|送达?|交)(?:给|至|到)(?:我|本人|申请人)|"
    r"(?:现场)?查阅(?:并|或)?|(?:提供|获取)方式|"
    r"(?<=公开|提供|告知|答复)(?:给|予)(?:我|本人|申请人)|向(?:我|本人|申请人)(?=公开|提供|告知|答复)"
)
_ADDRESSEE = re.compile(
    r"(?:向|要求|请求|请)?(?:被告|被申请人)(?:(?!申请|公开|提供)[\u4e00-\u9fff]){0,10}?"
    r"(?:政府|局|委|办|处|院|所(?!在|有|属)|厅|部|中心|单位|机关)|"
    r"(?:向|要求|请求|请)?(?:贵|你)(?:局|委|办|处|府|院|所|厅|部|中心|单位|机关|司|校)|"
    r"^(?:[区县市镇乡]|[区县市]人民)?政府(?=公开|提供)"
)
_FILLER = re.compile(
    r"(您好|你好|根据|依据|依照|按照|现|特|向贵局|向贵单位|向贵机关|贵局|贵单位|贵机关|"
    r"原告|上诉人|被告|申请人|申请公开|请求公开|要求公开|申请获取|申请|请求|请予|请|要求|依法|再次|"
    r"如下|下列|以下|下述|恳请|"
    r"予以公开|公开|提供|查询|获取|复制|有关|相关|涉及|关于|的|之|等|及其|及|和|与|以及|"
    r"政府信息|信息|内容|全部|具体|一下|一份|一套|我想|希望|麻烦)"
)
# Keep the person markers: 本人 is filler in the boilerplate but a fact in "本人的档案".
_PUNCT = re.compile(r"[\s，。；：、,.;:!！?？“”‘’\"'《》<>「」『』·…—\-~～/\\|]+")
_BRACKET_OPEN = re.compile(r"[〔［【（(\[]")
_BRACKET_CLOSE = re.compile(r"[〕］】）)\]]")
# Clauses end at punctuation, at a colon ("申请公开如下信息：1.…") and before an item number
# (1. 2. …, not a decimal 1.908), so that a boilerplate clause never takes an item with it.
_CLAUSE_SPLIT = re.compile(r"[，。；,;！!？?\n：:]+|(?=(?<![\d.第、])\d{1,2}[.．、](?!\d))")


def halfwidth(text: str) -> str:
    """NFKC (full-width digits and letters become half-width) and one kind of bracket."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _BRACKET_OPEN.sub("[", text)
    return _BRACKET_CLOSE.sub("]", text)


# The applicant's particulars (姓名, 联系电话, 身份证号, 通讯地址…) with their values: who asks
# and where to answer, not what is asked for.
_PARTICULARS = re.compile(
    r"(?:申请人)?(?:姓名|联系电话|联系方式|手机号码|手机号|手机|电话|身份证号码|身份证号|身份证|"
    r"证件号码|通讯地址|通信地址|联系地址|邮寄地址|收件地址|邮政编码|邮编|电子邮箱|联系人)"
    r"\s*[:：]\s*[^，。；,;\n]*"
)


def without_boilerplate(text: str) -> str:
    """The request minus clauses that only give reasons or the delivery form."""
    text = _CLOSING.sub("，", _STATUTE.sub("", _PARTICULARS.sub("，", halfwidth(text))))
    clauses = [c for c in _CLAUSE_SPLIT.split(text) if c.strip()]
    # The phrases go first; what is left of a clause that does not ask goes if it is still
    # boilerplate (该厂的排污许可证请通过电子邮件发送 keeps its item).
    stripped = [_phrases_out(c) for c in clauses]
    kept = [
        rest
        for c, rest in zip(clauses, stripped, strict=True)
        if _ASKS.search(c) or not _BOILERPLATE_CLAUSE.search(rest)
    ]
    if not any(kept):
        kept = sorted(stripped, key=len)[-1:]
    return "，".join(c for c in kept if c)


def _phrases_out(clause: str) -> str:
    return _DELIVERY_PHRASE.sub("", _ADDRESSEE.sub("", _PURPOSE.sub("", clause.strip())))


def core_text(text: str) -> str:
    """The words that say what is asked for, without punctuation, fillers or boilerplate."""
    text = without_boilerplate(text)
    text = _PUNCT.sub("", text)
    return _FILLER.sub("", text).lower()


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the core text (Chinese has no spaces: pieces, not words)."""
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))
