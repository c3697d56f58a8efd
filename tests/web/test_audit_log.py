"""The audit log people read: every line a sentence in the reader's language with links to its objects,
filters (who, action, object, dates in Asia/Shanghai), the Excel export, scoping, and a bounded query count.

The sentences' Chinese comes from the catalogue (translations/); the raw codes stay in the database, in the
page's collapsed "record" and in the export's last columns.
"""

from __future__ import annotations

import html
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from flask_babel import force_locale
from sqlalchemy import event, select

from competition.clock import local_today, local_zone
from competition.extensions import db
from competition.models import AuditLog, Entry, Round
from competition.services import audit, audit_export, audit_log, registration
from tests.builders import (
    approve_entry,
    login_as,
    make_competition,
    make_entry,
    staff,
    user,
)
from tests.unit.test_audit_words import recorded_calls

CODES = sorted({code for code, _kind, _where in recorded_calls()})
KIND_OF = {code: kind for code, kind, _where in recorded_calls()}


def sentences(page: str) -> list[str]:
    """The sentences of a log page as read (tags dropped, entities decoded), top to bottom."""
    found = re.findall(r'<p class="audit-sentence">(.*?)</p>', page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in found]


def links(page: str) -> dict[str, str]:
    """Link text → href of the sentences' links."""
    body = "".join(re.findall(r'<p class="audit-sentence">(.*?)</p>', page, flags=re.S))
    return {
        html.unescape(t): html.unescape(h) for h, t in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', body)
    }


