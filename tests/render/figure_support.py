"""A report with figures, a table, a box and cross-references, written the way a
Pandoc/Quarto user writes one, built once per test session for the figure tests of
every format (test_figures_docx, test_figures_pdf_html), and readers of its outputs.

The images are made with Pillow: a 4000x3000 JPEG photograph (printed at 60% of the
16 cm text width), a 1200x900 JPEG (80%) and a 400x300 PNG (no width: its own size),
the PNG used twice, once in a figure without a caption (not numbered) whose path is
written from the section's folder, as Quarto reads it.
"""

from __future__ import annotations

import functools
import io
import json
import math
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import write_project
from tests.images.support import picture

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
TEXT_WIDTH_CM = 16.0
DPI = 300

GATE_ALT = "The prison gate at dawn, seen from the road"
YARD_ALT = 'The exercise yard ("B") & two guard towers, seen from above'  # escaped quotes, as Pandoc reads them
MAP_ALT = "A map of the district with the facility marked in red"
SKETCH_ALT = "A hand-drawn sketch of the district"

# label → (number, caption, alt text, width as a fraction of the text width or None, format)
FIGURES = {
    "fig-gate": (1, "The main gate of the facility", GATE_ALT, 0.60, "JPEG"),
    "fig-yard": (2, "The exercise yard", YARD_ALT, 0.80, "JPEG"),
    "fig-map": (3, "A map of the district", MAP_ALT, None, "PNG"),
}
TABLE_CAPTION, BOX_TITLE = "Detentions by year", "How we counted"

# Captions in reading order, as every format must show them.
CAPTIONS = ["Figure 1: The main gate of the facility", "Table 1: Detentions by year", "Box 1: How we counted",
            "Figure 2: The exercise yard", "Figure 3: A map of the district"]
# Body sentences with cross-references, as every format must show them.
SENTENCES = [
    "The gate is shown in Figure 1, the gate and the yard in Figures 1 and 2.",
    "The counts are in Table 1 (see also 1) and the method in Box 1.",
    "As Figure 3 shows, and as Figure 1 showed, see Figure 2 for the yard.",
]
NOTE = "The map is Figure 3, drawn after Places."

SECTION_1 = """\
    ---
    title: Findings
    id: sec-findings
    ---

    The gate is shown in @fig-gate, the gate and the yard in [@fig-gate; @fig-yard].
    The counts are in @tbl-counts (see also [-@tbl-counts]) and the method in @box-method.^[The map is @fig-map, drawn after @sec-places.]
    A claim cites a source[@un-2020, p. 3].

    ![The main gate of the facility](images/gate.jpg){#fig-gate width=60% fig-alt="The prison gate at dawn, seen from the road"}

    | Year | Place     | Detained |
    |------|:----------|---------:|
    | 2020 | Gate camp |       12 |
    | 2021 | The yard  |      340 |

    : Detentions by year {#tbl-counts}

    ::: {#box-method .box title="How we counted"}
    Each name was counted once, whatever the number of witnesses.
    :::

    ::: {.callout-warning}
    The figures are provisional.
    :::
    """

SECTION_2 = """\
    ---
    title: Details
    ---

    ## Places {#sec-places}

    A second source describes the district[@ngo-2021].

    ![](../images/map.png){fig-alt="A hand-drawn sketch of the district"}

    ![The exercise yard](images/yard.jpg){#fig-yard width=80% fig-alt="The exercise yard (\\"B\\") & two guard towers, seen from above"}

    ![A map of the district](images/map.png){#fig-map fig-alt="A map of the district with the facility marked in red"}

    As @fig-map shows, and as @Fig-gate showed, see @fig-yard for the yard.
    """

YAML = """\
    title: Figures and References
    organization: Test Org
    language: en
    date: 2024-05-01
    sections:
      - 01-findings.md
      - 02-details.md
    citation-style: templates/notes.csl
    """


def jpeg(size, quality: int = 90) -> bytes:
    out = io.BytesIO()
    picture(size).save(out, "JPEG", quality=quality)
    return out.getvalue()


def png(size) -> bytes:
    out = io.BytesIO()
    picture(size).save(out, "PNG")
    return out.getvalue()


@functools.cache
def image_files() -> dict[str, bytes]:
    return {"images/gate.jpg": jpeg((4000, 3000)), "images/yard.jpg": jpeg((1200, 900)),
            "images/map.png": png((400, 300))}


def figure_files() -> dict[str, str | bytes | None]:
    return {"report.yaml": YAML, "sections/01-intro.md": None, "sections/01-findings.md": SECTION_1,
            "sections/02-details.md": SECTION_2, **image_files()}


def build_in(root: Path, formats=("docx", "pdf", "html")):
    """Build the project at ``root`` with a private image cache; the BuildResult."""
    from report.build import build

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root.parent / f"{root.name}-cache"))
        return build(root, tuple(formats))


@functools.cache
def _built(base: Path):
    root = write_project(base / "figures-project", figure_files())
    return root, build_in(root)


@pytest.fixture(scope="module")
def figure_build(tmp_path_factory):
    """(project root, BuildResult) of the figures report, built once per session."""
    return _built(tmp_path_factory.getbasetemp())


# --- reading the outputs ---------------------------------------------------

def max_pixels(fraction: float | None, own_px: int) -> int:
    """The widest an image printed at ``fraction`` of the text width may be at 300 dpi."""
    if fraction is None:
        return own_px
    return math.ceil(DPI * TEXT_WIDTH_CM * fraction / 2.54)


def model_numbers(out_dir: Path) -> dict[str, int]:
    """label → number of every numbered element in the build's model.json."""
    found: dict[str, int] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("Figure", "Table", "Div") and node.get("id") and node.get("number") is not None:
                found[node["id"]] = int(node["number"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((out_dir / "model.json").read_text(encoding="utf-8")))
    return found


def normal(text: str) -> str:
    """Text with no-break spaces as spaces and runs of white space as one."""
    return " ".join(text.replace("\u00a0", " ").split())


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(parts, name: str):
    return etree.fromstring(parts[name])


def shown(p) -> str:
    """What a reader sees of a paragraph: its w:t texts, field results included."""
    return "".join(t.text or "" for t in p.iter(w("t")))


def fields(element) -> list[dict]:
    """The complex fields in ``element``, in order: instruction, result text, and the
    names of the bookmarks open around the field's result."""
    out, open_marks, current = [], {}, None
    for node in element.iter(w("fldChar"), w("instrText"), w("t"), w("bookmarkStart"), w("bookmarkEnd")):
        tag = etree.QName(node).localname
        if tag == "bookmarkStart":
            open_marks[node.get(w("id"))] = node.get(w("name"))
        elif tag == "bookmarkEnd":
            open_marks.pop(node.get(w("id")), None)
        elif tag == "fldChar":
            kind = node.get(w("fldCharType"))
            if kind == "begin":
                current = {"instruction": "", "result": "", "marks": list(open_marks.values()), "stage": "code"}
            elif kind == "separate" and current is not None:
                current["stage"] = "result"
            elif kind == "end" and current is not None:
                current["instruction"] = " ".join(current["instruction"].split())
                del current["stage"]
                out.append(current)
                current = None
        elif tag == "instrText" and current is not None:
            current["instruction"] += node.text or ""
        elif tag == "t" and current is not None and current["stage"] == "result":
            current["result"] += node.text or ""
    return out
