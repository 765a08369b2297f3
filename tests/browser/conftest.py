"""Browser fixtures for the residents' side: a phone as WeChat's browser."""
import pytest

from browser.a11y import WECHAT_UA


@pytest.fixture
def phone(browser, live_server):
    """A page in a WeChat-like phone browser, 390 × 844."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", user_agent=WECHAT_UA,
                                  viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(10000)
    yield pg
    context.close()
