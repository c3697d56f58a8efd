"""The words of a registration refusal say what is true: "not open yet" before registration, "closed"
(报名已截止) after it, never "not open yet" (报名尚未开放) once it has closed."""

from __future__ import annotations

import pytest
from flask import session

from competition.domain.eligibility import Refusal, registration_over
from competition.enums import CompetitionStatus
from competition.services.messages import refusal_message

AFTER = [CompetitionStatus.REGISTRATION_CLOSED, CompetitionStatus.SCORING, CompetitionStatus.PUBLISHED]


def words(app, refusal: Refusal, lang: str) -> str:
    with app.test_request_context("/"):
        session["lang"] = lang
        return refusal_message(refusal)


def not_open(status: str) -> Refusal:
    return Refusal("window", "not_open", {"status": str(status)})


def test_registration_is_over_after_it_closes_only():
    assert [registration_over(s) for s in CompetitionStatus] == [False, False, True, True, True]
    assert registration_over("registration_closed") is True
    assert registration_over("draft") is False and registration_over("registration_open") is False
    assert registration_over("") is False


@pytest.mark.parametrize("status", AFTER)
def test_after_closing_the_refusal_says_closed(app, status):
    assert words(app, not_open(status), "en") == "Registration has closed."
    chinese = words(app, not_open(status), "zh_Hans_CN")
    assert chinese == "报名已截止。"
    assert "尚未" not in chinese and "未开放" not in chinese


def test_before_opening_the_refusal_says_not_yet(app):
    assert words(app, not_open(CompetitionStatus.DRAFT), "en") == "Registration has not opened yet."
    assert words(app, not_open(CompetitionStatus.DRAFT), "zh_Hans_CN") == "报名尚未开放。"


def test_the_window_by_its_dates_keeps_its_words(app):
    opens = Refusal("window", "not_yet_open", {"opens": "2026-03-01T00:00:00+00:00"})
    closed = Refusal("window", "closed", {"closes": "2026-04-01T00:00:00+00:00"})
    assert words(app, opens, "zh_Hans_CN") == "报名将于 2026年3月1日 08:00 开始。"
    assert words(app, closed, "zh_Hans_CN") == "报名已于 2026年4月1日 08:00 截止。"
    assert words(app, closed, "en") == "Registration closed on Apr 1, 2026 08:00."


def test_a_refusal_without_its_status_reads_as_not_open_yet(app):
    """An old refusal with no status (none is made so today) still gets words, not an error."""
    assert words(app, Refusal("window", "not_open", {}), "en") == "Registration has not opened yet."
