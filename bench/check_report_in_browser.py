"""Open the HTML reports in headless Chromium and check what a supervisor would see.

Not part of the test suite (CI has no browser); run it by hand after changing a template:

    apt-get install -y chromium
    python bench/check_report_in_browser.py [--out DIR]

For each report it writes a screenshot, a print-width screenshot (the @media print rules
applied at A4 and Letter widths) and a PDF per paper size into DIR, and checks, in the DOM
after Chromium ran the page:

- every area's title is shown;
- a hostile name and note (script, ``<img onerror>``, ``</title>``) did not run: the title
  is the escaped name, and no handler marked the page;
- for 1-2 areas a ladder is drawn instead of a radar.

Exit status 0 when every check passed, 1 otherwise. Look at the PNGs yourself too.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from html import unescape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from competency.assessment import Review, new_assessment  # noqa: E402
from competency.framework.model import load_framework  # noqa: E402
from competency.outputs.report import write_report  # noqa: E402
from competency.storage import load_assessment  # noqa: E402
from tests.reports.conftest import convert_ft  # noqa: E402

HOSTILE_NAME = (
    "Eve <script>document.title='PWNED'</script>"
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"></title>"
)
PAPER = {"a4": ("210mm 297mm", 794), "letter": ("8.5in 11in", 816)}
"""Paper size for @page, and its width in CSS pixels for the print-width screenshot."""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        sys.exit("chromium is not installed: apt-get install -y chromium")
    return found


def run_browser(*args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--virtual-time-budget=3000",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def reports(out: Path) -> list[tuple[Path, list[str], str]]:
    """Write the reports to check: (html path, area titles, what it is)."""
    made = []
    librarians = load_framework(REPO / "frameworks" / "librarians-25-4022.00.json")
    for example in sorted((REPO / "assessments").glob("*.json")):
        path = out / f"{example.stem}.html"
        with path.open("wb") as handle:
            write_report(
                "html",
                load_assessment(example),
                librarians,
                handle,
                source_bytes=example.read_bytes(),
            )
        made.append((path, [a.title for a in librarians.areas], example.stem))

    for with_areas in (True, False):
        folder = out / ("ft" if with_areas else "ft-no-areas")
        folder.mkdir(exist_ok=True)
        framework = load_framework(convert_ft(folder, with_areas=with_areas))
        person = new_assessment(framework, HOSTILE_NAME, subject_id="FT1")
        for i, s in enumerate(framework.statements):
            if s.level in ("junior", "engineer", "senior-1"):
                person.ratings[s.id] = (3, 4, 2, 3)[i % 4]
        first = framework.statements[0].id
        person.notes[first] = HOSTILE_NAME
        person.review = Review(
            reviewer={"name": HOSTILE_NAME}, ratings={first: 0}, comment=HOSTILE_NAME
        )
        path = out / f"{folder.name}.html"
        with path.open("wb") as handle:
            write_report("html", person, framework, handle)
        made.append((path, [a.title for a in framework.areas], f"{folder.name} (hostile)"))
    return made


def dom_text(dom: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", dom))


def check(path: Path, titles: list[str], out: Path) -> list[str]:
    problems = []
    dom = run_browser("--dump-dom", path.as_uri()).stdout
    if "<body" not in dom:
        return [f"{path.name}: Chromium showed no page"]
    text = " ".join(dom_text(dom).split())
    for title in titles:
        if " ".join(title.split()) not in text:
            problems.append(f"{path.name}: area {title!r} is not shown")
    page_title = re.search(r"<title>(.*?)</title>", dom, re.S)
    if page_title is None or unescape(page_title.group(1)).strip() == "PWNED":
        problems.append(f"{path.name}: a script in the report ran (title changed)")
    if re.search(r"<body[^>]*data-pwned", dom):
        problems.append(f"{path.name}: an event handler in the report ran")
    if re.search(r"<(script|img)\b", dom):
        problems.append(f"{path.name}: the DOM holds a script or img element")
    if len(titles) < 3 and '<polygon class="series self"' in dom:
        problems.append(f"{path.name}: a radar was drawn for {len(titles)} area(s)")

    run_browser(
        f"--screenshot={out / (path.stem + '.png')}", "--window-size=1200,1600", path.as_uri()
    )
    page = path.read_text("utf-8")
    for paper, (size, width) in PAPER.items():
        # Print rules applied on screen at the paper's width: what the printout looks like.
        printed = path.with_name(f"{path.stem}.{paper}.html")
        printed.write_text(
            page.replace("@media print {", "@media all {").replace(
                "@page {", f"@page {{ size: {size}; "
            ),
            "utf-8",
        )
        run_browser(
            f"--screenshot={out / f'{path.stem}.{paper}.png'}",
            f"--window-size={width},1400",
            printed.as_uri(),
        )
        pdf = out / f"{path.stem}.{paper}.pdf"
        run_browser(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", printed.as_uri())
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) if pdf.exists() else 0
        if pages == 0:
            problems.append(f"{path.name}: printing on {paper} produced no pages")
        else:
            print(f"  {paper}: {pages} page(s), {pdf}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="folder for reports and screenshots")
    args = parser.parse_args()
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="competency-browser-"))
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for path, titles, what in reports(out):
        print(f"{what}: {path}")
        found = check(path, titles, out)
        problems += found
        print(
            f"  {'ok' if not found else 'FAILED'}: {len(titles)} area(s) shown, nothing ran;"
            f" screenshot {out / (path.stem + '.png')}"
        )
    for line in problems:
        print(line, file=sys.stderr)
    print(json.dumps({"reports": len(list(out.glob("*.png"))) // 3, "problems": len(problems)}))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
