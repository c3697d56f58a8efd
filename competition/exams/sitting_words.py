"""Every word the sitting page's script shows, translated on the server and handed to static/js/exam.js as
JSON (placeholders keep the %(name)s form; the page fills them in)."""

from __future__ import annotations

from flask_babel import gettext as _


def words() -> dict[str, str]:
    return {
        "left": _("Time left"),
        "question_n": _("Question %(n)s of %(all)s"),
        "answered_n": _("%(done)s of %(all)s questions answered: open the answer sheet"),
        "next": _("Next question"),
        "saved": _("Saved"),
        "saving": _("Saving…"),
        "unanswered": _("Not answered"),
        "local": _("Kept on this phone, waiting to be sent"),
        "rejected": _("Not saved: %(message)s"),
        "mark": _("Mark for review"),
        "marked": _("Marked for review"),
        "legend_done": _("Answered"),
        "legend_todo": _("Not answered"),
        "legend_marked": _("Marked"),
        "legend_waiting": _("Not yet sent"),
        "offline_banner": _(
            "No connection: %(n)s answers are kept on this phone and not yet saved on the server. They are "
            "sent by themselves when the network returns; keep this page open."
        ),
        "failing_banner": _(
            "Saving failed: %(n)s answers are kept on this phone and sent again by themselves. Keep this "
            "page open."
        ),
        "logged_out": _(
            "Your log-in has expired: log in again. The answers kept on this phone are not lost."
        ),
        "log_in": _("Log in"),
        "confirm_title": _("Hand in the test?"),
        "confirm_unanswered": _("%(n)s questions are not answered."),
        "confirm_all": _("Every question is answered."),
        "confirm_marked": _("%(n)s questions are marked for review."),
        "confirm_text": _("After handing in, answers can no longer be changed."),
        "confirm_ok": _("Hand in"),
        "confirm_back": _("Back to the questions"),
        "sending": _("Sending the last answers…"),
        "not_sent": _(
            "%(n)s answers could not be sent: the test is not handed in yet. Try again when the network "
            "is back."
        ),
        "submit_failed": _("The test could not be handed in: check the network and try again."),
        "time_up": _("Time is up: the test was handed in with the answers saved."),
        "time_up_lost": _("%(n)s answers could not reach the server before the deadline and do not count."),
        "score": _("Score: %(score)s of %(max)s"),
        "waiting_mark": _("Waiting for the server to mark the test…"),
        "receipt": _("See the receipt"),
        "closed": _("This test was already handed in (perhaps on another device)."),
        "leave": _("Some answers are not yet saved on the server. Leave anyway?"),
    }
