"""What the results pages show, as plain rows: the organizer's leaderboard (live while scoring, the
snapshot once published), the public results (公示), the publication's facts and a staff member's own
published result.

Everything is read through ``services.results`` (``compute`` or the publication's snapshot); nothing here does
arithmetic on scores, it only lays them out seat by seat and says what is still provisional.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..enums import CompetitionStatus
from ..extensions import db
from ..models import Certificate, Competition, CompetitionGroup, Entry, Publication, User
from . import results
from .panels import load_panel

# A judge's total in one round, as the board marks it.
COUNTED, DROPPED_HIGH, DROPPED_LOW, MISSING, RECUSED = "counted", "high", "low", "missing", "recused"


@dataclass(frozen=True)
class Seat:
    seat: int
    username: str
    name: str


@dataclass(frozen=True)
class JudgeCell:
    seat: int
    total: float | None
    state: str  # COUNTED, DROPPED_HIGH, DROPPED_LOW, MISSING or RECUSED
    anomaly: bool = False

    @property
    def dropped(self) -> bool:
        return self.state in (DROPPED_HIGH, DROPPED_LOW)


@dataclass(frozen=True)
class RoundCell:
    round_id: int
    score: float | None
    complete: bool
    submitted: int
    expected: int
    judges: list[JudgeCell]
    exam: bool = False  # a written test: a score, no judges


@dataclass(frozen=True)
class BoardRow:
    entry_id: int
    rank: int | None
    draw_no: int | None
    name: str
    university: str
    rounds: list[RoundCell]
    final: float | None
    award: str | None
    complete: bool


@dataclass(frozen=True)
class BoardRound:
    round_id: int
    name: str
    weight: float
    exam: bool = False


@dataclass
class Board:
    competition: Competition
    group: CompetitionGroup
    rounds: list[BoardRound]
    seats: list[Seat]
    rows: list[BoardRow]
    complete: bool
    published: bool
    decimals: int

    @property
    def provisional(self) -> int:
        """How many entries still miss a sheet."""
        return sum(1 for row in self.rows if not row.complete)


def _published(competition: Competition) -> Publication | None:
    if competition.status != CompetitionStatus.PUBLISHED:
        return None
    return results.publication_of(competition)


def _cells(sheets: list[dict], seats: list[Seat], recused: set[int]) -> list[JudgeCell]:
    """A cell per seat of the panel: the judge's total, whether trimming dropped it, or why it is absent."""
    by_seat = {sheet["seat"]: sheet for sheet in sheets}
    cells = []
    for seat in seats:
        sheet = by_seat.get(seat.seat)
        if sheet is not None:
            state = {"high": DROPPED_HIGH, "low": DROPPED_LOW}.get(sheet["dropped"], COUNTED)
            cells.append(JudgeCell(seat.seat, sheet["total"], state, bool(sheet["anomaly"])))
        else:
            cells.append(JudgeCell(seat.seat, None, RECUSED if seat.seat in recused else MISSING))
    return cells


def _row(
    item: dict,
    seats: list[Seat],
    *,
    recused: set[int],
    expected: int | None,
    exams: frozenset[int] = frozenset(),
) -> BoardRow:
    rounds = [
        RoundCell(r["round_id"], r["score"], r["complete"], 0, 0, [], exam=True)
        if r["round_id"] in exams
        else RoundCell(
            r["round_id"],
            r["score"],
            r["complete"],
            len(r["sheets"]),
            expected if expected is not None else len(r["sheets"]),
            _cells(r["sheets"], seats, recused),
        )
        for r in item["rounds"]
    ]
    return BoardRow(
        item["entry_id"],
        item["rank"],
        item["draw_no"],
        item.get("name", ""),
        item.get("university", ""),
        rounds,
        item["final_score"],
        item["award"],
        item["complete"],
    )


def _snapshot_seats(items: list[dict]) -> list[Seat]:
    usernames = {
        sheet["seat"]: sheet["username"]
        for item in items
        for r in item["rounds"]
        for sheet in r["sheets"]
        if sheet.get("seat") is not None
    }
    names = dict(
        db.session.execute(
            select(User.username, User.display_name).where(User.username.in_(set(usernames.values())))
        ).all()
    )
    return [
        Seat(seat, username, names.get(username) or username) for seat, username in sorted(usernames.items())
    ]


