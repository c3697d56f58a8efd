"""Forms of the coverage pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.validators import InputRequired, NumberRange


class ThresholdsForm(FlaskForm):
    """Percentages as the organizer types them; the service checks that the warning is below the target."""

    target = DecimalField(
        _l("Target (%)"),
        places=1,
        validators=[InputRequired(_l("Give a percentage.")), NumberRange(0, 100, _l("Between 0 and 100."))],
    )
    warning = DecimalField(
        _l("Warning level (%)"),
        places=1,
        validators=[InputRequired(_l("Give a percentage.")), NumberRange(0, 100, _l("Between 0 and 100."))],
    )
