"""Figures, captions and cross-references in the PDF and the HTML a build writes.

PDF: captions and references carry the numbers of the model (the print stylesheet's
counters make them), a figure never leaves its caption behind at a page end, each image
is a tagged /Figure with its alternative text, and each cross-reference is a link to the
figure's page. HTML: one self-contained file, figures with data: URIs, ``alt`` and
``figcaption``, cross-references as fragment links."""

from __future__ import annotations

import base64
import io
import re

import html5lib
import pdfplumber
import pytest
from lxml import html as lxml_html
from PIL import Image
from pypdf import PdfReader

from tests.conftest import write_project
from tests.render.weasyprint_support import structure_elements
from tests.render.figure_support import (CAPTIONS, FIGURES, GATE_ALT, MAP_ALT, NOTE, SENTENCES, SKETCH_ALT,
                                         YARD_ALT, build_in, figure_build, jpeg, max_pixels, model_numbers, normal)

__all__ = ["figure_build"]  # the fixture, used by name

FIGURE_CAPTION = re.compile(r"Figure (\d+): ")


@pytest.fixture(scope="module")
def out(figure_build):
    _, result = figure_build
    assert [d.format() for d in result.diagnostics] == []
    return result.out_dir


@pytest.fixture(scope="module")
def pages(out):
    """Per PDF page: (text lines, images)."""
    with pdfplumber.open(out / "report.pdf") as pdf:
        return [(page.extract_text_lines(), page.images, float(page.height)) for page in pdf.pages]


@pytest.fixture(scope="module")
def page(out):
    return lxml_html.fromstring((out / "report.html").read_text(encoding="utf-8"))


def figure_placements(pages) -> list[tuple[str, int, int, dict]]:
    """(caption, caption's page, image's page, image) for every "Figure N:" caption, the
    image being the nearest one above the caption on its page or, failing that, the last
    image of an earlier page."""
    out, last = [], None
    for number, (lines, images, _) in enumerate(pages):
        events = sorted([(im["bottom"], "image", im) for im in images]
                        + [(line["top"], "line", line) for line in lines], key=lambda e: (e[0], e[1] == "line"))
        for _, kind, item in events:
            if kind == "image":
                last = (number, item)
            elif FIGURE_CAPTION.match(normal(item["text"])):
                assert last is not None, item["text"]
                out.append((normal(item["text"]), number, last[0], last[1]))
    return out


# --- PDF ------------------------------------------------------------------

def test_pdf_captions_and_references_have_the_models_numbers(out, pages):
    numbers = model_numbers(out)
    lines = [normal(line["text"]) for page_lines, _, _ in pages for line in page_lines]
    expected = [f"Figure {numbers[label]}: {caption}" for label, (_, caption, *_) in FIGURES.items()]
    assert [line for line in lines if FIGURE_CAPTION.match(line)] == expected
    assert [line for line in lines if re.match(r"(Figure|Table|Box) \d+: ", line)] == CAPTIONS
    text = normal(" ".join(lines))
    for sentence in SENTENCES:
        assert sentence in text
    assert NOTE in text  # a reference inside a footnote, numbered by the layout too


def test_pdf_each_figure_is_on_the_page_of_its_caption(pages):
    placed = figure_placements(pages)
    assert [caption for caption, *_ in placed] == [c for c in CAPTIONS if c.startswith("Figure")]
    sizes = {"Figure 1": 1134, "Figure 2": 1200, "Figure 3": 400}  # which image is which (pixels wide)
    for caption, caption_page, image_page, image in placed:
        assert caption_page == image_page, caption
        assert image["srcsize"][0] == sizes[caption.split(":")[0]], caption
    gate = placed[0][3]
    assert gate["srcsize"][0] <= max_pixels(0.60, 4000)  # resampled to 300 dpi at its printed width
    assert (gate["x1"] - gate["x0"]) == pytest.approx(0.60 * 16 / 2.54 * 72, rel=0.01)  # 60% of 16 cm


