"""A team's levels per area, aggregated from the records of ``competency score``.

``TeamSummary`` takes scored records one at a time (as ``score_batches`` yields them) and
keeps one small row per person, not files: each person is counted once, by their latest
``submitted`` or ``reviewed`` assessment (``updated_at``; matched by ``person_key``), and
the older files are set aside with a line saying which file replaced them. Drafts
(``in_progress``) are never counted as levels unless asked (``include_drafts``): a person
with only drafts is left out and listed apart, and a draft newer than the file counted is
noted beside it (SPEC 7). From those rows it counts, per
area, how many people are at each level, including ``Not assessed`` and ``Below <first
level>``; the median level; who is below their target; the same counts per
``subject.unit``; and the refused files with their reasons. ``TeamProgress`` matches the
people of two summaries (two cycles) and says who moved up, stayed or moved down.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from competency.framework.model import Framework
from competency.ratings import below_label, meets_target
from competency.records import Record, RecordReview, ScoredRecord
from competency.scoring import NOT_ASSESSED, NOT_IN_ROLE, OVERALL_ID, OVERALL_TITLE
from competency.text import terminal

if TYPE_CHECKING:
    from competency.conflicts import Conflict, Copy
    from competency.insight import Insight
    from competency.training import TrainingNeeds


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
    not_in_role: int = 0
    """People whose role profile holds none of the area's statements (SPEC 9): not
    counted in any column, as the area is not theirs."""

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
            return NOT_IN_ROLE if self.not_in_role and not self.people else NOT_ASSESSED
        middle = (total + 1) // 2  # the lower middle person, counting from 1
        seen = 0
        for col, n in assessed:
            seen += n
            if seen >= middle:
                return col.label
        raise AssertionError("unreachable: the counts add up to total")


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person as counted: their level (and rank) in every area and overall."""

    name: str
    id: str | None
    unit: str | None
    file: str
    status: str
    completion: float
    levels: tuple[tuple[str, int | None], ...]
    """(level, rank) per area in map order, then overall."""
    targets: tuple[tuple[str, int] | None, ...] = ()
    """(target label, rank) per area in map order, then overall; None where there is none."""
    review: RecordReview | None = None
    """The reviewer and how their ratings compare with the person's (``insight``)."""
    updated_at: str | None = None
    """When the file was last saved, as the record gives it."""
    profile: str | None = None
    """The role profile the assessment names (SPEC 9), by id."""

    @property
    def key(self) -> str:
        """Who this is: ``subject.id`` when the file gives one, else the name."""
        return person_key(self.name, self.id)


def person_key(name: str, id: str | None) -> str:
    """The one key people are matched by, across files and across cycles.

    ``subject.id`` when the file gives one, else the name with case and spacing set aside
    (``Ada  Example`` and ``ada example`` are one person). A file with an id and one
    without are two people here: an id is what HR matches by, and a name alone cannot
    say which of two namesakes it is.
    """
    return f"id:{id}" if id else "name:" + " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class SetAside:
    """An older file of someone counted by a newer one."""

    file: str
    name: str
    kept: str
    """The file that was counted instead: the one finally counted, never another file
    that was itself set aside."""
    why: str = "newer"
    """Why ``kept`` counts: ``newer``, or why the order of the files decided."""
    left_out: bool = False
    """``kept`` is not counted either: it is the latest draft of someone left out."""

    def line(self) -> str:
        if self.left_out:
            return terminal(
                f"{self.file}: an older draft of {self.name}, who is left out (drafts only; "
                f"latest {self.kept})"
            )
        return terminal(f"{self.file}: {self.name} is counted once, by {self.kept} ({self.why})")


DRAFT = "in_progress"
"""The status never counted as levels unless ``--include-drafts``."""

STATUSES = ("in_progress", "submitted", "reviewed")


@dataclass(frozen=True, slots=True)
class Draft:
    """A person's latest draft that is not counted: the person is left out (``counted``
    None), or it is newer than the file counted for them."""

    row: PersonRow
    counted: str | None
    """The file counted for this person, when one is."""

    def line(self) -> str:
        row = self.row
        if self.counted is None:
            return terminal(f"{row.file}: {row.name} is left out: only a draft (in_progress)")
        return terminal(
            f"{row.file}: {row.name} has a newer draft than {self.counted}, which is counted"
        )


