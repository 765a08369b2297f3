"""Demo assessment: every street has the two default templates; 隐珠街道 and 济阳街道 score
monthly, July–October 2026 closed, November open.

济阳's report describes the scheme (monthly unannounced visits, prizes each quarter, an
exit mechanism for companies three times running at the bottom). Its monthly company
scores give Q3 a clear ranking with prizes; 济宁水景物业有限公司 sits in the bottom three
from July to October (the exit flag shows after September), and 任城安泰物业服务有限公司 is
there only twice running (August, September) — not flagged. 隐珠 scores its three
companies (with three or fewer nobody is "bottom").
"""
from datetime import date, datetime

from ..clock import utc_from_local
from ..extensions import db
from . import services
from .models import AssessmentTemplate, QuarterRanking, SheetScore, TemplateItem, TemplateSection

POINTS_NOTE = "各项分值为街道物业办暂定，可由街道根据年度考核办法调整（修改后生成新版本）。"

# section title, [(item, full, rule, per_finding, guidance)]
FIVE_PLUS_THREE = [
    ("一、五项基础服务（65分）", [
        ("垃圾当日清", 15, "per_finding", 1, "生活垃圾日产日清，楼道、绿地无积存垃圾，分类投放点整洁。"),
        ("违建全拆除", 10, "per_finding", 2, "小区内无新增违法建设；发现违建及时劝阻并报告。"),
        ("安全有保障", 15, "per_finding", 2, "消防通道畅通，消防设施完好，门岗值守、巡逻记录齐全。"),
        ("停车有秩序", 10, "per_finding", 1, "车辆有序停放，不占用消防通道和绿地，非机动车集中停放充电。"),
        ("维修要及时", 15, "per_finding", 1, "报修 24 小时内响应，公共设施设备完好，维修记录可查。"),
    ]),
    ("二、三个突出（35分）", [
        ("突出党建引领", 15, "judged", 0, "党组织健全、交叉任职落实、党员亮牌上岗：好 13–15 分，较好 9–12 分，一般 0–8 分。"),
        ("凝聚道德力量", 10, "judged", 0, "开展志愿服务、评选身边好人、红色管家作用发挥：好 9–10 分，较好 6–8 分，一般 0–5 分。"),
        ("涵养社区文化", 10, "judged", 0, "组织社区文化活动、宣传栏及时更新、邻里和睦：好 9–10 分，较好 6–8 分，一般 0–5 分。"),
    ]),
]

PARTY_BLOCK = [
    ("一、组织建设（10分）", [
        ("小区党组织隶属社区党组织", 4, "judged", 0, "小区（网格）党组织已建立并隶属社区党组织得 4 分，未建立得 0 分。"),
        ("物业服务人员中的党员", 6, "judged", 0, "党员少于 3 名得 2 分；3–4 名得 4 分；5 名及以上得 6 分。"),
    ]),
    ("二、交叉任职（10分）", [
        ("小区党组织书记进入业委会", 4, "judged", 0, "小区党组织书记经法定程序进入业委会得 4 分。"),
        ("项目党组织书记进入社区党委", 3, "judged", 0, "物业项目党组织书记任社区党委兼职委员得 3 分。"),
        ("党员项目经理任兼职委员", 3, "judged", 0, "党员身份的物业项目经理任社区兼职委员得 3 分。"),
    ]),
    ("三、作用发挥（10分）", [
        ("承担区域化党建任务", 3, "per_finding", 1, "参加社区区域化党建活动，每缺一次扣 1 分，最低 0 分。"),
        ("审核业委会候选人", 2, "judged", 0, "社区党组织对业委会候选人资格把关审核得 2 分。"),
        ("交叉任职比例不低于50%", 2, "judged", 0, "业委会成员中交叉任职比例达到 50% 及以上得 2 分。"),
        ("重大事项党组织先议", 3, "per_finding", 1, "涉及小区的重大事项未经党组织先议的，每发现一次扣 1 分。"),
    ]),
]

FINDINGS = {
    "垃圾当日清": "3号楼东侧垃圾桶满溢未清运",
    "违建全拆除": "5号楼顶层新搭建彩钢棚未劝阻",
    "安全有保障": "2号楼消防通道堆放杂物",
    "停车有秩序": "电动车在楼道内充电",
    "维修要及时": "单元门禁损坏超过一周未修",
    "突出党建引领": "党员亮牌上岗不到位",
    "凝聚道德力量": "志愿服务记录不全",
    "涵养社区文化": "宣传栏内容未按月更新",
}

