"""List pages read page numbers and ids from the query string: junk and numbers beyond
the database's integers read as "first page" / "no filter", never a 500."""
import pytest

from webapp.forms import MAX_ID, MAX_PAGE, bounded_id, id_arg, page_arg

JUNK = ["99999999999999999999", "-99999999999999999999", "-1", "abc", "", "1e9"]


@pytest.mark.parametrize("value", JUNK)
@pytest.mark.parametrize("path", ["/audit/", "/notices/", "/requests/", "/people/", "/compounds/", "/meetings/",
                                  "/meetings/compliance"])
def test_staff_lists(client, auth, demo, path, value):
    auth.login("street_admin")
    args = {"page": value, "id": value, "community": value, "grid": value, "company": value, "kind": value,
            "compound": value, "year": value, "n": value}
    assert client.get(path, query_string=args).status_code == 200



@pytest.mark.parametrize("value", JUNK)
def test_public_archive(client, demo, value):
    assert client.get("/public/yinzhu/shuangzhu/archive", query_string={"page": value}).status_code == 200


def test_helpers():
    assert page_arg({"page": "99999999999999999999"}) == MAX_PAGE
    assert page_arg({"page": "-5"}) == 1 and page_arg({}) == 1 and page_arg({"page": "x"}) == 1
    assert id_arg({"id": str(MAX_ID)}, "id") == MAX_ID and id_arg({"id": str(MAX_ID + 1)}, "id") is None
    assert id_arg({"id": "0"}, "id") is None and id_arg({}, "id") is None
    with pytest.raises(ValueError):
        bounded_id("99999999999999999999")


@pytest.mark.parametrize("path", ["/companies/", "/compounds/", "/people/", "/meetings/", "/notices/"])
def test_a_nul_byte_in_the_query_string_is_refused(client, auth, demo, path):
    """PostgreSQL text cannot hold NUL: refused before any search compares it with a column."""
    auth.login("street_admin")
    r = client.get(path, query_string={"q": "1\x002"})
    assert r.status_code == 400 and "请求无效" in r.get_data(as_text=True)


def test_a_nul_byte_in_the_path_is_not_found(client, demo):
    assert client.get("/public/%00/").status_code == 404
    assert client.get("/public/shuangzhu%00/archive").status_code == 404
