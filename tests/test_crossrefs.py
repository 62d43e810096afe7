"""Cross-references and numbering: the labels, the numbers, the words and the diagnostics.

Written the way Quarto users write them (``@fig-x``, ``[@fig-a; @fig-b]``,
``[-@tbl-x]``, ``@sec-x``), checked on the model and on the HTML and PDF a build writes.
"""

from __future__ import annotations

import io
import re
import textwrap

import pdfplumber
import pytest
from PIL import Image

from report.build import build, check

YAML = """\
title: Cross-references
language: {language}
sections: [01-a.md, 02-b.md]
{extra}"""


def png(colour=(200, 50, 50)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(out, "PNG")
    return out.getvalue()


def project(make_project, first: str, second: str = "Nothing here.\n", language: str = "en", extra: str = ""):
    files = {
        "report.yaml": YAML.format(language=language, extra=extra),
        "sections/01-a.md": "---\ntitle: First\nid: sec-first\n---\n\n" + textwrap.dedent(first),
        "sections/02-b.md": "---\ntitle: Second\n---\n\n" + textwrap.dedent(second),
        "images/a.png": png(), "images/b.png": png((50, 50, 200)),
    }
    return make_project(files)


def errors(root) -> list[str]:
    """What ``report check`` says about the sections (the registry's own warnings aside)."""
    _, found = check(root)
    return [d.format() for d in found if d.location.path.startswith("sections/")]


def test_numbers_words_and_links_in_html_and_pdf(make_project):
    root = project(make_project, """\
        See @fig-a, [@fig-a; @fig-b], [-@tbl-t], [Map @fig-b], @Box-k and @sec-first.

        ![The first](images/a.png){#fig-a fig-alt="Red"}

        | x | y |
        |---|--:|
        | 1 | 2 |

        : The table {#tbl-t}

        ![](images/b.png){fig-alt="An unnumbered image"}

        ![The second](images/b.png){#fig-b fig-alt="Blue"}

        ::: {#box-k .box title="The box"}
        Inside.
        :::
        """)
    out = build(root).out_dir
    html = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ")
    assert "See Figure 1, Figures 1 and 2, 1, Map 2, Box 1 and First." in text
    assert re.findall(r'data-counter="(\w+)">(\d+)<', html) == [("figure", "1"), ("table", "1"), ("figure", "2"),
                                                               ("box", "1")]
    assert html.count('href="#fig-a"') == 2 and html.count('href="#fig-b"') == 2
    with pdfplumber.open(out / "report.pdf") as pdf:
        printed = " ".join(page.extract_text() for page in pdf.pages).replace("\u00a0", " ")
    # In the PDF every number comes from the layout's counters: the same numbers.
    assert "See Figure 1, Figures 1 and 2, 1, Map 2, Box 1 and First." in " ".join(printed.split())
    for caption in ("Figure 1: The first", "Table 1: The table", "Figure 2: The second", "Box 1: The box"):
        assert caption in printed


def test_numbered_sections_and_their_references(make_project):
    root = project(make_project, "See @sec-method, @sec-deep and [@sec-first].\n\n## Unnumbered {-}\n",
                   "## Method {#sec-method}\n\n### Deeper {#sec-deep}\n\nText.\n", extra="number-sections: true\n")
    out = build(root).out_dir
    html = (out / "report.html").read_text(encoding="utf-8")
    assert re.findall(r'<span class="number">([\d.]+)</span> (\w+)', html) == [
        ("1", "First"), ("2", "Second"), ("2.1", "Method"), ("2.1.1", "Deeper")]
    with pdfplumber.open(out / "report.pdf") as pdf:
        printed = " ".join(page.extract_text() for page in pdf.pages).replace("\u00a0", " ")
    assert "See section 2.1, section 2.1.1 and section 1." in " ".join(printed.split())
    assert "2.1.1 Deeper" in printed and "Unnumbered" in printed and "1.1 Unnumbered" not in printed


def test_the_words_come_from_the_language(make_project):
    root = project(make_project, "См. @fig-a и [@fig-a; @fig-b].\n\n![Первый](images/a.png){#fig-a fig-alt=\"Красный\"}\n\n"
                   "![Второй](images/b.png){#fig-b fig-alt=\"Синий\"}\n", language="ru")
    html = (build(root).out_dir / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ")
    assert "См. Рисунок 1 и Рисунки 1 и 2." in text and "Рисунок 2: Второй" in text


def test_located_diagnostics(make_project):
    root = project(make_project, """\
        See @fig-nope and @fig-a and [@fig-a; @un-2020].

        ![](images/a.png){#fig-a fig-alt="No caption, so no number"}

        ![Twice](images/b.png){#fig-b fig-alt="x"}

        ![Again](images/b.png){#fig-b fig-alt="y"}

        | x |
        |---|
        | 1 |

        : Misnamed {#fig-c}
        """)
    assert sorted(errors(root)) == sorted([
        "sections/01-a.md:6:30: error[XRF003]: a group mixes cross-references and citations (write them apart: "
        "[@fig-map] and [@key, p. 3])",
        "sections/01-a.md:12:1: error[XRF002]: label 'fig-b' is defined twice (first defined at sections/01-a.md:10:1)",
        "sections/01-a.md:14:1: error[XRF004]: label 'fig-c' starts with 'fig-' but names a table (write tbl-c)",
        "sections/01-a.md:6:5: error[XRF001]: unknown cross-reference target 'fig-nope' (did you mean 'fig-b'?)",
        "sections/01-a.md:6:19: error[XRF004]: 'fig-a' has no number to refer to (give the figure or table a "
        "caption: only captioned ones are numbered)",
        "sections/01-a.md:10:1: info[XRF005]: 'fig-b' is never referred to (refer to it with @fig-b, or leave the label out)",
    ])


def test_reserved_prefixes_cannot_be_citation_keys(make_project):
    root = project(make_project, "Text.\n")
    registry = root / "references" / "sources.yaml"
    registry.write_text(registry.read_text() + "- id: fig-report\n  type: report\n  title: X\n  issued: 2020\n",
                        encoding="utf-8")
    from report.errors import ReportError

    with pytest.raises(ReportError) as raised:
        check(root)
    found = [d.format() for d in raised.value.diagnostics]
    assert found == ["references/sources.yaml:19:3: error[REG016]: key 'fig-report' starts with 'fig-', which names "
                     "a figure (fig-, tbl-, sec-, box-, para- and rec- are kept for cross-references: rename the entry)"]


def test_an_email_address_stays_text_and_a_bare_key_is_refused(make_project):
    root = project(make_project, "Write to press@example.org. As @un-2020 says.\n")
    assert errors(root) == ["sections/01-a.md:6:32: error[CIT020]: in-text citation '@un-2020' is not supported "
                            "(write [@un-2020] for a note citing it, or \\@un-2020 for the text '@un-2020')"]
    (root / "sections" / "01-a.md").write_text("---\ntitle: First\n---\n\nWrite to press@example.org. As \\@un-2020 says.\n",
                                              encoding="utf-8")
    html = (build(root).out_dir / "report.html").read_text(encoding="utf-8")
    assert "Write to press@example.org. As @un-2020 says." in html


def test_a_width_that_is_not_a_length_is_located(make_project):
    root = project(make_project, '![A chart](images/a.png){#fig-a width=half fig-alt="Red"}\n\nSee @fig-a.\n')
    assert errors(root) == ["sections/01-a.md:6:1: error[FIG002]: figure width 'half' is not a length (write a "
                            "percentage of the text width (width=60%) or a length (8cm, 3in, 400px))"]


def test_an_image_that_fails_to_decode_while_rendering_stops_the_build_at_its_figure(make_project, monkeypatch):
    """The figures transform reads headers only; data that fails to decode when the image
    is prepared is a located error, never a figure published without its image."""
    import report.images
    from report.errors import ReportError
    from report.images import ImageProblem

    def broken(path, printed_width_in, dpi=300, digest=None):
        raise ImageProblem("IMG003", "corrupt image data")

    monkeypatch.setattr(report.images, "prepare", broken)
    root = project(make_project, '![A chart](images/a.png){#fig-a fig-alt="Red"}\n\nSee @fig-a.\n')
    with pytest.raises(ReportError) as raised:
        build(root, ("html",))
    assert [d.format() for d in raised.value.diagnostics if d.severity.label == "error"] == [
        "sections/01-a.md:6:1: error[IMG003]: corrupt image data: images/a.png"]
    assert not (root / "build" / "en" / "public" / "report.html").exists()


def test_written_as_quarto_users_write_them(make_project):
    """fig-cap as the caption, a callout titled by its first heading, a list starting at 3
    and nested bullets in the PDF (WeasyPrint ignores start=, and draws its own nested
    markers from glyphs Noto Serif lacks)."""
    root = project(make_project, """\
        See @fig-a.

        ![](images/a.png){#fig-a fig-cap="From fig-cap" fig-alt="Red"}

        ::: callout-tip
        ## My tip
        Text.
        :::

        3. three
        4. four

        - outer
            - inner
                - inner2
        """)
    out = build(root).out_dir
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<p class="callout-title">My tip</p>' in html and "<h2" not in html.split("callout-tip")[1][:200]
    with pdfplumber.open(out / "report.pdf") as pdf:
        printed = "\n".join(page.extract_text() for page in pdf.pages).replace("\u00a0", " ")
    assert "See Figure 1." in printed and "Figure 1: From fig-cap" in printed
    assert "3. three\n4. four" in printed and "– inner" in printed


def test_quarto_forms_this_tool_refuses_are_located(make_project):
    root = project(make_project, """\
        Some text.
        : Above {#tbl-above}

        | a | b |
        |---|---|
        | 1 | 2 |

        ::: {#fig-div}
        Inside.
        :::

        Text {{< pagebreak >}} more.[^long]

        [^long]: First.

            Second.
        """)
    assert errors(root) == [
        "sections/01-a.md:6:1: error[MD011]: a table caption under a paragraph reads as a definition list (write "
        "'Table: Caption {#tbl-x}' above the table, or ': Caption {#tbl-x}' below it)",
        "sections/01-a.md:17:6: error[MD029]: Quarto shortcodes are not supported (a page break, a video or an "
        "include has no place in the sources: remove it)",
        "sections/01-a.md:19:1: error[MD028]: note [^long] is not one paragraph (a note is one paragraph of text)",
        "sections/01-a.md:13:1: error[XRF004]: a div labelled 'fig-div' is not a figure, table or box (a figure is "
        "![Caption](file){#fig-x}, a table a pipe table with ': Caption {#tbl-x}', a box ::: {#box-x .box})",
    ]
