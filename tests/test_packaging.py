"""What a built wheel contains: every subpackage, the frameworks, templates and styles."""

from __future__ import annotations

import tomllib

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
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_templates_and_styles_ship_as_package_data() -> None:
    data = setuptools_config()["package-data"]
    assert isinstance(data, dict)
    assert "templates/*" in data["competency"]
    assert "*.tcss" in data["tui"]
    templates = list((REPO / "competency" / "templates").iterdir())
    assert templates and all(p.is_file() for p in templates), "templates/* is not recursive"
