"""The street's structure: communities, grids, compounds, buildings, companies, people,
the organisation tree, cross-appointments and the demo accounts."""
from datetime import date

from ..appointments.models import CrossAppointment
from ..auth.services import create_user
from ..companies.credit_code import make_code
from ..companies.models import PropertyCompany
from ..compounds.models import (CITY_LEVEL, DEFAULT_REGION_TIERS, DISTRICT_LEVEL, Building, Community, Compound, Grid,
                                OwnersCommittee, Region, RegionTier, Street)
from ..extensions import db
from ..people.models import Person, Position
from ..structure.models import OrgTier, OrgUnit

DEMO_PASSWORD = "hongye-demo"

PARTY_TIERS = ["街道物业办", "社区环物委", "网格党支部", "楼院党小组"]
GOVERNANCE_TIERS = ["居委会", "居民小组", "红色业委会（红色物业）", "社区益家义工（楼院管家）"]

# name, credit-code prefix, staff, party members, form, org name, instructor
COMPANIES = [
    ("泛华物业服务有限公司", "91370703MA3C0001X", 46, 7, "own", "泛华物业公司党支部", None),
    ("东城嘉园物业服务有限公司", "91640100MA7600221", 38, 4, "joint", "东城片区物业联合党支部", None),
    ("隐珠安居物业管理有限公司", "91370211MA3D45678", 25, 2, "instructor", "", "刘建国"),
    ("热诚物业管理有限公司", "91370700MA3E11223", 30, 5, "affiliated", "挂靠社区党委", None),
    ("恒安物业服务有限公司", "91370211MA3F99887", 20, 4, "none", "", None),  # breaks the rule
    ("济宁水景物业有限公司", "91370811MA3G55443", 18, 1, "none", "", None),  # breaks the rule
]

# community, slug, grids, compounds: (name, kind, mode, company, buildings, households, partner)
COMMUNITIES = [
    ("双珠路社区", "shuangzhu", 7, [
        ("珠海一区", "old", "company", "隐珠安居物业管理有限公司", 40, 1280, None),
        ("珠海二区", "old", "entrusted", "隐珠安居物业管理有限公司", 35, 1050, "珠海一区"),
        ("齐发小区", "commodity", "company", "热诚物业管理有限公司", 25, 900, None),
        ("恒安福苑", "commodity", "company", "恒安物业服务有限公司", 19, 760, None),
        ("双珠路17号楼", "single", "self", None, 1, 36, None),
    ]),
    ("济阳社区", "jiyang", 4, [
        ("水景花苑", "commodity", "company", "济宁水景物业有限公司", 18, 640, None),
        ("福通小区", "commodity", "company", "泛华物业服务有限公司", 12, 420, None),
        ("建设巷小区", "three_no", "self", None, 6, 150, None),
        ("文化路片区", "old", "joined", "泛华物业服务有限公司", 9, 300, None),
    ]),
    ("永春社区", "yongchun", 9, [
        ("泛华盛世", "commodity", "company", "泛华物业服务有限公司", 22, 1100, None),
        ("永春里", "old", "merged", "泛华物业服务有限公司", 4, 96, "泛华盛世"),
    ]),
    ("宁华社区", "ninghua", 3, [
        ("东城嘉园", "commodity", "company", "东城嘉园物业服务有限公司", 40, 700, None),
        ("宁华苑", "commodity", "company", "东城嘉园物业服务有限公司", 28, 480, None),
        ("宁安小区", "old", "cooperative", "东城嘉园物业服务有限公司", 15, 273, None),
    ]),
    ("满春园社区", "manchunyuan", 3, [
        ("颐海苑", "commodity", "company", "热诚物业管理有限公司", 14, 505, None),
    ]),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "建国秀英桂兰志强海燕丽华玉梅明辉小红春生凤英德福淑珍永刚晓东红霞立新文静国庆金花"

# Named people from the reports: name, community, company, party member, kind, note
NAMED = [
    ("张英", "双珠路社区", None, True, "resident", "双珠路社区党委书记"),
    ("赵清华", "双珠路社区", None, False, None, "珠海一区居民"),
    ("潘维海", "双珠路社区", None, True, "resident", "珠海二区居民"),
    ("罗永梅", "永春社区", None, True, "resident", "永春社区党总支书记、居委会主任"),
    ("赵英", "满春园社区", None, True, "resident", "满春园社区党委书记"),
    ("李芝霞", "宁华社区", None, False, None, "宁华社区居民"),
    ("翟董武", "宁华社区", None, True, "working", "小区党支部书记"),
]


def _generated_name(i):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 2) % len(GIVEN)] + GIVEN[(i * 2 + 1) % len(GIVEN)]


