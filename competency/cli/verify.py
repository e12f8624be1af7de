"""``competency verify REPORT [ASSESSMENT]``: was this report made from this assessment?"""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.common import add_command, error, paragraphs

MAX_REPORT_BYTES = 50 * 1024 * 1024
"""Reports are tens of KiB; anything this big is not one of ours."""


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "verify",
        summary="check that a report matches its assessment and was not edited",
        description=paragraphs(
            "Check an exported report (html, md or json) against the assessment "
            "file it claims to come from. Every report carries two SHA-256 digests: one of "
            "the assessment file it was made from, and one of the report's own content.\n\n"
            "What a pass proves: the report is exactly what `competency report` wrote (not "
            "edited since, not even one character), and it was made from exactly this "
            "assessment file, byte for byte (or, when noted, the same content saved with "
            "other formatting). Line endings are not content: a report whose line endings "
            "became CRLF on the way (git autocrlf, a mail client) passes, and verify says "
            "so.\n\n"
            "What it does not prove: who made the report, or that the assessment itself is "
            "genuine. A digest is not a signature: someone who edits a report and recomputes "
            "its digest (the method is public) is not caught, and nor is a report made from "
            "an assessment that was edited before the report was made. Keep the assessment "
            "file somewhere the person cannot change it, and compare against that copy.\n\n"
            "Without ASSESSMENT, only checks that the report was not edited, and prints the "
            "digest of the assessment it names.\n\n"
            "Exit status: 0 verified; 1 the report was edited or does not match the "
            "assessment; 2 cannot check (unreadable file, or not a report from this tool)."
        ),
        examples="""\
  competency verify maya.html assessments/maya-okafor-2026-11-02.json
  competency verify maya.md assessments/maya-okafor-2026-11-02.json
  competency verify maya.json
  competency verify maya.html assessments/maya-okafor-2026-11-02.json --key library.public.jwk
  competency verify maya.jwt --key library.public.pem""",
    )
    parser.add_argument("report", metavar="REPORT", help="an exported report (html, md, json)")
    parser.add_argument(
        "assessment", metavar="ASSESSMENT", nargs="?", help="the assessment file it claims"
    )
    parser.add_argument(
        "--key",
        metavar="PUBLIC",
        help="check the signature of a signed report, review or credential (VC-JWT, this "
        "tool's or another issuer's) with this public key: a .public.pem, a .public.jwk, "
        "the JWK an issuer publishes, or a JWK Set (the key the signature's kid names). "
        "Says VERIFIED (exit 0), EDITED (1), WRONG KIND (1: a signature of another kind, "
        "say a review's offered as a credential), INVALID (1: a credential whose claims "
        "disagree with it), WRONG KEY (3) or NOT SIGNED (4); 2 when it cannot check (an "
        "algorithm or a token it does not understand is never called EDITED)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.key:
        from competency.cli.signed import verify_with_key

        return verify_with_key(args)
    from pathlib import Path

    from competency.errors import CompetencyError
    from competency.outputs.seal import SealBroken, read_seal
    from competency.storage import digest, dump_assessment, parse_assessment, read_assessment_bytes
    from competency.text import terminal

    name = terminal(args.report)
    try:
        report_bytes = read_assessment_bytes(Path(args.report), MAX_REPORT_BYTES)
        seal = read_seal(report_bytes, args.report)
    except SealBroken as exc:
        error(f"{name}: EDITED: {exc.message}, so it was changed after export")
        return 1
    except CompetencyError as exc:
        error(exc.line)
        return 2
    try:
        assessment_bytes = read_assessment_bytes(Path(args.assessment)) if args.assessment else None
    except CompetencyError as exc:
        error(exc.line)
        return 2
    if not seal.intact:
        error(
            f"{name}: EDITED: its content does not match its own digest, so it was "
            "changed after export"
        )
        return 1
    made_from = seal.assessment_digests
    if assessment_bytes is None:
        print(
            f"{name}: not edited since export ({seal.format} report); it was made "
            f"from the assessment{'s' if len(made_from) > 1 else ''} with digest "
            + " and ".join(made_from)
            + line_endings(seal)
        )
        return 0
    own = digest(assessment_bytes)
    if own in made_from:
        print(
            f"{name}: VERIFIED: not edited since export, and made from "
            f"{terminal(args.assessment)} ({own}){line_endings(seal)}"
        )
        return 0
    try:
        same_content = (
            digest(dump_assessment(parse_assessment(assessment_bytes, args.assessment)))
            in made_from
        )
    except CompetencyError:
        same_content = False
    if same_content:
        print(
            f"{name}: VERIFIED: not edited since export, and made from the content "
            f"of {terminal(args.assessment)} (the file's formatting differs, its data does not)"
            f"{line_endings(seal)}"
        )
        return 0
    earlier = _earlier_version(seal.assessment_version, assessment_bytes, args.assessment)
    if earlier is not None:
        # Not a pass, and not an edit: the same assessment, saved again after the export.
        error(
            f"{name}: MADE FROM AN EARLIER VERSION of {terminal(args.assessment)}, and not "
            f"edited since export: {terminal(earlier)}"
        )
        return 1
    error(
        f"{name}: DOES NOT MATCH: it was not made from {terminal(args.assessment)} as the file "
        f"is now (the report names {' and '.join(made_from)}; the file is "
        f"{digest(assessment_bytes)}); the assessment was edited since, or it is another one"
    )
    return 1


def line_endings(seal: Any) -> str:
    """What a verdict adds for a report whose line endings changed on the way."""
    if not seal.crlf:
        return ""
    return "; its line endings were changed to CRLF since, which changes no content"


def _earlier_version(claimed: str | None, data: bytes, source: str) -> str | None:
    """What changed since the version the report was made from, when the file is a later
    save of the same assessment; None when it is another one, or was edited by hand.

    The report's version token (``competency.outputs.report.version_of``) names when the
    version it was made from was saved, its status, and digests of its answers and of the
    person. The file is a later version when the person is the same and it was saved
    later: a change without a new save time is an edit, not a save by this tool.
    """
    from competency.errors import CompetencyError
    from competency.outputs.report import version_of
    from competency.storage import parse_assessment

    if claimed is None:
        return None
    try:
        now = _fields(version_of(parse_assessment(data, source)))
    except CompetencyError:
        return None
    then = _fields(claimed)
    if then.get("person") != now["person"] or then.get("saved") == now["saved"]:
        return None
    if then.get("saved", "") > now["saved"]:
        return None  # "earlier" than the report itself: an older copy, not a later save
    status = (
        f"status {then.get('status')} -> {now['status']}"
        if then.get("status") != now["status"]
        else f"status unchanged ({now['status']})"
    )
    answers = "answers changed" if then.get("answers") != now["answers"] else "answers unchanged"
    return (
        f"the report is of the version saved {then.get('saved')}; the file was saved since, "
        f"{now['saved']}. Changed since: {status}; {answers}"
    )


def _fields(token: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in token.split(";") if "=" in part)
