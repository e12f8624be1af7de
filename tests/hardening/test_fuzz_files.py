"""Fuzzing what issue 10 found the first fuzzers missed.

- TOML nested to any depth, in arrays and inline tables: a value or one line.
- Folder trees of any depth: walked without recursion, every file found once.
- Unknown fields holding null, NaN and Infinity anywhere: kept byte for value by a save.
- A disk that fills at a random write: one line (or an undone change), never a
  traceback; the file on disk is always one complete version; no temporary file stays.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competency.cli import main
from competency.errors import CompetencyError
from competency.files import walk_files
from competency.framework.model import Framework, load_area_map
from competency.session import SaveFailed, Session
from competency.storage import AssessmentStore, load_assessment, parse_assessment
from tests.conftest import assessment_doc, remove_tree

FILE_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40
)


def one_line(exc: CompetencyError) -> str:
    line = exc.line
    assert "\n" not in line and line.isprintable(), line
    return line


# -- TOML nesting -------------------------------------------------------------------


@FILE_SETTINGS
@given(
    depth=st.integers(min_value=1, max_value=3000),
    opens=st.lists(st.sampled_from(["[", "{a="]), min_size=1, max_size=3),
    where=st.sampled_from(["x = {}", "[[areas]]\nid = 'a'\ntitle = 'A'\nstatements = {}"]),
)
def test_toml_nested_to_any_depth_is_a_value_or_one_line(
    tmp_path: Path, depth: int, opens: list[str], where: str
) -> None:
    inner, outer = "1", []
    for i in range(depth):
        opening = opens[i % len(opens)]
        outer.append(opening)
    closing = "".join("]" if o == "[" else "}" for o in reversed(outer))
    value = "".join(outer) + inner + closing
    path = tmp_path / "deep.areas.toml"
    path.write_text(where.format(value), encoding="utf-8")
    try:
        load_area_map(path)
    except CompetencyError as exc:
        one_line(exc)


# -- deep folder trees -----------------------------------------------------------------


@settings(
    deadline=None, max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(depth=st.sampled_from([1, 7, 120, 999, 1500]), files_at=st.sets(st.integers(0, 1500)))
def test_a_tree_of_any_depth_is_walked_without_recursion(
    tmp_path_factory: pytest.TempPathFactory, depth: int, files_at: set[int]
) -> None:
    root = tmp_path_factory.mktemp("tree")
    expected = []
    here = os.getcwd()
    os.chdir(root)
    try:
        relative = ""
        for level in range(depth + 1):
            if level in files_at or level == depth:
                Path("a.json").write_text("{}", encoding="utf-8")
                expected.append(os.path.join(str(root), relative, "a.json").replace("//", "/"))
            if level < depth:
                os.mkdir("d")
                os.chdir("d")
                relative = os.path.join(relative, "d")
    finally:
        os.chdir(here)
    found = [path for path, error in walk_files(str(root), lambda n: n.endswith(".json"))]
    remove_tree(root)
    assert [os.path.normpath(p) for p in found] == [os.path.normpath(p) for p in expected]


# -- unknown fields with null and non-finite values ---------------------------------

ODD = st.recursive(
    st.none()
    | st.sampled_from([math.nan, math.inf, -math.inf])
    | st.floats(allow_nan=True)
    | st.integers()
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=10,
)
PLACES = ("top", "subject", "framework", "history", "review", "reviewer")


def same(a: Any, b: Any) -> bool:
    """Equal as values, NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def place(doc: dict[str, Any], where: str) -> dict[str, Any]:
    if where == "top":
        return doc
    if where in ("subject", "framework"):
        return doc[where]  # type: ignore[no-any-return]
    if where == "history":
        doc["history"] = [{"action": "created", "at": "2026-01-01T00:00:00Z"}]
        return doc["history"][0]  # type: ignore[no-any-return]
    doc["review"] = {"reviewer": {"name": "Rae"}}
    return doc["review"] if where == "review" else doc["review"]["reviewer"]  # type: ignore[no-any-return]


@FILE_SETTINGS
@given(
    extras=st.dictionaries(
        st.text(min_size=1, max_size=6).map(lambda k: "x_" + k), ODD, min_size=1, max_size=4
    ),
    where=st.sampled_from(PLACES),
)
def test_unknown_fields_survive_a_save_byte_for_value(
    tmp_path: Path, librarians: Framework, extras: dict[str, Any], where: str
) -> None:
    doc = assessment_doc(librarians, {})
    place(doc, where).update(extras)
    path = tmp_path / "ada.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # NaN/Infinity as Python writes them
    store = AssessmentStore(path)
    store.save(store.load())
    back = json.loads(path.read_text(encoding="utf-8"))
    holder = back if where == "top" else _find(back, where)
    for key, value in extras.items():
        assert same(holder[key], value), (key, holder.get(key), value)


