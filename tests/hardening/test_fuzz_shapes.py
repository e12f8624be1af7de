"""Fuzzing the classes issue 24 found: huge and deep values in TOML and JOSE input, and
frameworks of many areas or many levels. Every outcome is a value or one line."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competency.batch import FrameworkSheet
from competency.errors import CompetencyError
from competency.framework.model import load_framework
from competency.scoring import score
from competency.signing import (
    ED25519,
    REPORT,
    REVIEW,
    CannotCheck,
    KeyPair,
    Verdict,
    load_public_key,
    new_key_pair,
    verify_detached,
    verify_jwt,
)
from tests.conftest import REPO

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
AREAS = (REPO / "frameworks" / "librarians-25-4022.00.areas.toml").read_text()
LIBRARIANS = REPO / "frameworks" / "librarians-25-4022.00.json"

TOML_VALUE = st.sampled_from(
    [
        "9" * 4301,
        "-" + "9" * 5000,
        "inf",
        "nan",
        "1e400",
        "[" * 3000 + "]" * 3000,
        "{a = " * 1200 + "1" + "}" * 1200,
        '"\u200b"',
        "0x" + "f" * 4000,
        "[[[[1]]]]",
    ]
)


@FUZZ
@given(
    key=st.sampled_from(["x", "statements", "title", "id", "description"]),
    value=TOML_VALUE,
    at_end=st.booleans(),
)
def test_an_area_map_with_any_value_anywhere_is_one_line(
    tmp_path: Path, key: str, value: str, at_end: bool
) -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "fw.json").write_bytes(LIBRARIANS.read_bytes())
    line = f"{key} = {value}\n"
    text = AREAS + "\n" + line if at_end else line + AREAS
    (folder / "fw.areas.toml").write_text(text)
    try:
        load_framework(folder / "fw.json")
    except CompetencyError as exc:
        assert "\n" not in exc.line and "fw.areas.toml" in exc.line


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> KeyPair:
    # Ed25519: the tokens below name EdDSA, so they reach the signature check itself.
    return new_key_pair(tmp_path_factory.mktemp("k") / "k.key", ED25519)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


JSON_PART = st.sampled_from(
    [
        b"[" * 1500 + b"]" * 1500,
        b'{"alg":"EdDSA","typ":"JWT","kid":' + b"9" * 4301 + b"}",
        b'{"alg":"EdDSA","typ":"JWT"}',
        b'{"alg":"none"}',
        b'{"alg":"EdDSA","crit":["x"],"x":1}',
        b'{"alg":"EdDSA","typ":"competency-review+jws"}',
        b"[]",
        b"null",
        b"{" * 5000,
    ]
) | st.binary(max_size=64)


@FUZZ
@given(header=JSON_PART, payload=JSON_PART, signature=st.binary(max_size=80))
def test_any_jose_token_is_a_verdict_or_cannot_check(
    keys: KeyPair, header: bytes, payload: bytes, signature: bytes
) -> None:
    public = load_public_key(str(keys.public_jwk))
    token = f"{b64(header)}.{b64(payload)}.{b64(signature)}"
    try:
        assert verify_jwt(token, public)[0].verdict is not Verdict.VERIFIED
        detached = f"{b64(header)}..{b64(signature)}"
        for kind in (REPORT, REVIEW):
            assert verify_detached(detached, payload, public, kind).verdict is not Verdict.VERIFIED
    except CannotCheck as exc:
        assert "\n" not in exc.line


RATING = st.sampled_from([0, 1, 2, 3, 4, "na", None])


@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_frameworks_of_many_areas_or_levels_score_alike_both_ways(
    tmp_path: Path, data: st.DataObject
) -> None:
    """The batch table's chunks agree with ``score`` whatever the shape."""
    levels = data.draw(st.integers(min_value=1, max_value=150))
    per_level = data.draw(st.integers(min_value=1, max_value=4))
    ids = [f"l{i}.{j}" for i in range(levels) for j in range(1, per_level + 1)]
    count = data.draw(st.integers(min_value=1, max_value=min(len(ids), 50_000 // levels)))
    doc = {
        "schemaVersion": "1.0",
        "occupation": {"soc": "x", "title": "X"},
        "framework": {
            "levels": {
                f"l{i}": {"label": f"L{i}", "statements": ["s"] * per_level} for i in range(levels)
            }
        },
    }
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "fw.json").write_text(json.dumps(doc))
    (folder / "fw.areas.toml").write_text(
        "".join(
            f'[[areas]]\nid = "a{k}"\ntitle = "A"\nstatements = {json.dumps(ids[k::count])}\n'
            for k in range(count)
        )
    )
    framework = load_framework(folder / "fw.json")
    values = data.draw(st.lists(RATING, min_size=len(ids), max_size=len(ids)))
    ratings = {sid: v for sid, v in zip(ids, values, strict=True) if v is not None}
    expected = score(framework, ratings)
    want = [(a.level, a.rank, a.completion) for a in (*expected.areas, expected.overall)]
    assert FrameworkSheet(framework).outcomes(ratings, 3.0) == want
