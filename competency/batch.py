"""Scoring many assessment files: finding them, scoring each, and the record per file.

A record is the JSON-lines object of SPEC 5, ``{"file": ..., "ok": true, ...}`` or
``{"file": ..., "ok": false, "error": "..."}``. A bad file becomes a refused record and
never stops the batch. Records come out in input order: files in the order given, and a
folder's ``*.json`` files sorted by path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from competency.assessment import Assessment, check_against
from competency.bundled import FrameworkCache
from competency.errors import AssessmentError, CompetencyError
from competency.scoring import DEFAULT_THRESHOLD, AreaResult, score
from competency.storage import DEFAULT_MAX_BYTES, parse_assessment, read_assessment_bytes

Source = Literal["self", "review"]
Record = dict[str, Any]


def discover(paths: Iterable[str]) -> Iterator[str]:
    """Every input file in order: files as given, folders as their ``*.json`` sorted by path.

    A path that does not exist is yielded as given, so it is refused with its own line.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                (p for p in path.rglob("*.json") if p.is_file()),
                key=lambda p: p.relative_to(path).parts,
            )
            for file in found:
                yield str(file)
        else:
            yield given


def ratings_for(assessment: Assessment, source: Source, file: str) -> dict[str, int | str]:
    """The ratings to score: the person's own, or the reviewer's."""
    if source == "self":
        return assessment.ratings
    if assessment.review is None:
        raise AssessmentError("has no review to score (--source review)", source=file)
    return assessment.review.ratings


def area_entry(result: AreaResult) -> dict[str, Any]:
    """One area's part of a record."""
    return {
        "title": result.title,
        "level": result.level,
        "rank": result.rank,
        "completion": round(result.completion, 4),
    }


def score_file(
    file: str,
    frameworks: FrameworkCache,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    source: Source = "self",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Record:
    """Score one file into its record; every refusal becomes ``ok: false``."""
    try:
        assessment = parse_assessment(read_assessment_bytes(Path(file), max_bytes), file)
        framework = frameworks.for_id(assessment.framework.id, file)
        check_against(assessment, framework, file)
        result = score(framework, ratings_for(assessment, source, file), threshold)
    except CompetencyError as exc:
        return refused(file, exc.line)
    subject = assessment.subject
    record: Record = {
        "file": file,
        "ok": True,
        "subject": {"name": subject.name, "id": subject.id},
        "framework": {"id": framework.id, "version": framework.version},
        "status": assessment.status,
        "completion": round(result.completion, 4),
        "overall": {"level": result.overall.level, "rank": result.overall.rank},
        "areas": {area.id: area_entry(area) for area in result.areas},
    }
    # Extensions beyond SPEC 5's shape; readers ignore keys they do not know.
    if subject.unit is not None:
        record["subject"]["unit"] = subject.unit
    if source == "review":
        record["source"] = "review"
    return record


def refused(file: str, line: str) -> Record:
    """The record of a file that could not be scored."""
    return {"file": file, "ok": False, "error": line}
