"""Reading the tool's TOML files (area maps, role profiles, migration maps) with one line
for any file that is not TOML. No pydantic here: a profiles file is read while ``assess``
draws its first screen, before the models load."""

from __future__ import annotations

from typing import Any

from competency.errors import CompetencyError


def parse_toml(data: bytes, source: str, kind: type[CompetencyError]) -> dict[str, Any]:
    """A TOML file's table, or one line naming the file: every TOML file the tool reads
    (area maps, role profiles, migration maps) comes through here, so none can end in a
    traceback."""
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise kind(f"not UTF-8 text (byte {exc.start})", source=source) from None
    except tomllib.TOMLDecodeError as exc:
        raise kind(f"not valid TOML ({exc})", source=source) from None
    except RecursionError:
        # tomllib parses arrays and inline tables by recursion: `x = [[[...]]]`
        raise kind(
            "arrays or tables nested too deeply (these files nest two levels)", source=source
        ) from None
    except ValueError:
        # An integer of more than 4,300 digits (Python's limit on reading one).
        raise kind("holds a number too long to read (over 4,300 digits)", source=source) from None
