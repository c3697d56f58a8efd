"""Competition definitions: parsing the API body, every validation rule, defaults, and the round trip."""

import copy
import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.domain.competition_spec import (
    DEFAULT_AWARDS,
    AwardSpec,
    CompetitionSpec,
    CriterionSpec,
    Problem,
    RoundSpec,
    ScoringSpec,
    parse_spec,
    spec_to_dict,
    validate_spec,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DELETE = object()
CODES = {
    "required",
    "type",
    "too_long",
    "choice",
    "not_allowed",
    "range",
    "decimals",
    "duplicate",
    "order",
    "weights_sum",
    "ratios_sum",
}
EXPECTED_TYPES = {"number", "integer", "text", "boolean", "list", "object", "date", "datetime"}


def good_body() -> dict:
    return {
        "name": "2026年青年教师教学竞赛",
        "kind": "teaching",
        "level": "school",
        "university": "U001",
        "year": 2026,
        "eligible_categories": ["teaching_research"],
        "max_age": 40,
        "age_reference_date": "2026-09-01",
        "registration_opens": "2026-03-01T08:00:00",
        "registration_closes": "2026-03-31T18:00:00",
        "quota_per_university": None,
        "anonymous_judging": True,
        "groups": [{"name": "文科组"}, {"name": "理科组"}, {"name": "工科组"}],
        "rounds": [
            {
                "name": "教学设计",
                "weight": 0.25,
                "criteria": [{"name": "教学目标", "max_score": 40}, {"name": "教学过程", "max_score": 60}],
            },
            {
                "name": "课堂教学",
                "weight": 0.75,
                "mode": "live",
                "criteria": [{"name": "教学内容", "max_score": 50}, {"name": "教学组织", "max_score": 50}],
            },
        ],
    }


_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def with_changes(changes: dict) -> dict:
    """The good body with each path ("rounds[0].criteria[1].max_score") set to a value or DELETEd."""
    data = copy.deepcopy(good_body())
    for path, value in changes.items():
        keys = [int(i) if i else name for i, name in _PART.findall(path)]
        target = data
        for key in keys[:-1]:
            target = target[key]
        if value is DELETE:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value
    return data


def parse(data, tz=SHANGHAI):
    return parse_spec(data, tz=tz)


# --- the good spec and defaults -----------------------------------------------------------------------------


def test_good_body_parses_without_problems():
    spec, problems = parse(good_body())
    assert problems == []
    assert spec.name == "2026年青年教师教学竞赛"
    assert spec.eligible_categories == ("teaching_research",)
    assert spec.age_reference_date == date(2026, 9, 1)
    assert spec.groups == ("文科组", "理科组", "工科组")
    assert spec.rounds[0] == RoundSpec(
        "教学设计",
        Decimal("0.25"),
        (CriterionSpec("教学目标", Decimal(40)), CriterionSpec("教学过程", Decimal(60))),
        "queue",
    )
    assert spec.rounds[1].mode == "live"
    assert validate_spec(spec) == []


def test_omitted_fields_take_defaults():
    spec, _ = parse(with_changes({"anonymous_judging": DELETE, "quota_per_university": DELETE}))
    assert spec.scoring == ScoringSpec(1, 1, 5, 2, "weighted", Decimal("0.10"), ())
    assert spec.awards == DEFAULT_AWARDS
    assert spec.anonymous_judging is True
    assert spec.quota_per_university is None
    assert spec.requires_materials is False
    assert spec.description == ""


def test_partial_scoring_keeps_the_other_defaults():
    spec, problems = parse(with_changes({"scoring": {"decimals": 1, "final": "last_round"}}))
    assert problems == []
    assert spec.scoring == ScoringSpec(decimals=1, final="last_round")


def test_tie_breakers_are_round_names_in_order():
    spec, problems = parse(with_changes({"scoring": {"tie_breakers": [" 课堂教学 ", "教学设计"]}}))
    assert problems == []
    assert spec.scoring.tie_breakers == ("课堂教学", "教学设计")
    assert spec.scoring == ScoringSpec(tie_breakers=("课堂教学", "教学设计"))
    assert spec_to_dict(spec)["scoring"]["tie_breakers"] == ["课堂教学", "教学设计"]


@pytest.mark.parametrize("value", [[], None])
def test_no_tie_breakers_is_none_and_null_is_the_default(value):
    spec, problems = parse(with_changes({"scoring": {"tie_breakers": value}}))
    assert (problems, spec.scoring.tie_breakers) == ([], ())


def test_tie_breakers_report_every_bad_item_at_its_index():
    changes = {"scoring": {"tie_breakers": ["课堂教学", "说课", 3, "课堂教学", ""]}}
    assert parse(with_changes(changes)) == (
        None,
        [
            Problem(
                "scoring.tie_breakers[1]", "choice", {"value": "说课", "choices": ["教学设计", "课堂教学"]}
            ),
            Problem("scoring.tie_breakers[2]", "type", {"expected": "text"}),
            Problem("scoring.tie_breakers[3]", "duplicate", {"value": "课堂教学"}),
            Problem("scoring.tie_breakers[4]", "required", {}),
        ],
    )


def test_tie_breakers_follow_the_rounds_of_the_same_body():
    renamed = with_changes({"rounds[1].name": "说课", "scoring": {"tie_breakers": ["说课", "教学设计"]}})
    assert parse(renamed)[1] == []
    spec, _ = parse(good_body())
    bad = replace(spec, scoring=replace(spec.scoring, tie_breakers=("说课",)))
    assert validate_spec(bad) == [
        Problem("scoring.tie_breakers[0]", "choice", {"value": "说课", "choices": ["教学设计", "课堂教学"]})
    ]
    # Without rounds there is nothing to check them against: only the rounds are reported.
    assert [p.field for p in validate_spec(replace(bad, rounds=()))] == ["rounds"]
    assert validate_spec(replace(spec, scoring=replace(spec.scoring, tie_breakers=None))) == [
        Problem("scoring.tie_breakers", "required", {})
    ]


def test_empty_awards_means_no_awards_and_null_means_default():
    assert parse(with_changes({"awards": []}))[0].awards == ()
    assert parse(with_changes({"awards": None}))[0].awards == DEFAULT_AWARDS


def test_custom_awards_and_optional_fields():
    spec, problems = parse(
        with_changes(
            {
                "awards": [{"name": "一等奖", "ratio": 0.1}, {"name": "优秀奖", "ratio": "0.9"}],
                "requires_materials": True,
                "description": "  决赛  ",
                "quota_per_university": 3,
                "anonymous_judging": False,
            }
        )
    )
    assert problems == []
    assert spec.awards == (AwardSpec("一等奖", Decimal("0.1")), AwardSpec("优秀奖", Decimal("0.9")))
    assert (spec.requires_materials, spec.description, spec.quota_per_university) == (True, "决赛", 3)
    assert spec.anonymous_judging is False


def test_numbers_become_exact_decimals():
    # 0.3 + 0.6 + 0.1 is not 1 in binary floats, but the weights are read as decimals
    assert 0.3 + 0.6 + 0.1 != 1.0
    rounds = [
        {"name": n, "weight": w, "criteria": [{"name": "x", "max_score": 10.5}]}
        for n, w in (("a", 0.3), ("b", 0.6), ("c", 0.1))
    ]
    spec, problems = parse(with_changes({"rounds": rounds}))
    assert problems == []
    assert [r.weight for r in spec.rounds] == [Decimal("0.3"), Decimal("0.6"), Decimal("0.1")]
    assert spec.rounds[0].criteria[0].max_score == Decimal("10.5")
    assert all(isinstance(r.weight, Decimal) for r in spec.rounds)


def test_decimal_text_and_decimal_objects_are_numbers():
    spec, problems = parse(
        with_changes({"rounds[0].weight": "0.25", "rounds[1].weight": Decimal("0.75"), "year": "2026"})
    )
    assert problems == []
    assert spec.rounds[0].weight == Decimal("0.25")
    assert spec.year == 2026


def test_whole_floats_are_integers():
    spec, problems = parse(with_changes({"year": 2026.0, "max_age": 40.0}))
    assert problems == []
    assert (spec.year, spec.max_age) == (2026, 40)
    assert isinstance(spec.year, int)


def test_texts_are_stripped_and_blank_university_is_none():
    spec, problems = parse(
        with_changes(
            {"name": "  竞赛 ", "level": "provincial", "university": "  ", "groups[0].name": " 文科组\u3000"}
        )
    )
    assert problems == []
    assert (spec.name, spec.university, spec.groups[0]) == ("竞赛", None, "文科组")


def test_unknown_keys_are_ignored():
    data = with_changes({"id": 9, "status": "draft", "groups[0].id": 3, "rounds[0].criteria[0].id": 4})
    assert parse(data)[1] == []


# --- datetimes ----------------------------------------------------------------------------------------------


def test_naive_datetimes_are_local_time_in_tz_converted_to_naive_utc():
    spec, _ = parse(good_body(), tz=SHANGHAI)
    assert spec.registration_opens == datetime(2026, 3, 1, 0, 0)
    assert spec.registration_closes == datetime(2026, 3, 31, 10, 0)
    assert spec.registration_opens.tzinfo is None


def test_naive_datetimes_without_tz_are_utc():
    spec, _ = parse(good_body(), tz=None)
    assert spec.registration_opens == datetime(2026, 3, 1, 8, 0)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01T08:00:00+08:00",
        "2026-03-01T00:00:00Z",
        "2026-03-01T00:00:00+00:00",
        "2026-02-28T19:00-05:00",
    ],
)
def test_aware_datetimes_are_converted_to_naive_utc_whatever_tz(text):
    for tz in (None, SHANGHAI, ZoneInfo("America/New_York")):
        spec, problems = parse(with_changes({"registration_opens": text}), tz=tz)
        assert problems == []
        assert spec.registration_opens == datetime(2026, 3, 1, 0, 0)


