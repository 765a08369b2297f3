"""/companies/: the rule flag, create/edit with the credit-code check, scope and conflicts."""
from sqlalchemy import select

from conftest import csrf_from
from webapp.companies.models import PropertyCompany
from webapp.extensions import db

GOOD_CODE = "91350100M000100Y43"


def _company(name):
    return db.session.scalar(select(PropertyCompany).where(PropertyCompany.name == name))


def _form(**overrides):
    data = {
        "name": "青岛红心物业有限公司", "credit_code": GOOD_CODE, "contact_person": "王红",
        "contact_phone": "0532-88886666", "staff_count": "20", "party_members": "4",
        "party_org_form": "own", "party_org_name": "红心物业党支部", "instructor_name": "",
    }
    data.update(overrides)
    return data


def _post_new(client, auth, **overrides):
    token = auth.csrf("/companies/new")
    return client.post("/companies/new", data=dict(_form(**overrides), csrf_token=token))


def test_list_flags_companies_that_break_the_party_rule(client, auth, fresh_demo):
    auth.login("street_admin")  # 隐珠: 隐珠安居, 热诚, 恒安
    html = client.get("/companies/").get_data(as_text=True)
    assert "1 家企业不符合" in html
    assert "有党员4名，应成立党组织" in html  # 恒安: 4 members, no organisation
    only = client.get("/companies/?breakers=1").get_data(as_text=True)
    assert "恒安物业服务有限公司" in only and "隐珠安居物业管理有限公司" not in only
    assert "济宁水景物业有限公司" not in only  # another street's company
    auth.logout()
    auth.login("jiyang_admin")  # 济阳: 泛华, 安泰, 运河, 热诚, 济宁水景
    html = client.get("/companies/").get_data(as_text=True)
    assert "1 家企业不符合" in html
    assert "党员不足3名（1名），应选派党建指导员" in html  # 济宁水景: 1 member, nothing
    only = client.get("/companies/?breakers=1").get_data(as_text=True)
    assert "济宁水景物业有限公司" in only and "恒安物业服务有限公司" not in only
    assert "泛华物业服务有限公司" not in only and "济宁运河物业管理有限公司" not in only


def test_rule_flag_clears_when_the_company_forms_its_organisation(client, auth, fresh_demo):
    auth.login("street_admin")
    company = _company("恒安物业服务有限公司")
    url = f"/companies/{company.id}/edit"
    page = client.get(url).get_data(as_text=True)
    r = client.post(url, data=_form(
        name=company.name, credit_code=company.credit_code, staff_count="20", party_members="4",
        party_org_form="affiliated", party_org_name="挂靠双珠路社区党委", csrf_token=csrf_from(page), version=str(company.version)))
    assert r.status_code == 303
    only = client.get("/companies/?breakers=1").get_data(as_text=True)
    assert ">恒安物业服务有限公司</a>" not in only
    assert "全部符合" in only and "家企业不符合" not in only


def test_rule_flag_both_ways_on_the_model(factory):
    assert factory.company(party_members=3, party_org_form="instructor").rule_problem == "有党员3名，应成立党组织"
    assert factory.company(party_members=3, party_org_form="joint").rule_problem is None
    assert "应选派党建指导员" in factory.company(party_members=2, party_org_form="none").rule_problem
    assert factory.company(party_members=0, party_org_form="own").rule_problem is None


def test_create_company_upper_cases_and_strips_the_code(client, auth, fresh_demo):
    auth.login("street_admin")
    r = _post_new(client, auth, credit_code="  91350100m000100y43 ")
    assert r.status_code == 303
    company = _company("青岛红心物业有限公司")
    assert company.credit_code == GOOD_CODE
    detail = client.get(r.headers["Location"]).get_data(as_text=True)
    assert GOOD_CODE in detail and "红心物业党支部" in detail


def test_bad_credit_code_shows_its_reason_and_saves_nothing(client, auth, fresh_demo):
    auth.login("street_admin")
    before = db.session.scalar(select(db.func.count(PropertyCompany.id)))
    r = _post_new(client, auth, credit_code="91350100M000100Y44")
    assert r.status_code == 422
    assert "校验位错误（第 18 位应为 3）" in r.get_data(as_text=True)
    r = _post_new(client, auth, credit_code="91350100MO00100Y43")
    assert "不允许的字符：O" in r.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(PropertyCompany.id))) == before


def test_duplicate_name_and_code_are_refused(client, auth, fresh_demo):
    auth.login("street_admin")
    existing = _company("泛华物业服务有限公司")
    r = _post_new(client, auth, name=existing.name, credit_code=existing.credit_code)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "已有同名企业" in html
    assert "该统一社会信用代码已登记在另一家企业名下" in html


