"""``report new``: a minimal project that builds and checks clean as created.

The project shows each feature once: a citation with a page, a free-text note
holding a citation, an incident-marked paragraph, a provision the text argues, a
captioned table, a figure with its alternative text, a box and cross-references to
the three, a two-entry registry (a UN document with its symbol, a web report with
the date it was consulted), an instruments file and the tool's default templates,
plus the CI workflow (:data:`WORKFLOW`, the same file as the shipped project's
``.github/workflows/report.yml``) and a ``.gitignore``.

The figure's image (:data:`CHART`) is a PNG drawn here, in code, when the project is
written (:func:`chart_png`, with Pillow): the repository holds no binary file for it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from report.config import PACKAGE_TEMPLATES
from report.diagnostics import Location, error
from report.errors import ReportError

TEMPLATE_FILES = ("notes.csl", "reference.docx", "report.css", "report.html.j2")
DEFAULT_TITLE = "Detained for Reporting"


def templates_dir() -> Path:
    """The tool's default templates, shipped inside the package (``report/templates/``)."""
    return PACKAGE_TEMPLATES


REPORT_YAML = """\
# The report's settings. Every key is described in the report tool's README, "The sources".
title: {title}
subtitle: A starting point made by report new
organization: Your Organisation
language: en                            # BCP 47 tag: en, fr, az, ru...
# date: 2025-03-01                      # the publication date, once you have one
sections:                               # one Markdown file per section, in this order
  - 01-introduction.md
citation-style: templates/notes.csl
registry: references/sources.yaml
outputs: [docx, pdf, html]
"""

INTRODUCTION = """\
---
title: Introduction
---

This report documents the detention of journalists at checkpoints during 2024. It is an
example made by report new: replace it with your own text, one file per section. Every claim
that needs a source cites the source's key in the registry, with the page, and becomes a
footnote[@example-monitor-2024, p. 12].

{#journalist-detained-2024 .incident}
On 3 March 2024 a journalist was stopped at a checkpoint and held for five days without
being told why and without seeing a lawyer[@example-monitor-2024, pp. 14–15].

Holding a person without telling them why breaches [Article 9]{.provision ref=udhr:9} of
the Universal Declaration of Human Rights, which protects everyone against arbitrary
arrest and detention.^[The Declaration was adopted by the United Nations General Assembly on
10 December 1948; see [@un-ga-1948-udhr, art. 9].]

The monitor counted the journalists held at checkpoints in each quarter of the
year[@example-monitor-2024, p. 7]: @tbl-held gives the counts, @fig-held shows them as a
chart, and @box-counting explains when the monitor counts a journalist as held.

| Quarter          | Journalists held |
|:-----------------|-----------------:|
| January–March    |                4 |
| April–June       |                2 |
| July–September   |                3 |
| October–December |                2 |

: Journalists held at checkpoints in 2024, by quarter {#tbl-held}

![Journalists held in each quarter of 2024](images/held-by-quarter.png){#fig-held width=60% fig-alt="A bar chart of the journalists held at checkpoints in each quarter of 2024: four, two, three and two."}

::: {#box-counting .box title="What the monitor counts"}
A journalist counts as held when they are kept at a checkpoint for more than four hours,
whether or not they are told why[@example-monitor-2024, p. 3].
:::
"""

CHART = "images/held-by-quarter.png"
CHART_COUNTS = (4, 2, 3, 2)  # the table's "Journalists held" column, one bar a quarter

SOURCES = """\
# The citation registry (CSL-YAML, as Zotero and Pandoc write it). The text cites an entry
# by its id: [@example-monitor-2024, p. 12]. A URL needs the date it was consulted
# (accessed); a UN or OSCE document needs its symbol in number.

- id: un-ga-1948-udhr
  type: report
  author:
    - literal: United Nations General Assembly
  title: Universal Declaration of Human Rights
  genre: UN document
  number: A/RES/217(III)
  issued: 1948-12-10
  URL: https://www.un.org/en/about-us/universal-declaration-of-human-rights
  accessed: 2025-01-15
  language: en

- id: example-monitor-2024
  type: report
  author:
    - literal: Example Rights Monitor
  title: "Held at the Checkpoint: Journalists in Custody in 2024"
  publisher: Example Rights Monitor
  issued: 2024-11
  URL: https://example.org/reports/held-at-the-checkpoint
  accessed: 2025-01-15
  language: en
"""

