"""The facts of a request that decide whether two requests ask for the same information.

Two requests ask for the same information when a correct reply would hand over the same
document or record set (Art 36(6); the labelling rules of docs/adr/0009):
1. the same document — the 文号 however written (〔2016〕/[2016]/(2016), full/half width);
2. the same year or period (2024年度 ≠ 2023年度);
3. the same place, phase or batch (桦树村 ≠ 闲林村; 一期 ≠ 二期; 第6批次 ≠ 第7批次);
4. the same stage or document type (征收决定 ≠ 补偿方案; 预算 ≠ 决算; 标准 ≠ 名单);
5. the same person's record (申请人本人/父亲的档案 filed by two applicants are two records).
A fact that both requests state and that differs makes them different information, however
alike the text (`differences`). Each reading below is a rule a Chinese reader states (a number
before 社/组/号地块 names a unit; a name ends at the larger place before it; 本人系…村民 says who
asks, 本人的档案 whose record); ADR 0009 lists them and tests/casework/test_library_rules.py
tests each on texts of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from casework.library.text import _FILLER, halfwidth, without_boilerplate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_DOCNO = re.compile(
    r"((?:(?![年月日])[\u4e00-\u9fff]){1,8})\s*\[\s*((?:19|20)\d{2})\s*\]\s*第?\s*([A-Za-z]?\d{1,5})\s*号"
)
# A court's case number puts the year first: (2015)浙0106行初字第12号.
_CASENO = re.compile(
    r"\[\s*((?:19|20)\d{2})\s*\]\s*([\u4e00-\u9fff][\u4e00-\u9fff\d]{0,11}?)\s*第?\s*(\d{1,6})\s*号"
)
# The organ's prefix of a 文号 starts after the words that introduce it (文号为, 印发, 请提供).
_DOCNO_LEAD = re.compile(_FILLER.pattern + r"|[为是即见年月日]|印发|转发|下发")
DOCNO_PREFIX = 6
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_NUM = r"[0-9一二两三四五六七八九十〇零百]+"
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年?(?:度)?\s*"
    r"(上半年|下半年|第?([一二三四1-4])季度|(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号]|(?!\d)))?"
)
# A date in figures (2013.12.10, 2013-12-10, 2013/12/10) is the date 2013年12月10日.
_NUMERIC_DATE = re.compile(r"((?:19|20)\d{2})[.\-/](\d{1,2})[.\-/](\d{1,2})(?!\d)")
# A range of years, its ends possibly full dates (自2005年1月1日至2015年12月30日): whole years
# when it runs from January to December, else the months it spans.
_DATE_END = r"((?:19|20)\d{2})\s*年?(?:\s*(\d{1,2})\s*月(?:\s*\d{1,2}\s*[日号])?)?"
_YEAR_RANGE = re.compile(_DATE_END + r"\s*(?:起)?\s*[至到\-—~]\s*" + _DATE_END)
# Months of one year (2024年1月至6月): the months, not the year's first month.
_MONTH_RANGE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月?\s*[至到\-—~]\s*(\d{1,2})\s*月")
_UNITS = {
    "批次": "批",
    "批": "批",
    "期": "期",
    "号线": "号线",
    "标段": "标段",
    "号楼": "号楼",
    "届": "届",
    "次会议": "次",
    "次": "次",
    "组": "组",
    "社": "组",
    "号地块": "地块",
    "号院": "号院",
    "幢": "号楼",
    "栋": "号楼",
    "单元": "单元",
    "室": "室",
    "门牌": "门牌",
}
# A number before a unit names one of a series: a batch, phase, line, building, a village's
# 村民小组 (3组, 3社) or a numbered plot (53号地块). An enumeration (第6、8批次) names each.
_NUMBERED = re.compile(
    r"第?\s*(" + _NUM + r"(?:\s*[、,和及与至]\s*第?" + _NUM + r")*)\s*"
    r"(批次|批|期|号线|标段|号楼|号地块|号院|幢|栋|单元|室|届|次会议|次|组|社(?!区|会|保|团|科|员|长))"
)
# An area (1.908亩, 120平方米) measures one plot or house: another area, another one.
_AREA = re.compile(r"(\d+(?:\.\d+)?)\s*(亩|平方米|平米|公顷|㎡)")
_AREA_UNIT = {"亩": "亩", "平方米": "平方米", "平米": "平方米", "㎡": "平方米", "公顷": "公顷"}
# A house number after a road or lane (人民路100号): another number, another property.
_HOUSE_NO = re.compile(r"(?<=[路街巷弄])\s*(\d{1,5})\s*号(?!楼|线|院|地块|文|令)")
# A number before 号 names one of a kind (兴运2号 the ship, 3号 the meeting, 18号 the house).
_NUMBER_NO = re.compile(r"(?<![\d.])(\d{1,5})\s*号(?!楼|线|院|地块|文|令|段)")
_ENUM_SPLIT = re.compile(r"\s*[、,和及与]\s*第?")
# Places and projects: the name before a suffix, read backwards up to PLACE_KEY characters
# and cut at a character that cannot be part of the name (so 2024年度龙湖项目 and 龙湖项目 name
# the same project); stage words and generic works (建设, 改造) are blanked out first. A name
# ends at the suffix of the larger place before it (余杭区闲林街道桦树村: 闲林, 桦树) and at a
# preposition (对原洞桥镇: 原洞桥); 村民, 区域 are words, not places.
_PLACE_SUFFIX = re.compile(
    r"社区|街道|小区|片区|地块|项目|工程|水库|公园|景区|陵园|医院|学校|委员会|"
    r"小学|中学|大学|幼儿园|派出所|卫生院|法院|车站|(?<!网)站(?!点)|段(?!落)|"
    r"有限责任公司|股份有限公司|有限公司|公司|集团|大道|大街|街(?!道|办|区)|巷|胡同|隧道|大桥|码头|"
    r"省|市(?!场|民|政|区|级|直|属|委|辖|域|容|值|面|县)|"
    r"村(?!民)|庄(?!稼|严|重|[\u4e00-\u9fff]?[村镇乡])|屯(?![\u4e00-\u9fff]?[村镇乡])|寨(?!路|街|[\u4e00-\u9fff]?[村镇乡])|镇|乡|区(?!域|别|分|间|段)|县|路|局|委"
)
_PLACE_STOP = set(
    "|的之及和与或、年度月日期批次号第届组该本此全其我某等贵辖园地校片社农对在至自从间将把被给为"
)
_PLACE_BOUNDARY = set("省市县区镇乡村庄屯寨路局委站段") | {
    "街道",
    "社区",
    "小区",
    "片区",
    "地块",
    "项目",
    "工程",
    "水库",
    "公园",
    "小学",
    "中学",
    "委员会",
    "派出所",
    "卫生院",
    "幼儿园",
}
_GENERIC_WORKS = re.compile(
    r"建设|建筑|施工|改造|修缮|扩建|新建|整治|提升|修复|重点|集体土地|土地|征收|征地|房屋|安置|补偿|"
    r"拆迁|搬迁|棚户区|城中村|环境|影响|评价|环评|规划|许可|批复|决定|方案|公告|协议|合同|"
    r"申请|公开|提供|请求|关于|文件|资料|信息"
)
PLACE_KEY = 5
# The stage or document type, each synonym mapped to one label; longest synonyms first.
STAGES: dict[str, tuple[str, ...]] = {
    "征收决定": ("征收决定书", "征收决定", "房屋征收决定"),
    "征收公告": ("征收公告", "征地公告", "征收启动公告"),
    "补偿方案": ("补偿安置方案", "征收补偿方案", "补偿方案", "安置补偿方案"),
    "补偿协议": ("补偿协议", "安置协议"),
    "征地批复": ("征地批复", "用地批复", "农用地转用批复", "土地征收批复", "征收土地批复"),
    "社会稳定风险评估": ("社会稳定风险评估", "社稳评估", "稳评报告"),
    "环评报告": (
        "环境影响报告书全本",
        "环境影响报告书",
        "环境影响评价报告",
        "环评报告书",
        "环评报告",
        "环评全本",
        "环境影响评价文件",
        "环评文件",
        "环境影响报告表",
    ),
    "环评批复": ("环境影响评价批复", "环评批复", "环评审批意见", "环评审批决定"),
    "验收": ("竣工环境保护验收", "竣工环保验收", "环保验收", "竣工验收", "验收报告", "验收意见"),
    "预算": ("部门预算", "预算"),
    "决算": ("部门决算", "决算"),
    "标准": ("补助标准", "补贴标准", "发放标准", "抚恤标准", "标准"),
    "名单": ("发放名单", "人员名单", "花名册", "名单", "明细表"),
    "会议纪要": ("会议纪要",),
    "请示": ("请示",),
    "批复": ("批复文件", "批复"),
    "合同": ("合同", "协议书"),
    "招标": ("招标文件", "招标公告"),
    "中标": ("中标结果", "中标公告", "中标通知书"),
    "审计报告": ("审计报告",),
    "资金使用情况": ("资金使用情况", "资金使用明细", "资金拨付情况", "资金拨付明细"),
    # 建设用地规划许可证 and 建设工程规划许可证 are two licences (城乡规划法 37, 40).
    "用地规划许可": ("建设用地规划许可证", "用地规划许可证"),
    "工程规划许可": ("建设工程规划许可证", "工程规划许可证"),
    "规划": ("规划许可证", "规划图", "规划方案"),
    "立项": ("立项批复", "立项文件", "立项审批", "立项材料", "项目备案", "核准文件"),
    "可研": ("可行性研究报告", "可研报告", "可研批复"),
    # the four parts of a land compensation (土地管理法 48): each its own account
    "土地补偿费": ("土地补偿费",),
    "安置补助费": ("安置补助费",),
    "青苗补偿费": ("青苗补偿费", "青苗费"),
    "附着物补偿费": ("地上附着物补偿费", "附着物补偿费"),
    "土地证": ("国有土地使用证", "土地使用证", "土地使用权证", "不动产权证书", "不动产权证"),
    "红线图": ("红线图", "四至图", "用地范围图"),
    "勘测定界": ("勘测定界图", "勘测定界报告", "勘测定界"),
    "听证": ("听证笔录", "听证材料", "听证通知书", "听证会记录"),
    "拆迁许可": ("拆迁许可证", "房屋拆迁许可证"),
    "初步设计": ("初步设计批复", "初步设计", "初设批复"),
    "施工图": ("施工图设计", "施工图审查", "施工图"),
    # the steps of a recruitment: each its own list
    "笔试": ("笔试成绩", "笔试结果"),
    "面试": ("面试成绩", "面试结果"),
    "成绩": ("考试成绩", "成绩"),
    # income and spending: a ledger of both is neither alone
    "收支": ("收入支出", "收支明细", "收支情况", "收支"),
    "收入": ("收入明细", "收入"),
    "支出": ("支出明细", "支出"),
    "体检": ("体检结果", "体检名单"),
    "考察": ("考察结果", "考察名单"),
    "拟录用": ("拟录用人员名单", "拟录用名单", "拟聘用名单", "录用名单"),
    # the records of a case or an inspection, each its own document
    "评估报告": ("评估报告", "评估结果", "估价报告", "评估结论"),
    "调查报告": ("调查报告",),
    "认定书": ("认定决定书", "认定书", "认定结论"),
    "答复": ("答复意见书", "答复意见", "答复书", "答复函", "复函"),
    "监测": ("监测数据", "监测报告", "检测报告", "检测数据", "监测结果", "检测结果"),
    "排污许可": ("排污许可证",),
    "营业执照": ("营业执照",),
    "笔录": ("询问笔录", "调查笔录", "讯问笔录", "笔录"),
    "送达回证": ("送达回证", "送达回执", "送达证明"),
    "档案": ("档案",),
    "施工许可": ("施工许可证", "施工许可"),
    "审批表": ("审批表", "呈批表", "审批单", "审批意见表"),
    # a decision as such: 处罚决定书 and 处罚决定 are one document; its 审批表 is another
    "决定": ("复议决定书", "处罚决定书", "决定书", "复议决定", "处罚决定", "决定"),
    "理由": ("定密理由", "理由"),
    "统计": ("统计数据", "统计表", "数量", "人数"),
    "工作方案": ("实施方案", "工作方案"),
    "实施细则": ("实施细则", "实施办法", "管理办法"),
}
_STAGE_WORDS = sorted(
    ((syn, label) for label, syns in STAGES.items() for syn in syns), key=lambda p: -len(p[0])
)
# A document named only to locate the one asked for (房屋征收决定涉及的社会稳定风险评估报告,
# 补偿方案中的补偿标准, 处罚决定所依据的证据) is not asked for: its type does not count.
_STAGE_AS_CONTEXT = re.compile(
    "(?:"
    + "|".join(re.escape(word) for word, _label in _STAGE_WORDS)
    + r")(?=[\]》”\"']*(?:所?涉及的?|中的|所?依据的|作出前的?|之前的?|项下的?))"
)
# Road numbers, line and plot codes (G104, S102, A3地块): another code, another thing.
_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]{1,3}\d{1,5}[A-Za-z]?|\d{1,5}[A-Za-z]{1,2})(?![A-Za-z0-9])"
)
# Occasions that name a period as a year does (春节 and 八一 慰问金 are two payments).
_OCCASION = re.compile(r"春节|元旦|清明|端午|中秋|国庆|八一|建军节|烈士纪念日|重阳")
_KIN = r"的?(?:父|母|爸|妈|配偶|妻|丈夫|儿|女|祖|爷|奶|外|哥|弟|姐|妹|亲属|家属)"
# The applicant's own record: 本人, 我, 我家, 自身 — not where they introduce the applicant or
# the request (本人系…村民, 本人现申请, 我们, 我局, 我村) — and 申请人 where it owns or signs the
# record (申请人的…, 申请人房屋, 由申请人签署…) rather than acts (申请人作为…/于…申请).
_NOT_OWNER = (
    r"(?!们|系|是|作为|为|因|现|特|想|要|希望|申请|请求|需要|认为|根据|依据|通过|向|就|对|再次|"
    r"依法|住|居住|身份|姓名|联系|局|市|县|区|省|国|村|镇|乡|街|单位|院|委|办|厅|处|司|部|校|社)"
)
# A marker that only locates a place (本人所在小区, 我家房屋所在村, 申请人房屋位于…) asks for the
# place's record, which a neighbour may ask for too.
_LOCATING = r"(?!的?(?:房屋|房产|住房|家|住宅|户籍)*(?:所在|位于))"
_SELF = (
    r"(?:申请人本人|我本人|本人" + _NOT_OWNER + r"|我的|我家|我" + _NOT_OWNER + r"|"
    r"自身(?!生产|生活|需要|原因|利益)|(?<=[由与向给到对])申请人|"
    r"申请人(?=的|签|名下|户|房|家|住房|宅基地|土地|承包|提交|投诉|举报|信访))" + _LOCATING
)
# The request proper starts at its verb (申请公开, 请提供, 要求获取…): the applicant's own
# record is named after it; before it the applicant says who asks and why.
_REQUEST_VERB = re.compile(
    r"(?:申请|要求|请求|恳请|请)[^,，。；;]{0,6}?(?:公开|提供|获取|查阅|告知)|公开|提供"
)
# "所有被征收人包括申请人的协议" asks for all of them, not for a personal record.
_INCLUDED = re.compile(r"(?:包括|包含|含)(?:申请人|本人|我)(?:本人)?(?:在内)?(?:的)?")
_PERSON = re.compile(
    r"((?:"
    + _SELF
    + r")(?!"
    + _KIN
    + r")|先父|家父|亡父|之父|先母|家母|亡母|之母|亡夫|亡妻|父亲|爸爸|母亲|妈妈|配偶|妻子|丈夫|儿子|女儿|"
    r"祖父|爷爷|祖母|奶奶|外祖父|外公|外祖母|外婆|哥哥|弟弟|姐姐|妹妹)"
)
# A person named as published texts mask names (张某, 胥某某): that person's record (rule 5).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔汤胥柳庞樊兰殷施洪岳常"
)
_NAMED = re.compile(r"(?<!某)([" + _SURNAMES + r"])某某?(?!某)")
_RELATION = {
    "申请人本人": "self",
    "本人": "self",
    "我本人": "self",
    "我的": "self",
    "我家": "self",
    "我": "self",
    "自身": "self",
    "申请人": "self",
    "先父": "father",
    "家父": "father",
    "亡父": "father",
    "先母": "mother",
    "家母": "mother",
    "亡母": "mother",
    "之父": "father",
    "之母": "mother",
    "亡夫": "spouse",
    "亡妻": "spouse",
    "父亲": "father",
    "爸爸": "father",
    "母亲": "mother",
    "妈妈": "mother",
    "配偶": "spouse",
    "妻子": "spouse",
    "丈夫": "spouse",
    "祖父": "grandfather",
    "爷爷": "grandfather",
    "外祖父": "grandfather-m",
    "外公": "grandfather-m",
    "祖母": "grandmother",
    "奶奶": "grandmother",
    "外祖母": "grandmother-m",
    "外婆": "grandmother-m",
}


_QUARTERS = {(1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4", (1, 6): "H1", (7, 12): "H2"}


def _months(year: str, start: int, end: int) -> str:
    """Months of one year as the period they make: 1-3月 is the first quarter, 1-6月 the first
    half (上半年), 1-12月 the year, one month that month."""
    if (start, end) == (1, 12):
        return year
    if start == end:
        return f"{year}M{start}"
    if (start, end) in _QUARTERS:
        return f"{year}{_QUARTERS[(start, end)]}"
    return f"{year}M{start}~{year}M{end}"


def _enumerated(numbers: str) -> list[int]:
    """第6、8批次 → 6, 8; 第6至8批次 → 6, 7, 8."""
    found: list[int] = []
    for part in _ENUM_SPLIT.split(numbers):
        first, sep, last = part.partition("至")
        if not first:
            continue
        if sep and last and 0 <= cn_number(last) - cn_number(first) <= 50:
            found.extend(range(cn_number(first), cn_number(last) + 1))
        else:
            found.append(cn_number(first))
    return found


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 7 → 7."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        head, _sep, tail = text.partition("百")
        return cn_number(head or "一") * 100 + (cn_number(tail) if tail else 0)
    if "十" in text:
        head, _sep, tail = text.partition("十")
        return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (
            _CN_DIGITS.get(tail, 0) if tail else 0
        )
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS.get(ch, 0)
    return value


@dataclass(frozen=True)
class Facts:
    """What a request names. Empty sets: the request does not say."""

    docnos: frozenset[str] = frozenset()
    periods: frozenset[str] = frozenset()
    numbered: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def as_json(self) -> dict[str, list[str]]:
        return {k: sorted(getattr(self, k)) for k in FACT_KINDS}

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> Facts:
        return cls(**{k: frozenset(data.get(k, ())) for k in FACT_KINDS})


FACT_KINDS = ("docnos", "periods", "numbered", "places", "stages", "persons", "codes", "names")


def extract_facts(text: str, applicant_key: str = "") -> Facts:
    """The facts of a request's text; `applicant_key` says whose "本人/父亲" it is (rule 5)."""
    text = _NUMERIC_DATE.sub(r"\1年\2月\3日", without_boilerplate(halfwidth(text)))
    docnos = set()
    for m in _DOCNO.finditer(text):
        prefix = m.group(1)
        leads = list(_DOCNO_LEAD.finditer(prefix))
        prefix = prefix[leads[-1].end() :] if leads else prefix
        prefix = prefix.removesuffix("字") if len(prefix) > 2 else prefix  # 鲁政办字 = 鲁政办
        number = m.group(3).upper().lstrip("0") or "0"  # 012号 = 12号; A123号 keeps its letter
        docnos.add(f"{(prefix or m.group(1))[-DOCNO_PREFIX:]}[{m.group(2)}]{number}")
    rest = _DOCNO.sub(" ", text)
    for m in _CASENO.finditer(rest):
        court = m.group(2).removesuffix("字")
        docnos.add(f"{court}[{m.group(1)}]{int(m.group(3))}")
    rest = _CASENO.sub(" ", rest)
    periods: set[str] = set()
    for m in _YEAR_RANGE.finditer(rest):
        first, last = int(m.group(1)), int(m.group(3))
        if not 0 <= last - first <= 30:
            continue
        start, end = int(m.group(2) or 1), int(m.group(4) or 12)
        if (start, end) == (1, 12):
            periods.update(str(y) for y in range(first, last + 1))
        else:
            periods.add(
                _months(str(first), start, end)
                if first == last
                else f"{first}M{start}~{last}M{end}"
            )
    rest_years = _YEAR_RANGE.sub(" ", rest)
    for m in _MONTH_RANGE.finditer(rest_years):
        year, start, end = m.group(1), int(m.group(2)), int(m.group(3))
        periods.add(_months(year, start, end))
    rest_years = _MONTH_RANGE.sub(" ", rest_years)
    for m in _PERIOD.finditer(rest_years):
        year, qualifier, quarter, month = m.group(1), m.group(2), m.group(3), m.group(4)
        if not qualifier:
            periods.add(year)
        elif quarter:
            periods.add(f"{year}Q{cn_number(quarter)}")
        elif month and m.group(5):  # a day: an event or a document of that day
            periods.add(f"{year}M{int(month)}D{int(m.group(5))}")
        elif month:
            periods.add(f"{year}M{int(month)}")
        else:
            periods.add(f"{year}{'H1' if qualifier == '上半年' else 'H2'}")
    numbered = {
        f"{_UNITS[m.group(2)]}{n}"
        for m in _NUMBERED.finditer(rest_years)
        for n in _enumerated(m.group(1))
    }
    numbered.update(f"门牌{int(m.group(1))}" for m in _HOUSE_NO.finditer(rest_years))
    numbered.update(f"号{int(m.group(1))}" for m in _NUMBER_NO.finditer(rest_years))
    numbered.update(f"{_AREA_UNIT[m.group(2)]}{m.group(1)}" for m in _AREA.finditer(rest_years))
    stages: set[str] = set()
    masked = _FILLER.sub("", _STAGE_AS_CONTEXT.sub("\u2003", rest_years))
    for word, label in _STAGE_WORDS:
        if word in masked:
            stages.add(label)
            masked = masked.replace(word, "\u2003")
    places = _places(_GENERIC_WORKS.sub("|", _FILLER.sub("|", masked)))
    codes = {m.group(0).upper() for m in _CODE.finditer(rest_years)}
    periods.update(m.group(0) for m in _OCCASION.finditer(rest_years))
    persons = set()
    asked = _INCLUDED.sub(" ", rest_years)
    verb = _REQUEST_VERB.search(asked)
    for m in _PERSON.finditer(asked):
        relation = _RELATION.get(m.group(1), m.group(1))
        if relation == "self" and verb is not None and m.start() < verb.start():
            continue  # 本人是…村民，因本人房屋被征收，特申请公开…: who asks, not whose record
        persons.add(f"{relation}@{applicant_key}")
    return Facts(
        docnos=frozenset(docnos),
        periods=frozenset(periods),
        numbered=frozenset(numbered),
        places=frozenset(places),
        stages=frozenset(stages),
        persons=frozenset(persons),
        codes=frozenset(codes),
        names=frozenset(f"{m.group(1)}某" for m in _NAMED.finditer(rest_years)),
    )


