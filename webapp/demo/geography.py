"""Where the demo's places are: the reports' real geography, as data.

Every city, district, street (街道 or 镇), community and compound below is where one of the
five reports in shared/seeds/ puts it, with the figures the report gives:

- 000 青岛市 青岛西海岸新区 隐珠街道 双珠路社区: 珠海一区, 珠海二区, 齐发小区, 恒安福苑,
  职业中专家属楼; 7 grid party branches; 120 buildings, 112 红色管家.
- 001 济宁市 任城区 济阳街道: 30 grid party branches, 33 业委会/自管会 of which 13 自管会,
  水景花苑 (the model 业委会), 47 charging piles in 3 communities, 34 social organisations.
- 002 吕梁市 离石区: 泛华盛世小区 (泛华物业公司党支部, 11 党小组, 说事议事会).
- 003 中卫市 中宁县 宁安镇 宁华社区: 3 compounds, 83 buildings, 1,453 households (东城嘉园物业);
  银川市 金凤区: 满城北街街道 满春园社区 (颐海苑, 505 households), 黄河东路街道 福通社区
  (福通小区, 4 party members on its 业委会), 北京中路街道 锦绣苑社区 (17 old compounds,
  132 楼道红管家); 吴忠市 同心县 豫海镇 永春社区 (6 compounds, 9 grids, 3 grid branches).
- 004 石家庄市 长安区: 高营镇 (6 old compounds, 普和小区), 青园街道 (园东园 joined with
  谈阁小区北院, 谈固15号楼 and 教育宿舍: 12 buildings); 新华区 北苑街道 变电街社区 (华润宿舍,
  逸辉物业).

Where a report names no place, the demo says so in the name: such names contain 示例
(离石示例街道, 济阳示例一社区 …), never a real-sounding name the reports do not give. Figures
a report does not give (most buildings and households, the grids of most communities) are
modest made-up numbers; the figures it does give are exact. Households are a number on
each building, never rows.

Region codes are the 12-digit 统计用区划代码 of the cities and districts (the six-digit
administrative code padded with zeros); streets and communities carry none, since the
reports give none.
"""
from datetime import date

# city, code, [(district, code)]
CITIES = [
    ("青岛市", "370200000000", [("青岛西海岸新区", "370211000000")]),
    ("济宁市", "370800000000", [("任城区", "370811000000")]),
    ("吕梁市", "141100000000", [("离石区", "141102000000")]),
    ("中卫市", "640500000000", [("中宁县", "640521000000")]),
    ("银川市", "640100000000", [("金凤区", "640106000000")]),
    ("吴忠市", "640300000000", [("同心县", "640324000000")]),
    ("石家庄市", "130100000000", [("长安区", "130102000000"), ("新华区", "130105000000")]),
]

DEFAULT_PARTY = ["街道党工委", "社区党委", "网格党支部", "楼院党小组"]
TOWN_PARTY = ["镇党委", "社区党委", "网格党支部", "楼院党小组"]
DEFAULT_GOVERNANCE = ["社区居委会", "居民小组"]

