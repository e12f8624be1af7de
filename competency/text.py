"""What text is safe where: one set of unsafe characters, and a named policy per destination.

Names, notes, comments and framework text come from people and files nobody here wrote.
Every writer, the command line and the screens call one of these policies; none keeps a
list of dangerous characters of its own. HTML is not here: Jinja2's autoescape handles its
markup, after ``strip`` has removed the characters no page should hold.

- ``terminal``: a line for a terminal, every unsafe character shown as ``\\xNN``.
- ``terminal_lines``: the same for many lines (a CSV or Markdown file printed to a
  terminal): line feeds, tabs and CRLF stay.
- ``visible``: text for the Textual screens, unsafe characters shown as a visible stand-in
  (the Unicode "control picture", such as ␛ for ESC).
- ``editable``: text a note editor may hold: only what could attack a terminal removed.
- ``strip``: text for a report (HTML, Markdown, JSON): unsafe characters removed, line
  breaks and tabs kept.
- ``markdown``: one line of Markdown that shows exactly the text and reads well as plain
  text: only what would become markup is escaped.
- ``cell``: a spreadsheet cell (CSV, XLSX) that no spreadsheet will evaluate as a formula.
- ``link_target`` and ``link_parts``: which text may become a link (an ``http`` or
  ``https`` URL, nothing else) and the address it links to; ``markdown_linked`` is
  ``markdown`` with those URLs as links. HTML links them in ``competency.outputs.html``.
"""

from __future__ import annotations

import re

INVISIBLE = (
    "\u034f\u115f\u1160\u180e\u200b\u2028\u2029\u2060-\u2064\u3164\ufeff\uffa0\U000e0000-\U000e007f"
)
"""Characters that show as nothing at all: zero-width space and word joiners, the line and
paragraph separators, blank fillers, and the tag characters. ``Maya\u200bOkafor`` would
read ``MayaOkafor`` and ``Maya Okafor\U000e0041`` as ``Maya Okafor``: four files could
all read "Maya Okafor". (The zero-width joiner and non-joiner stay: scripts and emoji
need them.)"""

UNSAFE_ABOVE_C0 = "\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069" + INVISIBLE
"""DEL, the C1 controls (CSI among them), the bidirectional marks and overrides that
can make text read in another order than it is stored, and the invisible characters."""

UNSAFE = re.compile(f"[\x00-\x1f{UNSAFE_ABOVE_C0}]")
"""Every character that is never shown as itself: all C0 controls and the set above."""

UNSAFE_BUT_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f{UNSAFE_ABOVE_C0}]")
"""The same, less the tab and line feed that a note may hold as layout."""

UNSAFE_BUT_WHITESPACE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{UNSAFE_ABOVE_C0}]")
"""The same, less tab, line feed and carriage return: what an imported cell may wrap with."""

