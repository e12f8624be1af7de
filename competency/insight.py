"""Team insight over a ``TeamSummary`` (SPEC 10): calibration, coverage, mentors, small groups.

``competency.summary`` counts; this reads the same rows (one per person, their latest
file) and answers the questions HR brings to a skills audit: do the reviewers rate alike
(``calibration``: reviewer minus self, per reviewer and per area), which area rests on one
person (``coverage``), who could mentor whom (``mentors``), and which units are too small
to show in a shared summary (``--min-group``: their counts and names are left out
everywhere, the team's totals still count them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from competency.errors import CompetencyError
from competency.framework.model import Framework
from competency.summary import PersonRow, TeamSummary, natural_key, person_key

APART = 0.5
"""A reviewer whose mean difference is this far (or more) from the other reviewers', and
further from the people's own ratings than theirs, rates differently from them: half a
step of the scale on average, over every statement they compared."""

MENTORS = 3
"""Mentors suggested per person and area."""


def default_coverage_level(framework: Framework) -> str:
    """The level below the top (the only level of a one-level ladder)."""
    ladder = framework.levels
    return ladder[-2].key if len(ladder) > 1 else ladder[0].key


def mean(total: int, count: int) -> float | None:
    """``total / count`` to 2 decimals; None when nothing was compared."""
    return round(total / count, 2) if count else None


@dataclass(slots=True)
class Reviewer:
    """One reviewer's ratings against the people's own, over everyone they reviewed."""

    name: str
    id: str | None
    people: int = 0
    statements: int = 0
    difference: int = 0
    disagreements: int = 0
    apart: bool = False
    """Whether their mean difference is ``APART`` or more from the other reviewers', and
    further from the people's own ratings (with two reviewers, only one is apart)."""

    @property
    def mean_difference(self) -> float | None:
        return mean(self.difference, self.statements)


@dataclass(slots=True)
class AreaCalibration:
    id: str
    title: str
    statements: int = 0
    difference: int = 0

    @property
    def mean_difference(self) -> float | None:
        return mean(self.difference, self.statements)


@dataclass(frozen=True, slots=True)
class Holder:
    """Someone at or above a level in an area."""

    name: str
    id: str | None
    unit: str | None
    level: str
    rank: int


@dataclass(slots=True)
class Coverage:
    """Who holds an area at the coverage level or above, over the team and per unit."""

    id: str
    title: str
    people: int = 0
    holders: list[Holder] = field(default_factory=list)
    """The visible holders (people of a suppressed unit are counted, not named)."""
    units: dict[str, list[Holder]] = field(default_factory=dict)

    @property
    def one_person(self) -> bool:
        """Whether the area rests on one person or nobody."""
        return self.people <= 1


@dataclass(frozen=True, slots=True)
class Mentoring:
    """A person below their target in an area, and up to three who could mentor them."""

    person: PersonRow
    area_id: str
    area: str
    target: str
    """The target's level key."""
    target_label: str
    mentors: tuple[Holder, ...]


