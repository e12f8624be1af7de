"""HR summarises a small team whose levels were worked out by hand."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from competency.cli import main
from competency.framework.model import Framework, load_framework
from tests.conftest import assessment_doc, write_framework

# Three levels (Basic, Good, Great) and two areas:
#   x = basic.1, good.1, great.1        y = basic.2, good.2
LEVELS = {"basic": ["B one", "B two"], "good": ["G one", "G two"], "great": ["T one"]}
AREAS = """
[[areas]]
id = "x"
title = "Area X"
statements = ["basic.1", "good.1", "great.1"]

[[areas]]
id = "y"
title = "Area Y"
statements = ["basic.2", "good.2"]
"""

# Worked out with SPEC 4 at threshold 3:
#   ann (North): x Great (3), y Basic (1; good.2 is 1), overall Basic (good mean 2)
#   bob (North): x Below (basic.1 is 1), y Basic (4, good unanswered), overall Below (2.5)
#   cat (South): nothing rated: Not assessed everywhere
#   dan (no unit): x Good (great unanswered), y all "na": Not assessed, overall Good
TEAM: dict[str, dict[str, Any]] = {
    "ann": {
        "unit": "North",
        "ratings": {"basic.1": 3, "good.1": 3, "great.1": 4, "basic.2": 3, "good.2": 1},
        "targets": {"x": "great", "y": "good"},
    },
    "bob": {"unit": "North", "ratings": {"basic.1": 1, "basic.2": 4}},
    "cat": {"unit": "South", "ratings": {}, "targets": {"x": "good"}},
    "dan": {
        "unit": None,
        "ratings": {"basic.1": 4, "good.1": 4, "basic.2": "na", "good.2": "na"},
        "targets": {"y": "basic"},
    },
}
COLUMNS = ["Not assessed", "Below Basic", "Basic", "Good", "Great"]


@pytest.fixture()
def team(tmp_path: Path) -> tuple[Path, Path]:
    """The team's folder (with one broken file) and the framework file."""
    fw_path = write_framework(tmp_path, LEVELS, AREAS)
    framework: Framework = load_framework(fw_path)
    folder = tmp_path / "team"
    folder.mkdir()
    for name, person in TEAM.items():
        doc = assessment_doc(
            framework,
            person["ratings"],
            targets=person.get("targets", {}),
            status="submitted",
        )
        doc["subject"] = {"name": name.title(), "id": name.upper()}
        if person["unit"]:
            doc["subject"]["unit"] = person["unit"]
        (folder / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "zz-broken.json").write_text('{"schema": ', encoding="utf-8")
    return folder, fw_path


def people(area: dict[str, Any]) -> list[int]:
    """The counts of a summary's JSON area, column by column (Not assessed, Below, ...)."""
    return [column["people"] for column in area["counts"]]