_SHOWN_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def first_unsafe(text: str) -> str | None:
    """The first character of ``text`` that is never shown as itself, as ``U+XXXX``, or None.

    Tabs and line breaks are layout, not unsafe. Importers refuse text that holds one.
    """
    found = UNSAFE_BUT_WHITESPACE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def terminal(text: str) -> str:
    """``text`` for one line on a terminal: unsafe and non-printing characters as ``\\xNN``.

    Line breaks and tabs are escaped too: one refusal is one line.
    """
    if text.isprintable() and not UNSAFE.search(text):
        return text
    return "".join(ch if ch.isprintable() and not UNSAFE.match(ch) else _escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def terminal_lines(text: str) -> str:
    """Many lines for a terminal, as ``terminal`` shows one: layout stays, attacks do not.

    Line feeds and tabs stay; a carriage return stays only right before a line feed (the
    CRLF a CSV file ends its rows with), since alone it moves back over what a line said.
    Everything else unsafe or non-printing is shown as ``\\xNN``.
    """
    lines = text.split("\n")
    last = len(lines) - 1
    shown = []
    for i, line in enumerate(lines):
        end = "\r" if i < last and line.endswith("\r") else ""
        body = line[: -len(end)] if end else line
        shown.append("\t".join(terminal(part) for part in body.split("\t")) + end)
    return "\n".join(shown)


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` for a screen, every unsafe character replaced by something you can see.

    Without ``keep_newlines`` the text becomes one line: a line break shows as ``⏎``.
    """
    if keep_newlines:
        return "\n".join(UNSAFE.sub(_stand_in, line) for line in text.split("\n"))
    text = text.replace("\r\n", "\n").replace("\n", " \u23ce ").replace("\t", " ")
    return UNSAFE.sub(_stand_in, text)


def editable(text: str) -> str:
    """``text`` as a note editor may hold it: CRLF and CR become LF, tabs stay.

    Only what could attack a terminal (ESC and the other controls, bidi overrides) is
    removed: an editor saves what it holds, so it never holds display stand-ins.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return UNSAFE_BUT_LAYOUT.sub("", text)


def strip(text: str) -> str:
    """``text`` for a report: unsafe characters removed; line breaks and tabs stay.

    An invisible character (``INVISIBLE``) is shown as U+FFFD instead of removed: removed,
    ``Maya\u200bOkafor`` and ``MayaOkafor`` would read alike, and they are two people.
    """
    if _SHOWN_INVISIBLE.search(text):
        text = _SHOWN_INVISIBLE.sub("\ufffd", text)
    return UNSAFE_BUT_LAYOUT.sub("", text)


_SPACE = re.compile(r"\s+")
# Inline syntax that would become markup wherever it stands. A backslash before any ASCII
# punctuation is Markdown's escape, so each of these shows as itself once rendered.
_INLINE = re.compile(r"[\\`*\[\]|~]")
# `_` emphasises only at a word's edge (snake_case stays as it is on GitHub and GitLab).
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# `<` only opens HTML or an autolink before a letter, `/`, `!` or `?`; `&` only makes an
# entity as `&name;` or `&#123;`. `Cataloging & Organization` keeps its `&`.
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# At the start of a line: a heading, a quote, a list item, or a setext underline.
# A list number is escaped at its dot (`1\\. item`): a backslash before a digit is no escape.
_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|=+\s*$)")
_LIST_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def markdown(text: str | None, *, line_start: bool = True) -> str:
    """User or framework text as inert, one-line Markdown that reads well as plain text.

    Unsafe characters go, line breaks become spaces (a note cannot break a table row or
    start a heading), and only what would become markup is escaped. Text may begin a line
    (after ``- `` or ``> `` too), where ``# ``, ``> ``, ``- `` and ``1. `` would mean
    something: those are escaped unless ``line_start=False`` says it never does.
    """
    if not text:
        return ""
    text = _SPACE.sub(" ", strip(text)).strip()
    text = _INLINE.sub(r"\\\g<0>", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _TAG.sub(r"\\<", text)
    text = _ENTITY.sub(r"\\&", text)
    if line_start:
        text = _LINE_START.sub(r"\\\g<0>", text)
        text = _LIST_NUMBER.sub(r"\1\\\2", text)
    return text


_BLANK = re.compile(r"\s")
_WEB_START = re.compile(r"https?://[^\s/?#<>\"'`\\]", re.IGNORECASE)
# A URL in a note: from http:// or https:// (not glued to a word before it, so that
# `javascript:https://...` stays text) to the first blank or character no URL holds bare.
_URL_IN_TEXT = re.compile(r"(?<![A-Za-z0-9+.\-])https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_LINK_SAFE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&+,;=%"
)
"""What an address keeps as it is; everything else is percent-encoded (UTF-8), so the
address holds no quote, bracket, blank, bar or backslash that could end it early in an
HTML attribute, a Markdown link or a table cell."""


def link_target(url: str) -> str | None:
    """The address an ``http`` or ``https`` URL links to, or None for anything else.

    A URL needs its scheme and a host; ``javascript:``, ``data:``, ``ftp:`` and the rest
    are never links. Characters outside ``_LINK_SAFE`` are percent-encoded.
    """
    if UNSAFE.search(url) or _BLANK.search(url) or not _WEB_START.match(url):
        return None
    from urllib.parse import quote

    return "".join(ch if ch in _LINK_SAFE else quote(ch, safe="") for ch in url)


def _url_end(url: str) -> str:
    """A URL found in text without the punctuation that ends the sentence around it."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last])):
            url = url[:-1]
        else:
            break
    return url


def link_parts(text: str) -> list[tuple[str, str | None]]:
    """``text`` cut into pieces: (words, None) and (a URL as written, the address it links to).

    Only ``http`` and ``https`` URLs are links; any other scheme stays words.
    """
    parts: list[tuple[str, str | None]] = []
    at = 0
    for found in _URL_IN_TEXT.finditer(text):
        url = _url_end(found.group())
        target = link_target(url)
        if target is None:
            continue
        start = found.start()
        if start > at:
            parts.append((text[at:start], None))
        parts.append((url, target))
        at = start + len(url)
    if at < len(text):
        parts.append((text[at:], None))
    return parts


def markdown_linked(text: str | None, *, line_start: bool = True) -> str:
    """``markdown(text)`` with each ``http`` or ``https`` URL in it as an autolink.

    The rest is escaped exactly as ``markdown`` escapes it. An autolink (``<address>``)
    reads as the URL in plain text, and inside it nothing is markup: the address holds
    no ``<``, ``>``, blank or ``|`` (``link_target`` encoded them).
    """
    if not text:
        return ""
    text = _SPACE.sub(" ", strip(text)).strip()
    pieces = []
    for i, (words, target) in enumerate(link_parts(text)):
        if target is not None:
            pieces.append(f"<{target}>")
        elif words.strip():
            # markdown() trims: keep the blanks that part words from a link.
            lead = words[: len(words) - len(words.lstrip())]
            trail = words[len(words.rstrip()) :]
            pieces.append(lead + markdown(words, line_start=line_start and i == 0) + trail)
        else:
            pieces.append(words)
    return "".join(pieces)


def markdown_link(title: str, url: str | None) -> str:
    """A resource's title as a Markdown link to ``url``, or as text when it has no web
    address: ``[Cataloging basics](https://learning.example.org/cataloging)``."""
    target = link_target(url) if url else None
    shown = markdown(title, line_start=False)
    if target is None:
        return shown
    # Backslash escapes and entities are read in a link's address: `&amp;` must stay.
    address = _ENTITY.sub(r"\\&", target)
    return f"[{shown}]({address})"


FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
"""What a spreadsheet may read as the start of a formula: ``= + - @``, their full-width
forms (``＝ ＋ － ＠``, which some spreadsheets normalise), and tab, CR and LF."""


_INVISIBLE_LEAD = "\u200b\u200c\u200d\u2060\ufeff"
"""Zero-width characters a spreadsheet may drop, like blanks, before it reads a cell."""


SEPARATORS = ";,\t|"
"""What a spreadsheet may split a line of text at: the comma, the semicolon European
locales use, the tab and the bar. A cell is written whole, but opened with another
separator it is split, and each part is a cell of its own."""

_SIGNS = re.escape("".join(sorted(FORMULA_STARTS - set("\t\r\n"))))
_SPLIT_FORMULA = re.compile(f"[{re.escape(SEPARATORS)}][\\s{_INVISIBLE_LEAD}]*(?=[{_SIGNS}])")
_SPLIT_MARKED = re.compile(f"([{re.escape(SEPARATORS)}][\\s{_INVISIBLE_LEAD}]*)'(?=[{_SIGNS}])")


def cell(text: str) -> str:
    """``text`` as a spreadsheet cell no spreadsheet will evaluate (CSV/formula injection).

    Text whose first non-blank character could start a formula gets a leading apostrophe,
    which every spreadsheet shows as plain text; so does every part of it after a separator
    (``Maya;=1+1`` is written ``Maya;'=1+1``), as a spreadsheet that splits at it would
    read that part as a cell of its own. Leading blanks count, whatever they are
    (spaces, no-break and ideographic spaces, tabs, line breaks, zero-width characters):
    some spreadsheets drop them before they look for a formula.
    """
    if _SPLIT_FORMULA.search(text):
        text = _SPLIT_FORMULA.sub(r"\g<0>'", text)
    first = text.lstrip().lstrip(_INVISIBLE_LEAD).lstrip()[:1]
    if first in FORMULA_STARTS or text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def uncell(value: str) -> str:
    """The text ``cell`` wrote as ``value``: its apostrophes taken out again, so a sheet
    exported and imported back says what it said. Anything else is kept as it is."""
    unmarked = _SPLIT_MARKED.sub(r"\1", value)
    for candidate in (unmarked[1:] if unmarked.startswith("'") else None, unmarked):
        if candidate is not None and cell(candidate) == value:
            return candidate
    return value
