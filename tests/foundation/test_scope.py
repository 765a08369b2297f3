"""Scope by place in the tree, on the demo street."""
import pytest

pytestmark = pytest.mark.usefixtures("demo")


def test_dashboard_counts_are_scoped(client, auth):
    auth.login("jiyang_admin")  # another street: none of 双珠路's figures
    admin = client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("shuangzhu_staff")
    staff = client.get("/").get_data(as_text=True)
    # 双珠路社区 alone: 120 buildings and 112 red stewards (seed 000). It is 隐珠街道's only
    # community, so the street admin counts the same, and nothing of other streets.
    assert '<span class="num">120</span><span class="lbl">楼栋</span>' in staff
    assert '<span class="num">112</span>' in staff
    assert '<span class="num">120</span><span class="lbl">楼栋</span>' in admin
    auth.logout()
    # 济阳: the street admin counts every community, its staff one of three.
    from sqlalchemy import func, select

    from webapp.compounds.models import Building, Community, Compound, Street
    from webapp.extensions import db

    def buildings(*where):
        return db.session.scalar(select(func.count(Building.id)).join(Compound).join(Community).where(*where))

    street = buildings(Community.street_id == db.session.scalar(select(Street.id).where(Street.name == "济阳街道")))
    one = buildings(Community.name == "济阳示例一社区")
    assert street > one > 0
    auth.login("jiyang_admin")
    assert f'<span class="num">{street}</span><span class="lbl">楼栋</span>' in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("jiyang_staff")
    assert f'<span class="num">{one}</span><span class="lbl">楼栋</span>' in client.get("/").get_data(as_text=True)


def test_dashboard_shows_coverage_against_target_and_names_gaps(client, auth):
    auth.login("shuangzhu_staff")
    html = client.get("/").get_data(as_text=True)
    assert "2026年12月31日 前城市社区全覆盖" in html
    # 恒安福苑's company has 4 party members and no organisation, and no red committee.
    assert "恒安福苑" in html.split("尚未覆盖：")[1]
    assert "水景花苑" not in html and "福通小区" not in html  # other streets' compounds never show