def _page_end_project(root, control: bool):
    """Sections that each start a page with the same text, then a figure a little taller
    than the last: some of them end where the caption no longer fits below the image."""
    para = "The witnesses described the building in detail, and their accounts agree on the layout of the yard."
    names = [f"{i:02d}-part{i}.md" for i in range(1, 12)]
    files = {"sections/01-intro.md": None, "images/yard.jpg": jpeg((1200, 900), quality=70)}
    for i, (name, width) in enumerate(zip(names, range(60, 82, 2)), start=1):
        text = "\n\n".join([para] * 10)
        files[f"sections/{name}"] = (f"---\ntitle: Part {i}\n---\n\n{text}\n\n"
                                     f'![Yard {i}](images/yard.jpg){{#fig-y{i} width={width}% fig-alt="Yard {i}"}}'
                                     f"\n\nSee @fig-y{i}.\n")
    files["report.yaml"] = ("title: Page ends\nlanguage: en\nsections:\n" + "".join(f"  - {n}\n" for n in names))
    css = "main h1 { break-before: page; }\n"
    if control:  # what the layout would do if figures could break
        css += "figure.figure { break-inside: auto !important; }\n"
    project = write_project(root, files)
    (project / "templates" / "report.css").write_text(
        (project / "templates" / "report.css").read_text(encoding="utf-8") + css, encoding="utf-8")
    return project


def _placements(root) -> list[tuple[str, int, int, dict]]:
    result = build_in(root, ("pdf",))
    with pdfplumber.open(result.out_dir / "report.pdf") as pdf:
        pages = [(p.extract_text_lines(), p.images, float(p.height)) for p in pdf.pages]
    captions, images = [], []
    for number, (lines, found, _) in enumerate(pages):
        captions += [(normal(line["text"]), number) for line in lines if FIGURE_CAPTION.match(normal(line["text"]))]
        images += [(number, image) for image in sorted(found, key=lambda im: im["top"])]
    assert len(captions) == len(images) == 11
    return [(caption, caption_page, image_page, image)
            for (caption, caption_page), (image_page, image) in zip(captions, images)]


def test_pdf_a_figure_near_a_page_end_keeps_its_caption(tmp_path):
    control = _placements(_page_end_project(tmp_path / "control", control=True))
    # Without the rule, some captions would be left for the next page: the test is meaningful.
    assert any(caption_page != image_page for _, caption_page, image_page, _ in control)
    placed = _placements(_page_end_project(tmp_path / "real", control=False))
    assert [caption for caption, *_ in placed] == [f"Figure {i}: Yard {i}" for i in range(1, 12)]
    for caption, caption_page, image_page, image in placed:
        assert caption_page == image_page, caption
    moved = [i for i, (c, r) in enumerate(zip(control, placed)) if c[1] != c[2]]
    assert all(placed[i][2] == control[i][2] + 1 for i in moved)  # the whole figure went to the next page


def test_pdf_each_image_is_a_tagged_figure_with_its_alternative_text(out):
    _, elements = structure_elements((out / "report.pdf").read_bytes())
    figures = [element for kind, element, _ in elements if kind == "/Figure"]
    assert [str(figure.get("/Alt")) for figure in figures] == [GATE_ALT, SKETCH_ALT, YARD_ALT, MAP_ALT]
    assert all(figure.get("/K") is not None for figure in figures)  # each holds its image's marked content
    assert len([kind for kind, _, _ in elements if kind == "/Caption"]) >= 4  # 3 figures and the table


def test_pdf_cross_references_link_to_the_figures_page(out, pages):
    reader = PdfReader(out / "report.pdf")
    placed = {caption.split(":")[0]: (number, image) for caption, number, _, image in figure_placements(pages)}
    where = {"fig-gate": placed["Figure 1"], "fig-yard": placed["Figure 2"], "fig-map": placed["Figure 3"]}
    linked: dict[str, int] = {}
    for number, pdf_page in enumerate(reader.pages):
        for annotation in pdf_page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            dest = annotation.get("/Dest")
            if dest is None and "/A" in annotation:
                dest = annotation["/A"].get("/D")
            if dest is None or str(dest) not in where:
                continue
            label = str(dest)
            target = reader.named_destinations[label]
            target_page, image = where[label]
            assert reader.get_destination_page_number(target) == target_page, label
            image_top = float(pdf_page.mediabox.height) - image["top"]
            assert image_top - 2 <= float(target.top) <= image_top + 40, label  # at the figure, not the page top
            linked[label] = linked.get(label, 0) + 1
    assert set(linked) == {"fig-gate", "fig-yard", "fig-map"}  # the one in the footnote too