# name, credit-code prefix (17 characters), staff, party members, form, org name, instructor,
# manager (name, note). Companies are registered once; `compounds` below say whom they serve.
COMPANIES = [
    ("泛华物业服务有限公司", "91141102MA0K00001", 46, 7, "own", "泛华物业公司党支部", None,
     ("孙立华", "项目经理、公司党支部书记")),
    ("东城嘉园物业服务有限公司", "91640521MA7600221", 38, 4, "joint", "东城片区物业联合党支部", None,
     ("马春生", "项目经理")),
    ("隐珠安居物业管理有限公司", "91370211MA3D45678", 25, 2, "instructor", "", "刘建国", ("高晓东", "项目经理")),
    ("热诚物业管理有限公司", "91370700MA3E11223", 30, 5, "affiliated", "挂靠社区党委", None, ("林海燕", "项目经理、党员")),
    ("恒安物业服务有限公司", "91370211MA3F99887", 20, 4, "none", "", None, ("郑德福", "项目经理")),  # breaks the rule
    ("济宁水景物业有限公司", "91370811MA3G55443", 18, 1, "none", "", None, ("宋玉梅", "项目经理")),  # breaks the rule
    ("任城安泰物业服务有限公司", "91370811MA3H20301", 22, 3, "joint", "济阳物业联合党支部", None, ("曹志强", "项目经理")),
    ("济宁运河物业管理有限公司", "91370811MA3J40502", 16, 2, "instructor", "", "许国庆", ("彭小红", "项目经理")),
    ("宁夏凤城物业服务有限公司", "91640106MA7711305", 60, 9, "own", "凤城物业党支部", None, ("梁文静", "项目经理、党支部书记")),
    ("同心豫海物业服务有限公司", "91640324MA7800412", 24, 3, "joint", "豫海镇物业联合党支部", None, ("马德福", "项目经理")),
    ("荣盛物业服务有限公司", "91130102MA0A11207", 52, 6, "own", "长安区荣盛物业党支部", None, ("韩立新", "项目经理")),
    ("逸辉物业服务有限公司", "91130105MA0B22318", 14, 2, "instructor", "", "冯建华", ("邓海燕", "项目经理")),
]


def _numbered(prefix, count, start=1, **fields):
    return [dict(name=f"{prefix}{i}", **fields) for i in range(start, start + count)]


def _compound(name, kind, mode, company, buildings, households, partner=None, **extra):
    return dict(name=name, kind=kind, mode=mode, company=company, buildings=buildings,
                households=households, partner=partner, **extra)


FANHUA, ANTAI, YUNHE, RECHENG, SHUIJING = ("泛华物业服务有限公司", "任城安泰物业服务有限公司", "济宁运河物业管理有限公司",
                                           "热诚物业管理有限公司", "济宁水景物业有限公司")
# 济阳's compounds with an 业委会, community by community: (company, old?). 7 + 7 + 6 = 20.
JIYANG_OWNERS = {
    1: [(SHUIJING, False), (FANHUA, True), (FANHUA, True), (ANTAI, False), (RECHENG, False), (SHUIJING, False),
        (YUNHE, False)],
    2: [(FANHUA, True), (FANHUA, True), (YUNHE, False), (ANTAI, False), (RECHENG, False), (YUNHE, False),
        (ANTAI, False)],
    3: [(ANTAI, False), (YUNHE, False), (RECHENG, False), (SHUIJING, False), (RECHENG, False), (YUNHE, False)],
}


def _jiyang_compounds(community_no):
    """济阳: 33 compounds with a committee each (20 业委会, 13 自管会), 11 per community.

    Only 水景花苑 is named in the report; the others are 示例 compounds. 泛华物业 serves
    packs of adjacent old compounds (成方连片: the first one, the next joined to it), so it
    serves two streets (泛华盛世 is in 离石区)."""
    label = "一二三"[community_no - 1]
    out = []
    for i, (company, old) in enumerate(JIYANG_OWNERS[community_no]):
        if community_no == 1 and i == 0:
            out.append(_compound("水景花苑", "commodity", "company", company, 18, 640, committee=("owners", 9, 2)))
            continue
        name = f"济阳{label}社区示例{'老旧' if old else ''}小区{i + 1}"
        joined = old and out and out[-1]["kind"] == "old"
        out.append(_compound(name, "old" if old else "commodity", "joined" if joined else "company", company,
                             4 if old else 6, 96 if old else 240, committee=("owners", 5, 2 + i % 2)))
    for i in range(len(out), 11):  # 4 + 4 + 5 = 13 自管会 in 三无 compounds and single buildings
        single = i % 2 == 0
        name = f"济阳{label}社区示例{'独楼' if single else '院落'}{i + 1}"
        out.append(_compound(name, "single" if single else "three_no", "self", None, 1 if single else 2,
                             24 if single else 60, committee=("self", 3, 1)))
    return out


