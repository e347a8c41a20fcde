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


# Rules read off real request texts (tests/data/README_similar_real.md lists the patterns);
# the examples are written for these tests, not taken from the labelled sets.
# (text, text, applicant of the first, applicant of the second)
SAME_AS_WRITTEN = [
    # rule 3: a full address names the same village as a short one; 村民 is not a 村, and a
    # name stops at the suffix of the larger place before it (转塘街道双浦村 → 双浦)
    (
        "请公开西湖区转塘街道双浦村村民房屋所在地块的征收补偿安置方案",
        "请公开双浦村（转塘街道）村民房屋所在地块的补偿安置方案",
        "甲",
        "乙",
    ),
    # rule 3: a name stops at a preposition (对原南湖乡 → 原南湖; 原南湖 ends in 南湖)
    (
        "市自然资源局对原南湖乡红星村违法占地作出的行政处罚决定书",
        "请公开市自然资源局在红星村（南湖乡）违法占地的行政处罚决定书",
        "甲",
        "甲",
    ),
    # rule 3: an abbreviation keeps the full name's characters in order (国土局 = 国土资源局)
    (
        "请公开市国土局对红星村违法占地的行政处罚决定书",
        "请公开市国土资源局对红星村违法占地的行政处罚决定书",
        "甲",
        "乙",
    ),
    # rule 3: 建筑工程/建设工程 before a licence is the licence's name, not a project
    (
        "为核实征收项目的合法性，申请书面公开滨江花苑项目的建筑工程施工许可证",
        "请公开滨江花苑项目建筑工程施工许可证",
        "甲",
        "甲",
    ),
    # rule 2: a date range from 1 January to the year's end is the years it spans
    (
        "申请公开自2010年1月1日至2012年12月31日南湖镇违法建筑拆除决定书",
        "请提供南湖镇2010年至2012年间的违法建筑拆除决定书",
        "甲",
        "乙",
    ),
    # rule 2: months of one year however written
    (
        "请公开2023年1月至6月城区道路占道施工审批名单",
        "请提供2023年1-6月城区道路占道施工审批名单",
        "甲",
        "乙",
    ),
    # rule 2: months that make a quarter or a half-year are that quarter or half-year
    ("请公开2023年1-3月城区低保金发放名单", "请公开2023年第一季度城区低保金发放名单", "甲", "乙"),
    ("请公开2023年1月至6月城区低保金发放名单", "请公开2023年上半年城区低保金发放名单", "甲", "乙"),
    # rule 3: a range of batches is each batch (第6至8批次 = 第6、7、8批次)
    ("申请公开第6至8批次建设用地征地公告", "申请公开第6、7、8批次建设用地征地公告", "甲", "乙"),
    # rule 6: the delivery form inside the only clause (以电子邮件发送给我, 查阅并以复印件形式)
    (
        "请将青龙河综合整治项目的社会稳定风险评估报告以电子邮件发送给我",
        "要求查阅并以复印件形式公开青龙河综合整治项目的社会稳定风险评估报告",
        "甲",
        "乙",
    ),
    (
        "本人因生活需要，申请公开山河村2022年度村级财务收支明细，请以纸质方式邮寄给我",
        "请公开山河村二〇二二年度村级财务收支明细",
        "甲",
        "乙",
    ),
    # rule 6: the addressee (被告住建局, 区政府公开…) is boilerplate
    (
        "要求被告住建局公开锦绣花园小区的竣工验收备案材料",
        "请公开锦绣花园小区竣工验收备案材料",
        "甲",
        "乙",
    ),
    (
        "区政府公开红光社区老旧小区改造的资金使用情况",
        "请公开红光社区老旧小区改造资金的使用情况",
        "甲",
        "乙",
    ),
    # rule 6: a delivery clause ends at the colon and at item numbers, not taking item 1
    (
        "通过邮寄方式申请公开如下信息：1.东沙村集体土地征收公告；2.征地补偿安置方案",
        "请公开东沙村的补偿安置方案和征收公告，谢谢",
        "甲",
        "乙",
    ),
    # rule 6: the applicant's particulars (姓名, 联系电话, 通讯地址 and their values)
    (
        "申请人姓名：张三，联系电话：13800000000，通讯地址：人民路18号。申请公开红星村2023年度村务公开资料",
        "请公开红星村2023年度的村务公开资料",
        "甲",
        "乙",
    ),
    # rule 6: the subject rule does not fire on reworded grammar (拟在我们 / 在当事人…拟建)
    (
        "申请公开拟在我们小区旁建设的变电站项目的环评批复",
        "请公开在当事人小区旁拟建的变电站项目环评批复",
        "甲",
        "甲",
    ),
    # rule 5: 申请人/本人/我/自身 name the same applicant's record
    ("申请公开由申请人签订的房屋拆迁补偿协议", "请公开本人签订的房屋拆迁补偿协议", "甲", "甲"),
    ("申请公开本人的退役士兵安置档案", "请提供我的退役士兵安置档案", "甲", "甲"),
    ("请公开家父的烈士评定档案", "请公开我父亲的烈士评定档案", "甲", "甲"),
    # rule 5: from the same applicant, their own record need not say 本人 each time
    (
        "请公开我举报的违法排污案件的调查处理结果",
        "申请公开其举报违法排污案件的调查处理结果",
        "甲",
        "甲",
    ),
    # rule 5: introducing the applicant (本人系…村民, 申请人作为…) is not a personal record
    (
        "本人系柳湾村村民，申请公开柳湾村土地征收补偿方案",
        "本人系柳湾村村民，申请公开柳湾村土地征收补偿方案",
        "甲",
        "乙",
    ),
    (
        "申请人作为柳湾村村民，申请公开柳湾村土地征收补偿方案",
        "请公开柳湾村土地征收补偿方案",
        "甲",
        "乙",
    ),
    # rule 5: "all of them, the applicant's included" is everyone's, not a personal record
    (
        "请公开所有被征收人（包括申请人）的征地补偿安置协议",
        "请公开全部被征收人的征地补偿安置协议",
        "甲",
        "乙",
    ),
    # rule 1: the same 文号: a title around it or a bare "…号文件" is the same document
    (
        "请求公开《关于印发石桥镇拆违工作方案的通知》（石政发〔2019〕8号）",
        "请公开石政发(2019)8号文件",
        "甲",
        "乙",
    ),
    ("请公开郑政文〔2011〕5号文件", "请公开郑州市人民政府郑政文(2011)5号文件", "甲", "乙"),
    (
        "请公开文号为鲁政土字[2017]1203号的征地批复",
        "请公开鲁政土字〔2017〕1203号征地批复",
        "甲",
        "乙",
    ),
    # rule 2: a date in figures is the same date
    (
        "请公开2013.12.10台北街拆除台北一村健身器材的依据",
        "要求公开2013年12月10日台北街拆除台北一村健身器材的依据",
        "甲",
        "乙",
    ),
    # rule 3: a name stops at the road or line before it (杭绍台高速公路绍兴段 → 绍兴)
    (
        "请公开杭绍台高速公路绍兴段征地补偿款的拨付明细",
        "请提供杭绍台高速绍兴段的征地补偿款拨付明细",
        "甲",
        "乙",
    ),
    # rule 6: court wording (原告…向被告西湖区人民政府申请公开) is the addressee, not the subject
    (
        "原告于2015年3月2日向被告西湖区人民政府申请公开留下镇小和山村的土地征收批复",
        "请公开留下镇小和山村土地征收批复",
        "甲",
        "甲",
    ),
    # rule 3: a company however its form is written (有限公司 = 公司)
    (
        "请公开云和县某某网络科技有限公司的行政处罚决定书",
        "请公开某某网络科技公司（云和县）的行政处罚决定书",
        "甲",
        "乙",
    ),
    # rule 3: an organ abbreviated (市场监管局 = 市场监督管理局)
    (
        "请公开宁波市市场监督管理局对某某食品厂的抽检报告",
        "请公开宁波市市场监管局对某某食品厂的抽检报告",
        "甲",
        "乙",
    ),
    # rule 5: a masked name (胥某 = 胥某某)
    ("请公开我父亲胥某的烈士评定材料", "请公开本人父亲胥某某的烈士评定材料", "甲", "甲"),
    # rule 1: a court's case number, year first, with or without 字
    (
        "请公开(2015)浙0106行初字第12号案件中被告提交的证据目录",
        "请公开（2015）浙0106行初12号案被告提交的证据目录",
        "甲",
        "乙",
    ),
    ("请公开鲁政办字〔2018〕25号文件", "请公开鲁政办〔2018〕25号文件", "甲", "乙"),
    (
        "申请公开浙江省人民政府浙土字〔2015〕A123号征收土地批复",
        "请提供浙土字[2015]A123号省政府征地批复",
        "甲",
        "乙",
    ),
    # rule 5: before the request's verb the applicant says who asks and why (本人是…村民，因
    # 本人房屋被征收，特申请公开…): not a personal record
    (
        "本人是江干区丁桥镇皋城村村民，因本人房屋被列入征收范围，特申请公开皋城村集体土地征收的征地批复文件。",
        "请公开丁桥镇皋城村集体土地的征地批复（本人系该村村民）。",
        "甲",
        "乙",
    ),
    # rule 3: 3幢 = 3栋 = 3号楼; rule 4: 收入和支出 = 收支
    ("请公开某某小区3幢的竣工验收备案表", "请公开某某小区3号楼竣工验收备案表", "甲", "乙"),
    ("请公开XX村2019年村集体经济收入和支出明细", "请公开XX村2019年村集体经济收支明细", "甲", "乙"),
    # rule 6: a clause that asks keeps its subject, whatever polite, statute or purpose words
    # it also holds (恳请贵局公开…; 依据《条例》申请公开…; 因家庭生活需要申请公开…)
    (
        "恳请贵局公开XX水库移民后期扶持资金2020年度的发放花名册，以便本人核实",
        "请公开XX水库二〇二〇年度移民后期扶持资金发放名单",
        "甲",
        "乙",
    ),
    (
        "依据《中华人民共和国政府信息公开条例》第二十七条申请公开青山湖2023年度水质监测报告",
        "因家庭生活需要申请公开青山湖2023年度的水质监测报告",
        "甲",
        "乙",
    ),
    # rule 3: 城市 is a word, not a 市 ending a place (城市管理局 = 城管局)
    (
        "申请公开XX区城市管理局拆除本人位于XX村的房屋所依据的强制拆除决定书及催告书",
        "请公开城管局（XX区）强拆我在XX村房屋的强制拆除决定书和催告书",
        "甲",
        "甲",
    ),
    # rule 4: 环评文件 is the 环境影响报告书 (or 表); rule 5: 申请人之父 = 我父亲
    ("请公开城北垃圾中转站项目的环评文件", "请公开城北垃圾中转站项目环境影响报告书", "甲", "乙"),
    ("请公开申请人之父的烈士褒扬档案", "请公开我父亲的烈士褒扬档案", "甲", "甲"),
    # rule 5: a marker that only locates a place (本人所在小区, 我家房屋所在村) asks for the
    # place's record, which a neighbour asks for too
    (
        "请公开本人所在小区的专项维修资金使用明细",
        "请公开我家所在小区的专项维修资金使用明细",
        "甲",
        "乙",
    ),
    # rule 4: a document named only to locate the one asked for is not asked for
    (
        "请公开（东站片区棚改项目房屋征收决定）涉及的社会稳定风险评估报告",
        "请公开东站片区棚改项目的社会稳定风险评估报告",
        "甲",
        "乙",
    ),
    # rule 5: a kin marker before the verb still says whose record (其 = 申请人的父亲李某)
    (
        "申请人的父亲李某系抗美援朝老兵，申请公开其参战记录",
        "请公开我父亲李某的抗美援朝参战记录",
        "甲",
        "甲",
    ),
]