INSTRUMENTS_HEAD = """\
# Treaty instruments the report argues, for the provision checks: the text argues a
# provision as [Article 9]{.provision ref=udhr:9}. `articles` is the number of articles;
# `article-titles` are short descriptions (the Declaration has no official headings).

"""

INCIDENTS = """\
# Documented incidents, the provisions each engages and their registry sources. The text
# describes each one in a paragraph marked {#id .incident} on the line before it, and that
# paragraph cites the incident's sources.

- id: journalist-detained-2024
  summary: A journalist stopped at a checkpoint and held for five days without being told why and without seeing a lawyer.
  date: 2024-03-03
  place: A checkpoint
  victims: [journalists]
  provisions: [udhr:9]
  sources: [example-monitor-2024]
"""

GITIGNORE = "build/\n"

PROJECT_README = """\
# {title}

A report project: Markdown sections, a citation registry and templates in; DOCX, PDF and
HTML out.

```sh
report check    # citations, sources, incidents and provisions
report build    # build/en/public/report.docx, report.pdf, report.html
report serve    # a live preview at http://127.0.0.1:8000/, rebuilt on every save
```

- `report.yaml`: the title, the language and the list of sections.
- `sections/`: the text, one Markdown file per section.
- `references/sources.yaml`: the sources the text cites as `[@key, p. 12]`.
- `references/instruments.yaml`, `references/incidents.yaml`: the treaties the report argues
  and the incidents that engage them.
- `images/`: the figures' images (PNG, JPEG or SVG), which the text shows as
  `![Caption](images/file.png){{#fig-label fig-alt="…"}}`.
- `templates/`: the Word reference document, the HTML page and its CSS, the citation style.
- `.github/workflows/report.yml`: checks, builds and compares every push; it installs the
  tool named in `requirements.txt`.
"""

WORKFLOW = """\
# Checks, builds and compares the report on every push and pull request.
# Written by `report new`; the shipped project carries the same file.
#   - report check: problems appear as annotations on the changed lines;
#   - report build: every language's public edition, which is written only when the
#     leak check finds no protected name or confidential text in it (drafts allowed; a
#     release tag requires complete translations and no warnings); the confidential
#     edition is never built here: its artifact would be readable by anyone who can read
#     the repository's runs;
#   - report diff: against the last release tag, when there is one;
#   - the outputs (build/) and the diff (build/diff/) are uploaded as artifacts.
name: report

on:
  push:
  pull_request:

permissions:
  contents: read

jobs:
  report:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the tags, for the diff against the last release

      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"

      - name: Install the libraries WeasyPrint needs and the Noto fonts (CJK too, for a Chinese or Japanese translation)
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends \\
            libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk

      - name: Install report
        run: |
          if [ -f pyproject.toml ]; then
            pip install .                    # the tool's own repository
          else
            pip install -r requirements.txt  # a report project names the tool there
          fi
          command -v report >/dev/null || {
            echo "::error file=requirements.txt::requirements.txt must name the report tool (see its comment)"
            exit 1
          }

      - name: Check
        run: report check --format github

      - name: Build every language
        run: |
          if [ "$GITHUB_REF_TYPE" = tag ]; then
            report build --all-locales --strict
          else
            report build --all-locales --allow-fuzzy
          fi

      - name: Compare with the last release tag
        id: diff
        run: |
          base=HEAD
          [ "$GITHUB_REF_TYPE" = tag ] && base=HEAD^
          tag=$(git describe --tags --abbrev=0 "$base" 2>/dev/null || true)
          if [ -n "$tag" ]; then
            report diff "$tag" HEAD
            echo "tag=$tag" >> "$GITHUB_OUTPUT"
          else
            echo "no release tag yet: nothing to compare"
          fi

      - name: Upload the outputs
        uses: actions/upload-artifact@v4
        with:
          name: report
          path: |
            build/
            !build/diff/
            !build/.lock
            !build/*/confidential/

      - name: Upload the diff
        if: steps.diff.outputs.tag != ''
        uses: actions/upload-artifact@v4
        with:
          name: report-diff
          path: build/diff/
"""


