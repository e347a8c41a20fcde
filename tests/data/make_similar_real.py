"""Writes tests/data/similar_real.jsonl: the case library's labelled set on real request texts.

Issue 25 asks for real, published request texts. Every `real-NN` row below quotes the
request (the part that states what information is requested) from a published source: an
administrative reconsideration decision (行政复议决定书) on a government site, a court
judgment (行政判决书) quoting the request, a court's typical-case release, or a news report
of a request; personal names are replaced by 某. Where the source gives no date, the
received date is assumed and the source string says so. Every `real-NNx` row is hand-made
from that real text and says `derived from real-NN`: a look-alike that changes one fact (year,
place, 文号, stage or person: another cluster) or a paraphrase / re-filing that keeps the
information (the same cluster). All rows form one organ's scratch library, as
`manage.py similar_eval` reads them (see tests/data/README_similar_real.md).

Run `python tests/data/make_similar_real.py` to rewrite the JSONL file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROWS: list[dict[str, object]] = []


def row(
    rid: str,
    text: str,
    applicant: str,
    received: str,
    cluster: str,
    source: str,
    replied: str | None = None,
    division: str | None = None,
) -> None:
    r: dict[str, object] = {
        "id": f"real-{rid}",
        "text": text,
        "applicant": f"申请人{applicant}|{applicant}",
        "received_on": received,
    }
    if replied:
        r["replied_on"] = replied
    if division:
        r["division"] = division
    r["cluster"] = cluster
    r["source"] = source
    ROWS.append(r)


def derived(n: str, what: str) -> str:
    return f"derived from real-{n}: {what}"


# --- 01 大英县隆盛镇 (行政复议决定书 大府复决〔2024〕30号) ---------------------------------
S = "https://www.daying.gov.cn/xinwen/show/67bc654839447d3ae9d84a32cc104ea5.html"
row(
    "01",
    "申请人作为大英县隆盛镇石长村村民，通过邮寄方式申请公开如下信息：1.涉及集体土地的征收公告；"
    "2.征地补偿安置方案及公告（补偿安置方案征询意见情况及征询意见后修改情况）；"
    "3.落实征地补偿、安置资金情况；4.涉及集体土地征收的征地调查确认表；"
    "5.所有被征收人包括申请人的《征地补偿安置协议》",
    "R01",
    "2024-04-08",
    "c01",
    f"{S} (大府复决〔2024〕30号; organ 大英县隆盛镇人民政府; two applicants jointly; "
    "replied 2024-04-30; received date assumed)",
    replied="2024-04-30",
)
row(
    "01a",
    "本人系隆盛镇长宁村村民，申请公开如下信息：1.涉及集体土地的征收公告；"
    "2.征地补偿安置方案及公告（补偿安置方案征询意见情况及征询意见后修改情况）；"
    "3.落实征地补偿、安置资金情况；4.涉及集体土地征收的征地调查确认表；"
    "5.所有被征收人的《征地补偿安置协议》",
    "D01a",
    "2024-05-06",
    "c01-place",
    derived("01", "another village 长宁村 (rule 3)"),
)
row(
    "01p",
    "请公开隆盛镇石长村集体土地征收的下列材料：征地调查确认表；征收公告；"
    "补偿安置资金的落实情况；征地补偿安置方案及其公告（含征询意见情况和修改情况）；"
    "全部被征收人的征地补偿安置协议。谢谢！",
    "D01p",
    "2024-05-20",
    "c01",
    derived("01", "paraphrase, enumeration reordered, another villager (rule 6)"),
)

# --- 02 泸县住房和城乡建设局 (泸县府复决〔2022〕30号) -------------------------------------
S = "http://123.56.154.50:9104/zwgk/zwzt/zxzt/yfzx/hzzf/fywsgk/content_337528"
row(
    "02",
    "申请人房屋所在地（四川省泸州市泸县潮河镇XX村X社XX号）因涉及征地拆迁项目，"
    "为核实相关征收项目合法性，特申请书面公开建筑工程施工许可证",
    "R02",
    "2022-06-06",
    "c02",
    f"{S} (泸县府复决〔2022〕30号; organ 泸县住房和城乡建设局; mailed 2022-06-01, "
    "signed for 2022-06-06; replied 2022-07-05)",
    replied="2022-07-05",
)
row(
    "02a",
    "申请人房屋所在地（泸县潮河镇XX村X社XX号）涉及征地拆迁项目，"
    "特申请书面公开该项目的建设工程规划许可证",
    "R02",
    "2022-08-01",
    "c02-stage",
    derived("02", "the same applicant, another permit (规划许可证 ≠ 施工许可证; rule 4)"),
)
row(
    "02p",
    "再次申请：请以书面形式公开我家房屋（潮河镇XX村X社XX号）所在征地拆迁项目的建筑工程施工许可证。",
    "R02",
    "2022-08-15",
    "c02",
    derived("02", "the same applicant re-files after the reply: a repeat (rule 6)"),
)

# --- 03 潢川县付店镇 (law firm's case note) -------------------------------------------------
S = "https://www.yingtailaw.com/case-info.php?classID=8&id=813"
row(
    "03",
    "申请公开与自身承包地征收相关的4项信息（包括附属物调查登记表、补偿标准、补偿协议等）",
    "R03",
    "2025-02-20",
    "c03",
    f"{S} (organ 潢川县付店镇人民政府; mailed 2025-02-18, signed for 2025-02-20; no reply; "
    "the law firm's summary of the request)",
)
row(
    "03a",
    "申请公开与自身承包地征收相关的4项信息（包括附属物调查登记表、补偿标准、补偿协议等）",
    "D03a",
    "2025-03-03",
    "c03-person",
    derived("03", "the same words from another villager: his own 承包地, another record (rule 5)"),
)
row(
    "03p",
    "请公开本人承包地被征收涉及的附属物调查登记表、补偿标准、补偿协议等信息。",
    "R03",
    "2025-02-24",
    "c03",
    derived("03", "the same applicant again before any reply: a duplicate, not a repeat"),
)

# --- 04 云和县市场监督管理局 (云政复字〔2017〕4号) ----------------------------------------
S = "https://www.yunhe.gov.cn/art/2019/11/18/art_1229380476_59076480.html"
row(
    "04",
    "申请公开云和县某某网络科技有限公司销售的“儿童早教智力拼图”涉嫌违反《中华人民共和国广告法》案的政府信息",
    "R04",
    "2016-12-29",
    "c04",
    f"{S} (云政复字〔2017〕4号; organ 云和县市场监督管理局; received 2016-12-29)",
)
row(
    "04a",
    "申请公开云和县某某网络科技有限公司销售的“儿童益智积木”涉嫌违反《中华人民共和国广告法》案的政府信息",
    "D04a",
    "2017-01-16",
    "c04-case",
    derived("04", "another product, another case file (rule 3)"),
)
row(
    "04p",
    "请提供关于某某网络科技有限公司（云和县）“儿童早教智力拼图”广告违法一案的有关信息，以电子邮件发送。",
    "D04p",
    "2017-02-06",
    "c04",
    derived("04", "paraphrase with a delivery form, another applicant (rule 6)"),
)

# --- 05 大英县自然资源和规划局 (大府复决〔2024〕2号) ---------------------------------------
S = "https://dyrmt.com/article-146308-1.html"
T05 = (
    "1.大英县盐井街道宝石岩村1社所征土地（2020年第6、8批次建设用地）的土地现状调查资料、"
    "土地勘测调查表、土地勘测定界图、征地调查结果确认表、征地红线图、征地补偿登记汇总表；"
    "2.大英县盐井街道宝石岩村1社所征土地（2020年第6、8批次建设用地）的社会风险评估资料；"
    "3.大英县盐井街道宝石岩村1社土地总面积是多少，其中耕地、林地、建设用地、其他农用地、"
    "未承包给农户土地面积各是多少；4.大英县盐井街道宝石岩村1社所征土地上的房屋调查结果确认表、"
    "向农户告知享有听证权利的告知书、征地告知书送达证明，若举行过听证会，请提供听证笔录及其他听证材料；"
    "5.大英县盐井街道宝石岩村1社所征土地的建设项目用地预审与选址意见书、建设用地规划许可证、土地利用总体规划"
)
row(
    "05",
    "申请公开的政府信息包括：" + T05,
    "R05",
    "2022-12-29",
    "c05",
    f"{S} (大府复决〔2024〕2号; organ 大英县自然资源和规划局; requested 2022-12-29; "
    "replied 2023-11-03)",
    replied="2023-11-03",
)
row(
    "05a",
    "申请公开的政府信息包括：" + T05.replace("第6、8批次", "第7批次"),
    "D05a",
    "2023-03-14",
    "c05-batch",
    derived("05", "another batch, 第7批次 (rule 3)"),
)
row(
    "05b",
    "申请公开的政府信息包括：" + T05.replace("宝石岩村1社", "宝石岩村2社"),
    "D05b",
    "2023-04-10",
    "c05-group",
    derived("05", "another village group, 2社 (rule 3)"),
)
row(
    "05p",
    "申请人再次申请公开宝石岩村1社（盐井街道）2020年第6、8批次建设用地所征土地的下列资料："
    "社会风险评估资料；土地现状调查资料、勘测调查表、勘测定界图、调查结果确认表、红线图、补偿登记汇总表；"
    "该社土地总面积及耕地、林地、建设用地、其他农用地、未承包土地面积；房屋调查结果确认表、听证权利告知书、"
    "征地告知书送达证明及听证材料；用地预审与选址意见书、建设用地规划许可证、土地利用总体规划。",
    "R05",
    "2023-12-01",
    "c05",
    derived("05", "the same applicant after the reply, reordered: a repeat (rule 6)"),
)

# --- 06 / 29 李坑垃圾焚烧发电厂 一期 and 二期 (the same applicant, two organs) -----------------
row(
    "29",
    "申请公开：广州李坑生活垃圾焚烧厂一期环境影响评价报告全本；2006年6月至2012年6月期间，"
    "该焚烧厂运行期间烟气排放检测数据报告，包括二恶英检测数据和报告；同一时间段、该焚烧厂的飞灰、"
    "炉渣产生和处理数据报告；以及该厂是否属于广东省重点强制性二恶英排放源等信息",
    "R06",
    "2012-07-20",
    "c29",
    "http://bzxzk.net/bzzx/032013/bzzx89514.html (news report; organ 广州市环保局; applied "
    "online 2012-07-20; replied 2012-08-31)",
    replied="2012-08-31",
)
row(
    "06",
    "申请公开广州市李坑垃圾焚烧发电二厂项目环境影响评价报告全本",
    "R06",
    "2013-03-05",
    "c06",
    "http://www.hntv520.com/news/hyxw/news_94213.html (南方都市报 2013-04-13; organ "
    "广东省环保厅; received 2013-03-05; replied 2013-04-10; the same applicant as real-29)",
    replied="2013-04-10",
)
row(
    "06a",
    "申请公开广州市李坑垃圾焚烧发电二厂项目的环评批复",
    "R06",
    "2013-05-06",
    "c06-stage",
    derived("06", "the same applicant, the approval not the report (环评批复 ≠ 环评报告; rule 4)"),
)
row(
    "06p",
    "请公开李坑垃圾焚烧发电厂二期项目（广州市）的环境影响报告书全本，纸质邮寄。",
    "D06p",
    "2013-06-03",
    "c06",
    derived("06", "paraphrase: 二厂 written 二期, delivery form added, another applicant (rule 6)"),
)
row(
    "29a",
    "申请公开：广州李坑生活垃圾焚烧厂一期2012年7月至2013年6月期间烟气排放检测数据报告，"
    "包括二恶英检测数据和报告；同一时间段的飞灰、炉渣产生和处理数据报告",
    "D29a",
    "2013-08-12",
    "c29-period",
    derived("29", "another period of the monitoring data (rule 2)"),
)
row(
    "29p",
    "请公开：李坑生活垃圾焚烧厂是否属于广东省重点强制性二恶英排放源；该厂2006年6月至2012年6月"
    "飞灰、炉渣产生和处理数据报告；同期烟气排放（含二恶英）检测数据和报告；一期项目环评报告全本。",
    "R06",
    "2013-09-02",
    "c29",
    derived("29", "the same applicant after the reply, items reordered: a repeat (rule 6)"),
)

# --- 07 深圳罗湖某局 (news report of a reconsideration case) -------------------------------
S = "http://shenzhen.sina.com.cn/news/s/2019-12-27/detail-iihnzhfz8591237.shtml"
row(
    "07",
    "申请公开其曾经投诉举报案件线索移送的相关政府信息",
    "R07",
    "2019-06-05",
    "c07",
    f"{S} (organ 深圳市罗湖区某局; requested 2019-06-05; reply received 2019-07-06)",
    replied="2019-07-05",
)
row(
    "07a",
    "申请公开本人曾经投诉举报案件线索移送的相关政府信息",
    "D07a",
    "2019-07-22",
    "c07-person",
    derived("07", "another complainant's own case (rule 5)"),
)
row(
    "07p",
    "请公开我投诉举报案件的《案件线索移送函》等线索移送信息。",
    "R07",
    "2019-08-19",
    "c07",
    derived("07", "the same applicant after the reply: a repeat"),
)

# --- 09 杭州市林水局 (a blogger's own request) ---------------------------------------------
S = "https://dingjinkun.blog.caixin.com/archives/139300"
row(
    "09",
    "申请公开千岛湖引水工程的项目建议书以及千岛湖引水工程相关专题研究报告以及测量、地质勘察记录",
    "R09",
    "2010-11-01",
    "c09",
    f"{S} (organ 杭州市林业水利局; the blogger's own request; date not given, assumed)",
)
row(
    "09a",
    "申请公开千岛湖引水工程环评报告书、专家意见书、公开听证记录及建设项目环评意见批复",
    "D09a",
    "2010-12-06",
    "c09-stage",
    derived("09", "the environmental-assessment papers of the same project (rule 4)"),
)
row(
    "09p",
    "请提供千岛湖引水工程项目建议书、相关专题研究报告和测量及地质勘察记录。",
    "D09p",
    "2011-01-10",
    "c09",
    derived("09", "paraphrase, another applicant (rule 6)"),
)

# --- 10 定州市自然资源和规划局 (定政复决字〔2023〕第64号) ----------------------------------
S = "定州市人民政府行政复议决定书 定政复决字〔2023〕第64号, published 2023-07-27"
row(
    "10",
    "因国道G337黄骅至榆林公路定州绕城改线段在定州市长安路庄头村征收农村集体土地事宜，"
    "要求分别公开庄头村征收土地申报批复材料、征收土地公告及相关信息、安置补偿公告及相关信息、"
    "安置补偿实施方案、土地利用现状图及控制性详细规划图五项政府信息",
    "R10",
    "2023-04-10",
    "c10",
    f"{S} (found through the pages corpus without its address; organ 定州市自然资源和规划局; "
    "requested 2023-04-10; reply received 2023-05-09)",
    replied="2023-05-09",
)
row(
    "10a",
    "因国道G337黄骅至榆林公路定州绕城改线段在长安路东关村征收农村集体土地事宜，"
    "要求分别公开东关村征收土地申报批复材料、征收土地公告及相关信息、安置补偿公告及相关信息、"
    "安置补偿实施方案、土地利用现状图及控制性详细规划图五项政府信息",
    "D10a",
    "2023-05-22",
    "c10-place",
    derived("10", "another village 东关村 (rule 3)"),
)
row(
    "10p",
    "请公开G337国道定州绕城改线段征收庄头村集体土地的：安置补偿实施方案；土地利用现状图和控制性详细规划图；"
    "征收土地申报及批复材料；征收土地公告；安置补偿公告。",
    "D10p",
    "2023-06-05",
    "c10",
    derived("10", "paraphrase, reordered, another villager (rule 6)"),
)

# --- 11 西华县人民政府 (周政(行复决)〔2020〕5号) -------------------------------------------
S = "https://www.zhoukou.gov.cn/page_pc/zwgk/jcxxgk/xzfy/xzfyjd/article3a968a0b9b754936914f2db120bf891c.html"
row(
    "11",
    "申请人房屋位于西华县城关镇北关办事处，因“西华县西湖综合治理工程改造”项目建设需要纳入征收范围，"
    "申请公开由申请人签署的房屋征收安置补偿协议",
    "R11",
    "2019-12-04",
    "c11",
    f"{S} (周政(行复决)〔2020〕5号; organ 西华县人民政府; mailed 2019-12-02, receipt "
    "assumed 2019-12-04; reply received 2019-12-12)",
    replied="2019-12-12",
)
row(
    "11a",
    "申请人房屋位于西华县城关镇北关办事处，因“西华县西湖综合治理工程改造”项目纳入征收范围，"
    "申请公开由申请人签署的房屋征收安置补偿协议",
    "D11a",
    "2019-12-20",
    "c11-person",
    derived("11", "the same words from a neighbour: his own agreement (rule 5)"),
)
row(
    "11p",
    "请公开本人（城关镇北关办事处）在西湖综合治理工程改造项目中签订的房屋征收安置补偿协议。",
    "R11",
    "2020-01-06",
    "c11",
    derived("11", "the same applicant after the reply: a repeat"),
)

# --- 12 湖北某市发改委 (law firm's case note) ----------------------------------------------
S = "https://www.zhaoj148.com/example/hubei/4893.html"
row(
    "12",
    "申请公开拟在当事人房屋所在区域土地上进行建设的建设项目立项文件及相关报审材料",
    "R12",
    "2013-12-10",
    "c12",
    f"{S} (organ 湖北省某市发改委; four applicants jointly; mailed 2013-12, day assumed)",
    replied="2014-01-08",
)
row(
    "12a",
    "申请公开拟在当事人房屋所在区域土地上进行建设的建设项目环评批复及相关报审材料",
    "R12",
    "2014-01-20",
    "c12-stage",
    derived("12", "the same applicants, the 环评批复 not the 立项 (rule 4)"),
)
row(
    "12p",
    "再次申请公开在我们房屋所在区域拟建设项目的立项文件和有关报审材料。",
    "R12",
    "2014-02-17",
    "c12",
    derived("12", "the same applicants after the reply: a repeat"),
)

# --- 13 绍兴县公安局 ((2013)绍行初字第59号) -----------------------------------------------
S = "https://cn.govopendata.com/caipanwenshu/2013/11/28/ae0a510a-aeac-4c40-a88f-b0acc03377a9"
row(
    "13",
    "要求依法公开“以书面形式提供接收到申请人信访材料的签收证明”",
    "R13",
    "2013-06-14",
    "c13",
    f"{S} ((2013)绍行初字第59号; organ 绍兴县公安局; replied 2013-07-01; received date assumed)",
    replied="2013-07-01",
)
row(
    "13a",
    "要求以书面形式提供接收到本人信访材料的签收证明",
    "D13a",
    "2013-07-08",
    "c13-person",
    derived("13", "another petitioner's own letters (rule 5)"),
)
row(
    "13p",
    "请书面提供贵局收到我所寄信访材料的签收证明。",
    "R13",
    "2013-07-29",
    "c13",
    derived("13", "the same applicant after the reply: a repeat"),
)

# --- 14 武汉市江岸区台北街办事处 (two applications on one day) -----------------------------
S = "https://wap.findlaw.cn/wenshu/a_3669811.html"
T14 = "要求公开2013年12月10日台北街拆迁指挥部拆除台北一村小区健身器材的行政依据和法律依据"
row(
    "14a",
    T14,
    "R14",
    "2014-01-01",
    "c14",
    f"{S} (organ 武汉市江岸区台北街办事处; two applications mailed 2013-12-31, received 2014-01-01; no reply)",
)
row(
    "14b",
    T14,
    "R14",
    "2014-01-01",
    "c14",
    f"{S} (the second of the two applications of the same day)",
)
row(
    "14c",
    "要求公开2013年11月20日台北街拆迁指挥部拆除台北二村小区停车棚的行政依据和法律依据",
    "D14c",
    "2014-01-13",
    "c14-event",
    derived("14", "another date, 小区 and object: another demolition (rules 2, 3)"),
)

# --- 15 某县民政局 (果林村低保; a court's typical case) -------------------------------------
S = "https://ynmz.yn.gov.cn/cms/fazhijianshe/9546.html"
row(
    "15",
    "申请公开：2001年至2018年的某县羊寨镇果林村低保户人员详细名单和历年财政拨款数额、"
    "低保户领款的标准、数额和原始领款凭证明细的政府信息",
    "R15",
    "2019-03-27",
    "c15",
    f"{S} (organ 阜宁县民政局; mailed 2019-03-25; replied within the time limit, date assumed)",
    replied="2019-04-19",
)
row(
    "15a",
    "申请公开：2001年至2018年的某县羊寨镇单家港村低保户人员详细名单和历年财政拨款数额、"
    "低保户领款的标准、数额和原始领款凭证明细的政府信息",
    "R15",
    "2019-05-06",
    "c15-place",
    derived("15", "the same applicant, another village (rule 3): not a repeat"),
)
row(
    "15b",
    "申请公开：2019年度羊寨镇果林村低保户人员详细名单、财政拨款数额、领款标准和原始领款凭证明细",
    "R15",
    "2019-06-03",
    "c15-period",
    derived("15", "the same applicant, another year (rule 2): not a repeat"),
)
row(
    "15p",
    "请再次公开果林村（羊寨镇）2001年至2018年低保户的详细名单、历年财政拨款数额、领款标准、"
    "领款数额及原始领款凭证明细。",
    "R15",
    "2019-07-01",
    "c15",
    derived("15", "the same applicant after the reply: a repeat"),
)

# --- 16 嘉兴市国土资源局秀洲区分局 (one applicant, three projects) ---------------------------
S = "http://m.handmsg.com/page/2018/0201/16690843.shtml"
row(
    "16a",
    "申请公开新塍镇富园村集体土地权属情况",
    "R16",
    "2017-03-01",
    "c16a",
    f"{S} (organ 嘉兴市国土资源局秀洲区分局; one applicant's successive requests in 2017; "
    "dates assumed)",
    replied="2017-03-24",
)
row(
    "16b",
    "申请公开新塍镇镇区道路工程的土地审批资料",
    "R16",
    "2017-05-10",
    "c16b",
    f"{S} (the same applicant's second request)",
    replied="2017-06-02",
)
row(
    "16c",
    "申请公开新塍医院迁建工程的土地审批资料",
    "R16",
    "2017-08-15",
    "c16c",
    f"{S} (the same applicant's third request)",
    replied="2017-09-08",
)
row(
    "16p",
    "请公开新塍医院迁建工程项目的用地审批资料。",
    "R16",
    "2017-10-09",
    "c16c",
    derived("16", "the third request filed again after its reply: a repeat"),
)

# --- 17 江安县国土资源局 -------------------------------------------------------------------
S = "https://wap.findlaw.cn/wenshu/a_5082316.html"
row(
    "17",
    "申请公开江安县xx镇xx村xx组征地拆迁安置信息",
    "R17",
    "2015-07-10",
    "c17",
    f"{S} (organ 江安县国土资源局; mailed 2015-07-09, delivered 2015-07-10; no reply; "
    "the place names are masked in the source)",
)
row(
    "17p",
    "请公开江安县xx镇xx村xx组的征地拆迁安置情况。",
    "R17",
    "2015-07-20",
    "c17",
    derived("17", "the same applicant again before any reply: a duplicate"),
)

# --- 18 郑州市某街道办事处 -----------------------------------------------------------------
S = "https://wap.findlaw.cn/wenshu/a_3650107.html"
row(
    "18",
    "请公开（郑**（2011））弓寨路东，新城路北53号地块征地补偿费的“安置补助费271.5083万元钱的去向”",
    "R18",
    "2014-09-11",
    "c18",
    f"{S} (organ 郑州市惠济区某街道办事处; applied 2014-09-01, received 2014-09-11; "
    "replied 2014-09-16)",
    replied="2014-09-16",
)
row(
    "18a",
    "请公开（郑**（2011））弓寨路东，新城路北54号地块征地补偿费的“安置补助费的去向”",
    "D18a",
    "2014-10-08",
    "c18-plot",
    derived("18", "another plot, 54号地块 (rule 3)"),
)
row(
    "18p",
    "请公开郑*出2011弓寨路东新城路北53号地块征地补偿费的安置补助费271.5083万元钱的去向",
    "R18",
    "2014-10-20",
    "c18",
    derived(
        "18",
        "the organ's own rendering of the request (real wording), re-filed after the reply: a repeat",
    ),
)

# --- 19 北京市平谷区夏各庄镇人民政府 ((2015)平行初字第9号) ---------------------------------
S = "https://cn.govopendata.com/caipanwenshu/2015/4/13/59f0ee8a-5d03-487d-ae52-e26eac5d2569"
row(
    "19",
    "申请获取按夏各庄所有被拆迁户选房顺序号相对应的社区、宅基地编号、地址、来源、面积、取得时间、"
    "其他面积和其对应的选房小区、楼号、单元、房号",
    "R19",
    "2014-10-13",
    "c19",
    f"{S} ((2015)平行初字第9号; organ 平谷区夏各庄镇人民政府; accepted 2014-10-13; replied 2014-10-21)",
    replied="2014-10-21",
)
row(
    "19a",
    "申请获取按马各庄所有被拆迁户选房顺序号相对应的社区、宅基地编号、地址、来源、面积、取得时间、"
    "其他面积和其对应的选房小区、楼号、单元、房号",
    "D19a",
    "2014-11-03",
    "c19-place",
    derived("19", "another village 马各庄 (rule 3)"),
)
row(
    "19p",
    "请提供夏各庄全部被拆迁户的选房顺序号，以及与之对应的选房小区、楼号、单元、房号和宅基地编号、"
    "地址、来源、面积、取得时间、其他面积、社区。",
    "D19p",
    "2014-11-17",
    "c19",
    derived("19", "paraphrase, reordered, another applicant (rule 6)"),
)

# --- 20 重庆市涪陵区人民政府 (and the earlier request to the city bureau) -------------------
S = "https://wap.findlaw.cn/wenshu/a_2570000.html"
row(
    "20a",
    "要求公开修建某某公园项目的征地补偿方案",
    "R20",
    "2014-07-08",
    "c20",
    f"{S} (the same applicant's earlier request to 重庆市国土资源和房屋管理局, 2014-07-08, "
    "answered by a referral whose date is not given)",
)
row(
    "20",
    "要求公开修建某某公园的“征地补偿方案及公告”",
    "R20",
    "2015-03-25",
    "c20",
    f"{S} (organ 重庆市涪陵区人民政府; submitted 2015-03-24, received 2015-03-25; no reply)",
)
row(
    "20b",
    "要求公开修建某某公园的征收土地公告及征地批复",
    "D20b",
    "2015-04-13",
    "c20-stage",
    derived("20", "the 征收公告 and 批复 of the same project, not the 补偿方案 (rule 4)"),
)

# --- 21 杭州市余杭区闲林街道办事处 (桦树村) --------------------------------------------------
S = "https://wap.findlaw.cn/wenshu/a_3593828.html"
T21 = (
    "位于杭州市余杭区闲林街道桦树村村民房屋所在地块的征收或者征用土地、房屋拆迁及其补偿、补助费用、"
    "青苗及地上附着物补偿费用的发放（具体到户）、使用情况（使用开支具体到项）"
)
row(
    "21",
    "要求公开" + T21,
    "R21",
    "2013-12-10",
    "c21",
    f"{S} (organ 闲林街道办事处; 17 applicants jointly; replied 2014-01-09; received date assumed)",
    replied="2014-01-09",
)
row(
    "21a",
    "要求公开" + T21.replace("桦树村", "闲林村"),
    "D21a",
    "2014-01-20",
    "c21-place",
    derived("21", "闲林村 not 桦树村 (rule 3)"),
)
row(
    "21p",
    "请公开桦树村（闲林街道）村民房屋所在地块征地拆迁的补偿、补助费用及青苗和地上附着物补偿费的"
    "发放情况（到户）和使用情况（到项）。",
    "D21p",
    "2014-02-10",
    "c21",
    derived("21", "paraphrase, another villager (rule 6)"),
)
row(
    "21q",
    "申请公开闲林街道桦树村房屋所在地块征收土地、房屋拆迁补偿补助费用、青苗及地上附着物补偿费用"
    "具体到户的发放情况和具体到项的使用情况",
    "D21q",
    "2014-03-03",
    "c21",
    derived("21", "paraphrase, a third villager: a popular topic (Art 44)"),
)

# --- 22 枣庄市市中区人民政府 (山东高院2015典型案例) ----------------------------------------
S = "http://ogichina.org/article/80/25352.html"
row(
    "22",
    "区政府公开枣庄市畜牧珍禽示范园2011年4月份拆迁补偿公告遗漏信息，对超过租赁合同面积每平方米补偿220元，"
    "是补偿的房屋还是补偿的没盖房屋空地款。",
    "R22",
    "2015-03-20",
    "c22",
    f"{S} (山东高院 2015 典型案例 1; organ 枣庄市市中区人民政府; mailed 2015-03, day assumed; no reply)",
)
row(
    "22a",
    "区政府公开枣庄市畜牧珍禽示范园2011年4月份拆迁补偿公告的全文",
    "D22a",
    "2015-04-07",
    "c22-item",
    derived("22", "the notice itself, not the omitted item (rule 4)"),
)
row(
    "22p",
    "请公开畜牧珍禽示范园（枣庄市）2011年4月拆迁补偿公告中遗漏的信息：超出租赁合同面积每平方米补偿的220元，"
    "补的是房屋还是未建房的空地？",
    "R22",
    "2015-04-20",
    "c22",
    derived("22", "the same applicant again, no reply yet: a duplicate"),
)

# --- 23 彭水县地方海事处 (指导性案例101号) --------------------------------------------------
S = "https://fx361.cc/page/2019/1220/15148628.shtml"
T23a = (
    "公开彭水苗族土家族自治县港航管理处、彭水县地方海事处的设立、主要职责、内设机构和人员编制的文件"
)
T23b = (
    "公开下列事故的海事调查报告等所有事故材料：兴运2号在2008年5月18日、2008年9月30日的两起安全事故"
    "及鑫源306号、鑫源308号、高谷6号、荣华号等船舶在2008年至2010年发生的安全事故"
)
row(
    "23",
    f"1.{T23a}。2.{T23b}。",
    "R23",
    "2014-11-19",
    "c23",
    f"{S} (指导性案例101号; organ 彭水县地方海事处; mailed 2014-11-17, signed for 2014-11-19; "
    "replied 2015-01-23)",
    replied="2015-01-23",
)
row(
    "23a",
    "公开兴运2号在2011年3月2日发生的安全事故的海事调查报告等所有事故材料",
    "R23",
    "2015-02-09",
    "c23-event",
    derived("23", "the same applicant, another accident and year (rule 2): not a repeat"),
)
row(
    "23p",
    f"1.{T23b}；2.{T23a}。",
    "R23",
    "2015-03-02",
    "c23",
    derived("23", "the same applicant after the reply, items swapped: a repeat"),
)

# --- 24 广州市人民政府 (广东高院2015一季度典型案例) -----------------------------------------
S = "https://www.360docs.net/doc/061365891.html"
row(
    "24",
    "申请公开《广州市党政机关公务用车使用管理暂行办法》定为秘密的理由及依据",
    "R24",
    "2014-04-10",
    "c24",
    f"{S} (广东高院 2015 一季度典型案例二; organ 广州市人民政府; April 2014, day assumed)",
    replied="2014-04-30",
)
row(
    "24a",
    "申请公开《广州市党政机关公务用车使用管理暂行办法》全文",
    "R24",
    "2014-05-12",
    "c24-doc",
    derived("24", "the same applicant, the document itself, not its classification (rule 4)"),
)
row(
    "24p",
    "请公开将《广州市党政机关公务用车使用管理暂行办法》确定为秘密的理由和依据。",
    "D24p",
    "2014-05-26",
    "c24",
    derived("24", "paraphrase, another applicant (rule 6)"),
)

# --- 25 宁波市自然资源和规划局 ------------------------------------------------------------
S = "https://fx361.cc/page/2019/0127/15941105.shtml"
T25 = (
    "自2005年1月1日至2015年12月30日，原宁波市国土资源局对原洞桥镇王家桥村经济合作社所属土地上"
    "所有单位和个人违法用地的所有行政处罚决定书"
)
row(
    "25",
    "申请公开" + T25,
    "R25",
    "2018-07-05",
    "c25",
    f"{S} (organ 宁波市自然资源和规划局; three applicants jointly; early July 2018, day assumed)",
    replied="2018-07-27",
)
row(
    "25a",
    "申请公开" + T25.replace("自2005年1月1日至2015年12月30日", "自2016年1月1日至2017年12月31日"),
    "D25a",
    "2018-08-13",
    "c25-period",
    derived("25", "another period (rule 2)"),
)
row(
    "25p",
    "请公开原宁波市国土资源局2005年至2015年间对洞桥镇王家桥村经济合作社土地上违法用地单位和个人作出的"
    "全部行政处罚决定书。",
    "D25p",
    "2018-09-03",
    "c25",
    derived("25", "paraphrase, another applicant (rule 6)"),
)

# --- 26 / 27 / 28 社会稳定风险评估 of three projects ---------------------------------------
row(
    "26",
    "要求查阅并以复印件形式公开《雉城镇经一路跨铁立交国有土地征收项目》中的社会稳定风险评估报告",
    "R26",
    "2012-08-29",
    "c26",
    "http://m.law-lib.com/cpws/cpws_view.asp?id=200402144920 ((2013)浙湖行初字第8号; organ "
    "长兴县人民政府; submitted 2012-08-28, received 2012-08-29; replied 2012-10-15)",
    replied="2012-10-15",
)
row(
    "26a",
    "要求以复印件形式公开《雉城镇经一路跨铁立交国有土地征收项目》的征收补偿方案",
    "D26a",
    "2012-11-05",
    "c26-stage",
    derived("26", "the 补偿方案 of the same project (rule 4)"),
)
row(
    "26p",
    "请将雉城镇经一路跨铁立交国有土地征收项目的社会稳定风险评估报告以电子邮件发送给我。",
    "D26p",
    "2012-11-19",
    "c26",
    derived("26", "another delivery form, another applicant (rule 6)"),
)
S = "https://wap.findlaw.cn/wenshu/a_5111867.html"
row(
    "27",
    "申请公开关于河西区尖山八大里地区旧城改建一期工程房屋征收项目的“社会稳定风险评估报告”"
    "以及“政府常务会议会议纪要”",
    "R27",
    "2014-03-20",
    "c27",
    f"{S} (organ 天津市河西区人民政府; mailed 2014-03-18, receipt assumed; replied 2014-04-17)",
    replied="2014-04-17",
)
row(
    "27a",
    "申请公开关于河西区尖山八大里地区旧城改建二期工程房屋征收项目的“社会稳定风险评估报告”"
    "以及“政府常务会议会议纪要”",
    "D27a",
    "2014-05-05",
    "c27-phase",
    derived("27", "二期 not 一期 (rule 3)"),
)
row(
    "27p",
    "请公开尖山八大里地区旧城改建一期房屋征收项目的政府常务会议纪要和社会稳定风险评估报告（河西区）。",
    "D27p",
    "2014-05-19",
    "c27",
    derived("27", "paraphrase, reordered, another applicant (rule 6)"),
)
row(
    "28",
    "申请公开此次房屋征收（XX区危旧房改造项目房屋征收决定）涉及的社会稳定风险评估报告",
    "R28",
    "2020-09-01",
    "c28",
    "http://yingtailaw.com/news-info.php?classID=3&id=853 (law firm's note, 2021-05-06; organ "
    "上海市XX区人民政府; date not given, assumed)",
)

# --- 30 / 31 环评 of two projects ---------------------------------------------------------
row(
    "30",
    "申请公开防城港东湾大道的环评报告",
    "R30",
    "2012-08-10",
    "c30",
    "http://www.china-mangrove.org/page/3850 (南国早报 2013-01-25; organ 防城港市环保局; "
    "applied online 2012-08-10; replied 2012-08-20)",
    replied="2012-08-20",
)
row(
    "30a",
    "申请公开防城港东湾大道工程的环评批复",
    "R30",
    "2012-09-03",
    "c30-stage",
    derived("30", "the same applicant, the approval (环评批复 ≠ 环评报告; rule 4): not a repeat"),
)
row(
    "30p",
    "请公开防城港市东湾大道工程项目环境影响评价报告书全本。",
    "D30p",
    "2012-09-17",
    "c30",
    derived("30", "paraphrase, another applicant (rule 6)"),
)
row(
    "31",
    "申请公开城中村改造项目的环境影响评价批复文件及有关的申报材料",
    "R31",
    "2020-06-12",
    "c31",
    "https://xingfushuangcheng.com/new/067e9df7b6ef4c948f0f89bb83efc1c6 (law firm's note; organ "
    "某市生态环境局; requested 2020-06-12)",
)

# --- 32 国家能源局 / 环境保护部 (news report) -----------------------------------------------
row(
    "32",
    "申请公开燃石油焦火力发电项目在国内的数量及其与大气污染的关联度等信息",
    "R32",
    "2017-01-10",
    "c32",
    "http://www.envirunion.cn/newsinfo-3567.html (news report; organ 国家能源局、环境保护部; "
    "early 2017, day assumed; the report's summary of five items)",
)

# --- 33 黔西县城乡规划局 (three applicants, three forms, one day) ---------------------------
S = "https://wap.findlaw.cn/wenshu/a_2572640.html"
T33 = "要求公开黔西县黔金路东出口改造工程项目的规划许可证及建设单位申请办理规划许可证时所提交的申请材料"
row(
    "33a",
    T33,
    "R33a",
    "2015-02-03",
    "c33",
    f"{S} (organ 黔西县城乡规划局; first of three forms mailed 2015-02-01; no reply)",
)
row(
    "33b",
    "要求被告规划局公开黔西县黔金路改造工程项目的规划许可证及建设单位申请办理规划许可证时所提交的申请材料",
    "R33b",
    "2015-02-03",
    "c33",
    f"{S} (the second applicant's form, as the evidence list words it)",
)
row("33c", T33, "R33c", "2015-02-03", "c33", f"{S} (the third applicant's form)")

# --- 34 苏州市规划局 (one applicant, two requests) -----------------------------------------
S = "https://wap.findlaw.cn/wenshu/a_3585617.html"
row(
    "34a",
    "申请公开苏州市姑苏区人民路XXX号房屋区域地块的城乡规划及专项规划的法律文件（含范围图）",
    "R34",
    "2013-09-17",
    "c34a",
    f"{S} (organ 苏州市规划局; requested 2013-09-17; replied 2013-10-11)",
    replied="2013-10-11",
)
row(
    "34b",
    "申请公开建设单位为苏州市**有限公司、项目名称为轨道交通4号线（城区段）的建设用地规划许可证包括观前街站"
    "和乐桥站的建设用地红线图及建设工程规划许可证包括观前街站和乐桥站的全部车站出入口、风亭的设计施工图",
    "R34",
    "2014-03-12",
    "c34b",
    f"{S} (the same applicant's second request, 2014-03-12)",
    replied="2014-04-02",
)
row(
    "34c",
    "申请公开轨道交通2号线（城区段）观前街站的建设用地规划许可证及建设用地红线图",
    "R34",
    "2014-05-05",
    "c34c",
    derived("34", "the same applicant, another line (2号线; rule 3): not a repeat"),
)

# --- 35 福州市城乡规划局 ((2017)闽01行终234号; "再次要求") ----------------------------------
S = "https://cn.govopendata.com/caipanwenshu/2017/6/21/654c700b-0503-4be4-9563-e8d65fd25766"
T35 = (
    "一、公开《洪禄小区》项目建设用地规划许可证及包括红线图；二、公开《流花溪》项目建设用地规划许可证"
    "及包括红线图；三、公开《融信湾花园》项目建设用地规划许可证及包括红线图。"
)
row(
    "35e",
    "要求以书面文件形式" + T35,
    "R35",
    "2015-06-01",
    "c35",
    derived(
        "35", "the earlier request the judgment refers to (再次要求); date and wording assumed"
    ),
    replied="2015-06-24",
)
row(
    "35",
    "再次要求其以书面文件形式" + T35,
    "R35",
    "2015-11-27",
    "c35",
    f"{S} ((2017)闽01行终234号; organ 福州市城乡规划局; requested again 2015-11-27)",
)
row(
    "35a",
    "要求以书面文件形式公开《融侨锦江》项目建设用地规划许可证及包括红线图",
    "R35",
    "2016-01-11",
    "c35-project",
    derived("35", "the same applicant, another project (rule 3): not a repeat"),
)

# --- 36 上海市静安区人民政府 ((2014)沪高行终字第103号) --------------------------------------
S = "http://zenchang.cn/cpws/cpws_view.asp?id=200402624014"
row(
    "36a",
    "要求获取“在实施《上海市静安区委托拆迁及部分市政配套合同》（静批租（2000年）拆迁合同第1号）中获取的"
    "上海静安协和房地产有限公司要求保留作为建设工地办公用房的延安西路小学和环卫局下属三间沿马路门面房的文件材料。”",
    "R36",
    "2012-03-26",
    "c36",
    f"{S} ((2014)沪高行终字第103号; organ 上海市静安区人民政府; requested 2012-03-26; replied 2012-05-09)",
    replied="2012-05-09",
)
row(
    "36b",
    "要求获取：除《关于移交静安区永源浜4号扩大批租地块的通知》（静批租办[2002]34号）文之外，"
    "能够直接或间接证明上海静安协和房地产有限公司向静安区人民政府提出过保留延安西路小学和环卫局下属三间"
    "马路门面房这一事实存在的证据材料",
    "R36",
    "2013-08-08",
    "c36",
    f"{S} (the same applicant, 2013-08-08, replied 2013-08-28; labelled the same information "
    "as real-36a — the same record set, reworded — a judgment call)",
    replied="2013-08-28",
)

# --- 37 新密市人民政府 ((2018)最高法行申1579号) --------------------------------------------
S = "https://www.shisongya.com/1203.html"
row(
    "37",
    "请求提供2013年11月19日新密政复决字〔2013〕3号行政复议决定审批表，加盖新密市政府公章，"
    "签上经办人的姓名，并注明日期",
    "R37",
    "2016-07-04",
    "c37",
    f"{S} ((2018)最高法行申1579号; organ 新密市人民政府; mailed 2016-06-30, receipt assumed; "
    "replied 2016-07-14)",
    replied="2016-07-14",
)
row(
    "37a",
    "请求提供新密政复决字〔2013〕4号行政复议决定审批表",
    "R37",
    "2016-08-01",
    "c37-docno",
    derived("37", "the same applicant, another 文号 (4号; rule 1): not a repeat"),
)
row(
    "37b",
    "请求提供2013年11月19日新密政复决字〔2013〕3号行政复议决定书",
    "R37",
    "2016-08-15",
    "c37-stage",
    derived("37", "the decision itself, not its approval form (rule 4): not a repeat"),
)
row(
    "37p",
    "请提供新密政复决字[2013]3号行政复议决定的审批表（加盖公章）。",
    "R37",
    "2016-09-05",
    "c37",
    derived("37", "the 文号 in half-width brackets, the same applicant after the reply: a repeat"),
)

# --- 40 毕节市人民政府 (news report) -------------------------------------------------------
S = "https://www.bilezu.com/html/492190991.html"
row(
    "40",
    "请求公开涉及毕节市留守儿童关爱专项救助资金的来源、项目数量等情况的政府信息",
    "R40",
    "2015-07-24",
    "c40",
    f"{S} (news report; organ 毕节市人民政府; mailed 2015-07-22, receipt assumed; replied "
    "2015-08-12; the report's summary of eight items)",
    replied="2015-08-12",
)
row(
    "40a",
    "请求公开毕节市困境儿童基本生活保障资金的来源、项目数量等情况的政府信息",
    "D40a",
    "2015-09-07",
    "c40-fund",
    derived("40", "another fund (rule 3)"),
)

# --- 41 三台县民政局 (烈士抚恤; veterans affairs) ------------------------------------------
S = "https://cn.govopendata.com/caipanwenshu/2017/5/21/f2913221-9e31-469b-80c3-e69904bb89b6"
row(
    "41",
    "要求公开申请人父亲胥某革命烈士的亲属当年领取抚恤金、抚养费的信息",
    "R41",
    "2017-01-25",
    "c41",
    f"{S} ((2017)川0722行初20号; organ 三台县民政局 (优抚, now 退役军人事务局); "
    "requested 2017-01-25; no reply; the names replaced)",
    division="优抚处",
)
row(
    "41a",
    "要求公开申请人父亲王某革命烈士的亲属当年领取抚恤金、抚养费的信息",
    "D41a",
    "2017-02-20",
    "c41-person",
    derived("41", "another applicant's father, another martyr (rule 5)"),
    division="优抚处",
)
row(
    "41b",
    "要求公开申请人父亲胥某革命烈士的烈士证明书及烈士登记表",
    "R41",
    "2017-03-06",
    "c41-stage",
    derived("41", "the same father, another record (证明书/登记表 ≠ 抚恤金领取; rule 4)"),
    division="褒扬纪念处",
)
row(
    "41p",
    "请公开我父亲胥某（革命烈士）牺牲后其亲属领取抚恤金和抚养费的情况。",
    "R41",
    "2017-03-20",
    "c41",
    derived("41", "the same applicant again, still no reply: a duplicate"),
    division="优抚处",
)

# --- 43 国土资源部 ------------------------------------------------------------------------
S = "https://wap.findlaw.cn/wenshu/a_5361054.html"
T43 = (
    "“浙江省温州市平阳县昆阳镇后洋村清明桥下1.908亩水田被征为国有土地的批准文件”"
    "以及“一书四方案、勘测定界图等所有征地报批材料”"
)
row(
    "43",
    "申请公开" + T43,
    "R43",
    "2014-10-10",
    "c43",
    f"{S} (organ 国土资源部; replied 2014-11-04 (国土资公开告知(2014)525号); received date assumed)",
    replied="2014-11-04",
)
row(
    "43a",
    "申请公开" + T43.replace("后洋村", "前洋村").replace("1.908亩", "2.3亩"),
    "D43a",
    "2014-11-24",
    "c43-place",
    derived("43", "another village and plot (rule 3)"),
)
row(
    "43p",
    "请公开平阳县昆阳镇后洋村清明桥下1.908亩水田征为国有的批准文件和全部征地报批材料（一书四方案、勘测定界图等）。",
    "D43p",
    "2014-12-08",
    "c43",
    derived("43", "paraphrase, another applicant (rule 6)"),
)

# --- 44 瑞安市自然资源和规划局 ((2023)浙03行终884号) ---------------------------------------
S = "http://121.28.199.254:8001/jusrepos/ui/view/CasesDetail.aspx?inkid=15162"
T44b = (
    "“根据搬迁示意图的安置点同意落实搬迁建房用地范围外，同意搬迁安置指标落实位于塘下镇强民路164号地块"
    "（仙岩镇沈岙村购买的土地）的安置用地的审批文书”"
)
row(
    "44",
    "要求获取“瑞土规（1993）24号文件”和" + T44b,
    "R44",
    "2022-12-12",
    "c44",
    f"{S} ((2023)浙03行终884号; organ 瑞安市自然资源和规划局; mailed 2022-12-09, receipt "
    "assumed; replied 2023-04-14)",
    replied="2023-04-14",
)
row(
    "44a",
    "要求获取“瑞土规（1993）25号文件”和" + T44b,
    "D44a",
    "2023-05-08",
    "c44-docno",
    derived("44", "another 文号, 25号 (rule 1)"),
)
row(
    "44p",
    "申请获取瑞土规〔1993〕24号文，以及塘下镇强民路164号地块（仙岩镇沈岙村购买的土地）落实搬迁安置指标的"
    "安置用地审批文书。",
    "R44",
    "2023-06-05",
    "c44",
    derived(
        "44", "the 文号 written 〔〕, the same applicant after the reply: a repeat (rules 1, 6)"
    ),
)

# --- 45 某县自然资源局 (law firm's case note) ----------------------------------------------
S = "http://www.yingtailaw.com/case-info.php?classID=8&id=504"
T45 = (
    "1.征收土地预公告及相关图件。2.土地现状调查相关资料（包括：征收土地勘测调查表、土地勘测定界图、"
    "地上附着物和青苗调查情况表）。3.征地社会稳定风险评估相关材料。4.征地补偿安置公告、征地补偿安置方案。"
    "5.征地补偿安置方案听证相关材料，包括：听证通知书、听证处理意见等。6.征收土地公告。"
)
row(
    "45",
    "因需要详细了解本屯土地征收情况，申请公开：" + T45,
    "R45",
    "2022-08-19",
    "c45",
    f"{S} (organ 广西河池市某县自然资源局; mailed 2022-08-17, receipt assumed; replied 2022-08-22)",
    replied="2022-08-22",
)
row(
    "45a",
    "申请公开本屯土地征收的征地补偿安置方案听证相关材料，包括：听证通知书、听证处理意见等。",
    "R45",
    "2022-09-13",
    "c45-part",
    derived("45", "the same applicant, one item only — a smaller record set, not the same"),
)
row(
    "45p",
    "申请公开本屯土地征收的：征收土地公告；征收土地预公告及图件；征地补偿安置公告和补偿安置方案；"
    "补偿安置方案听证材料（听证通知书、听证处理意见等）；征地社会稳定风险评估材料；土地现状调查资料"
    "（勘测调查表、勘测定界图、地上附着物和青苗调查情况表）。",
    "R45",
    "2022-09-26",
    "c45",
    derived("45", "the same applicant after the reply, reordered: a repeat"),
)


def main() -> None:
    ROWS.sort(key=lambda r: (str(r["received_on"]), str(r["id"])))
    with open(HERE / "similar_real.jsonl", "w", encoding="utf-8") as out:
        for r in ROWS:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    real = sum(1 for r in ROWS if not str(r["source"]).startswith("derived"))
    sys.stdout.write(f"{len(ROWS)} requests ({real} real, {len(ROWS) - real} derived)\n")


if __name__ == "__main__":
    main()
