"""Issue 10: every promise of the README's Security section, tried as an attacker would.

Each test is one case of a class: outputs never replace inputs (by any route), devices
are never renamed over, the lock follows the real file, other programs' temporary files
are left alone, unknown fields survive byte for value, and personnel data is private.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from competency.cli import main
from competency.errors import AssessmentError
from competency.files import atomic_writer, write_atomic
from competency.framework.model import Framework
from competency.storage import AssessmentChanged, AssessmentLocked, AssessmentStore
from tests.conftest import REPO, assessment_doc, remove_tree

FRAMEWORK = REPO / "frameworks" / "librarians-25-4022.00.json"
AREAS = REPO / "frameworks" / "librarians-25-4022.00.areas.toml"


def write_doc(path: Path, doc: dict[str, object]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def doc(librarians: Framework, name: str = "Maya Okafor", **extra: object) -> dict[str, object]:
    ids = [s.id for s in librarians.statements]
    found = assessment_doc(librarians, dict.fromkeys(ids[:10], 3), **extra)
    found["subject"] = {"name": name}
    return found


@pytest.fixture
def maya(tmp_path: Path, librarians: Framework) -> Path:
    return write_doc(tmp_path / "maya.json", doc(librarians))


@pytest.fixture
def framework_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "fw"
    folder.mkdir()
    shutil.copy(FRAMEWORK, folder / "fw.json")
    shutil.copy(AREAS, folder / "fw.areas.toml")
    return folder / "fw.json"


# -- 1: every file the command reads is an input --------------------------------------


@pytest.mark.parametrize("command", ["report", "score", "summary", "compare"])
@pytest.mark.parametrize("which", ["framework", "areas", "beside"])
def test_output_never_replaces_the_framework_or_its_area_map(
    maya: Path, framework_copy: Path, command: str, which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    beside = framework_copy.with_name("fw.areas.toml")
    target = framework_copy if which == "framework" else beside
    before = target.read_bytes()
    args = [command, str(maya)] + ([str(maya)] if command == "compare" else [])
    fmt = "jsonl" if command == "score" else "json"
    args += ["--framework", str(framework_copy), "--format", fmt, "--output", str(target)]
    if which == "areas":
        args += ["--areas", str(beside)]
    assert main(args) == 2
    assert target.read_bytes() == before
    assert "would replace it" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["score", "summary"])
@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_output_never_replaces_a_file_a_scored_folder_links_to(
    tmp_path: Path,
    librarians: Framework,
    command: str,
    link: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    precious = write_doc(tmp_path / "precious.json", doc(librarians))
    before = precious.read_bytes()
    team = tmp_path / "team"
    team.mkdir()
    write_doc(team / "ada.json", doc(librarians, "Ada"))
    if link == "symlink":
        (team / "maya.json").symlink_to(precious)
    else:
        os.link(precious, team / "maya.json")
    fmt = "csv" if command == "score" else "json"
    code = main([command, str(team), "--format", fmt, "--output", str(precious), "--jobs", "1"])
    assert code == 2
    assert precious.read_bytes() == before
    err = capsys.readouterr().err
    assert "maya.json: is also the --output file" in err
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_never_replaces_a_symlinked_assessment_named_on_the_command_line(
    tmp_path: Path, maya: Path
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(maya)
    before = maya.read_bytes()
    assert main(["report", str(link), "--format", "json", "--output", str(maya)]) == 2
    assert maya.read_bytes() == before


# -- 2: devices are written in place ----------------------------------------------------


def test_an_output_that_is_not_a_regular_file_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, b"through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # not replaced by a regular file
    assert os.listdir(tmp_path) == ["pipe"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_as_output_stays_a_device(tmp_path: Path, maya: Path) -> None:
    # A null device of the test's own (never the real /dev/null: a regression of this
    # very bug, run as root, would replace it for the whole machine).
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert main(["report", str(maya), "--format", "json", "--output", str(null)]) == 0
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_dev_stdout_as_output_is_written_in_place(tmp_path: Path, maya: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")  # stdout is a pipe here: the pipe is written
    command = [sys.executable, "-m", "competency", "report", str(maya), "--format", "json"]
    done = subprocess.run(
        [*command, "--output", str(link)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert '"schema": "competency-report/1"' in done.stdout
    assert link.is_symlink()


# -- 7: personnel data is private -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "html", "md"])
def test_a_new_report_is_readable_by_its_owner_only(tmp_path: Path, maya: Path, fmt: str) -> None:
    out = tmp_path / f"maya.report.{fmt}"
    old = os.umask(0o002)
    try:
        assert main(["report", str(maya), "--format", fmt, "--output", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_symlinked_output_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_writer(link) as out:
        out.write(b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


# -- 3: the change check has no window ----------------------------------------------


def test_a_write_between_the_last_check_and_the_rename_is_caught(
    tmp_path: Path, librarians: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    import competency.files as files

    path = write_doc(tmp_path / "ada.json", doc(librarians))
    store = AssessmentStore(path)
    store.acquire()
    assessment = store.load()
    real_exchange = files._exchange

    def outside_writes_first(tmp: str, target: Path) -> bool:
        # Another program writes in the last instant before the rename.
        target.write_bytes(target.read_bytes().replace(b"Maya", b"Mara"))
        monkeypatch.setattr(files, "_exchange", real_exchange)
        return real_exchange(tmp, target)

    monkeypatch.setattr(files, "_exchange", outside_writes_first)
    assessment.ratings["emerging.1"] = 0
    with pytest.raises(AssessmentChanged):
        store.save(assessment)
    assert b"Mara" in path.read_bytes()  # the other program's version is what stays
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    store.release()


def test_a_write_after_the_new_version_is_on_disk_is_caught(
    tmp_path: Path, librarians: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    import competency.files as files

    path = write_doc(tmp_path / "ada.json", doc(librarians))
    store = AssessmentStore(path)
    store.acquire()
    assessment = store.load()
    real_fsync = os.fsync

    def outside_writes_during_fsync(fd: int) -> None:
        real_fsync(fd)
        path.write_bytes(path.read_bytes().replace(b"Maya", b"Mara"))

    monkeypatch.setattr(files.os, "fsync", outside_writes_during_fsync)
    with pytest.raises(AssessmentChanged):
        store.save(assessment)
    monkeypatch.setattr(files.os, "fsync", real_fsync)
    assert b"Mara" in path.read_bytes()
    store.release()


# -- 4: the lock and the save follow the real file ---------------------------------


def test_a_symlink_takes_the_same_lock_and_stays_a_symlink(
    tmp_path: Path, librarians: Framework
) -> None:
    real = write_doc(tmp_path / "ada.json", doc(librarians))
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    first = AssessmentStore(real)
    first.acquire()
    with pytest.raises(AssessmentLocked):
        AssessmentStore(link).acquire()
    first.release()
    via_link = AssessmentStore(link)
    via_link.acquire()
    assessment = via_link.load()
    assessment.ratings["emerging.1"] = 0
    via_link.save(assessment)
    via_link.release()
    assert link.is_symlink()
    assert json.loads(real.read_text())["ratings"]["emerging.1"] == 0


def test_a_hard_linked_file_is_refused_not_split(tmp_path: Path, librarians: Framework) -> None:
    real = write_doc(tmp_path / "ada.json", doc(librarians))
    os.link(real, tmp_path / "other.json")
    store = AssessmentStore(tmp_path / "other.json")
    store.acquire()
    with pytest.raises(AssessmentError, match="2 names \\(hard links\\)"):
        store.load()
    store.release()


# -- 5: only this tool's own debris is removed ------------------------------------


def test_opening_leaves_other_programs_temporary_files_alone(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_doc(tmp_path / "sam.json", doc(librarians))
    others = [
        tmp_path / ".sam.json.csv.0123456789ab.tmp",  # `score --output sam.json.csv`
        tmp_path / ".sam.json.backup.tmp",
        tmp_path / ".sam.json.0123456789abcdef.tmp",
    ]
    for other in others:
        other.write_bytes(b"someone else's")
    debris = tmp_path / ".sam.json.0123456789ab.tmp"
    debris.write_bytes(b"a killed save")
    with AssessmentStore(path):
        pass
    assert all(other.exists() for other in others)
    assert not debris.exists()


def test_opening_leaves_a_live_save_of_the_same_name_alone(
    tmp_path: Path, librarians: Framework
) -> None:
    path = write_doc(tmp_path / "sam.json", doc(librarians))
    with atomic_writer(path) as out:  # another process's save, still writing
        out.write(b"{}")
        live = [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
        with AssessmentStore(path):
            pass
        assert all(p.exists() for p in live) and live


# -- 13: long file names ---------------------------------------------------------------


@pytest.mark.parametrize("length", [238, 246, 255])
def test_a_file_with_a_name_up_to_255_bytes_can_be_saved(
    tmp_path: Path, librarians: Framework, length: int
) -> None:
    path = tmp_path / ("a" * (length - len(".json")) + ".json")
    write_doc(path, doc(librarians))
    with AssessmentStore(path) as store:
        assessment = store.load()
        assessment.ratings["emerging.1"] = 1
        store.save(assessment)
    assert json.loads(path.read_text())["ratings"]["emerging.1"] == 1
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_long_non_ascii_name_is_shortened_on_a_byte_budget(tmp_path: Path) -> None:
    path = tmp_path / ("é" * 125 + ".csv")  # 255 bytes in UTF-8
    write_atomic(path, b"x")
    assert path.read_bytes() == b"x"


# -- 6: unknown fields survive byte for value ---------------------------------------


def test_unknown_nulls_and_non_finite_numbers_survive_a_save(
    tmp_path: Path, librarians: Framework
) -> None:
    found = doc(librarians)
    found["subject"]["badge"] = None  # type: ignore[index]
    found["framework"]["mirror"] = None  # type: ignore[index]
    found["history"] = [{"action": "created", "at": "2026-01-01T00:00:00Z", "device": None}]
    text = (
        json.dumps(found)[:-1] + ', "x_null": null, "x_nan": NaN, "x_inf": [Infinity, -Infinity]}'
    )
    path = tmp_path / "ada.json"
    path.write_text(text, encoding="utf-8")
    with AssessmentStore(path) as store:
        assessment = store.load()
        assessment.ratings["emerging.1"] = 0
        store.save(assessment)
    saved = path.read_text(encoding="utf-8")
    back = json.loads(saved)
    assert back["subject"]["badge"] is None and back["framework"]["mirror"] is None
    assert back["history"][0]["device"] is None
    assert back["x_null"] is None
    assert '"x_nan": NaN' in saved
    assert back["x_inf"] == [float("inf"), float("-inf")]
    assert list(back)[-3:] == ["x_null", "x_nan", "x_inf"]  # in the file's order


# -- smaller: another tool's history, "schema_" -----------------------------------


def test_a_history_action_another_tool_wrote_is_kept_and_ignored(
    tmp_path: Path, librarians: Framework
) -> None:
    found = doc(librarians, history=[{"action": "archived", "at": "2026-01-01T00:00:00Z"}])
    path = write_doc(tmp_path / "ada.json", found)
    with AssessmentStore(path) as store:
        assessment = store.load()
        store.save(assessment)
    assert json.loads(path.read_text())["history"][0]["action"] == "archived"
    assert main(["report", str(path), "--format", "json", "--output", str(tmp_path / "r")]) == 0


def test_schema_underscore_is_not_the_schema(tmp_path: Path, librarians: Framework) -> None:
    found = doc(librarians)
    found["schema_"] = found.pop("schema")
    path = write_doc(tmp_path / "ada.json", found)
    with pytest.raises(AssessmentError, match="schema"):
        AssessmentStore(path).load()


# -- 11: CSV and Markdown printed to a terminal get the terminal policy ------------


def run_on_a_terminal(args: list[str]) -> bytes:
    """Run the command with stdout on a pseudo-terminal; return what reached it."""
    import pty

    controller, terminal = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "competency", *args],
        stdout=terminal,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "200"},
    )
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's other end is closed: all read
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert done.returncode in (0, 1), done.stderr
    return seen


HOSTILE = "Eve \x1b]2;HACKED\x07\x1b[2J\r\u202eend"


@pytest.mark.parametrize(
    "args",
    [
        ["score", "--format", "csv"],
        ["summary", "--format", "csv"],
        ["summary", "--format", "md"],
        ["score", "--format", "jsonl"],
        ["report", "--format", "md"],
    ],
)
def test_data_formats_printed_to_a_terminal_carry_no_escape_sequence(
    tmp_path: Path, librarians: Framework, framework_copy: Path, args: list[str]
) -> None:
    # The attack in the person's name and note, and in the framework's first level label.
    fw = json.loads(framework_copy.read_text(encoding="utf-8"))
    first = next(iter(fw["framework"]["levels"].values()))
    first["label"] = HOSTILE
    framework_copy.write_text(json.dumps(fw), encoding="utf-8")
    hostile = doc(librarians, HOSTILE, notes={"emerging.1": HOSTILE})
    del hostile["framework"]["fingerprint"]  # type: ignore[attr-defined]
    path = write_doc(tmp_path / "eve.json", hostile)
    shown = run_on_a_terminal([args[0], str(path), *args[1:], "--framework", str(framework_copy)])
    assert b"HACKED" in shown  # the text is there, shown
    assert b"\x1b" not in shown and "\u202e".encode() not in shown


def test_csv_written_to_a_file_keeps_the_data(tmp_path: Path, librarians: Framework) -> None:
    path = write_doc(tmp_path / "eve.json", doc(librarians, "Eve \x1b end"))
    out = tmp_path / "levels.csv"
    assert main(["score", str(path), "--format", "csv", "--output", str(out)]) == 0
    assert "Eve \x1b end" in out.read_text(encoding="utf-8")


# -- smaller: formula starts behind any blank --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        " =1+1",
        "\n=1+1",
        "\r\n+1",
        "\u2003-1",
        "\u200b@SUM(A1)",
        "\ufeff=1",
        "＝1",
        "＋1",
        "－1",
        "＠x",
    ],
)
def test_a_formula_behind_any_blank_or_in_full_width_is_written_as_text(text: str) -> None:
    from competency.text import cell

    assert cell(text) == "'" + text


# -- 12: one line, never a traceback --------------------------------------------------


@pytest.mark.parametrize(
    "nest", ["[" * 500 + "]" * 500, "{a=" * 500 + "1" + "}" * 500], ids=["arrays", "tables"]
)
@pytest.mark.parametrize("command", ["validate", "score", "report"])
def test_an_area_map_nested_500_deep_is_one_line(
    tmp_path: Path, maya: Path, nest: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    areas = tmp_path / "deep.areas.toml"
    areas.write_text(f"x = {nest}\n", encoding="utf-8")
    args = [command, str(areas)] if command == "validate" else [command, str(maya)]
    if command != "validate":
        args += ["--areas", str(areas)]
    if command == "report":
        args += ["--format", "json"]
    assert main(args) in (1, 2)
    out = capsys.readouterr()
    assert "nested too deeply" in out.out + out.err


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_xlsx_on_a_full_disk_is_one_line(tmp_path: Path, maya: Path) -> None:
    full = tmp_path / "full"  # the test's own /dev/full: never the machine's
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    command = ["score", str(maya), "--format", "xlsx", "--output", str(full)]
    done = subprocess.run(
        [sys.executable, "-m", "competency", *command],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 2
    assert done.stderr == f"competency: {full}: cannot write it (No space left on device)\n"


@pytest.fixture
def deep_tree(tmp_path: Path, librarians: Framework) -> Iterator[Callable[[int], Path]]:
    """Makes ``tmp_path/tree/d/d/.../d/ada.json``, ``depth`` folders deep, and removes it.

    Relative steps keep the paths short. The tree is removed here, level by level: pytest's
    own clean-up (a recursive ``rmtree``) would run out of stack on it.
    """
    made: list[tuple[Path, int]] = []

    def make(depth: int) -> Path:
        folder = tmp_path / f"tree{len(made)}"
        folder.mkdir()
        with _inside(folder):
            for _ in range(depth):
                os.mkdir("d")
                os.chdir("d")
            write_doc(Path("ada.json"), doc(librarians, "Ada"))
        made.append((folder, depth))
        return folder

    yield make
    for folder, _ in made:
        remove_tree(folder)


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def test_validate_walks_a_tree_1000_folders_deep(
    deep_tree: Callable[[int], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    tree = deep_tree(1000)
    assert main(["validate", str(tree)]) == 0
    assert capsys.readouterr().out.count("ok       ") == 1


@pytest.mark.parametrize("command", ["score", "summary"])
def test_score_walks_a_tree_1000_folders_deep(
    deep_tree: Callable[[int], Path], command: str
) -> None:
    tree = deep_tree(1000)
    assert main([command, str(tree), "--jobs", "1"]) == 0


def test_validate_names_a_folder_it_cannot_read(
    tmp_path: Path,
    librarians: Framework,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    team = tmp_path / "team"
    (team / "locked").mkdir(parents=True)
    write_doc(team / "ada.json", doc(librarians, "Ada"))
    real_scandir = os.scandir

    def scandir(path: str) -> object:  # as root, mode 000 does not stop a listing
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["validate", str(team)]) == 1
    out = capsys.readouterr().out
    assert f"invalid  {team / 'locked'}: cannot read the folder (Permission denied)" in out
    assert "ok       " in out


def test_a_hostile_output_name_in_an_error_is_shown_escaped(
    tmp_path: Path, maya: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `for f in team/*; do competency report "$f" --output "$f.html"; done` on a file
    # named by someone else: the name reaches the error line.
    import socket

    name = tmp_path / "\x1b]2;HACKED\x07.html"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(name))  # a socket: opening it to write fails (ENXIO)
    listener.close()
    assert main(["report", str(maya), "--format", "html", "--output", str(name)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]2;HACKED\\x07.html" in err


def test_a_shortened_name_never_cuts_a_character_in_two(tmp_path: Path) -> None:
    from competency.files import hidden_name

    shortened = hidden_name("é" * 127 + ".json", ".lock")
    assert len(os.fsencode(shortened)) <= 255
    assert shortened.encode("utf-8")  # whole characters only: valid UTF-8


@pytest.mark.parametrize(
    "which", ["librarians-25-4022.00.json", "librarians-25-4022.00.areas.toml"]
)
def test_output_never_replaces_a_bundled_framework_or_its_map(
    tmp_path: Path, maya: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    import competency.framework.bundled as bundled

    folder = tmp_path / "bundled"  # a copy: the real bundled files are never at risk
    shutil.copytree(FRAMEWORK.parent, folder)
    monkeypatch.setattr(bundled, "bundled_folder", lambda: folder)
    bundled._shipped.cache_clear()
    try:
        target = folder / which
        before = target.read_bytes()
        assert main(["report", str(maya), "--format", "json", "--output", str(target)]) == 2
        assert target.read_bytes() == before
    finally:
        bundled._shipped.cache_clear()
