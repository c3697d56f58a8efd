"""Every word the tablet page shows, translated on the server and handed to static/js/tablet.js as JSON.

Placeholders keep the %(name)s form; the page fills them in.
"""

from __future__ import annotations

from flask_babel import gettext as _


def tablet_words() -> dict[str, str]:
    return {
        "draw_no": _("No. %(n)s"),
        "seat": _("Seat %(n)s"),
        "queue": _("Queue"),
        "mode_live": _("Live"),
        "mode_queue": _("Own pace"),
        "anonymous": _("Anonymous judging: contestants are shown by draw number only."),
        "none": _("Not scored"),
        "draft": _("Draft"),
        "submitted": _("Submitted"),
        "waiting": _("Waiting to send"),
        "reopened": _("Reopened"),
        "held": _("Not accepted"),
        "reopened_reason": _("Reopened by the organizer: %(reason)s"),
        "on_stage": _("On stage"),
        "wait_next": _("Waiting for the next contestant"),
        "wait_next_hint": _("The organizer puts the next contestant on stage; this page follows by itself."),
        "no_items": _("You have no contestants to score right now."),
        "max": _("Max %(max)s"),
        "describe": _("Description"),
        "full": _("Full"),
        "total": _("Total"),
        "scored_n": _("%(done)s of %(all)s scored"),
        "left_n": _("Not yet scored: %(n)s"),
        "invalid_n": _("Invalid values: %(n)s"),
        "err_above": _("At most %(max)s for this criterion."),
        "err_negative": _("A score cannot be below 0."),
        "err_decimals": _("At most one decimal place, for example 8.5."),
        "err_nan": _("Enter a number from 0 to %(max)s."),
        "save_draft": _("Save draft"),
        "submit": _("Submit"),
        "confirm_title": _("Submit the score sheet?"),
        "confirm_text": _("Once submitted the sheet is locked: only the organizer can reopen it."),
        "confirm_ok": _("Confirm and submit"),
        "confirm_back": _("Go back and edit"),
        "receipt": _("Score sheet submitted"),
        "receipt_waiting": _(
            "Submitted on this tablet: it is sent by itself as soon as the server can be reached."
        ),
        "next": _("Next contestant"),
        "back": _("Back to the queue"),
        "all_done": _("Every contestant in this round is scored."),
        "sync_unsaved": _("Not saved"),
        "sync_local": _("Saved on this tablet"),
        "sync_synced": _("Synced"),
        "sync_locked": _("Submitted · locked"),
        "pending_n": _("Waiting to send: %(n)s"),
        "all_sent": _("All sent"),
        "online": _("Connected"),
        "offline": _("Offline"),
        "offline_banner": _(
            "The network is down. Keep scoring: everything is saved on this tablet and sent by itself "
            "when the network returns."
        ),
        "logged_out": _("Your log-in has expired. Log in again: the sheets saved on this tablet are kept."),
        "log_in": _("Log in"),
        "other_device": _(
            "This sheet was already submitted from another device; the page shows what the server holds."
        ),
        "reopened_conflict": _("The organizer reopened this sheet: check it and submit it again."),
        "held_msg": _("The server did not accept this sheet: %(message)s"),
        "stage_moved": _("Now on stage: %(no)s"),
        "go": _("Go"),
        "loading": _("Loading…"),
        "cannot_load": _(
            "The draft on the server cannot be loaded while offline: open this sheet again when the "
            "network is back."
        ),
        "not_open": _("This contestant is not on stage: wait for the organizer."),
    }
