"""Demo meetings from the reports, each in its report's street: 泛华盛世's 说事议事会 from
20 September on (离石区, seed 002), a 济阳 物业联席会议 with police, market supervision and
safety (seed 001), 颐海苑's fire-lane decision (满城北街街道) and 锦绣苑's sewer main
(北京中路街道, seed 003), 双珠路's residents' representatives (seed 000); approved minutes,
a draft, open and overdue tasks (today is 2026-11-23). Every street gets the default
meeting kinds and the three 三会三公开 requirements."""
from datetime import date, datetime

from ..clock import utc_from_local
from ..extensions import db
from .models import (
    ABSENT, APOLOGY, APPROVED, DEFAULT_KINDS, DRAFT, PRESENT, SUBMITTED, TASK_DONE, AgendaItem, Attendee, FollowUpTask,
    Meeting, MeetingKind, Requirement, Resolution,
)

FANHUA_PEOPLE = [
    ("白建军", "泛华盛世小区党支部", "书记", None, PRESENT),
    ("孙立华", "泛华物业服务有限公司", "项目经理、公司党支部书记", "泛华物业服务有限公司", PRESENT),
    ("王建国", "泛华盛世业主委员会", "主任", None, PRESENT),
    ("李秀英", "泛华盛世业主委员会", "委员", None, PRESENT),
    ("张志强", "泛华盛世3号楼", "楼长", None, PRESENT),
    ("刘海燕", "泛华盛世7号楼", "红色管家", None, PRESENT),
    ("陈丽华", "居民代表", "", None, APOLOGY),
    ("杨明辉", "居民代表", "", None, PRESENT),
    ("黄小红", "泛华盛世党小组", "组长", None, ABSENT),
]

FANHUA_MEETINGS = [
    # (day, title, agenda [(title, discussion)], resolutions [(text, publish)], tasks [(what, owner, company?, due, done note)], status)
    (date(2026, 9, 20), "泛华盛世第一次说事议事会", [
        ("楼顶及管道漏水问题", "居民反映3号楼、7号楼顶层雨天漏水，11号楼地下管道渗漏。物业表示已排查，需维修资金。"),
        ("外墙裂缝问题", "5号楼、9号楼外墙出现裂缝，居民担心脱落伤人。业委会建议请专业机构检测。"),
        ("议事规则", "确定每两周召开一次说事议事会，居民问题先收集、再分类、后协商。"),
        ("文体器材", "居民希望小区有健身、活动器材。区文旅局和区卫健委捐赠乒乓球台、羽毛球网、棋牌桌、健身器材等10多件。"),
    ], [
        ("3号楼、7号楼楼顶漏水由泛华物业先行维修，费用按规定申请维修资金。", True),
        ("外墙裂缝委托专业机构检测，检测前设置警示区域。", True),
        ("说事议事会每两周召开一次，会议结果在公示栏公开。", True),
    ], [
        ("维修3号楼、7号楼楼顶防水", "孙立华", True, date(2026, 10, 15), "10月12日完成防水层修补，雨后回访无渗漏。"),
        ("外墙裂缝警示区域设置及检测委托", "王建国", False, date(2026, 10, 10), "9月25日设置警示带，已委托检测机构。"),
    ], APPROVED),
    (date(2026, 10, 4), "泛华盛世第二次说事议事会", [
        ("冬季暖气不热问题", "供暖前摸排，2号楼、12号楼往年暖气不热，疑为管道堵塞和失衡。"),
        ("地下管道渗漏", "11号楼地下管道已找到漏点，需协调供热公司共同维修。"),
    ], [
        ("供暖前由物业会同供热公司对2号楼、12号楼管网冲洗、调平衡。", True),
    ], [
        ("2号楼、12号楼暖气管网冲洗、调平衡", "泛华物业服务有限公司", True, date(2026, 11, 10), ""),
    ], APPROVED),
    (date(2026, 10, 18), "泛华盛世第三次说事议事会", [
        ("邻里纠纷：楼上漏水渗到楼下", "8号楼两户因卫生间渗水发生纠纷，网格员与楼长先行调解。"),
        ("邻里纠纷：楼道堆物", "4号楼楼道堆放杂物，影响通行和消防安全。"),
    ], [
        ("8号楼渗水由物业出具检测意见，双方按检测结果协商赔偿，社区调解。", False),
        ("楼道堆物限期一周自行清理，逾期由物业统一清理。", True),
    ], [
        ("8号楼渗水检测及调解", "张志强", False, date(2026, 11, 1), "11月1日双方签订调解协议。"),
        ("4号楼楼道堆物清理", "泛华物业服务有限公司", True, date(2026, 10, 25), "10月26日清理完毕。"),
    ], APPROVED),
    (date(2026, 11, 1), "泛华盛世第四次说事议事会", [
        ("底商油烟扰民", "沿街底商3家餐馆油烟直排，楼上住户窗户无法打开。"),
        ("底商夜间噪音", "烧烤店夜间营业至凌晨，噪音扰民。"),
    ], [
        ("底商油烟问题提请市场监管所督促加装净化设备，30日内整改。", True),
        ("夜间22时后停止室外经营，社区与物业联合巡查。", True),
    ], [
        ("督促底商加装油烟净化设备", "市场监管所", False, date(2026, 12, 1), ""),
        ("夜间噪音联合巡查（每周两次）", "孙立华", True, date(2026, 11, 20), ""),
    ], APPROVED),
    (date(2026, 11, 15), "泛华盛世第五次说事议事会", [
        ("五类问题办理情况汇总", "五次议事会共收集问题36个：漏水11个、外墙裂缝6个、暖气不热8个、邻里纠纷7个、底商油烟噪音4个，已解决32个。"),
        ("下一步工作", "未解决问题列入跟进任务，下次会议通报。"),
    ], [
        ("未解决的4个问题在12月底前办结，逐项在公示栏公开进度。", True),
    ], [
        ("整理五类问题台账并公示", "白建军", False, date(2026, 12, 5), ""),
    ], DRAFT),
]


