"""Demo requests from the reports: 双珠路's 79 dispute points and 110 service items over
the year, 济阳's 40+ problems (外墙保温, 小区封闭, 车辆停放, 卫生提升), 泛华盛世's 30+ in five
kinds (漏水, 墙体裂缝, 暖气不热, 邻里纠纷, 商铺油烟和噪音), 福通小区's leak between the 6th
and 7th floors (2月10日), the collapsed sewer main at 锦绣苑小区 and 颐海苑's fire lane, each in its own street.
Some are overdue, some reopened after 不满意, one is on a meeting's agenda.

Rows are written directly with their history (timestamps in the past), deterministic
(a seeded random), and the deadlines come from the real working-day calendar."""
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from ..clock import local_today
from ..extensions import db
from . import services, workdays
from .models import RequestCategory, RequestDepartment, RequestEvent, ResidentRequest

DEPARTMENTS = [("供水公司", "0532-12345001"), ("供电公司", "95598"), ("燃气公司", "0532-12345003"),
               ("城管执法中队", "0532-12345004"), ("市政排水管理处", "0532-12345005")]
# name, handler, department, limit, unit, warn
CATEGORIES = [
    ("漏水", "company", None, 3, "workdays", 1),
    ("墙体裂缝", "company", None, 5, "workdays", 2),
    ("暖气不热", "company", None, 24, "hours", 6),
    ("邻里纠纷", "community", None, 5, "workdays", 2),
    ("商铺油烟和噪音", "department", "城管执法中队", 5, "workdays", 2),
    ("外墙保温", "company", None, 10, "workdays", 3),
    ("小区封闭", "community", None, 15, "workdays", 5),
    ("车辆停放", "grid", None, 3, "workdays", 1),
    ("卫生提升", "company", None, 2, "workdays", 1),
    ("消防通道", "company", None, 24, "hours", 4),
    ("下水管网", "department", "市政排水管理处", 5, "workdays", 2),
    ("公共设施维修", "company", None, 5, "workdays", 2),
]
TEXTS = {
    "邻里纠纷": ["楼上住户夜间噪音大，多次沟通无果，请社区协调。", "邻居在楼道堆放杂物，双方发生争执。",
              "两户因空调外机位置产生纠纷。", "楼上装修导致楼下天花板渗水，双方对赔偿有分歧。",
              "邻居饲养犬只夜间吠叫影响休息。", "因公共区域种菜引起邻里矛盾。"],
    "公共设施维修": ["单元门禁损坏，外人随意进出。", "楼道声控灯不亮，老人上下楼不便。", "小区健身器材松动存在安全隐患。",
                "单元防盗门闭门器坏了。", "小区路灯不亮。", "楼顶防水层老化，顶楼渗水。"],
    "卫生提升": ["垃圾桶满了没人清运，气味很大。", "绿化带内有积存垃圾。", "楼道小广告太多，请清理。"],
    "车辆停放": ["车辆占用消防通道停放。", "小区门口乱停车，出入困难。", "电动车在楼道内充电，存在隐患。"],
    "漏水": ["卫生间顶部渗水，怀疑楼上管道漏水。", "厨房下水管漏水。", "暖气管道接口滴水。"],
    "墙体裂缝": ["客厅墙体出现裂缝，担心安全。", "外墙有裂缝，雨天渗水。"],
    "暖气不热": ["家里暖气不热，室温只有 14 度。", "整栋楼暖气温度偏低。"],
    "商铺油烟和噪音": ["底商饭店油烟直排，影响楼上住户开窗。", "沿街商铺夜间音响声音过大。"],
    "外墙保温": ["外墙保温层脱落，存在高空坠物隐患。", "外墙保温施工噪音太大，能否调整施工时间？"],
    "小区封闭": ["小区没有围墙，外来车辆随意进出。", "建议增设门岗，实现封闭管理。"],
}


def _at(days_ago, hour=9):
    """A past moment as naive UTC: `days_ago` days before today, at `hour` local."""
    day = local_today() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour) - timedelta(hours=8)