def _phone(i):
    return f"138{(i * 7919) % 100000000:08d}"


def load(demo):
    region_tiers = {level: RegionTier(level=level, name=name) for level, name in DEFAULT_REGION_TIERS.items()}
    db.session.add_all(region_tiers.values())
    city = Region(tier=region_tiers[CITY_LEVEL], name="青岛市", code="370200000000")
    district = Region(tier=region_tiers[DISTRICT_LEVEL], parent=city, name="青岛西海岸新区", code="370211000000")
    db.session.add_all([city, district])
    demo.regions = {"青岛市": city, "青岛西海岸新区": district}
    street = Street(name="隐珠街道", region=district, slug="yinzhu", coverage_target_date=date(2026, 12, 31))
    db.session.add(street)
    db.session.flush()
    demo.street = street

    for name, prefix, staff, members, form, org_name, instructor in COMPANIES:
        company = PropertyCompany(
            name=name, credit_code=make_code(prefix), staff_count=staff, party_members=members,
            party_org_form=form, party_org_name=org_name, instructor_name=instructor,
            contact_person="", contact_phone="0532-8888" + str(len(demo.companies) + 1000),
            registered_street_id=street.id,
        )
        db.session.add(company)
        demo.companies[name] = company
    db.session.flush()

    tiers = {}
    for tree, names in (("party", PARTY_TIERS), ("governance", GOVERNANCE_TIERS)):
        for level, tier_name in enumerate(names, start=1):
            tiers[(tree, level)] = OrgTier(street=street, tree=tree, level=level, name=tier_name)
            db.session.add(tiers[(tree, level)])
    root = OrgUnit(street=street, tier=tiers[("party", 1)], name="隐珠街道物业办")
    db.session.add(root)

    counter = 0
    for cname, slug, grid_count, compounds in COMMUNITIES:
        community = Community(street=street, name=cname, slug=slug)
        db.session.add(community)
        demo.communities[cname] = community
        grids = [Grid(community=community, name=f"第{'一二三四五六七八九十'[i]}网格") for i in range(grid_count)]
        db.session.add_all(grids)
        committee_unit = OrgUnit(tier=tiers[("party", 2)], parent=root, name=f"{cname}环物委", community=community)
        db.session.add(committee_unit)
        # 双珠路: 7 grid party branches; elsewhere one per grid, at most 3 (永春: 9 grids, 3 branches).
        branch_count = grid_count if slug == "shuangzhu" else min(grid_count, 3)
        branches = []
        for i in range(branch_count):
            branch = OrgUnit(
                tier=tiers[("party", 3)], parent=committee_unit, community=community,
                grid=grids[i], name=f"{cname}{grids[i].name}党支部",
            )
            branches.append(branch)
            db.session.add(branch)
        gov_root = OrgUnit(tier=tiers[("governance", 1)], name=f"{cname}居委会", community=community)
        db.session.add(gov_root)
        for i in range(min(grid_count, 3)):
            db.session.add(OrgUnit(tier=tiers[("governance", 2)], parent=gov_root, community=community,
                                   name=f"第{'一二三'[i]}居民小组"))

        for index, (name, kind, mode, company_name, buildings, households, partner) in enumerate(compounds):
            compound = Compound(
                community=community, grid=grids[index % grid_count], name=name, kind=kind,
                management_mode=mode, company=demo.companies.get(company_name),
                partner=demo.compounds.get(partner), address=f"{cname}{name}",
            )
            db.session.add(compound)
            demo.compounds[name] = compound
            per = households // buildings
            for b in range(buildings):
                counter += 1
                building = Building(compound=compound, name=f"{b + 1}号楼", households=per + (1 if b < households % buildings else 0))
                # 双珠路: 112 of 120 buildings have a red steward; elsewhere most do.
                has_steward = (slug == "shuangzhu" and b < buildings - (2 if buildings > 10 else 0)) or (slug != "shuangzhu" and b % 3 != 2)
                if has_steward:
                    steward = Person(name=_generated_name(counter), phone=_phone(counter), community=community,
                                     is_party_member=counter % 2 == 0, membership_kind="resident" if counter % 2 == 0 else None,
                                     note=f"{name}{b + 1}号楼红色管家")
                    db.session.add(steward)
                    building.steward = steward
                    building.steward_role = "red_steward" if kind != "single" else "building_head"
                    building.steward_phone_public = counter % 4 != 0
                db.session.add(building)
            if index < 2 or kind == "three_no" or mode == "self":
                group = OrgUnit(tier=tiers[("party", 4)], parent=branches[index % len(branches)], community=community,
                                compound=compound, name=f"{name}楼院党小组")
                db.session.add(group)

    # Owners' committees: 红色业委会 in 珠海一区, 齐发小区, 福通小区 (4 party members), 颐海苑; 自管会 in 三无/单楼.
    committees = [
        ("珠海一区", "owners", "珠海一区红色业主委员会", 7, 4),
        ("齐发小区", "owners", "齐发小区红色业主委员会", 5, 3),
        ("福通小区", "owners", "福通小区业主委员会", 7, 4),
        ("水景花苑", "owners", "水景花苑业主委员会", 9, 2),  # below 50%: shows in the gap view
        ("颐海苑", "owners", "颐海苑红色业主委员会", 7, 5),
        ("泛华盛世", "owners", "泛华盛世业主委员会", 9, 5),
        ("建设巷小区", "self", "建设巷小区自管会", 5, 2),
        ("双珠路17号楼", "self", "双珠路17号楼自管会", 3, 1),
    ]
    for compound_name, kind, name, members, party in committees:
        committee = OwnersCommittee(compound=demo.compounds[compound_name], kind=kind, name=name, members=members,
                                    party_members=party, term_start=date(2025, 3, 1), term_end=date(2030, 2, 28))
        db.session.add(committee)
        demo.compounds[compound_name]._demo_committee = committee

    for name, cname, company, party, kind, note in NAMED:
        person = Person(name=name, phone=_phone(len(demo.people) + 5000), community=demo.communities.get(cname),
                        is_party_member=party, membership_kind=kind, note=note)
        db.session.add(person)
        demo.people[name] = person
    # Company managers and party secretaries.
    managers = {
        "泛华物业服务有限公司": ("孙立华", "项目经理、公司党支部书记"),
        "东城嘉园物业服务有限公司": ("马春生", "项目经理"),
        "隐珠安居物业管理有限公司": ("高晓东", "项目经理"),
        "热诚物业管理有限公司": ("林海燕", "项目经理、党员"),
        "恒安物业服务有限公司": ("郑德福", "项目经理"),
        "济宁水景物业有限公司": ("宋玉梅", "项目经理"),
    }
    for company_name, (person_name, note) in managers.items():
        person = Person(name=person_name, phone=_phone(len(demo.people) + 6000), company=demo.companies[company_name],
                        is_party_member=True, membership_kind="working", note=note)
        db.session.add(person)
        demo.people[person_name] = person
        db.session.add(Position(person=person, role="项目经理", company=demo.companies[company_name],
                                is_leader=True, start_date=date(2024, 1, 1)))
    db.session.flush()
    units = {u.name: u for u in db.session.query(OrgUnit).all()}
    db.session.add(Position(person=demo.people["张英"], role="书记", org_unit=units["双珠路社区环物委"], is_leader=True, start_date=date(2021, 6, 1)))
    db.session.add(Position(person=demo.people["罗永梅"], role="书记", org_unit=units["永春社区环物委"], is_leader=True, start_date=date(2022, 1, 1)))
    db.session.add(Position(person=demo.people["赵英"], role="书记", org_unit=units["满春园社区环物委"], is_leader=True, start_date=date(2021, 1, 1)))
    db.session.add(Position(person=demo.people["潘维海"], role="委员", org_unit=units["双珠路社区第一网格党支部"], start_date=date(2023, 3, 1)))

    # Cross-appointments: 泛华 and 东城嘉园 both ways; gaps elsewhere (恒安福苑, 水景花苑 …).
    ca = [
        ("孙立华", "company_in", "泛华物业服务有限公司", "永春社区环物委", None, "泛华盛世", "永春社区", "公司党支部书记", "兼职委员", "永春党发〔2024〕3号"),
        ("罗永梅", "community_in", "泛华物业服务有限公司", "永春社区环物委", None, "泛华盛世", "永春社区", "社区党总支书记", "公司党支部兼职委员", "永春党发〔2024〕3号"),
        ("马春生", "company_in", "东城嘉园物业服务有限公司", "宁华社区环物委", None, "东城嘉园", "宁华社区", "项目经理", "兼职委员", "宁华党发〔2025〕1号"),
        ("林海燕", "company_in", "热诚物业管理有限公司", None, "齐发小区红色业主委员会", "齐发小区", "双珠路社区", "项目经理", "业委会党支部委员", "双珠党字〔2025〕7号"),
        ("翟董武", "community_in", "东城嘉园物业服务有限公司", None, None, "宁华苑", "宁华社区", "小区党支部书记", "物业联合党支部委员", "宁华党发〔2025〕2号"),
    ]
    committees_by_name = {c.name: c for c in db.session.query(OwnersCommittee).all()}
    for person, direction, company, unit, committee, compound, community, home, host, doc in ca:
        db.session.add(CrossAppointment(
            person=demo.people[person], direction=direction, company=demo.companies[company],
            org_unit=units.get(unit) if unit else None, committee=committees_by_name.get(committee) if committee else None,
            compound=demo.compounds[compound], community=demo.communities[community],
            home_role=home, host_role=host, start_date=date(2025, 1, 1), approval_document=doc,
        ))
    # An ended one: history stays visible but does not count.
    db.session.add(CrossAppointment(
        person=demo.people["郑德福"], direction="company_in", company=demo.companies["恒安物业服务有限公司"],
        org_unit=units["双珠路社区环物委"], compound=demo.compounds["恒安福苑"], community=demo.communities["双珠路社区"],
        home_role="项目经理", host_role="兼职委员", start_date=date(2023, 1, 1), end_date=date(2024, 12, 31),
        approval_document="双珠党字〔2023〕2号",
    ))

    accounts = [
        ("street_admin", "隐珠街道物业办 王主任", "street_admin", {"street": street}),
        ("shuangzhu_staff", "双珠路社区 李干事", "community_staff", {"community": demo.communities["双珠路社区"]}),
        ("jiyang_staff", "济阳社区 陈干事", "community_staff", {"community": demo.communities["济阳社区"]}),
        ("grid_worker", "双珠路社区第一网格 周网格员", "grid_worker", {"grid": demo.compounds["珠海一区"].grid}),
        ("company_manager", "泛华物业 孙立华", "company_user", {"company": demo.companies["泛华物业服务有限公司"], "person": demo.people["孙立华"]}),
        ("resident_rep", "居民代表 赵清华", "resident_rep", {"person": demo.people["赵清华"], "street": street}),
        # Above the street: they read every street of their district / city, write none.
        ("district_staff", "西海岸新区住建局 物业科 孔科长", "district_staff", {"region": district}),
        ("city_staff", "青岛市住房城乡建设局 物业处 钱处长", "city_staff", {"region": city}),
        # 三员分立: accounts, security policy, audit log (each signs in with a second factor).
        ("system_admin", "隐珠街道 系统管理员 刘工", "system_admin", {}),
        ("security_admin", "隐珠街道 安全管理员 韩工", "security_admin", {}),
        ("audit_admin", "隐珠街道 审计管理员 何工", "audit_admin", {}),
    ]
    for username, display, role, places in accounts:
        demo.users[username] = create_user(username, DEMO_PASSWORD, role, display, **places)