def _kinds(street):
    """The default meeting kinds, the street's own (each street may rename or add)."""
    kinds = {}
    for i, name in enumerate(DEFAULT_KINDS, start=1):
        kinds[name] = MeetingKind(street_id=street.id, name=name, sort_order=i * 10)
        db.session.add(kinds[name])
    return kinds


def _meeting(demo, kinds, kind, title, day, community, compound, host, recorder, people, agenda, resolutions, tasks,
             status, place="红色议事厅", convener="社区议事小组", invited="", hour=9):
    m = Meeting(kind=kinds[demo.communities[community].street_id][kind], title=title,
                street_id=demo.communities[community].street_id, starts_at=datetime.combine(day, datetime.min.time()).replace(hour=hour),
                ends_at=datetime.combine(day, datetime.min.time()).replace(hour=hour + 2), place=place,
                community=demo.communities[community], compound=demo.compounds.get(compound), convener=convener,
                host=host, recorder=recorder, invited=invited, status=DRAFT)
    for i, (name, org, role, company, state) in enumerate(people, start=1):
        m.attendees.append(Attendee(name=name, organisation=org, role=role, status=state, position=i,
                                    company=demo.companies.get(company) if company else None))
    for i, (t, d) in enumerate(agenda, start=1):
        m.agenda.append(AgendaItem(title=t, discussion=d, position=i))
    for i, (t, publish) in enumerate(resolutions, start=1):
        m.resolutions.append(Resolution(text=t, publish=publish, position=i))
    company = _company_of(people, demo)
    for what, owner, to_company, due, note in tasks:
        task = FollowUpTask(what=what, owner=owner, due_date=due,
                            owner_company=company if to_company else None)
        if note:
            task.state, task.done_note, task.done_by = TASK_DONE, note, recorder
            task.done_at = utc_from_local(datetime.combine(min(due, date(2026, 11, 20)), datetime.min.time()).replace(hour=17))
        m.tasks.append(task)
    if status in (SUBMITTED, APPROVED):
        m.status = status
        m.submitted_at = utc_from_local(m.ends_at.replace(hour=18))  # stamps are UTC; the story is told in local time
        m.submitted_by = recorder
    if status == APPROVED:
        m.approved_at = utc_from_local(m.ends_at.replace(hour=20))
        m.approved_by = host
    db.session.add(m)
    return m


def _company_of(people, demo):
    for _, _, _, company, _ in people:
        if company:
            return demo.companies[company]
    return None


