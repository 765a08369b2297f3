"""The demo's structure: cities and districts, streets, communities, grids, compounds,
buildings, companies, people, each street's organisation tree, cross-appointments and the
demo accounts. The places and figures are in `geography` (from the five reports)."""
from datetime import date

from ..appointments.models import CrossAppointment
from ..auth.services import create_user
from ..companies.credit_code import make_code
from ..companies.models import PropertyCompany
from ..compounds.models import (
    CITY_LEVEL, DEFAULT_REGION_TIERS, DISTRICT_LEVEL, Building, Community, Compound, Grid, OwnersCommittee, Region,
    RegionTier, Street,
)
from ..extensions import db
from ..people.models import Person, Position
from ..structure.models import OrgTier, OrgUnit
from .geography import CITIES, COMPANIES, JIYANG_SOCIAL_ORG_TOTAL, JIYANG_SOCIAL_ORGS, NAMED, STREETS

DEMO_PASSWORD = "hongye-demo"

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "建国秀英桂兰志强海燕丽华玉梅明辉小红春生凤英德福淑珍永刚晓东红霞立新文静国庆金花"
GRID_NUMERALS = "一二三四五六七八九十"


def _generated_name(i):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 2) % len(GIVEN)] + GIVEN[(i * 2 + 1) % len(GIVEN)]


def _phone(i):
    return f"138{(i * 7919) % 100000000:08d}"


def _grid_name(i):
    """第一网格 … 第十网格."""
    return f"第{GRID_NUMERALS[i]}网格"


class _Counter:
    """Numbers the generated stewards so their names and phones differ."""

    value = 0

    def next(self):
        self.value += 1
        return self.value


def _regions(demo):
    """The tiers above the street and the cities and districts the reports name."""
    tiers = {level: RegionTier(level=level, name=name) for level, name in DEFAULT_REGION_TIERS.items()}
    db.session.add_all(tiers.values())
    for city_name, city_code, districts in CITIES:
        city = Region(tier=tiers[CITY_LEVEL], name=city_name, code=city_code)
        db.session.add(city)
        demo.regions[city_name] = city
        for district_name, district_code in districts:
            district = Region(tier=tiers[DISTRICT_LEVEL], parent=city, name=district_name, code=district_code)
            db.session.add(district)
            demo.regions[district_name] = district


def _companies(demo):
    """Each company once, whichever streets it serves."""
    for i, (name, prefix, staff, members, form, org_name, instructor, _manager) in enumerate(COMPANIES):
        company = PropertyCompany(
            name=name, credit_code=make_code(prefix), staff_count=staff, party_members=members,
            party_org_form=form, party_org_name=org_name, instructor_name=instructor,
            contact_person="", contact_phone=f"0{'532' if prefix[2:6] == '3702' else '400'}-8888{1000 + i}",
        )
        db.session.add(company)
        demo.companies[name] = company


def _committee(compound, spec):
    kind, members, party = spec[:3]
    name = spec[3] if len(spec) > 3 else f"{compound.name}{'业主委员会' if kind == 'owners' else '自管会'}"
    start = spec[4] if len(spec) > 4 else date(2025, 3, 1)
    committee = OwnersCommittee(compound=compound, kind=kind, name=name, members=members, party_members=party,
                                term_start=start, term_end=date(start.year + 5, start.month, 1))
    db.session.add(committee)
    return committee


def _street(demo, spec, counter):
    """One street: its own tiers and tree, communities, grids, compounds, buildings, committees."""
    street = Street(name=spec["name"], slug=spec["slug"], region=demo.regions[spec["district"]],
                    coverage_target_date=spec["target"])
    db.session.add(street)
    db.session.flush()  # street-owned rows below carry its id
    demo.streets[spec["key"]] = street
    tiers = {}
    for tree in ("party", "governance"):
        for level, tier_name in enumerate(spec[tree], start=1):
            tiers[(tree, level)] = OrgTier(street_id=street.id, tree=tree, level=level, name=tier_name)
            db.session.add(tiers[(tree, level)])
    root = OrgUnit(street_id=street.id, tier=tiers[("party", 1)], name=spec["root"])
    db.session.add(root)
    demo.units[spec["root"]] = root
    for cspec in spec["communities"]:
        _community(demo, street, cspec, tiers, root, len(spec["party"]), counter)
    return street