# (text, text, applicant of the first, applicant of the second, the kind of difference)
LOOK_ALIKES = [
    # rule 3: a number before 社/组 names a 村民小组, before 号地块 a plot, after a road a house
    ("请公开红旗村3社土地征收公告", "请公开红旗村4社土地征收公告", "甲", "甲", "numbered"),
    ("请公开柳湾村2组土地征收补偿方案", "请公开柳湾村5组土地征收补偿方案", "甲", "甲", "numbered"),
    (
        "请公开经开区12号地块的国有土地出让合同",
        "请公开经开区13号地块的国有土地出让合同",
        "甲",
        "甲",
        "numbered",
    ),
    (
        "请公开解放路88号房屋的征收评估报告",
        "请公开解放路86号房屋的征收评估报告",
        "甲",
        "甲",
        "numbered",
    ),
    # rule 3: an enumeration names each batch (第3、5批次 ≠ 第5批次)
    (
        "申请公开2019年第3、5批次建设用地的征地公告",
        "申请公开2019年第5批次建设用地的征地公告",
        "甲",
        "甲",
        "numbered",
    ),
    (
        "申请公开第6至8批次建设用地征地公告",
        "申请公开第9批次建设用地征地公告",
        "甲",
        "甲",
        "numbered",
    ),
    # rule 3: 庄, 屯 end village names
    (
        "请公开王各庄全部被拆迁户的安置房分配名单",
        "请公开李各庄全部被拆迁户的安置房分配名单",
        "甲",
        "甲",
        "places",
    ),
    ("申请公开张家屯土地征收公告", "申请公开刘家屯土地征收公告", "甲", "甲", "places"),
    ("请公开东门口村征收土地公告", "请公开西门口村征收土地公告", "甲", "甲", "places"),
    ("请公开市公安局的2023年度部门决算", "请公开市交通局的2023年度部门决算", "甲", "甲", "places"),
    # rule 2: date ranges
    (
        "请公开2010年1月1日至2012年12月31日南湖镇违法建筑拆除决定书",
        "请公开2013年1月1日至2015年12月31日南湖镇违法建筑拆除决定书",
        "甲",
        "甲",
        "periods",
    ),
    (
        "请公开2023年1月至6月城区道路占道施工审批名单",
        "请公开2023年7月至12月城区道路占道施工审批名单",
        "甲",
        "甲",
        "periods",
    ),
    # rule 4: a decision's 审批表 is not the decision; the reason for classifying a document
    # is not the document; the two planning licences; 立项 is not 可研
    (
        "请提供青政复决字〔2020〕7号行政复议决定书",
        "请提供青政复决字〔2020〕7号行政复议决定审批表",
        "甲",
        "甲",
        "stages",
    ),
    (
        "请公开《市直机关差旅费管理办法》定为秘密的理由",
        "请公开《市直机关差旅费管理办法》全文",
        "甲",
        "甲",
        "stages",
    ),
    (
        "请公开锦绣花园项目的建设用地规划许可证",
        "请公开锦绣花园项目的建设工程规划许可证",
        "甲",
        "甲",
        "stages",
    ),
    (
        "请公开滨江花苑项目的建筑工程施工许可证",
        "请公开滨江花苑项目的建设工程规划许可证",
        "甲",
        "甲",
        "stages",
    ),
    (
        "请公开城南污水处理厂项目的可行性研究报告",
        "请公开城南污水处理厂项目的立项批复",
        "甲",
        "甲",
        "stages",
    ),
    # rule 2: a date with its day is that day (an event, a document of the day)
    (
        "请公开2013年12月10日台北街拆除台北一村健身器材的依据",
        "请公开2013年11月20日台北街拆除台北一村健身器材的依据",
        "甲",
        "甲",
        "periods",
    ),
    # rule 3: schools, police stations, road sections are named places
    ("请公开东湖小学2024年招生划片范围", "请公开西湖小学2024年招生划片范围", "甲", "甲", "places"),
    (
        "请公开城东派出所2023年治安案件统计数据",
        "请公开城西派出所2023年治安案件统计数据",
        "甲",
        "甲",
        "places",
    ),
    (
        "请公开杭绍台高速公路绍兴段征地补偿款的拨付明细",
        "请公开杭绍台高速公路台州段征地补偿款的拨付明细",
        "甲",
        "甲",
        "places",
    ),
    # rule 4: the design steps and the steps of a recruitment are other documents
    (
        "请公开甬台温高速复线的初步设计批复",
        "请公开甬台温高速复线的施工图设计批复",
        "甲",
        "甲",
        "stages",
    ),
    (
        "请公开市人社局2022年度公务员招录体检结果",
        "请公开市人社局2022年度公务员招录考察结果",
        "甲",
        "甲",
        "stages",
    ),
    # rule 3: another company, another organ, another plot by its area
    (
        "请公开某某网络科技有限公司的行政处罚决定书",
        "请公开某某食品有限公司的行政处罚决定书",
        "甲",
        "甲",
        "places",
    ),
    ("请公开市教育局2023年度部门决算", "请公开市体育局2023年度部门决算", "甲", "甲", "places"),
    (
        "请公开后洋村1.908亩水田的征地批准文件",
        "请公开后洋村2.3亩水田的征地批准文件",
        "甲",
        "甲",
        "numbered",
    ),
    # rule 3: a building (幢, 栋 = 号楼), a stairway (单元), a room (室)
    (
        "请公开某某小区3幢的竣工验收备案表",
        "请公开某某小区5幢的竣工验收备案表",
        "甲",
        "甲",
        "numbered",
    ),
    (
        "请公开某某小区3单元的房屋测绘报告",
        "请公开某某小区4单元的房屋测绘报告",
        "甲",
        "甲",
        "numbered",
    ),
    # rule 4: the written and the oral examination; income and spending
    (
        "请公开XX区教育局2023年教师招聘的面试成绩",
        "请公开XX区教育局2023年教师招聘的笔试成绩",
        "甲",
        "甲",
        "stages",
    ),
    (
        "请公开XX村2019年村集体经济收入明细",
        "请公开XX村2019年村集体经济支出明细",
        "甲",
        "甲",
        "stages",
    ),
    # rule 6 stops at the medium: a 书面答复 is an 答复, not a delivery form
    (
        "请公开贵局对本人2021年3月5日信访事项的书面答复",
        "请公开贵局对本人2021年3月5日信访事项的调查报告",
        "甲",
        "甲",
        "stages",
    ),
    # rule 4: the document located by another is still another than that one
    (
        "请公开东站片区棚改项目房屋征收决定涉及的社会稳定风险评估报告",
        "请公开东站片区棚改项目的房屋征收决定",
        "甲",
        "甲",
        "stages",
    ),
    # rule 4: the maps and certificates of a land taking
    ("请公开东湖村征地的勘测定界图", "请公开东湖村征地的红线图", "甲", "甲", "stages"),
    (
        "请公开东湖村12号地块的国有土地使用证",
        "请公开东湖村12号地块的房屋拆迁许可证",
        "甲",
        "甲",
        "stages",
    ),
    # rule 4: the records of a case or an inspection
    (
        "请公开3月5日滨江路交通事故的调查报告",
        "请公开3月5日滨江路交通事故的认定书",
        "甲",
        "甲",
        "stages",
    ),
    (
        "请公开城南污水处理厂2023年度的排污许可证",
        "请公开城南污水处理厂2023年度的监测报告",
        "甲",
        "甲",
        "stages",
    ),
    # rule 5: 之父 of two applicants
    ("请公开申请人之父的烈士褒扬档案", "请公开申请人之父的烈士褒扬档案", "甲", "乙", "persons"),
    # rule 5: a decision made against the applicant (对申请人作出的) is their record
    (
        "请公开对申请人作出的行政处罚决定书及送达回证",
        "请公开对申请人作出的行政处罚决定书及送达回证",
        "甲",
        "乙",
        "persons",
    ),
    # rule 3: avenues and cities are named places; a number before 号 names one of a kind
    ("申请公开防城港东湾大道的环评报告", "申请公开防城港西湾大道的环评报告", "甲", "甲", "places"),
    (
        "请公开毕节市留守儿童关爱专项救助资金的来源情况",
        "请公开六盘水市留守儿童关爱专项救助资金的来源情况",
        "甲",
        "甲",
        "places",
    ),
    (
        "请公开兴运2号货船2011年3月2日安全事故的调查报告",
        "请公开兴运3号货船2011年3月2日安全事故的调查报告",
        "甲",
        "甲",
        "numbered",
    ),
    # rule 3: a project's longer name (燃石油焦 / 燃煤火力发电项目)
    (
        "请公开燃石油焦火力发电项目与大气污染关联度的研究报告",
        "请公开燃煤火力发电项目与大气污染关联度的研究报告",
        "甲",
        "甲",
        "places",
    ),
    # rule 4: the four parts of a land compensation
    (
        "请公开新城路北53号地块征地补偿费中安置补助费的去向",
        "请公开新城路北53号地块征地补偿费中青苗补偿费的去向",
        "甲",
        "甲",
        "stages",
    ),
    # rule 5: another person named, even by the same applicant
    ("请公开张某的低保审批材料", "请公开李某的低保审批材料", "甲", "甲", "names"),
    # rule 1: another case number
    (
        "请公开(2015)浙0106行初字第12号案件中被告提交的证据目录",
        "请公开(2015)浙0106行初字第13号案件中被告提交的证据目录",
        "甲",
        "甲",
        "docnos",
    ),
    # rule 5: 申请人 (where it owns or signs), 自身, 我, 家父 of two applicants: two records
    (
        "请公开由申请人签署的宅基地置换协议",
        "请公开由申请人签署的宅基地置换协议",
        "甲",
        "乙",
        "persons",
    ),
    ("请公开自身宅基地的确权登记材料", "请公开自身宅基地的确权登记材料", "甲", "乙", "persons"),
    (
        "请公开我投诉的噪声扰民案件的处理结果",
        "请公开我投诉的噪声扰民案件的处理结果",
        "甲",
        "乙",
        "persons",
    ),
    ("请公开家父的烈士评定档案", "请公开家父的烈士评定档案", "甲", "乙", "persons"),
    # rule 1: another organ's prefix is another 文号
    ("请公开济政发〔2016〕12号文件", "请公开鲁政发〔2016〕12号文件", "甲", "甲", "docnos"),
    # rule 3: the subject rule still fires on names each side lacks
    (
        "请公开毕节市留守儿童关爱专项资金的使用情况",
        "请公开毕节市困境儿童生活保障资金的使用情况",
        "甲",
        "甲",
        "subject",
    ),
]


