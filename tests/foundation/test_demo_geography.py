"""The demo's places are where the reports put them, with the reports' figures.

Each assertion names the report (shared/seeds/00N) the figure comes from. The demo is
what a visitor sees first; a wrong district or a figure that differs from the report
would be noticed by anyone who read the article.
"""
from sqlalchemy import func, select

from webapp.auth.models import User
from webapp.companies.models import PropertyCompany
from webapp.compounds.models import Building, Community, Compound, Grid, OwnersCommittee, Region, Street
from webapp.extensions import db
from webapp.people.models import Person
from webapp.structure.models import OrgTier, OrgUnit


def _street(name):
    return db.session.scalar(select(Street).where(Street.name == name))


def _community(name):
    return db.session.scalar(select(Community).where(Community.name == name))


def _count(stmt):
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def _party_units(street_name, level):
    street = _street(street_name)
    return _count(select(OrgUnit.id).join(OrgTier, OrgTier.id == OrgUnit.tier_id)
                  .where(OrgUnit.street_id == street.id, OrgTier.tree == "party", OrgTier.level == level))


def test_every_street_sits_under_its_real_district_and_city(demo):
    assert {s.name: (s.city_name, s.district_name) for s in db.session.scalars(select(Street))} == {
        "隐珠街道": ("青岛市", "青岛西海岸新区"),
        "济阳街道": ("济宁市", "任城区"),
        "离石示例街道": ("吕梁市", "离石区"),
        "宁安镇": ("中卫市", "中宁县"),
        "满城北街街道": ("银川市", "金凤区"),
        "黄河东路街道": ("银川市", "金凤区"),
        "北京中路街道": ("银川市", "金凤区"),
        "豫海镇": ("吴忠市", "同心县"),
        "高营镇": ("石家庄市", "长安区"),
        "青园街道": ("石家庄市", "长安区"),
        "北苑街道": ("石家庄市", "新华区"),
    }
    assert db.session.scalar(select(Region.code).where(Region.name == "青岛西海岸新区")) == "370211000000"


def test_communities_and_compounds_are_where_the_reports_put_them(demo):
    def compounds(community):
        return set(db.session.scalars(select(Compound.name).join(Community).where(Community.name == community)))

    def street_of(community):
        return _community(community).street.name

    assert street_of("双珠路社区") == "隐珠街道"  # 000
    assert compounds("双珠路社区") == {"珠海一区", "珠海二区", "齐发小区", "恒安福苑", "职业中专家属楼"}
    assert street_of("宁华社区") == "宁安镇" and street_of("永春社区") == "豫海镇"  # 003
    assert street_of("满春园社区") == "满城北街街道" and compounds("满春园社区") == {"颐海苑"}
    assert street_of("福通社区") == "黄河东路街道" and compounds("福通社区") == {"福通小区"}
    assert street_of("锦绣苑社区") == "北京中路街道" and "锦绣苑小区" in compounds("锦绣苑社区")
    assert street_of("变电街社区") == "北苑街道" and compounds("变电街社区") == {"华润宿舍"}  # 004
    assert "普和小区" in {c.name for c in _street("高营镇").communities[0].compounds}
    assert compounds(_street("青园街道").communities[0].name) == {"园东园", "谈阁小区北院", "谈固15号楼", "教育宿舍"}
    assert db.session.scalar(select(Compound).where(Compound.name == "泛华盛世")).street_id == _street("离石示例街道").id
    assert db.session.scalar(select(Compound).where(Compound.name == "水景花苑")).street_id == _street("济阳街道").id
    # Names the reports do not give say so.
    invented = [s.name for s in db.session.scalars(select(Street)) if s.name not in (
        "隐珠街道", "济阳街道", "宁安镇", "满城北街街道", "黄河东路街道", "北京中路街道", "豫海镇", "高营镇", "青园街道", "北苑街道")]
    assert invented == ["离石示例街道"]


