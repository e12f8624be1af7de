"""``competency assess [FILE]``: the self-assessment in the terminal (issue 3)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from competency.cli.common import (
    add_command,
    add_framework_options,
    add_resources_option,
    add_threshold_option,
)

if TYPE_CHECKING:
    from competency.assessment import Assessment
    from competency.framework.model import Framework
    from competency.plain import Lines
    from competency.session import Session
    from competency.storage import AssessmentStore


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "assess",
        summary="assess yourself against a framework (interactive)",
        description="Rate yourself against each statement of a framework, area by area, "
        "with the keys 0-4 (and n for not applicable); every answer is saved at once. "
        "Without FILE a start screen asks for your name and creates a new assessment in "
        "--dir, or resumes one listed there; with --name it skips the start screen, "
        "unless --dir already holds an assessment of yours, which it then offers to "
        "resume. With FILE it resumes that "
        "assessment where you left it. A file that is open in another session is refused.\n\n"
        "Exit status: 0 done; 1 the file was refused (invalid, or open elsewhere); 2 the "
        "command could not run (bad option, missing or invalid framework).",
        examples="""\
  competency assess
  competency assess --name "Ada Example" --id E1234
  competency assess --name "Ada Example" --profile catalog-librarian
  competency assess --framework frameworks/librarians-25-4022.00.json --name "Ada Example" \
      --dir /tmp/a
  competency assess assessments/ada-example-2026-11-22.json""",
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="an assessment to resume")
    add_framework_options(parser)
    add_resources_option(parser)
    parser.add_argument(
        "--name", help="your name: skips the start screen (unless you have one in --dir)"
    )
    parser.add_argument("--id", dest="subject_id", metavar="ID", help="your staff id")
    parser.add_argument("--role", help="your job title, e.g. 'Reference Librarian'")
    parser.add_argument("--unit", help="your branch, team or department")
    parser.add_argument(
        "--profile",
        metavar="ID",
        help="your role profile, by id: only its statements are asked (the framework's "
        ".profiles.toml lists them; the start screen offers them)",
    )
    parser.add_argument(
        "--dir",
        default="assessments",
        metavar="DIR",
        help="folder for new assessments (default: ./assessments/, created if missing)",
    )
    parser.add_argument(
        "--team",
        metavar="DIR",
        help="your team's shared folder: the summary's submit (s) sends it there; "
        "remembered for next time",
    )
    add_threshold_option(parser)
    add_plain_option(parser)
    parser.set_defaults(run=run)


def remember_team(folder: str) -> bool:
    """``--team DIR``: remember the team folder for the summary's submit; False, or True
    after one line when it is no folder or cannot be remembered."""
    from pathlib import Path

    from competency.cli.common import error
    from competency.settings import remember_team_folder

    if not Path(folder).is_dir():
        error(f"{folder}: no such folder (--team): give the team's shared folder")
        return True
    try:
        remember_team_folder(Path(folder))
    except OSError as exc:
        error(f"cannot remember the team folder ({exc.strerror or exc})")
        return True
    return False


def add_plain_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plain",
        action="store_true",
        help="plain lines of text instead of the screens, one line typed at a time: for "
        "screen readers, braille displays and scripts (no escape sequences; h lists the keys)",
    )


def has_terminal() -> bool:
    """Whether the screens can run: Textual reads keys from stdin and draws on stderr."""
    import sys

    streams = (sys.__stdin__, sys.__stderr__)
    return all(stream is not None and stream.isatty() for stream in streams)


def no_terminal(command: str) -> int:
    """Say in one line that the screens need a terminal; the exit status 2."""
    from competency.cli.common import error

    error(
        f"{command} needs a terminal for its screens; run it in one, or add --plain for "
        "plain lines of text (screen readers, scripts)"
    )
    return 2


def open_existing(
    path: str,
    framework: str | None,
    areas: str | None,
    profiles: str | None = None,
    resources: str | None = None,
) -> tuple[Framework, Assessment, AssessmentStore]:
    """Load an assessment and its framework, check they fit, and take the file's lock.

    Raises ``CompetencyError`` (one line for the user) when any of that fails; the lock is
    only held when this returns.
    """
    from competency.assessment import check_against
    from competency.framework.bundled import FrameworkResolver
    from competency.framework.resources import with_resources
    from competency.storage import AssessmentStore

    store = AssessmentStore(path)
    store.acquire()
    try:
        assessment = store.load()
        resolved = FrameworkResolver(framework, areas, profiles).for_id(
            assessment.framework.id, path
        )
        resolved = with_resources(resolved, resources)
        check_against(assessment, resolved, path)
    except BaseException:
        store.release()
        raise
    return resolved, assessment, store


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from competency.cli.common import error, refused
    from competency.errors import CompetencyError

    new = (args.name, args.subject_id, args.role, args.unit, args.profile)
    if args.file is not None and any(new):
        error(
            "--name, --id, --role, --unit and --profile start a new assessment; leave them "
            f"out to resume {args.file}"
        )
        return 2
    if args.team is not None and remember_team(args.team):
        return 2
    if args.plain:
        return run_plain_assess(args)
    from competency.session import Session
    from tui import app as tui

    if args.file is not None:
        try:
            found, assessment, store = open_existing(
                args.file, args.framework, args.areas, args.profiles, args.resources
            )
        except CompetencyError as exc:
            return refused(exc)
        return run_app(tui.make_app(Session(found, assessment, store, threshold=args.threshold)))

    from competency.framework.bundled import bundled_frameworks

    folder = Path(args.dir)
    framework, status = given_framework(args)
    if status is not None:
        return status
    choices: list[Any]
    if framework is not None:
        choices = [tui.FrameworkChoice(framework.title, _fixed(framework))]
    else:
        bundled = bundled_frameworks()
        if not bundled:
            error("no bundled framework found; pass --framework FILE")
            return 2
        choices = [
            tui.FrameworkChoice(
                f"{b.title} ({b.id}{', ' + b.version if b.version else ''})",
                _loader(b.path, args.areas, args.profiles, args.resources),
            )
            for b in bundled
        ]

    def resume(path: Path) -> Session:
        found, assessment, store = open_existing(
            str(path), args.framework, args.areas, args.profiles, args.resources
        )
        return Session(found, assessment, store, threshold=args.threshold)

    from competency.session import NewSubject, begin_new, saved_in

    subject = None
    if args.name is not None:
        subject = NewSubject(args.name.strip(), args.subject_id, args.role, args.unit)
    start = tui.StartOptions(folder, choices, args.threshold, subject, resume, args.profile)
    # With --name the start screen is skipped, unless the person already has an assessment
    # in the folder (it opens with their latest one offered to resume), or several
    # frameworks are bundled or installed (it opens, their name filled in, to choose one).
    if (
        args.name is None
        or (args.name.strip() and saved_in(folder, args.name))
        or (framework is None and len(choices) > 1)
    ):
        return run_app(tui.make_app(start=start))
    try:
        if framework is None:
            framework = choices[0].load()
        if args.name.strip() and not has_terminal():
            return no_terminal("assess")  # before begin_new makes the folder
        # The file is written right after the first frame (CompetencyApp.create_file).
        session = begin_new(
            framework,
            folder,
            args.name,
            subject_id=args.subject_id,
            role=args.role or _profile_title(framework, args.profile),
            unit=args.unit,
            profile=args.profile,
            threshold=args.threshold,
        )
    except CompetencyError as exc:
        return refused(exc)
    try:
        app = tui.make_app(session)
    except BaseException:
        session.store.release()
        raise
    return run_app(app)


def given_framework(args: argparse.Namespace) -> tuple[Framework | None, int | None]:
    """The framework of ``--framework``, if given; else (None, 2) once it is refused."""
    from competency.cli.common import error
    from competency.errors import CompetencyError
    from competency.framework.bundled import framework_path
    from competency.framework.cache import load_framework_cached
    from competency.framework.resources import with_resources

    if not args.framework:
        return None, None
    try:
        found = load_framework_cached(framework_path(args.framework), args.areas, args.profiles)
        return with_resources(found, args.resources), None
    except CompetencyError as exc:
        error(exc.line)
        return None, 2


def run_plain_assess(args: argparse.Namespace) -> int:
    """``assess --plain``: the questions of the start screen as lines, then the statements."""
    from pathlib import Path

    from competency.cli.common import error, refused
    from competency.errors import CompetencyError
    from competency.framework.bundled import bundled_frameworks
    from competency.framework.cache import load_framework_cached
    from competency.framework.profiles import WHOLE_FRAMEWORK
    from competency.framework.resources import with_resources
    from competency.plain import Lines, choose, saved_words
    from competency.session import Session, begin_new, saved_in

    lines = Lines.standard()
    if args.file is not None:
        try:
            found, assessment, store = open_existing(
                args.file, args.framework, args.areas, args.profiles, args.resources
            )
        except CompetencyError as exc:
            return refused(exc)
        return run_plain(Session(found, assessment, store, threshold=args.threshold), lines)
    folder = Path(args.dir)
    framework, status = given_framework(args)
    if status is not None:
        return status
    name = args.name
    while name is None:
        name = lines.ask("Your name, for a new assessment or one to resume:")
        if name is None:
            lines.say("No name given; nothing was saved.")
            return 0
        if not name:
            lines.say("A name is needed.")
            name = None
    try:
        resumable = saved_in(folder, name) if name.strip() else []
        if resumable:
            count = len(resumable)
            pick = choose(
                lines,
                f"You have {count} assessment{'s' if count != 1 else ''} in {folder}.",
                [f"Resume the one {saved_words(s)}" for s in resumable]
                + ["Start a new assessment"],
            )
            if pick is None:
                lines.say("Nothing chosen; nothing was changed.")
                return 0
            if pick < count:
                found, assessment, store = open_existing(
                    str(resumable[pick].path),
                    args.framework,
                    args.areas,
                    args.profiles,
                    args.resources,
                )
                session = Session(found, assessment, store, threshold=args.threshold)
                return run_plain(session, lines)
        if framework is None:
            bundled = bundled_frameworks()
            if not bundled:
                error("no bundled framework found; pass --framework FILE")
                return 2
            pick = 0
            if len(bundled) > 1:
                chosen = choose(
                    lines,
                    "Which framework?",
                    [f"{b.title}{', version ' + b.version if b.version else ''}" for b in bundled],
                )
                if chosen is None:
                    lines.say("No framework chosen; nothing was saved.")
                    return 0
                pick = chosen
            framework = with_resources(
                load_framework_cached(bundled[pick].path, args.areas, args.profiles),
                args.resources,
            )
        profile = args.profile
        if profile is None and framework.profiles:
            chosen = choose(
                lines,
                "Which role profile? Only its statements are asked.",
                [WHOLE_FRAMEWORK, *(p.title for p in framework.profiles)],
            )
            if chosen is None:
                lines.say("No role profile chosen; nothing was saved.")
                return 0
            profile = framework.profiles[chosen - 1].id if chosen else None
        session = begin_new(
            framework,
            folder,
            name,
            subject_id=args.subject_id,
            role=args.role or _profile_title(framework, profile),
            unit=args.unit,
            profile=profile,
            threshold=args.threshold,
        )
    except CompetencyError as exc:
        return refused(exc)
    try:
        session.create()
    except CompetencyError as exc:
        session.store.release()
        return refused(exc)
    return run_plain(session, lines)


def run_plain(session: Session, lines: Lines) -> int:
    """Read the session out until the person quits, and always let go of the file's lock.

    TERM and HUP (the terminal closed) end it as quitting does, with the exit status 128 +
    the signal's number; every answer is already saved when it is given.
    """
    from competency.cli.common import Stopped, stop_on_signals
    from competency.plain import PlainAssessment

    try:
        with stop_on_signals():
            PlainAssessment(session, lines).run()
    except KeyboardInterrupt:
        lines.say("Interrupted. Everything you answered is saved.")
        return 130
    except Stopped as stop:
        return 128 + stop.signum
    finally:
        session.store.release()
    return 0


def _fixed(framework: Framework) -> Any:
    return lambda: framework


def _loader(path: Any, areas: str | None, profiles: str | None, resources: str | None) -> Any:
    from competency.framework.cache import load_framework_cached
    from competency.framework.resources import with_resources

    return lambda: with_resources(load_framework_cached(path, areas, profiles), resources)


def _profile_title(framework: Framework, profile_id: str | None) -> str | None:
    """The job title a role profile gives a new assessment (None: no such profile)."""
    profile = framework.profile_by_id.get(profile_id or "")
    return profile.title if profile is not None else None


def run_app(app: Any) -> int:
    """Run the app, and always let go of the file's lock afterwards.

    A new assessment's file is written right after the first frame; one that was not (the
    app was left before that) is written here, so `assess --name` always leaves its file.
    SIGTERM and SIGHUP (the terminal closed) end the app as quitting does, so the terminal
    is given back as it was (main screen, no mouse reporting); every answer is already
    saved when it is given. The exit status is then 128 + the signal's number.
    """
    from competency.cli.common import refused
    from competency.errors import CompetencyError

    if not has_terminal():
        # Textual would draw escape codes into a pipe and wait for keys forever.
        if app.session is not None:
            app.session.store.release()
        return no_terminal("review" if app.session and app.session.role == "review" else "assess")
    caught: list[int] = []
    try:
        with _ends_on_signals(app, caught):
            app.run()
        session = app.session
        if app.refusal is None and session is not None and not session.created:
            session.create()
    except CompetencyError as exc:
        app.refusal = exc
    finally:
        if app.session is not None:
            app.session.store.release()
    if app.refusal is not None:
        # A new assessment's file could not be written.
        return refused(app.refusal)
    return 128 + caught[0] if caught else 0


@contextlib.contextmanager
def _ends_on_signals(app: Any, caught: list[int]) -> Iterator[None]:
    """While the app runs, TERM and HUP ask it to exit (from its own event loop)."""
    import asyncio
    import signal

    from competency.portable import STOP_SIGNALS

    def ask_to_exit(signum: int, frame: object) -> None:
        caught.append(signum)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the app is not running (yet, or any more)
            raise SystemExit(128 + signum) from None
        # Thread-safe, so the loop wakes from its wait for input to run it.
        loop.call_soon_threadsafe(app.exit)

    wanted = STOP_SIGNALS  # TERM and HUP (BREAK on Windows)
    previous = {signum: signal.signal(signum, ask_to_exit) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