@dataclass(frozen=True)
class Difference:
    """One fact that differs, named for the officer."""

    kind: str
    mine: tuple[str, ...]
    theirs: tuple[str, ...]
    label: StrOrPromise = field(default="")  # translated when shown, not per comparison

    def __str__(self) -> str:
        if self.kind == "subject":
            # Its values are the requests with their facts taken out (本人父亲烈士褒扬金文件文件):
            # words for the matcher, not for the officer, who reads both subjects in the row.
            return str(self.label)
        return f"{self.label}：{'、'.join(self.mine) or '—'} ≠ {'、'.join(self.theirs) or '—'}"


_LABELS = {
    "docnos": _("Different document number"),
    "periods": _("Different year or period"),
    "numbered": _("Different phase or batch"),
    "places": _("Different place"),
    "stages": _("Different stage or document type"),
    "persons": _("Another person's record"),
    "subject": _("Different subject"),
    "codes": _("Different code or number"),
    "names": _("Another person's record"),
}


_OTHER_APPLICANT = "另一申请人"
_PERSON_SHOWN = {
    "self": "申请人本人",
    "father": "父亲",
    "mother": "母亲",
    "spouse": "配偶",
    "grandfather": "祖父",
    "grandmother": "祖母",
    "grandfather-m": "外祖父",
    "grandmother-m": "外祖母",
}