class Insight:
    """SPEC 10's figures for one summary; ``coverage_level`` is a level key of its ladder.

    Raises ``CompetencyError`` when ``coverage_level`` is not a level of the framework.
    """

    def __init__(
        self, summary: TeamSummary, *, coverage_level: str | None = None, min_group: int = 1
    ) -> None:
        framework = summary.framework
        assert framework is not None, "an insight needs the summary's framework"
        if coverage_level is None:
            coverage_level = default_coverage_level(framework)
        level = framework.level_by_key.get(coverage_level)
        if level is None:
            keys = ", ".join(lvl.key for lvl in framework.levels)
            raise CompetencyError(
                f"--coverage-level {coverage_level}: not a level of framework "
                f"{framework.id} (its levels: {keys})"
            )
        self.summary = summary
        self.framework = framework
        self.level = level
        self.min_group = max(1, min_group)
        self.small_units = sorted(
            (
                unit
                for unit, tallies in summary.units.items()
                if tallies[-1].people < self.min_group
            ),
            key=natural_key,
        )
        small = set(self.small_units)
        self.hidden = {row.key for row in summary.people if row.unit in small}
        """People of a suppressed unit: counted in the totals, never named."""
        self.reviewers, self.areas = self._calibration()
        self.coverage = self._coverage()
        self.mentors = self._mentors()

    @property
    def rule(self) -> str:
        return f"fewer than {self.min_group} people"

    def suppressed(self, unit: str) -> bool:
        return unit in self.small_units

    def shown(self, name: str, id: str | None) -> bool:
        """Whether a person may be named (they are not in a suppressed unit)."""
        return person_key(name, id) not in self.hidden

    def _calibration(self) -> tuple[list[Reviewer], list[AreaCalibration]]:
        reviewers: dict[str, Reviewer] = {}
        groups = self.summary.groups[:-1]  # the areas; overall is the reviewer's own total
        areas = [AreaCalibration(gid, title) for gid, title in groups]
        for row in self.summary.people:
            review = row.review
            if review is None:
                continue
            who = review["reviewer"]
            key = person_key(who["name"], who["id"])
            reviewer = reviewers.setdefault(key, Reviewer(who["name"], who["id"]))
            reviewer.people += 1
            overall = review["overall"]
            reviewer.statements += overall["statements"]
            reviewer.difference += overall["difference"]
            reviewer.disagreements += overall["disagreements"]
            for area in areas:
                compared = review["areas"].get(area.id)
                if compared is not None:
                    area.statements += compared["statements"]
                    area.difference += compared["difference"]
        ordered = sorted(reviewers.values(), key=lambda r: natural_key(r.name))
        for reviewer in ordered:
            others = [r for r in ordered if r is not reviewer and r.statements]
            statements = sum(r.statements for r in others)
            if reviewer.statements and statements:
                theirs = sum(r.difference for r in others) / statements
                mine = reviewer.difference / reviewer.statements
                reviewer.apart = abs(mine - theirs) >= APART and abs(mine) > abs(theirs)
        return ordered, areas

    def _holders(self, g: int, rank: int) -> list[tuple[PersonRow, Holder]]:
        """Everyone at or above ``rank`` in group ``g``, highest level first, then by name."""
        holders = []
        for row in self.summary.people:
            level, have = row.levels[g]
            if have is not None and have >= rank:
                holders.append((row, Holder(row.name, row.id, row.unit, level, have)))
        holders.sort(key=lambda pair: (-pair[1].rank, natural_key(pair[1].name)))
        return holders

    def _coverage(self) -> list[Coverage]:
        result = []
        for g, (gid, title) in enumerate(self.summary.groups[:-1]):
            coverage = Coverage(gid, title)
            for row, holder in self._holders(g, self.level.rank):
                coverage.people += 1
                if row.key not in self.hidden:
                    coverage.holders.append(holder)
            for unit, _ in self.summary.sorted_units():
                if not self.suppressed(unit):
                    coverage.units[unit] = [h for h in coverage.holders if h.unit == unit]
            result.append(coverage)
        return result

    def _mentors(self) -> list[Mentoring]:
        framework = self.framework
        key_of = {lvl.rank: lvl.key for lvl in framework.levels}
        result: list[Mentoring] = []
        for g, (gid, title) in enumerate(self.summary.groups):
            wanting = [
                row
                for row in self.summary.people
                if row.key not in self.hidden
                and row.targets
                and row.targets[g] is not None
                and not _meets(row.levels[g][1], row.targets[g])
            ]
            if not wanting:
                continue
            # Per target rank: the able, highest level first, and the same split by unit.
            by_rank: dict[
                int,
                tuple[list[tuple[PersonRow, Holder]], dict[str, list[tuple[PersonRow, Holder]]]],
            ] = {}
            for row in wanting:
                target = row.targets[g]
                assert target is not None
                if target[1] not in by_rank:
                    able = [p for p in self._holders(g, target[1]) if p[0].key not in self.hidden]
                    per_unit: dict[str, list[tuple[PersonRow, Holder]]] = {}
                    for pair in able:
                        if pair[0].unit:
                            per_unit.setdefault(pair[0].unit, []).append(pair)
                    by_rank[target[1]] = (able, per_unit)
                able, per_unit = by_rank[target[1]]
                chosen: list[Holder] = []
                for r, h in per_unit.get(row.unit, []) if row.unit else []:
                    if len(chosen) == MENTORS:
                        break
                    if r.key != row.key:
                        chosen.append(h)
                for r, h in able:  # highest level first: usually only the first few are read
                    if len(chosen) == MENTORS:
                        break
                    if r.key != row.key and not (r.unit and r.unit == row.unit):
                        chosen.append(h)
                result.append(
                    Mentoring(row, gid, title, key_of[target[1]], target[0], tuple(chosen))
                )
        return result

    def apart_sentence(self, reviewer: Reviewer) -> str | None:
        """The words for a reviewer far from the others: what differs, never who is wrong."""
        if not reviewer.apart:
            return None
        others = [r for r in self.reviewers if r is not reviewer and r.statements]
        theirs = sum(r.difference for r in others) / sum(r.statements for r in others)
        gap = reviewer.difference / reviewer.statements - theirs
        way = "higher" if gap > 0 else "lower"
        return (
            f"{reviewer.name} rates {abs(gap):.2f} steps {way} on average than the other "
            f"reviewers do, compared with the people's own ratings: worth a calibration "
            f"conversation, as either side may be the one to adjust."
        )

    def coverage_flag(self, people: int) -> str:
        """``depends on one person``, ``nobody``, or nothing."""
        return "nobody" if people == 0 else "depends on one person" if people == 1 else ""

    def suppressed_json(self) -> dict[str, Any]:
        return {"suppressed": True, "rule": self.rule}

    def to_json(self) -> dict[str, Any]:
        """The four SPEC 10 fields of the summary JSON."""

        def holder(h: Holder) -> dict[str, Any]:
            return {"name": h.name, "id": h.id, "level": h.level}

        return {
            "calibration": {
                "reviewers": [
                    {
                        "reviewer": {"name": r.name, "id": r.id},
                        "people": r.people,
                        "statements": r.statements,
                        "mean_difference": r.mean_difference,
                        "disagreements": r.disagreements,
                        "apart": r.apart,
                    }
                    for r in self.reviewers
                ],
                "areas": [
                    {
                        "area": a.id,
                        "title": a.title,
                        "statements": a.statements,
                        "mean_difference": a.mean_difference,
                    }
                    for a in self.areas
                ],
            },
            "coverage": [
                {
                    "area": c.id,
                    "title": c.title,
                    "level": self.level.key,
                    "people": c.people,
                    "names": [h.name for h in c.holders],
                    "one_person": c.one_person,
                    "units": {
                        unit: self.suppressed_json()
                        if self.suppressed(unit)
                        else {
                            "people": len(c.units[unit]),
                            "names": [h.name for h in c.units[unit]],
                            "one_person": len(c.units[unit]) <= 1,
                        }
                        for unit, _ in self.summary.sorted_units()
                    },
                }
                for c in self.coverage
            ],
            "mentors": [
                {
                    "person": {"name": m.person.name, "id": m.person.id},
                    "unit": m.person.unit,
                    "area": m.area_id,
                    "target": m.target,
                    "mentors": [holder(h) for h in m.mentors],
                }
                for m in self.mentors
            ],
            "small_groups": {
                "min_group": self.min_group,
                "rule": self.rule,
                "suppressed": list(self.small_units),
            },
        }


def signed(value: float | None) -> str:
    """A mean difference as text: ``+0.25``, ``-1.00``, ``0.00``, or ``—`` when none."""
    if value is None:
        return "—"
    return f"{value:+.2f}" if value else "0.00"


CALIBRATION_NOTE = (
    "Mean difference: reviewer minus the person's own rating, over statements both rated "
    "with a number; above 0 the reviewer rates higher than the people themselves, below 0 "
    "lower."
)


def _meets(rank: int | None, target: tuple[str, int] | None) -> bool:
    """Whether ``rank`` reaches ``target``; not assessed counts as below (as the summary does)."""
    assert target is not None
    return rank is not None and rank >= target[1]
