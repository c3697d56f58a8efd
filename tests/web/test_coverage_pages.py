"""Coverage pages: who may open what, the API's figures on pages, charts and workbooks, and the forms."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditLog, OfflineParticipation
from competition.services.settings import thresholds
from tests.builders import api_login_as, csrf_token, login_as
from tests.web.test_api_coverage import YEAR, add_offline, build_covered_world, participation_file, staff_no

ALL = {None: 302, "org": 200, "zju_admin": 200, "hzu_admin": 404, "zju_judge": 403, "zju_staff": 403}
ORGANIZERS = {None: 302, "org": 200, "zju_admin": 403, "zju_judge": 403, "zju_staff": 403}
MATRIX = [
    ("/coverage/", {None: 302, "org": 200, "zju_admin": 302, "zju_judge": 403, "zju_staff": 403}),
    ("/coverage/?mode=screen", {"org": 200, "zju_admin": 302}),
    ("/coverage/ZJU", ALL),
    ("/coverage/ZJU?mode=screen", ALL),
    ("/coverage/NOPE", {"org": 404, "zju_admin": 404}),
    ("/coverage/ZJU/uncovered", ALL),
    ("/coverage/ZJU/uncovered.xlsx", ALL),
    ("/coverage/ZJU/report.xlsx", ALL),
    ("/coverage/ZJU/summary", ALL),
    ("/coverage/ZJU/participations", ALL),
    ("/coverage/ZJU/participations/template.xlsx", ALL),
    ("/coverage/report.xlsx", ORGANIZERS),
    ("/coverage/summary", ORGANIZERS),
    ("/coverage/me", {None: 302, "org": 403, "zju_admin": 403, "zju_judge": 403, "zju_staff": 200}),
]
CASES = [(path, user, status) for path, expected in MATRIX for user, status in expected.items()]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def covered_world(world, make):
    return build_covered_world(world, make)


@pytest.mark.parametrize(("path", "user", "status"), CASES)
def test_permission_matrix(client, covered_world, path, user, status):
    if user:
        login_as(client, user)
    response = client.get(path)
    assert response.status_code == status
    if user is None:
        assert "/auth/login" in response.headers["Location"]
    if status == 200 and path.endswith(".xlsx"):
        assert response.mimetype == XLSX


def test_a_university_admin_is_taken_to_their_university(client, covered_world):
    login_as(client, "zju_admin")
    response = client.get(f"/coverage/?year={YEAR}")
    assert response.headers["Location"] == f"/coverage/ZJU?year={YEAR}"


class Cells(HTMLParser):
    """The text of every ``data-field`` cell, grouped by its row's ``data-testid`` (or its table's)."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[tuple[str, str]]] = {}
        self.row: str | None = None
        self.field: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.row = attrs.get("data-testid")
            if self.row:
                self.rows.setdefault(self.row, []).append([])
        elif tag == "td" and self.row and "data-field" in attrs:
            self.field, self.text = attrs["data-field"], ""

    def handle_data(self, data):
        if self.field:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "td" and self.field:
            self.rows[self.row][-1].append((self.field, self.text.strip()))
            self.field = None


def cells(page: str) -> dict[str, list[list[tuple[str, str]]]]:
    parser = Cells()
    parser.feed(page)
    return parser.rows


def pct(rate: float) -> str:
    return f"{(Decimal(str(rate)) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def by_testid(page: str, name: str) -> str:
    found = re.search(rf'data-testid="{name}"[^>]*>([^<]*)<', page)
    assert found, name
    return found.group(1).strip()


def charts(page: str) -> dict[str, dict]:
    found = re.findall(r'data-testid="(chart-[\w-]+)"[^>]*data-chart=\'([^\']*)\'', page)
    return {name: json.loads(html.unescape(data)) for name, data in found}


def api(client, user: str, path: str):
    api_login_as(client, user)
    return client.get("/api/v1" + path).get_json()