def test_datetime_objects_and_dates_are_accepted():
    opens = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    spec, problems = parse(
        with_changes({"registration_opens": opens, "age_reference_date": date(2026, 8, 31)})
    )
    assert problems == []
    assert spec.registration_opens == datetime(2026, 3, 1, 1, 30)
    assert spec.age_reference_date == date(2026, 8, 31)


def test_a_date_alone_is_midnight_local_time():
    spec, problems = parse(with_changes({"registration_opens": "2026-03-01"}))
    assert problems == []
    assert spec.registration_opens == datetime(2026, 2, 28, 16, 0)


# --- every rule ---------------------------------------------------------------------------------------------

LONG = "长" * 201
ROUND_RANGE = {"above": "0", "max": "1"}
CASES = [
    # name
    ({"name": DELETE}, "name", "required", {}),
    ({"name": None}, "name", "required", {}),
    ({"name": "   "}, "name", "required", {}),
    ({"name": LONG}, "name", "too_long", {"max": 200}),
    ({"name": 42}, "name", "type", {"expected": "text"}),
    # kind, level, university
    ({"kind": "contest"}, "kind", "choice", {"value": "contest", "choices": ["teaching", "drill"]}),
    ({"kind": DELETE}, "kind", "required", {}),
    ({"level": "national"}, "level", "choice", {"value": "national", "choices": ["school", "provincial"]}),
    ({"level": ["school"]}, "level", "type", {"expected": "text"}),
    ({"university": None}, "university", "required", {}),
    ({"university": DELETE}, "university", "required", {}),
    ({"level": "provincial"}, "university", "not_allowed", {}),
    ({"university": 7}, "university", "type", {"expected": "text"}),
    # year
    ({"year": DELETE}, "year", "required", {}),
    ({"year": 1999}, "year", "range", {"min": 2000, "max": 2100}),
    ({"year": 2101}, "year", "range", {"min": 2000, "max": 2100}),
    ({"year": 2026.5}, "year", "type", {"expected": "integer"}),
    ({"year": True}, "year", "type", {"expected": "integer"}),
    ({"year": "二〇二六"}, "year", "type", {"expected": "integer"}),
    # categories
    ({"eligible_categories": []}, "eligible_categories", "required", {}),
    ({"eligible_categories": DELETE}, "eligible_categories", "required", {}),
    ({"eligible_categories": "teaching_research"}, "eligible_categories", "type", {"expected": "list"}),
    ({"eligible_categories": [1]}, "eligible_categories[0]", "type", {"expected": "text"}),
    (
        {"eligible_categories": ["teaching_research", "astronaut"]},
        "eligible_categories[1]",
        "choice",
        {"value": "astronaut", "choices": ["teaching_research", "admin_logistics", "other"]},
    ),
    (
        {"eligible_categories": ["other", "other"]},
        "eligible_categories[1]",
        "duplicate",
        {"value": "other"},
    ),
    # age
    ({"max_age": 17}, "max_age", "range", {"min": 18, "max": 70}),
    ({"max_age": 71}, "max_age", "range", {"min": 18, "max": 70}),
    ({"max_age": "forty"}, "max_age", "type", {"expected": "integer"}),
    ({"age_reference_date": None}, "age_reference_date", "required", {}),
    ({"age_reference_date": "2026-09-31"}, "age_reference_date", "type", {"expected": "date"}),
    ({"age_reference_date": 20260901}, "age_reference_date", "type", {"expected": "date"}),
    # registration window
    ({"registration_opens": DELETE}, "registration_opens", "required", {}),
    ({"registration_closes": None}, "registration_closes", "required", {}),
    (
        {"registration_closes": "2026-03-01T08:00:00"},
        "registration_closes",
        "order",
        {"after": "registration_opens"},
    ),
    (
        {"registration_closes": "2026-02-01T08:00:00"},
        "registration_closes",
        "order",
        {"after": "registration_opens"},
    ),
    ({"registration_opens": "next Monday"}, "registration_opens", "type", {"expected": "datetime"}),
    ({"registration_opens": 1767225600}, "registration_opens", "type", {"expected": "datetime"}),
    # quota, anonymous judging, materials, description
    ({"quota_per_university": 0}, "quota_per_university", "range", {"min": 1, "max": 100_000}),
    ({"quota_per_university": -3}, "quota_per_university", "range", {"min": 1, "max": 100_000}),
    ({"quota_per_university": 100_001}, "quota_per_university", "range", {"min": 1, "max": 100_000}),
    ({"quota_per_university": 2.5}, "quota_per_university", "type", {"expected": "integer"}),
    ({"anonymous_judging": "yes"}, "anonymous_judging", "type", {"expected": "boolean"}),
    ({"anonymous_judging": 1}, "anonymous_judging", "type", {"expected": "boolean"}),
    ({"requires_materials": "false"}, "requires_materials", "type", {"expected": "boolean"}),
    ({"description": ["x"]}, "description", "type", {"expected": "text"}),
    ({"description": "x" * 5001}, "description", "too_long", {"max": 5000}),
    # groups
    ({"groups": []}, "groups", "required", {}),
    ({"groups": DELETE}, "groups", "required", {}),
    ({"groups": {"name": "文科组"}}, "groups", "type", {"expected": "list"}),
    ({"groups": ["文科组"]}, "groups[0]", "type", {"expected": "object"}),
    ({"groups[1].name": ""}, "groups[1].name", "required", {}),
    ({"groups[1].name": DELETE}, "groups[1].name", "required", {}),
    ({"groups[1].name": "组" * 101}, "groups[1].name", "too_long", {"max": 100}),
    ({"groups[2].name": "文科组"}, "groups[2].name", "duplicate", {"value": "文科组"}),
    # rounds
    ({"rounds": []}, "rounds", "required", {}),
    ({"rounds": DELETE}, "rounds", "required", {}),
    ({"rounds": "教学设计"}, "rounds", "type", {"expected": "list"}),
    ({"rounds[0]": 0.25}, "rounds[0]", "type", {"expected": "object"}),
    ({"rounds[0].name": " "}, "rounds[0].name", "required", {}),
    ({"rounds[0].name": "轮" * 101}, "rounds[0].name", "too_long", {"max": 100}),
    ({"rounds[1].name": "教学设计"}, "rounds[1].name", "duplicate", {"value": "教学设计"}),
    ({"rounds[0].weight": DELETE}, "rounds[0].weight", "required", {}),
    ({"rounds[0].weight": True}, "rounds[0].weight", "type", {"expected": "number"}),
    ({"rounds[0].weight": "25%"}, "rounds[0].weight", "type", {"expected": "number"}),
    ({"rounds[0].weight": float("nan")}, "rounds[0].weight", "type", {"expected": "number"}),
    ({"rounds[0].weight": float("inf")}, "rounds[0].weight", "type", {"expected": "number"}),
    ({"rounds[0].weight": 0}, "rounds[0].weight", "range", ROUND_RANGE),
    ({"rounds[0].weight": -0.25}, "rounds[0].weight", "range", ROUND_RANGE),
    ({"rounds[0].weight": 1.25}, "rounds[0].weight", "range", ROUND_RANGE),
    ({"rounds[0].weight": 0.20}, "rounds", "weights_sum", {"sum": "0.95"}),
    ({"rounds[0].weight": 0.5}, "rounds", "weights_sum", {"sum": "1.25"}),
    (
        {"rounds[0].mode": "batch"},
        "rounds[0].mode",
        "choice",
        {"value": "batch", "choices": ["queue", "live"]},
    ),
    ({"rounds[0].mode": 1}, "rounds[0].mode", "type", {"expected": "text"}),
    ({"rounds[0].criteria": []}, "rounds[0].criteria", "required", {}),
    ({"rounds[0].criteria": DELETE}, "rounds[0].criteria", "required", {}),
    ({"rounds[0].criteria": {}}, "rounds[0].criteria", "type", {"expected": "list"}),
    ({"rounds[0].criteria[1]": "教学过程"}, "rounds[0].criteria[1]", "type", {"expected": "object"}),
    ({"rounds[0].criteria[1].name": ""}, "rounds[0].criteria[1].name", "required", {}),
    ({"rounds[0].criteria[1].name": "项" * 101}, "rounds[0].criteria[1].name", "too_long", {"max": 100}),
    (
        {"rounds[0].criteria[1].name": "教学目标"},
        "rounds[0].criteria[1].name",
        "duplicate",
        {"value": "教学目标"},
    ),
    (
        {"rounds[0].criteria[1].description": "说" * 501},
        "rounds[0].criteria[1].description",
        "too_long",
        {"max": 500},
    ),
    ({"rounds[0].criteria[1].max_score": DELETE}, "rounds[0].criteria[1].max_score", "required", {}),
    (
        {"rounds[0].criteria[1].max_score": "sixty"},
        "rounds[0].criteria[1].max_score",
        "type",
        {"expected": "number"},
    ),
    (
        {"rounds[0].criteria[1].max_score": 0},
        "rounds[0].criteria[1].max_score",
        "range",
        {"above": "0", "max": "1000"},
    ),
    (
        {"rounds[0].criteria[1].max_score": 1000.5},
        "rounds[0].criteria[1].max_score",
        "range",
        {"above": "0", "max": "1000"},
    ),
    (
        {"rounds[0].criteria[1].max_score": 12.25},
        "rounds[0].criteria[1].max_score",
        "decimals",
        {"places": 1},
    ),
    (
        {"rounds[0].criteria[1].max_score": "60.00000000000000000000000000000001"},
        "rounds[0].criteria[1].max_score",
        "decimals",
        {"places": 1},
    ),
    # scoring
    ({"scoring": "default"}, "scoring", "type", {"expected": "object"}),
    ({"scoring": {"trim_highest": 4}}, "scoring.trim_highest", "range", {"min": 0, "max": 3}),
    ({"scoring": {"trim_lowest": -1}}, "scoring.trim_lowest", "range", {"min": 0, "max": 3}),
    ({"scoring": {"trim_lowest": "one"}}, "scoring.trim_lowest", "type", {"expected": "integer"}),
    ({"scoring": {"trim_min_judges": 2}}, "scoring.trim_min_judges", "range", {"min": 3}),
    (
        {"scoring": {"trim_highest": 2, "trim_lowest": 2, "trim_min_judges": 4}},
        "scoring.trim_min_judges",
        "range",
        {"min": 5},
    ),
    ({"scoring": {"decimals": 5}}, "scoring.decimals", "range", {"min": 0, "max": 4}),
    ({"scoring": {"decimals": -1}}, "scoring.decimals", "range", {"min": 0, "max": 4}),
    (
        {"scoring": {"final": "average"}},
        "scoring.final",
        "choice",
        {"value": "average", "choices": ["weighted", "last_round"]},
    ),
    ({"scoring": {"anomaly_threshold": 0}}, "scoring.anomaly_threshold", "range", {"above": "0", "max": "1"}),
    (
        {"scoring": {"anomaly_threshold": 1.5}},
        "scoring.anomaly_threshold",
        "range",
        {"above": "0", "max": "1"},
    ),
    ({"scoring": {"anomaly_threshold": False}}, "scoring.anomaly_threshold", "type", {"expected": "number"}),
    ({"scoring": {"tie_breakers": "课堂教学"}}, "scoring.tie_breakers", "type", {"expected": "list"}),
    ({"scoring": {"tie_breakers": {"0": "课堂教学"}}}, "scoring.tie_breakers", "type", {"expected": "list"}),
    ({"scoring": {"tie_breakers": [["课堂教学"]]}}, "scoring.tie_breakers[0]", "type", {"expected": "text"}),
    (
        {"scoring": {"tie_breakers": ["说课"]}},
        "scoring.tie_breakers[0]",
        "choice",
        {"value": "说课", "choices": ["教学设计", "课堂教学"]},
    ),
    (
        {"scoring": {"tie_breakers": ["课堂教学", " 课堂教学"]}},
        "scoring.tie_breakers[1]",
        "duplicate",
        {"value": "课堂教学"},
    ),
    ({"scoring": {"tie_breakers": ["  "]}}, "scoring.tie_breakers[0]", "required", {}),
    # awards
    ({"awards": "一等奖"}, "awards", "type", {"expected": "list"}),
    ({"awards": [["一等奖", 0.15]]}, "awards[0]", "type", {"expected": "object"}),
    ({"awards": [{"name": "一等奖"}]}, "awards[0].ratio", "required", {}),
    ({"awards": [{"ratio": 0.15}]}, "awards[0].name", "required", {}),
    ({"awards": [{"name": "奖" * 51, "ratio": 0.15}]}, "awards[0].name", "too_long", {"max": 50}),
    ({"awards": [{"name": "一等奖", "ratio": 0}]}, "awards[0].ratio", "range", {"above": "0", "max": "1"}),
    ({"awards": [{"name": "一等奖", "ratio": 1.01}]}, "awards[0].ratio", "range", {"above": "0", "max": "1"}),
    (
        {"awards": [{"name": "一等奖", "ratio": 0.1}, {"name": "一等奖", "ratio": 0.2}]},
        "awards[1].name",
        "duplicate",
        {"value": "一等奖"},
    ),
    (
        {
            "awards": [
                {"name": "一等奖", "ratio": 0.15},
                {"name": "二等奖", "ratio": 0.35},
                {"name": "三等奖", "ratio": 0.55},
            ]
        },
        "awards",
        "ratios_sum",
        {"sum": "1.05"},
    ),
]


