"""`validate`, `frameworks` and `--help`: what a new user meets first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from competency.cli import COMMANDS, build_parser, main
from competency.framework.model import Framework
from tests.conftest import EXAMPLES, LIBRARIANS, REPO, assessment_doc, write_framework


def test_validate_accepts_the_bundled_framework_its_map_and_the_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["validate", str(LIBRARIANS), str(LIBRARIANS.with_suffix(".areas.toml")), str(EXAMPLES)]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith("ok ") and "4 levels, 40 statements, 7 areas" in out[0]
    assert "7 areas covering all 40 statements" in out[1]
    assert sum("assessment of" in line for line in out) == len(list(EXAMPLES.glob("*.json")))


def test_validate_names_each_bad_file_and_exits_1(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(assessment_doc(librarians, {"advanced.3": 2.5})))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(assessment_doc(librarians, {"advanced.3": 2})))
    fw = write_framework(
        tmp_path,
        {"a": ["x"]},
        areas="[[areas]]\nid='z'\ntitle='Z'\nstatements=['a.2']\n",
        name="mine",
    )
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}')
    code = main(["validate", str(tmp_path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert f"invalid  {bad}: ratings.advanced.3: a rating is a whole number" in out[0]
    assert out[1].startswith(f"ok       {good}: assessment of 'Ada Example'")
    assert out[2].startswith(f"invalid  {fw.with_suffix('.areas.toml')}: areas.0.statements.0")
    assert out[3].startswith(f"invalid  {fw.with_suffix('.areas.toml')}: areas.0.statements.0")
    assert out[4].startswith(f"invalid  {other}: neither a framework")


def test_validate_an_area_map_without_its_framework(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lone = tmp_path / "lone.areas.toml"
    lone.write_text("[[areas]]\nid='z'\ntitle='Z'\nstatements=['a.1']\n")
    assert main(["validate", str(lone)]) == 0
    assert "no framework beside it" in capsys.readouterr().out


def test_frameworks_lists_the_bundled_one_with_its_credit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out
    assert "25-4022.00  Librarians and Media Collections Specialists (v.26.05)" in out
    assert "Emerging → Developing → Proficient → Advanced" in out
    assert "40 in 7 areas" in out
    assert "CC BY 4.0" in out


def test_every_command_has_help_with_an_example() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    choices = subparsers.choices  # type: ignore[attr-defined]
    assert {"score", "validate", "frameworks"} <= set(choices)
    # Each command comes from a module in COMMANDS (`import` from import_framework.py).
    # A command with commands of its own (`keys new`) has its run on those.
    runs = [sub.get_default("run") for sub in choices.values()]
    modules = {run.__module__.rsplit(".", 1)[1] for run in runs if run is not None}
    assert modules <= set(COMMANDS)
    for name, sub in choices.items():
        text = sub.format_help()
        assert "examples:" in text, name
        assert f"competency {name}" in text.split("examples:")[1], name


def test_a_named_command_builds_only_its_own_parser_with_the_same_help() -> None:
    every = next(a for a in build_parser()._actions if a.dest == "command")
    for name, full in every.choices.items():  # type: ignore[attr-defined]
        alone = next(a for a in build_parser([name, "x"])._actions if a.dest == "command")
        assert list(alone.choices) == [name], name  # type: ignore[attr-defined]
        assert alone.choices[name].format_help() == full.format_help(), name  # type: ignore[attr-defined]
    # Not a command (a typo, an option, a module's name): every command, for the error.
    for argv in (["scor"], ["--help"], ["import_framework"], []):
        named = next(a for a in build_parser(argv)._actions if a.dest == "command")
        assert set(named.choices) == set(every.choices), argv  # type: ignore[attr-defined]


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "examples:" in capsys.readouterr().out


def test_the_core_never_loads_textual() -> None:
    # Every module of the core, found by walking the package (a new module is covered the
    # day it is written), imported in a fresh interpreter with the parser built.
    code = (
        "import importlib, sys\n"
        "from pathlib import Path\n"
        "import competency\n"
        "root = Path(competency.__file__).parent\n"
        "files = [p.relative_to(root.parent).with_suffix('') for p in root.rglob('*.py')]\n"
        "names = ['.'.join(f.parts).removesuffix('.__init__') for f in files\n"
        "         if 'tui' not in f.parts and f.name != '__main__']\n"
        "assert len(names) > 30, names\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "from competency.cli import build_parser\n"
        "build_parser()\n"
        "loaded = [m for m in sys.modules if m == 'textual' or m.startswith('tui')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from competency.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'rich', 'textual', 'jinja2', 'xlsxwriter') "
        "if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, capture_output=True)


@pytest.mark.parametrize("source_first", [False, True], ids=["installed", "pythonpath"])
def test_the_tool_works_outside_the_source_tree(tmp_path: Path, source_first: bool) -> None:
    # With PYTHONPATH=CHECKOUT (how bench/ runs this checkout) `competency` is imported from
    # the source tree, where `competency.frameworks` is no package: the bundled frameworks
    # are then found beside `competency/`.
    env = {**os.environ, "PYTHONPATH": str(REPO)} if source_first else None
    result = subprocess.run(
        [sys.executable, "-m", "competency", "frameworks"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "25-4022.00  Librarians and Media Collections Specialists" in result.stdout


def test_bundled_frameworks_are_package_data() -> None:
    from importlib.resources import files

    folder = files("competency.frameworks")
    assert folder.joinpath(LIBRARIANS.name).read_bytes() == LIBRARIANS.read_bytes()
    assert folder.joinpath("librarians-25-4022.00.areas.toml").is_file()


@pytest.mark.parametrize("command", ["report", "compare"])
def test_a_report_never_replaces_its_own_assessment(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # Regression: `report same.json --format md --output same.json` replaced the assessment.
    ada = tmp_path / "ada.json"
    ada.write_text(json.dumps(assessment_doc(librarians, {"emerging.1": 3})))
    before = ada.read_bytes()
    inputs = [str(ada)] if command == "report" else [str(ada), str(ada)]
    code = main([command, *inputs, "--format", "md", "--output", str(ada)])
    assert code == 2
    assert "is also an input" in capsys.readouterr().err
    assert ada.read_bytes() == before