TIED = "saved at the same time; the file listed later counts"
UNDATED = "no updated_at to compare; the file listed later counts"


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts ``Branch 2`` before ``Branch 10``: digits by value, the rest case-blind."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def file_stamp(file: str) -> datetime | None:
    """A file's ``updated_at``, read again only when two files name the same person."""
    from pathlib import Path

    from competency.errors import CompetencyError
    from competency.storage import load_assessment

    try:
        return load_assessment(Path(file)).updated_at
    except (CompetencyError, OSError):
        return None


def _parse_stamp(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _utc(stamp: datetime | None) -> datetime | None:
    if stamp is not None and stamp.tzinfo is None:
        return stamp.replace(tzinfo=UTC)  # the file format's timestamps are UTC
    return stamp


class TeamSummary:
    """Counts of a team's levels per area, built one record at a time.

    The first scored record fixes the framework (its ladder and areas); a record scored
    against another framework is refused with a line saying to summarise it separately,
    as its levels cannot share the same columns. ``stamp`` gives a file's ``updated_at``;
    it is asked only when two files name the same person, and the newer one counts (the
    later file given, when a stamp is missing or they are equal).
    """

    def __init__(
        self,
        *,
        stamp: Callable[[str], datetime | None] = file_stamp,
        include_drafts: bool = False,
        read_copy: Callable[[str], Copy | None] | None = None,
    ) -> None:
        self.stamp = stamp
        self.read_copy = read_copy
        """Reads a file again to compare it with another of the same person (conflicts)."""
        self.include_drafts = include_drafts
        """Count drafts as levels too (``--include-drafts``)."""
        self.framework: Framework | None = None
        self.columns: list[Column] = []
        self.refused: list[tuple[str, str]] = []
        self._aside: list[tuple[str, str, str, bool]] = []
        """(file, name, person key, a draft or not) of each file not counted."""
        self.files = 0
        """Files scored, before each person is counted once."""
        self._people: dict[str, PersonRow] = {}
        self._drafts: dict[str, PersonRow] = {}
        """Each person's latest draft, when drafts are not counted."""
        self._files_of: dict[str, list[str]] = {}
        """Every file of each person, to find conflict copies among them."""
        self._conflicts: list[Conflict] | None = None
        self._stamps: dict[str, datetime | None] = {}
        self._tallied: tuple[list[AreaTally], dict[str, list[AreaTally]]] | None = None
        self._by_profile: dict[str, list[AreaTally]] = {}
        self.progress: TeamProgress | None = None
        """The comparison with an earlier cycle (``summary --since``), when asked for."""
        self.insight: Insight | None = None
        """Calibration, coverage, mentors and small groups (SPEC 10), when asked for."""
        self.training: TrainingNeeds | None = None
        """Per learning resource, who needs it (SPEC 9), with a resources file."""

    @property
    def groups(self) -> list[tuple[str, str]]:
        """(id, title) of every area in map order, then overall."""
        if self.framework is None:
            return []
        groups = [(area.id, area.title) for area in self.framework.areas]
        return [*groups, (OVERALL_ID, OVERALL_TITLE)]

    def start(self, framework: Framework) -> None:
        """Fix the framework whose ladder and areas the summary counts."""
        self.framework = framework
        first = framework.levels[0].label
        self.columns = [Column(NOT_ASSESSED, None), Column(below_label(first), 0)]
        self.columns += [Column(level.label, level.rank) for level in framework.levels]
        self._tallied = None

    def _blank(self) -> list[AreaTally]:
        return [AreaTally(gid, title, [0] * len(self.columns)) for gid, title in self.groups]

    def add(self, record: Record) -> Record:
        """Take one record; return it, or the refused record it had to become."""
        if not record["ok"]:
            self.refused.append((record["file"], record["error"]))
            return record
        if self.framework is None:
            raise RuntimeError("TeamSummary.start(framework) must come before add()")
        area_ids = [area.id for area in self.framework.areas]
        if record["framework"]["id"] != self.framework.id or list(record["areas"]) != area_ids:
            line = terminal(
                f"{record['file']}: framework {record['framework']['id']} is not framework "
                f"{self.framework.id} of the rest of this summary; summarise it separately"
            )
            self.refused.append((record["file"], line))
            return {"file": record["file"], "ok": False, "error": line}
        self.files += 1
        self._tallied = None
        self._conflicts = None
        row = self._row(record)
        self._files_of.setdefault(row.key, []).append(row.file)
        if row.updated_at is not None:  # no need to read the file again for it
            self._stamps[row.file] = _utc(_parse_stamp(row.updated_at))
        draft = row.status == DRAFT and not self.include_drafts
        pool = self._drafts if draft else self._people
        earlier = pool.get(row.key)
        if earlier is None:
            pool[row.key] = row
        elif self._newer(row, earlier):
            pool[row.key] = row
            self._aside.append((earlier.file, earlier.name, row.key, draft))
        else:
            self._aside.append((row.file, row.name, row.key, draft))
        return record

    def _row(self, record: ScoredRecord) -> PersonRow:
        assert self.framework is not None
        subject = record["subject"]
        entries = [*record["areas"].values(), record["overall"]]
        targets = record.get("targets", {})
        wanted: list[tuple[str, int] | None] = []
        for gid, _ in self.groups:
            target = targets.get(gid)
            if target is None:
                wanted.append(None)
            else:
                label = self.framework.level_by_key[target["level"]].label
                wanted.append((label, target["rank"]))
        return PersonRow(
            subject["name"],
            subject.get("id"),
            subject.get("unit"),
            record["file"],
            record["status"],
            record["completion"],
            tuple((entry["level"], entry["rank"]) for entry in entries),
            tuple(wanted),
            record.get("review"),
            record.get("updated_at"),
            record.get("profile"),
        )

    def _newer(self, row: PersonRow, earlier: PersonRow) -> bool:
        """Whether ``row`` (given later) replaces ``earlier``: newer, or not older."""
        new, old = self._stamp_of(row.file), self._stamp_of(earlier.file)
        if new is None or old is None:
            return True
        return new >= old

    @property
    def set_aside(self) -> list[SetAside]:
        """Every file not counted (but the drafts listed apart, ``drafts``), each naming
        the file finally counted for that person (a chain of three cycles names the
        newest, not the middle one it lost to first)."""
        aside = []
        newer = {d.row.file for d in self.newer_drafts}
        clashing = {file for c in self.conflicts for file in c.files}
        # The latest draft of someone counted, not newer than the file counted, is set
        # aside like any older file; a newer one is noted beside it (``newer_drafts``).
        older = [
            (row.file, row.name, key, True)
            for key, row in self._drafts.items()
            if key in self._people and row.file not in newer
        ]
        for file, name, key, draft in [*self._aside, *older]:
            counted = self._people.get(key)
            if counted is None:  # an older draft of someone left out
                aside.append(SetAside(file, name, self._drafts[key].file, left_out=True))
                continue
            why = self._why(self._stamp_of(file), counted.file)
            if draft and why != "newer":
                why = "drafts are not counted"
            if file in clashing:
                why = f"{why}; but their answers differ: see the conflict"
            aside.append(SetAside(file, name, counted.file, why))
        return aside

    @property
    def drafts(self) -> list[Draft]:
        """The people left out (only drafts), then the drafts newer than the file counted,
        each in the order their person first came."""
        left, newer = [], []
        for key, row in self._drafts.items():
            counted = self._people.get(key)
            if counted is None:
                left.append(Draft(row, None))
            elif self._newer(row, counted) and self._stamp_of(row.file) != self._stamp_of(
                counted.file
            ):
                newer.append(Draft(row, counted.file))
        return [*left, *newer]

    @property
    def left_out(self) -> list[Draft]:
        """People with only drafts: not counted (``--include-drafts`` counts them)."""
        return [d for d in self.drafts if d.counted is None]

    @property
    def newer_drafts(self) -> list[Draft]:
        """Drafts newer than the file counted for their person, noted beside it."""
        return [d for d in self.drafts if d.counted is not None]

    @property
    def statuses(self) -> dict[str, int]:
        """People by the status of each one's latest file, counted or not."""
        counts = dict.fromkeys(STATUSES, 0)
        newer = {d.row.key for d in self.newer_drafts}
        for key, row in self._people.items():
            counts[DRAFT if key in newer else row.status] += 1
        counts[DRAFT] += len(self.left_out)
        return counts

    @property
    def conflicts(self) -> list[Conflict]:
        """Copies of one person's assessment (one cycle) whose answers differ: shown in
        every format, never silently reduced to one (``competency.conflicts``)."""
        if self._conflicts is None:
            from competency.conflicts import conflicts_among, read_copy

            self._conflicts = conflicts_among(self._files_of, self.read_copy or read_copy)
        return self._conflicts

    def counted_file(self, person: str) -> str | None:
        """The file counted for a person (by ``person_key``), if any."""
        row = self._people.get(person)
        return None if row is None else row.file

    def conflict_lines(self) -> list[str]:
        """One line per conflict, naming the copies and the file counted meanwhile."""
        lines = []
        for c in self.conflicts:
            counted = self.counted_file(c.person)
            lines.append(c.line(counted if counted in c.files else None))
        return lines

    def statuses_sentence(self) -> str:
        """``People by the status of their latest file: 1 draft, 1 submitted, 1 reviewed.``"""
        counts = self.statuses
        drafts = "draft" if counts[DRAFT] == 1 else "drafts"
        parts = [f"{counts[DRAFT]} {drafts} (in_progress)"]
        parts += [f"{counts[s]} {s}" for s in STATUSES if s != DRAFT]
        return "People by the status of their latest file: " + ", ".join(parts) + "."

    def drafts_sentence(self) -> str | None:
        """What every format says about drafts: how many people were left out, and how
        many newer drafts there are; None when there is nothing to say."""
        if self.include_drafts:
            return "Drafts (in_progress) are counted too (--include-drafts)."
        left, newer = len(self.left_out), len(self.newer_drafts)
        if not left and not newer:
            return None
        parts = []
        if left:
            people = "person" if left == 1 else "people"
            parts.append(f"{left} {people} left out: only drafts (in_progress)")
        if newer:
            drafts = "draft" if newer == 1 else "drafts"
            parts.append(f"{newer} newer {drafts} than the file counted")
        return (
            "; ".join(parts)
            + ". Each person is counted by their latest submitted or reviewed file; "
            "--include-drafts counts drafts too."
        )

    def _why(self, mine: datetime | None, kept: str) -> str:
        theirs = self._stamp_of(kept)
        if mine is None or theirs is None:
            return UNDATED
        return "newer" if theirs > mine else TIED

    def _stamp_of(self, file: str) -> datetime | None:
        if file not in self._stamps:
            self._stamps[file] = _utc(self.stamp(file))
        return self._stamps[file]

    @property
    def people(self) -> list[PersonRow]:
        """Everyone counted, once each, in the order their first file came."""
        return list(self._people.values())

    @property
    def scored(self) -> int:
        """How many people are counted (each once)."""
        return len(self._people)

    def row_for(self, key: str) -> PersonRow | None:
        return self._people.get(key)

    def _tally(self) -> tuple[list[AreaTally], dict[str, list[AreaTally]]]:
        if self._tallied is not None:
            return self._tallied
        areas = self._blank()
        units: dict[str, list[AreaTally]] = {}
        profiles: dict[str, list[AreaTally]] = {}
        for row in self._people.values():
            scopes = [areas]
            if row.unit:
                scopes.append(units.setdefault(row.unit, self._blank()))
            if row.profile:
                scopes.append(profiles.setdefault(row.profile, self._blank()))
            for g, (level, rank) in enumerate(row.levels):
                if level == NOT_IN_ROLE and rank is None:
                    for scope in scopes:
                        scope[g].not_in_role += 1
                    continue
                # By rank, never by label: two levels may share a label, and a level may
                # even be called "Not assessed". Columns: Not assessed, Below, the ladder.
                col = 0 if rank is None else rank + 1
                target = row.targets[g] if row.targets else None
                below = None
                if target is not None and not meets_target(rank, target[1]):
                    below = BelowTarget(row.name, row.id, row.unit, row.file, level, target[0])
                for scope in scopes:
                    scope[g].counts[col] += 1
                    if below is not None:
                        scope[g].below_target.append(below)
        self._tallied = (areas, units)
        self._by_profile = profiles
        return self._tallied

    @property
    def areas(self) -> list[AreaTally]:
        """Every area in map order, then overall, counted over the whole team."""
        return self._tally()[0]

    @property
    def units(self) -> dict[str, list[AreaTally]]:
        return self._tally()[1]

    @property
    def profiles(self) -> dict[str, list[AreaTally]]:
        """Profile id -> its people's counts (SPEC 9), beside the units'; people in no
        profile are in the team's counts only."""
        self._tally()
        return self._by_profile

    def sorted_profiles(self) -> list[tuple[str, str, list[AreaTally]]]:
        """(id, title, counts) of each role profile people were assessed in: in the
        profiles file's order, then any the framework does not name, by id."""
        known = self.framework.profiles if self.framework is not None else ()
        order = {p.id: (i, p.title) for i, p in enumerate(known)}
        found = sorted(self.profiles, key=lambda pid: (order.get(pid, (len(order), pid)), pid))
        return [(pid, order.get(pid, (0, pid))[1], self.profiles[pid]) for pid in found]

    def profile_suppressed(self, tallies: list[AreaTally]) -> bool:
        """A profile with fewer people than ``--min-group``: no counts, as for a unit."""
        return self.insight is not None and tallies[-1].people < self.insight.min_group

    def sorted_units(self) -> list[tuple[str, list[AreaTally]]]:
        """The units by name, naturally: ``Branch 2`` before ``Branch 10``."""
        return sorted(self.units.items(), key=lambda item: natural_key(item[0]))

    def counted_once(self) -> str | None:
        """The sentence saying people were counted once, when some file was set aside."""
        n = len(self.set_aside)
        if not n:
            return None
        files = "file" if n == 1 else "files"
        latest = "assessment" if self.include_drafts else "submitted or reviewed assessment"
        return (
            f"{self.files} files scored for {self.scored} people: each person is counted "
            f"once, by their latest {latest} (updated_at; matched by id, else name); "
            f"{n} older {files} set aside."
        )

    def below_rows(self) -> list[tuple[AreaTally, BelowTarget]]:
        """(area, person) for everyone below a target, area by area."""
        insight = self.insight
        return [
            (tally, b)
            for tally in self.areas
            for b in tally.below_target
            if insight is None or insight.shown(b.name, b.id)
        ]

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
                    **({"not_in_role": tally.not_in_role} if tally.not_in_role else {}),
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
                        if self.insight is None or self.insight.shown(b.name, b.id)
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
            "files_scored": self.files,
            "include_drafts": self.include_drafts,
            "statuses": self.statuses,
            "left_out": [draft_json(d) for d in self.left_out],
            "newer_drafts": [draft_json(d) for d in self.newer_drafts],
            "conflicts": [
                {
                    "name": c.name,
                    "started_at": c.begun,
                    "files": list(c.files),
                    "counted": self.counted_file(c.person)
                    if self.counted_file(c.person) in c.files
                    else None,
                }
                for c in self.conflicts
            ],
            "set_aside": [
                {"file": s.file, "name": s.name, "counted": None if s.left_out else s.kept}
                for s in self.set_aside
            ],
            "refused": [{"file": file, "error": error} for file, error in self.refused],
            "levels": labels,
            "areas": areas(self.areas),
            "units": {
                unit: self.insight.suppressed_json()
                if self.insight is not None and self.insight.suppressed(unit)
                else areas(tallies)
                for unit, tallies in self.sorted_units()
            },
            **(
                {
                    "profiles": {
                        pid: self.insight.suppressed_json()
                        if self.insight is not None and self.profile_suppressed(tallies)
                        else areas(tallies)
                        for pid, _, tallies in self.sorted_profiles()
                    }
                }
                if self.profiles
                else {}
            ),
            **({"progress": self.progress.to_json()} if self.progress else {}),
            **(self.insight.to_json() if self.insight else {}),
            **({"training_needs": self.training.to_json()} if self.training else {}),
        }


