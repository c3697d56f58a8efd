"""Recusal (回避): which entries of a group a judge must not see or score, and why.

In a provincial competition a judge never scores an entry of their own university (``same_university``); an
outside expert (no university) is never recused on that ground. In a school-level competition the university's
own judges score their colleagues, so only declared conflicts apply (``declared``: a relative, a student, a
co-author). A declared conflict applies at both levels.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from competition.enums import CompetitionLevel

SAME_UNIVERSITY = "same_university"
DECLARED = "declared"


@dataclass(frozen=True)
class Recusal:
    entry_id: int
    reason: str  # SAME_UNIVERSITY or DECLARED
    note: str = ""  # the declared reason, as the organizer wrote it


def recusals(
    *,
    level: str,
    judge_universities: Collection[int],
    entries: Mapping[int, int],
    declared: Mapping[int, str] | None = None,
) -> list[Recusal]:
    """The recused entries among ``entries`` (entry id → its university id), in entry order.

    ``judge_universities`` are the universities the judge belongs to (none for an outside expert);
    ``declared`` maps entry ids to the reason the organizer gave. Example: a provincial contest, a judge of
    university 7 and entries {1: 7, 2: 9} → ``[Recusal(1, "same_university")]``; at school level → ``[]``.
    """
    declared = declared or {}
    found = []
    for entry_id, university_id in sorted(entries.items()):
        if entry_id in declared:
            found.append(Recusal(entry_id, DECLARED, declared[entry_id]))
        elif level == CompetitionLevel.PROVINCIAL and university_id in judge_universities:
            found.append(Recusal(entry_id, SAME_UNIVERSITY))
    return found


def panel_sizes(entry_ids: Iterable[int], panel: Mapping[int, set[int]]) -> dict[int, int]:
    """How many judges score each entry: ``panel`` maps each judge to the entries they are recused from."""
    judges = list(panel.values())
    return {entry_id: sum(1 for recused in judges if entry_id not in recused) for entry_id in entry_ids}
