"""A framework we did not write: eight levels, nine areas, through the whole core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from competency.cli import main
from competency.framework.model import Framework, load_framework
from competency.scoring import score
from tests.conftest import assessment_doc
from tests.external.ft_framework import convert


@pytest.fixture(scope="module")
def ft(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    return load_framework(convert(tmp_path_factory.mktemp("ft")))


def test_eight_levels_in_file_order(ft: Framework) -> None:
    assert [lvl.key for lvl in ft.levels][:3] == ["junior", "engineer", "senior-1"]
    assert len(ft.levels) == 8
    assert ft.levels[-1].label == "Technology Director"
    assert len(ft.areas) == 9
    assert ft.statement_by_id["junior.1"].topic == "Planning and Organising"


def test_scoring_walks_all_eight_levels(ft: Framework) -> None:
    communication = ft.area_by_id["communication"].statement_ids
    ratings: dict[str, int | str] = dict.fromkeys(communication[:5], 3)
    result = score(ft, ratings)
    area = result.area("communication")
    assert (area.level, area.rank) == (ft.levels[4].label, 5)
    assert area.next_level is not None and area.next_level.rank == 6
    # Overall only averages what is answered: one 3 per level reaches the same five levels.
    assert result.overall.rank == 5
    assert result.overall.completion == pytest.approx(5 / 72)


def test_score_and_validate_commands_take_it(
    ft: Framework, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ft.source_path is not None
    person = tmp_path / "eng.json"
    person.write_text(json.dumps(assessment_doc(ft, {"junior.1": 4, "junior.2": 4})))
    assert main(["validate", ft.source_path, str(person), "--framework", ft.source_path]) == 0
    capsys.readouterr()
    code = main(["score", str(person), "--framework", ft.source_path, "--format", "jsonl"])
    record = json.loads(capsys.readouterr().out)
    assert code == 0
    assert record["areas"]["planning-organising"]["level"] == "Junior Engineer"
    assert record["framework"] == {"id": "ft-engineering", "version": "d54616e"}