def summary_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(["summary", *args, "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_counts_medians_and_targets_match_the_hand_count(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    code, summary, err = summary_json(capsys, str(folder), "--framework", str(framework))
    assert summary["levels"] == COLUMNS
    assert summary["scored"] == 4
    areas = {area["id"]: area for area in summary["areas"]}
    assert list(areas) == ["x", "y", "overall"]
    assert people(areas["x"]) == [1, 1, 0, 1, 1]
    assert people(areas["y"]) == [2, 0, 2, 0, 0]
    assert people(areas["overall"]) == [1, 1, 1, 1, 0]
    # x: assessed ranks 0, 2, 3 -> the middle is Good. y: 1, 1 -> Basic.
    # overall: 0, 1, 2 -> Basic.
    assert [areas[a]["median"] for a in ("x", "y", "overall")] == ["Good", "Basic", "Basic"]
    assert [(b["name"], b["level"], b["target"]) for b in areas["x"]["below_target"]] == [
        ("Cat", "Not assessed", "Good")
    ]
    assert [(b["name"], b["level"], b["target"]) for b in areas["y"]["below_target"]] == [
        ("Ann", "Basic", "Good"),
        ("Dan", "Not assessed", "Basic"),
    ]
    assert areas["overall"]["below_target"] == []

    assert list(summary["units"]) == ["North", "South"]  # dan has no unit
    north = {area["id"]: area for area in summary["units"]["North"]}
    assert people(north["x"]) == [0, 1, 0, 0, 1]
    assert north["x"]["median"] == "Below Basic"  # two people: the lower middle
    assert [b["name"] for b in north["y"]["below_target"]] == ["Ann"]
    south = {area["id"]: area for area in summary["units"]["South"]}
    assert south["x"]["median"] == "Not assessed"
    assert south["x"]["people"] == 1

    broken = str(folder / "zz-broken.json")
    assert summary["refused"] == [{"file": broken, "error": err.strip()}]
    assert err.startswith(broken + ": ") and "not valid JSON" in err
    assert code == 1


def test_bundled_framework_is_found_from_the_files(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        doc = assessment_doc(
            librarians,
            {"emerging.1": 4},
            targets={"information-services": "proficient"},
            status="submitted",
        )
        doc["subject"] = {"name": name.upper(), "id": name}
        (tmp_path / f"{name}.json").write_text(json.dumps(doc))
    code, summary, err = summary_json(capsys, str(tmp_path))
    assert code == 0 and err == ""
    assert summary["framework"]["id"] == "25-4022.00"
    areas = {area["id"]: area for area in summary["areas"]}
    assert people(areas["collection-management"])[2] == 2
    assert len(areas["information-services"]["below_target"]) == 2


def test_a_file_of_another_framework_is_refused_not_mixed_in(
    team: tuple[Path, Path], librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = team
    (folder / "zz-broken.json").unlink()
    # Without --framework, the team's files name a framework that is not bundled.
    code, summary, err = summary_json(capsys, str(folder))
    assert summary["scored"] == 0 and code == 1
    assert "no bundled framework has id '00-0000.00'" in err


def test_csv_and_markdown_carry_the_same_counts(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    main(["summary", str(folder), "--framework", str(framework), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    team_x = next(r for r in rows if r["scope"] == "team" and r["area_id"] == "x")
    assert [team_x[c] for c in COLUMNS] == ["1", "1", "0", "1", "1"]
    assert team_x["median"] == "Good" and team_x["below_target"] == "1"
    assert rows[-1]["scope"] == "refused"
    assert rows[-1]["file"] == str(folder / "zz-broken.json")
    assert "not valid JSON" in rows[-1]["error"] and rows[-1]["people"] == ""
    main(["summary", str(folder), "--framework", str(framework), "--format", "md"])
    out = capsys.readouterr().out
    assert "| Area X | 1 | 1 | 0 | 1 | 1 | Good | 1 |" in out
    assert "## Unit: North" in out and "## Refused files" in out


def test_table_names_refused_files(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    assert main(["summary", str(folder), "--framework", str(framework)]) == 1
    out, err = capsys.readouterr()
    assert "Area X" in out and "Unit: North" in out
    assert "zz-broken.json" in err


HOSTILE_NAME = '</script><script>alert("name")</script><img src=x onerror=alert(1)>&amp;'


def test_heatmap_escapes_hostile_names_and_needs_no_network(
    team: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    doc = json.loads((folder / "ann.json").read_text())
    doc["subject"]["name"] = HOSTILE_NAME
    doc["subject"]["unit"] = "<b>North</b>"
    (folder / "ann.json").write_text(json.dumps(doc))
    target = tmp_path / "team.html"
    main(
        [
            "summary",
            str(folder),
            "--framework",
            str(framework),
            "--format",
            "html",
            "--output",
            str(target),
        ]
    )
    page = target.read_text("utf-8")
    assert "<img" not in page and "<b>North" not in page
    assert page.count("<script") == 2  # the JSON data and the one inline script
    assert "&lt;img src=x onerror=alert(1)&gt;&amp;amp;" in page  # in the below-target table
    data = re.search(
        r'<script type="application/json" id="heatmap-data">(.*?)</script>', page, re.S
    )
    assert data is not None
    assert "<" not in data.group(1) and ">" not in data.group(1)
    people = json.loads(data.group(1))["people"]
    assert HOSTILE_NAME in [person[0] for person in people]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "default-src 'none'" in page
    capsys.readouterr()


def test_levels_sharing_a_label_are_counted_in_their_own_columns(tmp_path: Path) -> None:
    # Regression: columns were found by label, so two levels called "Level" (or a level
    # called "Not assessed") put people in the wrong column.
    from competency.batch import score_file
    from competency.framework.bundled import FrameworkResolver
    from competency.summary import TeamSummary
    from tests.conftest import assessment_doc, write_framework

    fw_path = write_framework(tmp_path, {"a": ["x"], "b": ["y"]})
    doc = json.loads(fw_path.read_text())
    doc["framework"]["levels"]["a"]["label"] = "Level"
    doc["framework"]["levels"]["b"]["label"] = "Level"
    fw_path.write_text(json.dumps(doc))
    frameworks = FrameworkResolver(fw_path)
    framework = frameworks.explicit
    assert framework is not None
    summary = TeamSummary()
    summary.start(framework)
    for name, ratings in (("one", {"a.1": 3}), ("two", {"a.1": 3, "b.1": 3}), ("none", {})):
        path = tmp_path / f"{name}.json"
        doc = assessment_doc(framework, ratings, subject={"name": name}, status="submitted")
        path.write_text(json.dumps(doc))
        summary.add(score_file(str(path), frameworks))
    assert summary.areas[-1].counts == [1, 0, 1, 1]


def two_cycles_of_ann(folder: Path) -> Path:
    """Ann's older cycle beside her current file: same id, an earlier ``updated_at``."""
    doc = json.loads((folder / "ann.json").read_text())
    doc["updated_at"] = "2026-11-01T09:00:00Z"
    older = dict(doc, ratings={"basic.1": 1}, updated_at="2025-11-01T09:00:00Z")
    (folder / "ann.json").write_text(json.dumps(doc))
    # Sorted after ann.json, so input order alone would wrongly pick the older one.
    path = folder / "ann-2025.json"
    path.write_text(json.dumps(older))
    return path


def test_two_cycles_of_one_person_count_once_by_the_latest(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    older = two_cycles_of_ann(folder)
    code, summary, _ = summary_json(capsys, str(folder), "--framework", str(framework))
    assert code == 1  # the team's broken file
    assert summary["scored"] == 4 and summary["files_scored"] == 5
    assert summary["set_aside"] == [
        {"file": str(older), "name": "Ann", "counted": str(folder / "ann.json")}
    ]
    areas = {area["id"]: area for area in summary["areas"]}
    assert people(areas["x"]) == [1, 1, 0, 1, 1]  # Ann's Great, not her old Below
    for fmt in ("table", "md", "csv"):
        main(["summary", str(folder), "--framework", str(framework), "--format", fmt])
        out = capsys.readouterr().out
        assert "ann-2025.json" in out, fmt
        if fmt != "csv":
            assert "5 files scored for 4 people" in " ".join(out.split()), fmt
    target = folder.parent / "team.html"
    html = ["--format", "html", "--output", str(target)]
    main(["summary", str(folder), "--framework", str(framework), *html])
    page = target.read_text("utf-8")
    assert "5 files scored for 4 people" in page and "ann-2025.json" in page
    capsys.readouterr()


def test_a_person_without_an_id_is_matched_by_name(tmp_path: Path) -> None:
    from competency.summary import TeamSummary

    fw_path = write_framework(tmp_path, LEVELS, AREAS)
    framework = load_framework(fw_path)
    summary = TeamSummary(stamp=lambda file: None)  # no stamps: the later file counts
    summary.start(framework)
    for file, name, pid in (("a", "Ann", None), ("b", "Ann", None), ("c", "Ann", "A1")):
        summary.add(
            {
                "file": file,
                "ok": True,
                "subject": {"name": name, "id": pid},
                "framework": {"id": framework.id},
                "status": "submitted",
                "completion": 0.0,
                "overall": {"level": "Not assessed", "rank": None},
                "areas": {
                    a: {"title": a, "level": "Not assessed", "rank": None} for a in ("x", "y")
                },
            }
        )
    assert [p.file for p in summary.people] == ["b", "c"]
    assert [(s.file, s.kept) for s in summary.set_aside] == [("a", "b")]


def test_the_default_table_says_who_is_below_target_and_units_sort_naturally(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    for unit in ("Branch 10", "Branch 2"):
        doc = json.loads((folder / "bob.json").read_text())
        doc["subject"] = {"name": f"Bob of {unit}", "id": unit, "unit": unit}
        (folder / f"{unit}.json").write_text(json.dumps(doc))
    main(["summary", str(folder), "--framework", str(framework)])
    out = capsys.readouterr().out
    assert out.index("Unit: Branch 2 ") < out.index("Unit: Branch 10 ")
    below = out[out.index("Below their target: 3") :]
    for name, area, level, target in (
        ("Cat", "Area X", "Not assessed", "Good"),
        ("Ann", "Area Y", "Basic", "Good"),
        ("Dan", "Area Y", "Not assessed", "Basic"),
    ):
        row = next(line for line in below.splitlines() if f" {name} " in line)
        assert area in row and level in row and target in row


def test_a_long_below_target_list_is_cut_in_the_table_and_says_where_the_rest_is(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thousands of rows take rich seconds to lay out and no screen shows them: the table
    # lists the first TABLE_ROWS (here 2 of the 3) and says how many more and where.
    from competency import outputs

    monkeypatch.setattr(outputs, "TABLE_ROWS", 2)
    folder, framework = team
    main(["summary", str(folder), "--framework", str(framework)])
    out = capsys.readouterr().out
    below = out[out.index("Below their target: 3") :]
    listed = [n for n in ("Ann", "Cat", "Dan") if any(f" {n} " in ln for ln in below.splitlines())]
    assert len(listed) == 2
    assert "... and 1 more below a target; --format md, html or json lists them all." in out
    main(["summary", str(folder), "--framework", str(framework), "--format", "md"])
    md = capsys.readouterr().out
    rows = md[md.index("## Below their target") :].split("\n\n")[1].splitlines()[2:]
    assert len(rows) == 3, "Markdown lists every row"


def test_the_page_keeps_what_people_need_in_view_and_on_paper(
    team: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    target = tmp_path / "team.html"
    html = ["--format", "html", "--output", str(target)]
    main(["summary", str(folder), "--framework", str(framework), *html])
    page = target.read_text("utf-8")
    heads = re.findall(r'<th scope="col"[^>]*><button type="button">([^<]+)</button>', page)
    # Overall right after Done: at 1,200 px it is on screen however many areas follow.
    assert heads == ["Person", "Id", "Unit", "Done", "Overall", "Area X", "Area Y"]
    # Every level in the legend has a swatch of the colour its cells get.
    legend = page[page.index('<ul class="legend"') :]
    legend = legend[: legend.index("</ul>")]
    assert legend.count('class="swatch') == len(COLUMNS)
    # Names below target are never folded away, and folded units print open.
    below = page[page.index("<h2>Below their target</h2>") :]
    assert "<details" not in below[: below.index("<h2>", 5)]
    assert "details::details-content { content-visibility: visible" in page
    capsys.readouterr()


def test_level_colours_keep_aa_contrast_for_any_ladder() -> None:
    from competency.outputs.chart import contrast, level_palette

    for top in range(1, 12):
        palette = level_palette(top)
        assert len(palette) == top + 1
        assert all(contrast(background, text) >= 4.5 for background, text in palette)
        darkness = [contrast(background, "#ffffff") for background, _ in palette]
        assert darkness == sorted(darkness)  # a higher level is never lighter


def test_the_page_draws_each_area_as_a_stacked_bar_with_its_numbers(
    team: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    target = tmp_path / "team.html"
    html = ["--format", "html", "--output", str(target)]
    main(["summary", str(folder), "--framework", str(framework), *html])
    page = target.read_text("utf-8")
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert page.index("<svg") < page.index("<table")  # the picture comes before the tables
    # Area X: 1 not assessed, 1 below, 0 basic, 1 good, 1 great: four parts, four counts.
    bar_x = chart[chart.index(">Area X<") : chart.index(">Area Y<")]
    assert bar_x.count("<rect") == 4
    assert re.findall(r"<title>Area X: (\d+) ([^<]+)</title>", bar_x) == [
        ("1", "Not assessed"),
        ("1", "Below Basic"),
        ("1", "Good"),
        ("1", "Great"),
    ]
    assert "4 people, median Good" in bar_x
    capsys.readouterr()


def earlier_cycle(tmp_path: Path, framework_path: Path) -> Path:
    """Last year's team: Ann lower in X, Bob higher in Y, Cat there, Dan missing, Eve gone."""
    framework = load_framework(framework_path)
    folder = tmp_path / "last-year"
    folder.mkdir()
    people = {
        # Ann now: x Great, y Basic. Then: x Basic (good.1 low), y Basic.
        "ann": {"basic.1": 3, "good.1": 1, "basic.2": 3, "good.2": 1},
        # Bob now: x Below, y Basic. Then: x Below, y Good.
        "bob": {"basic.1": 1, "basic.2": 4, "good.2": 4},
        "cat": {},
        "eve": {"basic.1": 4},
    }
    for name, ratings in people.items():
        doc = assessment_doc(framework, ratings, status="submitted")
        doc["subject"] = {"name": name.title(), "id": name.upper()}
        (folder / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def test_since_an_earlier_cycle_says_who_moved_up_stayed_or_down(
    team: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    (folder / "zz-broken.json").unlink()
    before = earlier_cycle(tmp_path, framework)
    args = [str(folder), "--since", str(before), "--framework", str(framework)]
    code, summary, err = summary_json(capsys, *args)
    assert code == 0 and err == ""
    progress = summary["progress"]
    assert (progress["earlier_scored"], progress["matched"]) == (4, 3)
    areas = {a["id"]: a for a in progress["areas"]}
    # x: Ann Basic -> Great (up); Bob Below -> Below (stayed); Cat not assessed both times.
    assert [areas["x"][k] for k in ("up", "same", "down", "not_comparable")] == [1, 1, 0, 1]
    # y: Ann Basic -> Basic; Bob Good -> Basic (down); Cat not comparable.
    assert [areas["y"][k] for k in ("up", "same", "down", "not_comparable")] == [0, 1, 1, 1]
    moved = {m["name"]: m["moves"] for m in progress["moved"]}
    assert moved["Ann"][0] == {"area": "Area X", "from": "Basic", "to": "Great", "up": True}
    assert moved["Bob"] == [{"area": "Area Y", "from": "Good", "to": "Basic", "up": False}]
    assert [p["name"] for p in progress["new"]] == ["Dan"]
    assert [p["name"] for p in progress["gone"]] == ["Eve"]

    for fmt in ("table", "md", "csv"):
        main(["summary", *args, "--format", fmt])
        out = " ".join(capsys.readouterr().out.split())
        assert "Eve" in out and "Dan" in out, fmt
        if fmt == "csv":
            assert "person_down" in out
        else:
            assert "3 people in both cycles, 1 new, 1 gone" in out, fmt
            assert "Area Y: Good → Basic" in out, fmt
    target = tmp_path / "progress.html"
    main(["summary", *args, "--format", "html", "--output", str(target)])
    page = target.read_text("utf-8")
    assert "<h2>Progress since the earlier cycle</h2>" in page
    assert "Area Y: Good → Basic" in page and "Gone since then: 1" in page
    capsys.readouterr()


def test_csv_rows_keep_one_width_with_since(
    team: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, framework = team
    before = earlier_cycle(tmp_path, framework)
    since = ["--since", str(before), "--framework", str(framework)]
    main(["summary", str(folder), *since, "--format", "csv"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    start = rows[0].index("person")
    assert rows[0][start : start + 3] == ["person", "from_level", "to_level"]
    assert len(set(rows[0])) == len(rows[0])  # the insight's columns come after, unique
    assert {len(row) for row in rows} == {len(rows[0])}
    down = next(dict(zip(rows[0], row, strict=True)) for row in rows if row[0] == "person_down")
    moved = (down["person"], down["area"], down["from_level"], down["to_level"])
    assert moved == ("Bob", "Area Y", "Good", "Basic")
    assert down["file"] == str(folder / "bob.json")


def test_a_large_team_page_holds_its_rows_as_data_not_as_thousands_of_elements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: ten thousand people made a 2.4 MB page of table rows that took 12 s to
    # open. Rows are data, drawn a page at a time; so are long below-target lists.
    from competency.outputs import team
    from competency.summary import TeamSummary

    monkeypatch.setattr(team, "INLINE_BELOW", 2)
    framework = load_framework(write_framework(tmp_path, LEVELS, AREAS))
    summary = TeamSummary()
    summary.start(framework)
    for i, name in enumerate(["Zoë 10", "adam 2", "Émile 1", "Zoe 9"]):
        summary.add(
            {
                "file": f"p{i}.json",
                "ok": True,
                "subject": {"name": name, "id": f"P{i}"},
                "framework": {"id": framework.id},
                "status": "submitted",
                "completion": 0.5,
                "overall": {"level": "Basic", "rank": 1},
                "areas": {
                    "x": {"title": "Area X", "level": "Basic", "rank": 1},
                    "y": {"title": "Area Y", "level": "Not assessed", "rank": None},
                },
                "targets": {"x": {"level": "good", "rank": 2}},
            }
        )
    out = io.BytesIO()
    team.write_html(summary, out)
    page = out.getvalue().decode("utf-8")
    body = page[page.index("<h2>Below their target</h2>") :]
    assert "<td>" not in body[: body.index("<h2>", 10)]  # no row written out ...
    assert '<table id="below">' in page  # ... the script draws them a page at a time
    data = json.loads(re.findall(r'id="heatmap-data">(.*?)</script>', page, re.S)[0])
    # People come sorted by name as the page's collator would: no sort on opening.
    assert [p[0] for p in data["people"]] == ["adam 2", "Émile 1", "Zoe 9", "Zoë 10"]
    assert data["below"] == [[0, 0, "Good"], [1, 0, "Good"], [2, 0, "Good"], [3, 0, "Good"]]
    assert data["people"][0][5] == [1, 1, None]  # overall first, then the areas


def aside_record(framework: Framework, file: str) -> dict[str, Any]:
    return {
        "file": file,
        "ok": True,
        "subject": {"name": "Ann", "id": "A1"},
        "framework": {"id": framework.id},
        "status": "submitted",
        "completion": 0.0,
        "overall": {"level": "Not assessed", "rank": None},
        "areas": {a: {"title": a, "level": "Not assessed", "rank": None} for a in ("x", "y")},
    }


def test_files_saved_at_the_same_time_are_not_called_newer(tmp_path: Path) -> None:
    """Two of Ann's files with the same updated_at: the line says so, and never '(newer)'."""
    from competency.summary import TeamSummary

    framework = load_framework(write_framework(tmp_path, LEVELS, AREAS))
    same = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    summary = TeamSummary(stamp=lambda file: same)
    summary.start(framework)
    for file in ("a.json", "b.json"):
        summary.add(aside_record(framework, file))
    (line,) = [s.line() for s in summary.set_aside]
    assert "(newer)" not in line
    assert line == "a.json: Ann is counted once, by b.json (saved at the same time; " + (
        "the file listed later counts)"
    )


def test_a_chain_of_cycles_names_the_file_really_counted(tmp_path: Path) -> None:
    """Three cycles of Ann, given oldest last: every set-aside file names the one counted,
    never a file that was itself set aside."""
    from competency.summary import TeamSummary

    framework = load_framework(write_framework(tmp_path, LEVELS, AREAS))
    stamps = {
        "2025.json": datetime(2025, 11, 1, tzinfo=UTC),
        "2026.json": datetime(2026, 11, 1, tzinfo=UTC),
        "2024.json": datetime(2024, 11, 1, tzinfo=UTC),
    }
    summary = TeamSummary(stamp=stamps.__getitem__)
    summary.start(framework)
    for file in ("2024.json", "2025.json", "2026.json"):
        summary.add(aside_record(framework, file))
    assert [p.file for p in summary.people] == ["2026.json"]
    assert sorted((s.file, s.kept, s.why) for s in summary.set_aside) == [
        ("2024.json", "2026.json", "newer"),
        ("2025.json", "2026.json", "newer"),
    ]