def log(client, **params) -> str:
    response = client.get("/admin/audit", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


@pytest.fixture
def approvals(world):
    """ZJU's union admin (浙江大学工会) approved 李老师's entry; HZU's approved 赵老师's and rejected none."""
    zju_admin, hzu_admin = user("zju_admin"), user("hzu_admin")
    zju_admin.display_name, hzu_admin.display_name = "浙江大学工会", "杭州大学工会"
    db.session.commit()
    competition = make_competition(name="2026年全省高校青年教师教学竞赛")
    li = make_entry(competition, staff("00123"), by=zju_admin)
    zhao = make_entry(competition, staff("H001"), by=hzu_admin)
    approve_entry(li, by=zju_admin)
    approve_entry(zhao, by=hzu_admin)
    return competition, li, zhao


# --- the sentences ------------------------------------------------------------------------------------------


def test_the_organizer_reads_an_approval_in_plain_chinese(client, approvals):
    competition, li, _zhao = approvals
    login_as(client, "org")
    page = log(client, action="entry.approve")
    lines = sentences(page)
    assert "浙江大学工会 审核通过 李老师 的报名（2026年全省高校青年教师教学竞赛）" in lines
    assert "杭州大学工会 审核通过 赵老师 的报名（2026年全省高校青年教师教学竞赛）" in lines
    assert len(lines) == 2
    assert links(page)["李老师"] == f"/my/entries/{li.id}"
    assert links(page)["2026年全省高校青年教师教学竞赛"] == f"/competitions/{competition.id}"
    assert links(page)["浙江大学工会"] == "/admin/users?q=zju_admin"
    assert "entry.approve" in page  # the raw code, in the line's collapsed record


def test_the_same_line_in_english(client, approvals):
    login_as(client, "org")
    client.get("/admin/audit?lang=en")
    lines = sentences(log(client, action="entry.approve"))
    assert "浙江大学工会 approved 李老师's entry (2026年全省高校青年教师教学竞赛)" in lines


def test_lines_are_grouped_by_local_day_with_their_time(client, approvals):
    login_as(client, "org")
    page = log(client)
    today = local_today()
    assert f"今天 · {today.year}年{today.month}月{today.day}日" in page
    now = datetime.now(UTC).astimezone(local_zone())
    assert re.search(r'<time class="audit-time" datetime="[^"]+Z">\d\d:\d\d</time>', page)
    assert now.strftime("%H:") in page or (now - timedelta(minutes=1)).strftime("%H:") in page


def _describe(row: AuditLog, viewer: str = "org", *, lang: str = "zh_Hans_CN") -> audit_log.Line:
    with force_locale(lang):
        return audit_log.describe([row], viewer=user(viewer))[0]


def test_main_sentences_with_their_values(app, contest):
    competition, entries = contest
    org = user("org")
    round_ = competition.rounds[1]
    group = competition.groups[0]
    li = entries[0]
    rows = {
        "transition": audit.record(
            "competition.transition",
            by=org,
            object_type="competition",
            object_id=competition.id,
            **{"from": "registration_closed", "to": "scoring"},
        ),
        "unlock": audit.record(
            "sheet.unlock",
            by=org,
            object_type="score_sheet",
            object_id=1,
            competition_id=competition.id,
            round_id=round_.id,
            entry_id=li.id,
            judge="expert",
            reason="分数录错",
            total="86.5",
        ),
        "conflict": audit.record(
            "judging.conflict",
            by=org,
            object_type="entry",
            object_id=li.id,
            competition_id=competition.id,
            judge="judge_hzu",
            reason="师生关系",
        ),
        "stage": audit.record(
            "stage.set",
            by=org,
            object_type="competition",
            object_id=competition.id,
            group_id=group.id,
            round_id=round_.id,
            entry_id=li.id,
            screen="reveal",
        ),
        "assign": audit.record(
            "judging.assign",
            by=org,
            object_type="competition",
            object_id=competition.id,
            judge="expert",
            groups=[g.id for g in competition.groups],
        ),
        "roster": audit.record(
            "roster.import",
            by=user("zju_admin"),
            object_type="university",
            object_id="ZJU",
            university_id=li.university_id,
            filename="名册2026.xlsx",
            mode="merge",
            created=1204,
            updated=3,
            deactivated=2,
            unchanged=0,
            dry_run=False,
        ),
        "staff": audit.record(
            "staff.update",
            by=user("zju_admin"),
            object_type="staff",
            object_id=li.staff_id,
            university_id=li.university_id,
            staff_no="00123",
            name="李老师",
            changes={"title": ["讲师", "副教授"], "category": ["teaching_research", "admin_logistics"]},
        ),
        "account": audit.record(
            "user.create", by=org, object_type="user", object_id=user("zju_judge").id, roles=["judge"]
        ),
        "thresholds": audit.record(
            "settings.coverage_thresholds",
            by=org,
            object_type="setting",
            object_id="coverage_thresholds",
            target=0.85,
            warning=0.6,
        ),
        "demo": audit.record("demo.load", by=None, object_type="system", seed=1, universities=6, staff=2968),
        "unknown": audit.record("badge.print", by=org, object_type="competition", object_id=competition.id),
    }
    db.session.commit()
    name = competition.name
    zh = {key: _describe(row).sentence for key, row in rows.items()}
    assert zh["transition"] == f"org 将 {name} 从“报名已截止”推进到“评分中”"
    assert (
        zh["unlock"] == f"org 退回了评分表 课堂教学 01号 · 评委 expert（{name}），原总分 86.5，原因：分数录错"
    )
    assert zh["conflict"] == f"org 登记评委 judge_hzu 回避 李老师（{name}），原因：师生关系"
    assert zh["stage"] == f"org 将文科组的大屏切换为“亮分”：01号 李老师（{name}）"
    assert zh["assign"] == f"org 安排评委 expert 评审文科组和理科组（{name}）"
    assert (
        zh["roster"] == "zju_admin 从「名册2026.xlsx」导入了 浙江大学 的教职工名册："
        "新增 1,204 人，更新 3 人，标记离校 2 人"
    )
    assert (
        zh["staff"]
        == "zju_admin 修改了 李老师（浙江大学）的信息：职称：讲师 → 副教授；岗位类别：教学科研岗 → 行政后勤岗"
    )
    assert zh["account"] == "org 创建了账号 zju_judge（评委）"
    assert zh["thresholds"] == "org 将覆盖率目标设为 85.0%，预警线设为 60.0%"
    assert zh["demo"] == "系统 载入了演示数据（6 所高校，2,968 名教职工）"
    assert zh["unknown"] == f"org 执行了操作 badge.print（{name}）"
    en = {key: _describe(row, lang="en").sentence for key, row in rows.items()}
    assert en["transition"] == f"org moved {name} from “Registration closed” to “Scoring”"
    assert en["unlock"] == (
        f"org reopened the score sheet 课堂教学 No. 01 · judge expert ({name}), which had 86.5 points. "
        "Reason: 分数录错"
    )
    assert en["stage"] == f"org switched the big screen of 文科组 ({name}) to “Reveal”: No. 01 李老师"
    assert en["roster"] == (
        "zju_admin imported the staff roster of 浙江大学 from 名册2026.xlsx: "
        "1,204 added, 3 updated, 2 marked as left"
    )
    assert en["demo"] == "The system loaded the demonstration data (6 universities, 2,968 staff)"
    assert en["unknown"] == f"org: badge.print ({name})"
    line = _describe(rows["unknown"])
    assert not line.known and line.action == "badge.print"


def _sample_row(code: str, contest) -> AuditLog:
    """A record of ``code`` on the objects of ``contest``, with every detail any sentence may use."""
    competition, entries = contest
    entry = entries[0]
    object_ids = {
        "entry": entry.id,
        "competition": competition.id,
        "score_sheet": 1,
        "round": competition.rounds[0].id,
        "university": "ZJU",
        "user": user("zju_judge").id,
        "staff": entry.staff_id,
        "setting": "coverage_thresholds",
        "system": None,
    }
    kind = KIND_OF[code]
    details = {
        "competition_id": competition.id,
        "entry_id": entry.id,
        "round_id": competition.rounds[1].id,
        "group_id": competition.groups[0].id,
        "groups": [competition.groups[0].id],
        "judge": "expert",
        "reason": "理由",
        "total": "88.0",
        "count": 3,
        "entries": 2,
        "certificates": 2,
        "sheets": 2,
        "created": 1,
        "updated": 2,
        "deactivated": 0,
        "rows": 1,
        "filename": "a.xlsx",
        "file": "教案.pdf",
        "kind": "pdf",
        "size": 100,
        "from": "registration_open",
        "to": "registration_closed",
        "screen": "reveal",
        "target": 0.8,
        "warning": 0.6,
        "roles": ["judge"],
        "changes": {"title": ["讲师", "副教授"]},
        "universities": 2,
        "staff": 10,
        "username": "zju_judge",
        "staff_no": "00123",
        "name": "李老师",
        "copied_from": competition.id,
        "redraw": False,
        "seed": 7,
        "mode": "merge",
    }
    return audit.record(
        code,
        by=user("org"),
        object_type=kind,
        object_id=object_ids[kind],
        university_id=entry.university_id,
        **details,
    )


@pytest.mark.parametrize("code", CODES)
def test_every_recorded_code_reads_as_a_whole_sentence(app, contest, code):
    """Each code found in the source (``audit.record("...")``) has its own sentence, every part filled."""
    row = _sample_row(code, contest)
    db.session.commit()
    for lang in ("zh_Hans_CN", "en"):
        line = _describe(row, lang=lang)
        assert line.known, code
        assert "%(" not in line.sentence and "—" not in line.sentence, (lang, line.sentence)
        assert line.sentence.startswith("org"), line.sentence
        assert "%(" not in line.object_text and line.object_text, (lang, line.object_text)
    assert not re.search(r"[a-z]{3,} [a-z]{3,}", _describe(row).sentence.replace(row.username, "")), (
        f"English words in the Chinese sentence of {code}: {_describe(row).sentence}"
    )


# --- links --------------------------------------------------------------------------------------------------


def test_links_go_to_the_objects_the_reader_may_open(app, client, contest):
    competition, entries = contest
    round_ = competition.rounds[1]
    audit.record(
        "sheet.unlock",
        by=user("org"),
        object_type="score_sheet",
        object_id=1,
        university_id=None,
        competition_id=competition.id,
        round_id=round_.id,
        entry_id=entries[0].id,
        judge="judge_hzu",
        reason="录错",
        total="80.0",
    )
    audit.record(
        "judging.conflict",
        by=user("org"),
        object_type="entry",
        object_id=entries[1].id,
        university_id=entries[1].university_id,
        competition_id=competition.id,
        judge="judge_hzu",
        reason="",
    )
    db.session.commit()
    login_as(client, "org")
    page = log(client, action="group:judging")
    found = links(page)
    sheet = next(text for text in found if text.startswith("课堂教学 01号"))
    assert found[sheet] == f"/judging/{competition.id}/progress/{competition.groups[0].id}/{round_.id}"
    assert found["judge_hzu"] == "/admin/users?q=judge_hzu"
    assert found["赵老师"] == f"/my/entries/{entries[1].id}"
    # HZU's admin reads the conflict about their university's entry: the judge of their university and the
    # entry are linked, the organizer's account is not theirs to open.
    admin = app.test_client()
    login_as(admin, "hzu_admin")
    page = log(admin)
    assert any("登记评委 judge_hzu 回避 赵老师" in s for s in sentences(page))
    found = links(page)
    assert (
        found["赵老师"] == f"/my/entries/{entries[1].id}" and found["judge_hzu"] == "/admin/users?q=judge_hzu"
    )
    assert "org" not in found


def test_a_removed_object_still_reads_from_the_record(client, approvals):
    competition, li, _zhao = approvals
    registration.withdraw(entry=li, by=user("zju_admin"))
    db.session.commit()
    login_as(client, "org")
    db.session.delete(db.session.get(Entry, li.id))
    db.session.commit()
    lines = sentences(log(client, action="entry.register"))
    assert (
        "浙江大学工会 为 00123 报名参加 2026年全省高校青年教师教学竞赛" in lines
    )  # the 工号 kept in the details


# --- filters ------------------------------------------------------------------------------------------------


def test_filter_by_who_action_and_object(client, approvals, make, world):
    competition, _li, _zhao = approvals
    other = make_competition(
        name="2026年岗位练兵", eligible_categories=["teaching_research", "admin_logistics"]
    )
    make_entry(other, staff("00124"), by="zju_admin")
    login_as(client, "org")
    by_zju = sentences(log(client, person="浙江大学"))
    assert by_zju and all(s.startswith("浙江大学工会 ") for s in by_zju)
    assert sentences(log(client, person="hzu_ad")) == sentences(log(client, person="杭州大学工会"))
    assert len(sentences(log(client, action="group:entries"))) == 5  # 3 registrations, 2 approvals
    assert len(sentences(log(client, action="entry.register"))) == 3
    about_other = sentences(log(client, object="competition", q="岗位练兵"))
    assert len(about_other) == 3  # created, opened, 王会计's registration
    assert all("2026年岗位练兵" in s for s in about_other)
    assert sentences(log(client, object="person", q="赵老师")) == [
        "杭州大学工会 审核通过 赵老师 的报名（2026年全省高校青年教师教学竞赛）",
        "杭州大学工会 为 赵老师 报名参加 2026年全省高校青年教师教学竞赛",
    ]
    assert sentences(log(client, object="person", q="H001")) == sentences(
        log(client, object="person", q="赵老师")
    )
    assert len(sentences(log(client, object="university", q="杭州"))) == 2
    assert sentences(log(client, q="赵老师", action="entry.approve")) == [
        "杭州大学工会 审核通过 赵老师 的报名（2026年全省高校青年教师教学竞赛）"
    ]
    page = log(client, q="没有这个人")
    assert sentences(page) == [] and "没有符合这些条件的记录" in page


def test_filter_by_dates_in_local_time(client, world):
    org = user("org")
    for at in (
        datetime(2026, 11, 24, 15, 59),  # 23:59 on the 24th in Shanghai
        datetime(2026, 11, 24, 16, 0),  # 00:00 on the 25th
        datetime(2026, 11, 25, 15, 59),  # 23:59 on the 25th
        datetime(2026, 11, 25, 16, 0),  # 00:00 on the 26th
    ):
        row = audit.record("user.login", by=org, object_type="user", object_id=org.id)
        row.at = at
    db.session.commit()
    login_as(client, "org")  # a log-in of today, outside the range

    def times(**params):
        return re.findall(
            r'<time class="audit-time"[^>]*>(\d\d:\d\d)</time>', log(client, action="user.login", **params)
        )

    assert times(**{"from": "2026-11-25", "to": "2026-11-25"}) == ["23:59", "00:00"]
    assert (
        times(**{"from": "2026-11-25"})[-2:] == ["23:59", "00:00"]
        and len(times(**{"from": "2026-11-25"})) == 4
    )
    assert times(to="2026-11-24") == ["23:59"]
    assert times(**{"from": "2026-11-26", "to": "2026-11-25"}) == ["00:00", "23:59", "00:00"]  # swapped
    page = log(client, **{"from": "2026-11-25", "to": "2026-11-25"})
    assert "2026年11月25日星期三" in page
    assert client.get("/admin/audit?from=25.11.2026").status_code == 400


def test_quick_filters_lead_to_last_weeks_approvals_and_their_export(client, approvals):
    """The organizer's errand: last week's approvals in plain Chinese, then the Excel file of them."""
    login_as(client, "org")
    page = log(client)
    week = re.search(r'href="([^"]+)"[^>]*data-testid="quick-date">最近7天<', page)
    assert week, "a quick filter “最近7天”"
    page = client.get(html.unescape(week.group(1))).get_data(as_text=True)
    today = local_today()
    assert (
        f'value="{(today - timedelta(days=6)).isoformat()}"' in page
        and f'value="{today.isoformat()}"' in page
    )
    approve = re.search(r'href="([^"]+)"[^>]*data-testid="quick-action">审核通过报名<', page)
    assert approve, "a quick filter “审核通过报名”"
    page = client.get(html.unescape(approve.group(1))).get_data(as_text=True)
    assert len(sentences(page)) == 2 and all(" 审核通过 " in s for s in sentences(page))
    assert "符合条件的记录共 2 条" in page
    export = re.search(r'href="([^"]+)"[^>]*data-testid="audit-export"', page)
    assert "导出这 2 条到 Excel" in page
    data = client.get(html.unescape(export.group(1))).data
    frame = pd.read_excel(io.BytesIO(data), engine="calamine")
    assert list(frame["说明"]) == [s for s in sentences(page)]


# --- the export ---------------------------------------------------------------------------------------------


def test_export_holds_the_lines_in_words_and_the_raw_record(client, approvals):
    competition, li, _zhao = approvals
    audit.record(
        "entry.reject",
        by=user("org"),
        object_type="entry",
        object_id=li.id,
        university_id=li.university_id,
        competition_id=competition.id,
        reason='=HYPERLINK("http://x")',
    )
    judge = user("zju_judge")
    judge.display_name = "@评委"
    audit.record("user.login", by=judge, object_type="user", object_id=judge.id)
    db.session.commit()
    login_as(client, "org")
    response = client.get("/admin/audit.xlsx", query_string={"action": "group:entries"})
    logins = pd.read_excel(io.BytesIO(client.get("/admin/audit.xlsx?person=@").data), engine="calamine")
    assert list(logins["操作人"]) == ["'@评委"] and list(logins["说明"]) == ["'@评委 登录了平台"]
    assert response.status_code == 200
    assert (
        "attachment" in response.headers["Content-Disposition"]
        and response.headers["Cache-Control"] == "no-store"
    )
    book = pd.ExcelFile(io.BytesIO(response.data), engine="calamine")
    assert book.sheet_names == ["操作日志", "说明"]
    frame = pd.read_excel(book, sheet_name="操作日志", dtype=str)
    assert list(frame.columns) == [
        "时间",
        "操作人",
        "用户名",
        "操作",
        "对象",
        "说明",
        "高校",
        "操作代码",
        "对象类型",
        "对象编号",
        "详细数据（JSON）",
    ]
    assert len(frame) == 5
    first = frame.iloc[0]
    assert first["操作人"] == "org" and first["操作"] == "驳回报名" and first["操作代码"] == "entry.reject"
    assert first["对象"] == "李老师 的报名（2026年全省高校青年教师教学竞赛）"
    assert (
        first["说明"]
        == 'org 驳回了 李老师 的报名（2026年全省高校青年教师教学竞赛），理由：=HYPERLINK("http://x")'
    )
    assert first["高校"] == "浙江大学" and first["对象类型"] == "entry" and first["对象编号"] == str(li.id)
    assert json.loads(first["详细数据（JSON）"]) == {
        "competition_id": competition.id,
        "reason": '=HYPERLINK("http://x")',
    }
    approval = frame[frame["操作代码"] == "entry.approve"].iloc[-1]
    assert approval["说明"] == "浙江大学工会 审核通过 李老师 的报名（2026年全省高校青年教师教学竞赛）"
    assert approval["用户名"] == "zju_admin"
    times = pd.read_excel(io.BytesIO(response.data), engine="calamine")["时间"]
    assert isinstance(times.iloc[0], pd.Timestamp)
    assert abs(
        times.iloc[0].to_pydatetime() - datetime.now(UTC).astimezone(local_zone()).replace(tzinfo=None)
    ) < timedelta(minutes=5)
    about = pd.read_excel(book, sheet_name="说明", header=None, dtype=str)
    facts = dict(zip(about[0], about[1], strict=True))
    assert facts["条数"] == "5 / 5" and facts["筛选条件"] == "操作：报名与审核"


def test_export_is_capped_with_a_note(client, approvals, monkeypatch):
    login_as(client, "org")
    total = len(sentences(log(client, per_page=100)))
    monkeypatch.setattr(audit_export, "EXPORT_CAP", 3)
    monkeypatch.setattr(audit_export, "_BATCH", 2)
    monkeypatch.setattr(audit_log, "NEWEST", 3)
    page = log(client, per_page=2)  # a full first page: the count runs, and stops past 3
    assert "页面和导出的 Excel 只包含其中最新的 3 条" in page
    book = pd.ExcelFile(io.BytesIO(client.get("/admin/audit.xlsx").data), engine="calamine")
    frame = pd.read_excel(book, sheet_name="操作日志")
    newest = db.session.scalars(audit.audit_query(user=user("org")).limit(3)).all()
    assert list(frame["操作代码"]) == [row.action for row in newest]
    facts = dict(pd.read_excel(book, sheet_name="说明", header=None, dtype=str).values.tolist())
    assert facts["条数"] == f"3 / {total}"
    assert "本文件只包含最新的 3 条记录" in facts["注意"]


# --- scoping and cost ---------------------------------------------------------------------------------------


def test_a_university_admin_reads_only_their_universitys_lines(app, client, approvals):
    login_as(client, "hzu_admin")
    lines = sentences(log(client))
    assert lines and all("李老师" not in s and "浙江大学" not in s for s in lines)
    assert "杭州大学工会 审核通过 赵老师 的报名（2026年全省高校青年教师教学竞赛）" in lines
    frame = pd.read_excel(io.BytesIO(client.get("/admin/audit.xlsx").data), engine="calamine")
    assert set(frame["高校"]) == {"杭州大学"}
    assert (
        client.get("/admin/audit", query_string={"person": "浙江大学工会"})
        .get_data(as_text=True)
        .count('class="audit-sentence"')
        == 0
    )
    for who in ("zju_judge", "zju_staff"):
        other = app.test_client()
        login_as(other, who)
        assert other.get("/admin/audit").status_code == 403
        assert other.get("/admin/audit.xlsx").status_code == 403


def _count_queries(client, **params) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        log(client, **params)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_a_page_of_fifty_lines_takes_a_bounded_number_of_queries(client, contest, world):
    competition, entries = contest
    org = user("org")
    rounds = list(db.session.scalars(select(Round).where(Round.competition_id == competition.id)))
    for i in range(60):  # every kind of object, many different ones
        entry = entries[i % 2]
        kind = i % 5
        if kind == 0:
            audit.record(
                "entry.approve",
                by=user("zju_admin"),
                object_type="entry",
                object_id=entry.id,
                university_id=entry.university_id,
                competition_id=competition.id,
            )
        elif kind == 1:
            audit.record(
                "sheet.submit",
                by=user("expert"),
                object_type="score_sheet",
                object_id=i,
                round_id=rounds[i % 2].id,
                entry_id=entry.id,
                judge="expert",
                total="80.0",
            )
        elif kind == 2:
            audit.record(
                "stage.set",
                by=org,
                object_type="competition",
                object_id=competition.id,
                group_id=competition.groups[0].id,
                round_id=rounds[0].id,
                entry_id=entry.id,
                screen="next",
            )
        elif kind == 3:
            audit.record(
                "staff.update",
                by=user("zju_admin"),
                object_type="staff",
                object_id=entry.staff_id,
                university_id=entry.university_id,
                changes={"phone": [None, "1380000"]},
            )
        else:
            audit.record("user.password_reset", by=org, object_type="user", object_id=user("zju_judge").id)
    db.session.commit()
    login_as(client, "org")
    log(client, per_page=10)  # warm up (the session's user)
    few = _count_queries(client, per_page=10)
    fifty = _count_queries(client, per_page=50)
    assert fifty == few, "a query per line somewhere (N+1)"
    assert fifty <= 16, fifty
    assert len(sentences(log(client, per_page=50))) == 50
