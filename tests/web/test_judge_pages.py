"""The judge's tablet page and its service worker: who may open it, what it loads, and no inline script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.builders import login_as

STATIC = Path(__file__).resolve().parents[2] / "static"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def _config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="tablet-config">(.*?)</script>', html, re.S)
    assert match, "the page hands its words and addresses over as a JSON block"
    return json.loads(match.group(1))


def test_a_judge_gets_the_tablet_page_in_chinese(client, world):
    login_as(client, "zju_judge")
    response = client.get("/judge/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert 'src="/static/js/tablet.js"' in html and 'type="module"' in html
    assert "/static/css/tablet.css" in html
    assert 'class="navbar' not in html  # the tablet layout, not the desktop one
    config = _config(html)
    assert config["user"] == "zju_judge"
    assert config["csrf"]
    words = config["words"]
    assert words["none"] == "未评"
    assert words["submitted"] == "已提交"
    assert words["waiting"] == "待发送"
    assert words["reopened"] == "已退回"
    assert words["wait_next"] == "等待下一位选手"
    assert words["confirm_ok"] == "确认提交" and words["confirm_back"] == "返回修改"
    assert words["left_n"].replace("%(n)s", "2") == "还有2项未评分"
    assert words["draw_no"].replace("%(n)s", "07") == "07号"
    assert {"sync_unsaved", "sync_local", "sync_synced", "sync_locked"} <= set(words)
    urls = config["urls"]
    assert urls["queue"] == "/api/v1/judge/queue"
    assert urls["stage"] == "/api/v1/judge/stage"
    assert urls["sheet"] == "/api/v1/rounds/{round}/entries/{entry}/sheet"
    assert urls["sw"] == "/judge/sw.js" and urls["scope"] == "/judge/"


def test_the_page_has_no_inline_script_and_the_csp_forbids_it(client, world):
    login_as(client, "zju_judge")
    response = client.get("/judge/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    tags = SCRIPT_TAG.findall(html)
    assert tags
    for attributes, body in tags:
        if 'type="application/json"' in attributes:
            continue  # data, never executed
        assert "src=" in attributes and body.strip() == "", f"inline script: {attributes} {body[:80]}"
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers either"


def test_the_page_speaks_english_when_chosen(client, world):
    login_as(client, "zju_judge")
    html = client.get("/judge/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert _config(html)["words"]["none"] == "Not scored"


def test_anonymous_is_sent_to_the_log_in_page(client, world):
    response = client.get("/judge/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert "next=/judge/" in response.headers["Location"]


@pytest.mark.parametrize("username", ["org", "zju_admin", "zju_staff"])
def test_other_roles_are_refused(client, world, username):
    login_as(client, username)
    assert client.get("/judge/").status_code == 403


def test_the_navbar_links_judges_to_their_sheets(client, world):
    login_as(client, "zju_judge")
    assert 'href="/judge/"' in client.get("/").get_data(as_text=True)
    other = client.application.test_client()
    login_as(other, "zju_staff")
    assert 'href="/judge/"' not in other.get("/").get_data(as_text=True)


def test_the_service_worker_is_served_for_the_judge_scope(client, world):
    response = client.get("/judge/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/judge/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    assert 'addEventListener("fetch"' in body
    assert "/api/" not in body.replace("the API", "")  # never names the API: API answers are not cached


def test_every_file_the_service_worker_keeps_exists():
    source = (STATIC / "js" / "sw.js").read_text(encoding="utf-8")
    shell = re.search(r"const SHELL = \[(.*?)\]", source, re.S).group(1)
    paths = re.findall(r'"([^"]+)"', shell)
    assert "js/tablet.js" in paths and "js/outbox.js" in paths and "css/tablet.css" in paths
    for path in paths:
        assert (STATIC / path).is_file(), path
    # and every module the tablet's page imports (followed from tablet.js) is in the shell, so that an offline
    # reload finds it
    seen, todo = set(), ["tablet.js"]
    while todo:
        name = todo.pop()
        seen.add(name)
        text = (STATIC / "js" / name).read_text(encoding="utf-8")
        for imported in re.findall(r'from "\./([^"]+)"', text):
            assert f"js/{imported}" in paths, f"{name} imports {imported}: not kept by the worker"
            if imported not in seen:
                todo.append(imported)
    assert {"tablet_sheet.js", "outbox.js"} <= seen
