"""The sign-in's `next` stays on this site, also in the spellings browsers normalise."""
import pytest

from conftest import DEMO_PASSWORD, csrf_from


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "/\t/evil.example", "//evil.example",
                                    "https://evil.example/", "javascript:alert(1)"])
def test_next_cannot_leave_the_site(client, factory, target):
    factory.user("clerk")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", query_string={"next": target},
                    data={"username": "clerk", "password": DEMO_PASSWORD, "csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_next_on_the_site_is_followed(client, factory):
    factory.user("clerk")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", query_string={"next": "/meetings/?page=2"},
                    data={"username": "clerk", "password": DEMO_PASSWORD, "csrf_token": token})
    assert r.headers["Location"] == "/meetings/?page=2"
