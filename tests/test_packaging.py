"""What a built wheel contains: every subpackage, the frameworks, templates and styles."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def setuptools_config() -> dict[str, object]:
    doc = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, object] = doc["tool"]["setuptools"]
    return config


def test_every_python_package_in_the_tree_is_listed() -> None:
    listed = set(setuptools_config()["packages"])  # type: ignore[call-overload]
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for top in ("competency", "tui")
        for init in (REPO / top).rglob("__init__.py")
    } | {"competency.frameworks"}
    assert on_disk == listed, f"[tool.setuptools] packages differ: {sorted(on_disk ^ listed)}"


def test_the_screens_are_a_package_of_their_own_and_no_file_is_a_symlink() -> None:
    # A checkout without symlinks (Windows' default) must see the same tree as any other;
    # the screens live beside the core, never inside it.
    screens = REPO / "tui"
    assert screens.is_dir() and not screens.is_symlink()
    assert not (REPO / "competency" / "tui").exists()
    tracked = subprocess.run(
        ["git", "ls-files", "-s"], capture_output=True, text=True, cwd=REPO, check=False
    )
    if tracked.returncode == 0:  # a git checkout (a source archive has no index)
        links = [
            line.split("\t")[1] for line in tracked.stdout.splitlines() if line[:6] == "120000"
        ]
        assert not links, f"symlinks in the repository: {links}"
    package_dir = setuptools_config()["package-dir"]
    assert package_dir == {
        "competency": "competency",
        "competency.frameworks": "frameworks",
        "tui": "tui",
    }


def test_one_version_source() -> None:
    doc = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in doc["project"] and doc["project"]["dynamic"] == ["version"]
    assert setuptools_config()["dynamic"] == {"version": {"attr": "competency.__version__"}}


def test_templates_and_styles_ship_as_package_data() -> None:
    data = setuptools_config()["package-data"]
    assert isinstance(data, dict)
    assert "templates/*" in data["competency"]
    assert "*.tcss" in data["tui"]
    templates = list((REPO / "competency" / "templates").iterdir())
    assert templates and all(p.is_file() for p in templates), "templates/* is not recursive"


PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q")


def test_the_wheel_installs_the_core_and_the_screens_and_nothing_else(tmp_path: Path) -> None:
    # Built from a copy without build debris: a build/ folder left in the clone by an
    # earlier build would otherwise leak stale modules (even deleted ones) into the wheel.
    source = tmp_path / "source"
    debris = ("build", "dist", "*.egg-info", "__pycache__", ".*", "node_modules", "venv")
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*debris), symlinks=True)
    built = subprocess.run(
        [*PIP_WHEEL, "-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        pytest.fail(f"pip wheel failed: {built.stderr[-2000:]}")
    (wheel,) = tmp_path.glob("competency-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"competency", "tui"}, f"the wheel installs other top-level names: {tops}"
    for needed in (
        "tui/app.py",
        "tui/competency.tcss",
        "competency/frameworks/librarians-25-4022.00.json",
        "competency/frameworks/librarians-25-4022.00.areas.toml",
        "competency/frameworks/librarians-25-4022.00.profiles.toml",
        "competency/templates/report.html.j2",
        "competency/outputs/report.py",
        "competency/framework/model.py",
    ):
        assert needed in names, f"{needed} is missing from the wheel"
    modules = {name for name in names if name.endswith(".py")}
    in_tree = {
        p.relative_to(REPO).as_posix()
        for top in ("competency", "tui")
        for p in (REPO / top).rglob("*.py")
    }
    assert modules == in_tree | {"competency/frameworks/__init__.py"}


def test_the_floors_file_pins_every_dependency_at_its_lower_bound() -> None:
    # tests/floors.txt is what the suite passed with; a floor raised in one place only
    # would make the other a claim nobody tested.
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors = {}
    for line in (REPO / "tests" / "floors.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            floors[canonicalize_name(name)] = version.strip()
    for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(text)
        (lower,) = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        name = canonicalize_name(requirement.name)
        assert name in floors and Version(floors[name]) == Version(lower), name
