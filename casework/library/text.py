"""Normalising a request's text for comparison.

Wording, word order, enumeration order, polite boilerplate and the delivery form do not
change the information asked for (Art 36(6) as read in docs/adr/0009, rule 6): full-width
characters become half-width, the brackets of a 文号 are unified, clauses that only say why
or how the applicant wants it (本人因自身生产生活需要…, 请以纸质复印件邮寄方式提供) are
dropped, and the filler words of a request (申请公开, 相关, 的) are removed.
"""

from __future__ import annotations

import re
import unicodedata

# Clauses that carry no information about *what* is asked for.
_BOILERPLATE_CLAUSE = re.compile(
    r"(生产生活|生活需要|科研需要|自身|特殊需要|需要|邮寄|电子邮件|邮箱|纸质|复印件|光盘|传真|"
    r"现场查阅|当面|自行领取|此致|敬礼|谢谢|感谢|为盼|恳请|望予|予以答复|依法答复|"
    r"政府信息公开条例|信息公开条例|特此申请|提供方式|获取方式)"
)
_FILLER = re.compile(
    r"(您好|你好|根据|依据|依照|按照|现|特|向贵局|向贵单位|向贵机关|贵局|贵单位|贵机关|"
    r"申请人|申请公开|请求公开|要求公开|申请获取|申请|请求|请予|请|"
    r"予以公开|公开|提供|查询|获取|复制|有关|相关|涉及|关于|的|之|等|及其|及|和|与|以及|"
    r"政府信息|信息|内容|全部|具体|一下|一份|一套|我想|希望|麻烦)"
)
# Keep the person markers: 本人 is filler in the boilerplate but a fact in "本人的档案".
_PUNCT = re.compile(r"[\s，。；：、,.;:!！?？“”‘’\"'《》<>「」『』·…—\-~～/\\|]+")
_BRACKET_OPEN = re.compile(r"[〔［【（(\[]")
_BRACKET_CLOSE = re.compile(r"[〕］】）)\]]")
_CLAUSE_SPLIT = re.compile(r"[，。；,;！!？?\n]+")


def halfwidth(text: str) -> str:
    """NFKC (full-width digits and letters become half-width) and one kind of bracket."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _BRACKET_OPEN.sub("[", text)
    return _BRACKET_CLOSE.sub("]", text)


def without_boilerplate(text: str) -> str:
    """The request minus clauses that only give reasons or the delivery form."""
    clauses = [c for c in _CLAUSE_SPLIT.split(halfwidth(text)) if c.strip()]
    kept = [c for c in clauses if not _BOILERPLATE_CLAUSE.search(c)]
    return "，".join(kept or sorted(clauses, key=len)[-1:])


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
