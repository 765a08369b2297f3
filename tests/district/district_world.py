"""Two cities, three districts, four streets, built row by row so every figure the
district page shows can be counted independently here.

甲市: 一区 (东街道 dong — the oldest street —, 西街道 xi), 二区 (南街道 nan); 乙市: 三区 (北街道 bei).
东街道 and 南街道 both have a 幸福社区 with the slug xingfu. 红旗物业 (instructor) serves
东街道 and 南街道 and 北街道; 普通物业 (no organisation) serves 东街道 and 西街道.
"""
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from webapp.extensions import db


@pytest.fixture
def geo(factory):
    from webapp.appointments.models import CrossAppointment
    from webapp.clock import local_today
    from webapp.compounds.models import (CITY_LEVEL, DISTRICT_LEVEL, Community, Compound, OwnersCommittee, Region,
                                         RegionTier, Street)
    from webapp.meetings.models import Meeting, MeetingKind, Requirement

    g = SimpleNamespace()
    city_tier = RegionTier(level=CITY_LEVEL, name="市")
    district_tier = RegionTier(level=DISTRICT_LEVEL, name="区/县")
    g.city_a = Region(tier=city_tier, name="甲市")
    g.city_b = Region(tier=city_tier, name="乙市")
    g.d1 = Region(tier=district_tier, parent=g.city_a, name="一区")
    g.d2 = Region(tier=district_tier, parent=g.city_a, name="二区")
    g.d3 = Region(tier=district_tier, parent=g.city_b, name="三区")
    db.session.add_all([city_tier, district_tier, g.city_a, g.city_b, g.d1, g.d2, g.d3])
    db.session.flush()
    g.s1 = Street(name="东街道", slug="dong", region=g.d1, coverage_target_date=date(2026, 12, 31))
    db.session.add(g.s1)
    db.session.flush()  # the oldest street: lowest id
    g.s2 = Street(name="西街道", slug="xi", region=g.d1)
    g.s3 = Street(name="南街道", slug="nan", region=g.d2)
    g.s4 = Street(name="北街道", slug="bei", region=g.d3)
    db.session.add_all([g.s2, g.s3, g.s4])
    db.session.flush()
    g.c1 = Community(street=g.s1, name="幸福社区", slug="xingfu")
    g.c2 = Community(street=g.s2, name="和平社区", slug="heping")
    g.c3 = Community(street=g.s3, name="幸福社区", slug="xingfu")
    g.c4 = Community(street=g.s4, name="远方社区", slug="yuanfang")
    db.session.add_all([g.c1, g.c2, g.c3, g.c4])
    db.session.commit()
    g.red = factory.company("红旗物业", party_members=1, party_org_form="instructor")
    g.plain = factory.company("普通物业", party_members=0, party_org_form="none")
    g.k1 = Compound(community=g.c1, name="红旗苑", company=g.red)
    g.k2 = Compound(community=g.c1, name="普通苑", company=g.plain)
    g.k3 = Compound(community=g.c1, name="党员苑", company=g.plain)
    g.k4 = Compound(community=g.c2, name="和平苑", company=g.plain)
    g.k5 = Compound(community=g.c3, name="南红苑", company=g.red)
    g.k6 = Compound(community=g.c4, name="北红苑", company=g.red)
    db.session.add_all([g.k1, g.k2, g.k3, g.k4, g.k5, g.k6])
    db.session.flush()
    db.session.add(OwnersCommittee(compound=g.k3, name="党员苑业委会", members=5, party_members=2))
    today = local_today()
    person = factory.person("交叉任职人", community=g.c1)
    common = dict(person=person, direction="company_in", company=g.red, home_role="项目经理", host_role="兼职委员")
    db.session.add_all([
        CrossAppointment(community=g.c1, start_date=date(2025, 1, 1), approval_document="在任", **common),
        CrossAppointment(community=g.c1, start_date=today + timedelta(days=30), approval_document="未开始", **common),
        CrossAppointment(community=g.c1, start_date=date(2024, 1, 1), end_date=date(2025, 6, 1),
                         approval_document="已结束", **common),
        CrossAppointment(community=g.c2, start_date=date(2025, 1, 1), approval_document="西街道在任", **common),
    ])
    g.kind = MeetingKind(street=g.s1, name="物业联席会议")
    db.session.add(g.kind)
    db.session.flush()
    db.session.add(Requirement(street=g.s1, label="每月一次联席会议", kind_id=g.kind.id, period="month", min_count=1))
    db.session.add(Meeting(kind=g.kind, title="十一月联席会议", starts_at=datetime(2026, 11, 10, 9), community=g.c1))
    db.session.commit()
    g.district_user = factory.user("d1_staff", role="district_staff", region=g.d1)
    g.city_user = factory.user("a_city", role="city_staff", region=g.city_a)
    g.street_admin = factory.user("dong_admin", role="street_admin", street=g.s1)
    g.community_staff = factory.user("xingfu_staff", role="community_staff", community=g.c1)
    db.session.commit()
    return g
