"""What the tool remembers for one user between runs: their team folder (SPEC 7).

A small JSON file, ``settings.json``, in the user's config folder: ``platformdirs``'
``user_config_dir`` (``~/.config/competency`` on Linux, ``~/Library/Application
Support/competency`` on macOS, ``%LOCALAPPDATA%\\competency`` on Windows), or
``$XDG_CONFIG_HOME/competency`` where that is set, as the tool's cache and data folders
follow XDG too. A settings file that cannot be read is as good as none: it only saves
typing the folder again, and is rewritten the next time a folder is chosen.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SETTINGS = "settings.json"


def config_dir() -> Path:
    """The user's config folder for the tool (not created here)."""
    xdg = os.environ.get("XDG_CONFIG_HOME") or ""
    if os.path.isabs(xdg):
        return Path(xdg) / "competency"
    from platformdirs import user_config_dir

    return Path(user_config_dir("competency", appauthor=False))


def _read() -> dict[str, object]:
    try:
        data = json.loads((config_dir() / SETTINGS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def team_folder() -> Path | None:
    """The team folder this user submitted to last, if they chose one."""
    folder = _read().get("team_folder")
    return Path(folder) if isinstance(folder, str) and folder else None


def remember_team_folder(folder: Path) -> None:
    """Remember ``folder`` (made absolute) as this user's team folder; raises ``OSError``
    when the config folder cannot be written."""
    from competency.files import write_atomic

    settings = _read()
    settings["team_folder"] = str(folder.absolute())
    home = config_dir()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = json.dumps(settings, ensure_ascii=False, indent=2) + "\n"
    write_atomic(home / SETTINGS, text.encode("utf-8"))