def _community(demo, street, cspec, tiers, root, party_depth, counter):
    cname = cspec["name"]
    community = Community(street=street, name=cname, slug=cspec["slug"])
    db.session.add(community)
    demo.communities[cname] = community
    grids = [Grid(community=community, name=_grid_name(i)) for i in range(cspec["grids"])]
    db.session.add_all(grids)
    demo.grids[cname] = grids
    unit = OrgUnit(street_id=street.id, tier=tiers[("party", 2)], parent=root, name=cspec["unit"], community=community)
    db.session.add(unit)
    demo.units[cspec["unit"]] = unit
    branch_names = cspec.get("branch_names")
    branch_count = len(branch_names) if branch_names else (cspec.get("branches") or cspec["grids"])
    branches = []
    for i in range(branch_count):
        branch = OrgUnit(street_id=street.id, tier=tiers[("party", 3)], parent=unit, community=community, grid=grids[i],
                         name=branch_names[i] if branch_names else
                         f"{cname if cspec.get('branch_prefix', True) else ''}{grids[i].name}党支部")
        branches.append(branch)
        db.session.add(branch)
        demo.units[branch.name] = branch
    gov_root = OrgUnit(street_id=street.id, tier=tiers[("governance", 1)], name=cspec["gov"], community=community)
    db.session.add(gov_root)
    demo.units[cspec["gov"]] = gov_root
    demo.gov_roots[cname] = gov_root
    if ("governance", 2) in tiers and tiers[("governance", 2)].name == "居民小组":
        for i in range(min(cspec["grids"], 3)):
            db.session.add(OrgUnit(street_id=street.id, tier=tiers[("governance", 2)], parent=gov_root,
                                   community=community, name=f"第{GRID_NUMERALS[i]}居民小组"))

    stewards = cspec.get("stewards")
    total_buildings = sum(c["buildings"] for c in cspec["compounds"])
    without = total_buildings - stewards if stewards is not None else None
    steward_label = cspec.get("steward_label", "红色管家")
    groups = dict(cspec.get("groups") or [])
    for index, c in enumerate(cspec["compounds"]):
        compound = Compound(
            community=community, street_id=street.id, grid=grids[index % len(grids)], name=c["name"], kind=c["kind"],
            management_mode=c["mode"], company=demo.companies.get(c["company"]), partner=demo.compounds.get(c["partner"]),
            address=f"{cname}{c['name']}", note=c.get("note", ""),
        )
        db.session.add(compound)
        demo.compounds[c["name"]] = compound
        buildings, households = c["buildings"], c["households"]
        per = households // buildings
        for b in range(buildings):
            n = counter.next()
            building = Building(compound=compound, name=f"{b + 1}号楼",
                                households=per + (1 if b < households % buildings else 0))
            if without is not None:
                # The report's exact count: the last two buildings of large compounds have none.
                has_steward = not (without > 0 and buildings > 10 and b >= buildings - 2)
                if not has_steward:
                    without -= 1
            else:
                has_steward = b % 3 != 2
            if has_steward:
                steward = Person(name=_generated_name(n), phone=_phone(n), community=community, street_id=street.id,
                                 is_party_member=n % 2 == 0, membership_kind="resident" if n % 2 == 0 else None,
                                 note=f"{c['name']}{b + 1}号楼{steward_label}")
                db.session.add(steward)
                building.steward = steward
                building.steward_role = "building_head" if c["kind"] == "single" else "red_steward"
                building.steward_phone_public = n % 4 != 0
            db.session.add(building)
        count = groups.get(c["name"])
        if count is None:
            count = 1 if index < 2 or c["mode"] == "self" else 0
        if party_depth >= 4:
            for g in range(count):
                name = f"{c['name']}楼院党小组" if count == 1 else f"{c['name']}第{g + 1}党小组"
                db.session.add(OrgUnit(street_id=street.id, tier=tiers[("party", 4)], parent=branches[index % len(branches)],
                                       community=community, compound=compound, name=name))
        if c.get("committee"):
            demo.committees[c["name"]] = _committee(compound, c["committee"])


def _jiyang_social_orgs(demo):
    """济阳's 34 social organisations (三社联动), under the communities' 居委会: the five the
    report names, then 示例 ones up to the report's total."""
    street = demo.streets["jiyang"]
    tier = db.session.query(OrgTier).filter_by(street_id=street.id, tree="governance", level=2).one()
    roots = [demo.gov_roots[c["name"]] for c in next(s for s in STREETS if s["key"] == "jiyang")["communities"]]
    names = JIYANG_SOCIAL_ORGS + [f"济阳示例社会组织{i}" for i in range(len(JIYANG_SOCIAL_ORGS) + 1, JIYANG_SOCIAL_ORG_TOTAL + 1)]
    for i, name in enumerate(names):
        root = roots[i % len(roots)]
        db.session.add(OrgUnit(street_id=street.id, tier=tier, parent=root, community=root.community, name=name))


