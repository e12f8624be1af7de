"""SPEC 10's team insight: every figure of ``summary`` recomputed here from the files.

Random teams (hypothesis) of people with units, targets and reviews by a few reviewers are
written to a folder and summarised; calibration, coverage, mentors and the small-group
rule are then worked out again from the ratings themselves, with the levels from
``competency.scoring.score`` (SPEC 4's reference walk, not the batch's level tables).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competency.cli import main
from competency.framework.model import Framework, load_framework
from competency.scoring import score
from tests.batch.test_summary import AREAS, LEVELS
from tests.conftest import assessment_doc, write_framework

STATEMENTS = ["basic.1", "basic.2", "good.1", "good.2", "great.1"]
KEYS = ["basic", "good", "great"]
RANK = {key: i + 1 for i, key in enumerate(KEYS)}
REVIEWERS = [("Rhea Lind", "R1"), ("Olu Banks", "R2"), ("Kim Sato", None)]
UNITS = [None, "North", "South", "East"]

rating = st.one_of(st.none(), st.integers(0, 4), st.just("na"))
ratings = st.fixed_dictionaries({sid: rating for sid in STATEMENTS})
person = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNITS),
        "ratings": ratings,
        "targets": st.fixed_dictionaries(
            {}, optional={"x": st.sampled_from(KEYS), "y": st.sampled_from(KEYS)}
        ),
        "review": st.one_of(st.none(), st.tuples(st.integers(0, len(REVIEWERS) - 1), ratings)),
    }
)
team = st.lists(person, min_size=1, max_size=14)


def rated(values: dict[str, Any]) -> dict[str, Any]:
    return {sid: v for sid, v in values.items() if v is not None}


def write_team(folder: Path, framework: Framework, people: list[dict[str, Any]]) -> None:
    for n, p in enumerate(people):
        doc = assessment_doc(
            framework, rated(p["ratings"]), targets=p["targets"], status="submitted"
        )
        doc["subject"] = {"name": f"Person {n}", "id": f"P{n}"}
        if p["unit"]:
            doc["subject"]["unit"] = p["unit"]
        if p["review"] is not None:
            who, theirs = p["review"]
            name, rid = REVIEWERS[who]
            doc["review"] = {"reviewer": {"name": name, "id": rid}, "ratings": rated(theirs)}
        (folder / f"p{n:02}.json").write_text(json.dumps(doc), encoding="utf-8")


def compare(own: dict[str, Any], theirs: dict[str, Any], ids: list[str]) -> tuple[int, int, int]:
    """(statements both rated with a number, sum of reviewer - self, disagreements)."""
    n = diff = dis = 0
    for sid in ids:
        a, b = own.get(sid), theirs.get(sid)
        if a is None or b is None:
            continue
        if a != "na" and b != "na":
            n += 1
            diff += b - a
            dis += abs(b - a) >= 2
        else:
            dis += (a == "na") != (b == "na")
    return n, diff, dis


def mean(total: int, n: int) -> float | None:
    return round(total / n, 2) if n else None


@pytest.fixture(scope="module")
def framework_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_framework(tmp_path_factory.mktemp("fw"), LEVELS, AREAS)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=team, coverage=st.sampled_from(KEYS), min_group=st.integers(1, 4))
def test_every_insight_figure_matches_one_worked_out_from_the_files(
    framework_file: Path,
    capsys: pytest.CaptureFixture[str],
    people: list[dict[str, Any]],
    coverage: str,
    min_group: int,
) -> None:
    framework = load_framework(framework_file)
    folder = Path(tempfile.mkdtemp())
    try:
        write_team(folder, framework, people)
        code = main(
            [
                "summary",
                str(folder),
                "--framework",
                str(framework_file),
                "--format",
                "json",
                "--jobs",
                "1",
                "--coverage-level",
                coverage,
                "--min-group",
                str(min_group),
            ]
        )
        out, _ = capsys.readouterr()
    finally:
        shutil.rmtree(folder)
    assert code == 0
    summary = json.loads(out)
    names = [f"Person {n}" for n in range(len(people))]
    areas = {a.id: list(a.statement_ids) for a in framework.areas}

    # Small groups: units under min_group people are hidden, and so are their people.
    sizes: dict[str, int] = {}
    for p in people:
        if p["unit"]:
            sizes[p["unit"]] = sizes.get(p["unit"], 0) + 1
    small = sorted(u for u, n in sizes.items() if n < min_group)
    assert summary["small_groups"] == {
        "min_group": min_group,
        "rule": f"fewer than {min_group} people",
        "suppressed": small,
    }
    for unit in sizes:
        hidden = summary["units"][unit]
        assert (hidden == {"suppressed": True, "rule": f"fewer than {min_group} people"}) == (
            unit in small
        )
    shown = [p["unit"] not in small for p in people]
    assert summary["scored"] == len(people)  # the totals still count everyone

    # Calibration, per reviewer and per area.
    expected = {}
    for p in people:
        if p["review"] is None:
            continue
        who, theirs = p["review"]
        n, diff, dis = compare(rated(p["ratings"]), rated(theirs), STATEMENTS)
        e = expected.setdefault(REVIEWERS[who][0], [0, 0, 0, 0])
        e[0] += 1
        e[1] += n
        e[2] += diff
        e[3] += dis
    got = {r["reviewer"]["name"]: r for r in summary["calibration"]["reviewers"]}
    assert set(got) == set(expected)
    for name, (count, n, diff, dis) in expected.items():
        r = got[name]
        assert (r["people"], r["statements"], r["disagreements"]) == (count, n, dis)
        assert r["mean_difference"] == mean(diff, n)
    for name, (_, n, diff, _) in expected.items():
        rest = [(e[1], e[2]) for other, e in expected.items() if other != name and e[1]]
        n_rest = sum(m for m, _ in rest)
        apart = False
        if n and n_rest:
            mine, theirs = diff / n, sum(d for _, d in rest) / n_rest
            apart = abs(mine - theirs) >= 0.5 and abs(mine) > abs(theirs)
        assert got[name]["apart"] == apart
    for entry in summary["calibration"]["areas"]:
        n = diff = 0
        for p in people:
            if p["review"] is not None:
                a, d, _ = compare(rated(p["ratings"]), rated(p["review"][1]), areas[entry["area"]])
                n, diff = n + a, diff + d
        assert (entry["statements"], entry["mean_difference"]) == (n, mean(diff, n))

    # Coverage and mentors, from each person's levels by the reference scoring.
    ranks = [{a.id: a.rank for a in score(framework, rated(p["ratings"])).areas} for p in people]
    for entry in summary["coverage"]:
        holders = [
            n
            for n in range(len(people))
            if (ranks[n][entry["area"]] or 0) >= RANK[coverage]
            and ranks[n][entry["area"]] is not None
        ]
        assert entry["level"] == coverage
        assert entry["people"] == len(holders)
        assert entry["one_person"] == (len(holders) <= 1)
        assert sorted(entry["names"]) == sorted(names[n] for n in holders if shown[n])
        for unit, got_unit in entry["units"].items():
            if unit in small:
                continue
            mine = [names[n] for n in holders if people[n]["unit"] == unit]
            assert sorted(got_unit["names"]) == sorted(mine)
            assert got_unit["people"] == len(mine)

    wanted = []
    for n, p in enumerate(people):
        for area_id, key in p["targets"].items():
            rank = ranks[n][area_id]
            if shown[n] and (rank is None or rank < RANK[key]):
                wanted.append((names[n], area_id, key))
    mentoring = summary["mentors"]
    assert sorted((m["person"]["name"], m["area"], m["target"]) for m in mentoring) == sorted(
        wanted
    )
    for m in mentoring:
        me = names.index(m["person"]["name"])
        at_least = RANK[m["target"]]
        able = [
            n
            for n in range(len(people))
            if n != me
            and shown[n]
            and ranks[n][m["area"]] is not None
            and ranks[n][m["area"]] >= at_least
        ]
        chosen = [names.index(x["name"]) for x in m["mentors"]]
        assert set(chosen) <= set(able)
        assert len(chosen) == min(3, len(able))
        unit = people[me]["unit"]
        same = [n for n in able if unit and people[n]["unit"] == unit]
        # Same unit first: as many colleagues of the unit as fit, before anyone else.
        assert [n for n in chosen[: min(3, len(same))]] == [n for n in chosen if n in same][:3]
        assert len([n for n in chosen if n in same]) == min(3, len(same))
        # Then the highest level: nobody left out ranks above someone chosen from outside.
        others = [n for n in chosen if n not in same]
        left = [n for n in able if n not in same and n not in chosen]
        if others and left:
            assert min(ranks[n][m["area"]] for n in others) >= max(
                ranks[n][m["area"]] for n in left
            )


def test_a_coverage_level_the_framework_lacks_is_one_line_and_exit_2(
    framework_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    framework = load_framework(framework_file)
    write_team(tmp_path, framework, [{"unit": None, "ratings": {}, "targets": {}, "review": None}])
    code = main(
        [
            "summary",
            str(tmp_path),
            "--framework",
            str(framework_file),
            "--coverage-level",
            "expert",
            "--jobs",
            "1",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().endswith(
        "--coverage-level expert: not a level of framework "
        f"{framework.id} (its levels: basic, good, great)"
    )


def test_a_unit_under_min_group_is_named_in_no_format(
    framework_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    framework = load_framework(framework_file)
    everyone = {"basic.1": 4, "basic.2": 4, "good.1": 4, "good.2": 4, "great.1": 4}
    people = [
        {"unit": "North", "ratings": everyone, "targets": {"x": "great"}, "review": None}
        for _ in range(3)
    ]
    people.append({"unit": "South", "ratings": {}, "targets": {"x": "good"}, "review": None})
    folder = tmp_path / "team"
    folder.mkdir()
    write_team(folder, framework, people)
    for fmt in ("json", "md", "csv", "table", "html"):
        out = tmp_path / f"out.{fmt}"
        args = [str(folder), "--framework", str(framework_file), "--min-group", "2"]
        assert main(["summary", *args, "--format", fmt, "--output", str(out)]) == 0
        text = out.read_text("utf-8")
        assert "Person 3" not in text, fmt  # South's one person
        assert "Person 0" in text or fmt == "table", fmt
        assert "fewer than 2 people" in text, fmt
    capsys.readouterr()
