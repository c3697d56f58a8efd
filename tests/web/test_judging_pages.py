"""The organizer's judging pages: panel, progress with unlock, live console, paper sheets (form and Excel)."""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import (
    AuditLog,
    JudgeAssignment,
    JudgeConflict,
    ScoreSheet,
    StageState,
)
from tests.builders import (
    RUBRIC,
    advance,
    login_as,
    make_competition,
    make_entry,
    make_judge,
    make_scoring_contest,
    make_sheet,
    staff,
    user,
)

LIVE_RUBRIC = [
    {"name": "笔试", "weight": 0.3, "criteria": [{"name": "得分", "max_score": 100}]},
    {"name": "实操", "weight": 0.7, "mode": "live", "criteria": [{"name": "操作", "max_score": 100}]},
]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def words(fragment: str) -> str:
    """The text of an HTML fragment without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def row_of(page: str, judge: str) -> str:
    return words(re.search(rf'<tr data-judge="{judge}">(.*?)</tr>', page).group(1))


def flashes(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<div class="alert alert-\w+ alert-dismissible[^>]*>(.*?)<button', page, re.S)
    ]


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def sheet_of(judge: str, round_, entry) -> ScoreSheet | None:
    db.session.rollback()
    return db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == user(judge).id,
            ScoreSheet.round_id == round_.id,
            ScoreSheet.entry_id == entry.id,
        )
    )


class Page:
    """A test client logged in through the log-in form, posting forms with the CSRF token."""

    def __init__(self, app, username: str):
        self.client = app.test_client()
        self.token = login_as(self.client, username)

    def get(self, path: str, **params):
        return self.client.get(path, query_string=params or None)

    def post(self, path: str, data=None, **kwargs):
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def follow(self, path: str, data=None) -> str:
        response = self.post(path, data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return text_of(self.client.get(response.headers["Location"]))


@pytest.fixture
def contest(app, world, make):
    """Provincial: ZJU's 李老师 (1号) and HZU's 赵老师 (2号) in 文科组, judged by ZJU's and HZU's judges and
    an outside expert; scoring."""
    make_judge("judge_zju", world["zju"])
    make_judge("judge_hzu", world["hzu"])
    make_judge("expert")
    competition, entries = make_scoring_contest(
        [staff("00123"), staff("H001")], judges={"judge_zju": [0], "judge_hzu": [0], "expert": [0]}
    )
    return competition, entries


@pytest.fixture
def org_page(app, world) -> Page:
    return Page(app, "org")


def base(competition) -> str:
    return f"/judging/{competition.id}"


# --- who may open the pages ---------------------------------------------------------------------------------


PAGES = ["/panel", "/progress", "/console", "/paper", "/console/state"]


def test_the_competition_page_links_to_the_judging_pages_for_those_who_run_it(app, contest, org_page):
    competition, _entries = contest
    page = text_of(org_page.get(f"/competitions/{competition.id}"))
    assert f'href="{base(competition)}/panel"' in page and "评委安排" in page
    assert f'href="{base(competition)}/progress"' in page and f'href="{base(competition)}/paper"' in page
    assert "/console" not in page  # no live round
    staff_page = text_of(Page(app, "zju_staff").get(f"/competitions/{competition.id}"))
    assert "/judging/" not in staff_page


@pytest.mark.parametrize(
    "path", PAGES + ["/rounds/{round}/entries/{entry}/sheets/expert/unlock", "/progress/{group}/{round}"]
)
@pytest.mark.parametrize("who", ["zju_judge", "zju_staff", "hzu_admin", "zju_admin"])
def test_roles_that_may_not_run_a_provincial_competition_get_403(app, contest, path, who):
    competition, (first, _second) = contest
    url = base(competition) + path.format(
        round=competition.rounds[0].id, entry=first.id, group=competition.groups[0].id
    )
    assert Page(app, who).get(url).status_code == 403


def test_a_school_competition_is_404_outside_its_university_and_runs_for_its_admin(app, world, make):
    make_judge("judge_zju", world["zju"])
    competition, _entries = make_scoring_contest([staff("00123")], level="school", judges={"judge_zju": [0]})
    for path in PAGES:
        assert Page(app, "hzu_admin").get(base(competition) + path).status_code == 404
        assert Page(app, "zju_admin").get(base(competition) + path).status_code == 200
    assert Page(app, "org").get(base(competition) + "/panel").status_code == 200
    assert Page(app, "zju_admin").get("/judging/999999/panel").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(app, contest, client):
    competition, _entries = contest
    response = client.get(base(competition) + "/panel")
    assert response.status_code in (302, 401)


def test_the_posts_are_refused_to_other_roles_and_change_nothing(app, contest):
    competition, (first, _second) = contest
    judge = Page(app, "zju_judge")
    group = competition.groups[1].id
    assert (
        judge.post(
            base(competition) + "/panel/judges", {"username": "expert", "group_ids": group}
        ).status_code
        == 403
    )
    assert (
        judge.post(
            base(competition) + "/panel/conflicts",
            {"username": "expert", "entry_id": first.id, "reason": "x"},
        ).status_code
        == 403
    )
    assert count(JudgeAssignment) == 3 and count(JudgeConflict) == 0


# --- the panel ----------------------------------------------------------------------------------------------


def test_the_panel_shows_seats_universities_load_and_recusals_in_words(app, contest, org_page):
    competition, (zju_entry, hzu_entry) = contest
    org_page.post(
        base(competition) + "/panel/conflicts",
        {"username": "expert", "entry_id": hzu_entry.id, "reason": "亲属"},
    )
    page = text_of(org_page.get(base(competition) + "/panel"))
    assert set(re.findall(r'<tr data-judge="(\w+)">', page)) == {"judge_zju", "judge_hzu", "expert"}
    rows = {name: row_of(page, name) for name in ("judge_zju", "judge_hzu", "expert")}
    assert (
        "浙江大学" in rows["judge_zju"]
        and "1号 李老师" in rows["judge_zju"]
        and "本校回避" in rows["judge_zju"]
    )
    assert "杭州大学" in rows["judge_hzu"] and "2号 赵老师" in rows["judge_hzu"]
    assert (
        "校外专家" in rows["expert"] and "申报回避：亲属" in rows["expert"] and "2号 赵老师" in rows["expert"]
    )
    loads = re.findall(r'data-label="评分人数">(\d+)<', page)
    assert loads == ["1", "1", "1"]
    # the username picker offers every judge account of a provincial competition
    picker = re.search(r'<select class="form-select" id="add-username".*?</select>', page).group(0)
    assert {"judge_zju", "judge_hzu", "expert", "zju_judge"} <= set(re.findall(r'value="(\w+)"', picker))


def test_a_school_competition_offers_its_own_judges_and_outside_experts_only(app, world, make):
    make_judge("judge_zju", world["zju"])
    make_judge("judge_hzu", world["hzu"])
    make_judge("expert")
    competition, _entries = make_scoring_contest([staff("00123")], level="school", judges={"judge_zju": [0]})
    page = text_of(Page(app, "zju_admin").get(base(competition) + "/panel"))
    picker = re.search(r'<select class="form-select" id="add-username".*?</select>', page).group(0)
    assert set(re.findall(r'value="(\w+)"', picker)) == {"judge_zju", "zju_judge", "expert"}
    refused = Page(app, "zju_admin").follow(
        base(competition) + "/panel/judges", {"username": "judge_hzu", "group_ids": competition.groups[0].id}
    )
    assert "未能安排 judge_hzu" in " ".join(flashes(refused))
    assert count(JudgeAssignment, JudgeAssignment.judge_id == user("judge_hzu").id) == 0


def test_adding_a_judge_keeps_their_other_groups_and_taking_them_off_one_group_keeps_the_rest(
    app, contest, org_page
):
    competition, _entries = contest
    arts, science = competition.groups
    page = org_page.follow(
        base(competition) + "/panel/judges", {"username": "expert", "group_ids": science.id}
    )
    assert "expert 已安排到文科组、理科组；回避0位选手。" in flashes(page)
    assert {
        a.group_id
        for a in db.session.scalars(
            select(JudgeAssignment).where(JudgeAssignment.judge_id == user("expert").id)
        )
    } == {arts.id, science.id}
    page = org_page.follow(
        base(competition) + "/panel/judges/remove", {"username": "expert", "group_id": science.id}
    )
    assert "已将 expert 移出该组别。" in flashes(page)
    assert count(JudgeAssignment, JudgeAssignment.judge_id == user("expert").id) == 1
    assert 'data-confirm="将 expert 移出文科组？"' in page  # the take-off button asks first


def test_adding_without_a_group_or_taking_off_a_judge_with_sheets_is_refused(app, contest, org_page):
    competition, (zju_entry, _hzu) = contest
    page = org_page.follow(base(competition) + "/panel/judges", {"username": "expert"})
    assert "请至少选择一个组别。" in " ".join(flashes(page))
    make_sheet(user("expert"), competition.rounds[0], zju_entry, [30, 50])
    page = org_page.follow(
        base(competition) + "/panel/judges/remove",
        {"username": "expert", "group_id": competition.groups[0].id},
    )
    assert "未能移出 expert" in " ".join(flashes(page))
    assert count(JudgeAssignment, JudgeAssignment.judge_id == user("expert").id) == 1


def test_a_conflict_is_declared_with_its_reason_and_removed(app, contest, org_page):
    competition, (zju_entry, _hzu) = contest
    page = org_page.follow(
        base(competition) + "/panel/conflicts", {"username": "expert", "entry_id": zju_entry.id, "reason": ""}
    )
    assert "请填写回避原因" in " ".join(flashes(page))
    assert count(JudgeConflict) == 0
    page = org_page.follow(
        base(competition) + "/panel/conflicts",
        {"username": "expert", "entry_id": zju_entry.id, "reason": "指导过该选手"},
    )
    assert "已登记回避：expert 不再看到也不再评此选手。" in flashes(page)
    assert db.session.scalar(select(JudgeConflict.reason)) == "指导过该选手"
    assert "申报回避：指导过该选手" in row_of(page, "expert")
    page = org_page.follow(
        base(competition) + "/panel/conflicts/remove", {"username": "expert", "entry_id": zju_entry.id}
    )
    assert "已撤销回避：expert 重新评此选手。" in flashes(page)
    assert count(JudgeConflict) == 0
    actions = list(
        db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("judging.conflict%")))
    )
    assert actions == ["judging.conflict", "judging.conflict_remove"]


def test_before_scoring_a_recusal_that_leaves_too_few_judges_is_warned(app, world, make):
    for name in ("judge_zju", "e1", "e2"):
        make_judge(name, world["zju"] if name == "judge_zju" else None)
    competition = make_competition(status="registration_open", rounds=RUBRIC, scoring={"trim_min_judges": 3})
    first = make_entry(competition, staff("00123"), status="approved")
    second = make_entry(competition, staff("H001"), status="approved")
    advance(competition, "registration_closed")
    first.draw_no, second.draw_no = 5, 6
    db.session.commit()
    org = Page(app, "org")
    for name in ("judge_zju", "e1", "e2"):
        org.post(
            base(competition) + "/panel/judges", {"username": name, "group_ids": competition.groups[0].id}
        )
    page = text_of(org.get(base(competition) + "/panel"))
    warnings = re.findall(r'data-testid="short-panel">(.*?)</div>', page)
    assert len(warnings) == 1
    assert "5号选手只有2位评委，少于去掉最高最低分所需的3位" in warnings[0]
    assert "6号" not in warnings[0]


def test_a_judge_added_after_scoring_started_shows_as_behind(app, contest, org_page, make):
    competition, _entries = contest
    make_judge("late")
    org_page.post(
        base(competition) + "/panel/judges", {"username": "late", "group_ids": competition.groups[0].id}
    )
    page = text_of(org_page.get(base(competition) + "/panel"))
    assert "评分开始后加入 · 落后（进行中） 0/4" in row_of(page, "late")
    assert "评分开始后加入" not in row_of(page, "expert")


def test_once_published_the_panel_offers_no_change(app, contest, org_page):
    competition, (zju_entry, hzu_entry) = contest
    publish(competition, zju_entry, hzu_entry)
    page = text_of(org_page.get(base(competition) + "/panel"))
    assert "成绩已发布" in page and "/panel/judges" not in page
    refused = org_page.follow(
        base(competition) + "/panel/judges", {"username": "zju_judge", "group_ids": competition.groups[0].id}
    )
    assert "未能安排 zju_judge" in " ".join(flashes(refused))


def publish(competition, zju_entry, hzu_entry):
    """Every expected sheet submitted (a queue round each), then published."""
    for judge, entry in (
        ("judge_hzu", zju_entry),
        ("expert", zju_entry),
        ("judge_zju", hzu_entry),
        ("expert", hzu_entry),
    ):
        make_sheet(user(judge), competition.rounds[0], entry, [30, 50], token=f"{judge}-{entry.id}-0")
        make_sheet(user(judge), competition.rounds[1], entry, [20, 20, 20, 10], token=f"{judge}-{entry.id}-1")
    advance(competition, "published")


# --- progress and unlock ------------------------------------------------------------------------------------


@pytest.fixture
def panel_of_four(app, world, make):
    """An outside panel of four (e1..e4) on 文科组 with 1号 (ZJU) and 2号 (HZU); scoring."""
    for name in ("e1", "e2", "e3", "e4"):
        make_judge(name)
    competition, entries = make_scoring_contest(
        [staff("00123"), staff("H001")], judges={name: [0] for name in ("e1", "e2", "e3", "e4")}
    )
    return competition, entries


def board(page: str, competition, group_index=0, round_index=0) -> str:
    key = f"{competition.groups[group_index].id}-{competition.rounds[round_index].id}"
    return re.search(rf'data-board="{key}"(.*?)</section>', page, re.S).group(1)


def test_progress_shows_counts_who_is_behind_and_anomalies_with_the_median(app, panel_of_four, org_page):
    competition, (first, second) = panel_of_four
    design = competition.rounds[0]
    for name, values in (("e1", [36, 54]), ("e2", [35, 55]), ("e3", [34, 56]), ("e4", [10, 10])):
        make_sheet(user(name), design, first, values)
    make_sheet(user("e1"), design, second, [30, 30], submit=False)
    page = text_of(org_page.get(base(competition) + "/progress"))
    assert f'data-api="/api/v1/competitions/{competition.id}/progress"' in page
    assert "/static/js/progress_poll.js" in page
    design_board = board(page, competition)
    assert "已提交 4 / 8 份" in words(design_board)
    assert 'max="8" value="4"' in design_board
    behind = words(re.search(r'data-testid="behind">(.*?)</ul>', design_board, re.S).group(1))
    assert "1号评委 · e1 还差1份 草稿： 2号" in behind
    assert "2号评委 · e2 还差1份 未开始： 2号" in behind
    anomalies = words(re.search(r'data-testid="anomalies">(.*?)</table>', design_board, re.S).group(1))
    assert anomalies.startswith("出场序号 评委 合计 中位数 偏差")
    assert "1 李老师 e4 20.0 异常 90 -70" in anomalies
    assert "已提交 0 / 8 份" in words(board(page, competition, round_index=1))
    partial = org_page.get(base(competition) + "/progress", partial=1).get_data(as_text=True)
    assert "<html" not in partial and "data-board=" in partial
    assert org_page.get(f"{base(competition)}/progress/{competition.groups[1].id}/999999").status_code == 404


def test_a_submitted_sheet_is_reopened_with_a_reason_and_audited(app, panel_of_four, org_page):
    competition, (first, _second) = panel_of_four
    design = competition.rounds[0]
    make_sheet(user("e1"), design, first, [36, 54])
    url = f"{base(competition)}/rounds/{design.id}/entries/{first.id}/sheets/e1/unlock"
    page = text_of(org_page.get(base(competition) + "/progress"))
    grid_url = f"{base(competition)}/progress/{competition.groups[0].id}/{design.id}"
    assert f'href="{grid_url}"' in page and f'href="{url}"' not in page  # the grid is a page of its own
    grid = org_page.get(grid_url).get_data(as_text=True)
    cells = [words(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", grid, re.S)]
    assert cells[:4] == ["90.0 已提交 退回修改…", "未开始", "未开始", "未开始"]
    assert f'href="{url}"' in grid
    confirm = text_of(org_page.get(url))
    assert (
        "1号 李老师 · 教学设计" in confirm
        and "目标 36.0 40" in words(confirm)
        and "合计 90.0" in words(confirm)
    )
    assert 'data-confirm="退回 e1 对1号的评分表？"' in confirm
    refused = org_page.post(url, {"reason": "  "})
    assert refused.status_code == 422 and "请填写原因" in text_of(refused)
    assert sheet_of("e1", design, first).status == "submitted"
    done = org_page.follow(url, {"reason": "方法一项录错"})
    assert "e1 对1号的评分表已退回为草稿，评委会看到您填写的原因。" in flashes(done)
    sheet = sheet_of("e1", design, first)
    assert sheet.status == "draft" and sheet.reopened_reason == "方法一项录错"
    (row,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "sheet.unlock"))
    assert row.username == "org" and row.details["reason"] == "方法一项录错" and row.details["judge"] == "e1"
    again = org_page.post(url, {"reason": "再退一次"})
    assert again.status_code == 409 and "只有已提交的评分表才能退回" in text_of(again)


def test_once_published_a_sheet_can_no_longer_be_reopened(app, contest, org_page):
    competition, (zju_entry, hzu_entry) = contest
    publish(competition, zju_entry, hzu_entry)
    design = competition.rounds[0]
    url = f"{base(competition)}/rounds/{design.id}/entries/{zju_entry.id}/sheets/expert/unlock"
    assert "退回修改…" not in text_of(
        org_page.get(f"{base(competition)}/progress/{competition.groups[0].id}/{design.id}")
    )
    page = text_of(org_page.get(url))
    assert "成绩已发布，评分表不能再退回修改。" in page and 'name="reason"' not in page
    refused = org_page.post(url, {"reason": "想改"})
    assert refused.status_code == 409
    assert "成绩已发布，评分表不能再退回修改。" in text_of(refused)
    assert sheet_of("expert", design, zju_entry).status == "submitted"
    assert count(AuditLog, AuditLog.action == "sheet.unlock") == 0


def test_an_unlock_of_another_competitions_sheet_is_404(app, contest, org_page):
    competition, (zju_entry, _hzu) = contest
    other = make_competition(status="draft", name="另一个比赛")
    url = f"/judging/{other.id}/rounds/{competition.rounds[0].id}/entries/{zju_entry.id}/sheets/expert/unlock"
    assert org_page.get(url).status_code == 404
    assert (
        org_page.get(
            base(competition)
            + f"/rounds/{competition.rounds[0].id}/entries/{zju_entry.id}/sheets/nobody/unlock"
        ).status_code
        == 404
    )


# --- paper sheets: one at a time ----------------------------------------------------------------------------


def paper_form(round_, judge: str, entry, values) -> dict:
    data = {"round_id": round_.id, "judge": judge, "entry_id": entry.id}
    data.update({f"score-{c.id}": v for c, v in zip(round_.criteria, values, strict=True)})
    return data


def test_the_paper_form_lists_the_judges_entries_and_one_field_per_criterion(app, contest, org_page):
    competition, (zju_entry, hzu_entry) = contest
    design = competition.rounds[0]
    make_sheet(user("expert"), design, hzu_entry, [30, 40])
    page = text_of(org_page.get(base(competition) + "/paper", round_id=design.id, judge="expert"))
    rows = words(re.search(r'data-testid="desk-rows">(.*?)</table>', page, re.S).group(1))
    assert "文科组 1 李老师 未开始 —" in rows and "文科组 2 赵老师 已提交 70.0" in rows
    entry_select = re.search(r'<select class="form-select " id="p-entry".*?</select>', page, re.S).group(0)
    assert re.findall(r'value="(\d+)"', entry_select) == [
        str(zju_entry.id)
    ]  # the submitted one is not offered
    for criterion in design.criteria:
        assert f'name="score-{criterion.id}" type="text" inputmode="decimal"' in page
    assert "目标 满分40" in words(page) and "方法 满分60" in words(page)
    # the judges of a provincial panel; judge_zju does not score 1号 (own university)
    zju = text_of(org_page.get(base(competition) + "/paper", round_id=design.id, judge="judge_zju"))
    assert "1 李老师" not in words(re.search(r'data-testid="desk-rows">(.*?)</table>', zju, re.S).group(1))


def test_a_paper_sheet_is_submitted_for_the_judge_and_audited_as_entered_by_the_organizer(
    app, contest, org_page
):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    page = org_page.follow(
        base(competition) + "/paper/sheet", paper_form(design, "expert", zju_entry, ["35.5", "50"])
    )
    assert "已代 expert 提交评分表（合计85.5），并记录为由您录入。" in flashes(page)
    sheet = sheet_of("expert", design, zju_entry)
    assert sheet.status == "submitted" and sheet.total_tenths == 855 and sheet.entered_by_id == user("org").id
    (row,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "sheet.enter_on_paper"))
    assert row.username == "org" and row.details["judge"] == "expert" and row.details["total"] == "85.5"
    again = org_page.post(
        base(competition) + "/paper/sheet", paper_form(design, "expert", zju_entry, ["1", "1"])
    )
    assert again.status_code == 409 and "已提交：如需修改，请先在评分进度页退回" in text_of(again)
    assert sheet_of("expert", design, zju_entry).total_tenths == 855


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["40.5", "50"], "此评分项最高 40.0 分。"),
        (["8.25", "50"], "最多保留一位小数，例如 8.5。"),
        (["abc", "50"], "请输入 0 到 40.0 之间的数字。"),
        (["", "50"], "提交前请为每个评分项打分（0 到 40.0）。"),
        (["-1", "50"], "分数不能小于 0。"),
    ],
)
def test_a_paper_sheet_with_a_bad_value_is_422_and_writes_nothing(app, contest, org_page, values, message):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    response = org_page.post(
        base(competition) + "/paper/sheet", paper_form(design, "expert", zju_entry, values)
    )
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    first = design.criteria[0]
    assert f'class="form-control num-input is-invalid" id="score-{first.id}"' in page
    assert f'value="{values[1]}"' in page  # what was typed stays
    assert count(ScoreSheet) == 0 and count(AuditLog, AuditLog.action.like("sheet.%")) == 0


def test_a_paper_sheet_for_a_recused_or_unknown_pair_is_refused(app, contest, org_page):
    competition, (zju_entry, _hzu) = contest
    design = competition.rounds[0]
    recused = org_page.post(
        base(competition) + "/paper/sheet", paper_form(design, "judge_zju", zju_entry, [30, 30])
    )
    assert recused.status_code == 422 and "该评委不评此选手" in text_of(recused)
    unknown = org_page.post(
        base(competition) + "/paper/sheet", paper_form(design, "zju_judge", zju_entry, [30, 30])
    )
    assert unknown.status_code == 422 and "请选择本赛事评委组中的评委" in text_of(unknown)
    assert count(ScoreSheet) == 0


# --- paper sheets: the Excel template -----------------------------------------------------------------------


def template(org_page, competition, round_) -> openpyxl.Workbook:
    response = org_page.get(f"{base(competition)}/paper/{round_.id}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.data))


def fill(book: openpyxl.Workbook, sheet: str, draw_no: int, values: list) -> None:
    """Write ``values`` in the criterion columns of the row of ``draw_no`` on ``sheet``."""
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    first = header.index("出场序号") + 1
    for row in ws.iter_rows(min_row=2):
        if row[first - 1].value == draw_no:
            for offset, value in enumerate(values):
                row[first + offset].value = value
            return
    raise AssertionError(f"no row for {draw_no} on {sheet}")


def upload(org_page, competition, round_, book: openpyxl.Workbook):
    buffer = io.BytesIO()
    book.save(buffer)
    return org_page.post(
        f"{base(competition)}/paper/import",
        {"round_id": round_.id, "file": (io.BytesIO(buffer.getvalue()), "纸质评分.xlsx")},
        content_type="multipart/form-data",
    )


def test_the_template_has_a_sheet_per_judge_rows_by_draw_number_and_criteria_with_their_maximum(
    app, contest, org_page
):
    competition, (zju_entry, hzu_entry) = contest
    design = competition.rounds[0]
    make_sheet(user("expert"), design, hzu_entry, [30, 40])
    book = template(org_page, competition, design)
    assert book.sheetnames == ["说明", "judge_zju", "judge_hzu", "expert"]
    assert [c.value for c in book["expert"][1]] == [
        "评委账号",
        "评委",
        "组别",
        "出场序号",
        "目标（满分40）",
        "方法（满分60）",
        "状态",
    ]
    rows = [[c.value for c in r] for r in book["expert"].iter_rows(min_row=2)]
    assert rows == [
        ["expert", "expert", "文科组", 1, None, None, None],
        ["expert", "expert", "文科组", 2, None, None, "已提交"],
    ]
    assert [[c.value for c in r][3] for r in book["judge_zju"].iter_rows(min_row=2)] == [2]  # 1号 recused


def test_formula_like_text_in_the_template_is_neutralised(app, contest, org_page, make):
    competition, _entries = contest
    expert = user("expert")
    expert.display_name = "=HYPERLINK(1)"
    db.session.commit()
    book = template(org_page, competition, competition.rounds[0])
    cell = book.worksheets[-1]["B2"]
    assert cell.value == "'=HYPERLINK(1)" and cell.data_type == "s"


def test_a_filled_template_round_trips_through_preview_and_confirm(app, contest, org_page):
    competition, (zju_entry, hzu_entry) = contest
    design = competition.rounds[0]
    book = template(org_page, competition, design)
    fill(book, "expert", 1, [35.5, 50])
    fill(book, "expert", 2, [30, 45])
    fill(book, "judge_hzu", 1, [38, 52.5])
    preview = upload(org_page, competition, design, book)
    assert preview.status_code == 200, text_of(preview)
    page = text_of(preview)
    assert "检查通过，尚未写入任何数据。其中有“教学设计”的3张评分表" in page
    assert count(ScoreSheet) == 0
    token = re.search(r'name="token" value="(\w+)"', page).group(1)
    done = org_page.follow(
        f"{base(competition)}/paper/import/confirm", {"token": token, "round_id": design.id}
    )
    assert "已提交3张纸质评分表，均记录为由您录入。" in flashes(done)
    assert sheet_of("expert", design, zju_entry).total_tenths == 855
    assert sheet_of("expert", design, hzu_entry).total_tenths == 750
    hzu = sheet_of("judge_hzu", design, zju_entry)
    assert hzu.total_tenths == 905 and hzu.status == "submitted" and hzu.entered_by_id == user("org").id
    entered = db.session.scalars(select(AuditLog).where(AuditLog.action == "sheet.enter_on_paper")).all()
    assert sorted(r.details["judge"] for r in entered) == ["expert", "expert", "judge_hzu"]
    assert {r.username for r in entered} == {"org"}
    # the same file again: every row is now already submitted
    again = upload(org_page, competition, design, book)
    assert again.status_code == 422 and text_of(again).count("已提交：请先退回再导入") == 3


def test_an_import_with_one_bad_row_writes_nothing_and_lists_the_row(app, contest, org_page):
    competition, (zju_entry, hzu_entry) = contest
    design = competition.rounds[0]
    book = template(org_page, competition, design)
    fill(book, "expert", 1, [35.5, 50])
    fill(book, "expert", 2, [41, 45])  # above 目标's maximum of 40, on Excel row 3
    ws = book["judge_zju"]
    ws.append(["judge_zju", "judge_zju", "文科组", 1, 30, 30, None])  # 1号 is ZJU's: recused, row 3
    response = upload(org_page, competition, design, book)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    table = re.search(r'data-testid="import-errors">(.*?)</table>', page, re.S).group(1)
    rows = [words(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert rows == [
        "judge_zju 3 出场序号 judge_zju 须回避1号选手。",
        "expert 3 目标（满分40） 此评分项最高 40.0 分。",
    ]
    assert "文件未导入：发现2个问题，未写入任何数据。" in text_of(response)
    assert count(ScoreSheet) == 0 and count(AuditLog, AuditLog.action.like("sheet.%")) == 0


def test_a_file_that_is_not_the_template_is_refused_in_words(app, contest, org_page):
    competition, _entries = contest
    design = competition.rounds[0]
    response = org_page.post(
        f"{base(competition)}/paper/import",
        {"round_id": design.id, "file": (io.BytesIO(b"%PDF-1.4 not a workbook"), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "这不是 Excel 工作簿" in text_of(response)
    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名"])
    response = upload(org_page, competition, design, book)
    assert response.status_code == 422 and "没有工作表包含模板的表头" in text_of(response)


# --- the live console ---------------------------------------------------------------------------------------


@pytest.fixture
def live(app, world, make):
    """A written round in queue mode and a practical one live; 1号 and 2号 in 文科组, two outside experts."""
    make_judge("expert")
    make_judge("expert2")
    competition = make_competition(status="registration_open", rounds=LIVE_RUBRIC)
    entries = [make_entry(competition, staff(no), status="approved") for no in ("00123", "H001")]
    advance(competition, "registration_closed")
    org = Page(app, "org")
    for n, entry in enumerate(entries, 1):
        entry.draw_no = n
    db.session.commit()
    for name in ("expert", "expert2"):
        org.post(
            f"/judging/{competition.id}/panel/judges",
            {"username": name, "group_ids": competition.groups[0].id},
        )
    advance(competition, "scoring")
    return competition, entries


def test_the_console_puts_an_entry_on_stage_and_shows_who_submitted(app, live, org_page):
    competition, (first, second) = live
    practical = competition.rounds[1]
    detail = text_of(org_page.get(f"/competitions/{competition.id}"))
    assert f'href="{base(competition)}/console"' in detail and "现场控制台" in detail
    page = text_of(org_page.get(base(competition) + "/console"))
    assert "实操" in page and 'data-testid="on-stage">无人' in page
    assert page.count("上场</button>") == 2
    group = competition.groups[0].id
    form = {"group_id": group, "round_id": practical.id, "entry_id": first.id, "screen": "scoring"}
    page = org_page.follow(base(competition) + "/console/stage", form)
    assert "1号已上场，大屏显示“评分中”。" in flashes(page)
    state = db.session.scalar(select(StageState))
    assert (state.entry_id, state.round_id, state.screen) == (first.id, practical.id, "scoring")
    assert 'data-testid="on-stage">1号' in page
    assert "0 / 2" in words(re.search(r'data-testid="stage-count">(.*?)</p>', page).group(1))
    make_sheet(user("expert"), practical, first, [88])
    polled = org_page.get(
        base(competition) + "/console/state", group_id=group, round_id=practical.id
    ).get_json()
    assert polled["on_stage"]["entry_id"] == first.id
    assert polled["on_stage"]["submitted"] == 1 and polled["on_stage"]["expected"] == 2
    assert polled["entries"][0] == {
        "entry_id": first.id,
        "draw_no": 1,
        "submitted": 1,
        "expected": 2,
        "on_stage": True,
    }
    page = org_page.follow(base(competition) + "/console/stage", {**form, "screen": "next"})
    assert "大屏显示“待上场”" in " ".join(flashes(page))
    assert count(AuditLog, AuditLog.action == "stage.set") == 2


def test_the_console_refuses_a_bad_stage_and_without_live_rounds_says_so(app, live, org_page):
    queue_only = make_competition(status="registration_open", name="排队模式的比赛")
    page = text_of(org_page.get(base(queue_only) + "/console"))
    assert "本赛事没有现场轮次" in page
    live_competition, (first, _second) = live
    form = {
        "group_id": live_competition.groups[0].id,
        "round_id": live_competition.rounds[1].id,
        "entry_id": 999999,
    }
    page = org_page.follow(f"/judging/{live_competition.id}/console/stage", form)
    assert "舞台未更改" in " ".join(flashes(page))
    assert count(StageState) == 0
