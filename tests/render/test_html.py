"""The HTML backend: a valid, self-contained page, escaped text, linked notes."""

from __future__ import annotations

import os
import re

import html5lib
import lxml.html
import pytest

from report import model as m
from report.errors import ReportError
from report.render.base import UnknownNodeError
from report.render.html import HtmlRenderer, HtmlWriter, clean_token, document_html, safe_href
from tests.render.htmlpdf_support import L, context_for, loaded, shipped_project


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return shipped_project(tmp_path_factory)


@pytest.fixture(scope="module")
def page(shipped):
    root, document, context = shipped
    data = HtmlRenderer().render(document, context)
    return data, lxml.html.document_fromstring(data), document


def one_section_doc(*blocks, title="Findings", language="en"):
    meta = m.Metadata("A <Title>", "Org & Co", language, None)
    return m.Document(meta, (m.Section("findings", title, tuple(blocks), L),))


def render(doc, root) -> str:
    return HtmlRenderer().render(doc, context_for(root)).decode("utf-8")


def test_page_is_html5_with_language_and_metadata(page):
    data, tree, document = page
    assert data.startswith(b"<!DOCTYPE html>\n")
    data.decode("utf-8")
    assert tree.get("lang") == "en"
    assert tree.find(".//meta[@charset]").get("charset") == "utf-8"
    assert tree.findtext(".//title") == document.metadata.title
    assert tree.find(".//meta[@name='author']").get("content") == document.metadata.organization
    assert tree.find(".//h1[@class='report-title']").text_content() == document.metadata.title


def test_page_is_self_contained(page):
    data, tree, _ = page
    assert not tree.xpath("//script | //link | //img | //iframe | //*[@src]")
    assert len(tree.xpath("//style")) >= 1
    styles = "".join(tree.xpath("//style/text()"))
    assert "url(" not in styles and "@font-face" not in styles and "@page" not in styles
    assert '"Noto Serif", serif' in styles


def test_contents_lists_titled_sections_only(page):
    _, tree, document = page
    entries = [(a.get("href"), a.text_content()) for a in tree.xpath("//nav//a")]
    titled = [s for s in document.sections if s.title is not None]
    assert entries == [(f"#{s.id}", s.title) for s in titled]
    for section in titled:
        assert tree.get_element_by_id(section.id).tag == "h1"
    # The untitled introduction has no heading.
    assert len(tree.xpath("//main//h1")) == len(titled)


def test_every_note_call_links_to_its_note_and_back(page):
    _, tree, document = page
    numbers = [f.number for f in document.footnotes()]
    assert numbers == list(range(1, 15))
    calls = tree.xpath("//sup[@class='fn-call']")
    assert [c.text_content() for c in calls] == [str(n) for n in numbers]
    notes = tree.xpath("//section[@role='doc-endnotes']//ol[@class='footnotes']/li")
    assert [li.get("id") for li in notes] == [f"fn-{n}" for n in numbers]
    for n, call in zip(numbers, calls):
        links = call.xpath(".//a")
        assert len(links) == 1 and links[0].get("href") == f"#fn-{n}" and links[0].get("role") == "doc-noteref"
        assert call.get("id") == f"fnref-{n}"
        back = tree.get_element_by_id(f"fn-{n}").xpath(".//a[@role='doc-backlink']")
        assert [a.get("href") for a in back] == [f"#fnref-{n}"]


def test_note_text_and_links_reach_the_endnotes(page):
    _, tree, document = page
    for note in document.footnotes():
        text = tree.get_element_by_id(f"fn-{note.number}").text_content()
        assert m.plain_text(note.children)[:40] in text
    assert tree.xpath("//li[@id='fn-9']//a[starts-with(@href, 'https://www.amnesty.org/')]")


def test_output_is_deterministic(shipped):
    _, document, context = shipped
    assert HtmlRenderer().render(document, context) == HtmlRenderer().render(document, context)