def test_the_province_page_shows_the_api_figures(client, covered_world):
    body = api(client, "org", f"/coverage?year={YEAR}")
    page = client.get(f"/coverage/?year={YEAR}").get_data(as_text=True)
    assert by_testid(page, "card-total-covered") == str(body["totals"]["covered"])
    assert by_testid(page, "card-total-headcount") == str(body["totals"]["headcount"])
    assert by_testid(page, "card-total-rate") == pct(body["totals"]["rate"])
    assert by_testid(page, "meeting") == "0" and by_testid(page, "universities") == "2"
    rows = cells(page)
    for item in body["items"]:
        [row] = rows[f"row-{item['university']}"]
        expected = []
        for key in ("total", "teaching_research", "admin_logistics", "other"):
            rate = pct(item["rate"][key]) if item["headcount"][key] else "—"
            expected += [
                ("headcount", str(item["headcount"][key])),
                ("covered", str(item["covered"][key])),
                ("rate", rate),
            ]
        assert row == expected
    bars = charts(page)["chart-universities"]
    assert [(r["name"], r["label"].split()[-1]) for r in bars["rows"]] == [
        (i["name"], pct(i["rate"]["total"])) for i in sorted(body["items"], key=lambda i: -i["rate"]["total"])
    ]
    assert bars["rows"][0]["url"] == f"/coverage/HZU?year={YEAR}"
    assert bars["target"] == 90.0
    # No inline script anywhere (the content security policy forbids it); the charts read data-chart.
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None


def test_the_university_page_shows_the_api_figures(client, covered_world):
    body = api(client, "zju_admin", f"/universities/ZJU/coverage?year={YEAR}")
    page = client.get(f"/coverage/ZJU?year={YEAR}").get_data(as_text=True)
    for key in ("total", "teaching_research", "admin_logistics", "other"):
        assert by_testid(page, f"card-{key}-covered") == str(body["covered"][key])
        assert by_testid(page, f"card-{key}-headcount") == str(body["headcount"][key])
        assert by_testid(page, f"card-{key}-rate") == pct(body["rate"][key])
    departments = {row[0][1]: [f[1] for f in row[1:]] for row in cells(page)["department-row"]}
    assert departments == {
        d["name"]: [str(d["headcount"]), str(d["covered"]), pct(d["rate"])] for d in body["departments"]
    }
    found = charts(page)
    assert found["chart-trend"]["values"] == [m["covered"] for m in body["trend"]]
    assert found["chart-trend"]["headcount"] == body["headcount"]["total"]
    assert {r["name"]: r["label"].split()[-1] for r in found["chart-departments"]["rows"]} == {
        d["name"]: pct(d["rate"]) for d in body["departments"]
    }
    assert "省青年教师教学竞赛" in page and "浙大岗位练兵" in page
    # The competitions of the year with their approved entries from ZJU (one by a person who has left since).
    assert re.findall(r'data-field="participants">(\d+)<', page) == ["2", "1"]
    assert "教职工读书会" in page


def test_the_gap_to_the_target_in_people(client, covered_world):
    login_as(client, "zju_admin")
    page = client.get(f"/coverage/ZJU?year={YEAR}").get_data(as_text=True)
    # 2 of 4 covered, target 90%: 4 are needed (3/4 is 75%), so 2 more; 2 not yet covered.
    assert "距目标 90.0% 还差 2 人" in page
    assert "尚有 2 人未覆盖" in page


def test_projector_mode(client, covered_world):
    login_as(client, "org")
    page = client.get(f"/coverage/?year={YEAR}&mode=screen").get_data(as_text=True)
    assert 'data-refresh="60"' in page and 'data-advance="15"' in page and "coverage-screen" in page
    # Screens: every university as a tile (best first), then the cards and the trend, then the table.
    assert page.count("data-slide ") + page.count("data-slide>") == 3
    assert re.findall(r'class="tile-name" title="([^"]+)"', page) == ["杭州大学", "浙江大学"]
    assert 'data-testid="chart-trend"' in page and 'data-testid="chart-universities"' not in page
    assert 'data-testid="universities-table"' in page and 'data-testid="screen-pager"' in page
    assert "thresholds-form" not in page and "退出投影模式" in page


