"""The JSON report: the whole model, for other tools, in a stable key order."""

from __future__ import annotations

import dataclasses
import json
from typing import IO, TYPE_CHECKING, Any

from competency.outputs.seal import PLACEHOLDER

if TYPE_CHECKING:
    from competency.outputs.report import Report

REPORT_SCHEMA = "competency-report/1"


def to_dict(model: Any) -> dict[str, Any]:
    """A report model as plain JSON data; keys in the order the dataclasses declare them."""
    data: dict[str, Any] = dataclasses.asdict(model)
    return data


def dump(data: dict[str, Any], out: IO[bytes]) -> None:
    """Indented UTF-8 JSON with a final newline; the report digest is the last key."""
    data["report_digest"] = PLACEHOLDER
    text = json.dumps(data, ensure_ascii=False, indent=2)
    out.write(text.encode("utf-8") + b"\n")


def write_json(report: Report, out: IO[bytes]) -> None:
    """One person's report as JSON (``competency-report/1``)."""
    body = to_dict(report)
    profile = body.pop("profile")
    if profile is not None:
        # The role profile (SPEC 9) beside the person; reports of no profile stay as they were.
        body = {"subject": body.pop("subject"), "profile": profile, **body}
    body["framework"]["sources"] = dict(body["framework"]["sources"])
    body["scale"] = [
        {"value": value, "label": label, "meaning": meaning}
        for value, label, meaning in body["scale"]
    ]
    if body["resources"] is None:
        # Without a resources file the report says nothing of resources (SPEC 9).
        del body["resources"]
        for area in body["areas"]:
            for line in area["plan"]:
                del line["resources"]
    dump({"schema": REPORT_SCHEMA, **body}, out)
