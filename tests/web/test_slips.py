"""Slips seen on real screens: the refusal after registration closes, "required, none uploaded yet" on
entries whose files are locked, 工号 styled as code, and the demo banner's address."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from competition.demo import LOGINS_FILE
from competition.demo.loader import server_url, with_url
from competition.extensions import db
from competition.models import University
from tests.builders import Api, advance, login_as, make_competition, make_entry, staff

ROOT = Path(__file__).resolve().parents[2]


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return html.unescape(response.get_data(as_text=True))


# --- 报名已截止, not 报名尚未开放 --------------------------------------------------------------------------


def test_after_registration_closes_the_refusal_says_closed(client, world):
    competition = make_competition(name="2026年全省青年教师教学竞赛", status="registration_closed")
    login_as(client, "zju_staff")
    page = page_of(client, f"/my/competitions/{competition.id}/register")
    reasons = re.search(r'data-testid="reasons">(.*?)</ul>', page, re.S).group(1)
    assert "报名已截止。" in reasons and "尚未开放" not in reasons


def test_the_api_refusal_after_closing_says_closed(app, world):
    competition = make_competition(status="registration_closed")
    answer = Api(app, "zju_admin").post(
        f"/competitions/{competition.id}/entries",
        {"group_id": competition.groups[0].id, "university": "ZJU", "staff_no": "00123"},
    )
    error = answer.json["error"]
    assert answer.status_code == 422 and error["code"] == "not_eligible"
    window = [d["message"] for d in error["details"] if d["field"] == "window"]
    assert window == ["报名已截止。"]


def test_a_draft_is_not_open_yet(app, world):
    from competition.domain.eligibility import Refusal
    from competition.services.messages import refusal_message

    with app.test_request_context("/"):
        assert refusal_message(Refusal("window", "not_open", {"status": "draft"})) == "报名尚未开放。"


# --- the materials line on /my/ -----------------------------------------------------------------------------

REQUIRED = "必交，尚未上传"


def materials_line(page: str) -> str:
    found = re.search(r"<dt>参赛材料</dt><dd>(.*?)</dd>", page, re.S)
    assert found, "no materials line"
    return found.group(1)


def test_required_materials_are_asked_for_only_while_they_can_change(client, world):
    competition = make_competition(requires_materials=True)
    entry = make_entry(competition, staff("00123"), status="approved", draw_no=1)
    login_as(client, "zju_staff")
    assert REQUIRED in materials_line(page_of(client, "/my/"))
    advance(competition, "registration_closed")  # files may still change (approvals go on)
    assert REQUIRED in materials_line(page_of(client, "/my/"))
    asks = re.search(
        r'<p class="small ([\w-]+)">\s*本比赛需要提交参赛材料', page_of(client, f"/my/entries/{entry.id}")
    )
    assert asks and asks.group(1) == "text-danger"

    advance(competition, "scoring")  # judging has started: the files are what they are
    line = materials_line(page_of(client, "/my/"))
    assert REQUIRED not in line and "0" in line
    detail = page_of(client, f"/my/entries/{entry.id}")
    asks = re.search(r'<p class="small ([\w-]+)">\s*本比赛需要提交参赛材料', detail)
    assert asks is None or asks.group(1) == "text-muted"
    assert "评审已开始，文件不能再修改。" in detail


def test_no_materials_asked_when_the_competition_needs_none(client, world):
    competition = make_competition(requires_materials=False)
    make_entry(competition, staff("00123"))
    login_as(client, "zju_staff")
    assert REQUIRED not in materials_line(page_of(client, "/my/"))


# --- 工号 in plain text with tabular digits -------------------------------------------------------------


def test_staff_numbers_are_not_styled_as_code(client, world):
    competition = make_competition(name="2026年全省青年教师教学竞赛")
    entry = make_entry(competition, staff("00123"))
    login_as(client, "zju_admin")
    pages = {
        "entry": page_of(client, f"/my/entries/{entry.id}"),
        "entries": page_of(client, f"/competitions/{competition.id}/entries"),
        "roster": page_of(client, "/staff/ZJU/"),
    }
    for name, page in pages.items():
        assert "00123" in page, name
        assert not re.search(r"<code>\s*0012[34]\s*</code>", page), name
    assert re.search(r'<span class="num staff-no" data-testid="staff-no">00123</span>', pages["entry"])


# --- the demo banner's address ------------------------------------------------------------------------------


def test_server_url_follows_flask_run_host_and_port(monkeypatch):
    monkeypatch.delenv("FLASK_RUN_HOST", raising=False)
    monkeypatch.delenv("FLASK_RUN_PORT", raising=False)
    assert server_url() == "http://127.0.0.1:5000"
    assert server_url(port=8080) == "http://127.0.0.1:8080"
    monkeypatch.setenv("FLASK_RUN_PORT", "5123")
    assert server_url() == "http://127.0.0.1:5123"
    monkeypatch.setenv("FLASK_RUN_HOST", "0.0.0.0")  # noqa: S104 (every interface: opened as 127.0.0.1)
    assert server_url() == "http://127.0.0.1:5123"
    monkeypatch.setenv("FLASK_RUN_HOST", "192.168.1.20")
    assert server_url() == "http://192.168.1.20:5123"
    assert server_url(host="::1", port=9000) == "http://[::1]:9000"


SAVED = (
    "演示账号 / Demo log-ins\n"
    "打开 Open http://127.0.0.1:5000 (flask --app wsgi run), 用下列账号登录 / log in with one of these "
    "accounts.\n"
    "  证书 Certificate: http://127.0.0.1:5000/results/entries/7/certificate.pdf\n"
)


def test_with_url_rewrites_every_link():
    moved = with_url(SAVED, "http://127.0.0.1:5123")
    assert "5000" not in moved
    assert "打开 Open http://127.0.0.1:5123 (flask" in moved
    assert "http://127.0.0.1:5123/results/entries/7/certificate.pdf" in moved
    assert with_url(SAVED, "http://127.0.0.1:5000") == SAVED
    assert with_url("no address here\n", "http://x:1") == "no address here\n"


@pytest.fixture
def saved_logins(app):
    path = Path(app.instance_path) / LOGINS_FILE
    path.unlink(missing_ok=True)
    yield path
    path.unlink(missing_ok=True)


def test_the_saved_banner_is_printed_with_the_port_used_now(runner, ctx, saved_logins):
    db.session.add(University(code="DEMO", name="演示大学"))
    db.session.commit()
    saved_logins.write_text(SAVED, encoding="utf-8")
    result = runner.invoke(args=["demo", "--if-empty"], env={"FLASK_RUN_PORT": "5123", "FLASK_RUN_HOST": ""})
    assert result.exit_code == 0, result.output
    assert "打开 Open http://127.0.0.1:5123 (flask" in result.output and ":5000" not in result.output
    assert saved_logins.read_text(encoding="utf-8") == with_url(SAVED, "http://127.0.0.1:5123")
    explicit = runner.invoke(args=["demo", "--if-empty", "--url", "http://10.0.0.5:8000/"])
    assert "打开 Open http://10.0.0.5:8000 (flask" in explicit.output


def test_a_fresh_demo_is_loaded_with_the_port_used(runner, ctx, saved_logins, monkeypatch):
    asked = []

    def fake_load(*, seed, url):
        asked.append(url)
        return f"打开 Open {url} (flask --app wsgi run)\n"

    monkeypatch.setattr("competition.demo.load_demo", fake_load)
    assert db.session.scalar(select(University.id)) is None
    result = runner.invoke(args=["demo"], env={"FLASK_RUN_PORT": "5124", "FLASK_RUN_HOST": ""})
    assert result.exit_code == 0, result.output
    assert asked == ["http://127.0.0.1:5124"]
    assert "http://127.0.0.1:5124" in result.output


def test_make_run_passes_its_host_and_port_to_the_demo():
    dry = subprocess.run(
        ["make", "-n", "demo", "PORT=5125", "HOST=127.0.0.1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    [line] = [x for x in dry.stdout.splitlines() if " demo --if-empty" in x]
    assert "FLASK_RUN_HOST=127.0.0.1 FLASK_RUN_PORT=5125 " in line
