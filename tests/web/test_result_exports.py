"""The results workbook: a sheet per group (provisional while scoring, the snapshot once published) and the
raw sheets criterion by criterion, from the results page and through the API."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pandas as pd
from sqlalchemy import event, func, select

from competition.enums import SheetStatus
from competition.extensions import db
from competition.models import Competition, Entry, Publication, ScoreSheet
from competition.services import result_exports
from tests.builders import Api, login_as, make_judge, make_scoring_contest, make_sheet, staff, user
from tests.web.results_checks import AWARDS, FINALS, SHEETS, submit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response) -> pd.ExcelFile:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == XLSX
    return pd.ExcelFile(io.BytesIO(response.get_data()), engine="calamine")


def sheet(book: pd.ExcelFile, name: str) -> pd.DataFrame:
    return pd.read_excel(
        book, sheet_name=name, dtype={"名次": "Int64", "出场号": "Int64", "评委席位": "Int64"}
    )


def publish(client, token, competition):
    response = client.post(
        f"/competitions/{competition.id}/transition",
        data={"csrf_token": token, "to": "published", "confirm": "yes", "objection_ends": "", "contact": ""},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Publication)) == 1


def test_while_scoring_the_group_sheets_say_what_is_provisional(client, contest):
    competition, entries = contest
    submit(competition, entries, [("expert", 0, 0), ("judge_hzu", 0, 0), ("expert", 1, 0)])
    login_as(client, "org")
    response = client.get(f"/results/{competition.id}/results.xlsx")
    book = workbook(response)
    assert book.sheet_names == ["文科组", "理科组", "评分明细", "说明"]
    assert "暂定成绩" in unquote(response.headers["Content-Disposition"])
    group = sheet(book, "文科组")
    assert list(group.columns) == [
        "名次",
        "出场号",
        "姓名",
        "单位",
        "教学设计（20%）",
        "课堂教学（80%）",
        "最终得分",
        "奖项",
        "状态",
    ]
    by_name = group.set_index("姓名")
    assert by_name.loc["李老师", "教学设计（20%）"] == 82.0
    assert pd.isna(by_name.loc["李老师", "最终得分"])  # 课堂教学 has no sheet yet
    assert by_name.loc["李老师", "状态"] == "暂定：课堂教学 0/2 份已提交"
    assert by_name.loc["赵老师", "状态"] == "暂定：教学设计 1/2、课堂教学 0/2 份已提交"
    assert by_name.loc["赵老师", "教学设计（20%）"] == 89.0
    assert sheet(book, "理科组").empty
    raw = sheet(book, "评分明细")
    assert len(raw) == 3


def test_published_workbook_reads_the_snapshot(client, contest):
    competition, entries = contest
    submitted = submit(competition, entries)
    token = login_as(client, "org")
    publish(client, token, competition)
    book = workbook(client.get(f"/results/{competition.id}/results.xlsx"))
    group = sheet(book, "文科组")
    assert "状态" not in group.columns
    assert group[["名次", "出场号", "姓名", "单位"]].values.tolist() == [
        [1, 2, "赵老师", "杭州大学"],
        [2, 1, "李老师", "浙江大学"],
    ]
    assert group["教学设计（20%）"].tolist() == [89.5, 82.0]
    assert group["课堂教学（80%）"].tolist() == [90.25, 83.0]
    assert [f"{v:.2f}" for v in group["最终得分"]] == [FINALS["赵老师"], FINALS["李老师"]]
    assert group["奖项"].tolist() == [AWARDS["赵老师"], AWARDS["李老师"]]
    # The snapshot, not the sheets: a name changed in the snapshot shows in the workbook.
    publication = db.session.scalar(select(Publication))
    snapshot = dict(publication.snapshot)
    snapshot["groups"] = [
        dict(g, items=[dict(i, name=f"快照{i['draw_no']}") for i in g["items"]]) for g in snapshot["groups"]
    ]
    publication.snapshot = snapshot
    db.session.commit()
    again = sheet(workbook(client.get(f"/results/{competition.id}/results.xlsx")), "文科组")
    assert again["姓名"].tolist() == ["快照2", "快照1"]
    assert submitted == 8


def test_the_raw_sheet_lists_every_submitted_sheet_criterion_by_criterion(client, contest):
    competition, entries = contest
    submit(competition, entries)
    login_as(client, "org")
    raw = sheet(workbook(client.get(f"/results/{competition.id}/results.xlsx")), "评分明细")
    submitted = db.session.scalar(
        select(func.count()).select_from(ScoreSheet).where(ScoreSheet.status == SheetStatus.SUBMITTED)
    )
    assert len(raw) == submitted == 8
    assert list(raw.columns[:8]) == [
        "组别",
        "出场号",
        "姓名",
        "单位",
        "轮次",
        "评委席位",
        "评委账号",
        "评委姓名",
    ]
    assert list(raw.columns[8:14]) == [
        "教学设计·目标（满分40）",
        "教学设计·方法（满分60）",
        "课堂教学·教学内容（满分30）",
        "课堂教学·教学组织（满分30）",
        "课堂教学·教学语言与教态（满分25.5）",
        "课堂教学·教学特色（满分14.5）",
    ]
    assert list(raw.columns[14:]) == ["总分", "提交时间", "去掉最高/最低分", "异常"]
    expert = raw[(raw["评委账号"] == "expert") & (raw["出场号"] == 2) & (raw["轮次"] == "课堂教学")]
    assert len(expert) == 1
    line = expert.iloc[0]
    assert line["姓名"] == "赵老师" and line["单位"] == "杭州大学" and line["组别"] == "文科组"
    assert [line[c] for c in raw.columns[10:14]] == [27, 27, 23, 12.5]
    assert pd.isna(line["教学设计·目标（满分40）"])
    assert line["总分"] == 89.5 and not pd.isna(line["提交时间"])
    seats = {(row["评委账号"]) for _i, row in raw.iterrows()}
    assert seats == {"judge_zju", "judge_hzu", "expert"}
    assert raw["评委席位"].notna().all()
    # Sorted by group, draw number, round, seat.
    assert raw["出场号"].tolist() == [1, 1, 1, 1, 2, 2, 2, 2]


def test_dropped_totals_are_marked_in_the_raw_sheet(client, world):
    for name in ("e1", "e2", "e3"):
        make_judge(name)
    competition, entries = make_scoring_contest(
        [staff("00123")], judges={"e1": [0], "e2": [0], "e3": [0]}, scoring={"trim_min_judges": 3}
    )
    design = competition.rounds[0]
    for judge, values in (("e1", [32, 48]), ("e2", [33, 49]), ("e3", [20, 40])):
        make_sheet(user(judge), design, entries[0], values, token=judge)
    login_as(client, "org")
    raw = sheet(workbook(client.get(f"/results/{competition.id}/results.xlsx")), "评分明细")
    marks = dict(zip(raw["评委账号"], raw["去掉最高/最低分"].fillna(""), strict=True))
    assert marks == {"e1": "", "e2": "去掉最高分", "e3": "去掉最低分"}
    assert dict(zip(raw["评委账号"], raw["异常"].fillna(""), strict=True))["e3"] == "异常"


def test_a_name_that_excel_would_run_is_neutralised(client, world, make):
    person = make.staff(world["zju"], "00999", "=HYPERLINK(1)")
    make_judge("expert")
    competition, _entries = make_scoring_contest([person], judges={"expert": [0]})
    login_as(client, "org")
    book = workbook(client.get(f"/results/{competition.id}/results.xlsx"))
    assert sheet(book, "文科组")["姓名"].tolist() == ["'=HYPERLINK(1)"]


def test_the_api_gives_others_the_published_groups_without_the_raw_sheets(app, contest, client):
    competition, entries = contest
    submit(competition, entries)
    token = login_as(client, "org")
    publish(client, token, competition)
    staff_api = Api(app, "zju_staff")
    book = workbook(staff_api.get(f"/competitions/{competition.id}/results.xlsx"))
    assert book.sheet_names == ["文科组", "理科组", "说明"]
    assert sheet(book, "文科组")["姓名"].tolist() == ["赵老师", "李老师"]
    org_api = Api(app, "org")
    assert "评分明细" in workbook(org_api.get(f"/competitions/{competition.id}/results.xlsx")).sheet_names


def test_the_export_does_not_query_per_sheet(ctx, contest):
    """As many statements with three submitted sheets as with eight: no query per sheet or per value."""
    competition_id, entry_ids = contest[0].id, [e.id for e in contest[1]]
    first = [("expert", 0, 0), ("judge_hzu", 0, 0), ("expert", 1, 0)]
    counts = []
    for keys in (first, [k for k in SHEETS if k not in first]):
        entries = [db.session.get(Entry, i) for i in entry_ids]
        submit(db.session.get(Competition, competition_id), entries, keys)
        db.session.remove()
        statements = []

        def count(*_args, **_kwargs):
            statements.append(1)  # noqa: B023  (read right away, in this iteration)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            fresh = db.session.get(Competition, competition_id)
            result_exports.results_workbook(fresh, with_sheets=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