@pytest.mark.parametrize(("changes", "field", "code", "params"), CASES, ids=lambda v: str(v)[:40])
def test_each_rule_fires_alone_on_a_minimal_bad_input(changes, field, code, params):
    spec, problems = parse(with_changes(changes))
    assert spec is None
    assert problems == [Problem(field, code, params)]


def test_every_code_is_exercised():
    assert {code for _, _, code, _ in CASES} == CODES
    assert {p["expected"] for _, _, code, p in CASES if code == "type"} == EXPECTED_TYPES


BOUNDARIES_THAT_PASS = [
    {"name": "长" * 200},
    {"year": 2000},
    {"year": 2100},
    {"max_age": 18},
    {"max_age": 70},
    {"max_age": None, "age_reference_date": None},
    {"max_age": DELETE, "age_reference_date": DELETE},
    {"quota_per_university": 1},
    {"level": "provincial", "university": DELETE},
    {"level": "provincial", "university": None},
    {"kind": "drill", "eligible_categories": ["admin_logistics", "other", "teaching_research"]},
    {"groups": [{"name": "组" * 100}]},
    {"rounds": [{"name": "决赛", "weight": 1, "criteria": [{"name": "总分", "max_score": 1000}]}]},
    {"rounds[0].criteria[0].max_score": 0.1},
    {"rounds[0].criteria[0].max_score": "39.5"},
    {"rounds[0].criteria[0].max_score": 40.0},
    {"rounds[0].criteria[0].max_score": Decimal("40.00")},
    {"rounds[0].weight": "0.2500", "rounds[1].weight": 0.75},
    {"scoring": {"trim_highest": 0, "trim_lowest": 0, "trim_min_judges": 1}},
    {"scoring": {"trim_highest": 3, "trim_lowest": 3, "trim_min_judges": 7}},
    {"scoring": {"decimals": 0}},
    {"scoring": {"decimals": 4}},
    {"scoring": {"anomaly_threshold": 1}},
    {"scoring": {"anomaly_threshold": 0.01}},
    {"awards": [{"name": "一等奖", "ratio": 1}]},
    {
        "awards": [
            {"name": "一等奖", "ratio": 0.15},
            {"name": "二等奖", "ratio": 0.35},
            {"name": "三等奖", "ratio": 0.5},
        ]
    },
    {"registration_closes": "2026-03-01T08:00:01"},
]


