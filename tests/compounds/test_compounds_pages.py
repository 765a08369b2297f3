"""/compounds/: the list with its counts, compound forms, inline building and committee rows,
scope (404 for reads and writes outside it) and edit conflicts."""
from sqlalchemy import func, select

from conftest import csrf_from
from webapp.companies.models import PropertyCompany
from webapp.compounds.models import Building, Community, Compound, Grid, OwnersCommittee
from webapp.extensions import db
from webapp.people.models import Person

HX = {"HX-Request": "true"}


def _id(model, name):
    return db.session.scalar(select(model.id).where(model.name == name))


def _compound(name):
    return db.session.scalar(select(Compound).where(Compound.name == name))


def _grid(community, name="第一网格"):
    return db.session.scalar(select(Grid.id).join(Community).where(Community.name == community, Grid.name == name))


def _compound_form(community="双珠路社区", **overrides):
    data = {
        "community_id": _id(Community, community), "grid_id": _grid(community), "name": "珠海三区",
        "kind": "old", "management_mode": "company", "company_id": _id(PropertyCompany, "隐珠安居物业管理有限公司"),
        "partner_compound_id": "0", "address": "双珠路 21 号", "note": "",
    }
    data.update(overrides)
    return data


def _count(model, *where):
    return db.session.scalar(select(func.count(model.id)).where(*where))


# --- the list ---------------------------------------------------------------------------

def test_list_counts_buildings_households_and_stewards(client, auth, fresh_demo):
    auth.login("street_admin")
    html = client.get(f"/compounds/?community={_id(Community, '双珠路社区')}").get_data(as_text=True)
    # The report's figures for 双珠路: 120 buildings, 112 red stewards.
    assert "共 <strong>5</strong> 个小区，<strong>120</strong> 栋楼" in html
    assert "红色管家/楼长 <strong>112</strong> 名" in html
    assert "福通小区" not in html


def test_list_filters_by_mode_kind_company_and_text(client, auth, fresh_demo):
    auth.login("jiyang_admin")
    html = client.get("/compounds/?mode=self").get_data(as_text=True)
    assert ">济阳一社区示例独楼9</a>" in html and ">济阳一社区示例院落8</a>" in html and ">水景花苑</a>" not in html
    assert "共 <strong>13</strong> 个小区" in html  # 济阳's 13 自管会
    html = client.get("/compounds/?kind=three_no").get_data(as_text=True)
    assert ">济阳一社区示例院落8</a>" in html and ">济阳一社区示例独楼9</a>" not in html
    # 泛华 serves 泛华盛世 in 离石 too; 济阳 lists its own four.
    html = client.get(f"/compounds/?company={_id(PropertyCompany, '泛华物业服务有限公司')}").get_data(as_text=True)
    assert "共 <strong>4</strong> 个小区" in html and ">泛华盛世</a>" not in html
    auth.logout()
    auth.login("street_admin")
    html = client.get("/compounds/?mode=self").get_data(as_text=True)
    assert ">职业中专家属楼</a>" in html and ">珠海一区</a>" not in html and "济阳" not in html
    html = client.get("/compounds/?q=珠海").get_data(as_text=True)
    assert "共 <strong>2</strong> 个小区" in html
    html = client.get("/compounds/?q=%25&grid=abc&kind=<b>").get_data(as_text=True)  # odd input: no 500
    assert "没有符合条件的小区" in html


