"""The organisation tree: expand, add, rename, move, tier names, and who may do what."""
from sqlalchemy import func, select

import conftest
from webapp.extensions import db
from webapp.compounds.models import Street
from webapp.structure.models import OrgTier, OrgUnit

HX = {"HX-Request": "true"}


def unit(name):
    return db.session.scalar(select(OrgUnit).where(OrgUnit.name == name))


def unit_count():
    return db.session.scalar(select(func.count()).select_from(OrgUnit))


def post(client, url, data, htmx=True):
    return conftest.post(client, url, data, token_from="/structure/", htmx=htmx)


def test_tree_shows_leaders_members_and_both_trees(client, auth, fresh_demo):
    auth.login("street_admin")
    html = client.get("/structure/").get_data(as_text=True)
    assert "隐珠街道物业办" in html and "双珠路社区党委" in html
    assert "张英（书记）" in html  # the leader of 双珠路社区党委
    assert "济阳" not in html  # another street's tree stays out of sight
    # 隐珠's gaps only: 珠海一区, 珠海二区, 恒安福苑; 隐珠安居 and 恒安 (热诚 has 林海燕 on 齐发's 业委会).
    assert "在任 <a" in html and "尚缺 3 个小区、2 家物业企业" in html
    gov = client.get("/structure/?tree=governance").get_data(as_text=True)
    assert "双珠路社区居委会" in gov and "居民小组" in gov
    auth.logout()
    auth.login("jiyang_admin")
    html = client.get("/structure/").get_data(as_text=True)
    assert "济阳街道物业办" in html and "济阳示例一社区环物委" in html and "隐珠" not in html
    assert "陈志强（主任）" in html  # the leader of 济阳示例一社区环物委
    assert "交叉任职 2" in html  # 济阳示例一社区环物委 hosts two cross-appointments
    # 20 served compounds, 2 covered; 运河, 热诚 and 济宁水景 have no appointment in 济阳.
    assert "在任 <a href=\"/appointments/?status=active\"><strong>3</strong>" in html
    assert "尚缺 18 个小区、3 家物业企业" in html
    gov = client.get("/structure/?tree=governance").get_data(as_text=True)
    assert "济阳示例一社区居委会" in gov and "社会组织" in gov
    assert client.get("/structure/?tree=nonsense").status_code == 404
    assert client.get("/structure/units/99999999999999999999/children").status_code == 404


def test_children_load_lazily_and_show_only_the_users_community(client, auth, fresh_demo):
    auth.login("jiyang_staff")
    root = unit("济阳街道物业办")
    html = client.get(f"/structure/units/{root.id}/children", headers=HX).get_data(as_text=True)
    assert "济阳示例一社区环物委" in html
    assert "济阳示例二社区环物委" not in html  # another community's units stay out of sight
    assert client.get(f"/structure/units/{unit('济阳示例二社区环物委').id}/children").status_code == 404
    assert client.get(f"/structure/units/{unit('双珠路社区党委').id}/children").status_code == 404  # another street
    assert client.get(f"/structure/units/{unit('隐珠街道物业办').id}/children").status_code == 404
    branch = client.get(f"/structure/units/{unit('济阳示例一社区环物委').id}/children").get_data(as_text=True)
    assert "第一网格党支部" in branch  # 济阳 names its branches by grid under each 环物委


