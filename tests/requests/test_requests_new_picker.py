"""/requests/new: the compound is a picker (webapp/picker.py), not every compound of the
street as an <option>: at most LIMIT offered, search as you type, "查找" without
JavaScript; a compound outside the user's place is refused with a Chinese message and
nothing is written."""
import re

from sqlalchemy import func, select

from conftest import csrf_from
from webapp import picker
from webapp.extensions import db
from rq_helpers import category, compound, record


def _options(html):
    select_html = re.search(r'<select[^>]*name="compound_id".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select_html)


def test_many_compounds_offer_a_page_of_matches(client, auth, fresh_demo, factory):
    from webapp.compounds.models import Community

    community = db.session.scalar(select(Community).where(Community.name == "双珠路社区"))
    for i in range(picker.LIMIT + 15):
        factory.compound(community, f"测试新苑{i:03d}")
    db.session.commit()
    auth.login("street_admin")
    options = _options(client.get("/requests/new").get_data(as_text=True))
    assert len(options) <= picker.LIMIT + 1  # the blank "请选择小区" and a page of compounds
    typed = client.get("/requests/new?compound_id_q=测试新苑007").get_data(as_text=True)
    assert [o for o in _options(typed) if "测试新苑" in o] == ["双珠路社区 · 测试新苑007"]
    token = csrf_from(client.get("/requests/new").get_data(as_text=True))
    found = client.post("/requests/new", data={"csrf_token": token, "compound_id_q": "测试新苑01", "_pick": "compound_id",
                                                "text": "楼道灯坏了"}, content_type="multipart/form-data")
    assert found.status_code == 200  # 查找: the matches, nothing saved
    assert "双珠路社区 · 测试新苑012" in _options(found.get_data(as_text=True))


def test_a_compound_outside_the_place_is_refused_and_nothing_written(client, auth, fresh_demo):
    from webapp.requests.models import ResidentRequest

    auth.login("shuangzhu_staff")
    before = db.session.scalar(select(func.count()).select_from(ResidentRequest))
    r = record(client, "水景花苑", "公共设施维修", "楼道灯坏了，请处理。",
               category_id=category("公共设施维修", "恒安福苑").id)  # 济阳's compound, 双珠路's category
    assert r.status_code == 422 and "请从列表中选择小区。" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ResidentRequest)) == before
    ok = record(client, "恒安福苑", "公共设施维修", "楼道灯坏了，请处理。")
    assert ok.status_code in (302, 303)
    assert db.session.scalar(select(func.count()).select_from(ResidentRequest)) == before + 1