def test_party_members_instructor_and_markup_checks(client, auth, fresh_demo):
    auth.login("street_admin")
    r = _post_new(client, auth, name="<script>alert(1)</script>物业", staff_count="3", party_members="5",
                  party_org_form="instructor", instructor_name="", party_org_name="")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "党员人数不能多于职工人数" in html
    assert "请填写指导员姓名" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    r = _post_new(client, auth, name="长" * 500, staff_count="abc")
    assert r.status_code == 422
    assert "企业名称应为 2 到 120 字" in r.get_data(as_text=True)
    assert "不是有效的整数" in r.get_data(as_text=True)


def test_inline_check_answers_with_the_field_and_its_message(client, auth, fresh_demo):
    auth.login("street_admin")
    token = auth.csrf("/companies/new")
    headers = {"X-CSRFToken": token, "HX-Request": "true"}
    r = client.post("/companies/validate-credit-code", data={"credit_code": "91350100M000100Y4"}, headers=headers)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="credit-code-feedback"' in html and "应为 18 位，当前为 17 位" in html
    r = client.post("/companies/validate-credit-code", data={"credit_code": "91350100m000100y43"}, headers=headers)
    assert "代码校验通过" in r.get_data(as_text=True)
    # Editing a company: its own code is not "taken"; another company's is.
    own = _company("隐珠安居物业管理有限公司")
    r = client.post("/companies/validate-credit-code", data={"credit_code": own.credit_code, "company_id": own.id}, headers=headers)
    assert "代码校验通过" in r.get_data(as_text=True)
    r = client.post("/companies/validate-credit-code", data={"credit_code": own.credit_code}, headers=headers)
    assert "已登记在另一家企业名下" in r.get_data(as_text=True)


def test_two_clerks_editing_get_a_conflict_not_an_overwrite(client, auth, app, fresh_demo):
    auth.login("jiyang_admin")
    company = _company("济宁水景物业有限公司")
    url = f"/companies/{company.id}/edit"
    token = csrf_from(client.get(url).get_data(as_text=True))
    base = _form(name=company.name, credit_code=company.credit_code, staff_count="18", party_members="1",
                 party_org_form="instructor", instructor_name="王指导", party_org_name="", csrf_token=token,
                 version=str(company.version))
    assert client.post(url, data=base).status_code == 303
    second = dict(base, instructor_name="李指导")  # opened before the first save
    r = client.post(url, data=second)
    assert r.status_code == 409
    assert "该记录已被他人修改" in r.get_data(as_text=True)
    db.session.expire_all()
    assert _company("济宁水景物业有限公司").instructor_name == "王指导"


def test_company_user_sees_only_their_company(client, auth, fresh_demo):
    auth.login("company_manager")
    html = client.get("/companies/").get_data(as_text=True)
    assert "泛华物业服务有限公司" in html and "热诚物业管理有限公司" not in html
    other = _company("热诚物业管理有限公司")
    assert client.get(f"/companies/{other.id}").status_code == 404
    own = _company("泛华物业服务有限公司")
    detail = client.get(f"/companies/{own.id}").get_data(as_text=True)
    # Its compounds in both streets: 泛华盛世 (离石) and the old compounds in 济阳.
    assert "泛华盛世" in detail and "济阳一社区示例老旧小区2业主委员会" in detail and "红色业委会" in detail
    assert client.get(f"/companies/{own.id}/edit").status_code == 403


def test_community_staff_see_companies_serving_their_community(client, auth, fresh_demo):
    auth.login("shuangzhu_staff")
    html = client.get("/companies/").get_data(as_text=True)
    assert "恒安物业服务有限公司" in html and "泛华物业服务有限公司" not in html
    fanhua = _company("泛华物业服务有限公司")
    assert client.get(f"/companies/{fanhua.id}").status_code == 404
    # 热诚 serves 齐发小区 here and compounds in 济阳: only the compound in scope is listed.
    recheng = _company("热诚物业管理有限公司")
    detail = client.get(f"/companies/{recheng.id}").get_data(as_text=True)
    assert "齐发小区" in detail and "济阳" not in detail


def test_export_lists_companies_with_the_rule_check(client, auth, fresh_demo):
    import io

    from openpyxl import load_workbook

    def breakers(account):
        auth.login(account)
        r = client.get("/companies/export.xlsx?breakers=1")
        assert r.status_code == 200
        rows = list(load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True))
        assert rows[0][0] == "企业名称" and rows[0][-1] == "规则检查"
        auth.logout()
        return sorted(row[0] for row in rows[1:])

    assert breakers("street_admin") == ["恒安物业服务有限公司"]
    assert breakers("jiyang_admin") == ["济宁水景物业有限公司"]
