"""Certificates as PDF (being written)."""

from __future__ import annotations

from ..models import Certificate


def render(certificates: list[Certificate]) -> bytes:
    raise NotImplementedError


def filename(certificate: Certificate) -> str:
    return f"{certificate.serial}.pdf"