@pytest.mark.parametrize(("a", "b", "who_a", "who_b"), SAME_AS_WRITTEN)
def test_the_same_information_as_real_requests_write_it(a, b, who_a, who_b):
    match = compare(Entry.of(1, a, [who_a], D), Entry.of(2, b, [who_b], D))
    assert match.same, ([str(d) for d in match.differences], match.topic_score)


@pytest.mark.parametrize(("a", "b", "who_a", "who_b", "kind"), LOOK_ALIKES)
def test_real_look_alikes_differ_by_the_named_fact(a, b, who_a, who_b, kind):
    match = compare(Entry.of(1, a, [who_a], D), Entry.of(2, b, [who_b], D))
    assert not match.same
    assert kind in {d.kind for d in match.differences}, match.differences
    assert match.score > 0.4  # a look-alike indeed


def test_facts_read_from_real_wording():
    facts = extract_facts("大英县盐井街道宝石岩村1社所征土地（2020年第6、8批次建设用地）")
    assert facts.numbered == {"组1", "批6", "批8"}
    assert {p.split("|")[0] for p in facts.places} == {"大英", "盐井", "宝石岩"}
    assert extract_facts("自2005年1月1日至2015年12月30日").periods == {
        str(y) for y in range(2005, 2016)
    }
    assert extract_facts("2006年6月至2012年6月期间").periods == {"2006M6~2012M6"}
    # 合作社, 社区, 社会 are not numbered units; 村民, 区域 not places
    assert extract_facts("经济合作社所属土地，3社区，社会稳定").numbered == frozenset()
    assert extract_facts("桦树村村民房屋所在区域").places == {"桦树|村"}
    # 庄 begins 庄头村 (not a place of its own); a date before a 文号 keeps its day
    assert {p.split("|")[0] for p in extract_facts("长安路庄头村征收土地公告").places} == {
        "长安",
        "庄头",
    }
    facts = extract_facts("2013年11月19日新密政复决字〔2013〕3号行政复议决定审批表")
    assert facts.docnos == {"新密政复决[2013]3"}
    assert facts.periods == {"2013M11D19"}
    # 本人系…, 申请人作为…, 我们, 我局 introduce; 申请人的…, 我家, 自身承包地 own
    assert extract_facts("本人系红星村村民，我们小区，我局", "甲").persons == frozenset()
    assert extract_facts("申请人作为红星村村民申请公开", "甲").persons == frozenset()
    for text in ("申请人的补偿协议", "我家房屋", "自身承包地", "由申请人签署的协议", "我所寄材料"):
        assert extract_facts(text, "甲").persons == {"self@甲"}, text


