"""One assessment's levels as an Open Badges 3.0 credential (an AchievementCredential).

The 1EdTech Open Badges 3.0 data model, as the issue maps it:

- the achievement is the framework: its title, version and source, with the scoring rule
  in words as its criteria;
- each competency area, and the overall level, is a ``ResultDescription`` of
  ``resultType`` ``RubricCriterionLevel`` whose ``rubricCriterionLevel`` list is the
  framework's levels, lowest first;
- each area's level reached is a ``Result`` whose ``achievedLevel`` is that level's id.
  An area not assessed, or below the first level, has no achieved level; its ``value``
  says which, in the report's words.

The credential says whose ratings it states (the person's own, or the reviewer's of a
signed-off review) and the assessment's status. Ids are URNs: nothing here claims a URL
that the issuer may not serve. ``write_json`` writes the credential as JSON; signed, it is
a VC-JWT (``write_jwt``), the Open Badges 3.0 JSON Web Token proof: the credential is the
JWT's payload, with ``iss``, ``jti``, ``nbf`` and ``sub`` repeating its issuer, id,
``validFrom`` and subject id.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit

from competency.errors import AssessmentError, CompetencyError
from competency.outputs.words import STATUS_LABELS
from competency.ratings import DEFAULT_THRESHOLD, RATING_SCALE, utc_now
from competency.scoring import NOT_IN_ROLE, AreaResult, score

if TYPE_CHECKING:
    from competency.assessment import Assessment
    from competency.framework.model import Framework
    from competency.framework.profiles import Profile
    from competency.signing import SigningKey

Source = Literal["self", "review"]

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    # Defines 1EdTechJsonSchemaValidator2019 (credentialSchema's type): without it, a
    # JSON-LD processor in safe mode refuses the credential as a relative @type.
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
]
CREDENTIAL_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
_IDS = uuid.UUID("5f0e8f3c-58b5-4b8e-9a43-0c0b6f0f6c12")
"""The namespace of the name-based (version 5) UUIDs below: the same framework, or the
same person at the same issuer, gets the same id in every credential."""


class CredentialError(CompetencyError):
    """A credential that cannot be issued from this assessment with these options."""


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential ready to write, and the key to sign it with, if any."""

    document: dict[str, Any]
    key: SigningKey | None = None


def issuer_url(text: str) -> str:
    """``--issuer-id``: an absolute http(s) URL, as a credential's issuer id must be a URI."""
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in text):
        raise ValueError(f"{text!r} is not an http(s) URL, e.g. https://library.example.org")
    return text


def build_credential(
    assessment: Assessment,
    framework: Framework,
    *,
    issuer_id: str,
    issuer_name: str,
    source: Source = "self",
    threshold: float = DEFAULT_THRESHOLD,
    now: datetime | None = None,
    credential_id: str | None = None,
    file: str = "",
) -> dict[str, Any]:
    """The AchievementCredential of ``assessment``'s levels against ``framework``."""
    review = assessment.review
    if source == "review":
        if review is None:
            raise AssessmentError("has no review (--source review)", source=file)
        if assessment.status != "reviewed" or review.completed_at is None:
            raise AssessmentError(
                "its review is not signed off, so it cannot be issued as the reviewer's "
                "(--source review needs status 'reviewed')",
                source=file,
            )
        ratings = review.ratings
    else:
        ratings = assessment.ratings
    profile = framework.profile(assessment.profile)
    result = score(framework, ratings, threshold, profile)
    issued = (now or utc_now()).astimezone(UTC).replace(microsecond=0)
    achievement_id = _urn(f"framework {framework.id} {framework.version} {framework.fingerprint}")
    subject = assessment.subject
    who = subject.id if subject.id else f"name {subject.name}"
    whose = _whose(assessment, source)
    status = STATUS_LABELS.get(assessment.status, assessment.status)
    groups = [*result.areas, result.overall]
    descriptions = [_result_description(achievement_id, framework, g) for g in groups]
    return {
        "@context": list(CONTEXT),
        "id": credential_id or uuid.uuid4().urn,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{framework.title}: {result.overall.level}",
        "description": (
            f"{subject.name}'s levels in {framework.title}"
            f"{_version(framework)}: {result.overall.level} overall. "
            f"From {whose}. Status: {status}."
        ),
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": _iso(issued),
        "credentialSchema": [dict(CREDENTIAL_SCHEMA)],
        "credentialSubject": {
            "id": _urn(f"person {issuer_id} {who}"),
            "type": ["AchievementSubject"],
            "identifier": _identifiers(assessment),
            "narrative": f"Ratings: {whose}. Assessment status: {assessment.status}."
            + _role(profile),
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": framework.title,
                "description": _framework_description(framework),
                "humanCode": framework.id,
                **({"version": framework.version} if framework.version else {}),
                "criteria": {"narrative": _criteria(threshold)},
                "resultDescription": descriptions,
            },
            "result": [_result(achievement_id, g) for g in groups],
        },
    }


