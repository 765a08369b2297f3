"""Demo notices and opinions, from the reports, each on its own street's board: service
content, fee standards, public income, red stewards, resolutions posted as notices, 济阳's
visit day and its 47 charging piles, 长安区's 金牌红色物业 selection. Plus one of each
hidden kind in 双珠路 — a draft, a scheduled one, an expired one and a withdrawn one —
which must never show."""
from datetime import timedelta

from ..extensions import db
from ..models_base import utcnow
from ..requests.models import ResidentRequest
from . import files
from .models import Notice, NoticeAttachment, local_now

FEES_ZHUHAI = """根据《青岛市物业服务收费管理办法》及业主大会决定，珠海一区物业服务收费标准公示如下：

- 多层住宅物业服务费：0.55 元/平方米·月
- 带电梯住宅物业服务费：0.95 元/平方米·月
- 地面停车位管理费：60 元/个·月
- 生活垃圾清运：已含在物业服务费内，不另行收费

收费标准经业主委员会审议通过，物业公司不得擅自提高标准或增加收费项目。如有疑问，请联系物业服务中心或社区。"""

SERVICE_ZHUHAI = """隐珠安居物业管理有限公司在珠海一区提供以下物业服务：

# 日常服务
- 公共区域卫生每日清扫，垃圾当日清运
- 绿化养护每月不少于两次
- 24 小时门岗值守，夜间巡逻每晚两次

# 维修服务
- 公共设施报修 30 分钟内响应，一般维修 24 小时内完成
- 每月第二个星期六为“走访日”，项目经理入户听取意见

物业服务人员中的党员亮牌上岗，接受居民监督。"""

INCOME_QIFA = """齐发小区 2026 年第三季度公共收益收支情况如下：

- 电梯广告收入：12,600 元
- 公共停车位收入：8,400 元
- 支出：单元门禁维修 5,200 元，健身器材更换 7,800 元
- 结余：8,000 元，存入小区公共收益专户

以上收支经小区红色业主委员会审核。居民可到社区查阅明细账目。"""

STEWARDS_SHUANGZHU = """双珠路社区号召社区党员和群众担任居民楼楼长，组建“红色管家”队伍。社区共有居民楼 120 栋，已招募“红色管家”112 人。

红色管家负责收集楼内居民意见、协助物业开展服务、调解邻里纠纷。各楼红色管家名单见各小区公示页面；同意公开的，附联系电话。"""

VISIT_DAY = """为进一步倾听群众心声，街道物业办联合各物业服务企业开展“走访日”活动，变“坐等上门”为“主动问需”：

- 时间：每月第二周六上午 9:00—11:30
- 方式：物业项目经理、网格员、红色管家共同入户走访
- 内容：收集居民对环境卫生、停车秩序、维修服务等方面的意见

居民也可通过“红色意见箱”在线反映问题，社区将在 5 个工作日内答复。"""

SERVICE_FUTONG = """宁夏凤城物业服务有限公司（公司党支部，党员 9 名）在福通小区的服务内容：

- 门岗 24 小时值守，外来车辆登记
- 楼道卫生每周清扫两次，生活垃圾当日清运
- 邻里漏水等纠纷，会同小区“红色业委会”上门协调

公司党员在岗亮牌，接受业主监督。"""

SHUANGZHU_YIJIA = """双珠路社区立足“一体两翼三维服务”党建工作模式，围绕“社区益家”微实事项目开展系列活动：

- 垃圾分类“见‘圾’行事”、防灾减灾情景模拟
- “全民健身，太极拳进社区”、免费义诊、知识讲座
- “废物利用手工制作”“筑梦双珠趣学暑假”

今年以来已开展主题活动 70 多场。欢迎居民报名参加，也可通过“红色意见箱”提出活动建议。"""

REGULATIONS_YINZHU = """隐珠街道办事处推动辖区各居委会以社区党组织牵头，强化公共服务、公益服务、志愿服务“三维”服务，推行“一次办好”服务模式。

近期将在各社区宣传《物业管理条例》，帮助居民了解物业企业和业主个人的权利和义务。"""

