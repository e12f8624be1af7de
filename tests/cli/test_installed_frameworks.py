"""`competency frameworks install/remove`: a framework from anywhere, found by its id."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from competency.cli import main
from competency.framework.bundled import FrameworkResolver, bundled_frameworks, installed_folder
from tests.conftest import LIBRARIANS, assessment_doc, write_framework

AREAS = "[[areas]]\nid = 'desk'\ntitle = 'Desk'\nstatements = ['a.1', 'a.2']\n"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def made_framework(folder: Path, soc: str = "99-0001.00") -> Path:
    path = write_framework(folder, {"a": ["Desk — one", "Desk — two"]}, areas=AREAS, name="x")
    doc = json.loads(path.read_text())
    doc["occupation"]["soc"] = soc
    path.write_text(json.dumps(doc))
    return path


def test_install_validates_copies_and_is_found_by_id(
    tmp_path: Path, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = made_framework(tmp_path)
    assert main(["frameworks", "install", str(source)]) == 0
    folder = data_home / "competency" / "frameworks"
    assert installed_folder() == folder
    assert (folder / "99-0001.00.json").read_bytes() == source.read_bytes()
    assert (folder / "99-0001.00.areas.toml").read_text() == AREAS
    assert "installed 99-0001.00" in capsys.readouterr().out

    found = {b.id: b.installed for b in bundled_frameworks()}
    assert found == {"25-4022.00": False, "99-0001.00": True}
    fw = FrameworkResolver().for_id("99-0001.00", "a.json")
    assert [a.id for a in fw.areas] == ["desk"]

    assert main(["frameworks"]) == 0
    listing = capsys.readouterr().out
    assert "25-4022.00  Librarians and Media Collections Specialists (v.26.05), bundled" in listing
    assert "99-0001.00  Test Occupation (t.1), installed" in listing

    # An assessment of it scores with no --framework: the default lookup finds it by id.
    person = tmp_path / "ada.json"
    person.write_text(json.dumps(assessment_doc(fw, {"a.1": 3, "a.2": 4})))
    assert main(["score", str(person), "--format", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["ok"] and record["areas"]["desk"]["level"] == "A"
    # --framework takes the id too.
    assert main(["score", str(person), "--framework", "99-0001.00", "--format", "jsonl"]) == 0


def test_install_refuses_a_broken_file_a_bundled_id_and_a_second_copy(
    tmp_path: Path, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"schemaVersion": "2.0"}')
    assert main(["frameworks", "install", str(broken)]) == 1
    assert "broken.json: schemaVersion" in capsys.readouterr().err
    assert main(["frameworks", "install", str(LIBRARIANS)]) == 1
    assert "is bundled" in capsys.readouterr().err
    source = made_framework(tmp_path)
    assert main(["frameworks", "install", str(source)]) == 0
    assert main(["frameworks", "install", str(source)]) == 1
    assert "already installed" in capsys.readouterr().err
    assert main(["frameworks", "install", str(source), "--force"]) == 0
    assert not list((data_home / "competency" / "frameworks").glob(".*"))  # no temp files left


def test_remove_takes_only_installed_ones(
    tmp_path: Path, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["frameworks", "install", str(made_framework(tmp_path))]) == 0
    assert main(["frameworks", "remove", "99-0001.00"]) == 0
    assert os.listdir(data_home / "competency" / "frameworks") == []
    assert main(["frameworks", "remove", "99-0001.00"]) == 1
    assert "no installed framework has id '99-0001.00'" in capsys.readouterr().err
    assert main(["frameworks", "remove", "25-4022.00"]) == 1
    assert "bundled" in capsys.readouterr().err
    assert [b.id for b in bundled_frameworks()] == ["25-4022.00"]


def test_assess_offers_installed_frameworks_beside_the_bundled_one(
    tmp_path: Path, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its start screen lists bundled_frameworks() (tests/tui/test_start_screen.py shows
    that --name alone then opens it to choose)."""
    assert main(["frameworks", "install", str(made_framework(tmp_path))]) == 0
    capsys.readouterr()
    titles = [b.title for b in bundled_frameworks()]
    assert titles == ["Librarians and Media Collections Specialists", "Test Occupation"]


