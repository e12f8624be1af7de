"""A signed-off review, signed by its reviewer: ``review FILE --sign KEYFILE``.

The signature is a detached JWS (``competency.signing``) over the assessment's content as
canonical JSON: every field of the file, the person's ratings and the whole review
included, keys sorted, no spaces; only ``updated_at`` (which every save stamps) and the
signature itself are left out. It is kept in the file as ``review.signature``, a
signature of kind ``competency.signing.REVIEW`` (so it can never pass for a credential). Content,
not bytes, is signed, so the file may be saved again with other formatting; any change to
what it says (a rating, a note, the status, a reopening in its history) breaks it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from competency.errors import AssessmentError

if TYPE_CHECKING:
    from competency.assessment import Assessment, Person
    from competency.signing import Check, PublicKey, SigningKey


def signed_content(assessment: Assessment) -> bytes:
    """The bytes a review signature covers."""
    doc = assessment.to_json_dict()
    doc.pop("updated_at", None)
    if isinstance(doc.get("review"), dict):
        doc["review"].pop("signature", None)
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign_review(assessment: Assessment, reviewer: Person, key: SigningKey, source: str) -> str:
    """Sign ``assessment``'s signed-off review as ``reviewer``; set and return the signature."""
    from competency.signing import REVIEW, sign_detached

    review = assessment.review
    if review is None or assessment.status != "reviewed" or review.completed_at is None:
        raise AssessmentError(
            "has no signed-off review to sign; sign the review off first (S in review)",
            source=source,
        )
    if (review.reviewer.name, review.reviewer.id) != (reviewer.name, reviewer.id):
        shown = review.reviewer.name + (f" ({review.reviewer.id})" if review.reviewer.id else "")
        raise AssessmentError(
            f"the review belongs to {shown}; only its reviewer can sign it (--reviewer, --id)",
            source=source,
        )
    review.signature = sign_detached(signed_content(assessment), key, REVIEW)
    return review.signature


def verify_review(assessment: Assessment, public: PublicKey) -> Check:
    """Whether the assessment's review signature is this key's review signature, over what
    the file says. Raises ``competency.signing.CannotCheck`` when it cannot be checked."""
    from competency.signing import REVIEW, Check, Verdict, verify_detached

    review = assessment.review
    signature = review.signature if review is not None else None
    if not isinstance(signature, str):
        return Check(Verdict.NOT_SIGNED)
    return verify_detached(signature, signed_content(assessment), public, REVIEW)
