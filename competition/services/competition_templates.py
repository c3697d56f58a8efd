"""Competition templates (data files in ``competition/data/competition_templates``) filled in for a year."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_babel import gettext as _

from ..enums import CompetitionLevel
from ..errors import NotFound

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "competition_templates"


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    summary: str
    spec: dict


def load_templates(locale: str = "zh") -> list[Template]:
    templates = []
    for path in sorted(TEMPLATES.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        lang = "en" if locale.startswith("en") else "zh"
        templates.append(Template(raw["key"], raw[f"title_{lang}"], raw[f"summary_{lang}"], raw["spec"]))
    return templates


def template_body(key: str, *, year: int, level: str, university: str | None, today: date) -> dict:
    """A template's spec filled in for this year: registration opens tomorrow for four weeks."""
    template = next((t for t in load_templates() if t.key == key), None)
    if template is None:
        raise NotFound(_("No such template."))
    body = json.loads(json.dumps(template.spec))
    reference = body.pop("age_reference", None)
    body.update(year=year, level=level, university=university if level == CompetitionLevel.SCHOOL else None)
    if body.get("max_age") and reference:
        month, day = (int(x) for x in reference.split("-"))
        body["age_reference_date"] = date(year, month, day).isoformat()
    opens = datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(hour=9)
    body["registration_opens"] = opens.isoformat(timespec="minutes")
    body["registration_closes"] = (opens + timedelta(days=28, hours=8)).isoformat(timespec="minutes")
    return body
