"""Numbers no one types on purpose (sNaN, 1e999999999, 400 digits) are field errors, not 500s."""
from conftest import street_of
from datetime import date

import pytest

from test_scoring_form import counts, form_data, sheet_for

JUNK = ["sNaN", "NaN", "Infinity", "1e999999999", "9" * 400, "99999999999999999999"]


@pytest.fixture
def nov_sheet(fresh_demo):
    return sheet_for(date(2026, 11, 1), "恒安福苑")


@pytest.mark.parametrize("value", JUNK)
def test_junk_numbers_on_the_score_form(client, auth, nov_sheet, value):
    auth.login("street_admin")
    url = f"/assessments/sheets/{nov_sheet.id}/score"
    token = auth.csrf(url)
    data = form_data(nov_sheet, token, 垃圾当日清={"findings": value, "finding": "x"},
                     突出党建引领={"points": value, "finding": "x"})
    total = client.post(url + "/total", data=data, headers={"HX-Request": "true"})
    assert total.status_code == 200 and "有项目的数值无效" in total.get_data(as_text=True)
    before = counts()
    r = client.post(url, data=data, content_type="multipart/form-data")
    assert r.status_code == 422 and "评分未保存" in r.get_data(as_text=True)
    assert counts() == before


@pytest.mark.parametrize("value", JUNK)
def test_junk_numbers_in_the_template_total(client, auth, fresh_demo, value):
    from sqlalchemy import select

    from webapp.assessments.models import AssessmentTemplate
    from webapp.extensions import db

    template = db.session.scalar(select(AssessmentTemplate).where(  # 隐珠街道's: every street has its own
        AssessmentTemplate.name == "党建引领考核（30分）", AssessmentTemplate.street_id == street_of('street_admin')))
    auth.login("street_admin")
    token = auth.csrf(f"/assessments/templates/{template.id}/edit")
    data = {"csrf_token": token, **{f"full_{item.id}": value for item in template.items}}
    r = client.post(f"/assessments/templates/{template.id}/total", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 200