@pytest.mark.parametrize("changes", BOUNDARIES_THAT_PASS, ids=lambda v: str(v)[:40])
def test_boundaries_that_pass(changes):
    assert parse(with_changes(changes))[1] == []


def test_every_problem_is_reported_not_just_the_first():
    _, problems = parse(
        with_changes(
            {
                "name": "",
                "kind": "x",
                "year": 1990,
                "max_age": 90,
                "groups[1].name": "文科组",
                "rounds[0].weight": 0.5,
                "rounds[1].criteria[0].max_score": -1,
                "scoring": {"decimals": 9},
                "awards": [{"name": "一等奖", "ratio": 2}],
            }
        )
    )
    assert [(p.field, p.code) for p in problems] == [
        ("name", "required"),
        ("kind", "choice"),
        ("year", "range"),
        ("max_age", "range"),
        ("groups[1].name", "duplicate"),
        ("rounds", "weights_sum"),
        ("rounds[1].criteria[0].max_score", "range"),
        ("scoring.decimals", "range"),
        ("awards[0].ratio", "range"),
    ]


def test_a_field_with_a_type_problem_gets_no_rule_problem_and_sums_are_skipped():
    _, problems = parse(
        with_changes({"rounds[0].weight": "a quarter", "awards": [{"name": "一", "ratio": "x"}]})
    )
    assert problems == [
        Problem("rounds[0].weight", "type", {"expected": "number"}),
        Problem("awards[0].ratio", "type", {"expected": "number"}),
    ]