def topic_text(core: str) -> str:
    """The core text without the facts (years, numbers, stage words): what the request is
    about, compared for the subject rule."""
    text = _NUMBERED.sub("", core)
    text = re.sub(r"[0-9a-z\[\]]+|[年度季月第期批次号届]", "", text)
    for word, _label in _STAGE_WORDS:
        text = text.replace(word, "")
    return text


def unshared_runs(text: str, shared: frozenset[str], minimum: int = 3) -> list[str]:
    """Runs of at least `minimum` characters of `text` not covered by a shared bigram: a name
    one request has and the other lacks (汉峪金谷 / 鲁能领秀城)."""
    marks = [False] * len(text)
    for i in range(len(text) - 1):
        if text[i : i + 2] in shared:
            marks[i] = marks[i + 1] = True
    runs, run = [], ""
    for ch, mark in zip(text, marks, strict=True):
        if mark:
            if len(run) >= minimum:
                runs.append(run)
            run = ""
        else:
            run += ch
    if len(run) >= minimum:
        runs.append(run)
    return runs


def _shown(kind: str, values: frozenset[str]) -> tuple[str, ...]:
    if kind == "persons":
        return tuple(sorted(_PERSON_SHOWN.get(v.split("@", 1)[0], v) for v in values))
    if kind == "persons-other":
        return tuple(f"{p}（{_OTHER_APPLICANT}）" for p in _shown("persons", values))
    if kind == "places":
        return tuple(sorted(v.replace("|", "") for v in values))
    return tuple(sorted(values))