# Company monthly targets (every sheet of the company gets its month's score), July to
# November. 济阳 (five companies) has the ranking the report describes: prizes each
# quarter and the exit mechanism for three bottom placements running.
TARGETS = {
    "泛华物业服务有限公司": (95, 94, 93, 96, 95),
    "热诚物业管理有限公司": (93, 87, 95, 92, 93),
    "任城安泰物业服务有限公司": (94, 88, 88, 93, 90),
    "济宁运河物业管理有限公司": (87, 91, 90, 88, 89),
    "济宁水景物业有限公司": (82, 80, 79, 83, 81),
    "隐珠安居物业管理有限公司": (87, 91, 90, 88, 89),
    "恒安物业服务有限公司": (85, 92, 86, 85, 84),
}
MONTHS = [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
REP_COMPOUNDS = ("珠海一区", "齐发小区", "恒安福苑")
# The streets that score monthly, by their administrator's account; every street has the
# two templates.
ROUND_STREETS = {"yinzhu": "street_admin", "jiyang": "jiyang_admin"}


def build_template(name, sections, note, street=None):
    template = AssessmentTemplate(name=name, revision=1, note=note, street_id=street.id if street else None)
    for s_pos, (title, items) in enumerate(sections):
        section = TemplateSection(position=s_pos, title=title)
        for i_pos, (item, full, rule, per, guidance) in enumerate(items):
            section.items.append(TemplateItem(position=i_pos, title=item, full_points=full, rule=rule,
                                              per_finding=per or 1, floor=0, guidance=guidance))
        template.sections.append(section)
    db.session.add(template)
    return template


def lines_for(template, target):
    """Item values whose total is `target`: findings spread over the items in turn."""
    items = template.items
    values = {item.id: {"findings": 0, "points": float(item.full_points), "finding_text": "", "photo": None}
              for item in items}
    deficit = template.total_points - target
    turn = 0
    while deficit > 0 and turn < 200:
        item = items[turn % len(items)]
        v = values[item.id]
        step = item.per_finding if item.rule == "per_finding" else 1
        if step <= deficit and v["points"] - step >= 0:
            if item.rule == "per_finding":
                v["findings"] += 1
            v["points"] -= step
            v["finding_text"] = FINDINGS.get(item.title, "存在问题")
            deficit -= step
        turn += 1
    return values


def load(demo):
    from ..scope import working_in

    for key, street in demo.streets.items():
        sheet_5_3 = build_template("红色物业“5+3”考核表", FIVE_PLUS_THREE,
                                   "依据《物业管理工作考核办法》，街道干部与居民代表每月暗访评分。" + POINTS_NOTE, street)
        build_template("党建引领考核（30分）", PARTY_BLOCK, "物业服务企业党建引领专项考核。" + POINTS_NOTE, street)
        db.session.flush()
        if key in ROUND_STREETS:
            with working_in(street.id):
                _rounds(demo, street, sheet_5_3, demo.users[ROUND_STREETS[key]])


def _rounds(demo, street, sheet_5_3, admin):
    """July–October closed, November open; Q3 published, Q4 prizes set."""
    rep = demo.users["resident_rep"]
    staff = {"双珠路社区": demo.users["shuangzhu_staff"], "济阳示例一社区": demo.users["jiyang_staff"]}
    for index, month in enumerate(MONTHS):
        rnd = services.create_round(month, sheet_5_3, cadre_weight=0.7, rep_weight=0.3)
        for n, sheet in enumerate(sorted(rnd.sheets, key=lambda s: (s.company.name, s.compound.name))):
            target = TARGETS[sheet.company.name][index]
            is_open = month == MONTHS[-1]
            visited = date(month.year, month.month, 8 + n % 12)
            if not is_open or n % 2 == 0:
                cadre = SheetScore(sheet=sheet, scorer=admin, scorer_kind="cadre")
                db.session.add(cadre)
                services.save_score(cadre, lines_for(sheet_5_3, target), visited)
            community_staff = staff.get(sheet.compound.community.name)
            if community_staff is not None and not is_open:
                other = SheetScore(sheet=sheet, scorer=community_staff, scorer_kind="cadre")
                db.session.add(other)
                services.save_score(other, lines_for(sheet_5_3, target), visited)
            if sheet.compound.name in REP_COMPOUNDS:
                mine = SheetScore(sheet=sheet, scorer=rep, scorer_kind="rep")
                db.session.add(mine)
                if not is_open or sheet.compound.name == "珠海一区":
                    services.save_score(mine, lines_for(sheet_5_3, target), visited)
        db.session.flush()
        if month != MONTHS[-1]:
            services.close_round(rnd, admin)
            rnd.closed_at = utc_from_local(datetime(month.year, month.month, 28, 17, 0))  # UTC stamp of 17:00 local
    for quarter in ("2026Q3", "2026Q4"):
        db.session.add(QuarterRanking(street_id=street.id, quarter=quarter, first_prize=5000, second_prize=3000,
                                      third_prize=2000))
    db.session.flush()
    published = services.publish_quarter("2026Q3", admin)
    published.published_at = utc_from_local(datetime(2026, 10, 12, 9, 30))
