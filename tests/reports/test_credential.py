"""`competency credential`: Open Badges 3.0 credentials that the official schema accepts.

The schema is 1EdTech's own (tests/data/openbadges3, draft 2019-09), read from disk: the
check is offline, and nothing is fetched.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from jsonschema import Draft201909Validator

from competency.cli import main
from competency.framework.model import Framework, load_framework
from competency.outputs.credential import CONTEXT, CREDENTIAL_SCHEMA, build_credential
from competency.signing import NEW_KEY_TYPES, KeyType, new_key_pair
from competency.storage import load_assessment
from tests.conftest import DATA, EXAMPLES, assessment_doc
from tests.external.ft_framework import convert

OB3 = DATA / "openbadges3"
OFFICIAL = json.loads((OB3 / "schema" / "ob_v3p0_achievementcredential.schema.json").read_bytes())
PRIYA = EXAMPLES / "priya-raman-2026-10-12.json"
ISSUER = ["--issuer-id", "https://library.example.org", "--issuer-name", "Example Library"]
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def official_errors(doc: dict[str, Any]) -> list[str]:
    validator = Draft201909Validator(OFFICIAL, format_checker=Draft201909Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def credential(
    path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any] | str]:
    code = main(["credential", str(path), *ISSUER, *extra])
    out = capsys.readouterr().out
    if code != 0:
        return code, out
    return code, json.loads(out) if out.startswith("{") else out.strip()


def test_the_official_schema_is_draft_2019_09_and_rejects_what_it_should() -> None:
    assert OFFICIAL["$schema"].startswith("https://json-schema.org/draft/2019-09/schema")
    Draft201909Validator.check_schema(OFFICIAL)
    example = json.loads((OB3 / "examples" / "spec-fullOpenBadge.json").read_bytes())
    assert official_errors(example) == []  # the spec's own example passes, so the check works
    assert official_errors({"@context": CONTEXT, "type": ["VerifiableCredential"]})


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_a_credential_of_every_bundled_example_validates_against_the_official_schema(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = credential(path, capsys)
    assert code == 0 and isinstance(doc, dict)
    assert official_errors(doc) == []
    assert doc["@context"] == CONTEXT
    assert doc["credentialSchema"] == [CREDENTIAL_SCHEMA]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_the_achievement_is_the_framework_and_each_area_a_rubric_of_its_levels(
    librarians: Framework,
) -> None:
    assessment = load_assessment(PRIYA)
    doc = build_credential(
        assessment,
        librarians,
        issuer_id="https://library.example.org",
        issuer_name="Example Library",
        now=NOW,
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000001",
    )
    assert doc["validFrom"] == "2026-12-01T09:30:00Z"
    assert doc["issuer"] == {
        "id": "https://library.example.org",
        "type": ["Profile"],
        "name": "Example Library",
    }
    subject = doc["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["name"] == librarians.title
    assert achievement["version"] == "v.26.05"
    assert achievement["humanCode"] == "25-4022.00"
    assert "© EBSCOed" in achievement["description"]
    assert "at least 3.0" in achievement["criteria"]["narrative"]
    descriptions = achievement["resultDescription"]
    assert [d["name"] for d in descriptions] == [a.title for a in librarians.areas] + ["Overall"]
    for description in descriptions:
        assert description["resultType"] == "RubricCriterionLevel"
        names = [level["name"] for level in description["rubricCriterionLevel"]]
        assert names == ["Emerging", "Developing", "Proficient", "Advanced"]  # lowest first
    levels = {
        level["id"]: level["name"] for d in descriptions for level in d["rubricCriterionLevel"]
    }
    report = json.loads((Path(__file__).parent / "golden" / "priya.json").read_bytes())
    by_id = {d["id"]: d["name"] for d in descriptions}
    results = {by_id[r["resultDescription"]]: r for r in subject["result"]}
    for area in report["areas"]:
        assert results[area["title"]]["value"] == area["level"]
        assert levels[results[area["title"]]["achievedLevel"]] == area["level"]
    assert levels[results["Overall"]["achievedLevel"]] == report["overall"]["level"]
    assert {i["identityType"]: i["identityHash"] for i in subject["identifier"]} == {
        "name": "Priya Raman",
        "identifier": "E0977",
    }
    assert "self-assessment by Priya Raman" in doc["description"]
    assert "Status: Reviewed" in doc["description"]


def test_an_area_not_assessed_gets_no_achieved_level(
    librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = credential(EXAMPLES / "sam-lindqvist-2026-11-20.json", capsys)
    assert code == 0 and isinstance(doc, dict)
    unassessed = [r for r in doc["credentialSubject"]["result"] if r["value"] == "Not assessed"]
    assert unassessed
    assert all("achievedLevel" not in r for r in unassessed)
    assert "Status: In progress" in doc["description"]


def test_a_credential_in_a_role_profile_says_so_and_scores_only_the_role(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(PRIYA.read_bytes())
    doc["profile"] = "catalog-librarian"
    path = tmp_path / "priya.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, made = credential(path, capsys)
    assert code == 0 and isinstance(made, dict)
    subject = made["credentialSubject"]
    assert (
        "Role profile: Catalog Librarian (catalog-librarian): only its 11 statements"
        in (subject["narrative"])
    )
    values = {r["resultDescription"].rsplit("#", 1)[1]: r for r in subject["result"]}
    assert values["program-administration"]["value"] == "Not in this role"
    assert "achievedLevel" not in values["program-administration"]
    assert values["cataloging-organization"]["value"] != "Not in this role"
    assert official_errors(made) == []


def test_source_review_states_the_reviewers_levels_only_when_signed_off(
    tmp_path: Path, librarians: Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = credential(PRIYA, capsys, "--source", "review")
    assert code == 0 and isinstance(doc, dict)
    assert "review by Grace Example, signed off 2026-11-18" in doc["description"]
    assert official_errors(doc) == []
    report = json.loads((Path(__file__).parent / "golden" / "priya.json").read_bytes())
    overall = [
        r for r in doc["credentialSubject"]["result"] if r["resultDescription"].endswith("#overall")
    ]
    assert overall[0]["value"] == report["review"]["overall_level"]
    pending = json.loads(PRIYA.read_bytes())
    pending["status"] = "submitted"
    pending["review"].pop("completed_at")
    path = tmp_path / "pending.json"
    path.write_text(json.dumps(pending))
    assert main(["credential", str(path), *ISSUER, "--source", "review"]) == 1
    err = capsys.readouterr().err
    assert f"{path}: its review is not signed off" in err
    assert (
        main(
            [
                "credential",
                str(EXAMPLES / "maya-okafor-2026-11-02.json"),
                *ISSUER,
                "--source",
                "review",
            ]
        )
        == 1
    )
    assert "has no review" in capsys.readouterr().err


def test_a_credential_on_another_framework_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ft = convert(tmp_path)
    fw = load_framework(ft)
    person = tmp_path / "ada.json"
    person.write_text(json.dumps(assessment_doc(fw, {s.id: 4 for s in fw.statements[:9]})))
    code, doc = credential(person, capsys, "--framework", str(ft))
    assert code == 0 and isinstance(doc, dict)
    assert official_errors(doc) == []


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--issuer-id", "library.example.org"], "is not an http(s) URL"),
        (["--issuer-id", "ftp://x.example"], "is not an http(s) URL"),
        (["--issuer-name", ""], "--issuer-name"),
    ],
)
def test_bad_issuer_options_are_refused(
    options: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["credential", str(PRIYA), *ISSUER, *options]
    with pytest.raises(SystemExit) as exit_info:
        code = main(args)
        raise SystemExit(code)
    assert exit_info.value.code == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("key_type", NEW_KEY_TYPES.values(), ids=lambda t: t.name)
def test_signed_it_is_a_vc_jwt_another_jose_library_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key_type: KeyType
) -> None:
    """Each key type signs with its algorithm; PyJWT (which the tool does not use) checks
    it with the published JWK; the credential in it passes the official schema and expands
    as JSON-LD; and the tool's own verify says VERIFIED."""
    url = "https://library.example.org/keys/library.json"
    pair = new_key_pair(tmp_path / "library.key", key_type, url=url)
    out = tmp_path / "priya.jwt"
    args = ["--source", "review", "--key", str(pair.private), "--output", str(out)]
    assert credential(PRIYA, capsys, *args)[0] == 0
    token = out.read_text().strip()
    header = pyjwt.get_unverified_header(token)
    assert header == {"alg": key_type.alg, "kid": pair.kid, "typ": "JWT"}
    assert pair.kid.startswith(url + "#")
    published = tmp_path / "library.json"
    assert main(["keys", "publish", str(pair.private), "--output", str(published)]) == 0
    jwk = pyjwt.PyJWK.from_json(published.read_text())  # PyJWT: not what signed it
    claims = pyjwt.decode(token, jwk, algorithms=[key_type.alg], options={"verify_sub": False})
    assert claims["iss"] == claims["issuer"]["id"] == "https://library.example.org"
    assert claims["jti"] == claims["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"]
    valid_from = datetime.fromisoformat(claims["validFrom"].replace("Z", "+00:00"))
    assert claims["nbf"] == int(valid_from.timestamp())
    credential_only = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "sub")}
    assert official_errors(credential_only) == []
    assert relative_terms(expanded(credential_only)) == []
    quads = canonical(credential_only)  # what a Data Integrity proof would sign
    profile = "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile>"
    assert f"<https://library.example.org> {RDF_TYPE} {profile} ." in quads
    other = new_key_pair(tmp_path / "other.key", key_type)
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(token, other.public_pem.read_bytes(), algorithms=[key_type.alg])
    assert main(["verify", str(out), "--key", str(published)]) == 0
    assert f"VERIFIED: an Open Badges credential signed by this key ({pair.kid})" in (
        capsys.readouterr().out
    )


CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "w3c-credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob_v3p0_context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob_v3p0_extensions.json",
}
"""The official contexts a credential names, served from tests/data (never the network)."""


def local(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader: the official contexts from tests/data, never the network."""
    assert url in CONTEXTS, f"the credential names a context with no local copy: {url}"
    document = json.loads((OB3 / "context" / CONTEXTS[url]).read_bytes())
    return {"contextUrl": None, "documentUrl": url, "document": document}


def expanded(doc: dict[str, Any]) -> list[Any]:
    from pyld import jsonld

    result: list[Any] = jsonld.expand(doc, {"documentLoader": local})
    return result


def canonical(doc: dict[str, Any]) -> list[str]:
    """The credential's RDF dataset canonicalised (URDNA2015), as N-Quads lines."""
    from pyld import jsonld

    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    text: str = jsonld.normalize(doc, {**options, "documentLoader": local})
    return text.splitlines()


RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

VALIDATOR = "https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019"
"""The IRI extensions.json gives credentialSchema's type."""


def types_of(node: Any) -> set[str]:
    """Every @type an expanded document holds."""
    if isinstance(node, list):
        return set().union(*(types_of(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {str(t) for t in node.get("@type", [])}
    return found.union(*(types_of(value) for value in node.values()))


def relative_terms(node: Any, where: str = "") -> list[str]:
    """What a JSON-LD processor in safe mode refuses: a key or an @type left relative
    (not an absolute IRI) by the expansion, i.e. a term no context defines."""
    found: list[str] = []
    if isinstance(node, list):
        for n, item in enumerate(node):
            found += relative_terms(item, f"{where}[{n}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@") and ":" not in key:
                found.append(f"{where}.{key}")
            if key == "@type":
                types = value if isinstance(value, list) else [value]
                found += [f"{where}.@type {t}" for t in types if ":" not in str(t)]
            found += relative_terms(value, f"{where}.{key}")
    return found


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_the_credential_expands_as_json_ld_with_every_term_defined(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pyld (a processor the tool does not use) expands every credential against the
    official contexts, and no term or type is left relative: what safe mode requires.
    Without the extensions context, credentialSchema's type was relative."""
    code, doc = credential(path, capsys)
    assert code == 0 and isinstance(doc, dict)
    result = expanded(doc)
    assert result and relative_terms(result) == []
    assert VALIDATOR in types_of(result)
    # Without extensions.json the type has no IRI: a processor leaves it relative, or
    # drops it, as versions differ; either way it is not the one defined.
    without = dict(doc, **{"@context": CONTEXT[:2]})
    assert VALIDATOR not in types_of(expanded(without))