def _docno_alike(x: str, y: str) -> bool:
    """One 文号: the same year and number, and one organ prefix ending the other (济政发 and
    市政府济政发; 济政发 and 鲁政发 are two organs' documents)."""
    px, _sep, rx = x.partition("[")
    py, _sep, ry = y.partition("[")
    return rx == ry and (px.endswith(py) or py.endswith(px))


def _docnos_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    return any(not any(_docno_alike(x, y) for y in b) for x in a) or any(
        not any(_docno_alike(x, y) for x in a) for y in b
    )


def same_document(mine: Facts, theirs: Facts) -> bool:
    """Both give the same 文号 and nothing else by number: they name one document (rule 1)."""
    return bool(mine.docnos and theirs.docnos) and not _docnos_differ(mine.docnos, theirs.docnos)


def differences(mine: Facts, theirs: Facts, same_applicant: bool = False) -> list[Difference]:
    """The facts both requests state and that differ (rules 1–5). A person marker on one side
    only also differs: a personal record is never the same as a general question (rule 5) —
    except the applicant's own record asked by the same applicant, who need not say 本人 each
    time (我投诉的案件 / 投诉举报案件). A stage word on one side only differs too, unless both
    give the same 文号: then it is a word of the document's title (《…工作方案的通知》)."""
    found = []
    for kind in FACT_KINDS:
        a, b = getattr(mine, kind), getattr(theirs, kind)
        if a == b:
            continue
        if kind == "persons" and same_applicant and _only_self(a | b) and not (a and b):
            continue
        if kind == "stages" and not (a and b) and same_document(mine, theirs):
            continue
        if kind == "numbered":
            units_a = {v.rstrip("0123456789.") for v in a}
            units_b = {v.rstrip("0123456789.") for v in b}
            if not units_a & units_b:
                continue
        elif kind == "places":
            if not _places_conflict(a, b):
                continue
        elif kind == "docnos":
            if not a or not b or not _docnos_differ(a, b):
                continue
        elif kind not in ("persons", "stages") and (not a or not b):
            continue
        shown_b = _shown(kind, b)
        if kind == "persons" and shown_b == _shown(kind, a):
            shown_b = _shown("persons-other", b)  # the same relation of another applicant
        found.append(Difference(kind, _shown(kind, a), shown_b, _LABELS[kind]))
    return found