CHARGING = """为防止电动车上楼充电，社区运行电动车平价充电桩 {piles} 组（街道在 3 个社区共运行 47 组）：

- 收费：按街道统一平价标准
- 报修：联系物业服务中心或网格员"""

JINXIU_STEWARDS = """锦绣苑社区所辖 17 个老旧小区，2017 年起探索打造“小巷管家”，其中“楼道红管家” 132 人。

“楼道红管家”记录居民需求，为辖区困难群体提供志愿服务，协助化解矛盾纠纷。各楼“楼道红管家”名单见各小区公示页面。"""

YONGCHUN_GRIDS = """永春社区建立“红色网格”：辖区 6 个小区划分为 9 个网格，成立 3 个网格党支部，网格员全部由社区“两委”成员担任。

网格员下沉到包片网格巡查，主动发现问题、解决问题。居民有事可直接联系本网格网格员。"""

HUARUN = """在北苑街道办事处支持下，变电街社区为华润宿舍引进“红色物业”——逸辉物业服务有限公司：

- 更换新的自动门，拆除私搭乱建
- 铺设便道砖，更换栏杆，增加绿化种植
- 重新规划停车位"""

FEES_FUTONG = """福通小区物业服务收费标准：

- 住宅物业服务费：0.85 元/平方米·月
- 商业网点物业服务费：1.50 元/平方米·月
- 地下车位管理费：80 元/个·月"""

FANHUA_TALK = """泛华盛世小区“说事议事会”第五次会议商定：

- 漏水、墙体裂缝问题由物业于 11 月底前完成排查维修
- 暖气不热住户由供热公司入户测温，物业全程跟进
- 底商油烟、噪音问题由社区协调市场监管部门现场处理

自首次说事议事会以来，共解决漏水、墙体裂缝、暖气不热、邻里纠纷、底商油烟噪音等 5 类 30 余个问题。"""

INCOME_FANHUA = """泛华盛世小区 2026 年 1—9 月公共收益收支：

- 收入：电梯广告 21,000 元，快递柜场地费 6,000 元
- 支出：充电桩线路改造 9,600 元，楼道照明更换 4,300 元
- 结余：13,100 元"""

NINGHUA = """宁华社区成立小区网格、业委会、物业公司、业主、党员志愿者及其他社会组织“六方联动”的红色物业联盟。

社区开展“敲门行动”、设置“红色意见箱”，做到“易事马上办，难题合力破”。欢迎居民通过线上意见箱反映问题。"""

STREET_GOLD = """为推动党建引领物业服务提质增效，根据市、区两级“金牌红色物业”评选安排，街道组织辖区物业服务企业参评：

- 评选对象：辖区内各物业服务企业
- 评选标准：“5+3”模式——垃圾当日清、违建全拆除、安全有保障、停车有秩序、维修要及时；突出党建引领、凝聚道德力量、涵养社区文化
- 结果在各社区公示栏公布"""


FEE_ROWS = [
    ("项目", "标准"),
    ("多层住宅物业服务费", "0.55 元/平方米·月"),
    ("带电梯住宅物业服务费", "0.95 元/平方米·月"),
    ("地面停车位管理费", "60 元/个·月"),
    ("生活垃圾清运", "含在物业服务费内"),
]
_fee_png = None


def fee_table_png():
    """The fee table as a small PNG (drawn once per process), attached like a scan."""
    global _fee_png
    if _fee_png is None:
        import io

        from PIL import Image, ImageDraw, ImageFont

        try:
            font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 22)
        except OSError:
            font = ImageFont.load_default()
        img = Image.new("L", (640, 60 + 44 * len(FEE_ROWS)), 255)
        draw = ImageDraw.Draw(img)
        draw.text((20, 14), "珠海一区物业服务收费标准", font=font, fill=0)
        for i, (item, fee) in enumerate(FEE_ROWS):
            y = 56 + 44 * i
            draw.rectangle((20, y, 620, y + 44), outline=0)
            draw.line((340, y, 340, y + 44), fill=0)
            draw.text((32, y + 8), item, font=font, fill=0)
            draw.text((352, y + 8), fee, font=font, fill=0)
        buf = io.BytesIO()
        img.save(buf, "PNG", optimize=True)
        _fee_png = buf.getvalue()
    return _fee_png


