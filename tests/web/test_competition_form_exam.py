"""The set-up form and the detail page with a written test (笔试) round and automatic approval."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competition.competitions import formdata
from competition.extensions import db
from competition.models import Competition
from tests.builders import login_as, make_competition
from tests.web.test_competition_pages import full_form, text_of

# Round 1 of full_form made a written test: 45 minutes on 8 October 9:00–11:30 Beijing time, two attempts,
# 少选得一半, answers shown, 20 single × 2 + 10 true/false × 1 (no multiple choice) = 50. The rubric rows
# posted with it (the form without JavaScript shows them) are ignored.
EXAM = {
    "rounds-0-kind": "exam",
    "rounds-0-exam-minutes": "45",
    "rounds-0-exam-opens": "2026-10-08T09:00",
    "rounds-0-exam-closes": "2026-10-08T11:30",
    "rounds-0-exam-attempts": "2",
    "rounds-0-exam-multiple_partial": "50",
    "rounds-0-exam-show_answers": "1",
    "rounds-0-exam-paper-0-type": "single",
    "rounds-0-exam-paper-0-count": "20",
    "rounds-0-exam-paper-0-points": "2",
    "rounds-0-exam-paper-1-type": "multiple",
    "rounds-0-exam-paper-1-count": "0",
    "rounds-0-exam-paper-1-points": "",
    "rounds-0-exam-paper-2-type": "true_false",
    "rounds-0-exam-paper-2-count": "10",
    "rounds-0-exam-paper-2-points": "1",
    "rounds-3-kind": "judged",
    "auto_approve": "1",
}
PAPER = [{"type": "single", "count": 20, "points": 2}, {"type": "true_false", "count": 10, "points": 1}]
FEEDBACK = (
    r'\s*(?:<span class="input-group-text">%</span>\s*</div>\s*)?<div class="invalid-feedback d-block">'
)


def exam_form(token: str, **over) -> dict:
    return full_form(token, **{**EXAM, **over})


def count_competitions() -> int:
    return db.session.scalar(select(func.count()).select_from(Competition))


def test_an_exam_round_and_automatic_approval_are_created_from_the_form(client, world):
    token = login_as(client, "zju_admin")
    response = client.post("/competitions/new?blank=1", data=exam_form(token))
    assert response.status_code == 302, text_of(response)
    c = db.session.scalar(select(Competition))
    assert c.auto_approve is True
    exam, judged = c.rounds
    assert (exam.name, exam.weight, exam.kind, exam.criteria) == ("笔试", Decimal("0.4"), "exam", [])
    assert (exam.exam_minutes, exam.exam_attempts, exam.exam_show_answers) == (45, 2, True)
    assert exam.exam_multiple_partial == Decimal("0.5")
    # Beijing time on the form, UTC in the database.
    assert (exam.exam_opens, exam.exam_closes) == (datetime(2026, 10, 8, 1, 0), datetime(2026, 10, 8, 3, 30))
    assert [(p["type"], int(p["count"]), Decimal(str(p["points"]))) for p in exam.exam_paper] == [
        (p["type"], p["count"], Decimal(p["points"])) for p in PAPER
    ]
    assert exam.max_total == Decimal(50)
    assert (judged.kind, judged.mode, [k.name for k in judged.criteria]) == (
        "judged",
        "live",
        ["操作规范", "时间效率"],
    )


def test_the_stored_exam_round_fills_the_edit_form(client, world):
    token = login_as(client, "zju_admin")
    client.post("/competitions/new?blank=1", data=exam_form(token))
    c = db.session.scalar(select(Competition))
    page = text_of(client.get(f"/competitions/{c.id}/edit"))
    kind = page[
        page.index('id="f-rounds-0-kind"') : page.index("</select>", page.index('id="f-rounds-0-kind"'))
    ]
    assert '<option value="exam" selected>' in kind and '<option value="judged" >' in kind
    for name, value in [
        ("minutes", "45"),
        ("attempts", "2"),
        ("opens", "2026-10-08T09:00"),
        ("closes", "2026-10-08T11:30"),
        ("multiple_partial", "50"),
        ("paper-0-count", "20"),
        ("paper-0-points", "2"),
        ("paper-1-type", "true_false"),
        ("paper-1-count", "10"),
        ("paper-2-type", "multiple"),  # the type the stored rule lacks follows, blank
        ("paper-2-count", ""),
    ]:
        assert f'name="rounds-0-exam-{name}" id="f-rounds-0-exam-{name}" value="{value}"' in page, name
    assert re.search(r'id="f-rounds-0-exam-show_answers" checked>', page)
    assert re.search(r'name="auto_approve" value="1" id="f-auto_approve" checked>', page)
    assert re.search(r"<strong data-paper-max>50</strong>", page)
    # The judged round keeps its kind, and a written test's defaults wait behind it.
    assert '<option value="judged" selected>' in page[page.index('id="f-rounds-1-kind"') :]
    assert 'name="rounds-1-exam-minutes" id="f-rounds-1-exam-minutes" value="30"' in page
    # Saved again unchanged, the form stores the same round.
    again = client.post(f"/competitions/{c.id}/edit", data=exam_form(token))
    assert again.status_code == 302
    db.session.expire_all()
    assert (c.rounds[0].kind, c.rounds[0].exam_minutes, c.rounds[0].exam_paper[0]["count"]) == (
        "exam",
        45,
        20,
    )


@pytest.mark.parametrize(
    ("over", "field", "label"),
    [
        ({"rounds-0-exam-minutes": "0"}, "rounds-0-exam-minutes", "Round 1 · Time limit (minutes)"),
        ({"rounds-0-exam-closes": "2026-10-08T08:00"}, "rounds-0-exam-closes", "Round 1 · Test closes"),
        (
            {"rounds-0-exam-paper-0-count": "-1"},
            "rounds-0-exam-paper-0-count",
            "Round 1 · Single choice · Questions",
        ),
        (
            {"rounds-0-exam-paper-0-count": "0", "rounds-0-exam-paper-2-count": "0"},
            "rounds-0-exam-paper",
            "Round 1 · Paper rule",
        ),
        (
            {"rounds-0-exam-multiple_partial": "150"},
            "rounds-0-exam-multiple_partial",
            "Round 1 · Multiple choice, partly right: share of the points (%)",
        ),
    ],
)
def test_a_bad_exam_value_is_shown_beside_its_field_and_nothing_is_saved(client, world, over, field, label):
    token = login_as(client, "org")
    client.get("/competitions/?lang=en")
    response = client.post("/competitions/new?blank=1", data=exam_form(token, **over))
    page = text_of(response)
    assert response.status_code == 422
    assert count_competitions() == 0
    if field == "rounds-0-exam-paper":  # the paper as a whole: under the paper rule's legend
        assert re.search(
            r'id="f-rounds-0-exam-paper">\s*<legend[^>]*>[^<]*</legend>\s*<div class="invalid-feed', page
        )
    else:
        assert re.search(rf'id="f-{field}"[^>]*>{FEEDBACK}', page), field
    summary = page[page.index('data-testid="form-errors"') : page.index("data-competition-form")]
    assert f'<a href="#f-{field}" class="alert-link">{label}</a>' in summary
    # What was typed is shown again, the exam kept as the round's kind.
    assert '<option value="exam" selected>' in page
    assert 'name="rounds-0-exam-opens" id="f-rounds-0-exam-opens" value="2026-10-08T09:00"' in page


def test_the_summary_names_an_exam_field_in_chinese(client, world):
    token = login_as(client, "org")
    page = text_of(
        client.post("/competitions/new?blank=1", data=exam_form(token, **{"rounds-0-exam-minutes": ""}))
    )
    summary = page[page.index('data-testid="form-errors"') : page.index("data-competition-form")]
    label = re.search(r'<a href="#f-rounds-0-exam-minutes" class="alert-link">(.*?)</a>', summary)
    assert label and label.group(1).startswith("第1轮 · ") and len(label.group(1)) > len("第1轮 · ")


def test_a_judged_round_ignores_the_written_test_fields_and_a_new_form_offers_both(client, world):
    token = login_as(client, "org")
    junk = {
        "rounds-3-exam-minutes": "abc",
        "rounds-3-exam-paper-0-type": "essay",
        "rounds-3-exam-paper-0-count": "x",
    }
    response = client.post("/competitions/new?blank=1", data=full_form(token, **junk))
    assert response.status_code == 302, text_of(response)
    c = db.session.scalar(select(Competition))
    assert [r.kind for r in c.rounds] == ["judged", "judged"] and c.auto_approve is False
    page = text_of(client.get("/competitions/new?blank=1"))
    assert '<option value="exam" >' in page and 'id="f-auto_approve"' in page
    # The round added by the browser starts judged, with a written test's defaults ready: 100 points.
    template = page[page.index('<template id="tpl-round">') :]
    assert re.search(r'name="rounds-0-exam-minutes" id="f-rounds-0-exam-minutes" value="30"', template)
    assert "<strong data-paper-max>100</strong>" in template


def test_the_detail_page_says_the_exam_settings_in_words(client, world):
    c = make_competition(
        status="draft",
        auto_approve=True,
        rounds=[
            {
                "name": "安全知识",
                "weight": 1,
                "kind": "exam",
                "exam": {
                    "minutes": 30,
                    "opens": "2026-12-03T09:00+08:00",
                    "closes": "2026-12-03T17:00+08:00",
                    "multiple_partial": 0.5,
                    "paper": [
                        {"type": "single", "count": 20, "points": 2},
                        {"type": "multiple", "count": 10, "points": 3},
                        {"type": "true_false", "count": 10, "points": 1},
                    ],
                },
            }
        ],
    )
    login_as(client, "org")
    page = text_of(client.get(f"/competitions/{c.id}"))
    words = re.search(r'data-testid="exam-words">(.*?)</p>', page).group(1)
    assert "12月3日 09:00–17:00" in words and "20×2 + " in words and "10×1 = 80" in words
    client.get("/competitions/?lang=en")
    page = text_of(client.get(f"/competitions/{c.id}"))
    words = re.search(r'data-testid="exam-words">(.*?)</p>', page).group(1)
    assert words == (
        "Written test · 30 minutes · open Dec 3 09:00–17:00 · single-choice 20×2 + multiple-choice 10×3 + "
        "true/false 10×1 = 80 points · multiple choice: half the points when right but incomplete · 1 attempt"
    )
    assert "Approved automatically" in page[page.index('data-testid="approval"') :]
    has_bank = "exams.bank" in client.application.view_functions
    assert ('data-testid="bank-link"' in page) is has_bank


def test_field_labels_follow_the_state(app):
    state = {"rounds": [{"exam": {"paper": [{"type": "true_false"}]}}]}
    with app.test_request_context("/"):
        named = formdata.field_label("rounds[0].exam.paper[0].points", state)
        unnamed = formdata.field_label("rounds[0].exam.paper[5].points", state)
    assert named.split(" · ")[1] != unnamed.split(" · ")[1]
    assert formdata.input_name("rounds[0].exam.paper[5].points") == "rounds-0-exam-paper-5-points"
