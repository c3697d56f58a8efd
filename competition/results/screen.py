"""The big screen (大屏): a fixed 1920 × 1080 page that a kiosk opens by the group's secret link."""

from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/<int:competition_id>/screen")
def screen(competition_id: int):
    return render_template("results/screen.html", competition_id=competition_id)