def _only_self(persons: frozenset[str]) -> bool:
    return all(p.split("@", 1)[0] == "self" for p in persons)


# Words whose 市 or 区 does not end a place (城市管理局 is one organ).
_NOT_BOUNDARY = {"城市", "超市", "都市", "城区", "园区", "山区"}


def _places(text: str) -> set[str]:
    """Places and projects as "name|suffix", the name read backwards from the suffix."""
    found = set()
    for m in _PLACE_SUFFIX.finditer(text):
        name = ""
        i = m.start() - 1
        while i >= 0 and len(name) < PLACE_KEY:
            ch = text[i]
            if not ("\u4e00" <= ch <= "\u9fff") or ch in _PLACE_STOP:
                break
            boundary = (
                (ch in _PLACE_BOUNDARY and text[max(i - 1, 0) : i + 1] not in _NOT_BOUNDARY)
                or text[max(i - 1, 0) : i + 1] in _PLACE_BOUNDARY
                or text[max(i - 2, 0) : i + 1] in _PLACE_BOUNDARY
            )
            if boundary and len(name) >= 2:  # 市中区, 镇江市: a one-character name goes on
                break
            name = ch + name
            i -= 1
        if len(name) >= 2:
            found.add(f"{name}|{_SUFFIX_KIND.get(m.group(0), m.group(0))}")
    return found