# 5x7 bitmaps of the characters the chart writes.
_GLYPHS = {
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
}


def chart_png(counts=CHART_COUNTS, width: int = 960, height: int = 540) -> bytes:
    """A bar chart of ``counts`` (one bar a quarter, labelled Q1…, values 0–4 on a grid)
    as PNG bytes: a four-colour palette image drawn with Pillow and saved without any
    metadata, the same bytes every time (for one Pillow and zlib)."""
    from PIL import Image, ImageDraw

    white, grid, ink, bar = 0, 1, 2, 3
    image = Image.new("P", (width, height), white)
    image.putpalette((255, 255, 255, 215, 219, 224, 59, 70, 80, 46, 94, 140))
    draw = ImageDraw.Draw(image)

    def fill(x0: int, y0: int, x1: int, y1: int, colour: int) -> None:
        """The pixels from (x0, y0) up to, not including, (x1, y1)."""
        if x1 > x0 and y1 > y0:
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=colour)

    def write(text: str, x: int, y: int, scale: int = 5) -> None:
        for char in text:
            for row, line in enumerate(_GLYPHS[char]):
                for col, dot in enumerate(line):
                    if dot == "#":
                        fill(x + col * scale, y + row * scale, x + (col + 1) * scale, y + (row + 1) * scale, ink)
            x += 6 * scale

    left, right, top, bottom = 110, width - 40, 40, height - 90
    step = (bottom - top) // 4
    for value in range(5):
        y = bottom - value * step
        fill(left, y - 1, right, y + 1, grid)
        write(str(value), left - 55, y - 17)
    slot = (right - left) // len(counts)
    for i, count in enumerate(counts):
        x = left + i * slot + slot // 5
        fill(x, bottom - count * step, x + slot * 3 // 5, bottom, bar)
        write(f"Q{i + 1}", x + slot * 3 // 10 - 28, bottom + 25)
    fill(left - 2, top, left + 2, bottom + 2, ink)
    fill(left - 2, bottom - 2, right, bottom + 2, ink)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)  # a new image has no info: no text, time or EXIF chunks
    return out.getvalue()


def requirements() -> str:
    """``requirements.txt`` for the CI workflow: the tool as pip installed it here when
    that can be repeated elsewhere (a Git URL), else a comment saying what to write."""
    lines = ["# The report tool, for the CI workflow (.github/workflows/report.yml)."]
    try:
        from importlib.metadata import distribution

        direct = json.loads(distribution("report").read_text("direct_url.json") or "null") or {}
    except Exception:  # noqa: BLE001 - not installed as a distribution: nothing to repeat
        direct = {}
    vcs = direct.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and direct.get("url"):
        revision = vcs.get("requested_revision") or vcs.get("commit_id")
        lines.append(f"report @ git+{direct['url']}" + (f"@{revision}" if revision else ""))
    else:
        lines += ["# Name where your organisation keeps the tool, for example:",
                  "#   report @ git+https://github.com/your-organisation/report@v0.1.0"]
    return "\n".join(lines) + "\n"


def udhr_instruments() -> str:
    titles = [
        "Freedom and equality in dignity and rights", "Freedom from discrimination",
        "Right to life, liberty and security of person", "Freedom from slavery and servitude",
        "Freedom from torture and cruel, inhuman or degrading treatment or punishment",
        "Recognition as a person before the law", "Equality before the law", "Right to an effective remedy",
        "Freedom from arbitrary arrest, detention or exile", "Right to a fair and public hearing",
        "Presumption of innocence; no retroactive offences", "Privacy, family, home and correspondence",
        "Freedom of movement and residence", "Right to asylum", "Right to a nationality",
        "Right to marry and to found a family", "Right to own property", "Freedom of thought, conscience and religion",
        "Freedom of opinion and expression", "Freedom of peaceful assembly and association",
        "Right to take part in government", "Right to social security", "Right to work", "Right to rest and leisure",
        "Right to an adequate standard of living", "Right to education", "Right to take part in cultural life",
        "Right to a social and international order", "Duties to the community; limitations of rights",
        "No right to destroy the rights and freedoms set forth",
    ]
    lines = ["instruments:", "  - id: udhr", "    abbreviation: UDHR",
             "    title: Universal Declaration of Human Rights",
             "    short-title: Universal Declaration of Human Rights",
             "    adopted: 1948", f"    articles: {len(titles)}", "    article-titles:"]
    lines += [f"      {number}: {title}" for number, title in enumerate(titles, 1)]
    return INSTRUMENTS_HEAD + "\n".join(lines) + "\n"


def project_files(title: str = DEFAULT_TITLE) -> dict[str, bytes]:
    """Every file of a new project by project-relative path."""
    quoted = title
    try:
        plain = yaml.safe_load(f"title: {title}") == {"title": title} and "#" not in title
    except yaml.YAMLError:
        plain = False
    if not plain or "\n" in title:
        quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    texts = {
        "report.yaml": REPORT_YAML.format(title=quoted),
        "sections/01-introduction.md": INTRODUCTION,
        "references/sources.yaml": SOURCES,
        "references/instruments.yaml": udhr_instruments(),
        "references/incidents.yaml": INCIDENTS,
        ".gitignore": GITIGNORE,
        ".github/workflows/report.yml": WORKFLOW,
        "requirements.txt": requirements(),
        "README.md": PROJECT_README.format(title=title),
    }
    files = {rel: text.encode("utf-8") for rel, text in texts.items()}
    files[CHART] = chart_png()
    source = templates_dir()
    for name in TEMPLATE_FILES:
        files[f"templates/{name}"] = (source / name).read_bytes()
    return files


def _fail(code: str, message: str, shown: str, hint: str | None = None) -> ReportError:
    return ReportError(error(code, message, Location(shown, 1, 1), hint))


def new_project(into: Path, force: bool = False, title: str = DEFAULT_TITLE, shown: str | None = None) -> list[str]:
    """Write a new project into ``into`` and return the paths written.

    ``into`` must not exist or be empty (NEW001) unless ``force``; then the new files
    replace any of the same name and everything else stays. A folder that already holds
    a project (``report.yaml``) is refused even with ``force``. Without ``force`` the
    files are written into a staging folder beside ``into`` and renamed into place,
    so a failure leaves nothing behind."""
    shown = shown or str(into)
    if into.exists() and not into.is_dir():
        raise _fail("NEW001", f"{shown} exists and is not a folder", shown)
    if into.is_dir() and any(into.iterdir()) and not force:
        raise _fail("NEW001", f"{shown} is not empty", shown, "choose a new folder, or pass --force to write into it")
    try:
        files = project_files(title)
    except OSError as exc:
        raise _fail("NEW002", f"cannot read the default templates: {exc}", str(templates_dir())) from None
    if (into / "report.yaml").exists():
        # --force lets a new project join other files, never replace a project.
        raise _fail("NEW001", f"{shown} already holds a project (report.yaml)", shown,
                    "choose a new folder; --force only writes into a folder without a project")
    stage = None
    try:
        if into.is_dir() and any(into.iterdir()):
            for rel, data in sorted(files.items()):
                path = into / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        else:
            into.parent.mkdir(parents=True, exist_ok=True)
            stage = Path(tempfile.mkdtemp(prefix=".report-new-", dir=into.parent))
            for rel, data in sorted(files.items()):
                path = stage / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            os.chmod(stage, 0o755)
            if into.is_dir():
                into.rmdir()
            os.replace(stage, into)
            stage = None
    except OSError as exc:
        raise _fail("NEW002", f"cannot write the project into {shown}: {exc.strerror or exc}", shown) from None
    finally:
        if stage is not None and stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return sorted(files)