def test_a_weight_out_of_range_does_not_also_report_the_sum():
    _, problems = parse(with_changes({"rounds[0].weight": 2}))
    assert [p.code for p in problems] == ["range"]


def test_not_a_mapping_is_one_type_problem():
    for value in (None, [], "competition", 3):
        assert parse_spec(value) == (None, [Problem("", "type", {"expected": "object"})])


def test_validate_spec_on_a_built_spec():
    spec, _ = parse(good_body())
    assert validate_spec(spec) == []
    bad = replace(spec, name="", groups=("A", "A"), scoring=replace(spec.scoring, final="best"))
    assert [(p.field, p.code) for p in validate_spec(bad)] == [
        ("name", "required"),
        ("groups[1].name", "duplicate"),
        ("scoring.final", "choice"),
    ]


def test_weights_are_summed_exactly_at_four_places():
    rounds = [
        {"name": str(i), "weight": w, "criteria": [{"name": "x", "max_score": 1}]}
        for i, w in enumerate(["0.3333", "0.3333", "0.3334"])
    ]
    assert parse(with_changes({"rounds": rounds}))[1] == []
    rounds[2]["weight"] = "0.3333"
    assert parse(with_changes({"rounds": rounds}))[1] == [Problem("rounds", "weights_sum", {"sum": "0.9999"})]