def _find(doc: dict[str, Any], where: str) -> dict[str, Any]:
    if where in ("subject", "framework"):
        return doc[where]  # type: ignore[no-any-return]
    if where == "history":
        return doc["history"][0]  # type: ignore[no-any-return]
    return doc["review"] if where == "review" else doc["review"]["reviewer"]  # type: ignore[no-any-return]


# -- a disk that fills at a random write ----------------------------------------------


class DiskFull:
    """Every write (``os.write``, file objects from ``os.fdopen``/``open``, ``fsync``)
    counts; the ``fail_at``-th and every later one raise ENOSPC, as a full disk does."""

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.calls = 0

    def tick(self) -> None:
        self.calls += 1
        if self.calls >= self.fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _Counted:
    def __init__(self, handle: Any, disk: DiskFull) -> None:
        self._handle = handle
        self._disk = disk

    def write(self, data: Any) -> int:
        self._disk.tick()
        return int(self._handle.write(data))

    def flush(self) -> None:
        self._disk.tick()
        self._handle.flush()

    def __enter__(self) -> _Counted:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@contextlib.contextmanager
def disk_full(monkeypatch: pytest.MonkeyPatch, fail_at: int) -> Iterator[DiskFull]:
    disk = DiskFull(fail_at)
    real_write, real_fsync, real_fdopen = os.write, os.fsync, os.fdopen

    def write(fd: int, data: Any) -> int:
        disk.tick()
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        disk.tick()
        real_fsync(fd)

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(fd, *args, **kwargs)
        return (
            _Counted(handle, disk)
            if "w" in (args[0] if args else kwargs.get("mode", "r"))
            else handle
        )

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", write)
        patch.setattr(os, "fsync", fsync)
        patch.setattr(os, "fdopen", fdopen)
        yield disk


def no_temporary_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


@FILE_SETTINGS
@given(fail_at=st.integers(min_value=1, max_value=12))
def test_a_session_on_a_full_disk_undoes_the_change_and_keeps_the_file(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    librarians: Framework,
    fail_at: int,
) -> None:
    folder = tmp_path_factory.mktemp("disk")
    path = folder / "ada.json"
    first = librarians.statements[0].id
    path.write_text(json.dumps(assessment_doc(librarians, {first: 1})), encoding="utf-8")
    before = path.read_bytes()
    store = AssessmentStore(path)
    with disk_full(monkeypatch, fail_at):
        try:
            store.acquire()
            session = Session(librarians, store.load(), store)
            session.rate(first, 4)
            session.rate(first, 2)
        except (SaveFailed, CompetencyError) as exc:
            one_line(exc)
    store.release()
    now = path.read_bytes()
    assert now == before or load_assessment(path).ratings[first] in (4, 2)
    parse_assessment(now, str(path))
    no_temporary_files(folder)


@FILE_SETTINGS
@given(fail_at=st.integers(min_value=1, max_value=40), fmt=st.sampled_from(["html", "md", "json"]))
def test_a_report_on_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    librarians: Framework,
    fail_at: int,
    fmt: str,
) -> None:
    folder = tmp_path_factory.mktemp("disk")
    path = folder / "ada.json"
    path.write_text(json.dumps(assessment_doc(librarians, {})), encoding="utf-8")
    out = folder / f"ada.report.{fmt}"
    out.write_bytes(b"the earlier report")
    with disk_full(monkeypatch, fail_at) as disk:
        code = main(["report", str(path), "--format", fmt, "--output", str(out)])
    assert code in (0, 2)
    if code == 2:
        assert disk.calls >= fail_at
        assert out.read_bytes() == b"the earlier report"
    no_temporary_files(folder)


@FILE_SETTINGS
@given(
    fail_at=st.integers(min_value=1, max_value=60), fmt=st.sampled_from(["csv", "xlsx", "jsonl"])
)
def test_score_on_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    librarians: Framework,
    capsys: pytest.CaptureFixture[str],
    fail_at: int,
    fmt: str,
) -> None:
    folder = tmp_path_factory.mktemp("disk")
    path = folder / "ada.json"
    path.write_text(json.dumps(assessment_doc(librarians, {})), encoding="utf-8")
    out = folder / f"levels.{fmt}"
    with disk_full(monkeypatch, fail_at):
        code = main(["score", str(path), "--format", fmt, "--output", str(out), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code in (0, 2)
    if code == 2:
        assert err == f"competency: {out}: cannot write it (No space left on device)\n"
        assert not out.exists()
    no_temporary_files(folder)
