"""Certificates (获奖证书): the public verification page their QR code opens, one certificate as PDF for
the entrant (their admin, the organizers), and all of a competition's certificates in one PDF for its
organizers."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..args import int_arg
from ..downloads import pdf_response
from ..errors import NotFound
from ..extensions import db
from ..models import Certificate
from ..permissions import can_get_certificate, managed_competition, require, visible_entry
from ..services import certificates, publication, results
from . import bp


@bp.get("/certificates/<serial>")
def verify(serial: str):
    """Public, no log-in: what the certificate of ``serial`` states, or (404) that there is no such one."""
    certificate = publication.certificate_of(serial)
    if certificate is None:
        return render_template("results/verify.html", certificate=None, serial=serial[:60]), 404
    public_results = None
    if "results.public" in current_app.view_functions:  # the published results (公示) page
        public_results = url_for("results.public", competition_id=certificate.competition_id)
    return render_template(
        "results/verify.html",
        certificate=certificate,
        serial=certificate.serial,
        public_results=public_results,
    )


@bp.get("/entries/<int:entry_id>/certificate.pdf")
@login_required
def entry_certificate(entry_id: int):
    entry = visible_entry(entry_id, current_user)
    require(can_get_certificate(current_user, entry))
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.entry_id == entry.id))
    if certificate is None:
        raise NotFound(
            _("This entry has no certificate: only awarded entries of published results have one.")
        )
    return _pdf([certificate], certificates.filename(certificate))


@bp.get("/<int:competition_id>/certificates.pdf")
@login_required
def batch_certificates(competition_id: int):
    """All certificates of the competition (or ``?group_id=``) in one PDF, a page each, by group and rank."""
    competition = managed_competition(competition_id, current_user)
    group_id = int_arg("group_id", lenient=True)
    group = results.group_of(competition, group_id) if group_id is not None else None
    issued = certificates.certificates_of(competition, group.id if group else None)
    if not issued:
        return render_template("results/certificates_none.html", competition=competition, group=group), 404
    return _pdf(issued, certificates.batch_filename(issued))


def _pdf(issued: list[Certificate], filename: str):
    try:
        data = certificates.render(issued)
    except certificates.FontMissing as error:
        page = render_template(
            "results/certificates_missing_font.html", message=error.message, package=certificates.FONT_PACKAGE
        )
        return page, 503
    return pdf_response(data, filename)