def test_fractions_finer_than_four_places_are_refused():
    """0.33333 + 0.66667 is 1, but stored at four places it would be 0.3333 + 0.6667: refused, not rounded."""
    rounds = [
        {"name": str(i), "weight": w, "criteria": [{"name": "x", "max_score": 1}]}
        for i, w in enumerate(["0.33333", "0.66667"])
    ]
    problems = parse(with_changes({"rounds": rounds, "awards": [{"name": "一等奖", "ratio": "0.12345"}]}))[1]
    assert problems == [
        Problem("rounds[0].weight", "decimals", {"places": 4}),
        Problem("rounds[1].weight", "decimals", {"places": 4}),
        Problem("awards[0].ratio", "decimals", {"places": 4}),
    ]


# --- writing back -------------------------------------------------------------------------------------------


def test_spec_to_dict_is_the_api_shape_and_json_able():
    spec, _ = parse(good_body())
    data = spec_to_dict(spec)
    assert json.loads(json.dumps(data)) == data
    assert data["registration_opens"] == "2026-03-01T00:00:00+00:00"
    assert data["age_reference_date"] == "2026-09-01"
    assert data["groups"] == [{"name": "文科组"}, {"name": "理科组"}, {"name": "工科组"}]
    assert data["rounds"][0]["weight"] == 0.25
    assert data["rounds"][0]["criteria"][0] == {"name": "教学目标", "max_score": 40, "description": ""}
    assert data["scoring"] == {
        "trim_highest": 1,
        "trim_lowest": 1,
        "trim_min_judges": 5,
        "decimals": 2,
        "final": "weighted",
        "anomaly_threshold": 0.1,
        "tie_breakers": [],
    }
    assert data["awards"][0] == {"name": "一等奖", "ratio": 0.15}
    for tz in (None, SHANGHAI):
        assert parse_spec(data, tz=tz) == (spec, [])


