"""The command palette (ctrl+p) of the statements' screens: find, jump, and act.

The commands come from the screen (``palette_commands``), so the review adds its own;
this module only matches them against what is typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from competency.text import visible

PaletteCommand = tuple[str, str, Callable[[], object]]
"""(what the palette lists, a line of help, what it does)."""

TEXT_SEPARATOR = " \u2014 "
"""Between a statement command's help and the statement's text, which the help ends with."""


@runtime_checkable
class HasCommands(Protocol):
    def palette_commands(self) -> Sequence[PaletteCommand]: ...

    def statement_commands(self) -> Sequence[PaletteCommand]: ...


WORDS_SCORE = 0.05
"""The score of a command whose help holds the typed words but whose name does not match:
listed, below every command whose name matches."""


class WalkCommands(Provider):
    """Screen commands, then every statement to go to: found by its topic (fuzzy, as
    Textual's palette matches), or by words of its text typed as they are written."""

    def _screen(self) -> HasCommands | None:
        screen = self.screen
        return screen if isinstance(screen, HasCommands) else None

    async def discover(self) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        for name, help_text, action in screen.palette_commands():
            yield DiscoveryHit(visible(name), action, help=visible(help_text))

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        words = " ".join(query.split()).casefold()
        for commands in (screen.palette_commands(), screen.statement_commands()):
            for name, help_text, action in commands:
                shown, help_shown = visible(name), visible(help_text)
                # A statement's help ends with its text: shown only when the match is in
                # it, so a list of topics found by name stays two lines a statement.
                short = help_shown.split(TEXT_SEPARATOR, 1)[0]
                score = matcher.match(shown)
                if score > 0:
                    yield Hit(score, matcher.highlight(shown), action, text=shown, help=short)
                elif len(words) >= 3 and words in " ".join(help_shown.split()).casefold():
                    yield Hit(WORDS_SCORE, shown, action, text=shown, help=help_shown)