def _people(demo):
    for name, street_key, cname, party, kind, note in NAMED:
        person = Person(name=name, phone=_phone(len(demo.people) + 5000), community=demo.communities[cname],
                        street_id=demo.streets[street_key].id, is_party_member=party, membership_kind=kind, note=note)
        db.session.add(person)
        demo.people[name] = person
    # A company's manager (and the company's registration) belongs to the street of the
    # company's first compound; other streets see the company through their compounds.
    first_street = {}
    for spec in STREETS:
        for cspec in spec["communities"]:
            for c in cspec["compounds"]:
                if c["company"]:
                    first_street.setdefault(c["company"], demo.streets[spec["key"]])
    for company_name, *_rest, (person_name, note) in COMPANIES:
        company = demo.companies[company_name]
        company.registered_street_id = first_street[company_name].id
        person = Person(name=person_name, phone=_phone(len(demo.people) + 6000), company=company,
                        street_id=first_street[company_name].id, is_party_member=True, membership_kind="working",
                        note=note)
        db.session.add(person)
        demo.people[person_name] = person
        db.session.add(Position(person=person, role="项目经理", company=company, is_leader=True, start_date=date(2024, 1, 1)))
    units = demo.units
    for person, role, unit, start in (
        ("张英", "书记", "双珠路社区党委", date(2021, 6, 1)),
        ("罗永梅", "书记", "永春社区党总支", date(2022, 1, 1)),
        ("赵英", "书记", "满春园社区党委", date(2021, 1, 1)),
        ("张玉", "书记", "宁华社区党支部", date(2021, 1, 1)),
        ("冯雪娟", "书记", "锦绣苑社区党委", date(2020, 1, 1)),
        ("白建军", "书记", "泛华盛世小区党支部", date(2022, 1, 1)),
        ("陈志强", "主任", "济阳示例一社区环物委", date(2022, 1, 1)),
    ):
        db.session.add(Position(person=demo.people[person], role=role, org_unit=units[unit], is_leader=True, start_date=start))
    db.session.add(Position(person=demo.people["潘维海"], role="委员", org_unit=units["双珠路社区第一网格党支部"],
                            start_date=date(2023, 3, 1)))
    # 翟董武 is one of 锦绣苑's 132 楼道红管家: the steward of 锦绣苑小区 1号楼.
    first = next(b for b in demo.compounds["锦绣苑小区"].buildings if b.name == "1号楼")
    generated, first.steward = first.steward, demo.people["翟董武"]
    db.session.delete(generated)


