"""Carry an assessment to a new version of its framework.

Each rating, note and review of a statement goes to the new framework's statement with the
same text (after normalising whitespace and dashes), or to the one a map names, or, failing
both, to the one statement whose text is nearly the same (a few words added or changed),
which is listed for the person to check; what has nowhere to go is listed, one line each.
The migrated assessment records what it came from under the extension key
``migrated_from`` (SPEC 3 keeps unknown keys), including the map of statement ids, so that
``competency compare`` can set the old file beside its successor.

A map is TOML::

    [statements]            # old id = new id; "" drops a statement on purpose
    "emerging.3" = "emerging.4"
    "advanced.2" = ""

    [areas]                 # for targets: old area id = new area id
    "outreach" = "user-education"
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from competency.assessment import Assessment, FrameworkRef, check_against
from competency.errors import CompetencyError
from competency.framework.model import Framework

_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]+")
_SPACE = re.compile(r"\s+")


class MapError(CompetencyError):
    """The migration map is unusable."""


def normalised(text: str) -> str:
    """Statement text as compared across versions: NFC, one kind of dash, single spaces."""
    text = unicodedata.normalize("NFC", text)
    return _SPACE.sub(" ", _DASHES.sub("-", text)).strip()


@dataclass(frozen=True)
class StatementMap:
    """Old statement id -> new id (``None``: dropped on purpose); old area -> new area."""

    statements: Mapping[str, str | None] = field(default_factory=dict)
    areas: Mapping[str, str] = field(default_factory=dict)


def load_map(path: Path, old: Framework, new: Framework) -> StatementMap:
    """Read a migration map, refusing an id that neither framework has."""
    from competency.files import read_input
    from competency.framework.toml_file import parse_toml

    source = str(path)
    doc = parse_toml(read_input(path, kind=MapError), source, MapError)
    unknown = set(doc) - {"statements", "areas"}
    if unknown:
        raise MapError(
            "not a known table; use [statements] and [areas]",
            source=source,
            location=sorted(unknown)[0],
        )
    statements: dict[str, str | None] = {}
    taken: dict[str, str] = {}
    for old_id, new_id in _table(doc, "statements", source).items():
        where = f"statements.{old_id}"
        if old_id not in old.statement_by_id:
            raise MapError(
                f"framework {old.id!r} ({old.version}) has no statement {old_id!r}",
                source=source,
                location=where,
            )
        if not isinstance(new_id, str):
            raise MapError(
                'should be a new statement id, or "" to drop it', source=source, location=where
            )
        if new_id and new_id not in new.statement_by_id:
            raise MapError(
                f"the new framework has no statement {new_id!r}", source=source, location=where
            )
        if new_id in taken:
            raise MapError(
                f"{new_id!r} is already the target of {taken[new_id]!r}",
                source=source,
                location=where,
            )
        if new_id:
            taken[new_id] = old_id
        statements[old_id] = new_id or None
    areas: dict[str, str] = {}
    for old_area, new_area in _table(doc, "areas", source).items():
        where = f"areas.{old_area}"
        if not isinstance(new_area, str) or new_area not in new.area_by_id:
            raise MapError(
                "should be an area id of the new framework", source=source, location=where
            )
        areas[old_area] = new_area
    return StatementMap(statements, areas)


def _table(doc: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    table = doc.get(key, {})
    if not isinstance(table, dict):
        raise MapError("should be a table", source=source, location=key)
    return table


@dataclass
class Migration:
    """The result: the new assessment, how each old statement was carried, what was not."""

    assessment: Assessment
    mapped: dict[str, str]
    """Old statement id -> new id, for every statement that was carried."""
    how: dict[str, str]
    """Old statement id -> ``"text"`` (same text), ``"similar"`` (nearly the same text) or
    ``"map"``."""
    not_carried: list[str]

    def similar(self, old: Framework, new: Framework) -> list[str]:
        """One line for each pairing by nearly the same text, for the person to check."""
        return [
            f"{sid} was paired with {self.mapped[sid]} by nearly the same text; check it: "
            f"\u201c{old.statement_by_id[sid].text}\u201d became "
            f"\u201c{new.statement_by_id[self.mapped[sid]].text}\u201d"
            for sid, how in self.how.items()
            if how == "similar"
        ]


SIMILAR = 0.8
"""How alike two texts must be (difflib's ratio of their normalised, case-folded characters)
for a statement left unpaired to be paired with a new one: three words added to a sentence
of twenty stay above it; a different statement on the same topic falls well below."""
SIMILAR_MARGIN = 0.05
"""The best match must beat the second best by this much, or nothing is paired: a guess
between two near twins is no pairing."""
SIMILAR_WORK = 40_000
"""At most this many comparisons of unpaired old and new texts; beyond it (a framework
rewritten wholesale) only the same text and the map pair statements."""


def pair_statements(
    old: Framework, new: Framework, mapping: StatementMap | None = None
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Old id -> new id by the map first, then by the same normalised text."""
    mapping = mapping or StatementMap()
    by_text: dict[str, list[str]] = {}
    for statement in new.statements:
        by_text.setdefault(normalised(statement.text), []).append(statement.id)
    mapped: dict[str, str] = {}
    how: dict[str, str] = {}
    unpaired: list[str] = []
    taken = {target for target in mapping.statements.values() if target}
    for statement in old.statements:
        if statement.id in mapping.statements:
            target = mapping.statements[statement.id]
            if target is not None:
                mapped[statement.id], how[statement.id] = target, "map"
            continue
        candidates = [c for c in by_text.get(normalised(statement.text), []) if c not in taken]
        if len(candidates) > 1:  # the same text at two levels: prefer the same level
            candidates = [c for c in candidates if c.split(".")[0] == statement.level] or candidates
        if len(candidates) == 1:
            mapped[statement.id], how[statement.id] = candidates[0], "text"
            taken.add(candidates[0])
        else:
            unpaired.append(statement.id)
    free = [s.id for s in new.statements if s.id not in taken and s.id not in mapped.values()]
    for old_id, new_id in _similar_pairs(old, new, unpaired, free).items():
        mapped[old_id], how[old_id] = new_id, "similar"
    unpaired = [sid for sid in unpaired if sid not in mapped]
    return mapped, how, unpaired


def _similar_pairs(
    old: Framework, new: Framework, unpaired: list[str], free: list[str]
) -> dict[str, str]:
    """Old id -> new id where each is the other's clear best match by nearly the same text."""
    from difflib import SequenceMatcher

    if not unpaired or not free or len(unpaired) * len(free) > SIMILAR_WORK:
        return {}
    texts = {sid: normalised(new.statement_by_id[sid].text).casefold() for sid in free}
    by_old: dict[str, dict[str, float]] = {}
    by_new: dict[str, dict[str, float]] = {}
    for old_id in unpaired:
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(normalised(old.statement_by_id[old_id].text).casefold())
        for new_id in free:
            matcher.set_seq1(texts[new_id])
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                by_old.setdefault(old_id, {})[new_id] = ratio
                by_new.setdefault(new_id, {})[old_id] = ratio

    def clear_best(options: dict[str, float]) -> str | None:
        """The option clearly best of ``options`` and above SIMILAR, if there is one."""
        ranked = sorted(options.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < SIMILAR:
            return None
        if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - SIMILAR_MARGIN:
            return None
        return ranked[0][0]

    pairs: dict[str, str] = {}
    for old_id, options in by_old.items():
        best = clear_best(options)
        if best is not None and clear_best(by_new[best]) == old_id:
            pairs[old_id] = best
    return pairs


def migrate(
    assessment: Assessment,
    old: Framework,
    new: Framework,
    *,
    source: str,
    source_digest: str,
    mapping: StatementMap | None = None,
    touch: bool = True,
) -> Migration:
    """A new assessment of ``new`` carrying what ``assessment`` (of ``old``) holds.

    ``touch=False`` keeps ``updated_at`` as it was: for a comparison, which sets the old
    answers beside the new without pretending they were given later.
    """
    from competency.ratings import utc_now

    check_against(assessment, old, source)
    mapping = mapping or StatementMap()
    mapped, how, _unanswerable = pair_statements(old, new, mapping)
    not_carried: list[str] = []
    dropped = {sid for sid, target in mapping.statements.items() if target is None}

    def carry(values: Mapping[str, Any], what: str) -> dict[str, Any]:
        carried: dict[str, Any] = {}
        for sid, value in values.items():
            if sid in mapped:
                carried[mapped[sid]] = value
            else:
                why = (
                    "dropped by the map"
                    if sid in dropped
                    else "no statement with its text, nor one nearly the same"
                )
                topic = old.statement_by_id[sid].topic
                not_carried.append(f"{what} {sid} ({topic}): {why}")
        return carried

    data = assessment.model_dump(mode="python", by_alias=True)
    data["ratings"] = carry(assessment.ratings, "rating of")
    data["notes"] = carry(assessment.notes, "note on")
    if assessment.review is not None:
        review = data["review"]
        review["ratings"] = carry(assessment.review.ratings, "review rating of")
        review["notes"] = carry(assessment.review.notes, "review note on")
    targets: dict[str, str] = {}
    for area_id, level_key in assessment.targets.items():
        new_area = mapping.areas.get(area_id, area_id)
        if new_area in new.area_by_id and level_key in new.level_by_key:
            targets[new_area] = level_key
        else:
            not_carried.append(f"target {area_id} = {level_key}: no such area and level now")
    data["targets"] = targets
    data["framework"] = FrameworkRef(id=new.id, version=new.version, fingerprint=new.fingerprint)
    now = utc_now()
    if touch:
        data["updated_at"] = now
    data["migrated_from"] = {
        "file": Path(source).name,
        "assessment": source_digest,
        "framework": {"id": old.id, "version": old.version, "fingerprint": old.fingerprint},
        "at": now.isoformat().replace("+00:00", "Z"),
        "statements": {sid: mapped[sid] for sid in sorted(mapped, key=_order(old))},
        "not_carried": not_carried,
    }
    migrated = Assessment.model_validate(data)
    check_against(migrated, new, source)
    return Migration(migrated, mapped, how, not_carried)


def _order(framework: Framework) -> Any:
    place = {s.id: n for n, s in enumerate(framework.statements)}
    return lambda sid: place[sid]


def successor_map(old: Assessment, new: Assessment) -> dict[str, str] | None:
    """The statement map recorded in ``new`` when it was migrated from ``old``'s framework."""
    extra = new.model_extra or {}
    record = extra.get("migrated_from")
    if not isinstance(record, dict):
        return None
    framework = record.get("framework")
    if not isinstance(framework, dict) or framework.get("id") != old.framework.id:
        return None
    fingerprint = old.framework.fingerprint
    if fingerprint and framework.get("fingerprint") not in (None, fingerprint):
        return None
    statements = record.get("statements")
    if not isinstance(statements, dict):
        return None
    return {str(k): str(v) for k, v in statements.items()}
