"""Killing the saving code at random moments never leaves a broken or mixed file.

A forked child saves new versions of one assessment as fast as it can; the parent kills
it with SIGKILL after a random delay, hundreds of times. After every kill the file on
disk must be one complete version: it parses, it is self-consistent (every version
writes N ratings and a note saying N), and it is never older than one already seen.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from competency.assessment import new_assessment
from competency.framework.model import Framework
from competency.storage import AssessmentStore, load_assessment, save_assessment

KILLS = int(os.environ.get("CRASH_KILLS", "300"))

pytestmark = pytest.mark.slow


def save_forever(path: Path, librarians: Framework, start: int) -> None:
    """Child process: write versions start, start+1, ... until killed."""
    ids = [s.id for s in librarians.statements]
    version = start
    while True:
        version += 1
        a = new_assessment(librarians, "Ada Example")
        count = version % len(ids) + 1
        a.ratings = {sid: version % 5 for sid in ids[:count]}
        # A long note of varying length makes each write span several blocks.
        a.notes = {"emerging.1": f"version {version} " + "x" * (version * 37 % 20000)}
        a.subject.id = str(version)
        save_assessment(a, path)


def check_complete(path: Path, librarians: Framework) -> int:
    a = load_assessment(path)
    if a.subject.id is None:  # still the first file, written before any child ran
        assert a.ratings == {}
        return 0
    version = int(a.subject.id)
    assert len(a.ratings) == version % len(librarians.statements) + 1
    assert set(a.ratings.values()) == {version % 5}
    assert a.notes["emerging.1"].startswith(f"version {version} ")
    return version


def test_sigkill_at_random_moments_never_corrupts(tmp_path: Path, librarians: Framework) -> None:
    path = tmp_path / "ada.json"
    save_assessment(new_assessment(librarians, "Ada Example"), path)
    rng = random.Random(20261122)
    seen = 0
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # child
            try:
                save_forever(path, librarians, seen)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        version = check_complete(path, librarians)
        assert version >= seen
        seen = version
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "ada.json"]
    # A kill between creating the temporary file and renaming it can leave a temp file
    # beside the assessment; it is never the assessment itself, and it is hidden.
    assert all(name.startswith(".ada.json.") and name.endswith(".tmp") for name in leftovers)
    assert seen > 0, "the child never completed a save: the test proved nothing"
    with AssessmentStore(path):  # the next session tidies the debris of killed saves
        assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