def _jinxiuyuan_compounds():
    """锦绣苑社区: 17 old compounds and 132 buildings, each with its 楼道红管家."""
    out = [_compound("锦绣苑小区", "old", "company", "宁夏凤城物业服务有限公司", 20, 640, committee=("owners", 7, 3))]
    for i in range(2, 18):
        out.append(_compound(f"锦绣苑社区示例老旧小区{i}", "old", "company" if i % 4 else "self",
                             "宁夏凤城物业服务有限公司" if i % 4 else None, 7, 168))
    return out


# Street: key, name, slug, district, coverage target, tiers, root unit, communities.
# Community: name, slug, grids, grid branches (None: one per grid), the community's party
# unit, its governance root (branches are named "<community>第一网格党支部" unless
# branch_prefix=False: then "第一网格党支部" under each community's unit), compounds, stewards (how many buildings have one; None: two
# of every three), lowest-tier party groups [(compound, count)] (None: the first two
# compounds and every self-managed one).
STREETS = [
    dict(key="yinzhu", name="隐珠街道", slug="yinzhu", district="青岛西海岸新区", target=date(2026, 12, 31),
         # 000: 社区党委——网格党支部——楼院党小组——党员中心户 below the street's office; the
         # demo stops at 楼院党小组 (a street admin adds the 党员中心户 level when needed).
         party=["街道物业办", "社区党委", "网格党支部", "楼院党小组"],
         governance=["城市社区居委会", "居民小组", "红色业委会（红色物业）", "社区益家义工（楼院管家）"],
         root="隐珠街道物业办",
         communities=[dict(
             name="双珠路社区", slug="shuangzhu", grids=7, branches=7, unit="双珠路社区党委", gov="双珠路社区居委会",
             stewards=112,
             compounds=[
                 _compound("珠海一区", "old", "company", "隐珠安居物业管理有限公司", 40, 1280,
                           committee=("owners", 7, 4, "珠海一区红色业主委员会")),
                 _compound("珠海二区", "old", "entrusted", "隐珠安居物业管理有限公司", 35, 1050, partner="珠海一区"),
                 _compound("齐发小区", "commodity", "company", "热诚物业管理有限公司", 25, 900,
                           committee=("owners", 5, 3, "齐发小区红色业主委员会")),
                 _compound("恒安福苑", "commodity", "company", "恒安物业服务有限公司", 19, 760),
                 _compound("职业中专家属楼", "single", "self", None, 1, 36, committee=("self", 3, 1)),
             ])]),
    dict(key="jiyang", name="济阳街道", slug="jiyang", district="任城区", target=date(2026, 12, 31),
         party=["街道物业办", "社区环物委", "网格党支部", "楼院党小组"],
         governance=["社区居委会", "社会组织"],
         root="济阳街道物业办",
         communities=[dict(name=f"济阳示例{label}社区", slug="jiyang" if n == 1 else f"jiyang{n}", grids=10, branches=10,
                           unit=f"济阳示例{label}社区环物委", gov=f"济阳示例{label}社区居委会", branch_prefix=False,
                           compounds=_jiyang_compounds(n), charging_piles=piles)
                      for n, label, piles in ((1, "一", 18), (2, "二", 16), (3, "三", 13))]),
    dict(key="lishi", name="离石示例街道", slug="lishi", district="离石区", target=date(2026, 12, 31),
         party=["街道党工委", "社区大党委", "小区党支部", "党小组"],
         governance=["社区居委会", "小区党群服务站", "说事议事厅"],
         root="离石示例街道党工委",
         communities=[dict(
             name="泛华盛世示例社区", slug="fanhua", grids=1, branches=1, unit="泛华盛世示例社区大党委",
             gov="泛华盛世示例社区居委会", branch_names=["泛华盛世小区党支部"],
             groups=[("泛华盛世", 11)],
             compounds=[_compound("泛华盛世", "commodity", "company", "泛华物业服务有限公司", 13, 1100,
                                  committee=("owners", 9, 5))])]),
    dict(key="ningan", name="宁安镇", slug="ningan", district="中宁县", target=date(2026, 12, 31),
         party=["镇党委", "社区党支部", "网格党支部", "楼院党小组"],
         governance=["社区居委会", "红色物业联盟"],
         root="宁安镇党委",
         communities=[dict(
             name="宁华社区", slug="ninghua", grids=3, unit="宁华社区党支部", gov="宁华社区居委会",
             compounds=[
                 _compound("东城嘉园", "commodity", "company", "东城嘉园物业服务有限公司", 40, 700, committee=("owners", 7, 3)),
                 _compound("宁华社区示例小区二", "commodity", "company", "东城嘉园物业服务有限公司", 28, 480),
                 _compound("宁华社区示例小区三", "commodity", "company", "东城嘉园物业服务有限公司", 15, 273),
             ])]),
    dict(key="manchengbeijie", name="满城北街街道", slug="manchengbeijie", district="金凤区", target=date(2027, 6, 30),
         party=DEFAULT_PARTY, governance=DEFAULT_GOVERNANCE, root="满城北街街道党工委",
         communities=[dict(
             name="满春园社区", slug="manchunyuan", grids=3, unit="满春园社区党委", gov="满春园社区居委会",
             compounds=[_compound("颐海苑", "old", "company", "宁夏凤城物业服务有限公司", 14, 505,
                                  committee=("owners", 7, 5, "颐海苑红色业主委员会"),
                                  note="始建于2000年，505户1500余人。")])]),
    dict(key="huanghedonglu", name="黄河东路街道", slug="huanghedonglu", district="金凤区", target=date(2027, 6, 30),
         party=DEFAULT_PARTY, governance=DEFAULT_GOVERNANCE, root="黄河东路街道党工委",
         communities=[dict(
             name="福通社区", slug="futong", grids=2, unit="福通社区党委", gov="福通社区居委会",
             compounds=[_compound("福通小区", "commodity", "company", "宁夏凤城物业服务有限公司", 12, 420,
                                  committee=("owners", 7, 4, "福通小区红色业主委员会", date(2022, 1, 1)))])]),
    dict(key="beijingzhonglu", name="北京中路街道", slug="beijingzhonglu", district="金凤区", target=date(2027, 6, 30),
         party=DEFAULT_PARTY, governance=DEFAULT_GOVERNANCE, root="北京中路街道党工委",
         communities=[dict(
             name="锦绣苑社区", slug="jinxiuyuan", grids=4, unit="锦绣苑社区党委", gov="锦绣苑社区居委会",
             stewards=132, steward_label="楼道红管家", compounds=_jinxiuyuan_compounds())]),
    dict(key="yuhai", name="豫海镇", slug="yuhai", district="同心县", target=date(2027, 6, 30),
         party=["镇党委", "社区党总支", "网格党支部", "楼栋党小组"], governance=DEFAULT_GOVERNANCE, root="豫海镇党委",
         communities=[dict(
             name="永春社区", slug="yongchun", grids=9, branches=3, unit="永春社区党总支", gov="永春社区居委会",
             compounds=[
                 _compound("皓月新苑", "commodity", "company", "同心豫海物业服务有限公司", 10, 480),
                 _compound("新家园A区", "commodity", "company", "同心豫海物业服务有限公司", 12, 560),
                 _compound("永春社区示例小区三", "commodity", "company", "同心豫海物业服务有限公司", 8, 320),
                 _compound("永春社区示例小区四", "commodity", "company", "同心豫海物业服务有限公司", 8, 300),
                 _compound("永春社区示例小区五", "old", "self", None, 4, 120, committee=("self", 5, 2)),
                 _compound("永春社区示例小区六", "old", "self", None, 3, 90, committee=("self", 3, 1)),
             ])]),
    dict(key="gaoying", name="高营镇", slug="gaoying", district="长安区", target=date(2026, 6, 30),
         party=TOWN_PARTY, governance=DEFAULT_GOVERNANCE, root="高营镇党委",
         communities=[dict(
             name="高营镇示例社区", slug="gaoying", grids=2, unit="高营镇示例社区党委", gov="高营镇示例社区居委会",
             compounds=[_compound("普和小区", "old", "company", "荣盛物业服务有限公司", 6, 180)]
             + [_compound(f"高营镇示例老旧小区{i}", "old", "company", "荣盛物业服务有限公司", 4, 110) for i in range(2, 7)])]),
    dict(key="qingyuan", name="青园街道", slug="qingyuan", district="长安区", target=date(2026, 6, 30),
         party=DEFAULT_PARTY, governance=DEFAULT_GOVERNANCE, root="青园街道党工委",
         communities=[dict(
             name="青园街道示例社区", slug="qingyuan", grids=1, unit="青园街道示例社区党委", gov="青园街道示例社区居委会",
             compounds=[
                 _compound("园东园", "old", "joined", "荣盛物业服务有限公司", 8, 260),
                 _compound("谈阁小区北院", "old", "joined", "荣盛物业服务有限公司", 2, 64, partner="园东园"),
                 _compound("谈固15号楼", "single", "joined", "荣盛物业服务有限公司", 1, 30, partner="园东园"),
                 _compound("教育宿舍", "single", "joined", "荣盛物业服务有限公司", 1, 28, partner="园东园"),
             ])]),
    dict(key="beiyuan", name="北苑街道", slug="beiyuan", district="新华区", target=date(2026, 6, 30),
         party=DEFAULT_PARTY, governance=DEFAULT_GOVERNANCE, root="北苑街道党工委",
         communities=[dict(
             name="变电街社区", slug="biandianjie", grids=1, unit="变电街社区党委", gov="变电街社区居委会",
             compounds=[_compound("华润宿舍", "old", "company", "逸辉物业服务有限公司", 3, 72,
                                  note="2019年底在北苑街道办事处支持下，变电街社区引进“红色物业”逸辉物业。")])]),
]

