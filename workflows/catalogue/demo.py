"""The demo's catalogue and guide (load_demo): a few published items of the work plan's
categories, one no longer in force, one awaiting the head's approval, and an approved guide
version with its 更新日期. Idempotent: nothing is added when the organ has items."""

from __future__ import annotations

import datetime

from casework.catalogue.models import CatalogueItem, Category
from casework.catalogue.selectors import guide_current
from casework.catalogue.services import (
    catalogue_item_approve,
    catalogue_item_create,
    catalogue_item_submit,
    catalogue_item_withdraw,
    categories_ensure,
    guide_approve,
    guide_draft_create,
)
from casework.lifecycle.actors import Staff
from casework.models import Division, Organ

# title, 文号, division code, category, days before today it was issued, body
ITEMS: tuple[tuple[str, str, str, str, int, str], ...] = (
    (
        "济南市退役军人事务局政府信息公开指南",
        "",
        "office",
        "公示公告",
        120,
        "本机关政府信息公开指南，载明受理机构、通讯地址、申请渠道、办理时限和救济途径。",
    ),
    (
        "济南市退役军人事务局2025年度部门预算",
        "",
        "office",
        "财政预决算",
        300,
        "2025年度部门收支预算总表、财政拨款收支预算总表及“三公”经费预算说明。",
    ),
    (
        "济南市退役军人就业创业扶持政策",
        "济退役军人发〔2025〕12号",
        "employment",
        "政策法规",
        200,
        "自主就业退役士兵创业担保贷款、税收优惠和职业技能培训补助等扶持措施。",
    ),
    (
        "《济南市退役军人就业创业扶持政策》解读",
        "",
        "employment",
        "文件解读",
        198,
        "围绕政策出台背景、适用对象、申请程序作出解读。",
    ),
    (
        "关于市人大代表建议第105号的答复",
        "济退役军人建〔2025〕5号",
        "placement",
        "人大代表建议和政协提案办理",
        150,
        "关于加强退役军人安置工作的建议的办理答复。",
    ),
)


def demo_catalogue(
    organ: Organ, divisions: dict[str, Division], users: dict[str, Staff], now: datetime.datetime
) -> str:
    categories_ensure()
    made = 0
    if not CatalogueItem.objects.filter(organ=organ).exists():
        today = now.date()
        head, registrar = users["head"], users["registrar"]
        for title, doc_number, division, category, days, body in ITEMS:
            item = catalogue_item_create(
                organ=organ,
                actor=registrar,
                now=now,
                title=title,
                doc_number=doc_number,
                division=divisions[division],
                category=Category.objects.get(name=category),
                body=body,
                published_on=today - datetime.timedelta(days=days),
            )
            catalogue_item_approve(item=item, actor=head, now=now)
            made += 1
        old = catalogue_item_create(
            organ=organ,
            actor=registrar,
            now=now,
            title="济南市退役军人事务局2024年度部门预算",
            division=divisions["office"],
            category=Category.objects.get(name="财政预决算"),
            published_on=today - datetime.timedelta(days=650),
        )
        catalogue_item_approve(item=old, actor=head, now=now)
        catalogue_item_withdraw(item=old, actor=head, now=now, reason="已由2025年度部门预算替代")
        pending = catalogue_item_create(
            organ=organ,
            actor=users["liaison_employment"],
            now=now,
            title="2026年退役军人职业技能培训计划",
            division=divisions["employment"],
            category=Category.objects.get(name="工作进展"),
            body="全年拟组织培训12期。",
            source_kind="popular_topic",
            source_ref="demo",
        )
        catalogue_item_submit(item=pending, actor=users["liaison_employment"], now=now)
        made += 2
    guide = guide_current(organ)
    if guide is None:
        draft = guide_draft_create(
            organ=organ, actor=users["reviewer"], now=now, note="指南改为可管理内容后的首个版本"
        )
        guide = guide_approve(version=draft, actor=users["head"], now=now)
    return (
        f"主动公开目录：新增 {made} 条；政府信息公开指南：第{guide.number}版（{guide.updated_on}）"
    )


def demo_catalogue_item(organ: Organ, words: str) -> int | None:
    """The published item in force whose title contains `words` (the demo's 36(1) reply)."""
    item = (
        CatalogueItem.objects.filter(
            organ=organ, status="published", validity="valid", title__contains=words
        )
        .order_by("pk")
        .first()
    )
    return item.pk if item else None
