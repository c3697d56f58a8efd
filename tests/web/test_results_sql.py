"""``services.results.compute`` (one query of submitted sheet totals, the panel, the engine) equals the
reference computed here from the raw ``score_value`` rows, on random worlds; on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL.

Each world: a provincial (or, for some seeds, a school-level) contest with the two-round ``RUBRIC``, 6–11
staff of up to three universities in its two groups, 5–9 judges of those universities or none, each on one
or both groups (recused from their own university's entries in a provincial contest), random trimming,
decimals, final mode, awards and tie-breakers. Judges skip some sheets of some entries and leave some as
drafts, and submit the rest (in even seeds every judge gives an entry the same 100%, 90% or 80% of each
criterion in a round, so that totals and finals tie); then an organizer reopens a submitted sheet and
declares a conflict (which removes that judge's sheets).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy import select

from competition.enums import CompetitionLevel, FinalMode, SheetStatus
from competition.extensions import db
from competition.models import Competition, Entry, ScoreSheet, ScoreValue, University, User
from competition.services import panels, results, sheets
from tests.builders import RUBRIC, advance, make_competition, make_entry, make_judge, make_sheet, user
from tests.results_reference import PARTS, Round, Rules, assert_same, reference
from tests.results_reference import Entry as RefEntry

AWARD_SETS = [
    [],
    [("一等奖", "0.15"), ("二等奖", "0.25"), ("三等奖", "0.35")],
    [("一等奖", "0.2"), ("二等奖", "0.3")],
    [("优秀奖", "0.5")],
]


@dataclass
class World:
    competition: Competition
    entries: list[Entry]
    judges: dict[int, University | None]  # judge id → their university
    groups_of: dict[int, set[int]]  # judge id → group ids
    conflicts: set[tuple[int, int]] = field(default_factory=set)  # (judge id, entry id) declared
    submitted: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (round, entry, judge) → tenths

    def scores(self, judge_id: int, entry: Entry) -> bool:
        """Whether the judge scores the entry: on its group's panel, not of its university in a provincial
        contest, no declared conflict."""
        if entry.group_id not in self.groups_of[judge_id] or (judge_id, entry.id) in self.conflicts:
            return False
        university = self.judges[judge_id]
        own = university is not None and university.id == entry.university_id
        return not (self.competition.level == CompetitionLevel.PROVINCIAL and own)


def tenths_text(tenths: int) -> str:
    return str(Decimal(tenths).scaleb(-1))


def build(seed: int, make, world) -> World:
    rng = random.Random(seed)
    school = seed % 3 == 2
    zju = world["zju"]
    universities = [zju] if school else [zju, world["hzu"], make.university("NBU", "宁波大学")]
    people = [
        make.staff(rng.choice(universities), f"S{k:03d}", f"选手{k}") for k in range(rng.randrange(6, 12))
    ]
    trim_high, trim_low = rng.randrange(3), rng.randrange(3)
    scoring = {
        "trim_highest": trim_high,
        "trim_lowest": trim_low,
        "trim_min_judges": trim_high + trim_low + 1 + rng.randrange(4),
        "decimals": rng.randrange(4),
        "final": rng.choice(list(FinalMode)).value,
        "anomaly_threshold": rng.choice([0.05, 0.1, 0.25]),
    }
    awards = [{"name": name, "ratio": float(ratio)} for name, ratio in rng.choice(AWARD_SETS)]
    level = {"level": "school", "university": "ZJU"} if school else {"level": "provincial"}
    competition = make_competition(
        status="registration_open", rounds=RUBRIC, scoring=scoring, awards=awards, **level
    )
    entries = [
        make_entry(competition, person, group=rng.randrange(2), status="approved") for person in people
    ]
    advance(competition, "registration_closed")
    for group in competition.groups:
        mine = [e for e in entries if e.group_id == group.id]
        for n, entry in enumerate(rng.sample(mine, len(mine)), 1):
            entry.draw_no = n
    names = [r.name for r in competition.rounds]
    competition.tie_breakers = rng.sample([*names, "不存在"], rng.randrange(4))  # an unknown name is skipped
    judges, groups_of = {}, {}
    for k in range(rng.randrange(5, 10)):
        university = rng.choice([*universities, None])
        judge = make_judge(f"judge{k}", university)
        chosen = rng.choice([[0], [1], [0, 1], [0, 1], [0, 1]])
        panels.assign_judge(
            competition=competition,
            username=judge.username,
            group_ids=[competition.groups[g].id for g in chosen],
            by=user("org"),
        )
        judges[judge.id] = university
        groups_of[judge.id] = {competition.groups[g].id for g in chosen}
    db.session.commit()
    advance(competition, "scoring")
    return World(competition, entries, judges, groups_of)


def score(world: World, rng: random.Random, *, coarse: bool) -> None:
    """Every judge's sheets, some skipped, some left as drafts (partly empty), the rest submitted."""
    gaps = {entry.id for entry in world.entries if rng.random() < 0.4}  # entries with sheets missing
    for round_ in world.competition.rounds:
        maxima = [int(c.max_score * 10) for c in round_.criteria]
        levels = {entry.id: rng.choice([10, 9, 8]) for entry in world.entries}
        for judge_id in world.judges:
            judge = db.session.get(User, judge_id)
            for entry in world.entries:
                gap = entry.id in gaps
                if not world.scores(judge_id, entry) or (gap and rng.random() < 0.25):
                    continue
                if coarse:
                    values = [m * levels[entry.id] // 10 for m in maxima]
                else:
                    values = [rng.randrange(m + 1) for m in maxima]
                submit = not gap or rng.random() > 0.2
                given = [tenths_text(v) if submit or rng.random() < 0.6 else None for v in values]
                make_sheet(judge, round_, entry, given, submit=submit, token=f"t{rng.randrange(10**9)}")
                if submit:
                    world.submitted[(round_.id, entry.id, judge_id)] = sum(values)


def disturb(world: World, rng: random.Random) -> None:
    """An organizer reopens one submitted sheet, and declares one conflict (removing that judge's sheets)."""
    organizer = user("org")
    if world.submitted:
        round_id, entry_id, judge_id = rng.choice(sorted(world.submitted))
        round_ = next(r for r in world.competition.rounds if r.id == round_id)
        sheets.unlock_sheet(
            round_=round_,
            entry=db.session.get(Entry, entry_id),
            judge=db.session.get(User, judge_id),
            reason="请复核",
            by=organizer,
        )
        del world.submitted[(round_id, entry_id, judge_id)]
    pairs = [(j, e) for j in sorted(world.judges) for e in world.entries if world.scores(j, e)]
    if pairs:
        judge_id, entry = rng.choice(pairs)
        username = db.session.get(User, judge_id).username
        panels.declare_conflict(
            competition=world.competition, username=username, entry_id=entry.id, reason="亲属", by=organizer
        )
        world.conflicts.add((judge_id, entry.id))
        world.submitted = {k: v for k, v in world.submitted.items() if (k[1], k[2]) != (entry.id, judge_id)}
    db.session.commit()


def raw_totals(world: World) -> dict[tuple[int, int, int], int]:
    """(round, entry, judge) → the sum of the submitted sheet's ``score_value`` rows; checks every sheet's
    ``total_tenths`` (drafts too) against its values on the way."""
    values: dict[int, int] = {}
    for sheet_id, tenths in db.session.execute(select(ScoreValue.sheet_id, ScoreValue.tenths)):
        values[sheet_id] = values.get(sheet_id, 0) + tenths
    found = {}
    rows = db.session.execute(
        select(
            ScoreSheet.id,
            ScoreSheet.round_id,
            ScoreSheet.entry_id,
            ScoreSheet.judge_id,
            ScoreSheet.status,
            ScoreSheet.total_tenths,
        )
    ).all()
    assert rows, "the world has sheets"
    for sheet_id, round_id, entry_id, judge_id, status, total in rows:
        assert total == values.get(sheet_id, 0), (
            f"sheet {sheet_id}: total {total}, values {values.get(sheet_id)}"
        )
        if status == SheetStatus.SUBMITTED:
            found[(round_id, entry_id, judge_id)] = values.get(sheet_id, 0)
    return found


def expected_board(world: World, group, totals: dict[tuple[int, int, int], int]):
    competition = world.competition
    rounds = [
        Round(r.id, int(r.weight * PARTS), sum(int(c.max_score * 10) for c in r.criteria))
        for r in competition.rounds
    ]
    entries = []
    for entry in (e for e in world.entries if e.group_id == group.id):
        panel = sum(1 for judge_id in world.judges if world.scores(judge_id, entry))
        given = {r.round_id: {} for r in rounds}
        for (round_id, entry_id, judge_id), tenths in totals.items():
            if entry_id == entry.id and world.scores(judge_id, entry):
                given[round_id][judge_id] = tenths
        entries.append(RefEntry(entry.id, entry.draw_no, given, {r.round_id: panel for r in rounds}))
    rules = Rules(
        competition.trim_highest,
        competition.trim_lowest,
        competition.trim_min_judges,
        competition.decimals,
        competition.final_mode == FinalMode.LAST_ROUND,
        int(competition.anomaly_threshold * PARTS),
    )
    awards = [(a.name, int(a.ratio * PARTS)) for a in competition.awards]
    ids = {r.name: r.id for r in competition.rounds}
    breakers = [ids[name] for name in competition.tie_breakers if name in ids]
    return reference(entries, rounds, rules, awards, breakers)


@pytest.mark.parametrize("seed", range(8))
def test_compute_equals_the_reference_from_raw_score_values(seed, make, world):
    built = build(seed, make, world)
    rng = random.Random(1000 + seed)
    score(built, rng, coarse=seed % 2 == 0)
    disturb(built, rng)
    db.session.expire_all()
    totals = raw_totals(built)
    on_panel = [(j, e) for j in built.judges for e in built.entries if e.group_id in built.groups_of[j]]
    assert any(not built.scores(j, e) for j, e in on_panel)  # some judge is recused from some entry
    assert totals == built.submitted  # what each judge submitted, criterion by criterion, and nothing else
    ranked = 0
    for group in built.competition.groups:
        computed = results.compute(built.competition, group)
        expected = expected_board(built, group, totals)
        in_group = {e.id for e in built.entries if e.group_id == group.id}
        assert assert_same(computed.board, expected) == len(in_group)  # every entry of the group, compared
        assert set(computed.entries) == in_group
        assert set(computed.seats) == {j for j, groups in built.groups_of.items() if group.id in groups}
        ranked += computed.board.ranked
    assert ranked > 0  # the worlds do reach ranks and awards