def test_the_staff_not_yet_covered(client, covered_world):
    login_as(client, "zju_admin")
    page = client.get(f"/coverage/ZJU/uncovered?year={YEAR}").get_data(as_text=True)
    assert "孙老师" in page and "周师傅" in page and "李老师" not in page and "离职者" not in page
    assert by_testid(page, "uncovered-total") == "共 2 人未覆盖"
    # 工号 as plain text (not code), by the pinyin of departments: 后勤处 (hou) before 文学院 (wen).
    assert "<code>" not in page
    assert re.findall(r'data-testid="staff-no">([^<]+)<', page) == ["00126", "00125"]
    page = client.get(f"/coverage/ZJU/uncovered?year={YEAR}&department=后勤处").get_data(as_text=True)
    assert "周师傅" in page and "孙老师" not in page
    page = client.get(f"/coverage/ZJU/uncovered?year={YEAR}&category=teaching_research").get_data(
        as_text=True
    )
    assert "孙老师" in page and "周师傅" not in page
    page = client.get(f"/coverage/ZJU/uncovered?year={YEAR}&per_page=1").get_data(as_text=True)
    assert page.count('data-testid="staff-no"') == 1 and "page=2" in page
    # The export holds every one of them, not one page.
    frame = read(client.get(f"/coverage/ZJU/uncovered.xlsx?year={YEAR}&per_page=1").data, "未覆盖人员")
    assert list(frame.columns) == ["工号", "姓名", "部门", "岗位类别"]
    assert list(frame["工号"]) == ["00126", "00125"]
    frame = read(client.get(f"/coverage/ZJU/uncovered.xlsx?year={YEAR}&category=other").data, "未覆盖人员")
    assert list(frame["姓名"]) == ["周师傅"]


def read(data: bytes, sheet: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name=sheet, engine="calamine", dtype={"工号": str})


def test_the_university_report_holds_the_page_figures(client, covered_world):
    body = api(client, "zju_admin", f"/universities/ZJU/coverage?year={YEAR}")
    response = client.get(f"/coverage/ZJU/report.xlsx?year={YEAR}")
    assert response.mimetype == XLSX
    data = response.data
    book = pd.ExcelFile(io.BytesIO(data), engine="calamine")
    assert book.sheet_names == ["汇总", "部门", "未覆盖人员", "活动", "月度趋势", "说明"]
    summary = read(data, "汇总")
    assert list(summary["范围"]) == ["全体教职工", "教学科研岗", "行政后勤岗", "其他"]
    keys = ["total", "teaching_research", "admin_logistics", "other"]
    assert list(summary["在职人数"]) == [body["headcount"][k] for k in keys]
    assert list(summary["已覆盖人数"]) == [body["covered"][k] for k in keys]
    assert list(summary["覆盖率"]) == [body["rate"][k] for k in keys]
    assert list(summary["未覆盖人数"]) == [body["headcount"][k] - body["covered"][k] for k in keys]
    departments = read(data, "部门")
    assert departments[["部门", "在职人数", "已覆盖人数", "覆盖率"]].values.tolist() == [
        [d["name"], d["headcount"], d["covered"], d["rate"]] for d in body["departments"]
    ]
    uncovered = read(data, "未覆盖人员")
    listed = client.get(f"/api/v1/universities/ZJU/uncovered?year={YEAR}").get_json()["items"]
    assert list(uncovered["工号"]) == [s["staff_no"] for s in listed]
    events = read(data, "活动")
    assert events[["类型", "名称", "参与人数"]].values.tolist() == [
        ["平台竞赛", "省青年教师教学竞赛", 2],
        ["平台竞赛", "浙大岗位练兵", 1],
        ["线下活动", "教职工读书会", 1],
    ]
    trend = read(data, "月度趋势")
    assert list(trend["累计覆盖人数"]) == [m["covered"] for m in body["trend"]]
    # Rates are numbers shown as percentages with one decimal.
    sheet = openpyxl.load_workbook(io.BytesIO(data))["汇总"]
    assert sheet["D2"].value == 0.5 and sheet["D2"].number_format == "0.0%"


