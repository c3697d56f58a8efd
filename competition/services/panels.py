"""Judging panels: judges on a competition's groups, declared conflicts, and who scores which entry.

``load_panel`` reads a competition's whole judging picture in four queries (judges, their universities,
approved entries, declared conflicts) and answers every question of it in Python through
``domain.recusal``: who scores which entry, what a judge is recused from and why, how many judges each
entry keeps, which sheets are expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..database import is_db_int
from ..domain.recusal import Recusal, recusals
from ..enums import CompetitionLevel, CompetitionStatus, EntryStatus, Role
from ..errors import Conflict, ValidationFailed
from ..extensions import db
from ..models import (
    Competition,
    Entry,
    JudgeAssignment,
    JudgeConflict,
    RoleGrant,
    ScoreSheet,
    University,
    User,
)
from . import audit


@dataclass(frozen=True)
class PanelJudge:
    judge_id: int
    username: str
    display_name: str
    group_id: int
    seat: int
    universities: frozenset[int]


@dataclass(frozen=True)
class PanelEntry:
    entry_id: int
    group_id: int
    draw_no: int | None
    university_id: int


@dataclass
class Panel:
    competition: Competition
    judges: list[PanelJudge]
    entries: list[PanelEntry]
    recused: dict[tuple[int, int], dict[int, Recusal]] = field(default_factory=dict)  # (judge, group) → …

    def judges_of(self, group_id: int) -> list[PanelJudge]:
        return sorted((j for j in self.judges if j.group_id == group_id), key=lambda j: j.seat)

    def entries_of(self, group_id: int) -> list[PanelEntry]:
        return [e for e in self.entries if e.group_id == group_id]

    def recusals_of(self, judge: PanelJudge) -> dict[int, Recusal]:
        return self.recused.get((judge.judge_id, judge.group_id), {})

    def scored_by(self, judge: PanelJudge) -> list[PanelEntry]:
        """The entries of the judge's group that the judge scores, in draw order."""
        recused = self.recusals_of(judge)
        mine = [e for e in self.entries_of(judge.group_id) if e.entry_id not in recused]
        return sorted(mine, key=lambda e: (e.draw_no is None, e.draw_no or 0, e.entry_id))

    def panel_size(self, entry: PanelEntry) -> int:
        return sum(1 for j in self.judges_of(entry.group_id) if entry.entry_id not in self.recusals_of(j))

    def expected(self) -> list[tuple[PanelJudge, PanelEntry]]:
        """Every (judge, entry) pair that owes a sheet in each round."""
        return [(judge, entry) for judge in self.judges for entry in self.scored_by(judge)]


def load_panel(competition: Competition) -> Panel:
    rows = db.session.execute(
        select(JudgeAssignment, User.username, User.display_name)
        .join(User, JudgeAssignment.judge_id == User.id)
        .where(JudgeAssignment.competition_id == competition.id)
    ).all()
    judge_ids = {a.judge_id for a, _u, _d in rows}
    universities: dict[int, set[int]] = {}
    if judge_ids:
        for user_id, university_id in db.session.execute(
            select(RoleGrant.user_id, RoleGrant.university_id).where(
                RoleGrant.user_id.in_(judge_ids),
                RoleGrant.role == Role.JUDGE,
                RoleGrant.university_id.is_not(None),
            )
        ):
            universities.setdefault(user_id, set()).add(university_id)
    judges = [
        PanelJudge(
            a.judge_id, username, display, a.group_id, a.seat, frozenset(universities.get(a.judge_id, ()))
        )
        for a, username, display in rows
    ]
    entries = [
        PanelEntry(*row)
        for row in db.session.execute(
            select(Entry.id, Entry.group_id, Entry.draw_no, Entry.university_id).where(
                Entry.competition_id == competition.id, Entry.status == EntryStatus.APPROVED
            )
        )
    ]
    declared: dict[int, dict[int, str]] = {}
    for judge_id, entry_id, reason in db.session.execute(
        select(JudgeConflict.judge_id, JudgeConflict.entry_id, JudgeConflict.reason).where(
            JudgeConflict.competition_id == competition.id
        )
    ):
        declared.setdefault(judge_id, {})[entry_id] = reason
    panel = Panel(competition, judges, entries)
    for judge in judges:
        group_entries = {e.entry_id: e.university_id for e in panel.entries_of(judge.group_id)}
        found = recusals(
            level=competition.level,
            judge_universities=judge.universities,
            entries=group_entries,
            declared=declared.get(judge.judge_id, {}),
        )
        panel.recused[(judge.judge_id, judge.group_id)] = {r.entry_id: r for r in found}
    return panel


# --- changing the panel -------------------------------------------------------------------------------------


def _judge_named(username: object, competition: Competition) -> User:
    """A judge account the competition may use: any judge for a provincial one; for a school-level one, the
    university's own judges and outside experts (of no university)."""
    user = (
        db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
        if isinstance(username, str) and username.strip()
        else None
    )
    grants = [g for g in user.roles if g.role == Role.JUDGE] if user else []
    fits = any(
        competition.level == CompetitionLevel.PROVINCIAL
        or g.university_id is None
        or g.university_id == competition.university_id
        for g in grants
    )
    if not fits:
        message = _("No judge account has this username.")
        raise ValidationFailed(message, details=[{"field": "username", "message": message}])
    return user


def _not_published(competition: Competition) -> None:
    if competition.status == CompetitionStatus.PUBLISHED:
        raise Conflict(_("The results are published: the panel can no longer change."), code="wrong_state")


def _screens_refetch(competition: Competition) -> None:
    """A panel changed: the judges each entry expects (and so the big screens' counts) may have changed."""
    from .live import bump  # live reads panels: imported here, not at the top

    bump(competition.id)