# Suffixes of one kind: a company however its form is written.
_SUFFIX_KIND = {"有限责任公司": "公司", "股份有限公司": "公司", "有限公司": "公司", "集团": "公司"}
# Organs, often abbreviated beyond keeping their first character (市场监管局 = 市场监督管理局).
_ORGANS = {"局", "委", "委员会", "厅"}


def _places_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Some place or project of a kind both name has no counterpart on the other side (one
    name ending the other counts as the same: 龙湖 and 南部龙湖)."""
    kinds = {p.split("|")[1] for p in a} & {p.split("|")[1] for p in b}
    for kind in kinds:
        names_a = [p.split("|")[0] for p in a if p.endswith("|" + kind)]
        names_b = [p.split("|")[0] for p in b if p.endswith("|" + kind)]
        alike = _organs_alike if kind in _ORGANS else _names_alike
        for x in names_a:
            if not any(alike(x, y) for y in names_b):
                return True
        for y in names_b:
            if not any(alike(x, y) for x in names_a):
                return True
    return False


def _organs_alike(x: str, y: str) -> bool:
    """One organ: alike names, or the shorter keeps two-thirds of its characters in the longer
    (场监管 and 监督管理, both read from 市场监管局 / 市场监督管理局; 教育 ≠ 体育)."""
    if _names_alike(x, y):
        return True
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    return 3 * sum(ch in long for ch in short) >= 2 * len(short) and len(short) >= 3


def _names_alike(x: str, y: str) -> bool:
    """One name ends the other (龙湖, 南部龙湖; 原洞桥, 洞桥), or the shorter is an abbreviation
    of the longer: its characters in the same order, from the same first one (国土, 国土资源)."""
    if x.endswith(y) or y.endswith(x):
        return True
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if short[0] != long[0]:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


# Characters of grammar and request wording, never part of a name: a reworded request
# (再在我们 / 拟在当事人; 至…间对 / 自…日至…日) brings new runs made of these.
_FUNCTION_CHARS = set(
    "我们你他她其该此本这那请要求再次拟在对于向从自至将把被给为以及和与或并且而了着过是有所中内"
    "上下间等之得也都就还又已由按照若如因则即日一"
)
NAME_NOVEL = 3


def _names(runs: list[str], other: str) -> list[str]:
    """The runs that name something: at least NAME_NOVEL characters that are neither grammar
    nor found anywhere in the other request (违法一案 / 涉嫌违反…广告法案 is rewording)."""
    seen = set(other)
    return [
        r
        for r in runs
        if sum(ch not in seen and ch not in _FUNCTION_CHARS for ch in r) >= NAME_NOVEL
    ]


def subject_difference(mine: str, theirs: str, shared: frozenset[str]) -> Difference | None:
    """Each request names something the other lacks (another project, body or programme):
    not the same information, whatever else they share (rule 3). A run counts when it brings
    a name: characters the other request does not use at all, not its grammar."""
    runs_a = unshared_runs(mine, shared)
    runs_b = unshared_runs(theirs, shared) if runs_a else []
    if not runs_b:
        return None
    a = _names(runs_a, theirs)
    b = _names(runs_b, mine) if a else []
    if a and b:
        return Difference("subject", tuple(a), tuple(b), _LABELS["subject"])
    return None
