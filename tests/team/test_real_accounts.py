"""Three people, three Unix accounts, one group folder (issue 20, SPEC 7), for real.

A librarian submits her assessment into a setgid folder owned by the group ``library``; the
supervisor lists the folder, reviews it in plain mode (agreeing twice, rating once, a
comment) and signs it off; HR reads the folder with ``status`` and ``summary``. Each runs
the tool as themselves, so the file modes and groups are the ones the kernel gives.

It needs root (to make the group and the accounts, removed afterwards; names are unique
per run) and ``useradd``: CI runs as root, so this runs in CI's ``pytest``. The accounts
cannot read root's virtual environment or the checkout, so the test builds a runtime they
can read: a copy of the source and of the installed files of every dependency the tool
declares, run by Debian's ``/usr/bin/python3`` of the same version (the dependencies'
compiled parts are built for it).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

PYTHON = "/usr/bin/python3"


def _same_python() -> bool:
    if not os.path.exists(PYTHON):
        return False
    probe = subprocess.run(
        [PYTHON, "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() == str(sys.version_info[:2])


pytestmark = [
    pytest.mark.skipif(
        os.name != "posix" or os.geteuid() != 0, reason="needs root to make accounts"
    ),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("useradd", "groupadd", "runuser")),
        reason="needs useradd, groupadd and runuser",
    ),
    pytest.mark.skipif(
        os.name != "posix" or not _same_python(),
        reason=f"needs {PYTHON} of this Python's version",
    ),
]


def runtime_distributions() -> list[metadata.Distribution]:
    """Every installed distribution the tool needs at run time, its own requirements and
    theirs (extras and requirements not installed here are left out)."""
    wanted, seen, found = ["competency"], set(), []
    while wanted:
        name = re.sub(r"[-_.]+", "-", wanted.pop()).lower()
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if name != "competency":
            found.append(dist)
        for requirement in dist.requires or []:
            if "extra ==" in requirement:
                continue
            match = re.match(r"[A-Za-z0-9._-]+", requirement)
            if match:
                wanted.append(match.group(0))
    return found


def build_runtime(root: Path) -> Path:
    """``root`` readable by everyone: the source and the dependencies' installed files."""
    for part in ("competency", "tui", "frameworks"):
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    site = root / "site"
    for dist in runtime_distributions():
        for file in dist.files or []:
            if file.parts and file.parts[0] == "..":
                continue  # scripts, outside site-packages
            source = Path(str(dist.locate_file(file)))
            if source.is_file():
                target = site / file
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)  # its .pyc stay valid: same times, same Python
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


@dataclass
class Person:
    user: str
    home: Path

    def run(
        self, runtime: Path, *args: str, stdin: str = "", cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = [
            f"HOME={self.home}",
            f"XDG_CACHE_HOME={self.home}/.cache",
            f"XDG_DATA_HOME={self.home}/.local/share",
            f"XDG_CONFIG_HOME={self.home}/.config",
            f"PYTHONPATH={runtime}:{runtime / 'site'}",
            "PYTHONDONTWRITEBYTECODE=1",
            "LANG=C.UTF-8",
            "TERM=dumb",
        ]
        command = ["runuser", "-u", self.user, "--", "env", "-i", *env, PYTHON, "-s"]
        return subprocess.run(
            [*command, "-m", "competency", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd or self.home,
            timeout=120,
            check=False,
        )


@dataclass
class Library:
    group: str
    runtime: Path
    folder: Path
    """The team folder: the group's, setgid, 2770."""
    librarian: Person
    supervisor: Person
    hr: Person


@pytest.fixture
def library() -> Iterator[Library]:
    tag = secrets.token_hex(3)
    group = f"lib{tag}"
    users = {role: f"{role[:3]}{tag}" for role in ("librarian", "supervisor", "hr")}
    base = Path(tempfile.mkdtemp(prefix="competency-accounts-"))
    made_group, made_users = False, []
    try:
        base.chmod(0o755)
        subprocess.run(["groupadd", group], check=True)
        made_group = True
        for user in users.values():
            subprocess.run(
                ["useradd", "-M", "-N", "-g", group, "-s", "/bin/sh", "-d", f"{base}/{user}", user],
                check=True,
            )
            made_users.append(user)
        homes = {}
        for role, user in users.items():
            home = base / user
            home.mkdir(mode=0o700)
            shutil.chown(home, user, group)
            homes[role] = Person(user, home)
        folder = base / "team"
        folder.mkdir()
        shutil.chown(folder, "root", group)
        folder.chmod(0o2770)
        yield Library(
            group,
            build_runtime(base / "runtime"),
            folder,
            homes["librarian"],
            homes["supervisor"],
            homes["hr"],
        )
    finally:
        for user in made_users:
            subprocess.run(["userdel", user], check=False)
        if made_group:
            subprocess.run(["groupdel", group], check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_submit_review_and_summary_through_one_group_folder(library: Library) -> None:
    """About 6 seconds: not marked slow."""
    import grp
    import pwd

    gid = grp.getgrnam(library.group).gr_gid
    maya = library.librarian
    own = maya.home / "maya.json"
    doc = json.loads((EXAMPLES / "maya-okafor-2026-11-02.json").read_text(encoding="utf-8"))
    doc["status"] = "in_progress"
    own.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    shutil.chown(own, maya.user, library.group)
    own.chmod(0o600)

    # The librarian submits: the team's copy is hers, in the folder's group, 0660.
    sent = maya.run(library.runtime, "submit", str(own), "--to", str(library.folder))
    assert sent.returncode == 0, sent.stderr
    shared = library.folder / "maya.json"
    assert sent.stdout.strip().endswith(str(shared))
    info = shared.stat()
    assert info.st_uid == pwd.getpwnam(maya.user).pw_uid
    assert info.st_gid == gid
    assert stat.S_IMODE(info.st_mode) == 0o660
    assert stat.S_IMODE(own.stat().st_mode) == 0o600, "her own copy stays private"

    # The supervisor sees it waiting, reviews it in plain mode and signs it off.
    grace = library.supervisor
    listed = grace.run(library.runtime, "status", str(library.folder), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    (record,) = json.loads(listed.stdout)["records"]
    assert (record["subject"]["name"], record["status"]) == ("Maya Okafor", "submitted")
    script = "a\na\n2\nc Solid year.\nsign off\nsign off\nq\n"  # the only one waiting
    review = grace.run(
        library.runtime,
        "review",
        str(library.folder),
        "--reviewer",
        "Grace Example",
        "--plain",
        stdin=script,
    )
    assert review.returncode == 0, review.stdout + review.stderr
    reviewed = json.loads(shared.read_text(encoding="utf-8"))
    assert reviewed["status"] == "reviewed", review.stdout
    first, second, third = reviewed["review"]["ratings"].items()
    assert (first[1], second[1], third[1]) == (
        doc["ratings"][first[0]],
        doc["ratings"][second[0]],
        2,
    ), "a takes her own rating"
    assert reviewed["review"]["comment"] == "Solid year."
    info = shared.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_gid) == (0o660, gid), "shared as it was"

    # HR reads the folder: one person, reviewed and counted.
    hr = library.hr
    status = hr.run(library.runtime, "status", str(library.folder), "--format", "json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["statuses"]["reviewed"] == 1
    summary = hr.run(library.runtime, "summary", str(library.folder), "--format", "json")
    assert summary.returncode == 0, summary.stderr
    counted = json.loads(summary.stdout)
    assert counted["scored"] == 1 and counted["left_out"] == []
    assert counted["statuses"] == {"in_progress": 0, "submitted": 0, "reviewed": 1}
