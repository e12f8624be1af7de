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


@runtime_checkable
class HasCommands(Protocol):
    def palette_commands(self) -> Sequence[PaletteCommand]: ...

    def statement_commands(self) -> Sequence[PaletteCommand]: ...


class WalkCommands(Provider):
    """Screen commands, then every statement (found by its topic) to go to."""

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
        for commands in (screen.palette_commands(), screen.statement_commands()):
            for name, help_text, action in commands:
                shown = visible(name)
                score = matcher.match(shown)
                if score > 0:
                    yield Hit(
                        score, matcher.highlight(shown), action, text=shown, help=visible(help_text)
                    )
