"""The online red opinion box: a receipt number, a status lookup, the community's inbox,
and resistance to abuse (CSRF, rate limit per address, size limits, honeypot)."""
from sqlalchemy import func, select

from conftest import csrf_from
from webapp.extensions import db


def _requests():
    from webapp.requests.models import ResidentRequest

    return db.session.scalar(select(func.count(ResidentRequest.id)))


def _compound_id(name):
    from webapp.compounds.models import Compound

    return str(db.session.scalar(select(Compound.id).where(Compound.name == name)))


def _form(client, slug="shuangzhu", **data):
    page = client.get(f"/public/yinzhu/{slug}/opinion")
    token = csrf_from(page.get_data(as_text=True))
    form = {"csrf_token": token, "compound": _compound_id("珠海一区"), "text": "2号楼门口的路灯坏了，晚上很黑。",
            "name": "", "phone": "", "website": ""}
    form.update(data)
    return form


def test_opinion_gets_a_receipt_and_lands_in_the_community_inbox(app, client, auth, fresh_demo):
    before = _requests()
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, name="刘阿姨", phone="13912345678",
                                                            text="<b>楼道</b>灯坏了<script>alert(1)</script>"))
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "您的意见已送达双珠路社区" in page and "已受理" in page
    receipt = page.split('id="receipt">')[1].split("<")[0]
    assert receipt.startswith("YJ")
    assert _requests() == before + 1
    # Looking it up shows the state, never what was written nor who wrote it.
    with app.test_client() as other:
        lookup = other.get("/public/yinzhu/shuangzhu/opinion/status", query_string={"receipt": receipt}).get_data(as_text=True)
        assert "已受理" in lookup and "13912345678" not in lookup and "刘阿姨" not in lookup and "灯坏了" not in lookup
        assert other.get("/public/jiyang/jiyang/opinion/status", query_string={"receipt": receipt}).status_code == 404
    # The community's staff see it, as text; 济阳's staff do not.
    auth.login("shuangzhu_staff")
    inbox = client.get("/requests/").get_data(as_text=True)
    assert receipt in inbox and "网上红色意见箱" in inbox
    from webapp.requests.models import ResidentRequest

    req = db.session.scalar(select(ResidentRequest).where(ResidentRequest.receipt_no == receipt))
    detail = client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail and "<script>alert(1)" not in detail
    assert "刘阿姨" in detail and "13912345678" in detail
    # Staff answer; the resident sees the reply with the receipt.
    token = csrf_from(detail)
    from webapp.requests.models import RequestCategory

    category = db.session.scalar(select(RequestCategory.id).where(RequestCategory.name == "公共设施维修"))
    for action, extra in (("dispatch", {"category_id": category}), ("accept", {}),
                          ("resolve", {"note": "更换了路灯。", "public_reply": "路灯已修好。"})):
        db.session.rollback()
        version = db.session.get(ResidentRequest, req.id).version
        r = client.post(f"/requests/{req.id}/act/{action}", data={"csrf_token": token, "version": version, **extra})
        assert r.status_code == 303, action
    auth.logout()
    lookup = client.get("/public/yinzhu/shuangzhu/opinion/status", query_string={"receipt": receipt}).get_data(as_text=True)
    assert "已办结" in lookup and "路灯已修好。" in lookup
    auth.login("jiyang_staff")
    assert receipt not in client.get("/requests/").get_data(as_text=True)
    assert client.get(f"/requests/{req.id}").status_code == 404


def test_a_flood_from_one_address_is_stopped(client, fresh_demo):
    before = _requests()
    for i in range(5):
        r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, text=f"第{i + 1}条意见：小区停车很乱。"))
        assert r.status_code == 303
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, text="第6条意见：小区停车很乱。"))
    assert r.status_code == 429
    assert "10 分钟内最多提交 5 条" in r.get_data(as_text=True)
    assert _requests() == before + 5
    # Another address is not affected.
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, text="另一户：小区停车很乱。"),
                    environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert r.status_code == 303


def test_honeypot_missing_csrf_and_oversize_write_nothing(client, fresh_demo):
    before = _requests()
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, website="http://spam.example"))
    assert r.status_code == 400 and "提交未被接受" in r.get_data(as_text=True)
    form = _form(client)
    form.pop("csrf_token")
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=form)
    assert r.status_code == 400 and "表单安全校验失败" in r.get_data(as_text=True)
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, text="长" * 1001))
    assert r.status_code == 422 and "请用 5 到 1000 字说明" in r.get_data(as_text=True)
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, phone="call me <b>now</b>"))
    assert r.status_code == 422 and "电话号码格式不正确" in r.get_data(as_text=True)
    r = client.post("/public/yinzhu/shuangzhu/opinion", data=_form(client, compound=_compound_id("水景花苑")))
    assert r.status_code == 422  # a compound of another community
    assert _requests() == before


def test_only_the_opinion_form_sets_a_cookie(client, fresh_demo):
    assert "Set-Cookie" not in client.get("/public/yinzhu/shuangzhu/").headers
    assert "Set-Cookie" in client.get("/public/yinzhu/shuangzhu/opinion").headers


def test_elder_opinion_form_asks_no_name_and_stores_none(client, fresh_demo):
    """长辈版 asks only for the compound, the matter and a phone; a 称呼 posted anyway is not kept."""
    page = client.get("/public/yinzhu/shuangzhu/opinion?mode=elder").get_data(as_text=True)
    assert 'name="name"' not in page and 'name="phone"' in page and 'type="tel"' in page
    from webapp.compounds.models import Compound
    from webapp.requests.models import ResidentRequest

    compound = db.session.scalar(select(Compound).where(Compound.name == "珠海二区"))
    r = client.post("/public/yinzhu/shuangzhu/opinion?mode=elder", data={
        "csrf_token": csrf_from(page), "compound": str(compound.id), "text": "楼下路灯不亮，晚上出门看不清路。",
        "phone": "13800001111", "name": "张大爷"})
    assert r.status_code == 303 and "mode=elder" in r.headers["Location"]
    req = db.session.scalar(select(ResidentRequest).order_by(ResidentRequest.id.desc()).limit(1))
    assert req.text == "楼下路灯不亮，晚上出门看不清路。" and req.name == "" and req.phone == "13800001111"
