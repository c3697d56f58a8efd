"""The API's JSON shapes (API.md), one function per kind of object; views pass them to ``jsonify``."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from ..domain.scoring import to_score
from ..models import Competition, Entry, EntryMaterial, RoleGrant, Round, Staff, University, User
from ..pagination import Page
from ..services.competitions import to_spec_dict
from ..services.competitions.setup import round_body


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _utc(moment) -> str:
    """A naive UTC datetime as ISO 8601 with a Z."""
    return moment.isoformat() + "Z"


def role_dict(grant: RoleGrant) -> dict:
    data = {"role": grant.role}
    if grant.university is not None:
        data["university"] = grant.university.code
    if grant.staff is not None:
        data["staff_no"] = grant.staff.staff_no
    return data


def user_dict(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": [role_dict(g) for g in user.roles],
        "must_change_password": user.must_change_password,
    }


def university_dict(university: University) -> dict:
    return {"code": university.code, "name": university.name}


def staff_dict(staff: Staff) -> dict:
    return {
        "staff_no": staff.staff_no,
        "name": staff.name,
        "department": staff.department.name,
        "category": staff.category,
        "gender": staff.gender,
        "birth_date": staff.birth_date.isoformat() if staff.birth_date else None,
        "title": staff.title,
        "phone": staff.phone,
        "active": staff.active,
    }


def competition_dict(competition: Competition) -> dict:
    """The stored definition in API.md's shape with ids, datetimes as ISO 8601 with the UTC offset."""
    data = to_spec_dict(competition)
    for key in ("registration_opens", "registration_closes"):
        data[key] = getattr(competition, key).replace(tzinfo=ZoneInfo("UTC")).isoformat()
    data.update(
        id=competition.id,
        status=competition.status,
        groups=[{"id": g.id, "name": g.name} for g in competition.groups],
        rounds=[_round_dict(r) for r in competition.rounds],
        awards=[{"id": a.id, "name": a.name, "ratio": _number(a.ratio)} for a in competition.awards],
    )
    return data


def _round_dict(r: Round) -> dict:
    """A round with ids: ``kind``, then ``exam`` (datetimes with the UTC offset) or ``mode`` and criteria."""
    item = {"id": r.id, "name": r.name, "weight": _number(r.weight), "kind": r.kind}
    if r.is_exam:
        item["exam"] = round_body(r, _utc)["exam"]
        return item
    item["mode"] = r.mode
    item["criteria"] = [
        {"id": c.id, "name": c.name, "max_score": _number(c.max_score), "description": c.description}
        for c in r.criteria
    ]
    return item


def entry_dict(entry: Entry) -> dict:
    return {
        "id": entry.id,
        "competition_id": entry.competition_id,
        "group_id": entry.group_id,
        "staff_no": entry.staff.staff_no,
        "name": entry.staff.name,
        "university": entry.university.code,
        "department": entry.staff.department.name,
        "status": entry.status,
        "draw_no": entry.draw_no,
        "reason": entry.reason,
        "created_at": _utc(entry.created_at),
    }


def material_dict(material: EntryMaterial) -> dict:
    return {
        "id": material.id,
        "name": material.original_name,
        "kind": material.kind,
        "size": material.size,
        "uploaded_at": _utc(material.uploaded_at),
    }


def page_dict(page: Page, serialise) -> dict:
    return {
        "items": [serialise(item) for item in page.items],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
    }


def sheet_dict(answer) -> dict:
    """A judge's sheet (``services.sheets.SheetAnswer``): status none, draft or submitted, the scores."""
    return {
        "status": answer.status,
        "scores": {str(cid): float(to_score(tenths)) for cid, tenths in answer.values.items()},
        "total": float(answer.total),
        "reopened_reason": answer.reopened_reason,
    }