def test_script_text_and_javascript_links_are_inert(make_project):
    root = make_project()
    evil = m.Paragraph((
        m.Text("<script>alert(1)</script>", L),
        m.Link("javascript:alert(1)", (m.Text("click", L),), L),
        m.Link(" JaVa\tScript:alert(2)", (m.Text("again", L),), L),
        m.Link("data:text/html,<b>x</b>", (m.Text("data", L),), L),
        m.Link("file:///etc/passwd", (m.Text("file", L),), L),
        m.Link("https://example.org/?a=1&b=\"2\"", (m.Text("ok", L),), L),
        m.Link("mailto:info@example.org", (m.Text("mail", L),), L),
    ), L, id='x" onclick="alert(1)', classes=("ok", "bad<class>"))
    html = render(one_section_doc(evil), root)
    tree = lxml.html.document_fromstring(html)
    assert not tree.xpath("//script")
    assert "<script>alert(1)</script>" in tree.xpath("//main//p")[0].text_content()
    hrefs = [a.get("href") for a in tree.xpath("//main//a")]
    assert hrefs == ['https://example.org/?a=1&b="2"', "mailto:info@example.org"]
    assert "javascript" not in html.lower().replace("<script>alert(1)</script>", "")
    p = tree.xpath("//main//p")[0]
    assert p.get("id") == "xonclickalert1" and p.get("class") == "ok badclass" and p.get("onclick") is None
    assert tree.findtext(".//title") == "A <Title>"


def test_helpers():
    assert clean_token('a b"<c>') == "abc"
    assert safe_href("HTTPS://x.org") == "HTTPS://x.org"
    assert safe_href("java\nscript:alert(1)") is None
    assert safe_href("/relative") is None


def test_blocks_keep_their_structure(make_project):
    root = make_project()
    doc = one_section_doc(
        m.Heading(2, (m.Text("Sub", L),), "sub", L),
        m.BlockQuote((m.Paragraph((m.Emph((m.Text("q", L),), L), m.LineBreak(L), m.Strong((m.Code("c<", L),), L)), L),), L),
        m.ListBlock(True, 3, ((m.Paragraph((m.Text("a", L),), L),), (m.Paragraph((m.Text("b", L),), L),)), L),
        m.ListBlock(False, 1, ((m.Paragraph((m.Text("c", L),), L),),), L),
        m.CodeBlock("x < y\n", L), m.ThematicBreak(L),
        m.Paragraph((m.Span((m.Text("art", L),), "s1", ("provision",), (("ref", "cat:12"),), L),), L),
    )
    tree = lxml.html.document_fromstring(render(doc, root))
    main = tree.find(".//main")
    assert main.find(".//h1").get("id") == "findings" and main.find(".//h2").get("id") == "sub"
    assert main.find(".//blockquote/p/em").text == "q" and main.find(".//blockquote/p/strong/code").text == "c<"
    assert main.find(".//ol").get("start") == "3" and len(main.findall(".//ol/li")) == 2
    assert main.find(".//ul/li/p").text == "c" and main.find(".//pre/code").text == "x < y\n"
    assert main.find(".//hr") is not None and main.find(".//span[@id='s1']").get("class") == "provision"


def test_table_has_caption_column_headers_and_escaped_cells(make_project):
    root = make_project()
    note = m.Footnote(1, (m.Text("A cell note.", L),), (), L)
    table = m.Table(((m.Text("Year", L),), (m.Emph((m.Text("Event <b>", L),), L),)),
                    (((m.Text("1994", L),), (m.Text("A & B <script>x</script>", L), note)), ((m.Text("short", L),),)),
                    L, caption=(m.Text("Table 1 <i>", L),))
    bare = m.Table((), (((m.Text("x", L),),),), L)
    html = render(one_section_doc(table, bare), root)
    html5lib.HTMLParser(strict=True).parse(html)
    tree = lxml.html.document_fromstring(html)
    first, second = tree.xpath("//main//table")
    assert [child.tag for child in first] == ["caption", "thead", "tbody"]
    assert first.find("caption").text_content() == "Table 1 <i>"
    ths = first.xpath("thead/tr/th")
    assert [th.get("scope") for th in ths] == ["col", "col"] and ths[1].find("em").text == "Event <b>"
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in first.xpath("tbody/tr")]
    assert rows == [["1994", "A & B <script>x</script>1"], ["short", ""]]  # the short row is padded
    assert not tree.xpath("//script") and "&lt;script&gt;" in html
    assert first.xpath("tbody/tr[1]/td[2]/sup[@class='fn-call']/a/@href") == ["#fn-1"]
    assert tree.get_element_by_id("fn-1").text_content().startswith("A cell note.")
    assert [child.tag for child in second] == ["tbody"]
    printed = lxml.html.fragment_fromstring(HtmlWriter("print").block(table))
    assert printed.xpath("tbody/tr[1]/td[2]/span[@class='footnote']")[0].text_content() == "A cell note."


