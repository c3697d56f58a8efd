"""The quota arithmetic of approving several entries at once (``competition.domain.quota``)."""

from __future__ import annotations

from competition.domain.quota import QuotaUse, selection_lines


def test_use_left_and_full():
    assert (QuotaUse(12, 15).left, QuotaUse(12, 15).full) == (3, False)
    assert (QuotaUse(15, 15).left, QuotaUse(15, 15).full) == (0, True)
    assert QuotaUse(16, 15).left == 0  # never negative, even past a quota lowered later
    assert (QuotaUse(40, None).left, QuotaUse(40, None).full) == (None, False)


def test_a_selection_fits_per_university():
    lines = selection_lines(15, {1: 12, 2: 15}, {1: 3, 2: 1, 3: 4})
    assert [(line.key, line.fits, line.left_after) for line in lines] == [
        (1, True, 0),
        (2, False, -1),
        (3, True, 11),
    ]
    assert lines[2].use == QuotaUse(0, 15)  # a university with nothing approved yet


def test_without_a_quota_everything_fits():
    (line,) = selection_lines(None, {1: 500}, {1: 200})
    assert (line.fits, line.left_after) == (True, None)
