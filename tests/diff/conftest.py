"""Shared set-up of the diff tests: copies of the shipped report, edited and built
(DOCX and HTML only: the diff reads model.json, manifest.json and report.docx)."""

from __future__ import annotations

import shutil
from pathlib import Path

from report.build import build
from tests.conftest import copy_shipped_project

FORMATS = ("docx", "html")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a project file."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def built_copy(base: Path, name: str, change=None) -> Path:
    """A copy of the shipped project under ``base/name``, changed by ``change(root)``,
    built; returns its build folder."""
    root = copy_shipped_project(base / name)
    if change:
        change(root)
    return build(root, FORMATS).out_dir


def frozen(build_dir: Path, dest: Path) -> Path:
    """A copy of a build folder, as a reviewer keeps the last release's build."""
    shutil.copytree(build_dir, dest)
    return dest


def one_new_note(root: Path) -> None:
    """A citation of an already cited source in the first paragraph: a new note 1."""
    edit(root, "sections/01-introduction.md", "during the Karabakh conflicts.",
         "during the Karabakh conflicts[@hrw-1992-bloodshed, p. 3].")


def move_paragraph(root: Path) -> None:
    """The Shaplar paragraph (with its note and incident marker) to the section's end."""
    path = root / "sections/03-ceasefire-period.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("{#shaplar-hostages-2014 .incident}")
    end = text.index("{#bodies-dismembered-2016 .incident}")
    moved = text[start:end]
    path.write_text(text[:start] + text[end:].rstrip("\n") + "\n\n" + moved.rstrip("\n") + "\n", encoding="utf-8")


def ten_edits(root: Path) -> None:
    """Ten scattered edits of the issue; see TEN_EXPECTED for how each is reported."""
    s2, s3 = "sections/02-first-karabakh-war.md", "sections/03-ceasefire-period.md"
    s5, s6 = "sections/05-post-war-events.md", "sections/06-conclusion.md"
    edit(root, s2, "numerous reports indicate", "many reports indicate")  # a word
    edit(root, s2, "[@hrw-1992-bloodshed, pp. 42–43]", "[@hrw-1992-bloodshed, pp. 42–44]")  # a locator
    edit(root, "references/sources.yaml", "URL: https://www.amnesty.org/en/latest/press-release/",
         "URL: https://www.amnesty.org/en/latest/news/")  # a registry URL
    edit(root, "references/sources.yaml", "date-parts: [[1994, 12]]", "date-parts: [[1994, 11]]")  # a date
    move_paragraph(root)
    edit(root, "references/incidents.yaml",
         "provisions: [cat:2, cat:12, cat:13, cat:14, ap1:75, udhr:3, udhr:5]\n  sources: [hrw-1992-bloodshed]",
         "provisions: [cat:2, cat:12, cat:13, cat:14, cat:16, ap1:75, udhr:3, udhr:5]\n"
         "  sources: [hrw-1992-bloodshed]")  # an incident mapping
    edit(root, s5, "Tens of thousands of family members", "Thousands of family members")
    edit(root, s6, "These articles and norms confirm", "The evidence is on record. These articles and norms confirm")
    edit(root, s3, "International Committee of Red Cross", "International Committee of the Red Cross")  # a note's text
    path = root / s5
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\nA closing paragraph on the missing.\n",
                    encoding="utf-8")


def restructure(root: Path) -> None:
    """A new section (with a note, a list and a quote) between two moved ones, the
    introduction dropped, a section and the report renamed."""
    edit(root, "report.yaml", "  - 04-second-karabakh-war.md\n  - 05-post-war-events.md\n",
         "  - 05-post-war-events.md\n  - 07-new.md\n  - 04-second-karabakh-war.md\n")
    edit(root, "report.yaml", "  - 01-introduction.md\n", "")
    edit(root, "report.yaml", "title: REPORT ON", "title: A REPORT ON")
    (root / "sections" / "07-new.md").write_text(
        "---\ntitle: A NEW SECTION\n---\n\nA paragraph with a note[@hrw-1992-bloodshed, p. 9].\n\n"
        "- a list item\n- another *item*\n\n> a quote\n", encoding="utf-8")
    edit(root, "sections/03-ceasefire-period.md", "title: CEASEFIRE PERIOD", "title: THE CEASEFIRE PERIOD")


# (kind, action, path:line, words the change shows) for each of the ten edits.
TEN_EXPECTED = [
    ("paragraphs", "changed", "sections/02-first-karabakh-war.md:5", "many"),
    ("citations", "changed", "sections/02-first-karabakh-war.md:7", "42–44"),
    ("footnotes", "changed", "sections/03-ceasefire-period.md:10", "the"),
    ("paragraphs", "moved", "sections/03-ceasefire-period.md:13", "Following the renewed escalation"),
    ("paragraphs", "changed", "sections/05-post-war-events.md:5", "Thousands"),
    ("paragraphs", "added", "sections/05-post-war-events.md:7", "A closing paragraph on the missing."),
    ("paragraphs", "changed", "sections/06-conclusion.md:7", "The evidence is on record."),
    ("provisions", "changed", "references/incidents.yaml:48", "cat:16"),
    ("registry", "changed", "references/sources.yaml:21", "1994-11"),
    ("registry", "changed", "references/sources.yaml:95", "https://www.amnesty.org/en/latest/news/"),
]
