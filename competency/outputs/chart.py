"""The geometry of the HTML report's chart: plain numbers and text, drawn by the template.

Three areas or more make a radar: one axis per area, one ring per level, and a series per
source of levels (self-assessed, reviewer, target). One or two areas cannot make a radar
(a framework without an area map has one area, ``all``), so they get a ladder per area
instead: a line from below the first level to the top, with the same markers. Series
differ by line pattern and marker shape as well as colour, so the chart reads in grey.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from competency.ratings import below_label

WIDTH = 680
RADAR_HEIGHT = 500
RADIUS = 150
LABEL_GAP = 26
"""Pixels between the outer ring and an axis label: clear of a target marker there."""
MAX_NAMED_AXES = 12
"""More areas than this and the radar's axes are numbered, with the titles in a key."""
LABEL_WIDTH = 18
"""Characters per line of an axis label before it wraps."""
LABEL_LINES = 4
"""Lines of a wrapped label at most; a longer one ends in an ellipsis (its tooltip is whole)."""
LINE_HEIGHT = 16
"""Pixels between the lines of a wrapped label."""


def wrapped(title: str) -> tuple[str, ...]:
    """A label as at most ``LABEL_LINES`` lines of ``LABEL_WIDTH`` characters."""
    lines = textwrap.wrap(title, LABEL_WIDTH, max_lines=LABEL_LINES, placeholder=" …")
    return tuple(lines) or ("",)


def numbered(ladder: Sequence[str]) -> bool:
    """Long or many level names do not fit on the chart: number the rungs, explain below."""
    return len(ladder) > 6 or max(len(label) for label in ladder) > 14


def rung_key(ladder: Sequence[str]) -> str:
    """``0 Below Emerging, 1 Emerging, ...``: the key to numbered rungs."""
    rungs = [below_label(ladder[0]), *ladder]
    return ", ".join(f"{rank} {label}" for rank, label in enumerate(rungs))


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    """``self``, ``reviewer`` or ``target``: also the CSS class that styles it."""
    name: str
    values: tuple[int | None, ...]
    """Rank per area; None where this series has no value (no target, not assessed)."""
    labels: tuple[str, ...]
    """The level as text per area, for tooltips."""


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    tip: str


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    anchor: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DrawnSeries:
    key: str
    name: str
    path: str
    """SVG polygon points, or "" when the series is markers only."""
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Ring:
    points: str
    label: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Radar:
    width: int
    height: int
    center: tuple[float, float]
    axes: tuple[tuple[float, float], ...]
    rings: tuple[Ring, ...]
    labels: tuple[Label, ...]
    series: tuple[DrawnSeries, ...]
    key: str
    """What the numbered rings mean, or "" when they carry level names."""
    numbered_axes: bool = False
    """Too many areas to write out: the axes carry the areas' numbers in the table."""

    @property
    def legend(self) -> tuple[tuple[str, str], ...]:
        """Key and name of each series."""
        return tuple((s.key, s.name) for s in self.series)


@dataclass(frozen=True, slots=True)
class Ladder:
    width: int
    height: int
    rows: tuple[LadderRow, ...]
    ticks: tuple[tuple[float, str], ...]
    """x and level label of each rung, shared by every row."""
    legend: tuple[tuple[str, str], ...]
    """Key and name of each series."""
    key: str
    """What the numbered rungs mean, or "" when they carry level names."""
    numbered_axes: bool = False
    """Ladders always write their areas out."""


@dataclass(frozen=True, slots=True)
class LadderRow:
    title: str
    y: float
    label: Label
    """The title, wrapped to fit left of the rungs and centred on the row."""
    markers: tuple[tuple[str, Point], ...]
    """Series key and where its marker sits."""


def _f(value: float) -> float:
    return round(value, 1)