def load(demo):
    kinds = {street.id: _kinds(street) for street in demo.streets.values()}
    db.session.flush()
    for day, title, agenda, resolutions, tasks, status in FANHUA_MEETINGS:
        _meeting(demo, kinds, "说事议事会", title, day, "泛华盛世示例社区", "泛华盛世", "白建军", "刘海燕", FANHUA_PEOPLE,
                 agenda, resolutions, tasks, status, place="泛华盛世小区说事议事厅",
                 invited="泛华物业、业委会、楼长、红色管家、居民代表")

    jiyang_people = [
        ("陈志强", "济阳示例一社区环物委", "主任", None, PRESENT),
        ("孙立华", "泛华物业服务有限公司", "项目经理", "泛华物业服务有限公司", PRESENT),
        ("宋玉梅", "济宁水景物业有限公司", "项目经理", "济宁水景物业有限公司", PRESENT),
        ("曹志强", "任城安泰物业服务有限公司", "项目经理", "任城安泰物业服务有限公司", PRESENT),
        ("郭建国", "济阳派出所", "公安片警", None, PRESENT),
        ("何丽华", "济阳市场监管所", "执法人员", None, PRESENT),
        ("唐国庆", "街道安监办", "安全员", None, PRESENT),
        ("许淑珍", "济阳一社区示例老旧小区2业主委员会", "主任", None, APOLOGY),
        ("唐文静", "水景花苑业主委员会", "委员", None, PRESENT),
    ]
    _meeting(demo, kinds, "物业联席会议", "济阳示例一社区第四季度物业联席会议", date(2026, 11, 6), "济阳示例一社区", None,
             "陈志强", "唐文静", jiyang_people, [
                 ("小区封闭与车辆停放", "济阳一社区示例老旧小区2外来车辆乱停，消防通道被占；公安片警建议安装道闸并登记车辆。"),
                 ("外墙保温脱落", "水景花苑2栋外墙保温层局部脱落，安全员现场查看后要求立即设置围挡。"),
                 ("环境卫生与沿街商户", "市场监管所通报沿街商户占道经营情况，将与物业联合整治。"),
             ], [
                 ("济阳一社区示例老旧小区2年底前完成道闸安装和车辆登记，公安片警配合清理僵尸车。", True),
                 ("水景花苑外墙保温脱落部位当日设置围挡，两周内完成修复。", True),
                 ("每月第二周六（走访日）由项目经理走访居民，问题在联席会议通报。", True),
             ], [
                 ("济阳一社区示例老旧小区2道闸安装及车辆登记", "孙立华", True, date(2026, 12, 31), ""),
                 ("水景花苑外墙保温修复", "宋玉梅", False, date(2026, 11, 20), ""),
                 ("清理僵尸车", "郭建国（济阳派出所）", False, date(2026, 11, 30), ""),
             ], APPROVED, convener="济阳示例一社区物业议事小组",
             invited="辖区物业企业、业委会、济阳派出所、市场监管所、街道安监办")
    # 颐海苑 (seed 003): the east gate is the only way in for a fire engine, through a
    # narrow T junction; five trees moved, the road widened, lanes and spaces marked.
    yihai_people = [
        ("赵英", "满春园社区党委", "书记", None, PRESENT),
        ("梁文静", "宁夏凤城物业服务有限公司", "项目经理", "宁夏凤城物业服务有限公司", PRESENT),
        ("周国庆", "颐海苑红色业主委员会", "主任", None, PRESENT),
        ("吴金花", "颐海苑居民代表", "", None, PRESENT),
        ("郑春生", "属地消防救援站", "消防监督员", None, PRESENT),
    ]
    _meeting(demo, kinds, "社区事务协调会", "颐海苑消防通道整治协调会", date(2026, 10, 22), "满春园社区", "颐海苑",
             "赵英", "吴金花", yihai_people, [
                 ("消防通道", "颐海苑只有东、南两个门，南门较小不能通行消防车；东门外为“T”字路口，路窄弯急，消防车进入困难。"),
             ], [
                 ("向消防部门和银川市园林管理局申请拓宽东门外道路，移植5棵大树，拓展“T”字路口道面。", True),
                 ("小区消防通道和车位全线画线标识，禁止占用消防通道停车。", True),
             ], [
                 ("消防通道和车位画线标识", "梁文静", True, date(2026, 11, 15), ""),
                 ("大树移植和路口拓宽申请", "周国庆", False, date(2026, 10, 30), "10月28日获批，移植费用1万多元。"),
             ], APPROVED, place="颐海苑物业服务中心")
    # 锦绣苑小区 (seed 003): the sewer main at the south gate, replaced from public income.
    jinxiu_people = [
        ("冯雪娟", "锦绣苑社区党委", "书记", None, PRESENT),
        ("翟董武", "锦绣苑社区", "楼道红管家", None, PRESENT),
        ("梁文静", "宁夏凤城物业服务有限公司", "项目经理", "宁夏凤城物业服务有限公司", PRESENT),
        ("锦绣苑小区业主委员会", "锦绣苑小区业主委员会", "", None, PRESENT),
    ]
    _meeting(demo, kinds, "社区事务协调会", "锦绣苑小区南门下水主管道更换协商会", date(2026, 3, 10), "锦绣苑社区",
             "锦绣苑小区", "冯雪娟", "翟董武", jinxiu_people, [
                 ("南门口下水主管道", "主管道老化严重，去年年底破损塌陷，物业多次疏通维修未能根除，影响居民生活和出行。"),
             ], [
                 ("经专业人员现场勘测，用小区公共收益金更换破损的下水管道。", True),
             ], [
                 ("更换南门口下水主管道", "梁文静", True, date(2026, 3, 31), "3月14日开工，3月底完工。"),
             ], APPROVED, place="锦绣苑社区党群服务中心")
    shuangzhu_people = [
        ("张英", "双珠路社区党委", "书记", None, PRESENT),
        ("高晓东", "隐珠安居物业管理有限公司", "项目经理", "隐珠安居物业管理有限公司", PRESENT),
        ("潘维海", "珠海二区", "居民代表", None, PRESENT),
        ("赵清华", "珠海一区", "居民代表", None, PRESENT),
    ]
    _meeting(demo, kinds, "居民代表会议", "珠海一区居民代表会议", date(2026, 11, 10), "双珠路社区", "珠海一区",
             "张英", "潘维海", shuangzhu_people, [
                 ("老旧小区改造意见征集", "居民代表提出加装路灯、修补道路、增设晾衣架。"),
             ], [
                 ("改造意见汇总后报街道，列入明年改造计划。", True),
             ], [
                 ("汇总改造意见报街道", "张英", False, date(2026, 11, 30), ""),
             ], SUBMITTED)
    # 000: 双珠路's 红色业委会 and residents' representatives settled 齐发小区's fruit trees.
    qifa_people = [
        ("张英", "双珠路社区党委", "书记", None, PRESENT),
        ("林海燕", "热诚物业管理有限公司", "项目经理", "热诚物业管理有限公司", PRESENT),
        ("齐发小区红色业主委员会", "齐发小区红色业主委员会", "", None, PRESENT),
        ("潘维海", "居民代表", "", None, PRESENT),
    ]
    _meeting(demo, kinds, "居民代表会议", "齐发小区果树清理协商会", date(2026, 9, 16), "双珠路社区", "齐发小区",
             "张英", "潘维海", qifa_people, [
                 ("小区果树", "楼前果树多年未修剪，遮挡低层住户采光，落果招引蚊虫；部分居民希望保留。"),
             ], [
                 ("遮挡采光的果树由物业修剪清理，其余果树保留并定期修剪，费用从公共收益中列支。", True),
             ], [
                 ("修剪清理楼前果树", "林海燕", True, date(2026, 10, 15), "10月12日修剪清理完毕，居民回访满意。"),
                 ("果树养护纳入物业服务内容并公示", "张英", False, date(2026, 12, 15), ""),
             ], APPROVED, place="双珠路社区党群服务中心")
    _meeting(demo, kinds, "民情恳谈会", "恒安福苑民情恳谈会", date(2026, 11, 18), "双珠路社区", "恒安福苑",
             "张英", "潘维海", [("张英", "双珠路社区党委", "书记", None, PRESENT),
                              ("郑德福", "恒安物业服务有限公司", "项目经理", "恒安物业服务有限公司", PRESENT)],
             [("电梯维保", "居民反映电梯频繁停运。")], [], [], DRAFT)

    for street in demo.streets.values():
        db.session.add_all([
            Requirement(street_id=street.id, label="每月召开议事协商会议", kind_id=None, period="month", min_count=1),
            Requirement(street_id=street.id, label="每季度召开物业联席会议", kind=kinds[street.id]["物业联席会议"],
                        period="quarter", min_count=1),
            Requirement(street_id=street.id, label="每季度公开会议决议", kind_id=None, period="quarter", min_count=1,
                        needs_publication=True),
        ])