def _urn(name: str) -> str:
    return uuid.uuid5(_IDS, name).urn


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _version(framework: Framework) -> str:
    return f" ({framework.version})" if framework.version else ""


def _whose(assessment: Assessment, source: Source) -> str:
    review = assessment.review
    if source == "review" and review is not None:
        signed = review.completed_at
        when = f", signed off {signed.date().isoformat()}" if signed else ""
        return f"the review by {review.reviewer.name}{when}"
    return f"the self-assessment by {assessment.subject.name}"


def _role(profile: Profile | None) -> str:
    """The role profile the levels were assessed in (SPEC 9), for the subject's narrative."""
    if profile is None:
        return ""
    count = len(profile.statement_ids)
    return (
        f" Role profile: {profile.title} ({profile.id}): only its {count} statements were "
        f"rated; an area with none of them reads {NOT_IN_ROLE}."
    )


def _identifiers(assessment: Assessment) -> list[dict[str, Any]]:
    subject = assessment.subject
    found = [("name", subject.name)]
    if subject.id:
        found.append(("identifier", subject.id))
    return [
        {"type": "IdentityObject", "identityHash": value, "identityType": kind, "hashed": False}
        for kind, value in found
    ]


def _framework_description(framework: Framework) -> str:
    from competency.outputs.report import source_text

    parts = [framework.description.strip()] if framework.description.strip() else []
    parts.append(f"Framework {framework.id}{_version(framework)}.")
    if framework.attribution:
        parts.append(f"Source: {framework.attribution}.")
    sources = framework.sources
    if sources:
        listed = "; ".join(f"{key}: {source_text(value)}" for key, value in sources.items())
        parts.append(f"Data: {listed}.")
    return " ".join(parts)


def _criteria(threshold: float) -> str:
    scale = ", ".join(f"{value} {label}" for value, label, _ in RATING_SCALE)
    return (
        "Each statement is rated on the scale " + scale + ". In each area, the levels are "
        "walked from the lowest: a level is reached when the mean of the numeric ratings "
        f"of the area's statements at that level is at least {threshold}; the walk stops "
        "at the first level not reached or with no numeric rating. A level with no "
        "statements in the area, or only 'na' ratings, is skipped. The area's level is the "
        "highest level reached; 'Below' the first level when rated but the first level is "
        "not reached; 'Not assessed' when nothing is rated. The overall level applies the "
        "same rule to every statement."
    )


def _description_id(achievement_id: str, group: AreaResult) -> str:
    return f"{achievement_id}#{quote(group.id, safe='-')}"


def _level_id(achievement_id: str, group: AreaResult, key: str) -> str:
    return f"{_description_id(achievement_id, group)}.{quote(key, safe='-')}"


def _result_description(
    achievement_id: str, framework: Framework, group: AreaResult
) -> dict[str, Any]:
    return {
        "id": _description_id(achievement_id, group),
        "type": ["ResultDescription"],
        "name": group.title,
        "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [
            {
                "id": _level_id(achievement_id, group, level.key),
                "type": ["RubricCriterionLevel"],
                "name": level.label,
                "level": level.key,
                "points": str(level.rank),
            }
            for level in framework.levels
        ],
    }


def _result(achievement_id: str, group: AreaResult) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": ["Result"],
        "resultDescription": _description_id(achievement_id, group),
        "value": group.level,
    }
    if group.level_key is not None:
        result["achievedLevel"] = _level_id(achievement_id, group, group.level_key)
    return result


def jwt_claims(document: dict[str, Any]) -> dict[str, Any]:
    """The VC-JWT payload: the credential, with the claims that repeat its fields."""
    valid_from = datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00"))
    return {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": int(valid_from.timestamp()),
        "sub": document["credentialSubject"]["id"],
    }


def write_json(credential: Credential, out: IO[bytes]) -> None:
    """The credential as indented JSON (an unsigned OpenBadgeCredential)."""
    text = json.dumps(credential.document, ensure_ascii=False, indent=2)
    out.write(text.encode("utf-8") + b"\n")


def write_jwt(credential: Credential, out: IO[bytes]) -> None:
    """The credential as a VC-JWT: one line, the compact JWS signed with the key."""
    from competency.signing import sign_jwt

    if credential.key is None:
        raise CredentialError("a VC-JWT needs a key to sign it with (--key)")
    out.write(sign_jwt(jwt_claims(credential.document), credential.key).encode() + b"\n")