def _lock_panels(competition: Competition) -> None:
    """Serialise changes of one competition's panels, so that two judges added at once take different seats
    (PostgreSQL row lock, held to the commit; SQLite serialises writers anyway). Score sheets only read the
    row, so they are not held up."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(Competition.id).where(Competition.id == competition.id).with_for_update())
        db.session.refresh(competition, ["status"])  # as it is now, not as it was read before the lock


def assign_judge(*, competition: Competition, username: str, group_ids: list, by: User) -> dict:
    """Put a judge on exactly ``group_ids`` of the competition (their other groups are left), with the next
    free seat in each new group. A group where they already hold a submitted sheet cannot be left."""
    _lock_panels(competition)
    _not_published(competition)
    judge = _judge_named(username, competition)
    groups = {g.id for g in competition.groups}
    if not isinstance(group_ids, list) or not all(is_db_int(g) and g in groups for g in group_ids):
        message = _("Choose groups of this competition.")
        raise ValidationFailed(message, details=[{"field": "group_ids", "message": message}])
    wanted = set(group_ids)
    current = {
        a.group_id: a
        for a in db.session.scalars(
            select(JudgeAssignment).where(
                JudgeAssignment.competition_id == competition.id, JudgeAssignment.judge_id == judge.id
            )
        )
    }
    for group_id, assignment in current.items():
        if group_id in wanted:
            continue
        scored = db.session.scalar(
            select(func.count())
            .select_from(ScoreSheet)
            .join(Entry, ScoreSheet.entry_id == Entry.id)
            .where(ScoreSheet.judge_id == judge.id, Entry.group_id == group_id)
        )
        if scored:
            raise Conflict(
                _("This judge has already scored in a group you are taking them off; unlock or keep them."),
                code="has_sheets",
            )
        db.session.delete(assignment)
    for group_id in sorted(wanted - set(current)):
        seat = db.session.scalar(
            select(func.coalesce(func.max(JudgeAssignment.seat), 0)).where(
                JudgeAssignment.group_id == group_id
            )
        )
        db.session.add(
            JudgeAssignment(
                competition_id=competition.id,
                group_id=group_id,
                judge_id=judge.id,
                seat=seat + 1,
                created_by_id=by.id,
            )
        )
    db.session.flush()
    _screens_refetch(competition)
    audit.record(
        "judging.assign",
        by=by,
        object_type="competition",
        object_id=competition.id,
        university_id=competition.university_id,
        judge=judge.username,
        groups=sorted(wanted),
    )
    panel = load_panel(competition)
    recused = sorted(
        entry_id for j in panel.judges if j.judge_id == judge.id for entry_id in panel.recusals_of(j)
    )
    return {"username": judge.username, "group_ids": sorted(wanted), "recused_entry_ids": recused}


def declare_conflict(
    *, competition: Competition, username: str, entry_id: object, reason: str, by: User
) -> dict:
    """A declared conflict: the judge no longer sees or scores the entry. Sheets the judge already holds for
    it are removed (their totals are kept in the audit log)."""
    _not_published(competition)
    judge = _judge_named(username, competition)
    entry = db.session.get(Entry, entry_id) if is_db_int(entry_id) else None
    if entry is None or entry.competition_id != competition.id:
        message = _("Choose an entry of this competition.")
        raise ValidationFailed(message, details=[{"field": "entry_id", "message": message}])
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if len(reason) > 200:
        message = _("Give a reason of at most 200 characters.")
        raise ValidationFailed(message, details=[{"field": "reason", "message": message}])
    conflict = db.session.scalar(
        select(JudgeConflict).where(JudgeConflict.judge_id == judge.id, JudgeConflict.entry_id == entry.id)
    )
    if conflict is None:
        conflict = JudgeConflict(
            competition_id=competition.id, judge_id=judge.id, entry_id=entry.id, created_by_id=by.id
        )
        db.session.add(conflict)
    conflict.reason = reason
    removed = [
        {"round_id": s.round_id, "status": s.status, "total_tenths": s.total_tenths}
        for s in db.session.scalars(
            select(ScoreSheet).where(ScoreSheet.judge_id == judge.id, ScoreSheet.entry_id == entry.id)
        )
    ]
    if removed:
        db.session.execute(
            delete(ScoreSheet).where(ScoreSheet.judge_id == judge.id, ScoreSheet.entry_id == entry.id)
        )
    db.session.flush()
    _screens_refetch(competition)
    audit.record(
        "judging.conflict",
        by=by,
        object_type="entry",
        object_id=entry.id,
        university_id=entry.university_id,
        competition_id=competition.id,
        judge=judge.username,
        reason=reason,
        removed_sheets=removed,
    )
    return {"username": judge.username, "entry_id": entry.id, "reason": reason}


def remove_conflict(*, competition: Competition, username: str, entry_id: int, by: User) -> None:
    _not_published(competition)
    judge = _judge_named(username, competition)
    conflict = db.session.scalar(
        select(JudgeConflict).where(
            JudgeConflict.competition_id == competition.id,
            JudgeConflict.judge_id == judge.id,
            JudgeConflict.entry_id == entry_id,
        )
    )
    if conflict is None:
        return
    db.session.delete(conflict)
    _screens_refetch(competition)
    audit.record(
        "judging.conflict_remove",
        by=by,
        object_type="entry",
        object_id=entry_id,
        university_id=competition.university_id,
        competition_id=competition.id,
        judge=judge.username,
    )


def university_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(
        db.session.execute(select(University.id, University.name).where(University.id.in_(ids))).all()
    )
