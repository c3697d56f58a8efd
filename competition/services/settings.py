"""Province-wide settings kept in the database: the coverage target and warning thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from ..errors import ValidationFailed
from ..extensions import db
from ..models import Setting, User
from . import audit

THRESHOLDS_KEY = "coverage_thresholds"


@dataclass(frozen=True)
class Thresholds:
    """``target`` and above meets it (✓); under ``warning`` it is far off (✗); between: on the way (!)."""

    target: Decimal = Decimal("0.90")
    warning: Decimal = Decimal("0.60")

    def status(self, rate) -> str:
        value = Decimal(str(rate))
        if value >= self.target:
            return "ok"
        return "warn" if value >= self.warning else "bad"

    def to_dict(self) -> dict:
        return {"target": float(self.target), "warning": float(self.warning)}


def thresholds() -> Thresholds:
    setting = db.session.get(Setting, THRESHOLDS_KEY)
    if setting is None:
        return Thresholds()
    return Thresholds(Decimal(str(setting.value["target"])), Decimal(str(setting.value["warning"])))


def set_thresholds(*, target, warning, by: User) -> Thresholds:
    """Rates between 0 and 1 with the warning level below the target."""
    try:
        new = Thresholds(Decimal(str(target)), Decimal(str(warning)))
    except (InvalidOperation, ValueError):
        new = None
    if new is None or not (0 < new.warning < new.target <= 1):
        message = _("Give two percentages: a warning level below the target, the target at most 100%.")
        raise ValidationFailed(message, details=[{"field": "target", "message": message}])
    setting = db.session.get(Setting, THRESHOLDS_KEY) or Setting(key=THRESHOLDS_KEY)
    setting.value = new.to_dict()
    setting.updated_by_id = by.id
    db.session.add(setting)
    audit.record(
        "settings.coverage_thresholds",
        by=by,
        object_type="setting",
        object_id=THRESHOLDS_KEY,
        **new.to_dict(),
    )
    return new