def test_untitled_section_has_no_heading(make_project):
    root = make_project()
    tree = lxml.html.document_fromstring(render(one_section_doc(m.Paragraph((m.Text("t", L),), L), title=None), root))
    assert not tree.xpath("//main//h1") and not tree.xpath("//nav")


def test_unresolved_nodes_are_a_loud_error(make_project):
    root = make_project()
    citation = m.Citation((m.CiteItem("un-2020", L),), L)
    with pytest.raises(UnknownNodeError, match="Citation"):
        render(one_section_doc(m.Paragraph((citation,), L)), root)
    with pytest.raises(UnknownNodeError, match="Note"):
        render(one_section_doc(m.Paragraph((m.Note((m.Text("n", L),), L),), L)), root)


def test_date_is_written_long_in_the_report_language(make_project):
    root = make_project()
    document, context = loaded(root)
    tree = lxml.html.document_fromstring(HtmlRenderer().render(document, context))
    assert tree.find(".//time").text == "May 1, 2024" and tree.find(".//time").get("datetime") == "2024-05-01"
    assert tree.find(".//meta[@name='dcterms.created']").get("content") == "2024-05-01T00:00:00+00:00"


@pytest.mark.parametrize("template, line, message", [
    ("<p>{{ nope }}</p>\n", 1, "'nope' is undefined"),
    ("<p>\n{% if title %}\n<b>x</b>\n", 2, "Unexpected end of template"),
    ("<p>\n\n{{ title.a.b }}</p>\n", 3, "has no attribute 'a'"),
])
def test_template_errors_are_located(make_project, template, line, message):
    root = make_project({"templates/report.html.j2": template})
    document, context = loaded(root)
    with pytest.raises(ReportError) as caught:
        HtmlRenderer().render(document, context)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "TPL002" and message in diagnostic.message
    assert (diagnostic.location.path, diagnostic.location.line) == ("templates/report.html.j2", line)


def test_screen_css_may_not_load_resources(make_project):
    root = make_project()
    path = root / "templates" / "report.css"
    path.write_text(path.read_text() + "\n@media screen {\n  body { background: url(bg.png); }\n}\n")
    document, context = loaded(root)
    with pytest.raises(ReportError) as caught:
        document_html(document, context)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "HTML001" and diagnostic.location.path == "templates/report.css"
    assert re.search(r"url\(bg\.png\)", path.read_text().splitlines()[diagnostic.location.line - 1])
    # The print page keeps the rule: WeasyPrint loads it through the confined fetcher.
    path.write_text(path.read_text().replace("@media screen {\n  body { background", "@media print {\n  body { background"))
    assert "url(bg.png)" in document_html(document, context, "print")
    assert "url(bg.png)" not in document_html(document, context, "screen")


LINKED_NOTE = """---
title: Intro
---

Text [see^[A note citing <https://y.org/z>.] *this*](https://x.org) and more.
"""


def test_a_note_inside_a_link_is_called_after_the_link(make_project):
    root = make_project({"sections/01-intro.md": LINKED_NOTE})
    document, context = loaded(root)
    html = HtmlRenderer().render(document, context).decode("utf-8")
    html5lib.HTMLParser(strict=True).parse(html)  # raises on <a> inside <a>
    tree = lxml.html.document_fromstring(html)
    p = tree.xpath("//main//p")[0]
    assert not tree.xpath("//a//a")
    link = p.xpath("a[@href='https://x.org']")[0]
    assert link.text_content() == "see this"
    call = link.getnext()
    assert call.tag == "sup" and call.get("class") == "fn-call" and call.xpath("a/@href") == ["#fn-1"]
    assert p.text_content() == "Text see this1 and more."
    assert tree.xpath("//li[@id='fn-1']//a/@href")[0] == "https://y.org/z"
    # The print page (the PDF's) puts the note, which holds a link itself, after </a> too.
    printed = document_html(document, context, "print")
    html5lib.HTMLParser(strict=True).parse(printed)
    note = lxml.html.document_fromstring(printed).xpath("//a[@href='https://x.org']")[0].getnext()
    assert note.get("class") == "footnote" and note.xpath("a/@href") == ["https://y.org/z"]


