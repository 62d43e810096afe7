"""The citation registry: CSL-YAML and CSL-JSON (as Zotero exports it) load unchanged."""

from __future__ import annotations

import json

from report.build import load
from report import model as m

ZOTERO_EXPORT = [
    {
        "id": "http://zotero.org/users/local/kQx1/items/8XG3", "type": "report",
        "title": "Bloodshed in the Caucasus: Armed Conflict Escalates in Nagorno-Karabakh",
        "publisher": "Human Rights Watch", "publisher-place": "New York", "source": "Zotero",
        "URL": "https://www.hrw.org/reports/1992/", "shortTitle": "Bloodshed in the Caucasus",
        "language": "en", "author": [{"literal": "Human Rights Watch/Helsinki"}],
        "accessed": {"date-parts": [["2024", 3, 1]]}, "issued": {"date-parts": [["1992", 9]]},
        "citation-key": "hrw1992", "abstract": "A report.", "system_id": "zotero|1/8XG3",
    },
    {
        "id": "doe2020", "type": "webpage", "title": "A page", "container-title": "Amnesty International",
        "URL": "https://www.amnesty.org/x/", "author": [{"family": "Doe", "given": "Jane"}],
        "issued": {"date-parts": [[2020, 12, 14]]},
    },
]

SECTION = """\
---
title: One
---

First[@http://zotero.org/users/local/kQx1/items/8XG3, p. 3]. Second[@doe2020]. Third[@http://zotero.org/users/local/kQx1/items/8XG3, p. 4].
"""


def notes_of(root):
    return [m.plain_text(n.children) for n in load(root).document.footnotes()]


def test_zotero_csl_json_export_loads_unchanged(make_project):
    root = make_project({
        "report.yaml": "title: T\nlanguage: en\nsections: [01-intro.md]\nregistry: references/zotero.json\n"
                       "citation-style: templates/notes.csl\n",
        "references/zotero.json": json.dumps(ZOTERO_EXPORT, indent=2),
        "sections/01-intro.md": SECTION,
    })
    first, second, third = notes_of(root)
    assert first == ("Human Rights Watch/Helsinki, “Bloodshed in the Caucasus: Armed Conflict Escalates in "
                     "Nagorno-Karabakh”, Human Rights Watch, New York (September 1992), p. 3, "
                     "https://www.hrw.org/reports/1992/, accessed March 1, 2024.")
    assert second.startswith("Jane Doe, “A page”, Amnesty International (December 14, 2020)")
    assert third == "Human Rights Watch/Helsinki, “Bloodshed in the Caucasus”, p. 4."


def test_pandoc_references_mapping_form(make_project):
    root = make_project({
        "references/sources.yaml": "references:\n  - id: un-2020\n    type: report\n    title: T\n"
                                   "  - id: ngo-2021\n    type: report\n    title: U\n",
    })
    assert len(notes_of(root)) == 2


def test_malformed_json_is_located(make_project):
    from click.testing import CliRunner
    from report.cli import main

    root = make_project({
        "report.yaml": "title: T\nlanguage: en\nsections: [01-intro.md]\nregistry: references/z.json\n"
                       "citation-style: templates/notes.csl\n",
        "references/z.json": '[\n  {"id": "a", "type": "report",}\n]\n',
    })
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "references/z.json:2:32: error[REG002]: malformed JSON: Expecting property name enclosed in double quotes"


def test_stock_style_by_name(make_project):
    root = make_project({
        "report.yaml": "title: T\nlanguage: en\nsections: [01-intro.md]\n"
                       "citation-style: chicago-notes-bibliography-subsequent-ibid\n",
    })
    first, second = notes_of(root)
    assert first == "United Nations, A Report, UN document A/75/123 (2020), 3."
    assert "12" in second