def draft_json(draft: Draft) -> dict[str, Any]:
    row = draft.row
    return {
        "name": row.name,
        "id": row.id,
        "unit": row.unit,
        "file": row.file,
        "updated_at": row.updated_at,
        "completion": round(row.completion, 4),
        **({} if draft.counted is None else {"counted": draft.counted}),
    }


@dataclass(frozen=True, slots=True)
class Move:
    """One area where a person's level changed between the cycles."""

    area_id: str
    area: str
    before: str
    after: str
    up: bool


@dataclass(frozen=True, slots=True)
class Mover:
    """A person counted in both cycles whose level changed in some area."""

    name: str
    id: str | None
    unit: str | None
    file: str
    """The later cycle's file."""
    moves: tuple[Move, ...]

    @property
    def ups(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.up)

    @property
    def downs(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if not m.up)


@dataclass(slots=True)
class AreaProgress:
    """How the people in both cycles moved in one area (or overall)."""

    id: str
    title: str
    up: int = 0
    same: int = 0
    down: int = 0
    not_comparable: int = 0
    """Not assessed in one cycle or both: no level to compare."""


class TeamProgress:
    """A team's two cycles matched by person (``subject.id``, else name).

    Per area, how many people moved up, stayed or moved down; who moved; who is new (only
    in the later cycle) and who is gone (only in the earlier). Levels compare by rank, and
    a person not assessed in an area in either cycle is counted apart, never as a move.
    """

    def __init__(self, before: TeamSummary, after: TeamSummary) -> None:
        self.before = before
        self.after = after
        self.areas = [AreaProgress(gid, title) for gid, title in after.groups]
        self.movers: list[Mover] = []
        self.new: list[PersonRow] = []
        self.gone: list[PersonRow] = [
            row for row in before.people if after.row_for(row.key) is None
        ]
        for row in after.people:
            earlier = before.row_for(row.key)
            if earlier is None:
                self.new.append(row)
                continue
            moves = []
            for g, area in enumerate(self.areas):
                (was, old), (now, new) = earlier.levels[g], row.levels[g]
                if old is None or new is None:
                    area.not_comparable += 1
                elif new == old:
                    area.same += 1
                else:
                    up = new > old
                    if up:
                        area.up += 1
                    else:
                        area.down += 1
                    moves.append(Move(area.id, area.title, was, now, up))
            if moves:
                self.movers.append(Mover(row.name, row.id, row.unit, row.file, tuple(moves)))
        self.movers.sort(key=lambda m: natural_key(m.name))

    @property
    def matched(self) -> int:
        """People counted in both cycles."""
        return self.after.scored - len(self.new)

    def sentence(self) -> str:
        return (
            f"Since the earlier cycle ({self.before.scored} people): {self.matched} people "
            f"in both cycles, {len(self.new)} new, {len(self.gone)} gone."
        )

    def to_json(self) -> dict[str, Any]:
        def person(row: PersonRow) -> dict[str, Any]:
            return {"name": row.name, "id": row.id, "unit": row.unit, "file": row.file}

        return {
            "earlier_scored": self.before.scored,
            "matched": self.matched,
            "areas": [
                {
                    "id": a.id,
                    "title": a.title,
                    "up": a.up,
                    "same": a.same,
                    "down": a.down,
                    "not_comparable": a.not_comparable,
                }
                for a in self.areas
            ],
            "moved": [
                {
                    "name": m.name,
                    "id": m.id,
                    "unit": m.unit,
                    "file": m.file,
                    "moves": [
                        {"area": x.area, "from": x.before, "to": x.after, "up": x.up}
                        for x in m.moves
                    ],
                }
                for m in self.movers
            ],
            "new": [person(row) for row in self.new],
            "gone": [person(row) for row in self.gone],
        }
