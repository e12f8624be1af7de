"""``competency review FILE --reviewer NAME``: the supervisor's review (issue 4)."""

from __future__ import annotations

import argparse
from typing import Any

from competency.cli.assess import add_plain_option
from competency.cli.common import (
    add_command,
    add_framework_options,
    add_resources_option,
    add_threshold_option,
)


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "review",
        summary="review someone's assessment as their supervisor (interactive)",
        description="Go through a person's assessment with their own rating and note shown "
        "read-only beside yours. Rate with the same keys as `assess` (0-4, n), write a "
        "note per statement (e) and an overall comment (c), and sign off (S): that sets "
        "the status to reviewed and locks the file, for `assess` and `review` alike, until "
        "someone runs `review --reopen`, which records who reopened it and when. Every "
        "change is saved at once. A file open in another session is refused.\n\n"
        "Only a submitted assessment can be reviewed: one still in progress opens "
        "read-only. A review belongs to the reviewer who started it: anyone else (another "
        "name, or the same name with another --id) can read it and --reopen a sign-off, "
        "but not change it.\n\n"
        "--sign KEYFILE signs a signed-off review with its reviewer's key (from "
        "`competency keys new`) without opening it: the signature covers everything the "
        "file says and is kept in it as review.signature; `competency verify FILE --key "
        "PUBLIC` checks it.\n\n"
        "Given a folder (the team's shared one), it lists the assessments in it that await "
        "review (submitted, not signed off), the longest-waiting first, and asks which "
        "one to open, by number; with one, it opens that one.\n\n"
        "Exit status: 0 done; 1 the file was refused (invalid, or open elsewhere); 2 the "
        "command could not run (bad option, missing or invalid framework).",
        examples="""\
  competency review team/ada-example-2026-11-22.json --reviewer "Grace Example" --id S77
  competency review /srv/library/assessments --reviewer "Grace Example"
  competency review ada.json --reviewer "Grace Example" --reopen
  competency review ada.json --reviewer "Grace Example" --framework my.json
  competency review ada.json --reviewer "Grace Example" --id S77 --sign grace.key""",
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="the assessment to review, or a team folder: choose among those awaiting review",
    )
    parser.add_argument("--reviewer", required=True, metavar="NAME", help="your name")
    parser.add_argument("--id", dest="reviewer_id", metavar="ID", help="your staff id")
    parser.add_argument(
        "--reopen",
        action="store_true",
        help="unlock a signed-off assessment (recorded in its history with your name; "
        "the review stays its reviewer's)",
    )
    parser.add_argument(
        "--sign",
        metavar="KEYFILE",
        help="sign your signed-off review with this private key (from `competency keys "
        "new`) instead of opening it; `verify FILE --key PUBLIC` checks it",
    )
    add_framework_options(parser)
    add_resources_option(parser)
    add_threshold_option(parser)
    add_plain_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from competency.assessment import Person
    from competency.cli.assess import open_existing, run_app
    from competency.cli.common import error, refused
    from competency.errors import CompetencyError
    from competency.session import Session

    name = args.reviewer.strip()
    if not name:
        error("--reviewer: a name is needed")
        return 2
    reviewer = Person(name=name, id=(args.reviewer_id or "").strip() or None)
    if args.sign:
        return sign(args, reviewer)
    import os

    from competency.plain import Lines

    lines: Lines | None = None
    if os.path.isdir(args.file):
        lines = Lines.standard()
        chosen = choose_awaiting(args.file, args.framework, args.areas, lines)
        if chosen is None:
            return 0
        args.file = chosen
    try:
        framework, assessment, store = open_existing(
            args.file, args.framework, args.areas, args.profiles, args.resources
        )
    except CompetencyError as exc:
        return refused(exc)
    session = Session(
        framework, assessment, store, role="review", reviewer=reviewer, threshold=args.threshold
    )
    if args.reopen:
        return reopen(session, args.file)
    if args.plain:
        from competency.cli.assess import run_plain
        from competency.plain import Lines

        return run_plain(session, lines or Lines.standard())
    from tui import app as tui

    return run_app(tui.make_app(session))


def choose_awaiting(
    folder: str, framework: str | None, areas: str | None, lines: Any
) -> str | None:
    """The file to review among those in ``folder`` awaiting review, asked by number as
    plain lines (a screen reader reads them as well as anyone); ``None`` for none."""
    from competency.batch import discover
    from competency.framework.bundled import FrameworkResolver
    from competency.status import TeamStatus
    from competency.text import terminal

    status = TeamStatus.gather(discover([folder]), FrameworkResolver(framework, areas))
    waiting = [r for r in status.records if r.error is None and r.status == "submitted"]
    counts = status.counts
    if not waiting:
        lines.say(
            f"{terminal(folder)}: nothing awaits review ({counts['in_progress']} drafts, "
            f"{counts['reviewed']} reviewed)."
        )
        return None
    if len(waiting) == 1:
        lines.say(f"One assessment awaits review: {terminal(waiting[0].name or '')}.")
        return str(waiting[0].file)
    lines.say(f"{len(waiting)} assessments await review in {terminal(folder)}:")
    for n, record in enumerate(waiting, start=1):
        unit = f", {terminal(record.unit)}" if record.unit else ""
        begun = ", review begun" if record.partial_review else ""
        saved = (record.updated_at or "")[:10]
        lines.say(f"{n}. {terminal(record.name or '')}{unit}, saved {saved}{begun}.")
    while True:
        text = lines.ask(f"Which one? A number from 1 to {len(waiting)}, or q:")
        if text is None or text.lower() in ("q", "quit", ""):
            return None
        if text.isdigit() and 1 <= int(text) <= len(waiting):
            return str(waiting[int(text) - 1].file)
        lines.say(f"Not a number from 1 to {len(waiting)}.")


def reopen(session: Any, path: str) -> int:
    """``--reopen``: unlock a signed-off assessment, say so, and let go of the file."""
    from competency.cli.common import error
    from competency.errors import CompetencyError
    from competency.text import terminal

    was = session.status
    try:
        session.reopen()
    except CompetencyError as exc:
        error(exc.line)
        return 1
    finally:
        session.store.release()
    if was != "reviewed":
        print(f"{terminal(path)}: not signed off ({was.replace('_', ' ')}); nothing to reopen")
        return 0
    by = terminal(session.reviewer.name)
    print(f"{terminal(path)}: reopened by {by}; the review can change again")
    return 0


def sign(args: argparse.Namespace, reviewer: Any) -> int:
    """``--sign``: sign the signed-off review in the file, under its lock."""
    from competency.cli.assess import open_existing
    from competency.cli.common import error, refused
    from competency.errors import CompetencyError
    from competency.signing import load_signing_key
    from competency.signoff import sign_review
    from competency.text import terminal

    try:
        key = load_signing_key(args.sign)
    except CompetencyError as exc:
        error(exc.line)
        return 2
    try:
        _, assessment, store = open_existing(args.file, args.framework, args.areas, args.profiles)
    except CompetencyError as exc:
        return refused(exc)
    try:
        sign_review(assessment, reviewer, key, args.file)
        store.save(assessment)
    except CompetencyError as exc:
        error(exc.line)
        return 1
    except OSError as exc:
        error(f"{terminal(args.file)}: cannot write it ({exc.strerror or exc})")
        return 1
    finally:
        store.release()
    print(f"{terminal(args.file)}: review signed by {terminal(reviewer.name)} with key {key.kid}")
    return 0