def _appointments(demo):
    """Cross-appointments (交叉任职): 泛华 both ways at 泛华盛世 and in 济阳, 东城嘉园 at 宁华,
    热诚 on 齐发小区's 业委会, 安泰 on a 济阳 业委会, 凤城 at 满春园; gaps elsewhere (恒安福苑,
    水景花苑 …)."""
    ca = [
        ("孙立华", "company_in", "泛华物业服务有限公司", "泛华盛世示例社区大党委", None, "泛华盛世", "泛华盛世示例社区",
         "公司党支部书记", "兼职委员", "离石示例党发〔2024〕3号"),
        ("白建军", "community_in", "泛华物业服务有限公司", "泛华盛世示例社区大党委", None, "泛华盛世", "泛华盛世示例社区",
         "小区党支部书记", "公司党支部兼职委员", "离石示例党发〔2024〕4号"),
        ("马春生", "company_in", "东城嘉园物业服务有限公司", "宁华社区党支部", None, "东城嘉园", "宁华社区",
         "项目经理", "兼职委员", "宁华党发〔2025〕1号"),
        ("张玉", "community_in", "东城嘉园物业服务有限公司", None, None, "东城嘉园", "宁华社区",
         "社区党支部书记", "物业联合党支部委员", "宁华党发〔2025〕2号"),
        ("林海燕", "company_in", "热诚物业管理有限公司", None, "齐发小区", "齐发小区", "双珠路社区",
         "项目经理", "业委会党支部委员", "双珠党字〔2025〕7号"),
        ("梁文静", "company_in", "宁夏凤城物业服务有限公司", "满春园社区党委", None, "颐海苑", "满春园社区",
         "物业党支部书记", "兼职委员", "满春园党发〔2025〕1号"),
        # 001 济阳: "物业公司党组织负责人和社区、业委会党组织负责人交叉兼任支部委员".
        ("孙立华", "company_in", "泛华物业服务有限公司", "济阳示例一社区环物委", None, "济阳一社区示例老旧小区2",
         "济阳示例一社区", "公司党支部书记", "环物委兼职委员", "济阳党发〔2024〕5号"),
        ("陈志强", "community_in", "泛华物业服务有限公司", "济阳示例一社区环物委", None, "济阳一社区示例老旧小区2",
         "济阳示例一社区", "环物委主任", "公司党支部兼职委员", "济阳党发〔2024〕6号"),
        ("曹志强", "company_in", "任城安泰物业服务有限公司", None, "济阳一社区示例小区4", "济阳一社区示例小区4",
         "济阳示例一社区", "联合党支部委员", "业委会党支部委员", "济阳党发〔2025〕2号"),
    ]
    for person, direction, company, unit, committee, compound, community, home, host, doc in ca:
        db.session.add(CrossAppointment(
            person=demo.people[person], direction=direction, company=demo.companies[company],
            org_unit=demo.units.get(unit) if unit else None, committee=demo.committees.get(committee) if committee else None,
            compound=demo.compounds[compound], community=demo.communities[community],
            street_id=demo.communities[community].street_id,
            home_role=home, host_role=host, start_date=date(2025, 1, 1), approval_document=doc,
        ))
    # An ended one: history stays visible but does not count.
    db.session.add(CrossAppointment(
        person=demo.people["郑德福"], direction="company_in", company=demo.companies["恒安物业服务有限公司"],
        org_unit=demo.units["双珠路社区党委"], compound=demo.compounds["恒安福苑"], community=demo.communities["双珠路社区"],
        street_id=demo.streets["yinzhu"].id, home_role="项目经理", host_role="兼职委员", start_date=date(2023, 1, 1),
        end_date=date(2024, 12, 31), approval_document="双珠党字〔2023〕2号",
    ))


def _accounts(demo):
    s, c, r = demo.streets, demo.communities, demo.regions
    accounts = [
        ("street_admin", "隐珠街道物业办 王主任", "street_admin", {"street": s["yinzhu"]}),
        ("jiyang_admin", "济阳街道物业办 任主任", "street_admin", {"street": s["jiyang"]}),
        ("shuangzhu_staff", "双珠路社区 李干事", "community_staff", {"community": c["双珠路社区"]}),
        ("jiyang_staff", "济阳示例一社区 陈干事", "community_staff", {"community": c["济阳示例一社区"]}),
        ("grid_worker", "双珠路社区第一网格 周网格员", "grid_worker", {"grid": demo.compounds["珠海一区"].grid}),
        ("company_manager", "泛华物业 孙立华", "company_user",
         {"company": demo.companies["泛华物业服务有限公司"], "person": demo.people["孙立华"]}),
        ("resident_rep", "居民代表 赵清华", "resident_rep", {"person": demo.people["赵清华"], "street": s["yinzhu"]}),
        # Above the street: they read every street of their district / city, write none.
        ("district_staff", "西海岸新区住建局 物业科 孔科长", "district_staff", {"region": r["青岛西海岸新区"]}),
        ("city_staff", "青岛市住房城乡建设局 物业处 钱处长", "city_staff", {"region": r["青岛市"]}),
        # 三员分立: accounts, security policy, audit log (each signs in with a second factor).
        ("system_admin", "隐珠街道 系统管理员 刘工", "system_admin", {}),
        ("security_admin", "隐珠街道 安全管理员 韩工", "security_admin", {}),
        ("audit_admin", "隐珠街道 审计管理员 何工", "audit_admin", {}),
    ]
    for username, display, role, places in accounts:
        demo.users[username] = create_user(username, DEMO_PASSWORD, role, display, **places)


def load(demo):
    _regions(demo)
    _companies(demo)
    counter = _Counter()
    for spec in STREETS:
        _street(demo, spec, counter)
    demo.street = demo.streets["yinzhu"]
    db.session.flush()
    _jiyang_social_orgs(demo)
    _people(demo)
    _appointments(demo)
    _accounts(demo)
