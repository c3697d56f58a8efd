"""First request-level checks: log-in through the API and the login page."""

from tests.builders import api_login_as


def test_login_and_me(client, world):
    api_login_as(client, "org")
    me = client.get("/api/v1/me").get_json()
    assert me["username"] == "org"
    assert me["roles"] == [{"role": "organizer"}]


def test_login_page_is_chinese_by_default(client, world):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.get_data(as_text=True)
