"""``competency status``: a team folder's assessments, one line each (table, json)."""

from __future__ import annotations

import json
from typing import IO

from competency.outputs import as_text, text_console
from competency.outputs.scores import cut_start
from competency.outputs.words import counted
from competency.status import STATUS_WORDS, TeamStatus
from competency.text import terminal


def write_json(status: TeamStatus, out: IO[bytes]) -> None:
    out.write((json.dumps(status.as_json(), ensure_ascii=False, indent=2) + "\n").encode())


def write_table(status: TeamStatus, out: IO[bytes]) -> None:
    """One row per file, awaiting review first; the counts by status below."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    with as_text(out) as text:
        console = text_console(text)
        # No vertical rules: six columns and two lines a person fit in 80 columns.
        table = Table(title="Assessments", box=box.SIMPLE_HEAD, show_lines=False)
        # The person's file on one line, cut at its start (its name tells files apart).
        width = max(12, min(32, console.width - 62))
        table.add_column("Person / file", overflow="fold", min_width=width)
        table.add_column("Unit", overflow="fold", max_width=14)
        table.add_column("Status", no_wrap=True)
        table.add_column("Done", justify="right", no_wrap=True)
        table.add_column("Saved", no_wrap=True)
        table.add_column("Reviewer", overflow="fold", max_width=14)
        for record in status.records:
            if record.error is not None:
                continue
            person = Text(terminal(record.name or "") + "\n")
            person.append(cut_start(terminal(record.file), width), style="dim")
            state = STATUS_WORDS.get(record.status or "", record.status or "")
            if record.partial_review:
                state += "\n(begun)"
            if record.conflict_with:
                state += "\nCONFLICT"
            table.add_row(
                person,
                Text(terminal(record.unit or "")),
                Text(state),
                Text(f"{record.answered}/{record.total}"),
                Text((record.updated_at or "")[:10]),
                Text(terminal(record.reviewer or "")),
            )
        console.print(table)
        counts = status.counts
        line = ", ".join(
            f"{counts[key]} {STATUS_WORDS[key]}" for key in ("submitted", "in_progress", "reviewed")
        )
        conflicted = f", {counts['in_conflict']} in conflict" if counts["in_conflict"] else ""
        files = counted(len(status.records), "file", "files")
        console.print(Text(f"{files}: {line}{conflicted}."))
        said: set[frozenset[str]] = set()
        for record in status.records:
            group = frozenset((record.file, *record.conflict_with))
            if record.conflict_with and group not in said:
                said.add(group)
                others = ", ".join(record.conflict_with)
                console.print(
                    Text(
                        terminal(
                            f"conflict: {record.file} and {others} are copies of "
                            f"{record.name}'s assessment with different answers (a synced "
                            "folder kept both); keep the right one and move the other away"
                        )
                    ),
                    soft_wrap=True,
                )
        for record in status.records:
            if record.error is not None:
                console.print(Text(f"unreadable: {terminal(record.error)}"), soft_wrap=True)