def radar(titles: Sequence[str], ladder: Sequence[str], series: Sequence[Series]) -> Radar:
    """A radar of ``len(titles)`` >= 3 axes, a ring per level and one for "Below"."""
    n, top = len(titles), len(ladder)
    cx, cy = WIDTH / 2, RADAR_HEIGHT / 2
    # Past a dozen areas the titles crowd each other: the axes get numbers (the areas'
    # order in the table), and the radar takes the room the titles would have had.
    by_number = n > MAX_NAMED_AXES
    radius = 205 if by_number else RADIUS

    def point(i: int, radius: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return _f(cx + radius * math.cos(angle)), _f(cy + radius * math.sin(angle))

    def at(i: int, rank: int | None) -> tuple[float, float]:
        # Rank 0 ("Below <first level>") gets its own inner ring, so it reads differently
        # from "Not assessed" (None), which sits at the centre with no marker.
        return point(i, 0 if rank is None else radius * (rank + 1) / (top + 1))

    def polygon(ranks: Sequence[int | None]) -> str:
        return " ".join(f"{x},{y}" for x, y in (at(i, r) for i, r in enumerate(ranks)))

    short = numbered(ladder)
    rungs = ["Below", *ladder]
    rings = tuple(
        Ring(polygon([rank] * n), str(rank) if short else label, *at(0, rank))
        for rank, label in enumerate(rungs)
    )
    labels = []
    for i, title in enumerate(titles):
        x, y = point(i, radius + (LABEL_GAP / 2 if by_number else LABEL_GAP))
        anchor = "middle" if abs(x - cx) < 20 else "start" if x > cx else "end"
        lines = (str(i + 1),) if by_number else wrapped(title)
        if y < cy - 20:
            y -= LINE_HEIGHT * (len(lines) - 1)  # grow upwards above the chart
        labels.append(Label(x, _f(y), anchor, lines))
    drawn = []
    for s in series:
        points = tuple(
            Point(*at(i, value), tip=f"{titles[i]}: {s.name.lower()} {s.labels[i]}")
            for i, value in enumerate(s.values)
            if value is not None
        )
        complete = all(v is not None for v in s.values)
        path = polygon(s.values) if complete or s.key == "self" else ""
        drawn.append(DrawnSeries(s.key, s.name, path, points))
    return Radar(
        WIDTH,
        RADAR_HEIGHT,
        (cx, cy),
        tuple(point(i, radius) for i in range(n)),
        rings,
        tuple(labels),
        tuple(drawn),
        rung_key(ladder) if short else "",
        by_number,
    )


def ladder_chart(titles: Sequence[str], ladder: Sequence[str], series: Sequence[Series]) -> Ladder:
    """One horizontal ladder per area, for frameworks with fewer than three areas."""
    left, right, top, row_height = 190, WIDTH - 60, 60, 56
    short = numbered(ladder)
    rungs = [below_label(ladder[0]), *ladder]
    step = (right - left) / (len(rungs) - 1)
    ticks = tuple(
        (_f(left + i * step), str(i) if short else label) for i, label in enumerate(rungs)
    )
    offsets = {"self": 0.0, "reviewer": -12.0, "target": 12.0}
    rows = []
    for i, title in enumerate(titles):
        y = top + i * row_height
        markers = []
        for s in series:
            value = s.values[i]
            if value is None:
                continue
            tip = f"{title}: {s.name.lower()} {s.labels[i]}"
            markers.append((s.key, Point(_f(left + value * step), _f(y + offsets[s.key]), tip)))
        lines = wrapped(title)
        first = y + 4 - LINE_HEIGHT * (len(lines) - 1) / 2
        label = Label(left - 10, _f(first), "end", lines)
        rows.append(LadderRow(title, y, label, tuple(markers)))
    height = top + len(titles) * row_height
    legend = tuple((s.key, s.name) for s in series)
    return Ladder(WIDTH, height, tuple(rows), ticks, legend, rung_key(ladder) if short else "")


def chart(titles: Sequence[str], ladder: Sequence[str], series: Sequence[Series]) -> Radar | Ladder:
    """The right chart for this many areas."""
    if len(titles) >= 3:
        return radar(titles, ladder, series)
    return ladder_chart(titles, ladder, series)


BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c")
"""ColorBrewer's sequential Blues: one hue getting darker, so it reads for every kind of
colour vision and in grey. Colour only repeats what the text says (the rank and level)."""
INK, PAPER = "#1b1f24", "#ffffff"


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two ``#rrggbb`` colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def level_palette(top: int) -> list[tuple[str, str]]:
    """(background, text colour) for ranks 0 (``Below``) to ``top``, lightest first.

    The text colour is whichever of ink and paper contrasts more with the background, so
    every cell keeps WCAG AA contrast (4.5:1 or better).
    """
    steps = len(BLUES) - 1
    palette = []
    for rank in range(top + 1):
        background = BLUES[round(rank * steps / top) if top else 0]
        text = max((INK, PAPER), key=lambda ink: contrast(background, ink))
        palette.append((background, text))
    return palette


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    fill: str
    """A colour, or "" for the hatched ``Not assessed``."""
    ink: str
    count: int
    label: str
    shown: bool
    """Whether the count fits inside the segment (it is always in the tooltip and table)."""


@dataclass(frozen=True, slots=True)
class Bar:
    title: str
    label: Label
    y: float
    segments: tuple[Segment, ...]
    note: str
    """Beside the bar: the people counted and the median."""


@dataclass(frozen=True, slots=True)
class StackedBars:
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    note_x: float


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int], str]],
    columns: Sequence[tuple[str, int | None]],
    palette: Sequence[tuple[str, str]],
) -> StackedBars:
    """One bar per area: its people split by level, lowest first, each part's count in it.

    ``rows`` are (title, counts per column, median); ``columns`` (label, rank) with rank
    None for ``Not assessed``. Every bar is the full width: the parts are shares.
    """
    bar_left, bar_right, bar_height, gap = 230.0, 700.0, 22, 10
    span = bar_right - bar_left
    bars, y = [], 10.0
    for title, counts, median in rows:
        lines = wrapped(title)
        height = max(bar_height, LINE_HEIGHT * len(lines))
        total = sum(counts)
        x, segments = bar_left, []
        for (label, rank), n in zip(columns, counts, strict=True):
            if n == 0:
                continue
            width = span * n / total
            fill, ink = ("", INK) if rank is None else palette[rank]
            segments.append(
                Segment(_f(x), _f(width), fill, ink, n, label, width >= 8 * len(str(n)) + 6)
            )
            x += width
        top = y + (height - bar_height) / 2
        first = y + height / 2 + 5 - LINE_HEIGHT * (len(lines) - 1) / 2
        bars.append(
            Bar(
                title,
                Label(bar_left - 10, _f(first), "end", lines),
                _f(top),
                tuple(segments),
                f"{total} people, median {median}",
            )
        )
        y += height + gap
    return StackedBars(int(bar_right + 230), int(y), bar_height, tuple(bars), bar_right + 10)