def test_a_link_holding_only_a_note_shows_its_address(make_project):
    note = m.Footnote(1, (m.Text("n", L),), (), L)
    html = render(one_section_doc(m.Paragraph((m.Link("https://x.org/a", (note,), L),), L)), make_project())
    html5lib.HTMLParser(strict=True).parse(html)
    link = lxml.html.document_fromstring(html).xpath("//main//a[@href='https://x.org/a']")[0]
    assert link.text_content() == "https://x.org/a" and link.get("class") == "url"
    assert link.getnext().get("class") == "fn-call"


def test_print_headings_carry_their_text_without_notes_as_label(make_project):
    note = m.Footnote(1, (m.Text("The note", L),), (), L)
    heading = m.Heading(2, (m.Text("Sub ", L), m.Emph((m.Text("heading", L),), L), note, m.LineBreak(L),
                            m.Text("two", L)), "sub", L)
    root = make_project()
    printed = lxml.html.document_fromstring(document_html(one_section_doc(heading, title="A \u202eB"),
                                                          context_for(root), "print"))
    assert printed.xpath("//main//h2/@data-label") == ["Sub heading two"]
    assert printed.xpath("//main//h1/@data-label") == ["A B"]
    screen = lxml.html.document_fromstring(render(one_section_doc(heading), root))
    assert not screen.xpath("//*[@data-label]")


def test_print_html_keeps_no_box_around_marked_passages():
    """Incident and provision spans mark passages for the checks only: the PDF's HTML
    keeps an anchor for the id and no inline box (WeasyPrint lays each out); the web
    page keeps the spans; a span with any other class keeps its box in print too."""
    def span(text, id_, *classes):
        return m.Span((m.Text(text, L),), id_, classes, (), L)

    paragraph = m.Paragraph((span("Soldiers were shot", "shot-1", "incident"), m.Text(" under ", L),
                             span("Article 12", None, "provision"), m.Text(" and ", L),
                             span("small caps", None, "smallcaps", "provision")), L)
    printed = lxml.html.fragment_fromstring(HtmlWriter("print").block(paragraph))
    assert printed.text_content() == "Soldiers were shot under Article 12 and small caps"
    assert [(a.get("id"), a.text_content()) for a in printed.xpath(".//a")] == [("shot-1", "")]
    assert [s.get("class") for s in printed.xpath(".//span")] == ["smallcaps provision"]
    screen = lxml.html.fragment_fromstring(HtmlWriter("screen").block(paragraph))
    assert [(s.get("id"), s.get("class")) for s in screen.xpath(".//span")] == [
        ("shot-1", "incident"), (None, "provision"), (None, "smallcaps provision")]


def test_the_template_compiled_once_is_compiled_again_when_the_file_changes(tmp_path_factory):
    """The HTML template and the screen stylesheet are kept for the process (every language
    of an --all-locales build uses them); an edit of the template or of a file it
    includes is seen by the next render, even one of the same size with its time stamp
    set back."""
    root, document, context = shipped_project(tmp_path_factory)
    template = context.config.template("html")[0]
    included = template.parent / "extra.html"
    included.write_text("<p>one</p>", encoding="utf-8")
    text = template.read_text(encoding="utf-8")
    assert "</body>" in text
    template.write_text(text.replace("</body>", '{% include "extra.html" %}</body>', 1), encoding="utf-8")
    first = HtmlRenderer().render(document, context)
    assert b"<p>one</p>" in first
    assert HtmlRenderer().render(document, context) == first
    stat = included.stat()
    included.write_text("<p>two</p>", encoding="utf-8")  # same size
    os.utime(included, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time stamp as before
    edited = HtmlRenderer().render(document, context)
    assert b"<p>two</p>" in edited and b"<p>one</p>" not in edited
