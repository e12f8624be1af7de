"""Issue 10, cases 8 and 9: a report names the version it was made from, and verify says so.

Export, then submit: the report is of an earlier version of the same assessment, which
`verify` says (with what changed since) instead of a bare "DOES NOT MATCH". An export
is built from the file's bytes, never from a screen's memory. Re-exporting keeps the
earlier report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from competency.cli import main
from competency.framework.model import Framework
from competency.session import Session
from competency.storage import AssessmentStore
from tests.tui.conftest import write_assessment


def open_session(path: Path, framework: Framework) -> Session:
    store = AssessmentStore(path)
    store.acquire()
    return Session(framework, store.load(), store)


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_export_then_submit_is_an_earlier_version_not_an_edit(
    tmp_path: Path, librarians: Framework, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [s.id for s in librarians.statements]
    path = write_assessment(tmp_path / "ada.json", librarians, ratings=dict.fromkeys(ids, 3))
    session = open_session(path, librarians)
    report = session.export_report(fmt)
    session.submit()
    session.store.release()
    assert main(["verify", str(report), str(path)]) == 1
    err = capsys.readouterr().err
    assert "MADE FROM AN EARLIER VERSION" in err and "not edited since export" in err
    assert "status in_progress -> submitted; answers unchanged" in err
    assert "DOES NOT MATCH" not in err


def test_an_earlier_version_with_other_answers_says_so(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    first = librarians.statements[0].id
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={first: 3})
    session = open_session(path, librarians)
    report = session.export_report("html")
    session.rate(first, 1)
    session.store.release()
    assert main(["verify", str(report), str(path)]) == 1
    assert "status unchanged (in_progress); answers changed" in capsys.readouterr().err


def test_an_edit_by_hand_is_not_an_earlier_version(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    first = librarians.statements[0].id
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={first: 3})
    session = open_session(path, librarians)
    report = session.export_report("md")
    session.store.release()
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["ratings"][first] = 4  # edited, updated_at left as it was
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["verify", str(report), str(path)]) == 1
    err = capsys.readouterr().err
    assert "DOES NOT MATCH" in err and "EARLIER VERSION" not in err


def test_another_persons_file_is_not_an_earlier_version(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    ada = write_assessment(tmp_path / "ada.json", librarians)
    eve = write_assessment(tmp_path / "eve.json", librarians, name="Eve Example")
    report = tmp_path / "ada.report.json"
    assert main(["report", str(ada), "--format", "json", "--output", str(report)]) == 0
    assert main(["verify", str(report), str(eve)]) == 1
    err = capsys.readouterr().err
    assert "DOES NOT MATCH" in err and "EARLIER VERSION" not in err


def test_the_export_is_built_from_the_file_not_the_screen(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    first = librarians.statements[0].id
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={first: 3})
    session = open_session(path, librarians)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["ratings"][first] = 0  # changed behind the session, which still holds 3
    path.write_text(json.dumps(doc), encoding="utf-8")
    report = session.export_report("json")
    session.store.release()
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert f'"id": "{first}"' in report.read_text(encoding="utf-8")
    plans = [line for area in shown["areas"] for line in area["next_level_asks"]]
    assert [line["rating"] for line in plans if line["id"] == first] == [0]
    assert main(["verify", str(report), str(path)]) == 0
    assert "VERIFIED" in capsys.readouterr().out


def test_re_exporting_keeps_the_earlier_report(tmp_path: Path, librarians: Framework) -> None:
    first = librarians.statements[0].id
    path = write_assessment(tmp_path / "ada.json", librarians, ratings={first: 3})
    session = open_session(path, librarians)
    one = session.export_report("html")
    before = one.read_bytes()
    session.rate(first, 1)
    two = session.export_report("html")
    three = session.export_report("html")
    session.store.release()
    assert (one.name, two.name, three.name) == (
        "ada.report.html",
        "ada.2.report.html",
        "ada.3.report.html",
    )
    assert one.read_bytes() == before
