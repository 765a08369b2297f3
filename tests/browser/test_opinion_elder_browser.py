"""The red opinion box in 长辈版, in WeChat's browser on a phone: it asks only what it
needs, ties its errors to the fields, keeps the mode through the submission and the
receipt, and stores what the resident typed (and no 称呼, which it did not ask)."""
import pytest
from sqlalchemy import select

from browser.a11y import axe_violations, shot
from webapp.extensions import db
from webapp.requests.models import ResidentRequest

pytestmark = pytest.mark.browser


def test_opinion_box_submitted_in_elder_mode(phone, fresh_demo):
    phone.goto("/public/yinzhu/shuangzhu/opinion?mode=elder")
    labels = phone.locator("form.pub-form .pub-field label").all_inner_texts()
    assert labels == ["所在小区", "您的意见或诉求", "联系电话（可不填，便于回访）"]  # no 称呼 in 长辈版
    # A mistake first: the error is tied to its field and says what to do.
    phone.select_option("select[name=compound]", label="珠海二区")
    phone.locator("form.pub-form button[type=submit]").click()
    text = phone.locator("textarea[name=text]")
    assert text.get_attribute("aria-invalid") == "true"
    described = text.get_attribute("aria-describedby")
    assert "请写下您的意见或诉求" in phone.locator(f"#{described}").inner_text()
    assert "mode=elder" in phone.url and phone.locator("body.elder").count() == 1
    assert axe_violations(phone) == []
    shot(phone, "phone-elder-opinion-error")
    box = text.bounding_box()
    assert box["width"] >= 0.8 * 390 and box["height"] >= 180  # most of the screen, 7+ lines
    text.fill("三号楼楼道的灯坏了一个多月，晚上上下楼看不见，请帮忙修一下。")
    phone.fill("input[name=phone]", "13912345678")
    phone.locator("form.pub-form button[type=submit]").click()
    assert "/opinion/status" in phone.url and "mode=elder" in phone.url
    receipt = phone.locator("#receipt").inner_text()
    assert phone.locator("body.elder").count() == 1
    shot(phone, "phone-elder-receipt")
    db.session.expire_all()
    req = db.session.scalar(select(ResidentRequest).where(ResidentRequest.receipt_no == receipt))
    assert req.compound.name == "珠海二区" and req.phone == "13912345678" and req.name == ""
    # The resident's phone is nowhere on the public page that shows the receipt.
    assert "13912345678" not in phone.content()
    assert phone.context.cookies() != []  # the opinion form's CSRF session only
