"""What the rating screen and the review screen share: walking the statements area by area.

The screen keeps the table, the area list and the detail panel in step with the session.
A keypress changes one rating through ``Session`` (which saves it) and then updates only
what that rating touches: one table cell, the area prompts whose text changed, the
detail panel and the title line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, OptionList, Static

from competency.ratings import NA_KEY, NUMBERS, NUMBERS_TEXT, RATING_KEYS, parse_rating
from competency.session import Session
from competency.text import visible
from tui.area_list import AreaList
from tui.commands import TEXT_SEPARATOR, PaletteCommand, WalkCommands
from tui.help_screen import ASSESS_KEYS, HelpScreen
from tui.rating_scale import RatingScale
from tui.session_screen import SessionScreen, show
from tui.statement_detail import StatementDetail, detail_text
from tui.statement_table import StatementTable
from tui.text import plain

NARROW = 100
"""Below this many columns the area list folds into one line above the statements."""


WIDE = 140
"""From this many columns the area list is wider: area titles keep to one line."""


SHORT = 30
"""Below this many rows the detail pane may take more of the column."""


class WalkScreen(SessionScreen):
    """Statements of one area at a time, with the areas beside them."""

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {WalkCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(NUMBERS[0]), f"rate('{NUMBERS[0]}')", "Rate", key_display=NUMBERS_TEXT),
        *(Binding(str(n), f"rate('{n}')", f"Rate {n}", show=False) for n in NUMBERS[1:]),
        # n is on the scale line below; the footer keeps 80 columns for the rest.
        Binding(NA_KEY, f"rate('{NA_KEY}')", "N/A", show=False),
        Binding("u", "clear", "Clear"),
        # Priority: the editor opens as the key is read, so text typed (or pasted) right
        # after it goes into the note instead of rating statements.
        Binding("e", "note", "Note", priority=True),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("g", "next_unanswered", "Next gap", show=False),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("J", "scroll_detail(1)", "Scroll detail", show=False),
        Binding("K", "scroll_detail(-1)", "Scroll detail up", show=False),
        Binding("tab", "area(1)", "Next area", show=False),
        Binding("shift+tab", "area(-1)", "Previous area", show=False),
        Binding("right_square_bracket", "area(1)", "Area", key_display="[ ]", show=False),
        Binding("left_square_bracket", "area(-1)", "Previous area", show=False),
        Binding("a", "pick_area", "Areas", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        # Reached only when the bindings above are disabled (read-only): say why.
        Binding(",".join([*RATING_KEYS, "u", "e", "ctrl+z"]), "refused", "Read-only", show=False),
    ]

    EDITING = frozenset({"rate", "clear", "note", "undo"})
    """Actions that change the file: hidden from the footer while it is read-only."""

    HELP_KEYS = ASSESS_KEYS
    RATING_COLUMN = "Rating"
    OTHER_COLUMN: str | None = None
    DONE_WORDS = "answered \u2014 press s for the summary"

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.area_index = 0
        self._shown_reason: str | None = None
        self._detail_id: str | None = None
        """The statement the detail pane shows, as it is now."""

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        framework = self.session.framework
        yield Static(id="title")
        yield Static(id="read-only")
        yield Static(id="problem")
        yield Static(id="area-line")
        with Horizontal(id="body"):
            yield AreaList(self.session.areas, id="areas")
            with Vertical(id="main"):
                yield StatementTable(
                    framework,
                    rating_label=self.RATING_COLUMN,
                    other_label=self.OTHER_COLUMN,
                    id="statements",
                )
                yield StatementDetail(id="detail")
        yield RatingScale(id="scale")
        yield Footer(compact=True)

    @property
    def table(self) -> StatementTable:
        return self.query_one(StatementTable)

    @property
    def area_list(self) -> AreaList:
        return self.query_one(AreaList)

    @property
    def detail(self) -> StatementDetail:
        return self.query_one(StatementDetail)

    def on_resize(self) -> None:
        self.fit(self.size.width, self.size.height)

    def fit(self, width: int, height: int) -> None:
        """At 80 columns the statements need the room: the area list folds into one line."""
        self.set_class(width < NARROW, "narrow")
        self.set_class(width >= WIDE, "wide")
        self.set_class(height < SHORT, "short")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        read_only = self.session.read_only
        if action in self.EDITING:
            return not read_only
        if action == "refused":
            return read_only
        return True

    def on_mount(self) -> None:
        # Laid out for the terminal's size from the first frame, not a frame after it.
        self.fit(*self.app.size)
        session = self.session
        start = session.start_at()
        index = 0
        if start is not None:
            area_id = session.framework.statement_by_id[start].area
            index = session.area_index[area_id]
        self.show_area(index)
        if start is not None:
            self.table.highlight(start)
        self.table.focus()
        self.refresh_title()

    # -- what subclasses change ------------------------------------------------------------
    def other_ratings(self) -> Mapping[str, int | str] | None:
        """The read-only ratings shown beside the edited ones (the review shows the self's)."""
        return None

    def detail_for(self, statement_id: str) -> Text:
        session = self.session
        return detail_text(
            session.framework,
            statement_id,
            session.ratings.get(statement_id),
            session.notes.get(statement_id, ""),
            editable=not session.read_only,
        )

    def title_text(self) -> Text:
        session = self.session
        overall = session.result().overall
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append_text(plain(session.subject_name, "bold"))
        text.append(" \u2014 ")
        text.append_text(plain(session.framework.title))
        if session.profile is not None:
            text.append(" \u00b7 ")
            text.append_text(plain(session.profile.title))
        text.append("\n")
        text.append(session.status.replace("_", " ").capitalize(), style="bold")
        text.append(" \u00b7 Overall ")
        text.append_text(plain(overall.level))  # a framework's label: never raw
        text.append(f" \u00b7 {overall.answered}/{overall.total} \u00b7 ")
        text.append_text(plain(session.store.path.name))
        return text

    # -- keeping the screen in step ----------------------------------------------------------
    def refresh_title(self) -> None:
        show(self.query_one("#title", Static), self.title_text(), layout=False)
        reason = self.session.read_only_reason
        self.refresh_read_only(reason)
        if reason != self._shown_reason:
            # The footer's keys depend on it (check_action); only redrawn when it changes.
            self._shown_reason = reason
            self.refresh_bindings()

    def refresh_areas(self, only: str | None = None) -> None:
        """The area list and the current area's line; ``only`` an area id when a change
        to one statement can have changed nothing else."""
        session = self.session
        mine = session.result()
        theirs = session.self_result() if session.role == "review" else None
        for i, area in enumerate(session.areas):
            if only is not None and area.id != only:
                continue
            self.area_list.show_area(
                i,
                mine.area(area.id),
                theirs.area(area.id) if theirs is not None else None,
                current=i == self.area_index,
                mine_label="you" if session.review_is_theirs else "rev.",
            )
        area = session.areas[self.area_index]
        line = Text(f"Area {self.area_index + 1} of {len(session.areas)}: ")
        line.append_text(plain(area.title, "bold"))
        result = mine.area(area.id)
        line.append(" \u00b7 ")
        line.append_text(plain(result.level))
        line.append(f" \u00b7 {result.answered}/{result.total}  ([ ] or a: areas)", style="dim")
        show(self.query_one("#area-line", Static), line, layout=False)

    def refresh_detail(self) -> None:
        sid = self.table.highlighted_id
        self._detail_id = sid
        self.detail.update(self.detail_for(sid) if sid is not None else Text())

    def show_area(self, index: int) -> None:
        """Show one area's statements (area-map order wraps around)."""
        areas = self.session.areas
        self.area_index = index % len(areas)
        area = areas[self.area_index]
        self.table.show_statements(
            self.session.statements_in(area.id),
            self.session.ratings,
            self.other_ratings(),
            self.noted(),
        )
        self.area_list.highlighted = self.area_index
        self.refresh_areas()
        self.refresh_detail()

    def go_to(self, statement_id: str) -> None:
        """Highlight a statement, switching area when it lives in another one."""
        area_id = self.session.framework.statement_by_id[statement_id].area
        index = self.session.area_index[area_id]
        if index != self.area_index:
            self.show_area(index)
        self.table.highlight(statement_id)

    def noted(self) -> set[str]:
        """The statements marked as having a note (the review marks either side's)."""
        return set(self.session.notes)

    def after_change(self, statement_id: str, *, detail: bool = True) -> None:
        """Show a change to one statement; ``detail`` False when the highlight moves on
        right after (the detail then shows the next statement, once)."""
        self.table.show_rating(
            statement_id,
            self.session.ratings.get(statement_id),
            has_note=statement_id in self.noted(),
        )
        self.refresh_areas(only=self.session.framework.statement_by_id[statement_id].area)
        self.refresh_title()
        if detail:
            self.refresh_detail()

    # -- events ------------------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # A move made by a key has shown its statement already (see action_rate).
        if self.table.highlighted_id != self._detail_id:
            self.refresh_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_note()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is self.area_list:
            event.stop()
            self.show_area(event.option_index)
            self.table.focus()

    # -- actions -----------------------------------------------------------------------------
    def action_rate(self, key: str) -> None:
        sid = self.table.highlighted_id
        rating = parse_rating(key)
        if sid is None or rating is None:
            return
        was_answered = sid in self.session.ratings
        if not self.attempt(lambda: self.session.rate(sid, rating)):
            return
        self.after_change(sid, detail=False)
        self.move_on_from(sid, completed=not was_answered)
        # The statement now highlighted, in the same frame as the rating itself.
        self.refresh_detail()

    def move_on_from(self, statement_id: str, *, completed: bool) -> None:
        """After a rating: on to the next statement, and never leave a rated one silently.

        Staying on a rated statement means the next key changes that rating, so it only
        happens with a notice: when that rating completed the walk (nothing is left to
        answer), or at the very end of a complete walk. At the end of a walk with gaps,
        the cursor goes back to the first statement still unanswered.
        """
        session = self.session
        move = session.move_on(statement_id, completed=completed)
        if move.done:
            self.notify(
                f"All {len(session.walk)} statements {self.DONE_WORDS}",
                title="Walk complete",
                markup=False,
            )
            return
        self.go_to(move.statement_id)
        if not move.wrapped:
            return
        left = len(session.walk) - session.answered()
        topic = session.framework.statement_by_id[move.statement_id].topic
        self.notify(
            visible(f"End of the walk; {left} still unanswered. Back to the first: {topic}"),
            markup=False,
        )

    def action_clear(self) -> None:
        sid = self.table.highlighted_id
        if sid is not None and self.attempt(lambda: self.session.clear(sid)):
            self.after_change(sid)

    def action_note(self) -> None:
        sid = self.table.highlighted_id
        if sid is None:
            return
        if self.session.read_only_reason:
            self.say_read_only(self.session.read_only_reason)
            return
        from tui.note_editor import NoteEditor

        statement = self.session.framework.statement_by_id[sid]
        heading = plain(statement.topic, "bold")

        def done(text: str | None) -> None:
            if text is not None and self.attempt(lambda: self.session.set_note(sid, text)):
                self.after_change(sid)

        self.app.push_screen(
            NoteEditor(self.note_title(), heading, self.session.notes.get(sid, "")), done
        )

    def note_title(self) -> str:
        return "Your evidence for this statement"

    def action_move(self, step: int) -> None:
        """Down or up; past an area's last or first statement, into the next or previous."""
        table = self.table
        row = table.cursor_row
        if step < 0 and row <= 0:
            self.show_area(self.area_index - 1)
            self.table.highlight(self.table.statement_ids[-1])
            return
        if step > 0 and row >= len(table.statement_ids) - 1:
            self.show_area(self.area_index + 1)
            return
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_scroll_detail(self, step: int) -> None:
        detail = self.detail
        if step > 0:
            detail.scroll_down(animate=False)
        else:
            detail.scroll_up(animate=False)

    def action_undo(self) -> None:
        session = self.session
        undone = None

        def undo() -> None:
            nonlocal undone
            undone = session.undo()

        if not self.attempt(undo):
            return
        if undone is None:
            self.notify("Nothing to undo in this session.", markup=False)
            return
        self.go_to(undone.statement_id)
        self.after_change(undone.statement_id)
        topic = session.framework.statement_by_id[undone.statement_id].topic
        self.notify(visible(f"Undone: the {undone.field} of {topic} (saved)"), markup=False)

    def jump(self, statement_id: str | None, none_left: str) -> None:
        """Highlight a statement found by a jump, or say there is none."""
        if statement_id is None:
            self.notify(none_left, markup=False)
            return
        self.go_to(statement_id)
        self.table.focus()

    def action_next_unanswered(self) -> None:
        session = self.session
        self.jump(
            session.next_unanswered(self.table.highlighted_id),
            f"All {len(session.walk)} statements have a rating.",
        )

    def action_next_note(self) -> None:
        self.jump(
            self.session.next_with_note(self.table.highlighted_id), "No statement has a note."
        )

    # -- the command palette -----------------------------------------------------------------
    def palette_commands(self) -> list[PaletteCommand]:
        """What ctrl+p offers on this screen, besides going to a statement."""
        areas = self.session.areas
        commands: list[PaletteCommand] = [
            (
                "Next unanswered statement",
                "g: the next one with no rating",
                self.action_next_unanswered,
            ),
            ("Next statement with a note", "a note by anyone", self.action_next_note),
            ("Undo the last change", "ctrl+z: a rating or a note, saved at once", self.action_undo),
        ]
        commands.extend(
            (f"Go to area {i + 1}: {area.title}", "its statements", partial(self.go_to_area, i))
            for i, area in enumerate(areas)
        )
        return commands

    def statement_commands(self) -> list[PaletteCommand]:
        """Every statement, to go to by typing part of its topic or words of its text."""
        framework = self.session.framework
        return [
            (
                f"Go to: {statement.topic}",
                f"{framework.level_by_key[statement.level].label} \u00b7 "
                f"{framework.area_by_id[statement.area].title}"
                + (f"{TEXT_SEPARATOR}{statement.description}" if statement.description else ""),
                partial(self.jump, statement.id, ""),
            )
            for statement in self.session.statements
        ]

    def go_to_area(self, index: int) -> None:
        self.show_area(index)
        self.table.focus()

    def open_area(self, area_id: str) -> None:
        """An area chosen on a summary: at its first statement still unrated, if any."""
        index = self.session.area_index.get(area_id)
        if index is None:
            return  # an area with no statement in the role: nothing to ask
        self.go_to_area(index)
        ratings = self.session.ratings
        gap = next((s.id for s in self.session.statements_in(area_id) if s.id not in ratings), None)
        if gap is not None:
            self.table.highlight(gap)

    def action_refused(self) -> None:
        self.say_read_only(self.session.read_only_reason or "read-only")

    def action_area(self, step: int) -> None:
        self.show_area(self.area_index + step)
        self.table.focus()

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "area-line":
            self.action_pick_area()

    def action_pick_area(self) -> None:
        """Every area to choose from: the area list when it is folded away."""
        from tui.choice_screen import ChoiceScreen

        areas = self.session.areas
        result = self.session.result()
        choices = [
            (str(i), f"{area.title} \u00b7 {result.area(area.id).level}")
            for i, area in enumerate(areas)
        ]

        def chosen(value: str | None) -> None:
            if value:
                self.go_to_area(int(value))

        self.app.push_screen(
            ChoiceScreen("Go to area", choices, selected=str(self.area_index)), chosen
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.HELP_KEYS))

    async def action_quit(self) -> None:
        self.app.exit()
