"""The competition templates: every JSON file, filled in for a year, is a valid competition definition."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from competition.domain.competition_spec import parse_spec

FOLDER = Path(__file__).resolve().parents[2] / "competition" / "data" / "competition_templates"
FILES = sorted(FOLDER.glob("*.json"))
TOP_KEYS = {"key", "title_zh", "title_en", "summary_zh", "summary_en", "spec"}
FILLED_IN = {"year", "registration_opens", "registration_closes", "university", "age_reference_date"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def filled_in(template: dict, year: int = 2026) -> dict:
    """What the service does: the year, a registration window, the university, the age reference date."""
    body = json.loads(json.dumps(template["spec"]))
    reference = body.pop("age_reference", None)
    body.update(
        year=year,
        registration_opens=f"{year}-03-01T09:00",
        registration_closes=f"{year}-03-29T17:00",
        university="U001" if body["level"] == "school" else None,
    )
    if body.get("max_age"):
        month, day = (int(part) for part in reference.split("-"))
        body["age_reference_date"] = date(year, month, day).isoformat()
    return body


def test_the_expected_templates_exist():
    assert {path.stem for path in FILES} >= {"young-teachers-teaching", "admin-logistics-drill"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_template_shape(path):
    template = load(path)
    assert set(template) == TOP_KEYS
    assert template["key"] == path.stem
    assert all(isinstance(template[k], str) and template[k].strip() for k in TOP_KEYS - {"spec"})
    assert not FILLED_IN & set(template["spec"]), "year, dates and university are filled in when used"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("year", [2026, 2028])
def test_template_filled_in_parses_without_problems(path, year):
    spec, problems = parse_spec(filled_in(load(path), year), tz=ZoneInfo("Asia/Shanghai"))
    assert problems == []
    assert sum(r.weight for r in spec.rounds) == 1
    for round_ in spec.rounds:
        assert sum(c.max_score for c in round_.criteria) == 100, round_.name
    assert sum(a.ratio for a in spec.awards) <= 1


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_template_works_at_provincial_level_too(path):
    body = filled_in(load(path))
    body.update(level="provincial", university=None, quota_per_university=5)
    assert parse_spec(body)[1] == []


def test_young_teachers_contest_follows_the_national_rubric():
    template = load(FOLDER / "young-teachers-teaching.json")
    spec, _ = parse_spec(filled_in(template, 2026))
    assert spec.kind == "teaching"
    assert spec.eligible_categories == ("teaching_research",)
    assert spec.max_age == 40
    assert spec.age_reference_date == date(2026, 9, 1)
    assert spec.groups == ("文科组", "理科组", "工科组", "医科组", "思想政治课专项组")
    assert [(r.name, r.weight) for r in spec.rounds] == [
        ("教学设计", Decimal("0.20")),
        ("课堂教学", Decimal("0.75")),
        ("教学反思", Decimal("0.05")),
    ]
    assert [c.name for c in spec.rounds[1].criteria] == ["教学内容", "教学组织", "教学语言与教态", "教学特色"]
    assert spec.anonymous_judging and spec.requires_materials
    scoring = spec.scoring
    assert (scoring.trim_highest, scoring.trim_lowest, scoring.trim_min_judges) == (1, 1, 5)
    assert [(a.name, a.ratio) for a in spec.awards] == [
        ("一等奖", Decimal("0.15")),
        ("二等奖", Decimal("0.25")),
        ("三等奖", Decimal("0.35")),
    ]


def test_admin_logistics_drill():
    spec, _ = parse_spec(filled_in(load(FOLDER / "admin-logistics-drill.json")))
    assert spec.kind == "drill"
    assert set(spec.eligible_categories) == {"admin_logistics", "other"}
    assert spec.max_age is None and spec.age_reference_date is None
    assert spec.groups == ("综合管理组", "财务组", "图书组", "实验室组", "后勤服务组")
    assert [(r.name, r.weight) for r in spec.rounds] == [("笔试", Decimal("0.4")), ("实操", Decimal("0.6"))]
    assert [(c.name, c.max_score) for c in spec.rounds[0].criteria] == [("岗位知识", 60), ("法规与安全", 40)]
    assert [(c.name, c.max_score) for c in spec.rounds[1].criteria] == [
        ("操作规范", 40),
        ("完成质量", 40),
        ("时间效率", 20),
    ]
    assert spec.requires_materials is False
