"""Exam rounds and automatic approval in a competition's definition: parsing, every rule, the round trip."""

import copy
from datetime import datetime
from decimal import Decimal

import pytest

from competition.domain.competition_spec import ExamSpec, parse_spec, spec_to_dict
from competition.domain.exam import PaperPart

EXAM = {
    "name": "笔试",
    "weight": 0.4,
    "kind": "exam",
    "exam": {
        "minutes": 30,
        "opens": "2026-12-03T09:00:00+08:00",
        "closes": "2026-12-03T17:00:00+08:00",
        "show_answers": True,
        "attempts": 2,
        "multiple_partial": 0.5,
        "paper": [
            {"type": "single", "count": 20, "points": 2},
            {"type": "multiple", "count": 10, "points": 3},
            {"type": "true_false", "count": 10, "points": 1},
        ],
    },
}
JUDGED = {"name": "实操", "weight": 0.6, "criteria": [{"name": "操作规范", "max_score": 100}]}


def body(**changes) -> dict:
    data = {
        "name": "2026年后勤岗位练兵",
        "kind": "drill",
        "level": "provincial",
        "year": 2026,
        "eligible_categories": ["admin_logistics"],
        "registration_opens": "2026-11-01T08:00:00+08:00",
        "registration_closes": "2026-11-30T18:00:00+08:00",
        "groups": [{"name": "后勤组"}],
        "rounds": [copy.deepcopy(EXAM), copy.deepcopy(JUDGED)],
    }
    data.update(changes)
    return data


def exam_with(**changes) -> dict:
    data = body()
    data["rounds"][0]["exam"].update(changes)
    return data


def problems_of(data) -> list[tuple[str, str]]:
    spec, problems = parse_spec(data)
    assert (spec is None) == bool(problems)
    return [(p.field, p.code) for p in problems]


def test_a_mixed_competition_reads_into_an_exam_and_a_judged_round():
    spec, problems = parse_spec(body(auto_approve=True))
    assert problems == []
    exam, judged = spec.rounds
    assert exam.kind == "exam" and exam.criteria == () and judged.kind == "judged"
    assert exam.exam == ExamSpec(
        minutes=30,
        opens=datetime(2026, 12, 3, 1, 0),
        closes=datetime(2026, 12, 3, 9, 0),
        paper=(
            PaperPart("single", 20, Decimal(2)),
            PaperPart("multiple", 10, Decimal(3)),
            PaperPart("true_false", 10, Decimal(1)),
        ),
        show_answers=True,
        attempts=2,
        multiple_partial=Decimal("0.5"),
    )
    assert judged.exam is None and spec.auto_approve is True


def test_defaults_one_attempt_all_or_nothing_no_answers_shown_and_manual_approval():
    data = body()
    for key in ("show_answers", "attempts", "multiple_partial"):
        del data["rounds"][0]["exam"][key]
    spec, problems = parse_spec(data)
    assert problems == []
    exam = spec.rounds[0].exam
    assert (exam.show_answers, exam.attempts, exam.multiple_partial) == (False, 1, Decimal(0))
    assert spec.auto_approve is False


def test_the_round_trip_keeps_every_exam_setting():
    spec, _ = parse_spec(body(auto_approve=True))
    again, problems = parse_spec(spec_to_dict(spec))
    assert problems == [] and again == spec
    assert spec_to_dict(spec)["rounds"][0]["exam"]["paper"][1] == {
        "type": "multiple",
        "count": 10,
        "points": 3,
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"minutes": 0}, [("rounds[0].exam.minutes", "range")]),
        ({"minutes": 601}, [("rounds[0].exam.minutes", "range")]),
        ({"minutes": "半小时"}, [("rounds[0].exam.minutes", "type")]),
        ({"minutes": None}, [("rounds[0].exam.minutes", "required")]),
        ({"closes": "2026-12-03T09:00:00+08:00"}, [("rounds[0].exam.closes", "order")]),
        ({"opens": None}, [("rounds[0].exam.opens", "required")]),
        ({"attempts": 0}, [("rounds[0].exam.attempts", "range")]),
        ({"attempts": 11}, [("rounds[0].exam.attempts", "range")]),
        ({"multiple_partial": 1.5}, [("rounds[0].exam.multiple_partial", "range")]),
        ({"multiple_partial": -0.1}, [("rounds[0].exam.multiple_partial", "range")]),
        ({"multiple_partial": 0.33333}, [("rounds[0].exam.multiple_partial", "decimals")]),
        ({"show_answers": "yes"}, [("rounds[0].exam.show_answers", "type")]),
        ({"paper": []}, [("rounds[0].exam.paper", "required")]),
        ({"paper": [{"type": "single", "count": 0, "points": 2}]}, [("rounds[0].exam.paper", "required")]),
        (
            {"paper": [{"type": "essay", "count": 5, "points": 2}]},
            [("rounds[0].exam.paper[0].type", "choice")],
        ),
        (
            {"paper": [{"type": "single", "count": -1, "points": 2}]},
            [("rounds[0].exam.paper[0].count", "range")],
        ),
        (
            {"paper": [{"type": "single", "count": 5, "points": 0}]},
            [("rounds[0].exam.paper[0].points", "range")],
        ),
        (
            {"paper": [{"type": "single", "count": 5, "points": 1.25}]},
            [("rounds[0].exam.paper[0].points", "decimals")],
        ),
        (
            {
                "paper": [
                    {"type": "single", "count": 5, "points": 2},
                    {"type": "single", "count": 1, "points": 1},
                ]
            },
            [("rounds[0].exam.paper[1].type", "duplicate")],
        ),
        ({"paper": [{"type": "single", "count": 500, "points": 100}]}, [("rounds[0].exam.paper", "range")]),
        (
            {"paper": [{"type": "single", "count": "x", "points": 2}]},
            [("rounds[0].exam.paper[0].count", "type")],
        ),
    ],
    ids=lambda v: str(v)[:50],
)
def test_every_exam_rule(changes, expected):
    assert problems_of(exam_with(**changes)) == expected


def test_an_exam_round_without_settings_or_with_criteria_is_refused():
    data = body()
    del data["rounds"][0]["exam"]
    assert problems_of(data) == [("rounds[0].exam", "required")]
    data = body()
    data["rounds"][0]["criteria"] = [{"name": "x", "max_score": 10}]
    assert problems_of(data) == [("rounds[0].criteria", "not_allowed")]


def test_a_judged_round_with_exam_settings_or_an_unknown_kind_is_refused():
    data = body()
    data["rounds"][1]["exam"] = copy.deepcopy(EXAM["exam"])
    assert problems_of(data) == [("rounds[1].exam", "not_allowed")]
    data = body()
    data["rounds"][1]["kind"] = "oral"
    assert problems_of(data) == [("rounds[1].kind", "choice")]


def test_weights_of_exam_and_judged_rounds_still_sum_to_one():
    data = body()
    data["rounds"][0]["weight"] = 0.5
    assert problems_of(data) == [("rounds", "weights_sum")]


def test_auto_approve_must_be_a_boolean():
    assert problems_of(body(auto_approve="true")) == [("auto_approve", "type")]


def test_a_paper_maximum_finer_than_the_competitions_decimals_is_refused():
    data = exam_with(paper=[{"type": "single", "count": 3, "points": 2.5}])
    data["scoring"] = {"decimals": 0}
    assert problems_of(data) == [("rounds[0].exam.paper", "decimals")]
    data["scoring"] = {"decimals": 1}
    assert problems_of(data) == []
