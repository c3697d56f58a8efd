"""The two contests of the benchmark province that go through the services (``bench/generate.py``), built by
the benchmarks' own builders among the province's people rather than copied here:

- a provincial group of 500 entries (teaching staff of every university) scored by 9 judges on 10 criteria,
  three outside experts and six judges of six universities (``bench/results.py``'s ``build``: competition,
  draw and panel through the services, every sheet submitted, in bulk; the big screen on its last entry);
- a province-wide quiz of 100 questions drawn from a bank of 150, with 20,000 submitted attempts by staff of
  every university (``bench/item_analysis.py``'s ``build``).

Both are dated when they are built, as those builders date them (the rest of the province follows from the
seed alone); their names and year are then the province's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from province_people import _scaled
from province_words import COLUMNS, TR

GROUP_ENTRIES, GROUP_JUDGES, GROUP_EXPERTS, CRITERIA = 500, 9, 3, 10
QUIZ_ATTEMPTS = 20_000
S = {c: i for i, c in enumerate(COLUMNS["staff"])}


@dataclass
class Contests:
    group_competition_id: int
    group_id: int
    entries: int
    sheets: int
    quiz_competition_id: int
    quiz_round_id: int
    attempts: int


def add_contests(
    *, staff_rows: list[tuple], judges: dict, organizer_id: int, year: int, scale: float, seed: int
) -> Contests:
    """Build both in the current app context's database (each builder commits); see the module's docstring.
    ``judges``: judge usernames by university id, outside experts under None."""
    import item_analysis
    import results
    from sqlalchemy import select, update

    from competition.extensions import db
    from competition.models import Competition, Round, User

    rng = random.Random(f"{seed}-contests")
    active = [row for row in staff_rows if row[S["active"]]]
    by_university: dict[int, list[tuple]] = {}
    for row in active:
        if row[S["category"]] == TR:
            by_university.setdefault(row[S["university_id"]], []).append(row)
    # Entrants of every university in turn, so that each has a share of the group.
    queues = [rng.sample(rows, len(rows)) for _, rows in sorted(by_university.items())]
    wanted, entrants = min(_scaled(GROUP_ENTRIES, scale, 5), sum(map(len, queues))), []
    while len(entrants) < wanted:
        for queue in queues:
            if queue and len(entrants) < wanted:
                row = queue.pop()
                entrants.append((row[S["id"]], row[S["university_id"]]))
    experts = list(judges.get(None, []))[:GROUP_EXPERTS]
    own = [
        names[0]
        for university_id, names in sorted(judges.items(), key=lambda kv: kv[0] or 0)
        if university_id
    ]
    chosen = experts + rng.sample(own, min(len(own), GROUP_JUDGES - len(experts)))
    organizer = db.session.get(User, organizer_id)
    contest = results.build(
        entries=len(entrants),
        criteria=CRITERIA,
        seed=seed,
        organizer=organizer,
        entrants=entrants,
        judge_names=chosen,
    )
    sitters = rng.sample(active, min(_scaled(QUIZ_ATTEMPTS, scale, 10), len(active)))
    quiz = item_analysis.build(
        attempts=len(sitters),
        seed=seed,
        organizer=db.session.get(User, organizer_id),
        entrants=[(row[S["id"]], row[S["university_id"]]) for row in sitters],
    )
    quiz_competition = db.session.scalar(select(Round.competition_id).where(Round.id == quiz.round_id))
    for competition_id, name in (
        (contest.competition_id, f"{year}年全省高校教职工岗位技能大赛（决赛）"),
        (quiz_competition, f"{year}年全省教职工安全知识网络答题"),
    ):
        db.session.execute(
            update(Competition).where(Competition.id == competition_id).values(name=name, year=year)
        )
    db.session.commit()
    return Contests(
        contest.competition_id,
        contest.group_id,
        contest.entries,
        contest.sheets,
        quiz_competition,
        quiz.round_id,
        quiz.attempts,
    )
