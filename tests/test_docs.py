"""The README and docs/: links that resolve, a short front door, one table of settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.core
import typer.main

from fahrplan.cli import app
from models.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
README_MAX_LINES = 200

FENCE = re.compile(r"^(```|~~~)")
CODE_SPAN = re.compile(r"`+[^`]*`+")
# An inline link or image: [text](target) or [text](target "title").
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
TABLE_HEADER = re.compile(r"^\|\s*setting\s*\|", re.IGNORECASE)
SETTING = re.compile(r"`(FAHRPLAN_[A-Z_]+)`")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def fenced_blocks(text: str) -> list[list[str]]:
    """The lines of each fenced code block, in order."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            if current is None:
                current = []
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: plain text, lower case, punctuation dropped,
    spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link reads as its text
    text = text.replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a page; repeated headings get -1, -2, … as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(path: Path) -> list[str]:
    """The relative link targets of a page, code left out."""
    targets = []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(CODE_SPAN.sub("", line)):
            if not EXTERNAL.match(target):
                targets.append(target)
    return targets


def broken_links(path: Path) -> list[str]:
    """Each relative link of the page whose file or heading does not exist, with why."""
    problems = []
    for target in relative_links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{target}: no such file or folder")
        elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
            problems.append(f"{target}: no heading #{anchor} in {linked.name}")
    return problems


def settings_tables(path: Path) -> list[list[str]]:
    """The setting names of each table whose first column is `setting`."""
    tables: list[list[str]] = []
    current: list[str] | None = None
    for line in prose_lines(path.read_text(encoding="utf-8")):
        if TABLE_HEADER.match(line):
            current = []
            tables.append(current)
        elif current is not None and line.startswith("|"):
            first_cell = line.split("|")[1]
            current += SETTING.findall(first_cell)
        else:
            current = None
    return tables


def command_lines() -> list[str]:
    """Every command of the CLI as typed, subcommands of a group included."""
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    lines = []
    for name, command in root.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            lines += [f"fahrplan {name} {sub}" for sub in command.commands]
        else:
            lines.append(f"fahrplan {name}")
    return lines


def test_the_manual_has_its_pages() -> None:
    expected = {
        "architecture.md",
        "benchmarks.md",
        "catalogue.md",
        "deadlines.md",
        "operating.md",
        "report.md",
        "status-cycle.md",
    }
    assert expected <= {page.name for page in DOCS.glob("*.md")}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    assert relative_links(page) or page == README, f"{page.name} links nowhere"
    assert broken_links(page) == []


def test_the_readme_links_every_page_of_the_manual() -> None:
    linked = {
        (README.parent / target.partition("#")[0]).resolve() for target in relative_links(README)
    }
    assert {page.resolve() for page in DOCS.glob("*.md")} <= linked


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## Mail and `other` channels\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "[fine](other.md#mail-and-other-channels) [here](#page) [web](https://example.org)\n"
        "[gone](missing.md) [wrong](other.md#nowhere) `[code](ignored.md)`\n"
        "```\n[fenced](ignored-too.md)\n```\n"
    )
    assert broken_links(page) == [
        "missing.md: no such file or folder",
        "other.md#nowhere: no heading #nowhere in other.md",
    ]


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES


def test_the_readme_opens_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_section = text.split("\n## ", 2)[1]
    first_block = fenced_blocks(first_section)[0]
    commands = [line.split("#")[0].strip() for line in first_block if line.strip()]
    assert commands == ["make demo", "make test"]


def test_the_readme_lists_every_command_once() -> None:
    table = [
        line for line in prose_lines(README.read_text(encoding="utf-8")) if line.startswith("| `")
    ]
    for command in command_lines():
        rows = [row for row in table if re.match(rf"\| `{re.escape(command)}( |`)", row)]
        assert len(rows) == 1, f"{command} is in the README's table {len(rows)} times"


def test_every_setting_is_in_the_one_settings_table() -> None:
    tables = {page.name: settings_tables(page) for page in PAGES}
    assert tables["operating.md"], "operating.md has no settings table"
    assert {name: found for name, found in tables.items() if found} == {
        "operating.md": tables["operating.md"]
    }, "only operating.md has a settings table"
    (names,) = tables["operating.md"]
    expected = sorted(f"FAHRPLAN_{field.upper()}" for field in Settings.model_fields)
    assert sorted(names) == expected