def test_install_copies_the_bytes_it_checked_and_a_deep_file_installed_is_one_line(
    tmp_path: Path,
    data_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 24, item 7: a file swapped between the check and the copy was installed, and
    a 50,000-deep JSON in the installed folder ended every later command in a RecursionError."""
    from competency import files

    path = made_framework(tmp_path)
    good = path.read_bytes()
    deep = b"[" * 50_000 + b"]" * 50_000
    reads = []
    real = files.read_input

    def swapping(target: Path, *args: object, **kwargs: object) -> bytes:
        data = real(target, *args, **kwargs)  # type: ignore[arg-type]
        reads.append(target)
        if Path(target) == path:
            path.write_bytes(deep)  # swapped right after this read
        return data

    monkeypatch.setattr(files, "read_input", swapping)
    assert main(["frameworks", "install", str(path)]) == 0
    assert reads.count(path) == 1
    assert (installed_folder() / "99-0001.00.json").read_bytes() == good
    # Planted directly: listing and scoring name nothing but never crash.
    (installed_folder() / "deep.json").write_bytes(deep)
    assert main(["frameworks"]) == 0
    capsys.readouterr()
    assert bundled_frameworks()


PROFILES = "[[profiles]]\nid = 'desk-only'\ntitle = 'Desk only'\nstatements = ['a.1']\n"
RESOURCES = "[[resources]]\nid = 'desk-course'\ntitle = 'Desk course'\nareas = ['desk']\n"


def test_install_carries_the_role_profiles_and_resources_beside_it_and_remove_takes_them(
    tmp_path: Path, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = made_framework(tmp_path)
    (tmp_path / "x.profiles.toml").write_text(PROFILES)
    (tmp_path / "x.resources.toml").write_text(RESOURCES)
    assert main(["frameworks", "install", str(source)]) == 0
    assert "an area map, role profiles and learning resources" in capsys.readouterr().out
    folder = data_home / "competency" / "frameworks"
    assert (folder / "99-0001.00.profiles.toml").read_text() == PROFILES
    assert (folder / "99-0001.00.resources.toml").read_text() == RESOURCES
    # Found by id with them, as the bundled framework is with its own.
    from competency.framework.resources import with_resources

    fw = with_resources(FrameworkResolver().for_id("99-0001.00", "a.json"))
    assert [p.id for p in fw.profiles] == ["desk-only"]
    assert fw.resources is not None and [r.id for r in fw.resources.items] == ["desk-course"]

    # A bad profiles file is refused before anything is replaced: one line, the file named.
    bad = tmp_path / "bad.profiles.toml"
    bad.write_text("[[profiles]]\nid = 'x'\ntitle = 'X'\nareas = ['nowhere']\n")
    assert main(["frameworks", "install", str(source), "--force", "--profiles", str(bad)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{bad}: profiles.0.areas.0: unknown area 'nowhere'" in err and len(err.splitlines()) == 1
    )
    assert (folder / "99-0001.00.profiles.toml").read_text() == PROFILES

    # Installed again without them, the earlier ones go: no stale role outlives its framework.
    (tmp_path / "x.profiles.toml").unlink()
    (tmp_path / "x.resources.toml").unlink()
    assert main(["frameworks", "install", str(source), "--force"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["99-0001.00.areas.toml", "99-0001.00.json"]

    (tmp_path / "x.profiles.toml").write_text(PROFILES)
    assert main(["frameworks", "install", str(source), "--force"]) == 0
    assert main(["frameworks", "remove", "99-0001.00"]) == 0
    assert list(folder.iterdir()) == []
