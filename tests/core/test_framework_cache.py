"""The cache of checked frameworks: a hit is exactly what checking the files gives."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from competency.errors import FrameworkError
from competency.framework.cache import cache_folder, load_framework_cached
from competency.framework.model import Framework, load_framework
from tests.conftest import LIBRARIANS, framework_doc


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "competency"


def same(a: Framework, b: Framework) -> None:
    for f in dataclasses.fields(Framework):
        assert getattr(a, f.name) == getattr(b, f.name), f.name


def test_a_second_start_reads_the_checked_framework_from_the_cache(cache: Path) -> None:
    first = load_framework_cached(LIBRARIANS)
    assert cache_folder() == cache
    entries = list(cache.glob("framework-*.json"))
    assert len(entries) == 1
    second = load_framework_cached(LIBRARIANS)
    same(first, load_framework(LIBRARIANS))
    same(second, load_framework(LIBRARIANS))


def test_a_miss_reads_each_file_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from competency import files
    from competency.framework import cache as cache_module
    from competency.framework import model, raw

    read: list[str] = []

    def counted(path: str | Path, *args: object, **kwargs: object) -> bytes:
        read.append(Path(path).name)
        return files.read_input(path, *args, **kwargs)  # type: ignore[arg-type]

    for module in (cache_module, model, raw):
        monkeypatch.setattr(module, "read_input", counted)
    same(load_framework_cached(LIBRARIANS), load_framework(LIBRARIANS))
    # The miss, then load_framework itself: the framework and its area map once each.
    assert read == [LIBRARIANS.name, LIBRARIANS.stem + ".areas.toml"] * 2


def test_a_damaged_entry_is_ignored_and_the_files_checked_again(cache: Path) -> None:
    load_framework_cached(LIBRARIANS)
    (entry,) = cache.glob("framework-*.json")
    for damage in (b"", b"{not json", b"[]", b'{"format": 1}'):
        entry.write_bytes(damage)
        same(load_framework_cached(LIBRARIANS), load_framework(LIBRARIANS))


def test_an_edited_entry_that_disagrees_with_its_fingerprint_is_ignored(cache: Path) -> None:
    load_framework_cached(LIBRARIANS)
    (entry,) = cache.glob("framework-*.json")
    doc = json.loads(entry.read_bytes())
    doc["statements"][0][3] = "Forged \u2014 a statement nobody checked"
    entry.write_text(json.dumps(doc), "utf-8")
    loaded = load_framework_cached(LIBRARIANS)
    assert "Forged" not in loaded.statements[0].text
    same(loaded, load_framework(LIBRARIANS))


def test_a_changed_framework_file_is_checked_again(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(framework_doc({"low": ["A \u2014 one"]})), "utf-8")
    assert load_framework_cached(path).statements[0].text == "A \u2014 one"
    path.write_text(json.dumps(framework_doc({"low": ["B \u2014 two"]})), "utf-8")
    assert load_framework_cached(path).statements[0].text == "B \u2014 two"
    path.write_text(json.dumps(framework_doc({"low": [""]})), "utf-8")
    with pytest.raises(FrameworkError) as refused:
        load_framework_cached(path)
    assert refused.value.location == "framework.levels.low.statements.0"
    assert len(list(cache.glob("framework-*.json"))) == 2  # only the two that passed


def test_an_area_map_is_part_of_the_key(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(framework_doc({"low": ["A \u2014 one", "B \u2014 two"]})), "utf-8")
    assert load_framework_cached(path).areas[0].id == "all"
    beside = tmp_path / "fw.areas.toml"
    beside.write_text(
        '[[areas]]\nid = "x"\ntitle = "X"\nstatements = ["low.1", "low.2"]\n', "utf-8"
    )
    found = load_framework_cached(path)
    assert [a.id for a in found.areas] == ["x"]
    assert found.areas_path == str(beside)
    beside.write_text('[[areas]]\nid = "x"\ntitle = "X"\nstatements = ["low.1"]\n', "utf-8")
    with pytest.raises(FrameworkError) as refused:
        load_framework_cached(path)
    assert "is in no area" in refused.value.message


# Issue 24, item 4: the cache trusted anyone's folder and any entry in it.


def planted(cache: Path, change: str) -> tuple[Path, dict[str, object]]:
    """The librarians' entry, changed as another account would change it."""
    load_framework_cached(LIBRARIANS)
    (entry,) = cache.glob("framework-*.json")
    doc = json.loads(entry.read_bytes())
    areas = doc["areas"]
    if change == "areas":
        moved = areas[0][3].pop()  # a statement moved into another area: same fingerprint
        areas[1][3].append(moved)
    elif change == "title":
        doc["title"] = "Library Directors"
    elif change == "statements":
        doc["statements"][0][3] = "Planted — a statement"
    entry.write_text(json.dumps(doc))
    return entry, doc


@pytest.mark.parametrize("change", ["areas", "title", "statements"])
def test_an_entry_that_does_not_say_what_the_files_say_is_ignored(cache: Path, change: str) -> None:
    planted(cache, change)
    same(load_framework_cached(LIBRARIANS), load_framework(LIBRARIANS))


def test_a_folder_or_entry_others_may_write_is_never_trusted(cache: Path) -> None:
    import os

    entry, _ = planted(cache, "title")
    entry_doc = entry.read_bytes()
    os.chmod(cache, 0o777)  # another account could have planted anything
    assert load_framework_cached(LIBRARIANS).title != "Library Directors"
    assert entry.read_bytes() == entry_doc  # nor is anything written there
    os.chmod(cache, 0o700)
    os.chmod(entry, 0o666)
    from competency.framework import cache as module

    assert module._read_entry(entry, str(LIBRARIANS), None) is None


def test_a_link_named_like_an_entry_is_replaced_never_written_through(
    cache: Path, tmp_path: Path
) -> None:
    load_framework_cached(LIBRARIANS)
    (entry,) = cache.glob("framework-*.json")
    entry.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    entry.symlink_to(victim)
    load_framework_cached(LIBRARIANS)
    assert victim.read_text() == "precious"
    assert not entry.is_symlink()
