"""Scoring many assessment files: finding them, scoring them in parallel, in input order.

A record is the JSON-lines object of SPEC 5, ``{"file": ..., "ok": true, ...}`` or
``{"file": ..., "ok": false, "error": "..."}``. A bad file becomes a refused record and
never stops the batch. Records come out in input order: files in the order given, and a
folder's ``*.json`` files sorted by path.

``score_batches`` is what commands use. It hands files to worker processes in chunks and
keeps only a few chunks in flight, so memory stays flat however many files there are. The
parent only lists files and writes output; each worker loads a framework once and then
reads, parses and scores whole chunks.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from json.encoder import encode_basestring
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, Literal

from competency.assessment import framework_for, targets_of
from competency.errors import AssessmentError, CompetencyError
from competency.files import (
    is_json_name,
    is_report_name,
    protect_identities,
    protected_outputs,
    walk_files,
)
from competency.portable import STOP_SIGNALS, available_cpus, die_with_parent, start_method
from competency.ratings import DEFAULT_THRESHOLD, disagree
from competency.records import (
    Record,
    RecordArea,
    RecordFramework,
    RecordPerson,
    RecordReview,
    RecordReviewArea,
    RefusedRecord,
    ScoredRecord,
)
from competency.scoring import NOT_IN_ROLE, LevelTable
from competency.storage import DEFAULT_MAX_BYTES, parse_assessment, read_assessment_bytes

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from competency.assessment import Assessment
    from competency.framework.bundled import FrameworkResolver
    from competency.framework.model import Framework
    from competency.framework.profiles import Profile

Source = Literal["self", "review", "review-or-self"]
"""Whose ratings a batch scores: the person's own, the reviewer's (a file without a
review is refused), or ``review-or-self``: the reviewer's where the assessment is
reviewed (signed off), else the person's own, each record saying which it scored. Named
in the order the two are tried; a half-done review is not yet the reviewer's word, so it
falls back too."""

CHUNK = 64
"""Files per task: large enough that handing work out costs little, small enough that a
slow file does not hold back the output for long."""

START_METHOD = start_method()
"""How workers start: forked on Linux, spawned (a fresh interpreter, sent the framework
once) on macOS and Windows; see ``portable.start_method``. CI runs the batch tests both
ways, and ``bench/bench_score.py`` compares the two."""

IN_FLIGHT_PER_JOB = 3
"""Chunks queued per worker: enough to keep every worker busy, few enough to bound memory."""


# -- finding files -------------------------------------------------------------------------


def discover(paths: Iterable[str]) -> Iterator[str]:
    """Every input file in order: files as given, folders as their ``*.json`` sorted by path.

    A folder is walked lazily, one directory listing at a time, so a huge tree is never
    held in memory. Symlinked folders are followed once (a loop is not walked twice).
    Reports the tool exported beside the assessments (``*.report.json``) are not
    assessments and are left out of folders; a file named on the command line never is.
    A path that does not exist is yielded as given, so it is refused with its own line.
    """
    for given in paths:
        if os.path.isdir(given):
            yield from _walk(given)
        else:
            yield given


def _walk(folder: str) -> Iterator[str]:
    # A folder that cannot be listed is yielded itself, so it is refused with its own line
    # ("cannot read it") rather than its files silently left out.
    for path, _ in walk_files(folder, _is_assessment_name):
        yield path


def _is_assessment_name(name: str) -> bool:
    return is_json_name(name) and not is_report_name(name)


def shown_path(file: str) -> str:
    """``file`` as text any UTF-8 output can carry.

    Python holds the bytes of a file name that is not UTF-8 as lone surrogates, which
    cannot be written as UTF-8; they are shown as ``\\xNN`` instead.
    """
    if file.isascii():
        return file
    return file.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def count_files(paths: Iterable[str]) -> int:
    """How many files ``discover`` will yield (for a progress bar's total)."""
    return sum(1 for _ in discover(paths))


# -- scoring one file ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """How every file of a batch is scored."""

    threshold: float = DEFAULT_THRESHOLD
    source: Source = "self"
    max_bytes: int = DEFAULT_MAX_BYTES
    targets: bool = False
    """Add each person's targets (with the level reached) to the record, for summaries."""


def ratings_for(
    assessment: Assessment, source: Source, file: str
) -> tuple[dict[str, int | str], Literal["self", "review"]]:
    """The ratings to score (the person's own, or the reviewer's), and whose they are."""
    if source == "self":
        return assessment.ratings, "self"
    if source == "review-or-self":
        if assessment.status == "reviewed" and assessment.review is not None:
            return assessment.review.ratings, "review"
        return assessment.ratings, "self"
    if assessment.review is None:
        raise AssessmentError("has no review to score (--source review)", source=file)
    return assessment.review.ratings, "review"


class FrameworkSheet(LevelTable):
    """A framework prepared for writing thousands of JSON lines quickly.

    The levels come from ``LevelTable`` (SPEC 4 in ``competency.scoring``). Every JSON
    fragment a (step, answered) pair can give is encoded here once, so a JSON line is a
    join of ready-made pieces.
    """

    def __init__(self, framework: Framework, profile: Profile | None = None) -> None:
        super().__init__(framework, profile)
        self.frame: RecordFramework = {"id": framework.id, "version": framework.version}
        self.frame_json = json.dumps(self.frame, ensure_ascii=False).encode()
        # Only the steps an area can reach are encoded (not assessed, below, and the levels
        # holding its statements), and completions apart from them: the pieces grow with
        # the statements, never with areas x levels or levels x statements.
        self.area_json = tuple(
            {
                step: (
                    f'{encode_basestring(area_id)}: {{"title": {encode_basestring(title)}, '
                    f'"level": {encode_basestring(self.steps[step][0])}, '
                    f'"rank": {_rank_json(self.steps[step][1])}, "completion": '
                ).encode()
                for step in (start, 1, *(level[4] for level in levels))
            }
            for (area_id, title), (levels, _, _, start) in zip(
                self.groups[:-1], self.plan, strict=False
            )
        )
        """``area_json[area][step]``: the area's entry in a JSON line up to its completion."""
        self.completion_json = tuple(
            tuple(f"{_completion(answered, total)!r}}}".encode() for answered in range(total + 1))
            for total in self.totals
        )
        """``completion_json[group][answered]``: an area's completion and closing brace."""
        self.overall_json = tuple(
            (
                f', "overall": {{"level": {encode_basestring(level)}, "rank": {_rank_json(rank)}}}'
            ).encode()
            for level, rank in self.steps
        )
        """``overall_json[step]``: overall's level in a JSON line, after its completion."""


def _completion(answered: int, total: int) -> float:
    return round(answered / total, 4) if total else 0.0


class Scorer:
    """Scores files in this process, loading each framework once."""

    def __init__(self, frameworks: FrameworkResolver, options: ScoreOptions) -> None:
        self.frameworks = frameworks
        self.options = options
        self._sheets: dict[tuple[str, str | None], FrameworkSheet] = {}

    def sheet(self, framework: Framework, profile_id: str | None = None) -> FrameworkSheet:
        """The prepared framework (in role ``profile_id``, SPEC 9), made on first use."""
        key = (framework.id, profile_id)
        sheet = self._sheets.get(key)
        if sheet is None or sheet.framework is not framework:
            sheet = self._sheets[key] = FrameworkSheet(framework, framework.profile(profile_id))
        return sheet

    def _checked(
        self, file: str
    ) -> tuple[Assessment, FrameworkSheet, dict[str, int | str], Literal["self", "review"]]:
        """Read and check one file; raise ``CompetencyError`` if it is refused."""
        data = read_assessment_bytes(file, self.options.max_bytes)
        assessment = parse_assessment(data, file)
        framework = framework_for(assessment, file, self.frameworks)
        ratings, used = ratings_for(assessment, self.options.source, file)
        return assessment, self.sheet(framework, assessment.profile), ratings, used

    def record(self, file: str) -> Record:
        """Score one file into its record; every refusal becomes ``ok: false``."""
        shown = shown_path(file)
        try:
            assessment, sheet, ratings, used = self._checked(file)
        except CompetencyError as exc:
            return refused(shown, _shown_line(exc, file, shown))
        outcomes = sheet.outcomes(ratings, self.options.threshold)
        level, rank, completion = outcomes[-1]
        subject = assessment.subject
        person: RecordPerson = {"name": subject.name, "id": subject.id}
        if subject.unit is not None:
            person["unit"] = subject.unit  # an extension of SPEC 5; readers ignore it
        areas: dict[str, RecordArea] = {
            area_id: {
                "title": title,
                "level": area_level,
                "rank": area_rank,
                "completion": round(area_completion, 4),
            }
            for (area_id, title), (area_level, area_rank, area_completion) in zip(
                sheet.groups, outcomes[:-1], strict=False
            )
        }
        record: ScoredRecord = {
            "file": shown,
            "ok": True,
            "subject": person,
            "framework": sheet.frame.copy(),
            "status": assessment.status,
            "updated_at": stamp_text(assessment.updated_at),
            "completion": round(completion, 4),
            "overall": {"level": level, "rank": rank},
            "areas": areas,
        }
        if self.options.source != "self":
            record["source"] = used
        if assessment.profile is not None:
            record["profile"] = assessment.profile
        # The role profile's targets too (SPEC 9); none in an area outside the role.
        targets = targets_of(assessment, sheet.framework) if self.options.targets else {}
        if targets:
            record["targets"] = {
                area_id: {"level": key, "rank": sheet.rank_of_key[key]}
                for area_id, key in targets.items()
                if areas[area_id]["level"] != NOT_IN_ROLE
            }
        if self.options.targets and assessment.review is not None:
            record["review"] = review_record(assessment, sheet)
        return record

    def line(self, file: str) -> tuple[bytes, str | None]:
        """One file's record as its JSON line in UTF-8, and its refusal line if it was refused.

        The same text as ``json.dumps(record, ensure_ascii=False)``, joined from pieces
        encoded once per framework: at ten thousand files, building and encoding a dict
        per file is a good part of the time. Only the person's own text is encoded here.
        """
        shown = shown_path(file)
        try:
            assessment, sheet, ratings, used = self._checked(file)
        except CompetencyError as exc:
            line = _shown_line(exc, file, shown)
            return json.dumps(refused(shown, line), ensure_ascii=False).encode(), line
        walked = sheet.walk(ratings, self.options.threshold)
        area_json, completion_json = sheet.area_json, sheet.completion_json
        areas = b", ".join(
            [
                area_json[g][step] + completion_json[g][answered]
                for g, (step, answered) in enumerate(walked[:-1])
            ]
        )
        step, answered = walked[-1]
        subject = assessment.subject
        unit = "" if subject.unit is None else f', "unit": {encode_basestring(subject.unit)}'
        person = (
            f'{{"file": {encode_basestring(shown)}, "ok": true, "subject": {{"name": '
            f'{encode_basestring(subject.name)}, "id": {_text_json(subject.id)}{unit}}}, '
            '"framework": '
        )
        source = b"" if self.options.source == "self" else f', "source": "{used}"'.encode()
        if assessment.profile is not None:
            source += f', "profile": {encode_basestring(assessment.profile)}'.encode()
        return b"".join(
            (
                person.encode(),
                sheet.frame_json,
                b', "status": "',
                assessment.status.encode(),
                b'", "updated_at": ',
                _text_json(stamp_text(assessment.updated_at)).encode(),
                b', "completion": ',
                sheet.completion_json[-1][answered][:-1],
                sheet.overall_json[step],
                b', "areas": {',
                areas,
                b"}",
                source,
                b"}",
            )
        ), None


def review_record(assessment: Assessment, sheet: LevelTable) -> RecordReview:
    """How the reviewer's ratings compare with the person's, per area and overall (SPEC 10).

    Only summaries ask for it (``ScoreOptions.targets``), so ``score`` pays nothing.
    """
    assert assessment.review is not None
    own, theirs = assessment.ratings, assessment.review.ratings

    def compare(ids: Iterable[str]) -> RecordReviewArea:
        statements = difference = disagreements = 0
        for sid in ids:
            mine, other = own.get(sid), theirs.get(sid)
            if mine is None or other is None:
                continue
            if isinstance(mine, int) and isinstance(other, int):
                statements += 1
                difference += other - mine
            if disagree(mine, other):
                disagreements += 1
        return {"statements": statements, "difference": difference, "disagreements": disagreements}

    reviewer = assessment.review.reviewer
    return {
        "reviewer": {"name": reviewer.name, "id": reviewer.id},
        "areas": {area.id: compare(area.statement_ids) for area in sheet.framework.areas},
        "overall": compare(s.id for s in sheet.framework.statements),
    }


def _shown_line(exc: CompetencyError, file: str, shown: str) -> str:
    """The refusal's line, naming the file as ``shown_path`` shows it."""
    if exc.source == file:
        exc.source = shown
    return exc.line


def stamp_text(stamp: datetime | None) -> str | None:
    """A timestamp as the assessment file writes it: ISO 8601, ``Z`` for UTC."""
    return None if stamp is None else stamp.isoformat().replace("+00:00", "Z")


def _rank_json(rank: int | None) -> str:
    return "null" if rank is None else str(rank)


def _text_json(text: str | None) -> str:
    return "null" if text is None else encode_basestring(text)


def score_file(
    file: str,
    frameworks: FrameworkResolver,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    source: Source = "self",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Record:
    """Score one file into its record (one-off use; batches use ``score_batches``)."""
    options = ScoreOptions(threshold=threshold, source=source, max_bytes=max_bytes)
    return Scorer(frameworks, options).record(file)


def refused(file: str, line: str) -> RefusedRecord:
    """The record of a file that could not be scored."""
    return {"file": file, "ok": False, "error": line}


# -- scoring a batch ---------------------------------------------------------------------------


@dataclass(slots=True)
class Batch:
    """The outcome of one chunk of files, in input order.

    In ``lines`` mode ``text`` holds the chunk's JSON lines as UTF-8, ready to write to a
    binary stream in one go, and ``records`` is empty; otherwise ``records`` holds one
    record per file. ``errors`` are the refusal lines of the chunk, in order.
    """

    files: int
    text: bytes = b""
    records: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def score_chunk(scorer: Scorer, files: list[str], lines: bool) -> Batch:
    """Score a chunk of files into one ``Batch``."""
    if lines:
        encoded = [scorer.line(file) for file in files]
        # Encoded here, in the worker: the parent only passes the bytes on, and bytes cross
        # the pipe without being encoded to pickle them and decoded again to write them.
        text = b"".join([line + b"\n" for line, _ in encoded])
        errors = [error for _, error in encoded if error is not None]
        return Batch(len(files), text=text, errors=errors)
    records = [scorer.record(file) for file in files]
    errors = [record["error"] for record in records if not record["ok"]]
    return Batch(len(files), records=records, errors=errors)


def default_jobs() -> int:
    """The number of processors this process may run on."""
    return available_cpus()


def score_batches(
    files: Iterable[str],
    frameworks: FrameworkResolver,
    options: ScoreOptions,
    *,
    jobs: int | None = None,
    lines: bool = False,
) -> Iterator[Batch]:
    """Score ``files`` on ``jobs`` processes, yielding chunks in input order.

    Each worker has at most ``IN_FLIGHT_PER_JOB`` chunks queued, and at most as many more
    finished ahead of their turn wait here; files are pulled from ``files`` only as chunks
    are handed out. So memory does not grow with the number of files. A batch that fits
    in one chunk is scored in this process: starting workers would cost more than it saves.
    """
    jobs = jobs or default_jobs()
    source = iter(files)
    first = list(islice(source, CHUNK))
    if jobs == 1 or len(first) < CHUNK:
        scorer = Scorer(frameworks, options)
        chunk = first
        while chunk:
            yield score_chunk(scorer, chunk, lines)
            chunk = list(islice(source, CHUNK))
        return
    workers = _Workers(jobs, frameworks, options)
    try:
        done: dict[int, Batch] = {}
        sent = wanted = 0
        chunk = first
        while chunk or wanted < sent:
            while chunk and workers.has_room():
                workers.send(sent, chunk, lines)
                sent += 1
                chunk = list(islice(source, CHUNK))
            while wanted not in done:
                done.update(workers.receive())
            yield done.pop(wanted)
            wanted += 1
    finally:
        workers.close()


class _Workers:
    """Worker processes, each fed chunks through its own pipe.

    One pipe per worker and ``multiprocessing.connection.wait`` in this thread: no helper
    threads, which in ``multiprocessing.Pool`` cost this process a tenth of the workers'
    time in lock hand-offs. A worker holds at most ``IN_FLIGHT_PER_JOB`` small task
    messages, so sending to it never blocks.
    """

    def __init__(self, jobs: int, frameworks: FrameworkResolver, options: ScoreOptions) -> None:
        # Any: typeshed's BaseContext has no Process on Windows, though every context has.
        context: Any = multiprocessing.get_context(START_METHOD)
        self.pipes: list[Connection] = []
        self.processes: list[BaseProcess] = []
        self.busy: dict[Connection, int] = {}
        # Pickled once for all the workers: each is sent the same bytes.
        setup = pickle.dumps((frameworks, options, protected_outputs()))
        # Forked workers (the bench's baseline) share this process's pages: freezing the
        # objects that exist now keeps their collectors from walking (so copying) them.
        forked = START_METHOD == "fork"
        if forked:
            gc.freeze()
        try:
            for _ in range(jobs):
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, setup), daemon=True)
                process.start()
                theirs.close()
                self.pipes.append(ours)
                self.processes.append(process)
                self.busy[ours] = 0
        except BaseException:  # stopped while starting them: stop the ones already started
            self.close()
            raise
        finally:
            if forked:
                gc.unfreeze()

    def has_room(self) -> bool:
        return min(self.busy.values()) < IN_FLIGHT_PER_JOB

    def send(self, number: int, files: list[str], lines: bool) -> None:
        """Give chunk ``number`` to the least busy worker."""
        pipe = min(self.pipes, key=self.busy.__getitem__)
        try:
            pipe.send((number, files, lines))
        except OSError:  # a broken pipe: the worker is gone
            raise _worker_gone() from None
        self.busy[pipe] += 1

    def receive(self) -> dict[int, Batch]:
        """Wait for finished chunks and return them by number."""
        waiting = [pipe for pipe in self.pipes if self.busy[pipe]]
        finished: dict[int, Batch] = {}
        for pipe in wait(waiting):
            assert isinstance(pipe, Connection)
            try:
                number, outcome = pipe.recv()
            except (EOFError, OSError):  # the pipe closed: the worker is gone
                raise _worker_gone() from None
            if isinstance(outcome, str):
                raise RuntimeError(f"a scoring process failed:\n{outcome}")
            self.busy[pipe] -= 1
            finished[number] = outcome
        return finished

    def close(self) -> None:
        """Stop every worker: politely when idle, at once when interrupted mid-batch."""
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            if self.busy[pipe]:
                process.terminate()
            else:
                with contextlib.suppress(OSError):
                    pipe.send(None)
        for pipe, process in zip(self.pipes, self.processes, strict=True):
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
            pipe.close()


def _worker_gone() -> CompetencyError:
    # Not an OSError: the command line reads a BrokenPipeError as "stdout was closed".
    return CompetencyError(
        "a scoring process stopped unexpectedly (out of memory, or killed); "
        "the output is incomplete"
    )


def _serve(pipe: Connection, setup: bytes) -> None:
    """A worker's life: score each chunk it is sent, until it is sent ``None``.

    A worker whose parent died finds its pipe closed at its next read or write, and ends.
    """
    # Ctrl-C reaches every process of the terminal's group; only the parent should act on
    # it (stop handing out work, say "interrupted"), not each worker with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # TERM and HUP (BREAK) stop the parent, which stops its workers; a worker just dies.
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    die_with_parent()
    frameworks, options, outputs = pickle.loads(setup)
    protect_identities(outputs)
    scorer = Scorer(frameworks, options)
    with contextlib.suppress(EOFError, OSError):  # the parent is gone: nobody to answer
        while (task := pipe.recv()) is not None:
            number, files, lines = task
            try:
                outcome: Batch | str = score_chunk(scorer, files, lines)
            except Exception:  # a bug, not bad input: report it to the parent whole
                outcome = traceback.format_exc()
            pipe.send((number, outcome))