def load(demo):
    rng = random.Random(11)
    # Each street keeps its own departments, categories and calendar.
    cats, cals = {}, {}
    db.session.flush()  # the streets' ids
    for street in demo.streets.values():
        departments = {}
        for name, phone in DEPARTMENTS:
            departments[name] = RequestDepartment(street_id=street.id, name=name, phone=phone)
            db.session.add(departments[name])
        for i, (name, handler, dept, limit, unit, warn) in enumerate(CATEGORIES):
            cats[(street.name, name)] = RequestCategory(
                street_id=street.id, name=name, handler=handler, limit_value=limit, limit_unit=unit, warn_value=warn,
                sort_order=i, department=departments.get(dept))
            db.session.add(cats[(street.name, name)])
    db.session.flush()
    for street in demo.streets.values():
        cals[street.id] = workdays.Calendar(street.id, overrides={})
    users = demo.users
    staff_of = {"双珠路社区": users.get("shuangzhu_staff"), "济阳示例一社区": users.get("jiyang_staff")}
    admin_of = {"隐珠街道": users.get("street_admin"), "济阳街道": users.get("jiyang_admin")}
    counter = [0]

    def make(community, compound, category, text, days_ago, outcome, source="door_knocking", name="", phone="",
             satisfaction="satisfied", late=False, reopened=False, hour=9):
        """One request with its history up to `outcome` (received … closed, or overdue/open)."""
        counter[0] += 1
        c, p = demo.communities[community], demo.compounds.get(compound)
        street = c.street
        cat, cal = cats[(street.name, category)], cals[street.id]
        created = _at(days_ago, hour)
        receipt = f"YJ{(created + timedelta(hours=8)):%Y%m%d}-D{counter[0]:03d}"
        item = ResidentRequest(street_id=street.id, receipt_no=receipt, source=source, community=c, compound=p,
                               category=cat, text=text, name=name, phone=phone, status="received", created_at=created,
                               updated_at=created)
        kind, company_id, grid_id, dept_id = services.assignee_for(cat, p)
        item.assignee_kind, item.assignee_company_id, item.assignee_grid_id, item.assignee_department_id = (
            kind, company_id, grid_id, dept_id)
        db.session.add(item)
        actor = staff_of.get(community) or admin_of.get(street.name)
        events = []

        def ev(kind_, before, after, note, at, who=None):
            events.append(RequestEvent(street_id=street.id, request=item, kind=kind_, from_status=before, to_status=after,
                                       note=note, actor_id=who.id if who else None,
                                       actor_name=who.display_name if who else "系统", created_at=at, updated_at=at))

        ev("received", "received", "received", f"来源：{item.source_label}", created, actor)
        dispatched = created + timedelta(minutes=5)
        item.dispatched_at = dispatched
        item.due_at, item.warn_at = workdays.deadline(dispatched, cat.limit_value, cat.limit_unit, cat.warn_value,
                                                      calendar=cal)
        item.status = "dispatched"
        ev("routed", "received", "dispatched", f"按类别“{cat.name}”自动派单", dispatched)
        if outcome == "dispatched":
            return item, events
        accepted = dispatched + timedelta(hours=2)
        item.status = "in_progress"
        ev("accept", "dispatched", "in_progress", "已接单，安排人员上门查看。", accepted)
        if outcome == "in_progress":
            return item, events
        span = (item.due_at - dispatched) * (1.6 if late else rng.uniform(0.3, 0.9))
        resolved = dispatched + span
        item.resolution = "已上门处理完毕，居民确认问题解决。"
        item.status, item.resolved_at, item.handled_at = "resolved", resolved, resolved
        item.resolved_late = resolved > item.due_at
        ev("resolve", "in_progress", "resolved", item.resolution, resolved)
        if reopened:
            visit = resolved + timedelta(days=1)
            ev("visit", "resolved", "visited", "回访：不满意。问题反复出现。", visit, actor)
            item.reopen_count = 1
            ev("reopen", "visited", "dispatched", "居民不满意，退回重新办理（第 1 次）。", visit)
            ev("accept", "dispatched", "in_progress", "再次上门，更换配件。", visit + timedelta(hours=3))
            resolved = visit + timedelta(days=1)
            item.resolved_at = resolved
            item.resolution = "第二次上门彻底处理，更换了损坏部件。"
            ev("resolve", "in_progress", "resolved", item.resolution, resolved)
        if outcome == "resolved":
            return item, events
        visit = resolved + timedelta(days=1)
        item.satisfaction, item.visited_at, item.status = satisfaction, visit, "visited"
        ev("visit", "resolved", "visited", f"回访：{ {'satisfied': '满意', 'basic': '基本满意'}.get(satisfaction, '满意') }。",
           visit, actor)
        if outcome == "visited":
            return item, events
        item.status, item.closed_at = "closed", visit + timedelta(hours=1)
        ev("close", "visited", "closed", "", item.closed_at, actor)
        return item, events

    all_events = []

    def add(*args, **kwargs):
        item, events = make(*args, **kwargs)
        all_events.extend(events)
        return item

    # 双珠路: 79 dispute points, 110 service items over the year.
    sz = ["珠海一区", "珠海二区", "齐发小区", "恒安福苑", "职业中专家属楼"]
    for i in range(79):
        add("双珠路社区", sz[i % 5], "邻里纠纷", rng.choice(TEXTS["邻里纠纷"]), 330 - i * 4, "closed",
            source=rng.choice(["door_knocking", "grid_patrol", "visit_day"]), satisfaction=rng.choice(["satisfied"] * 4 + ["basic"]))
    service_kinds = ["公共设施维修"] * 5 + ["卫生提升"] * 2 + ["车辆停放"] * 2 + ["漏水"]
    for i in range(110):
        kind = service_kinds[i % len(service_kinds)]
        days = 335 - i * 3
        outcome = "closed" if days > 20 else rng.choice(["visited", "resolved", "in_progress"])
        add("双珠路社区", sz[i % 4], kind, rng.choice(TEXTS[kind]), days, outcome,
            source=rng.choice(["door_knocking", "opinion_box", "visit_day", "phone"]),
            late=(i % 13 == 0), reopened=(i % 29 == 7), satisfaction=rng.choice(["satisfied"] * 5 + ["basic"]))
    # 济阳: 40+ problems in four kinds.
    jy = ["济阳一社区示例老旧小区2", "水景花苑", "济阳一社区示例老旧小区3", "济阳一社区示例小区4"]
    for i, kind in enumerate(["外墙保温"] * 11 + ["小区封闭"] * 9 + ["车辆停放"] * 12 + ["卫生提升"] * 11):
        days = 300 - i * 6
        add("济阳示例一社区", jy[i % 4], kind, rng.choice(TEXTS[kind]), days, "closed" if days > 15 else "visited",
            source=rng.choice(["door_knocking", "grid_patrol", "hotline"]), late=(i % 9 == 4), reopened=(i % 17 == 3))
    # 泛华盛世: 30+ in five kinds, after the first 说事议事会 (20 September).
    five = ["漏水", "墙体裂缝", "暖气不热", "邻里纠纷", "商铺油烟和噪音"]
    for i in range(32):
        kind = five[i % 5]
        add("泛华盛世示例社区", "泛华盛世", kind, rng.choice(TEXTS[kind]), 70 - i * 2, "closed" if i < 26 else "visited",
            source=rng.choice(["door_knocking", "visit_day", "opinion_box"]), late=(i % 8 == 5), reopened=(i % 11 == 2))
    # 福通小区: the leak between the 6th and 7th floors (2月10日).
    year = local_today().year
    feb10 = (local_today() - datetime(year, 2, 10).date()).days
    add("福通社区", "福通小区", "漏水",
        "6号楼居民卫生间不断有污水从天花板渗出，怀疑是7楼下水管道漏水；7楼住户称是6楼装修堵住下水管道引起污水倒灌，两户各执一词。",
        feb10, "closed", source="phone", name="刘女士", phone="13905320010")
    # The collapsed sewer main.
    add("锦绣苑社区", "锦绣苑小区", "下水管网", "小区南门口下水主管道老化严重，去年年底破损塌陷，物业疏通后问题没有根除，影响居民生活和出行。",
        40, "in_progress", source="visit_day")
    # Open work now: overdue, due soon, reopened, waiting for the company.
    add("泛华盛世示例社区", "泛华盛世", "漏水", "3号楼2单元顶楼漏水，雨后墙面发霉。", 9, "in_progress", source="door_knocking",
        phone="13805320022")
    add("泛华盛世示例社区", "泛华盛世", "暖气不热", "5号楼暖气不热，家中有老人。", 3, "dispatched", source="phone")
    add("济阳示例一社区", "济阳一社区示例老旧小区2", "墙体裂缝", "楼道墙体出现斜向裂缝。", 10, "dispatched", source="grid_patrol")
    add("济阳示例一社区", "济阳一社区示例老旧小区2", "卫生提升", "小区东侧垃圾站清运不及时。", 1, "dispatched", source="online_box")
    add("双珠路社区", "珠海一区", "车辆停放", "3号楼前车辆乱停，救护车进不来。", 6, "in_progress", source="grid_patrol")
    add("双珠路社区", "珠海一区", "公共设施维修", "1号楼单元门禁坏了一周。", 2, "dispatched", source="grid_patrol")
    add("泛华盛世示例社区", "泛华盛世", "墙体裂缝", "外墙裂缝雨天渗水，上次修补后又出现。", 20, "resolved", source="visit_day",
        reopened=True)
    fire = add("满春园社区", "颐海苑", "消防通道",
               "南门较小不具备消防车通行条件，东门外为“T”字路口，路窄弯急，消防车进入困难，请协调解决消防通道问题。",
               12, "in_progress", source="opinion_box")
    db.session.add_all(all_events)
    db.session.flush()
    # The fire lane goes to a meeting of 满春园社区 (a new draft).
    from ..meetings.models import MeetingKind

    fire_street = fire.community.street_id
    kind = db.session.scalar(select(MeetingKind).where(MeetingKind.street_id == fire_street, MeetingKind.name == "物业联席会议")) \
        or db.session.scalar(select(MeetingKind).where(MeetingKind.street_id == fire_street).order_by(MeetingKind.id))
    if kind is not None:
        when = datetime.combine(local_today() + timedelta(days=5), datetime.min.time()).replace(hour=19)
        services.escalate(fire, None, kind.id, when, user=None)
    # The opinion box's demo entries (notices' loader) get a category where it is clear.
    for receipt_end, category in (("DM01", "公共设施维修"), ("DM02", "消防通道")):
        item = db.session.scalar(select(ResidentRequest).where(ResidentRequest.receipt_no.endswith(receipt_end)))
        if item is not None and item.status in ("received", "in_progress"):
            item.status = "received"
            item.category_id = cats[(item.community.street.name, category)].id
            services.route(item, user=None)
    db.session.flush()