def test_add_child_through_htmx_refreshes_parent_and_persists(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    parent = unit("双珠路社区第一网格党支部")
    r = post(client, f"/structure/units/{parent.id}/add", {"name": "珠海一区3号楼党小组"})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert f'id="children-{parent.id}"' in html and "hx-swap-oob" in html
    assert "珠海一区3号楼党小组" in html
    db.session.expire_all()
    new = unit("珠海一区3号楼党小组")
    assert new.parent_id == parent.id
    assert new.tier.level == 4 and new.tier.name == "楼院党小组"  # the tier follows depth
    assert new.community.name == "双珠路社区"


def test_add_without_htmx_redirects_to_the_tree(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    parent = unit("双珠路社区党委")
    r = post(client, f"/structure/units/{parent.id}/add", {"name": "双珠路社区第八网格党支部"}, htmx=False)
    assert r.status_code == 303
    assert "双珠路社区第八网格党支部" in client.get(r.headers["Location"]).get_data(as_text=True)


def test_bad_names_are_refused_in_place_and_nothing_is_written(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    parent = unit("双珠路社区党委")
    before = unit_count()
    cases = {
        "": "请填写单位名称",
        "   ": "请填写单位名称",
        "长" * 101: "最多 100 个字",
        "<script>alert(1)</script>": "不能包含 &lt; 或 &gt;",
        "双珠路社区第一网格党支部": "同一上级下已有同名单位",
        "坏\x07名字": "控制字符",
    }
    for name, message in cases.items():
        r = post(client, f"/structure/units/{parent.id}/add", {"name": name})
        assert r.status_code == 422, name
        assert message in r.get_data(as_text=True), name
    assert unit_count() == before


def test_last_tier_cannot_get_children(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    group = unit("珠海一区楼院党小组")
    r = post(client, f"/structure/units/{group.id}/add", {"name": "党员中心户一"})
    assert r.status_code == 422
    assert "已是最末一级" in r.get_data(as_text=True)


def test_staff_cannot_write_outside_their_community(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    before = unit_count()
    other = unit("济阳示例一社区环物委")  # another street's
    assert post(client, f"/structure/units/{other.id}/add", {"name": "越权单位"}).status_code == 404
    assert post(client, f"/structure/units/{other.id}/rename", {"name": "越权改名", "version": other.version}).status_code == 404
    # The street office is visible (to walk the tree) but read only: a write answers 404.
    root = unit("隐珠街道物业办")
    assert post(client, f"/structure/units/{root.id}/add", {"name": "越权单位"}).status_code == 404
    assert post(client, "/structure/new", {"name": "越权顶级"}).status_code == 403
    assert unit_count() == before
    db.session.expire_all()
    assert unit("济阳示例一社区环物委") is not None


def test_rename_inline_and_stale_version_conflict(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    branch = unit("双珠路社区第二网格党支部")
    form = client.get(f"/structure/units/{branch.id}/rename", headers=HX).get_data(as_text=True)
    assert 'name="version"' in form and "双珠路社区第二网格党支部" in form
    r = post(client, f"/structure/units/{branch.id}/rename", {"name": "珠海二区网格党支部", "version": branch.version})
    assert r.status_code == 200 and "珠海二区网格党支部" in r.get_data(as_text=True)
    db.session.expire_all()
    assert unit("珠海二区网格党支部").id == branch.id
    # A form opened before that save is stale now.
    r = post(client, f"/structure/units/{branch.id}/rename", {"name": "又一个名字", "version": 1})
    assert r.status_code == 409
    assert "已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert unit("又一个名字") is None


def test_move_refuses_cycles_scope_and_depth_then_moves(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    committee = unit("双珠路社区党委")
    branch = unit("双珠路社区第一网格党支部")
    group = unit("珠海一区楼院党小组")
    # Into its own descendant: refused.
    r = post(client, f"/structure/units/{committee.id}/move", {"parent_id": str(group.id), "version": committee.version})
    assert r.status_code == 422 and "自身或其下级" in r.get_data(as_text=True)
    # Into another community's unit: that unit is outside the user's view.
    other = unit("济阳示例一社区环物委")
    r = post(client, f"/structure/units/{branch.id}/move", {"parent_id": str(other.id), "version": branch.version})
    assert r.status_code == 404
    # Below a 楼院党小组 the branch (with its own group) would be deeper than the last tier.
    second_group = unit("珠海二区楼院党小组")
    r = post(client, f"/structure/units/{branch.id}/move", {"parent_id": str(second_group.id), "version": branch.version})
    assert r.status_code == 422 and "超过本体系的最末一级" in r.get_data(as_text=True)
    r = post(client, f"/structure/units/{branch.id}/move", {"parent_id": "garbage", "version": branch.version})
    assert r.status_code == 422
    db.session.expire_all()
    assert unit("双珠路社区第一网格党支部").parent_id == committee.id
    # A legal move: a 楼院党小组 moves to another branch and keeps its tier.
    target = unit("双珠路社区第三网格党支部")
    r = post(client, f"/structure/units/{group.id}/move", {"parent_id": str(target.id), "version": group.version})
    assert r.status_code == 200 and r.headers["HX-Redirect"].startswith("/structure/")
    db.session.expire_all()
    moved = unit("珠海一区楼院党小组")
    assert moved.parent_id == target.id and moved.tier.level == 4


def test_admin_moves_a_branch_up_and_the_subtree_tiers_follow(client, auth, fresh_demo):
    auth.login("street_admin")
    branch = unit("双珠路社区第一网格党支部")
    root = unit("隐珠街道物业办")
    r = post(client, f"/structure/units/{branch.id}/move", {"parent_id": str(root.id), "version": branch.version}, htmx=False)
    assert r.status_code == 303
    db.session.expire_all()
    branch = unit("双珠路社区第一网格党支部")
    assert branch.tier.level == 2 and branch.tier.name == "社区党委"
    assert unit("珠海一区楼院党小组").tier.level == 3


def test_admin_edits_tier_names_and_adds_a_level(client, auth, fresh_demo):
    auth.login("street_admin")
    page = client.get("/structure/").get_data(as_text=True)
    assert 'name="names-0"' in page
    data = {"names-0": "街道物业办", "names-1": "社区党委", "names-2": "网格党支部", "names-3": "楼院党小组"}
    r = post(client, "/structure/tiers/party", {**data, "names-1": ""}, htmx=False)
    assert r.status_code == 422 and "请填写层级名称" in r.get_data(as_text=True)
    r = post(client, "/structure/tiers/party", {**data, "new_name": "党员中心户"}, htmx=False)
    assert r.status_code == 303
    def names(street):
        return db.session.scalars(select(OrgTier.name).join(Street, Street.id == OrgTier.street_id).where(
            OrgTier.tree == "party", Street.name == street).order_by(OrgTier.level)).all()

    assert names("隐珠街道") == ["街道物业办", "社区党委", "网格党支部", "楼院党小组", "党员中心户"]
    assert names("济阳街道") == ["街道物业办", "社区环物委", "网格党支部", "楼院党小组"]  # each street its own
    assert "社区党委" in client.get("/structure/").get_data(as_text=True)
    # With a fifth level, a 楼院党小组 may now get children.
    group = unit("珠海一区楼院党小组")
    assert post(client, f"/structure/units/{group.id}/add", {"name": "张英党员中心户"}).status_code == 200


def test_tier_names_are_the_street_admins(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    assert "names-0" not in client.get("/structure/").get_data(as_text=True)
    r = post(client, "/structure/tiers/party", {"names-0": "改掉"}, htmx=False)
    assert r.status_code == 403


def test_admin_adds_a_top_level_unit_for_a_community(client, auth, fresh_demo):
    auth.login("street_admin")
    from webapp.compounds.models import Community

    community = db.session.scalar(select(Community).where(Community.name == "双珠路社区"))
    r = post(client, "/structure/new?tree=governance", {"name": "双珠路社区第二居委会", "community_id": str(community.id)})
    assert r.status_code == 200 and r.headers["HX-Redirect"].endswith("tree=governance")
    created = unit("双珠路社区第二居委会")
    assert created.tier.tree == "governance" and created.tier.level == 1 and created.community_id == community.id
    assert created.tier.street_id == community.street_id  # the street's own tier
    elsewhere = db.session.scalar(select(Community.id).where(Community.name == "宁华社区"))  # 宁安镇
    assert post(client, "/structure/new?tree=governance", {"name": "越权居委会", "community_id": str(elsewhere)}).status_code == 404
    assert post(client, "/structure/new?tree=governance", {"name": "另一个", "community_id": "99999"}).status_code == 404
