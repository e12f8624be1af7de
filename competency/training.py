"""The team's training needs (SPEC 9): per learning resource, who needs it.

``summary`` counts people by their levels; with a learning resources file it also says,
per resource, whose development plan holds a statement the resource helps with, so HR can
plan one course for eight people instead of eight conversations. The plan is the one each
person's report lists (``competency.explain.plan_ids``), from the same ratings the
summary scored (``--source``) at the same threshold.

Names follow the rest of the summary: HR sees who, except people of a unit smaller than
``--min-group`` (SPEC 10), who are counted in ``people`` but never named, as coverage
counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from competency.errors import CompetencyError
from competency.explain import plan_ids
from competency.framework.resources import Resource, Resources
from competency.scoring import score

if TYPE_CHECKING:
    from competency.batch import Source
    from competency.summary import TeamSummary


@dataclass(frozen=True, slots=True)
class TrainingNeed:
    """One resource and the people whose plan it helps with."""

    resource: Resource
    people: int
    """Everyone who needs it, people of units too small to show included."""
    names: tuple[str, ...]
    """Who they are, in the summary's order, leaving out people of suppressed units."""


@dataclass(frozen=True)
class TrainingNeeds:
    """Every resource someone needs, the most needed first (then in the file's order)."""

    needs: tuple[TrainingNeed, ...]
    unread: tuple[str, ...] = ()
    """Files counted by the summary that could not be read again for their plan."""

    @classmethod
    def of(
        cls,
        summary: TeamSummary,
        resources: Resources,
        *,
        threshold: float,
        source: Source = "self",
    ) -> TrainingNeeds:
        """Each counted person's plan, read from their file, against ``resources``."""
        framework = summary.framework
        assert framework is not None, "training needs need the summary's framework"
        insight = summary.insight
        who: dict[str, list[str]] = {r.id: [] for r in resources.items}
        counts = dict.fromkeys(who, 0)
        unread = []
        for row in summary.people:
            plan = person_plan(row.file, framework, threshold, source)
            if plan is None:
                unread.append(row.file)
                continue
            shown = insight is None or insight.shown(row.name, row.id)
            for resource in resources.items:
                if resource.statement_ids & plan:
                    counts[resource.id] += 1
                    if shown:
                        who[resource.id].append(row.name)
        order = {r.id: i for i, r in enumerate(resources.items)}
        needed = sorted(
            (r for r in resources.items if counts[r.id]),
            key=lambda r: (-counts[r.id], order[r.id]),
        )
        needs = tuple(TrainingNeed(r, counts[r.id], tuple(who[r.id])) for r in needed)
        return cls(needs, tuple(unread))

    def to_json(self) -> list[dict[str, Any]]:
        """``summary --format json``'s ``training_needs``."""
        return [
            {
                "resource": n.resource.id,
                "title": n.resource.title,
                "url": n.resource.url,
                "hours": n.resource.hours,
                "people": n.people,
                "names": list(n.names),
            }
            for n in self.needs
        ]

    def sentence(self) -> str:
        """What every format says above the list."""
        if not self.needs:
            return "No learning resource helps with anyone's development plan."
        return (
            "Per learning resource, the people whose development plan (the next level's "
            "statements not yet met, as their reports list it) holds a statement it helps "
            "with."
        )


def person_plan(
    file: str, framework: Any, threshold: float, source: Source
) -> frozenset[str] | None:
    """The statements of one person's development plan, every area's; None when the file
    can no longer be read (it changed since it was scored)."""
    from competency.batch import ratings_for
    from competency.storage import load_assessment

    try:
        assessment = load_assessment(Path(file))
        ratings, _ = ratings_for(assessment, source, file)
    except (CompetencyError, OSError):
        return None
    # A role profile leaves its other statements out of the walk, so out of the plan too.
    profile = framework.profile_by_id.get(assessment.profile or "")
    result = score(framework, ratings, threshold, profile)
    return frozenset(sid for area in result.areas for sid in plan_ids(area, ratings))