def test_each_role_lists_only_its_compounds(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    html = client.get("/compounds/").get_data(as_text=True)
    assert ">珠海一区</a>" in html and ">水景花苑</a>" not in html
    auth.logout()
    auth.login("grid_worker")
    html = client.get("/compounds/").get_data(as_text=True)
    assert "共 <strong>1</strong> 个小区" in html and ">珠海一区</a>" in html
    auth.logout()
    auth.login("company_manager")
    html = client.get("/compounds/").get_data(as_text=True)
    assert ">泛华盛世</a>" in html and ">济阳一社区示例老旧小区2</a>" in html and ">珠海一区</a>" not in html
    assert "新增小区" not in html


# --- compound create / edit -------------------------------------------------------------

def test_create_compound_and_see_it(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    token = auth.csrf("/compounds/new")
    r = client.post("/compounds/new", data=dict(_compound_form(), csrf_token=token))
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "<h1>珠海三区</h1>" in page and "隐珠安居物业管理有限公司" in page


def test_compound_rules_give_field_messages_and_write_nothing(client, auth, fresh_demo):
    auth.login("jiyang_admin")  # a street with several communities
    token = auth.csrf("/compounds/new")
    before = _count(Compound)
    cases = [
        (dict(company_id="0"), "必须选择物业企业"),
        (dict(management_mode="self"), "自管会管理的小区不应填写物业企业"),
        (dict(management_mode="merged"), "必须选择相邻小区"),
        (dict(management_mode="entrusted", partner_compound_id=_id(Compound, "济阳二社区示例小区3")), "相邻小区应与本小区属于同一社区"),
        (dict(grid_id=_grid("济阳示例二社区")), "所选网格不属于所选社区"),
        (dict(name="水景花苑"), "本社区已有同名小区"),
        (dict(name=""), "请填写小区名称"),
        (dict(name="区" * 101), "小区名称最多 100 字"),
        (dict(name="珠海\x07三区"), "不可见的控制字符"),
        (dict(community_id="999999"), "不是有效的选择"),
        (dict(kind="castle"), "不是有效的选择"),
    ]
    for overrides, message in cases:
        r = client.post("/compounds/new", data=dict(_compound_form("济阳示例一社区", **overrides), csrf_token=token))
        assert r.status_code == 422, overrides
        assert message in r.get_data(as_text=True), overrides
    assert _count(Compound) == before


def test_same_name_in_another_community_is_fine_and_markup_is_text(client, auth, fresh_demo):
    auth.login("jiyang_admin")
    token = auth.csrf("/compounds/new")
    r = client.post("/compounds/new", data=dict(_compound_form("济阳示例二社区", name="水景花苑", company_id="0", management_mode="self"), csrf_token=token))
    assert r.status_code == 303
    auth.logout()
    auth.login("street_admin")
    token = auth.csrf("/compounds/new")
    r = client.post("/compounds/new", data=dict(_compound_form(name="<b>新区</b>"), csrf_token=token))
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "&lt;b&gt;新区&lt;/b&gt;" in page and "<b>新区</b>" not in page


def test_community_staff_cannot_place_a_compound_elsewhere(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    token = auth.csrf("/compounds/new")
    r = client.post("/compounds/new", data=dict(_compound_form("济阳示例一社区", company_id="0", management_mode="self"), csrf_token=token))
    assert r.status_code == 422
    assert _count(Compound, Compound.name == "珠海三区") == 0


def test_compound_outside_scope_is_404_for_get_and_post(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    futong = _compound("水景花苑")
    token = auth.csrf("/compounds/new")
    assert client.get(f"/compounds/{futong.id}").status_code == 404
    assert client.get(f"/compounds/{futong.id}/edit").status_code == 404
    data = dict(_compound_form(name="改名小区"), csrf_token=token, version=str(futong.version))
    assert client.post(f"/compounds/{futong.id}/edit", data=data).status_code == 404
    building = {"name": "99号楼", "households": "10", "steward_id": "0", "steward_role": "red_steward", "csrf_token": token}
    assert client.post(f"/compounds/{futong.id}/buildings", data=building, headers=HX).status_code == 404
    assert client.post(f"/compounds/{futong.id}/committees", data={"csrf_token": token}).status_code == 404
    assert client.get("/compounds/999999").status_code == 404
    db.session.expire_all()
    assert _compound("水景花苑") is not None and _count(Building, Building.name == "99号楼") == 0


def test_two_clerks_editing_a_compound_get_a_conflict(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    compound = _compound("恒安福苑")
    url = f"/compounds/{compound.id}/edit"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = _compound_form(name="恒安福苑", kind="commodity", company_id=compound.company_id, grid_id=compound.grid_id,
                          address="第一位办事员的地址")
    first = dict(data, csrf_token=token, version=str(compound.version))
    assert client.post(url, data=first).status_code == 303
    second = dict(first, address="第二位办事员的地址")
    r = client.post(url, data=second)
    assert r.status_code == 409
    assert "该记录已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert _compound("恒安福苑").address == "第一位办事员的地址"


# --- buildings ---------------------------------------------------------------------------

def _building(compound, **overrides):
    data = {"name": "41号楼", "households": "32", "steward_id": "0", "steward_role": "red_steward"}
    data.update(overrides)
    return data


def test_add_building_inline_returns_the_section_with_the_new_row(client, auth, fresh_demo):
    auth.login("grid_worker")  # 珠海一区 is in the grid worker's grid
    compound = _compound("珠海一区")
    # 潘维海 sits on the grid's party branch; 张英 (the community's secretary) is not the
    # grid's, so the grid worker's steward picker does not offer her.
    steward = db.session.scalar(select(Person).where(Person.name == "潘维海"))
    outsider = db.session.scalar(select(Person).where(Person.name == "张英"))
    token = auth.csrf(f"/compounds/{compound.id}")
    form_row = client.get(f"/compounds/{compound.id}/buildings/new", headers=HX).get_data(as_text=True)
    assert "潘维海" in form_row and "张英" not in form_row
    r = client.post(f"/compounds/{compound.id}/buildings", headers=dict(HX, **{"X-CSRFToken": token}),
                    data=_building(compound, steward_id=outsider.id))
    assert r.status_code == 422
    r = client.post(f"/compounds/{compound.id}/buildings", headers=dict(HX, **{"X-CSRFToken": token}),
                    data=_building(compound, steward_id=steward.id, steward_phone_public="y"))
    assert r.status_code == 200
    assert r.headers["HX-Retarget"] == "#buildings"
    html = r.get_data(as_text=True)
    assert "41号楼" in html and "潘维海" in html and "楼栋（41 栋，1312 户" in html
    assert _count(Building, Building.compound_id == compound.id) == 41


def test_building_row_checks(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    compound = _compound("珠海一区")
    other_person = db.session.scalar(select(Person.id).where(Person.name == "罗永梅"))  # 永春社区 (豫海镇)
    token = auth.csrf(f"/compounds/{compound.id}")
    headers = dict(HX, **{"X-CSRFToken": token})
    cases = [
        (dict(households="-1"), "户数应在 0 到 10000 之间"),
        (dict(households="10001"), "户数应在 0 到 10000 之间"),
        (dict(households="很多"), "不是有效的整数"),
        (dict(name="1号楼"), "本小区已有同名楼栋"),
        (dict(name=""), "请填写楼栋名称"),
        (dict(steward_id=other_person), "不是有效的选择"),
        (dict(steward_phone_public="y"), "未指定管家时不能公示电话"),
    ]
    for overrides, message in cases:
        r = client.post(f"/compounds/{compound.id}/buildings", headers=headers, data=_building(compound, **overrides))
        assert r.status_code == 422, overrides
        html = r.get_data(as_text=True)
        assert message in html, overrides
        assert html.lstrip().startswith("{#") is False and "<tr" in html  # the row again, to swap in place
    assert _count(Building, Building.compound_id == compound.id) == 40


def test_grid_worker_cannot_touch_another_grids_buildings(client, auth, fresh_demo):
    auth.login("grid_worker")
    other = _compound("珠海二区")
    building = db.session.scalar(select(Building).where(Building.compound_id == other.id, Building.name == "1号楼"))
    token = auth.csrf("/compounds/")
    headers = dict(HX, **{"X-CSRFToken": token})
    assert client.get(f"/compounds/{other.id}").status_code == 404
    r = client.post(f"/compounds/{other.id}/buildings/{building.id}/edit", headers=headers,
                    data=_building(other, name="1号楼", households="1", version=str(building.version)))
    assert r.status_code == 404
    db.session.expire_all()
    assert db.session.get(Building, building.id).households != 1


def test_edit_building_row_and_conflict(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    compound = _compound("齐发小区")
    building = db.session.scalar(select(Building).where(Building.compound_id == compound.id, Building.name == "3号楼"))
    url = f"/compounds/{compound.id}/buildings/{building.id}/edit"
    form_row = client.get(url, headers=HX).get_data(as_text=True)
    token = auth.csrf(f"/compounds/{compound.id}")
    headers = dict(HX, **{"X-CSRFToken": token})
    assert 'name="version" value="1"' in form_row
    data = _building(compound, name="3号楼", households="44", steward_id=building.steward_id or 0, version="1")
    r = client.post(url, headers=headers, data=data)
    assert r.status_code == 200 and ">44<" in r.get_data(as_text=True)
    r = client.post(url, headers=headers, data=dict(data, households="55"))  # still the old version
    assert r.status_code == 409
    assert "该记录已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Building, building.id).households == 44


# --- owners' committees -----------------------------------------------------------------

def _committee(**overrides):
    data = {"kind": "owners", "name": "恒安福苑业主委员会", "members": "7", "party_members": "3",
            "term_start": "2026-01-01", "term_end": "2030-12-31"}
    data.update(overrides)
    return data


def test_committee_checks_and_red_badge(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    compound = _compound("恒安福苑")
    token = auth.csrf(f"/compounds/{compound.id}")
    headers = dict(HX, **{"X-CSRFToken": token})
    url = f"/compounds/{compound.id}/committees"
    cases = [
        (dict(party_members="8"), "党员人数不能多于成员人数"),
        (dict(term_end="2025-12-31"), "任期结束日期不能早于开始日期"),
        (dict(term_start="2026-02-30"), "不是有效的日期"),
        (dict(name="齐发小区红色业主委员会"), "已有同名的业委会/自管会"),
        (dict(members="0"), "成员人数应在 1 到 99 之间"),
    ]
    for overrides, message in cases:
        r = client.post(url, headers=headers, data=_committee(**overrides))
        assert r.status_code == 422, overrides
        assert message in r.get_data(as_text=True), overrides
    assert _count(OwnersCommittee, OwnersCommittee.compound_id == compound.id) == 0
    r = client.post(url, headers=headers, data=_committee())
    assert r.status_code == 200 and r.headers["HX-Retarget"] == "#committees"
    html = r.get_data(as_text=True)
    assert "恒安福苑业主委员会" in html and "红色业委会" in html and "43%" in html and "不足半数" in html
    r = client.post(url, headers=headers, data=_committee(name="恒安福苑二期业主委员会", party_members="0"))
    row = r.get_data(as_text=True).split("恒安福苑二期业主委员会")[1].split("</tr>")[0]
    assert "红色业委会" not in row


def test_company_user_reads_served_compounds_without_edit_buttons(client, auth, fresh_demo):
    auth.login("company_manager")
    compound = _compound("泛华盛世")
    html = client.get(f"/compounds/{compound.id}").get_data(as_text=True)
    assert "泛华盛世业主委员会" in html and "红色业委会" in html
    assert "修改小区信息" not in html and "添加楼栋" not in html and ">修改</button>" not in html
    assert client.get(f"/compounds/{compound.id}/edit").status_code == 403


def test_same_name_saved_meanwhile_gives_a_message_not_an_error_page(client, auth, fresh_demo, monkeypatch):
    """Two clerks add "41号楼" at once: both pass the form check; the database's unique
    constraint stops the second, who gets a message in the row."""
    from webapp.compounds.forms import BuildingForm

    monkeypatch.setattr(BuildingForm, "validate_name", lambda self, field: None)  # the check ran before the other save
    auth.login("shuangzhu_staff")
    compound = _compound("珠海一区")
    token = auth.csrf(f"/compounds/{compound.id}")
    r = client.post(f"/compounds/{compound.id}/buildings", headers=dict(HX, **{"X-CSRFToken": token}),
                    data=_building(compound, name="1号楼"))
    assert r.status_code == 409
    assert "刚有他人保存了同名记录" in r.get_data(as_text=True)
    assert _count(Building, Building.compound_id == compound.id) == 40


def test_out_of_range_ids_and_filters_answer_without_error(client, auth, fresh_demo):
    auth.login("jiyang_admin")  # several communities: the form does not pick one for them
    huge = "99999999999999999999"
    assert client.get(f"/compounds/{huge}").status_code == 404
    assert client.get(f"/compounds/1/buildings/{huge}/edit").status_code == 404
    assert client.get(f"/companies/{huge}").status_code == 404
    assert client.get(f"/compounds/?community={huge}&grid={huge}&company={huge}&page={huge}").status_code == 200
    token = auth.csrf("/companies/new")
    r = client.post("/companies/validate-credit-code", data={"credit_code": "x", "company_id": huge},
                    headers={"X-CSRFToken": token})
    assert r.status_code == 200
    r = client.post("/compounds/new", data=dict(_compound_form(community_id=huge, grid_id=huge, company_id=huge,
                                                               partner_compound_id=huge), csrf_token=token))
    assert r.status_code == 422 and "请选择所属社区" in r.get_data(as_text=True)