def test_the_province_report_holds_the_page_figures(client, covered_world):
    body = api(client, "org", f"/coverage?year={YEAR}")
    data = client.get(f"/coverage/report.xlsx?year={YEAR}").data
    # Sheets named for what they hold: universities, and counts of people (not the people).
    assert pd.ExcelFile(io.BytesIO(data), engine="calamine").sheet_names == [
        "汇总",
        "高校",
        "未覆盖人数",
        "活动",
        "月度趋势",
        "说明",
    ]
    summary = read(data, "汇总")
    assert summary.loc[0, "在职人数"] == body["totals"]["headcount"]
    assert summary.loc[0, "已覆盖人数"] == body["totals"]["covered"]
    assert summary.loc[0, "覆盖率"] == body["totals"]["rate"]
    universities = read(data, "高校")
    # 杭州大学 (hang) before 浙江大学 (zhe): the pinyin order, here the same as the API's order of codes.
    assert universities[["高校代码", "在职人数", "已覆盖人数", "覆盖率"]].values.tolist() == [
        [i["university"], i["headcount"]["total"], i["covered"]["total"], i["rate"]["total"]]
        for i in body["items"]
    ]
    assert list(universities["教学科研岗覆盖率"]) == [i["rate"]["teaching_research"] for i in body["items"]]
    uncovered = read(data, "未覆盖人数")
    assert list(uncovered["合计未覆盖"]) == [
        i["headcount"]["total"] - i["covered"]["total"] for i in body["items"]
    ]
    events = read(data, "活动")
    assert sorted(events[["名称", "参与人数"]].values.tolist()) == [
        ["教职工读书会", 1],
        ["浙大岗位练兵", 1],
        ["省青年教师教学竞赛", 3],
    ]


def test_report_cells_that_look_like_formulas_are_neutralised(client, covered_world):
    add_offline(staff_no("00125"), event='=HYPERLINK("http://evil")')
    login_as(client, "zju_admin")
    data = client.get(f"/coverage/ZJU/report.xlsx?year={YEAR}").data
    names = list(read(data, "活动")["名称"])
    assert '\'=HYPERLINK("http://evil")' in names


def test_the_printable_summaries(client, covered_world):
    login_as(client, "org")
    for path in (f"/coverage/ZJU/summary?year={YEAR}", f"/coverage/summary?year={YEAR}"):
        page = client.get(path).get_data(as_text=True)
        assert "data-print" in page and "js/coverage.js" in page
        assert "填报单位（盖章）" in page
        assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    page = client.get(f"/coverage/ZJU/summary?year={YEAR}").get_data(as_text=True)
    assert f"浙江大学 {YEAR}年度教职工技能竞赛参与情况汇总" in page
    assert re.findall(r'data-key="total">.*?data-field="covered">(\d+)<', page, re.S) == ["2"]


def post_thresholds(client, target, warning, *, token: str | None = None):
    data = {"target": target, "warning": warning}
    if token is not None:
        data["csrf_token"] = token
    return client.post(f"/coverage/thresholds?year={YEAR}", data=data)


def test_an_organizer_sets_the_thresholds(client, covered_world, app):
    login_as(client, "org")
    response = post_thresholds(client, "50", "30", token=csrf_token(client))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/coverage/?year={YEAR}"
    db.session.rollback()
    assert thresholds().target == Decimal("0.5") and thresholds().warning == Decimal("0.3")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "settings.coverage_thresholds")
        )
        == 1
    )
    page = client.get(f"/coverage/?year={YEAR}").get_data(as_text=True)
    assert "阈值已保存：目标 50.0%，预警线 30.0%。" in page
    # ZJU at 50% and HZU at 50% now both meet the target.
    assert by_testid(page, "meeting") == "2"


