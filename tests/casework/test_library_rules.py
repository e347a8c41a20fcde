"""The case library's labelling rules (docs/adr/0009), one request pair per rule: what makes
two requests the same information, and what makes look-alikes different."""

from datetime import date

from django.utils import translation

import pytest

from casework.library.evaluation import evaluate
from casework.library.facts import extract_facts
from casework.library.match import (
    Entry,
    answered_before,
    compare,
    duplicates_of,
    ranked,
    repeat_of,
)
from casework.library.text import core_text

D = date(2025, 1, 10)


def judge(a: str, b: str, who_a: str = "甲", who_b: str = "甲") -> bool:
    return compare(Entry.of(1, a, [who_a], D), Entry.of(2, b, [who_b], D)).same


SAME = [
    # rule 1: the same 文号 however written
    (
        "申请公开《关于印发安置办法的通知》（济退役军人发〔2016〕12号）",
        "请提供济退役军人发[２０１６]１２号《关于印发安置办法的通知》",
    ),
    # rule 6: boilerplate, delivery form, word order, enumeration order
    (
        "本人因自身生产生活需要，申请公开桦树村集体土地征收决定和补偿安置方案，请以纸质复印件邮寄方式提供。",
        "请提供桦树村的补偿安置方案、征收决定书。谢谢！",
    ),
    (
        "2024年度退役军人就业创业补贴发放名单",
        "请公开退役军人创业就业补贴（2024年度）的发放名单，请通过电子邮件发送。",
    ),
]

SAME += [
    ("请公开2019年至2021年的财政决算报告", "2019-2021年度财政决算报告"),
    ("华山片区第六批次安置名单", "华山片区第6批安置名单"),
    ("济政发〔2016〕12号文件", "济政发(2016)第12号文件"),
    ("请提供龙湖项目环评报告", "请提供龙湖项目的环境影响评价报告书"),
    ("2022年度退役军人创业贷款贴息名单", "二〇二二年度退役军人创业贷款贴息名单"),
    ("请提供我父亲的烈士证明材料", "请提供本人父亲的烈士证明材料"),
]

