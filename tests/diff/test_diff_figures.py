"""The diff of two builds with figures: a replaced image, a changed caption or
alternative text are changes at their place; figures renumbered by an insertion
before them are not (numbers are never compared). The redline still matches its build."""

from __future__ import annotations

import io
import json
import shutil

from PIL import Image

from report.build import build
from report.diff import run_diff

SECTION = """\
---
title: Figures
---

See @fig-gate.

![The gate](images/gate.png){{#fig-gate fig-alt="{alt}"}}

{extra}![The yard](images/yard.png){{#fig-yard fig-alt="An empty yard"}}

Text about @fig-yard.
"""


def png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 60), colour).save(out, "PNG")
    return out.getvalue()


def changes(make_project, tmp_path, alt="A gate", extra="", gate=(200, 0, 0)) -> list[dict]:
    root = make_project({"sections/01-intro.md": SECTION.format(alt="A gate", extra=""),
                         "images/gate.png": png((200, 0, 0)), "images/yard.png": png((0, 90, 0))})
    old = shutil.copytree(build(root, ("docx", "html")).out_dir, tmp_path / "old")
    (root / "sections" / "01-intro.md").write_text(SECTION.format(alt=alt, extra=extra), encoding="utf-8")
    (root / "images" / "gate.png").write_bytes(png(gate))
    new = build(root, ("docx", "html")).out_dir
    result = run_diff(str(old), str(new), root, tmp_path / "out", None, False)
    assert (tmp_path / "out" / "redline.docx").exists()  # the redline matched NEW's DOCX
    return json.loads((tmp_path / "out" / "changes.json").read_text(encoding="utf-8"))["changes"] if result else []


def test_a_replaced_image_is_a_change_at_its_figure(make_project, tmp_path):
    found = changes(make_project, tmp_path, gate=(0, 0, 200))
    assert [(c["kind"], c["path"], c["line"]) for c in found] == [("paragraphs", "sections/01-intro.md", 7)]
    assert found[0]["message"].startswith("figure changed:")


def test_changed_alternative_text_is_a_change(make_project, tmp_path):
    found = changes(make_project, tmp_path, alt="A steel gate")
    assert len(found) == 1 and "steel" in json.dumps(found[0]["words"])


def test_renumbered_figures_are_not_changes(make_project, tmp_path):
    extra = '![A new map](images/gate.png){#fig-map fig-alt="A map"}\n\nSee @fig-map.\n\n'
    found = changes(make_project, tmp_path, extra=extra)
    # The inserted figure and its paragraph only: the yard is now Figure 3, and unchanged.
    assert [c["action"] for c in found] == ["added", "added"]
