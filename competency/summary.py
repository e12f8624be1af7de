"""A team's levels per area, aggregated from the records of ``competency score``.

``TeamSummary`` takes scored records one at a time (as ``score_batches`` yields them) and
keeps counts, not files: per area, how many people are at each level, including ``Not
assessed`` and ``Below <first level>``; the median level; who is below their target; the
same counts per ``subject.unit``; and the refused files with their reasons. Only the
heatmap needs one row per person, so it keeps people only when asked to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from competency.batch import Record
from competency.framework.model import Framework
from competency.ratings import below_label, meets_target
from competency.scoring import NOT_ASSESSED, OVERALL_ID, OVERALL_TITLE
from competency.text import terminal


@dataclass(frozen=True, slots=True)
class Column:
    """One level column of the counts: ``Not assessed``, ``Below <first>``, or a level."""

    label: str
    rank: int | None


@dataclass(frozen=True, slots=True)
class BelowTarget:
    """A person whose level in an area is under the level they aim for."""

    name: str
    id: str | None
    unit: str | None
    file: str
    level: str
    target: str


@dataclass(slots=True)
class AreaTally:
    """How many people are at each level of one area (or overall)."""

    id: str
    title: str
    counts: list[int]
    """One count per column of the summary, in column order."""
    below_target: list[BelowTarget] = field(default_factory=list)

    @property
    def people(self) -> int:
        """Everyone counted, assessed or not."""
        return sum(self.counts)

    def median(self, columns: list[Column]) -> str:
        """The median level of the people assessed in the area.

        People are ordered by rank (``Below`` lowest) and the middle one's level is the
        median; with an even number, the lower of the two middle levels, so the median
        never claims a level that half the team has not reached. ``Not assessed`` when
        nobody in the area has a rating.
        """
        assessed = [
            (col, n) for col, n in zip(columns, self.counts, strict=True) if col.rank is not None
        ]
        total = sum(n for _, n in assessed)
        if total == 0:
            return NOT_ASSESSED
        middle = (total + 1) // 2  # the lower middle person, counting from 1
        seen = 0
        for col, n in assessed:
            seen += n
            if seen >= middle:
                return col.label
        raise AssertionError("unreachable: the counts add up to total")


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person in the heatmap: their level (and rank) in every area and overall."""

    name: str
    id: str | None
    unit: str | None
    file: str
    status: str
    completion: float
    levels: tuple[tuple[str, int | None], ...]
    """(level, rank) per area in map order, then overall."""


class TeamSummary:
    """Counts of a team's levels per area, built one record at a time.

    The first scored record fixes the framework (its ladder and areas); a record scored
    against another framework is refused with a line saying to summarise it separately,
    as its levels cannot share the same columns.
    """

    def __init__(self, *, keep_people: bool = False) -> None:
        self.keep_people = keep_people
        self.framework: Framework | None = None
        self.columns: list[Column] = []
        self.areas: list[AreaTally] = []
        self.units: dict[str, list[AreaTally]] = {}
        self.people: list[PersonRow] = []
        self.refused: list[tuple[str, str]] = []
        self.scored = 0

    @property
    def groups(self) -> list[tuple[str, str]]:
        """(id, title) of every area in map order, then overall."""
        return [(tally.id, tally.title) for tally in self.areas]

    def start(self, framework: Framework) -> None:
        """Fix the framework whose ladder and areas the summary counts."""
        self.framework = framework
        first = framework.levels[0].label
        self.columns = [Column(NOT_ASSESSED, None), Column(below_label(first), 0)]
        self.columns += [Column(level.label, level.rank) for level in framework.levels]
        self.areas = self._blank()

    def _blank(self) -> list[AreaTally]:
        assert self.framework is not None
        groups = [(area.id, area.title) for area in self.framework.areas]
        groups.append((OVERALL_ID, OVERALL_TITLE))
        return [AreaTally(gid, title, [0] * len(self.columns)) for gid, title in groups]

    def add(self, record: Record) -> Record:
        """Count one record; return it, or the refused record it had to become."""
        if not record["ok"]:
            self.refused.append((record["file"], record["error"]))
            return record
        if self.framework is None:
            raise RuntimeError("TeamSummary.start(framework) must come before add()")
        area_ids = [tally.id for tally in self.areas[:-1]]
        if record["framework"]["id"] != self.framework.id or list(record["areas"]) != area_ids:
            line = terminal(
                f"{record['file']}: framework {record['framework']['id']} is not framework "
                f"{self.framework.id} of the rest of this summary; summarise it separately"
            )
            self.refused.append((record["file"], line))
            return {"file": record["file"], "ok": False, "error": line}
        self.scored += 1
        subject = record["subject"]
        unit = subject.get("unit")
        entries = [*record["areas"].values(), record["overall"]]
        targets = record.get("targets", {})
        tallies = [self.areas]
        if unit:
            tallies.append(self.units.setdefault(unit, self._blank()))
        for g, entry in enumerate(entries):
            # By rank, never by label: two levels may share a label, and a level may even
            # be called "Not assessed". Columns: Not assessed, Below, then the ladder.
            col = 0 if entry["rank"] is None else entry["rank"] + 1
            for scope in tallies:
                scope[g].counts[col] += 1
            target = targets.get(self.areas[g].id)
            if target is not None and not meets_target(entry["rank"], target["rank"]):
                label = self.framework.level_by_key[target["level"]].label
                below = BelowTarget(
                    subject["name"], subject.get("id"), unit, record["file"], entry["level"], label
                )
                for scope in tallies:
                    scope[g].below_target.append(below)
        if self.keep_people:
            self.people.append(
                PersonRow(
                    subject["name"],
                    subject.get("id"),
                    unit,
                    record["file"],
                    record["status"],
                    record["completion"],
                    tuple((entry["level"], entry["rank"]) for entry in entries),
                )
            )
        return record

    def sorted_units(self) -> list[tuple[str, list[AreaTally]]]:
        """The units by name."""
        return sorted(self.units.items())

    def to_json(self) -> dict[str, Any]:
        """The summary as plain data (``--format json``)."""
        framework = self.framework
        labels = [col.label for col in self.columns]

        def areas(tallies: list[AreaTally]) -> list[dict[str, Any]]:
            return [
                {
                    "id": tally.id,
                    "title": tally.title,
                    "people": tally.people,
                    "counts": [
                        {"level": col.label, "rank": col.rank, "people": n}
                        for col, n in zip(self.columns, tally.counts, strict=True)
                    ],
                    "median": tally.median(self.columns),
                    "below_target": [
                        {
                            "name": b.name,
                            "id": b.id,
                            "unit": b.unit,
                            "file": b.file,
                            "level": b.level,
                            "target": b.target,
                        }
                        for b in tally.below_target
                    ],
                }
                for tally in tallies
            ]

        return {
            "framework": None
            if framework is None
            else {
                "id": framework.id,
                "title": framework.title,
                "version": framework.version,
            },
            "scored": self.scored,
            "refused": [{"file": file, "error": error} for file, error in self.refused],
            "levels": labels,
            "areas": areas(self.areas),
            "units": {unit: areas(tallies) for unit, tallies in self.sorted_units()},
        }
