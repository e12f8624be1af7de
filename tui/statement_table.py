"""The statements of one area, grouped by level, one row each.

A ``DataTable`` rather than a list of widgets: an area of 2,000 statements builds in a
blink, and a rating updates one cell instead of redrawing the table.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from competency.framework.model import Framework, Statement
from tui.text import plain, rating_text

_LEVEL_WIDTH = (5, 16)
"""The level column is as wide as the longest level label, within these bounds."""
_RATING_WIDTH = 5
NOTE_MARK = "\u270e"
"""Shown in the note column of a statement that has a note."""
_MIN_STATEMENT_WIDTH = 20
_STATEMENT = ColumnKey("statement")
_RATING = ColumnKey("rating")
_NOTE = ColumnKey("note")
_CHANGING = frozenset({_RATING, _NOTE})
"""The cells a rating or a note changes (the statement and its level never do)."""


class _CachesChanged(Exception):
    """DataTable's private caches are keyed in a way this module does not know."""


def statement_text(statement: Statement) -> Text:
    """The topic in bold, then its description."""
    text = plain(statement.topic, "bold")
    if statement.description:
        text.append(" \u2014 ")
        text.append_text(plain(statement.description))
    return text


class StatementTable(DataTable[Text]):
    """One row per statement: the rating(s), the level, and the statement's text.

    With ``other_label`` set (the review), a read-only column shows the person's own
    rating beside the one being edited.
    """

    DEFAULT_CSS = """
    StatementTable {
        height: 1fr;
        overflow-x: hidden;
    }
    """

    def __init__(
        self,
        framework: Framework,
        *,
        rating_label: str = "Rating",
        other_label: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id)
        self.framework = framework
        self.rating_label = rating_label
        self.other_label = other_label
        self.statement_ids: list[str] = []
        self._row_of: dict[str, int] = {}

    def on_mount(self) -> None:
        # Labels as Text: a str would be parsed as markup, which loads rich's emoji table
        # (a few ms at start-up) for words that hold no markup.
        if self.other_label is not None:
            width = max(len(self.other_label), _RATING_WIDTH)
            self.add_column(Text(self.other_label), key="other", width=width)
        width = max(len(self.rating_label), _RATING_WIDTH)
        self.add_column(Text(self.rating_label), key="rating", width=width)
        self.add_column(Text(NOTE_MARK), key="note", width=1)
        self.add_column(Text("Level"), key="level", width=self._level_width())
        self.add_column(Text("Statement"), key="statement", width=self._statement_width())

    def _level_width(self) -> int:
        from rich.cells import cell_len

        widest = max(cell_len(level.label) for level in self.framework.levels)
        return max(_LEVEL_WIDTH[0], min(_LEVEL_WIDTH[1], widest))

    def _statement_width(self) -> int:
        used = sum(c.get_render_width(self) for k, c in self.columns.items() if k != "statement")
        width = self.scrollable_content_region.width or self.size.width
        return max(_MIN_STATEMENT_WIDTH, width - used - 2 * self.cell_padding)

    def on_resize(self, event: events.Resize) -> None:
        column = self.columns.get(_STATEMENT)
        if column is not None:
            column.width = self._statement_width()
            self._require_update_dimensions = True
            self.refresh()

    def show_statements(
        self,
        statements: Sequence[Statement],
        ratings: Mapping[str, int | str],
        other: Mapping[str, int | str] | None = None,
        notes: Container[str] = (),
    ) -> None:
        """Replace the rows with these statements (one area, in walk order).

        ``notes`` holds the ids of the statements with a note, marked in their own column.
        """
        self.clear()
        column = self.columns.get(_STATEMENT)
        if column is not None:
            column.width = self._statement_width()
        self.statement_ids = [s.id for s in statements]
        self._row_of = {sid: i for i, sid in enumerate(self.statement_ids)}
        level_by_key = self.framework.level_by_key
        previous_level = None
        rows = []
        for statement in statements:
            label = level_by_key[statement.level].label
            # The label heads each level's group; the rows under it repeat it dimmed, so a
            # level is always readable as text, never only from position or colour.
            style = "bold" if statement.level != previous_level else "dim"
            previous_level = statement.level
            cells: list[Text] = []
            if self.other_label is not None:
                cells.append(rating_text((other or {}).get(statement.id)))
            cells.append(rating_text(ratings.get(statement.id)))
            cells.append(self._note_cell(statement.id in notes))
            cells.append(plain(label, style))
            cells.append(statement_text(statement))
            rows.append((cells, statement.id))
        for cells, key in rows:
            self.add_row(*cells, key=key)

    @staticmethod
    def _note_cell(has_note: bool) -> Text:
        return Text(NOTE_MARK if has_note else "", style="bold")

    def show_rating(
        self, statement_id: str, rating: int | str | None, *, has_note: bool = False
    ) -> None:
        """Update one statement's rating cell (only the value: the scale is on screen below)
        and its note mark."""
        row = self._row_of.get(statement_id)
        if row is None:
            return
        key = RowKey(statement_id)
        rating_cell, note_cell = rating_text(rating), self._note_cell(has_note)
        try:
            cells = self._data[key]
            cells[_RATING] = rating_cell
            cells[_NOTE] = note_cell
            self._forget_row(key, row)
        except (AttributeError, KeyError, TypeError, _CachesChanged):
            # Textual's private tables are not the ones this was written against (8.2):
            # the public way, slower (every visible cell is drawn again), never stale.
            self.update_cell(key, _RATING, rating_cell)
            self.update_cell(key, _NOTE, note_cell)
            return
        self.refresh_row(row)

    def _forget_row(self, key: RowKey, row: int) -> None:
        """Drop what DataTable cached for one row after its rating and note cells changed.

        ``DataTable.update_cell`` counts an update that every cache key holds, so each
        rating would draw every visible cell of the table again (most of a keypress's
        time); only the two changed cells are drawn again instead, and the row's lines
        made from them. The cell and line caches are keyed by row key first (cells then by
        column key), the renderables by the update count and the row index; the line
        cache is keyed by screen line, cheap to rebuild from the cached cells, and emptied
        whole.
        """
        # LRUCache is not iterable: .keys() it is. A key of another shape means Textual
        # changed these caches: raise, so the caller takes the public way.
        cells = self._cell_render_cache
        cell_keys = list(cells.keys())
        line_keys = list(self._row_render_cache.keys())
        if not all(isinstance(k, tuple) and isinstance(k[0], RowKey) for k in cell_keys):
            raise _CachesChanged
        if not all(isinstance(k, tuple) and isinstance(k[0], RowKey) for k in line_keys):
            raise _CachesChanged
        for cell in [k for k in cell_keys if k[0] == key and k[1] in _CHANGING]:
            cells.discard(cell)
        lines = self._row_render_cache
        for line in [k for k in line_keys if k[0] == key]:
            lines.discard(line)
        self._row_renderable_cache.discard((self._update_count, row))
        self._line_cache.clear()

    def highlight(self, statement_id: str) -> None:
        """Move the cursor to a statement in this table."""
        row = self._row_of.get(statement_id)
        if row is not None:
            self.move_cursor(row=row, column=0)

    @property
    def highlighted_id(self) -> str | None:
        """The statement under the cursor."""
        if not self.statement_ids:
            return None
        row = min(max(self.cursor_row, 0), len(self.statement_ids) - 1)
        return self.statement_ids[row]