# --- properties ---------------------------------------------------------------------------------------------

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["2026-03-01", "2026-03-01T08:00:00+08:00", "0.5", "teaching", "school", "queue", ""])
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=16,
)
KEYS = list(good_body()) + ["scoring", "awards", "requires_materials", "description"]


def check_outcome(result) -> None:
    spec, problems = result
    assert (spec is None) != (problems == [])
    if spec is not None:
        assert isinstance(spec, CompetitionSpec)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.code in CODES
        assert isinstance(problem.field, str)
        json.dumps(problem.params)
        if problem.code == "type":
            assert problem.params["expected"] in EXPECTED_TYPES


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_parse_never_raises_on_arbitrary_json(value):
    check_outcome(parse_spec(value, tz=SHANGHAI))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6))
def test_parse_never_raises_when_fields_of_a_good_body_are_replaced(replacements):
    data = good_body()
    data.update(replacements)
    check_outcome(parse_spec(data, tz=SHANGHAI))


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_parse_never_raises_on_arbitrary_tie_breakers(value):
    data = good_body()
    data["scoring"] = {"tie_breakers": value}
    check_outcome(parse_spec(data, tz=SHANGHAI))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 1), st.sampled_from(["name", "weight", "mode", "criteria"]), json_values)
def test_parse_never_raises_inside_rounds(index, key, value):
    data = good_body()
    data["rounds"][index][key] = value
    check_outcome(parse_spec(data, tz=SHANGHAI))


