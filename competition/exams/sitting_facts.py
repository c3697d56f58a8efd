"""What the staff member's exam pages state: the window's state, their attempts, the rules in plain words, and
the written tests linked from their entry and home pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import format_datetime, ngettext, to_user_timezone
from flask_babel import gettext as _

from ..domain import exam
from ..enums import CompetitionStatus, EntryStatus, QuestionType
from ..models import Entry, ExamAttempt, Round
from ..services import exams as service
from ..templating import fmt_datetime

NOT_YET, OPEN, CLOSED = "not_yet", "open", "closed"


def window_state(round_: Round, now: datetime) -> str:
    """未开放 before the window (while the competition can still get there), 进行中 in it, 已截止 after."""
    if service.window_open(round_, now):
        return OPEN
    if (
        round_.exam_opens is not None
        and now < round_.exam_opens
        and round_.competition.status != CompetitionStatus.PUBLISHED
    ):
        return NOT_YET
    return CLOSED


@dataclass
class Standing:
    """One entrant's position in one written test: the window and their attempts."""

    round: Round
    entry: Entry
    state: str
    attempts: list[ExamAttempt]

    @property
    def current(self) -> ExamAttempt | None:
        return next((a for a in self.attempts if not a.submitted), None)

    @property
    def submitted(self) -> list[ExamAttempt]:
        return [a for a in self.attempts if a.submitted]

    @property
    def left(self) -> int:
        return max(0, self.round.exam_attempts - len(self.attempts))

    @property
    def startable(self) -> bool:
        return self.state == OPEN and self.current is None and self.left > 0

    @property
    def best(self) -> Decimal | None:
        return exam.best_score(a.score for a in self.submitted)


def standing_of(round_: Round, entry: Entry, now: datetime) -> Standing:
    attempts = service.attempts_of(round_, entry)
    for attempt in attempts:
        service.close_if_expired(attempt, now)  # the server marks at the deadline, whoever looks first
    return Standing(round_, entry, window_state(round_, now), attempts)


def exam_links(entries) -> list[Standing]:
    """The written tests of the person's approved entries (for their entry page and home)."""
    now = service.utcnow()
    return [
        standing_of(round_, entry, now)
        for entry in entries
        if entry.status == EntryStatus.APPROVED
        for round_ in entry.competition.rounds
        if round_.is_exam
    ]


# --- the rules in words -----------------------------------------------------------------------------------


def points_text(value: Decimal) -> str:
    """2 → "2", 1.50 → "1.5" (no trailing zeros)."""
    return f"{Decimal(value).normalize():f}"


def score_text(value: Decimal | None, decimals: int) -> str:
    """A score as rounds show it: 7.5 at two decimals → "7.50"; None → "—"."""
    return "—" if value is None else f"{Decimal(value):.{decimals}f}"


def paper_points(round_: Round) -> dict[str, str]:
    return {part.type: points_text(part.points) for part in round_.paper_rule.parts}


def type_words() -> dict[str, str]:
    return {
        QuestionType.SINGLE: _("Single choice"),
        QuestionType.MULTIPLE: _("Multiple choice"),
        QuestionType.TRUE_FALSE: _("True or false"),
    }


def moment(value: datetime, now: datetime) -> str:
    """10:40 on the same day as ``now`` (local time), else the date too."""
    if to_user_timezone(value).date() == to_user_timezone(now).date():
        return format_datetime(value, "HH:mm")
    return fmt_datetime(value)


def _marking(round_: Round) -> str:
    partial = Decimal(round_.exam_multiple_partial or 0)
    if partial == 0:
        return _(
            "Multiple choice scores only when every right option is chosen and no wrong one (全对得分); "
            "fewer options or a wrong one score nothing."
        )
    if partial == Decimal("0.5"):
        return _(
            "Multiple choice: every right option and no wrong one scores the full points; some of the right "
            "options and no wrong one score half of them (少选得一半); a wrong option scores nothing."
        )
    return _(
        "Multiple choice: every right option and no wrong one scores the full points; some of the right "
        "options and no wrong one score %(share)s of them; a wrong option scores nothing.",
        share=f"{points_text(partial * 100)}%",
    )


def rules_of(round_: Round, now: datetime) -> list[tuple[str, str]]:
    """(icon, sentence) for each rule of the test, the time ones computed for someone starting ``now``."""
    rule = round_.paper_rule
    words = type_words()
    rules = [
        (
            "list-ol",
            _(
                "%(count)d questions, %(max)s points in all.",
                count=rule.question_count,
                max=points_text(rule.maximum),
            ),
        )
    ]
    for part in rule.parts:
        if part.count:
            text = _(
                "%(type)s: %(count)d questions, %(points)s points each.",
                type=words.get(part.type, part.type),
                count=part.count,
                points=points_text(part.points),
            )
            rules.append(("dot", text))
    closes = moment(round_.exam_closes, now)
    if window_state(round_, now) == OPEN:
        timing = _(
            "Time limit %(minutes)d minutes. If you start now: until %(end)s, or until the test closes at "
            "%(closes)s, whichever comes first.",
            minutes=round_.exam_minutes,
            end=moment(now + timedelta(minutes=round_.exam_minutes), now),
            closes=closes,
        )
    else:
        timing = _(
            "Time limit %(minutes)d minutes from when you start, and at the latest until the test closes at "
            "%(closes)s.",
            minutes=round_.exam_minutes,
            closes=closes,
        )
    rules.append(("stopwatch", timing))
    rules.append(("clock-history", _("The server keeps the time: reloading the page does not restart it.")))
    right = _("Single choice and true/false score when the right option is chosen; no answer scores 0.")
    rules.append(("check2-square", right))
    if rule.count(QuestionType.MULTIPLE):
        rules.append(("ui-checks", _marking(round_)))
    if round_.exam_attempts > 1:
        attempts = ngettext(
            "You can sit this test %(num)d time.",
            "You can sit this test %(num)d times; the best score counts.",
            round_.exam_attempts,
        )
    else:
        attempts = _("You can sit this test once.")
    rules.append(("arrow-repeat", attempts))
    rules.append(
        (
            "cloud-check",
            _(
                "Each answer is saved as soon as you choose it. When the time is up, the answers saved are "
                "handed in by themselves."
            ),
        )
    )
    if round_.exam_show_answers:
        reveal = _("Your score is shown when you hand in; the right answers after the test closes.")
    else:
        reveal = _("Your score is shown when you hand in; the right answers are not shown.")
    rules.append(("eye", reveal))
    return rules