def board(competition: Competition, group: CompetitionGroup) -> Board:
    """A group's leaderboard for those who run the competition: computed now while scoring (what is
    provisional marked), the snapshot once published."""
    publication = _published(competition)
    if publication is not None:
        frozen = results.results_for(competition, group, runs_it=True)
        items = frozen["items"]
        seats = _snapshot_seats(items)
        # Everything was submitted at publication: a seat without a sheet is a recused judge.
        every_seat = {s.seat for s in seats}
        snapshot_rounds = publication.snapshot.get("rounds", [])
        exams = frozenset(r["round_id"] for r in snapshot_rounds if r.get("kind") == "exam")
        rows = [
            _row(
                item,
                seats,
                recused=every_seat - {s["seat"] for r in item["rounds"] for s in r["sheets"]},
                expected=None,
                exams=exams,
            )
            for item in items
        ]
        rounds = [
            BoardRound(r["round_id"], r["name"], r["weight"], r["round_id"] in exams) for r in snapshot_rounds
        ]
        decimals = publication.snapshot.get("decimals", competition.decimals)
        return Board(competition, group, rounds, seats, rows, frozen["complete"], True, decimals)
    panel = load_panel(competition)
    live = results.compute(competition, group, panel)
    judges = panel.judges_of(group.id)
    seats = [Seat(j.seat, j.username, j.display_name or j.username) for j in judges]
    recused_from = {
        e.entry_id: {j.seat for j in judges if e.entry_id in panel.recusals_of(j)} for e in panel.entries
    }
    expected = {e.entry_id: panel.panel_size(e) for e in panel.entries_of(group.id)}
    data = results.group_dict(live, with_names=True)
    exams = frozenset(r.id for r in live.rounds if r.is_exam)
    rows = [
        _row(
            item,
            seats,
            recused=recused_from.get(item["entry_id"], set()),
            expected=expected.get(item["entry_id"], 0),
            exams=exams,
        )
        for item in data["items"]
    ]
    rounds = [BoardRound(r.id, r.name, float(r.weight), r.is_exam) for r in live.rounds]
    return Board(competition, group, rounds, seats, rows, data["complete"], False, competition.decimals)


# --- the public results (公示) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicRow:
    rank: int | None
    name: str
    university: str
    final: float | None
    award: str | None


@dataclass(frozen=True)
class PublicGroup:
    group_id: int
    name: str
    rows: list[PublicRow]


@dataclass
class PublicResults:
    competition: Competition
    publication: Publication
    decimals: int
    groups: list[PublicGroup] = field(default_factory=list)


def public_results(competition: Competition) -> PublicResults | None:
    """What the public page shows, read from the publication's snapshot only (never the sheets): per group,
    rank, name, university, final score and award. None while the results are not published."""
    publication = _published(competition)
    if publication is None:
        return None
    snapshot = publication.snapshot or {}
    groups = [
        PublicGroup(
            g["group_id"],
            g.get("group", ""),
            [
                PublicRow(
                    item.get("rank"),
                    item.get("name", ""),
                    item.get("university", ""),
                    item.get("final_score"),
                    item.get("award"),
                )
                for item in g.get("items", [])
            ],
        )
        for g in snapshot.get("groups", [])
    ]
    return PublicResults(competition, publication, snapshot.get("decimals", competition.decimals), groups)


@dataclass(frozen=True)
class PublicationFacts:
    publication: Publication
    published_by: str  # the display name of who published, or "" when the account is gone
    certificates: int


def publication_facts(competition: Competition) -> PublicationFacts | None:
    """Who published and when, the objection period, how many certificates were issued (competition page)."""
    publication = _published(competition)
    if publication is None:
        return None
    by = db.session.get(User, publication.published_by_id) if publication.published_by_id else None
    issued = db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.competition_id == competition.id)
    )
    return PublicationFacts(publication, (by.display_name or by.username) if by else "", issued or 0)


# --- a staff member's own result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryResult:
    rank: int | None
    final: float | None
    award: str | None
    decimals: int
    ranked: int  # how many entries of the group were ranked
    certificate: bool  # whether a certificate was issued for the entry


def entry_results(entries: Iterable[Entry]) -> dict[int, EntryResult]:
    """The published result of each entry whose competition is published (from the snapshot), by entry id;
    entries of unpublished competitions are absent: nothing of scores shows before publication."""
    published = {
        e.id: e.competition_id for e in entries if e.competition.status == CompetitionStatus.PUBLISHED
    }
    if not published:
        return {}
    publications = db.session.scalars(
        select(Publication).where(Publication.competition_id.in_(set(published.values())))
    )
    snapshots = {p.competition_id: p.snapshot or {} for p in publications}
    certified = set(
        db.session.scalars(select(Certificate.entry_id).where(Certificate.entry_id.in_(set(published))))
    )
    found = {}
    for entry_id, competition_id in published.items():
        snapshot = snapshots.get(competition_id)
        if snapshot is None:
            continue
        for group in snapshot.get("groups", []):
            item = next((i for i in group.get("items", []) if i.get("entry_id") == entry_id), None)
            if item is not None:
                found[entry_id] = EntryResult(
                    item.get("rank"),
                    item.get("final_score"),
                    item.get("award"),
                    snapshot.get("decimals", 2),
                    sum(1 for i in group.get("items", []) if i.get("rank") is not None),
                    entry_id in certified,
                )
                break
    return found