STEP = Decimal("0.05")
names = (
    st.text(st.sampled_from("教学设计课堂反思组ABCxyz 123"), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def partitions(draw, parts: int, steps: int = 20) -> list[Decimal]:
    """``parts`` positive multiples of 0.05 summing to steps × 0.05."""
    cuts = sorted(draw(st.sets(st.integers(1, max(steps - 1, 1)), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, steps]
    return [STEP * (b - a) for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def unique_names(draw, count: int) -> list[str]:
    return draw(st.lists(names, min_size=count, max_size=count, unique=True))


@st.composite
def criteria(draw) -> tuple[CriterionSpec, ...]:
    count = draw(st.integers(1, 4))
    return tuple(
        CriterionSpec(
            name,
            Decimal(draw(st.integers(1, 10000))) / 10,
            draw(st.sampled_from(["", "目标明确", "  "])).strip(),
        )
        for name in draw(unique_names(count))
    )


@st.composite
def valid_specs(draw) -> CompetitionSpec:
    n_rounds = draw(st.integers(1, 5))
    weights = draw(partitions(n_rounds))
    rounds = tuple(
        RoundSpec(name, weight, draw(criteria()), draw(st.sampled_from(["queue", "live"])))
        for name, weight in zip(draw(unique_names(n_rounds)), weights, strict=True)
    )
    n_awards = draw(st.integers(0, 4))
    award_steps = draw(st.integers(max(n_awards, 1), 20))
    ratios = draw(partitions(n_awards, award_steps)) if n_awards else []
    awards = tuple(AwardSpec(n, r) for n, r in zip(draw(unique_names(n_awards)), ratios, strict=True))
    trim_high, trim_low = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    scoring = ScoringSpec(
        trim_high,
        trim_low,
        draw(st.integers(trim_high + trim_low + 1, 15)),
        draw(st.integers(0, 4)),
        draw(st.sampled_from(["weighted", "last_round"])),
        Decimal(draw(st.integers(1, 100))) / 100,
        tuple(draw(st.permutations([r.name for r in rounds]))[: draw(st.integers(0, n_rounds))]),
    )
    level = draw(st.sampled_from(["school", "provincial"]))
    max_age = draw(st.none() | st.integers(18, 70))
    opens = draw(st.datetimes(datetime(2001, 1, 1), datetime(2099, 1, 1)))
    categories = draw(
        st.lists(st.sampled_from(["teaching_research", "admin_logistics", "other"]), min_size=1, unique=True)
    )
    return CompetitionSpec(
        name=draw(names),
        kind=draw(st.sampled_from(["teaching", "drill"])),
        level=level,
        university=draw(names) if level == "school" else None,
        year=draw(st.integers(2000, 2100)),
        eligible_categories=tuple(categories),
        max_age=max_age,
        age_reference_date=draw(st.dates(date(2000, 1, 1), date(2100, 12, 31))) if max_age else None,
        registration_opens=opens,
        registration_closes=opens + draw(st.timedeltas(timedelta(seconds=1), timedelta(days=400))),
        quota_per_university=draw(st.none() | st.integers(1, 500)),
        anonymous_judging=draw(st.booleans()),
        groups=tuple(draw(unique_names(draw(st.integers(1, 6))))),
        rounds=rounds,
        scoring=scoring,
        awards=awards,
        requires_materials=draw(st.booleans()),
        description=draw(st.sampled_from(["", "说明"])),
    )


@settings(max_examples=100, deadline=None)
@given(valid_specs(), st.sampled_from([None, SHANGHAI, ZoneInfo("America/New_York")]))
def test_spec_to_dict_round_trips_through_json_and_parse(spec, tz):
    assert validate_spec(spec) == []
    data = json.loads(json.dumps(spec_to_dict(spec)))
    assert parse_spec(data, tz=tz) == (spec, [])


def rounds_body(weights) -> list[dict]:
    return [
        {"name": f"第{i}轮", "weight": float(w), "criteria": [{"name": "得分", "max_score": 100}]}
        for i, w in enumerate(weights)
    ]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8).flatmap(partitions))
def test_weights_partitioning_one_always_pass(weights):
    assert sum(weights) == 1
    assert parse(with_changes({"rounds": rounds_body(weights)}))[1] == []


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 8).flatmap(partitions),
    st.data(),
    st.sampled_from([Decimal("0.01"), Decimal("0.05"), Decimal("0.001"), Decimal("0.03")]),
)
def test_a_perturbed_weight_always_gets_weights_sum(weights, data, delta):
    i = data.draw(st.integers(0, len(weights) - 1))
    sign = -1 if weights[i] == 1 or (weights[i] > delta and data.draw(st.booleans())) else 1
    if weights[i] <= delta:
        sign = 1
    weights[i] += sign * delta
    _, problems = parse(with_changes({"rounds": rounds_body(weights)}))
    assert problems == [Problem("rounds", "weights_sum", {"sum": str((1 + sign * delta).normalize())})]