def test_the_subject_rule_reads_names_not_rewording():
    from casework.library.facts import subject_difference
    from casework.library.text import bigrams

    def subject(a: str, b: str):
        ta, tb = core_text(a), core_text(b)
        return subject_difference(ta, tb, bigrams(ta) & bigrams(tb))

    # function words and characters the other side uses (违法一案 / 涉嫌违反…法案) are rewording
    assert (
        subject("某公司广告违法一案的处理情况", "某公司涉嫌违反中华人民共和国广告法案的处理情况")
        is None
    )
    # a name each side lacks is another subject
    assert subject("汉峪金谷项目规划许可证", "鲁能领秀城项目规划许可证") is not None


BASES = [
    "申请公开青石镇柳溪村2022年度集体土地征收补偿安置方案",
    "请公开本人父亲孙某的伤残等级评定档案",
    "请公开杭政办函〔2021〕45号文件及其附件",
    "请公开2019年至2021年城南污水处理厂出水水质的监测数据；该厂的排污许可证",
]
WRAPS = [
    ("本人因自身生产生活需要，", "请以纸质复印件邮寄方式提供。"),
    ("您好！根据《中华人民共和国政府信息公开条例》第二十七条的规定，", "此致 敬礼"),
    ("申请人现依法向贵局申请：", "望予公开为盼。"),
    ("因家庭生活需要", "以便本人了解情况"),  # glued, without punctuation
    ("", "请通过电子邮件发送，谢谢！"),
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(("before", "after"), WRAPS)
def test_boilerplate_around_a_request_changes_nothing(base, before, after):
    # rule 6: reasons, the statute, the addressee, the delivery form and the closing, glued to
    # the request or in clauses of their own, leave the same information and the same facts
    wrapped = before + base + after
    assert extract_facts(wrapped, "甲") == extract_facts(base, "甲")
    assert judge(base, wrapped)


def test_a_reworded_look_alike_of_a_long_request_outranks_an_unrelated_one():
    # the ranking penalty counts at most two differences: a look-alike differing in year,
    # batch, village and stage is still more alike than a request about something else
    new = Entry.of(
        9,
        "请公开2020年青石镇柳溪村3组第2批次建设用地的征收土地公告、土地勘测定界图和地上附着物清点表",
        ["甲"],
        D,
    )
    look_alike = Entry.of(
        1,
        "请公开2019年青石镇桃源村4组第3批次建设用地的补偿安置方案、土地勘测定界图和地上附着物清点表",
        ["乙"],
        D,
    )
    unrelated = Entry.of(2, "请公开2020年青石镇政府信息公开工作年度报告", ["甲"], D)
    first, _second = ranked(new, [unrelated, look_alike])
    assert first.earlier.id == 1
    assert len(first.differences) >= 4
    blended = (first.score + first.topic_score) / 2
    assert first.rank[1] == pytest.approx(blended - 0.4)


def test_a_different_subject_is_named_without_the_matchers_stripped_words():
    # The officer reads both subjects in the row; the stripped topic text (facts taken out,
    # 本人父亲烈士褒扬金文件文件) is the matcher's, not words to show.
    match = compare(
        Entry.of(1, "军休所改造项目招标文件", ["甲"], D),
        Entry.of(2, "本人父亲烈士褒扬金发放标准文件", ["甲"], D),
    )
    subject = [d for d in match.differences if d.kind == "subject"]
    assert subject, [str(d) for d in match.differences]
    with translation.override("zh-hans"):
        assert str(subject[0]) == "事项不同"