# --- HTML -----------------------------------------------------------------

def test_html_is_valid_html5(out):
    html5lib.HTMLParser(strict=True).parse((out / "report.html").read_text(encoding="utf-8"))


def test_html_figures_embed_their_images_with_alt_text_and_captions(page):
    for label, (number, caption, alt, fraction, fmt) in FIGURES.items():
        (figure,) = page.xpath(f"//figure[@id='{label}']")
        assert "figure" in figure.get("class").split()
        (img,) = figure.xpath(".//img")
        assert img.get("alt") == alt
        kind = "jpeg" if fmt == "JPEG" else "png"
        assert img.get("src").startswith(f"data:image/{kind};base64,")
        data = base64.b64decode(img.get("src").split(",", 1)[1])
        image = Image.open(io.BytesIO(data))
        image.load()
        assert image.format == fmt and not image.getexif() and "exif" not in image.info
        own = {"fig-gate": 4000, "fig-yard": 1200, "fig-map": 400}[label]
        assert image.width <= max_pixels(fraction, own)
        (figcaption,) = figure.xpath("./figcaption")
        assert normal(figcaption.text_content()) == f"Figure {number}: {caption}"
        if fraction is not None:
            assert f"width: {round(fraction * 100)}%" in (img.get("style") or "")
    # The figure without a caption: an image with its alt text, no number.
    (sketch,) = [f for f in page.xpath("//figure") if f.xpath(f".//img[@alt='{SKETCH_ALT}']")]
    assert not sketch.xpath("./figcaption") and "numbered" not in sketch.get("class").split()
    # Nothing points at a file: the page is self-contained.
    for element in page.iter():
        for attribute in ("src", "srcset", "poster", "data"):
            value = element.get(attribute) if isinstance(element.tag, str) else None
            assert value is None or value.startswith("data:"), (element.tag, attribute, value[:60])
    for element in page.xpath("//link[@href] | //script[@src] | //iframe | //object | //embed"):
        raise AssertionError(f"an external resource: {lxml_html.tostring(element)[:80]!r}")


def test_html_cross_references_are_fragment_links_to_the_figures(page):
    ids = set(page.xpath("//@id"))
    refs = [(a.get("href"), normal(a.text_content())) for a in page.xpath("//a[contains(@class, 'xref')]")]
    assert ("#fig-gate", "1") in refs and ("#fig-yard", "2") in refs and ("#fig-map", "3") in refs
    assert ("#tbl-counts", "1") in refs and ("#box-method", "1") in refs
    assert all(href.startswith("#") and href[1:] in ids for href, _ in refs)
    numbers = {"#fig-gate": "1", "#fig-yard": "2", "#fig-map": "3", "#tbl-counts": "1", "#box-method": "1"}
    assert all(numbers[href] == text for href, text in refs if href in numbers)
    text = normal(page.text_content())
    for sentence in SENTENCES:
        assert sentence in text
    assert NOTE in text  # the reference in the (end)note


def test_alt_text_that_looks_like_a_tag_is_taken_literally(tmp_path):
    from report.build import check
    from tests.render.figure_support import png

    alt = "A door under a sign reading <EXIT> & a camera"
    root = write_project(tmp_path / "project", {
        "report.yaml": "title: Signs\nlanguage: en\nsections: [01-intro.md]\n",
        "sections/01-intro.md": f'---\ntitle: Intro\n---\n\nSee @fig-door.\n\n'
                                f'![The door](images/door.png){{#fig-door fig-alt="{alt}"}}\n',
        "images/door.png": png((60, 40))})
    _, found = check(root)
    assert [d.format() for d in found if d.location.path.startswith("sections/")] == []
    result = build_in(root, ("html",))
    page = lxml_html.fromstring((result.out_dir / "report.html").read_text(encoding="utf-8"))
    assert page.xpath("//figure[@id='fig-door']//img/@alt") == [alt]
