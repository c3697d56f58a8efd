"""Publication (公示): freezing a competition's results into a snapshot and issuing its certificates.

Called by the transition to ``published`` (``services.competitions.transition``) once its guards hold:
every group's results are computed one last time (``services.results``), written with names into
``Publication.snapshot``, and every awarded entry gets a ``Certificate`` stating what the paper will say,
under a serial that cannot be guessed. From then on pages, exports, certificates and the API read the
snapshot.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import local_today
from ..enums import CompetitionLevel
from ..errors import ValidationFailed
from ..extensions import db
from ..models import Certificate, Competition, Publication, User
from . import audit
from .results import compute_all, group_dict


def organizer_name(competition: Competition) -> str:
    """Who awards the certificate: the university's union for a school contest, the province's otherwise."""
    if competition.level == CompetitionLevel.SCHOOL and competition.university is not None:
        return f"{competition.university.name}工会"
    return current_app.config.get("ORGANIZER_NAME") or "省教育工会"


def new_serial(competition: Competition) -> str:
    """A serial such as ``2026-0003-7KQ4M2TZ``: the year, the competition, and eight random characters so that
    serials cannot be guessed one from another."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread
    tail = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{competition.year}-{competition.id:04d}-{tail}"


def parse_objection(objection_ends: object, contact: object, *, today: date) -> tuple[date | None, str]:
    """The objection period's end (ISO date, not before today) and the contact, as the organizer gave them."""
    problems = []
    ends = None
    if isinstance(objection_ends, str):
        objection_ends = objection_ends.strip()
    if objection_ends not in (None, ""):
        try:
            if not isinstance(objection_ends, str):  # a number such as 20990101 is no date
                raise ValueError(objection_ends)
            ends = date.fromisoformat(objection_ends)
        except ValueError:
            problems.append(
                {"field": "objection_ends", "message": _("Give the end of the objection period as a date.")}
            )
        else:
            if ends < today:
                problems.append(
                    {"field": "objection_ends", "message": _("The objection period cannot end before today.")}
                )
    if contact is not None and not isinstance(contact, str):
        problems.append({"field": "contact", "message": _("Give the contact as text.")})
    elif isinstance(contact, str) and len(contact) > 500:
        problems.append(
            {"field": "contact", "message": _("The contact is too long (500 characters at most).")}
        )
    if problems:
        raise ValidationFailed(problems[0]["message"], details=problems)
    return ends, (contact or "").strip() if isinstance(contact, str) else ""


def publish(
    competition: Competition,
    *,
    by: User,
    objection_ends: date | None,
    contact: str,
    at: datetime | None = None,
) -> Publication:
    """Freeze the results (called by the transition to ``published``, after its guards): the snapshot of every
    group with names, and a certificate for every awarded entry."""
    groups = compute_all(competition)
    publication = Publication(
        competition_id=competition.id,
        published_by_id=by.id,
        objection_ends=objection_ends,
        contact=contact,
        snapshot={
            "decimals": competition.decimals,
            "rounds": [
                {"round_id": r.id, "name": r.name, "weight": float(r.weight), "kind": r.kind}
                for r in competition.rounds
            ],
            "groups": [group_dict(g, with_names=True) for g in groups],
        },
    )
    if at is not None:
        publication.published_at = at
    db.session.add(publication)
    issued = local_today()
    organizer = organizer_name(competition)
    for results in groups:
        for row in results.board.rows:
            info = results.entries.get(row.entry_id)
            if row.award is None or info is None:
                continue
            db.session.add(
                Certificate(
                    serial=new_serial(competition),
                    competition_id=competition.id,
                    entry_id=row.entry_id,
                    name=info.name,
                    university=info.university,
                    competition_name=competition.name,
                    group_name=results.group.name,
                    award=row.award,
                    organizer=organizer,
                    issued=issued,
                )
            )
    db.session.flush()
    audit.record(
        "competition.publish",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
        objection_ends=objection_ends.isoformat() if objection_ends else None,
        certificates=sum(1 for g in groups for row in g.board.rows if row.award),
    )
    return publication


def certificate_of(serial: str) -> Certificate | None:
    if not isinstance(serial, str) or len(serial) > 40:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.serial == serial.strip().upper()))


def certificate_dict(certificate: Certificate) -> dict:
    return {
        "serial": certificate.serial,
        "name": certificate.name,
        "university": certificate.university,
        "competition": certificate.competition_name,
        "group": certificate.group_name,
        "award": certificate.award,
        "issued": certificate.issued.isoformat(),
        "organizer": certificate.organizer,
    }
