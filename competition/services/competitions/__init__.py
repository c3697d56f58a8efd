"""Competitions: the definition (``setup``), the life cycle (``lifecycle``) and the lists (``queries``)."""

from .lifecycle import transition
from .queries import (
    COMPETITIONS_PER_PAGE,
    CompetitionFilters,
    competition_page,
    copyable_competitions,
    list_competitions,
)
from .setup import copy_competition, create_competition, to_spec_dict, update_competition

__all__ = [
    "COMPETITIONS_PER_PAGE",
    "CompetitionFilters",
    "competition_page",
    "copy_competition",
    "copyable_competitions",
    "create_competition",
    "list_competitions",
    "to_spec_dict",
    "transition",
    "update_competition",
]