# 济阳's social organisations (三社联动): five the report names, 34 in all.
JIYANG_SOCIAL_ORGS = ["老妈妈爱心针线坊", "大姐帮帮团", "爱在草桥", "古乐之韵", "八一服务团"]
JIYANG_SOCIAL_ORG_TOTAL = 34

# Named people from the reports: name, street key, community, party member, kind, note.
NAMED = [
    ("张英", "yinzhu", "双珠路社区", True, "resident", "双珠路社区党委书记"),
    ("赵清华", "yinzhu", "双珠路社区", False, None, "珠海一区居民"),
    ("潘维海", "yinzhu", "双珠路社区", True, "resident", "珠海二区居民"),
    ("罗永梅", "yuhai", "永春社区", True, "resident", "永春社区党总支书记、居委会主任"),
    ("王英", "yuhai", "永春社区", True, "resident", "永春社区网格员"),
    ("马晓娟", "yuhai", "永春社区", False, None, "永春社区网格员"),
    ("赵英", "manchengbeijie", "满春园社区", True, "resident", "满春园社区党委书记"),
    ("张玉", "ningan", "宁华社区", True, "resident", "宁华社区党支部书记"),
    ("李芝霞", "ningan", "宁华社区", False, None, "宁华社区居民"),
    ("冯雪娟", "beijingzhonglu", "锦绣苑社区", True, "resident", "锦绣苑社区党委书记"),
    ("翟董武", "beijingzhonglu", "锦绣苑社区", True, "resident", "锦绣苑社区“楼道红管家”"),
    ("冯惠青", "beiyuan", "变电街社区", False, None, "华润宿舍居民"),
    ("王勇", "beiyuan", "变电街社区", False, None, "华润宿舍居民"),
    ("白建军", "lishi", "泛华盛世示例社区", True, "resident", "泛华盛世小区党支部书记"),
    ("陈志强", "jiyang", "济阳示例一社区", True, "resident", "济阳示例一社区环物委主任"),
]