DIFFERENT = [
    # rule 1: another 文号
    ("济退役军人发〔2016〕12号文件全文", "济退役军人发〔2016〕13号文件全文", "文号"),
    # rule 2: another year
    ("2024年度部门预算", "2023年度部门预算", "年份"),
    # rule 3: another place, phase, batch
    ("桦树村集体土地征收决定", "闲林村集体土地征收决定", "地点"),
    ("洪家楼片区一期棚户区改造项目补偿方案", "洪家楼片区二期棚户区改造项目补偿方案", "期次"),
    (
        "东八里洼村城中村改造第6批次安置房分配名单",
        "东八里洼村城中村改造第7批次安置房分配名单",
        "期次",
    ),
    # rule 4: another stage or document type
    ("桦树村集体土地征收决定", "桦树村集体土地补偿安置方案", "阶段"),
    ("华山湖湿地修复项目环境影响报告书全本", "华山湖湿地修复项目环评批复", "阶段"),
    ("2024年度部门预算", "2024年度部门决算", "阶段"),
    ("2024年伤残抚恤金发放标准", "2024年伤残抚恤金发放名单", "阶段"),
    # rule 3: another project, whatever else is shared
    ("汉峪金谷一期建设工程规划许可证", "鲁能领秀城一期建设工程规划许可证", "事项"),
    ("2024年第一季度低保名单", "2024年第二季度低保名单", "期间"),
    ("2024年3月局务会议纪要", "2024年4月局务会议纪要", "期间"),
    ("2024年春节慰问金发放名单", "2024年八一慰问金发放名单", "期间"),
    ("阳光小区加装电梯补贴名单", "幸福小区加装电梯补贴名单", "地点"),
    ("G104国道改扩建项目的环评批复", "G105国道改扩建项目的环评批复", "编号"),
    ("鲁政办字〔2018〕25号", "鲁政办字〔2018〕52号", "文号"),
    ("章丘区垃圾焚烧发电厂的环评报告", "章丘区垃圾焚烧发电厂的环评报告及批复", "阶段"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_information_however_worded(a, b):
    assert judge(a, b), (extract_facts(a), extract_facts(b), core_text(a), core_text(b))


@pytest.mark.parametrize(("a", "b", "kind"), DIFFERENT)
def test_look_alikes_differ_by_a_fact(a, b, kind):
    match = compare(Entry.of(1, a, ["甲"], D), Entry.of(2, b, ["甲"], D))
    assert not match.same
    assert match.differences  # the difference is named for the officer
    assert match.score > 0.4  # a look-alike indeed: the text alone would call it the same


def test_the_same_personal_record_of_two_applicants_is_two_records():
    text = "申请公开申请人本人的伤残等级评定档案"
    assert judge(text, text, "甲", "甲")
    assert not judge(text, text, "甲", "乙")
    assert not judge("父亲的人事档案", "父亲的人事档案", "甲", "乙")
    assert not judge("本人的人事档案", "父亲的人事档案", "甲", "甲")


def test_differences_are_named():
    match = compare(
        Entry.of(1, "2024年度部门预算", ["甲"], D), Entry.of(2, "2023年度部门预算", ["甲"], D)
    )
    with translation.override("zh-hans"):
        match = compare(
            Entry.of(1, "2024年度部门预算", ["甲"], D), Entry.of(2, "2023年度部门预算", ["甲"], D)
        )
    assert [str(d) for d in match.differences] == ["年份或期间不同：2024 ≠ 2023"]


def test_repeat_duplicate_and_popular_are_told_apart():
    text = "2024年度退役士兵安置名单"
    answered = Entry.of(1, text, ["甲"], date(2025, 1, 2), replied_on=date(2025, 1, 9))
    pending = Entry.of(2, text, ["甲"], date(2025, 1, 20))
    other = Entry.of(3, text, ["乙"], date(2025, 1, 2), replied_on=date(2025, 1, 9))
    # same applicant, answered before it arrived: a repeat (Art 36(6))
    new = Entry.of(9, "请提供2024年退役士兵安置的名单", ["甲"], date(2025, 2, 1))
    matches = ranked(new, [answered, other])
    assert repeat_of(new, matches).earlier.id == 1
    # another applicant's answered request: same information, never a repeat
    assert repeat_of(Entry.of(9, text, ["丙"], date(2025, 2, 1)), ranked(new, [other])) is None
    # same applicant before the first reply: a duplicate to merge
    early = Entry.of(8, text, ["甲"], date(2025, 1, 21))
    matches = ranked(early, [pending])
    assert repeat_of(early, matches) is None
    assert [m.earlier.id for m in duplicates_of(early, matches)] == [2]
    # answered only after the new one arrived: not a repeat either
    late = Entry.of(7, text, ["甲"], date(2025, 1, 5))
    assert repeat_of(late, ranked(late, [answered])) is None


def test_a_reply_on_the_day_of_receipt_is_neither_a_repeat_nor_a_duplicate():
    # One predicate (match.answered_before) for the library, its evaluation and the decision
    # rule (casework.decision_rules.earlier_reply): a reply on the day the new request arrived
    # is not "before" it (tests/letters/test_decision_substance.py holds the rule's side).
    text = "2024年度退役士兵安置名单"
    answered = Entry.of(1, text, ["甲"], date(2025, 1, 2), replied_on=date(2025, 1, 9))
    same_day = Entry.of(2, text, ["甲"], date(2025, 1, 9))
    next_day = Entry.of(3, text, ["甲"], date(2025, 1, 10))
    assert repeat_of(same_day, ranked(same_day, [answered])) is None
    assert duplicates_of(same_day, ranked(same_day, [answered])) == []
    assert repeat_of(next_day, ranked(next_day, [answered])).earlier.id == 1
    assert answered_before(date(2025, 1, 9), date(2025, 1, 10))
    assert not answered_before(date(2025, 1, 9), date(2025, 1, 9))
    assert not answered_before(None, date(2025, 1, 9))


def test_the_evaluation_counts_a_same_day_reply_as_no_repeat():
    rows = [
        {
            "id": "a",
            "text": "2024年度退役士兵安置名单",
            "applicant": "甲",
            "received_on": "2025-01-02",
            "replied_on": "2025-01-09",
            "cluster": "c",
        },
        {
            "id": "b",
            "text": "请提供2024年退役士兵安置的名单",
            "applicant": "甲",
            "received_on": "2025-01-09",
            "cluster": "c",
        },
    ]
    result = evaluate(rows)
    answers = {a["id"]: a for a in result.answers}
    assert answers["b"]["repeat_of"] is None
    assert result.metrics["false_repeat_rate"] == 0.0