def test_report_figures(demo):
    def buildings(community=None, street=None):
        stmt = select(Building.id, Building.households, Building.steward_id).join(Compound)
        stmt = stmt.join(Community).where(Community.name == community) if community else stmt.where(
            Compound.street_id == _street(street).id)
        rows = db.session.execute(stmt).all()
        return len(rows), sum(r.households for r in rows), sum(1 for r in rows if r.steward_id)

    # 000 双珠路社区: 120 buildings, 112 红色管家, 7 grid party branches.
    count, _, stewards = buildings("双珠路社区")
    assert (count, stewards) == (120, 112)
    assert _party_units("隐珠街道", 3) == 7
    # 001 济阳街道: 30 grid party branches, 33 业委会/自管会 of which 13 自管会, 34 social organisations.
    assert _party_units("济阳街道", 3) == 30
    jiyang = _street("济阳街道")
    kinds = dict(db.session.execute(select(OwnersCommittee.kind, func.count()).join(Compound)
                                    .where(Compound.street_id == jiyang.id).group_by(OwnersCommittee.kind)).all())
    assert kinds == {"owners": 20, "self": 13}
    social = _count(select(OrgUnit.id).join(OrgTier, OrgTier.id == OrgUnit.tier_id).where(
        OrgUnit.street_id == jiyang.id, OrgTier.tree == "governance", OrgTier.name == "社会组织"))
    assert social == 34
    # 002 泛华盛世: 11 党小组 under the 小区党支部.
    branch = db.session.scalar(select(OrgUnit).where(OrgUnit.name == "泛华盛世小区党支部"))
    assert len(branch.children) == 11
    # 003 宁华社区: 3 compounds, 83 buildings, 1,453 households.
    assert len(_community("宁华社区").compounds) == 3
    assert buildings("宁华社区")[:2] == (83, 1453)
    # 003 颐海苑 505 households; 福通小区's 红色业委会 has 4 party members.
    assert buildings("满春园社区")[1] == 505
    assert db.session.scalar(select(OwnersCommittee.party_members).join(Compound).where(Compound.name == "福通小区")) == 4
    # 003 锦绣苑社区: 17 old compounds, 132 楼道红管家.
    jinxiu = _community("锦绣苑社区")
    assert len(jinxiu.compounds) == 17 and {c.kind for c in jinxiu.compounds} == {"old"}
    assert buildings("锦绣苑社区")[2] == 132
    assert db.session.scalar(select(Person.note).where(Person.name == "翟董武")).endswith("楼道红管家”")
    # 003 永春社区: 6 compounds, 9 grids, 3 grid branches.
    yongchun = _community("永春社区")
    assert len(yongchun.compounds) == 6 and len(yongchun.grids) == 9
    assert _party_units("豫海镇", 3) == 3
    # 004 高营镇: 6 old compounds; 园东园 joined with three small yards, 12 buildings in all.
    gaoying = _street("高营镇").communities[0].compounds
    assert len(gaoying) == 6 and {c.kind for c in gaoying} == {"old"}
    assert buildings(street="青园街道")[0] == 12
    yuandong = db.session.scalar(select(Compound).where(Compound.name == "园东园"))
    assert _count(select(Compound.id).where(Compound.partner_compound_id == yuandong.id)) == 3
    assert db.session.scalar(select(Compound).where(Compound.name == "华润宿舍")).company.name == "逸辉物业服务有限公司"


def test_companies_are_registered_once_and_serve_several_streets(demo):
    streets = dict(db.session.execute(
        select(PropertyCompany.name, func.count(func.distinct(Compound.street_id)))
        .join(Compound, Compound.company_id == PropertyCompany.id).group_by(PropertyCompany.name)).all())
    assert streets["泛华物业服务有限公司"] == 2  # 泛华盛世 (离石) and old compounds in 济阳
    assert streets["宁夏凤城物业服务有限公司"] == 3  # the three 金凤区 streets
    assert streets["荣盛物业服务有限公司"] == 2  # 高营镇 and 青园街道, both 长安区
    assert streets["热诚物业管理有限公司"] == 2  # 齐发小区 (隐珠) and compounds in 济阳


def test_each_street_has_its_own_tiers(demo):
    def tiers(street):
        return list(db.session.scalars(select(OrgTier.name).where(
            OrgTier.street_id == _street(street).id, OrgTier.tree == "party").order_by(OrgTier.level)))

    assert tiers("济阳街道") == ["街道物业办", "社区环物委", "网格党支部", "楼院党小组"]  # 001's four levels
    assert tiers("隐珠街道") == ["街道物业办", "社区党委", "网格党支部", "楼院党小组"]  # 000 (党员中心户 left to add)
    assert len(db.session.scalars(select(Grid.id)).all()) < 100  # generated rows stay modest


def test_demo_accounts_belong_to_their_streets(demo):
    users = {u.username: u for u in db.session.scalars(select(User))}
    assert users["street_admin"].street.name == "隐珠街道"
    assert users["jiyang_admin"].street.name == "济阳街道"
    assert users["jiyang_staff"].community.street.name == "济阳街道"
    assert users["shuangzhu_staff"].community.name == "双珠路社区"
    assert users["grid_worker"].grid.name == "第一网格" and users["grid_worker"].grid.community.name == "双珠路社区"
    assert users["district_staff"].region.name == "青岛西海岸新区"
    assert users["city_staff"].region.name == "青岛市"