def load(demo):
    now = local_now().replace(second=0, microsecond=0)
    staff = demo.users.get("shuangzhu_staff")
    admin = demo.users.get("street_admin")
    jiyang = demo.users.get("jiyang_staff")
    jiyang_admin = demo.users.get("jiyang_admin")
    c = demo.communities
    p = demo.compounds
    s = demo.streets

    def add(title, body, category, community=None, compound=None, author=None, status="published",
            published=timedelta(days=3), expires=None, pinned=False, withdraw=None, street=None):
        community = compound.community if compound is not None else community
        notice = Notice(
            title=title, body=body, category=category, community=community, compound=compound,
            street_id=community.street_id if community is not None else street.id,
            status=status, publish_at=(now - published) if status != "draft" and published is not None else None,
            expires_at=(now + expires) if expires is not None else None, pinned=pinned,
            author_id=author.id if author else None,
        )
        if withdraw:
            notice.status = "withdrawn"
            notice.withdrawn_at = now - timedelta(hours=5)
            notice.withdraw_reason = withdraw
        db.session.add(notice)
        return notice

    db.session.flush()
    # 隐珠街道 · 双珠路社区
    add("双珠路社区“社区益家”微实事活动安排", SHUANGZHU_YIJIA, "notice", community=c["双珠路社区"], author=staff,
        published=timedelta(days=2), pinned=True)
    add("珠海一区物业服务内容公示", SERVICE_ZHUHAI, "service", compound=p["珠海一区"], author=staff, published=timedelta(days=20))
    fees = add("珠海一区物业服务收费标准", FEES_ZHUHAI, "fees", compound=p["珠海一区"], author=staff, published=timedelta(days=20))
    png = fee_table_png()
    fees.attachments.append(NoticeAttachment(filename="珠海一区收费标准表.png", stored_name=files.store(png, "png"),
                                             mime="image/png", size=len(png)))
    add("齐发小区2026年第三季度公共收益收支公示", INCOME_QIFA, "income", compound=p["齐发小区"], author=staff,
        published=timedelta(days=10), expires=timedelta(days=30))
    add("双珠路社区“红色管家”队伍公示", STEWARDS_SHUANGZHU, "stewards", community=c["双珠路社区"], author=staff,
        published=timedelta(days=15))
    add("珠海一区关于绿化整治和车辆停放的议事决议", "经红色业主委员会、物业、居民代表协商议定：\n\n- 小区主干道两侧施划停车位，禁止占用消防通道\n- 绿化带补植由物业负责，费用从公共收益中列支",
        "resolution", compound=p["珠海一区"], author=staff, published=timedelta(days=6))
    # The four that must never show on the public board.
    add("关于冬季供暖设施检修的通知", "供暖设施检修安排：11 月 30 日起逐楼检修。", "notice", community=c["双珠路社区"],
        author=staff, published=-timedelta(days=3))
    add("关于夏季防汛值班安排的通知", "汛期值班安排（已结束）。", "notice", community=c["双珠路社区"], author=staff,
        published=timedelta(days=120), expires=-timedelta(days=30))
    add("关于恒安福苑电梯停运的通知", "电梯停运通知（时间有误，已撤回）。", "notice", compound=p["恒安福苑"], author=staff,
        published=timedelta(days=1), withdraw="停运时间写错，已另行通知。")
    add("关于征集小区停车管理方案意见的通知", "草稿：停车管理方案（未定稿）。", "notice", community=c["双珠路社区"],
        author=staff, status="draft")
    add("隐珠街道关于宣传《物业管理条例》推行“一次办好”的通知", REGULATIONS_YINZHU, "notice", street=s["yinzhu"],
        author=admin, published=timedelta(days=7), expires=timedelta(days=60))

    # 济阳街道
    add("关于开展每月“走访日”活动的通知", VISIT_DAY, "notice", street=s["jiyang"], author=jiyang_admin,
        published=timedelta(days=2), pinned=True)
    add("水景花苑物业服务内容公示", "济宁水景物业有限公司在水景花苑提供日常保洁、绿化养护、门岗值守和公共设施维修服务。",
        "service", compound=p["水景花苑"], author=jiyang, published=timedelta(days=12))
    add("关于济阳一社区示例老旧小区2外墙保温和小区封闭改造的通知",
        "外墙保温、小区封闭改造工程将于下月开工，施工期间请居民配合：\n\n- 施工时间：每日 8:00—18:00\n- 车辆请停放在指定区域",
        "notice", compound=p["济阳一社区示例老旧小区2"], author=jiyang, published=timedelta(days=4))
    for spec_name, piles in (("济阳示例一社区", 18), ("济阳示例二社区", 16), ("济阳示例三社区", 13)):
        add(f"{spec_name}电动车平价充电桩运行公示", CHARGING.format(piles=piles), "notice", community=c[spec_name],
            author=jiyang_admin, published=timedelta(days=14))
    # 离石区 · 泛华盛世
    add("泛华盛世“说事议事会”议定事项公示", FANHUA_TALK, "resolution", compound=p["泛华盛世"], published=timedelta(days=8))
    add("泛华盛世2026年1—9月公共收益收支公示", INCOME_FANHUA, "income", compound=p["泛华盛世"], published=timedelta(days=9))
    # 宁安镇 · 宁华社区
    add("宁华社区“六方联动”红色物业联盟告居民书", NINGHUA, "notice", community=c["宁华社区"], published=timedelta(days=5))
    # 金凤区
    add("福通小区物业服务内容公示", SERVICE_FUTONG, "service", compound=p["福通小区"], published=timedelta(days=12))
    add("福通小区物业服务收费标准", FEES_FUTONG, "fees", compound=p["福通小区"], published=timedelta(days=12))
    add("锦绣苑社区“楼道红管家”队伍公示", JINXIU_STEWARDS, "stewards", community=c["锦绣苑社区"], published=timedelta(days=15))
    # 同心县 · 永春社区
    add("永春社区“红色网格”划分公示", YONGCHUN_GRIDS, "notice", community=c["永春社区"], published=timedelta(days=6))
    # 石家庄
    add("华润宿舍引进“红色物业”服务内容公示", HUARUN, "service", compound=p["华润宿舍"], published=timedelta(days=30))
    add("关于开展“金牌红色物业”评选的通知", STREET_GOLD, "notice", street=s["qingyuan"], published=timedelta(days=7),
        expires=timedelta(days=60))

    # A few opinions in the inbox (the online opinion box).
    today = f"{now:%Y%m%d}"
    opinions = [
        ("双珠路社区", "珠海一区", "3号楼楼道灯坏了一个多星期，晚上上下楼很不方便，请尽快维修。", "王女士", "13805320001", "in_progress",
         "已转物业维修，预计本周内完成。"),
        ("双珠路社区", "齐发小区", "小区东门晚上常有车辆占用消防通道，希望物业加强管理。", "", "", "received", ""),
        ("双珠路社区", None, "建议在社区广场增加几张休息座椅，方便老年人。", "老李", "", "resolved", "已在社区广场新增座椅 6 张，谢谢您的建议。"),
        ("济阳示例一社区", "济阳一社区示例老旧小区2", "外墙保温施工噪音太大，能否调整施工时间？", "", "13905370002", "received", ""),
        ("福通社区", "福通小区", "家中卫生间天花板不断渗污水，怀疑楼上下水管道漏水，两家协商不成，请社区帮忙。", "", "", "resolved",
         "“红色业委会”已分别入户协调，两户就赔偿与维修达成一致。"),
    ]
    for i, (community, compound, text, name, phone, status, reply) in enumerate(opinions, start=1):
        db.session.add(ResidentRequest(
            receipt_no=f"YJ{today}-DM{i:02d}", source="online_box", community=c[community],
            street_id=c[community].street_id,
            compound=p.get(compound) if compound else None, text=text, name=name, phone=phone, status=status,
            public_reply=reply, handled_at=utcnow() if status == "resolved" else None,
        ))
