"""The public receipt lookup is rate limited per address (no guessing receipt numbers)."""


def test_receipt_lookups_are_limited_per_address(app, fresh_demo):
    c = app.test_client()
    for i in range(20):
        r = c.get("/public/yinzhu/shuangzhu/opinion/status", query_string={"receipt": f"YJ20261201-AB{i:02d}"},
                  environ_base={"REMOTE_ADDR": "10.8.0.1"})
        assert r.status_code == 404  # not found, and no limit yet
    r = c.get("/public/yinzhu/shuangzhu/opinion/status", query_string={"receipt": "YJ20261201-ABCD"},
              environ_base={"REMOTE_ADDR": "10.8.0.1"})
    assert r.status_code == 429
    assert "查询过于频繁" in r.get_data(as_text=True)
    assert "Set-Cookie" not in r.headers  # the public board sets no cookie, even here
    # Another address, and the form itself without a receipt, are not held up.
    assert c.get("/public/yinzhu/shuangzhu/opinion/status", query_string={"receipt": "YJ20261201-ABCD"},
                 environ_base={"REMOTE_ADDR": "10.8.0.2"}).status_code == 404
    assert c.get("/public/yinzhu/shuangzhu/opinion/status", environ_base={"REMOTE_ADDR": "10.8.0.1"}).status_code == 200