@pytest.mark.parametrize(
    ("target", "warning", "words"),
    [
        ("80", "95", "预警线须低于目标值"),
        ("abc", "50", 'class="invalid-feedback'),
        ("120", "50", "请填写 0 到 100 之间的数。"),
        ("", "50", "请填写百分比。"),
    ],
)
def test_the_thresholds_form_refuses_in_words(client, covered_world, target, warning, words):
    login_as(client, "org")
    response = post_thresholds(client, target, warning, token=csrf_token(client))
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    db.session.rollback()
    assert thresholds().target == Decimal("0.90")


def test_the_thresholds_need_an_organizer_and_the_csrf_token(client, covered_world):
    login_as(client, "zju_admin")
    assert post_thresholds(client, "50", "30", token=csrf_token(client)).status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    login_as(client, "org")
    assert post_thresholds(client, "50", "30").status_code == 400
    db.session.rollback()
    assert thresholds().target == Decimal("0.90")


def upload(client, code: str, data: bytes, name: str = "活动.xlsx"):
    return client.post(
        f"/coverage/{code}/participations",
        data={"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client)},
        content_type="multipart/form-data",
    )


def test_the_participation_import_page(client, world):
    login_as(client, "zju_admin")
    bad = participation_file(
        [("00123", "读书会", f"{YEAR}-03-05"), ("NOPE", "读书会", f"{YEAR}-03-05"), ("00124", "", "2099-1-1")]
    )
    response = upload(client, "ZJU", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="import-errors"' in page and "活动.xlsx" in page
    assert re.findall(r'<td class="num">(\d+)</td><td>([^<]+)</td>', page) == [
        ("3", "工号"),
        ("4", "活动名称"),
        ("4", "日期"),
    ]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OfflineParticipation)) == 0

    good = participation_file([("00123", "读书会", f"{YEAR}-03-05"), ("00124", "读书会", f"{YEAR}-03-06")])
    response = upload(client, "ZJU", good)
    assert response.status_code == 200  # the preview: nothing written yet
    assert db.session.scalar(select(func.count()).select_from(OfflineParticipation)) == 0
    preview = response.get_data(as_text=True)
    hidden = dict(re.findall(r'name="(token|plan)" type="hidden" value="([^"]*)"', preview))
    assert set(hidden) == {"token", "plan"}
    response = client.post(
        "/coverage/ZJU/participations/confirm", data={"csrf_token": csrf_token(client), **hidden}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已导入 2 条参与记录。" in page
    again = upload(client, "ZJU", good)
    assert 'data-testid="nothing-to-add"' in again.get_data(as_text=True)
    page = client.get(f"/coverage/ZJU/participations?year={YEAR}").get_data(as_text=True)
    listed = re.findall(r'<td class="name-cell">(.+?)</td>.*?<td class="num">(\d+)</td>', page, re.S)
    assert listed == [("读书会", "2")]


def test_an_upload_without_a_file_is_refused(client, world):
    login_as(client, "zju_admin")
    response = client.post("/coverage/ZJU/participations", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 422
    assert "请选择要导入的文件" in response.get_data(as_text=True)


def test_a_staff_member_sees_their_own_participation(client, covered_world):
    login_as(client, "zju_staff")
    page = client.get(f"/coverage/me?year={YEAR}").get_data(as_text=True)
    assert "省青年教师教学竞赛" in page and "浙大岗位练兵" in page
    assert "已通过" in page and "本年度您已参与" in page
    add_offline(staff_no("00123"), event="教职工运动会", on=date(YEAR, 7, 1))
    page = client.get(f"/coverage/me?year={YEAR}").get_data(as_text=True)
    assert "教职工运动会" in page
    page = client.get(f"/coverage/me?year={YEAR - 1}").get_data(as_text=True)
    assert "本年度尚无计入的参与记录" in page and "本年度暂无报名。" in page


def test_the_pages_speak_english(client, covered_world):
    login_as(client, "org")
    page = client.get(f"/coverage/?year={YEAR}&lang=en").get_data(as_text=True)
    assert 'lang="en"' in page and "Coverage per university" in page and "Every university" in page
