"""Writes the case library's labelled set (tests/data/similar_set.jsonl, similar_pairs.jsonl).

Every request is generated from a hand-written topic template and a choice of its slots
(year, place, 文号, stage, phase, person); the *cluster* is the topic with its slot values
(and, for a personal record, the applicant whose record it is), so two requests ask for the
same information exactly when their clusters are equal (the labelling rules of
docs/adr/0009). Variation that must not change the information: paraphrase (several
phrasings per topic), polite boilerplate and delivery form, enumeration order, full- or
half-width digits, the way a 文号 is written. Hard look-alikes: each topic has clusters that
differ from another in one slot only (another year, place, 文号, stage or person).

Deterministic: `python tests/data/make_similar_set.py` (seed 25) rewrites the same files.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SEED = 25
HERE = Path(__file__).parent

# (division, phrasings, slots). Slot values: a list of alternatives, each a list of ways to
# write the same value (the first is the label).
TOPICS: list[tuple[str, list[str], dict[str, list[list[str]]]]] = [
    # 济南市退役军人事务局 — the six demo divisions.
    (
        "办公室",
        [
            "{year}年度政府信息公开工作年度报告",
            "贵局{year}年政府信息公开工作的年度报告",
            "{year}年度信息公开年报（政府信息公开工作年度报告）",
        ],
        {"year": [["2022"], ["2023"], ["2024"]]},
    ),
    (
        "办公室",
        [
            "{year}年第{n}次局长办公会议纪要",
            "局长办公会议纪要（{year}年第{n}次）",
            "{year}年召开的第{n}次局长办公会的会议纪要",
        ],
        {"year": [["2023"], ["2024"]], "n": [["3", "三"], ["5", "五"], ["8", "八"]]},
    ),
    (
        "办公室",
        [
            "{year}年度部门{stage}及三公经费说明",
            "本局{year}年度的部门{stage}和“三公”经费情况说明",
            "三公经费说明及{year}年部门{stage}",
        ],
        {"year": [["2023"], ["2024"]], "stage": [["预算"], ["决算"]]},
    ),
    (
        "政策法规处",
        ["《关于印发{title}的通知》（{doc}）", "{doc}文件{title}全文", "{title}，文号{doc}"],
        {
            "doc": [
                ["济退役军人发{b}2021{e}15号"],
                ["济退役军人发{b}2021{e}16号"],
                ["济退役军人发{b}2022{e}15号"],
            ],
            "title": [["退役军人服务站建设管理办法"]],
        },
    ),
    (
        "政策法规处",
        [
            "{year}年本局行政复议和行政诉讼案件的{stage}",
            "贵局{year}年度行政复议、行政应诉案件{stage}",
            "{year}年行政诉讼及行政复议案件{stage}",
        ],
        {"year": [["2022"], ["2023"], ["2024"]], "stage": [["统计数据", "统计表"], ["会议纪要"]]},
    ),
    (
        "政策法规处",
        ["{title}（{doc}）的起草说明和合法性审查意见", "{doc}《{title}》合法性审查意见及起草说明"],
        {
            "doc": [["济退役军人规{b}2023{e}2号"], ["济退役军人规{b}2023{e}3号"]],
            "title": [["济南市退役军人优待证发放管理实施细则"]],
        },
    ),
    (
        "移交安置处",
        [
            "{year}年度退役士兵安置{stage}",
            "{year}年退役士兵安置工作的{stage}",
            "关于{year}年度安置退役士兵的{stage}",
        ],
        {
            "year": [["2022"], ["2023"], ["2024"]],
            "stage": [["工作方案", "实施方案"], ["人员名单", "名单"]],
        },
    ),
    (
        "移交安置处",
        [
            "{year}年自主就业退役士兵一次性经济补助{stage}",
            "自主就业退役士兵{year}年度一次性经济补助的{stage}",
        ],
        {"year": [["2023"], ["2024"]], "stage": [["发放标准", "补助标准"], ["发放名单", "花名册"]]},
    ),
    (
        "移交安置处",
        ["{year}年军队转业干部安置去向{stage}", "{year}年度军转干部安置去向的{stage}"],
        {"year": [["2023"], ["2024"]], "stage": [["名单"], ["统计数据"]]},
    ),
    (
        "就业创业处",
        [
            "{year}年退役军人就业创业补贴{stage}",
            "退役军人就业创业扶持补贴（{year}年度）{stage}",
            "{year}年度退役军人创业就业补贴的{stage}",
        ],
        {"year": [["2023"], ["2024"], ["2025"]], "stage": [["发放标准", "补贴标准"], ["发放名单"]]},
    ),
    (
        "就业创业处",
        [
            "第{n}期退役军人职业技能培训{stage}",
            "退役军人职业技能培训第{n}期的{stage}",
            "退役军人技能培训班（第{n}期）{stage}",
        ],
        {
            "n": [["6", "六"], ["7", "七"]],
            "stage": [["人员名单"], ["资金使用情况", "资金使用明细"]],
        },
    ),
    (
        "就业创业处",
        [
            "{year}年退役军人专场招聘会参会企业{stage}",
            "{year}年度退役军人专场招聘会的参会企业{stage}",
        ],
        {"year": [["2023"], ["2024"]], "stage": [["名单"], ["合同"]]},
    ),
    (
        "优抚处",
        [
            "{year}年度伤残军人抚恤金{stage}",
            "伤残军人{year}年抚恤金{stage}",
            "{year}年伤残抚恤金的{stage}",
        ],
        {"year": [["2022"], ["2023"], ["2024"]], "stage": [["发放标准", "抚恤标准"], ["发放名单"]]},
    ),
    (
        "优抚处",
        [
            "{person}的伤残等级评定档案",
            "{person}评定伤残等级的档案材料",
            "关于{person}伤残评定的档案",
        ],
        {"person": [["申请人本人", "本人"], ["父亲", "先父"]]},
    ),
    (
        "优抚处",
        ["{year}年{place}重点优抚对象{stage}", "{place}{year}年度重点优抚对象的{stage}"],
        {
            "year": [["2023"], ["2024"]],
            "place": [["历下区"], ["市中区"], ["槐荫区"]],
            "stage": [["名单"]],
        },
    ),
    (
        "优抚处",
        [
            "{year}年{q}季度优抚对象定期抚恤补助资金拨付情况",
            "优抚对象定期抚恤补助{year}年{q}季度资金拨付情况",
        ],
        {"year": [["2024"]], "q": [["第一", "一"], ["第二", "二"], ["第三", "三"]]},
    ),
    (
        "褒扬纪念处",
        [
            "{place}烈士陵园修缮工程的{stage}",
            "{place}烈士陵园修缮项目{stage}",
            "关于{place}烈士陵园修缮的{stage}",
        ],
        {"place": [["英雄山"], ["莱芜"], ["章丘"]], "stage": [["招标文件"], ["合同"]]},
    ),
    (
        "褒扬纪念处",
        ["{person}的烈士评定档案", "{person}被评定为烈士的审批档案"],
        {"person": [["父亲"], ["母亲"], ["祖父", "爷爷"]]},
    ),
    (
        "褒扬纪念处",
        ["{year}年烈士纪念日公祭活动{stage}", "{year}年度烈士纪念日公祭活动的{stage}"],
        {"year": [["2023"], ["2024"]], "stage": [["工作方案", "实施方案"], ["资金使用情况"]]},
    ),
    (
        "褒扬纪念处",
        [
            "{year}年{place}零散烈士纪念设施排查{stage}",
            "{place}{year}年度零散烈士纪念设施的排查{stage}",
        ],
        {"year": [["2024"]], "place": [["长清区"], ["平阴县"], ["商河县"]], "stage": [["统计表"]]},
    ),
    # Other bureaus' typical requests.
    (
        "征收办",
        [
            "{place}集体土地征收{stage}",
            "{place}的集体土地征收{stage}",
            "关于{place}土地征收的{stage}",
        ],
        {
            "place": [["桦树村"], ["闲林村"], ["王家庄村"]],
            "stage": [["征收决定", "征收决定书"], ["补偿安置方案", "征收补偿方案"], ["征收公告"]],
        },
    ),
    (
        "征收办",
        [
            "{place}{phase}棚户区改造项目房屋征收{stage}",
            "{place}棚户区改造{phase}项目的房屋征收{stage}",
        ],
        {
            "place": [["洪家楼片区"], ["七里山片区"]],
            "phase": [["一期"], ["二期"]],
            "stage": [["补偿方案"]],
        },
    ),
    (
        "征收办",
        ["{doc}征地批复文件", "征地批复（{doc}）", "文号为{doc}的征地批复"],
        {
            "doc": [
                ["鲁政土字{b}2016{e}1203号"],
                ["鲁政土字{b}2016{e}1204号"],
                ["鲁政土字{b}2017{e}1203号"],
            ]
        },
    ),
    (
        "征收办",
        ["{place}城中村改造第{n}批次安置房分配名单", "{place}城中村改造安置房第{n}批次分配名单"],
        {"place": [["东八里洼村"], ["土屋村"]], "n": [["6", "六"], ["7", "七"]]},
    ),
    (
        "环评科",
        ["{project}{stage}", "{project}的{stage}", "关于{project}{stage}"],
        {
            "project": [["华山湖湿地修复项目"], ["龙湖生态公园项目"], ["济南第二垃圾焚烧发电项目"]],
            "stage": [["环境影响报告书全本", "环评报告全本"], ["环评批复", "环评审批意见"]],
        },
    ),
    (
        "环评科",
        ["{project}{phase}竣工环境保护验收报告", "{project}（{phase}）竣工环保验收的验收报告"],
        {"project": [["轨道交通3号线"]], "phase": [["一期"], ["二期"]]},
    ),
    (
        "财务科",
        [
            "{dept}{year}年度部门{stage}",
            "{year}年{dept}部门{stage}公开表",
            "{dept}的{year}年部门{stage}",
        ],
        {
            "dept": [["市教育局"], ["市卫生健康委"]],
            "year": [["2023"], ["2024"]],
            "stage": [["预算"], ["决算"]],
        },
    ),
    (
        "社会救助科",
        ["{year}年{place}城乡低保{stage}", "{place}{year}年度城乡最低生活保障{stage}"],
        {
            "year": [["2023"], ["2024"]],
            "place": [["历城区"], ["天桥区"]],
            "stage": [["发放名单"], ["补助标准"]],
        },
    ),
    (
        "农业科",
        ["{year}年{place}耕地地力保护补贴{stage}", "{place}{year}年度耕地地力保护补贴的{stage}"],
        {
            "year": [["2023"], ["2024"]],
            "place": [["仲宫镇"], ["柳埠镇"]],
            "stage": [["发放名单", "明细表"], ["补贴标准"]],
        },
    ),
    (
        "规划科",
        ["{project}{phase}建设工程规划许可证", "{project}（{phase}）的建设工程规划许可证及附图"],
        {"project": [["汉峪金谷"], ["鲁能领秀城"]], "phase": [["一期"], ["三期"]]},
    ),
    (
        "档案科",
        ["{person}的人事档案", "{person}在原单位的人事档案材料"],
        {"person": [["本人"], ["父亲"], ["母亲"]]},
    ),
]

PREFIXES = [
    "",
    "",
    "本人因自身生产生活需要，",
    "根据《中华人民共和国政府信息公开条例》，",
    "您好，",
    "因家庭生活需要，",
]
VERBS = ["申请公开", "请提供", "请求公开", "现申请获取", "申请获取", "请公开"]
SUFFIXES = [
    "",
    "。",
    "，请以纸质复印件邮寄方式提供。",
    "，请通过电子邮件发送。",
    "。谢谢！",
    "，请以纸质形式当面领取。",
]
BRACKETS = [("〔", "〕"), ("[", "]"), ("(", ")"), ("（", "）"), ("［", "］")]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def applicant_name(rng: random.Random, n: int) -> str:
    return f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}|3701{n:014d}"


def render(rng: random.Random, phrasing: str, values: dict[str, list[str]]) -> str:
    b, e = rng.choice(BRACKETS)
    slots = {k: rng.choice(v).replace("{b}", b).replace("{e}", e) for k, v in values.items()}
    body = phrasing.format(**slots)
    if rng.random() < 0.3:
        body = body.translate(FULL)
    if rng.random() < 0.3:
        body = "“" + body + "”" if rng.random() < 0.5 else "《" + body + "》"
    return f"{rng.choice(PREFIXES)}{rng.choice(VERBS)}{body}{rng.choice(SUFFIXES)}"


def build() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(SEED)
    start = date(2023, 1, 3)
    requests: list[dict[str, object]] = []
    applicants = [applicant_name(rng, n) for n in range(1, 400)]
    for t, (division, phrasings, slots) in enumerate(TOPICS):
        combos = list(itertools.product(*[[(k, v) for v in vals] for k, vals in slots.items()]))
        for c, combo in enumerate(combos):
            values = dict(combo)
            personal = "person" in values
            size = rng.choice([1, 2, 3, 3, 4, 5]) if not personal else rng.choice([2, 3])
            base_day = rng.randrange(0, 800)
            # Personal records: each applicant's own record is its own cluster (rule 5).
            people = rng.sample(applicants, size)
            for k in range(size):
                who = people[k]
                day = base_day + rng.randrange(0, 200)
                cluster = f"t{t}c{c}" + (f"@{who}" if personal else "")
                received = start + timedelta(days=day)
                replied = (
                    received + timedelta(days=rng.randrange(3, 20)) if rng.random() < 0.85 else None
                )
                requests.append(
                    _request(rng, t, phrasings, values, who, received, replied, division, cluster)
                )
                roll = rng.random()
                if roll < 0.2 and replied is not None:
                    # The same applicant asks again after the reply: an Art 36(6) repeat.
                    again = replied + timedelta(days=rng.randrange(1, 90))
                    requests.append(
                        _request(
                            rng,
                            t,
                            phrasings,
                            values,
                            who,
                            again,
                            again + timedelta(days=10),
                            division,
                            cluster,
                        )
                    )
                elif roll < 0.3:
                    # The same applicant again before the reply: a duplicate to merge.
                    again = received + timedelta(days=rng.randrange(0, 3))
                    requests.append(
                        _request(rng, t, phrasings, values, who, again, None, division, cluster)
                    )
    requests.sort(key=lambda r: (str(r["received_on"]), str(r["id"])))
    for i, r in enumerate(requests, start=1):
        r["id"] = f"r{i:04d}"
    pairs = []
    by_topic: dict[str, list[dict[str, object]]] = {}
    for r in requests:
        by_topic.setdefault(str(r["topic"]), []).append(r)
    for group in by_topic.values():
        for a, b in itertools.combinations(group, 2):
            pairs.append({"a": a["id"], "b": b["id"], "same": a["cluster"] == b["cluster"]})
    for r in requests:
        del r["topic"]
    return requests, pairs


def _request(rng, t, phrasings, values, who, received, replied, division, cluster):  # type: ignore[no-untyped-def]
    text = render(rng, rng.choice(phrasings), values)
    return {
        "id": "",
        "text": text,
        "applicant": who,
        "received_on": received.isoformat(),
        **({"replied_on": replied.isoformat()} if replied else {}),
        "division": division,
        "cluster": cluster,
        "topic": f"t{t}",
    }


def main() -> None:
    requests, pairs = build()
    with open(HERE / "similar_set.jsonl", "w", encoding="utf-8") as out:
        for r in requests:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(HERE / "similar_pairs.jsonl", "w", encoding="utf-8") as out:
        for p in pairs:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
    same = sum(1 for p in pairs if p["same"])
    sys.stdout.write(
        f"{len(requests)} requests, {len(pairs)} labelled pairs ({same} same, {len(pairs) - same} look-alikes)\n"
    )


if __name__ == "__main__":
    main()
