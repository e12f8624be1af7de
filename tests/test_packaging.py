"""What a built wheel contains: every subpackage, the frameworks, templates and styles."""

from __future__ import annotations

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
    core = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "competency").rglob("__init__.py")
        if "tui" not in init.relative_to(REPO).parts
    }
    screens = {
        ".".join(("competency", *init.parent.relative_to(REPO).parts))
        for init in (REPO / "tui").rglob("__init__.py")
    }
    on_disk = core | screens
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_the_screens_folder_is_the_competency_tui_package() -> None:
    link = REPO / "competency" / "tui"
    assert link.is_symlink() and link.resolve() == (REPO / "tui").resolve()
    package_dir = setuptools_config()["package-dir"]
    assert isinstance(package_dir, dict)
    assert package_dir["competency.tui"] == "tui"
    assert "tui" not in package_dir, "a top-level 'tui' package would clash with others"


def test_templates_and_styles_ship_as_package_data() -> None:
    data = setuptools_config()["package-data"]
    assert isinstance(data, dict)
    assert "templates/*" in data["competency"]
    assert "*.tcss" in data["competency.tui"]
    templates = list((REPO / "competency" / "templates").iterdir())
    assert templates and all(p.is_file() for p in templates), "templates/* is not recursive"


PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q")


def test_the_wheel_installs_everything_under_the_competency_name(tmp_path: Path) -> None:
    built = subprocess.run(
        [*PIP_WHEEL, "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        pytest.fail(f"pip wheel failed: {built.stderr[-2000:]}")
    (wheel,) = tmp_path.glob("competency-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"competency"}, f"the wheel installs other top-level names: {tops}"
    for needed in (
        "competency/tui/app.py",
        "competency/tui/competency.tcss",
        "competency/frameworks/librarians-25-4022.00.json",
        "competency/frameworks/librarians-25-4022.00.areas.toml",
        "competency/templates/report.html.j2",
        "competency/outputs/report.py",
        "competency/framework/model.py",
    ):
        assert needed in names, f"{needed} is missing from the wheel"
