"""Fixtures of the web tests: judging contests (in scoring; with a live round), and PostgreSQL only."""

from __future__ import annotations

import pytest

from competition.extensions import db
from tests.builders import make_judge, make_scoring_contest, staff
from tests.web.judging_checks import LIVE_RUBRIC, judged_contest


@pytest.fixture
def contest(app, world, make):
    """ZJU's 李老师 (1号) and HZU's 赵老师 (2号) in 文科组; judges: ZJU's, HZU's and an outside expert."""
    zju, hzu = world["zju"], world["hzu"]
    make_judge("judge_zju", zju)
    make_judge("judge_hzu", hzu)
    make_judge("expert")
    people = [staff("00123"), staff("H001")]
    competition, entries = make_scoring_contest(
        people, judges={"judge_zju": [0], "judge_hzu": [0], "expert": [0]}
    )
    return competition, entries


@pytest.fixture
def live(app, world):
    make_judge("expert")
    competition, entries = judged_contest(
        [staff("00123"), staff("H001")], judges=["expert"], rounds=LIVE_RUBRIC
    )
    return competition, entries


@pytest.fixture
def postgresql(ctx):
    """The concurrency tests need PostgreSQL's row locks and isolation; elsewhere they are skipped."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the races need PostgreSQL (TEST_DATABASE_URL)")
