"""Reports for a framework nobody wrote them for: the FT engineering ladder (8 levels,
long level names, themes as areas), with and without an area map."""

from __future__ import annotations

import io
from pathlib import Path

from competency.assessment import Assessment, new_assessment
from competency.cli import main
from competency.framework.model import Framework, load_framework
from competency.outputs.report import write_report
from competency.storage import save_assessment

THEMES = [
    "Planning and Organising",
    "Independent Working",
    "Problem Solving &amp; Decision Making",
    "Business Impact",
    "Communication",
    "Team Work",
    "Curiosity &amp; Learning",
    "Leadership of Self and Others",
    "Technical",
]


def engineer(framework: Framework) -> Assessment:
    a = new_assessment(framework, "Jo Engineer", subject_id="FT1")
    for i, s in enumerate(framework.statements):
        if s.level in ("junior", "engineer", "senior-1"):
            a.ratings[s.id] = (3, 4, 2, 3)[i % 4]
    return a


def html(framework: Framework) -> str:
    out = io.BytesIO()
    write_report("html", engineer(framework), framework, out)
    return out.getvalue().decode("utf-8")


def test_every_theme_is_an_axis_and_a_section(ft_engineering: Path) -> None:
    framework = load_framework(ft_engineering)
    page = html(framework)
    assert len(framework.levels) == 8 and len(framework.areas) == 9
    for i, theme in enumerate(THEMES, start=1):
        assert f'<a href="#area-{i}">{theme}</a>' in page  # the levels table
        assert f'<h3 id="area-{i}-heading">{theme}: ' in page  # its own section
    axis_labels = [line for line in page.splitlines() if "<tspan" in line]
    assert len(axis_labels) == 9
    assert '<polygon class="series self"' in page
    # Eight long level names do not fit on the rings: numbered, with the key beside.
    assert "Levels: 0 Below Junior Engineer, 1 Junior Engineer" in page


def test_without_an_area_map_one_area_gets_a_ladder_not_a_radar(
    ft_engineering_no_areas: Path,
) -> None:
    framework = load_framework(ft_engineering_no_areas)
    page = html(framework)
    assert [a.id for a in framework.areas] == ["all"]
    assert '<polygon class="series self"' not in page
    assert '<circle class="marker self"' in page
    assert "no area map" in page


def test_the_commands_work_on_it_end_to_end(ft_engineering: Path, tmp_path: Path) -> None:
    framework = load_framework(ft_engineering)
    assessment = tmp_path / "jo.json"
    save_assessment(engineer(framework), assessment)
    for fmt in ("html", "md", "json"):
        out = tmp_path / f"report.{fmt}"
        argv = [
            "report",
            str(assessment),
            "--framework",
            str(ft_engineering),
            "--format",
            fmt,
            "--output",
            str(out),
        ]
        assert main(argv) == 0
        assert "Technical" in out.read_text("utf-8")
        assert main(["verify", str(out), str(assessment)]) == 0
