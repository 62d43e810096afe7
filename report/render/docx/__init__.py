"""The DOCX backend: the reference document, filled and extended with the report.

Layers, as in python-docx: ``template`` opens reference.docx and renders its
placeholders; ``body``, ``inlines``, ``fields`` and ``footnotes`` build
WordprocessingML elements from the model; ``properties`` sets language, footnote
settings and document properties; ``package`` relates the footnotes part and
writes the zip deterministically.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from report.model import Document
from report.render.base import RenderContext
from report.render.docx.bibliography import ensure_bibliography_style
from report.render.docx.body import BodyWriter, page_break_before
from report.render.docx.captions import RefTargets
from report.render.docx.pictures import Pictures
from report.render.figures import figure_images
from report.render.docx.contents import caption_marks, ensure_list_styles, write_front
from report.render.docx.fields import Bookmarks, fill_pages
from report.render.docx.pagination import estimate_pages, page_geometry
from report.render.lists import block_lists
from report.render.docx.footnotes import prepare_footnotes, write_notes
from report.render.docx.inlines import InlineWriter
from report.render.docx.numbering import install_paragraph_numbering, install_recommendation_numbering
from report.render.docx.labels import label_values, mark_headers, mark_title_page
from report.render.docx.package import LinkTargets, current_footnotes, install_footnotes, write_package
from report.render.docx.properties import (app_properties, build_properties, keep_broken_lines_unstretched,
                                           set_core_properties, set_custom_properties, set_footnote_properties,
                                           set_language, title_values, word_language)
from report.render.docx.scripts import apply_scripts
from report.render.docx.tables import table_layout
from report.render.docx.template import render_reference
from report.render.docx.xml import w, xml_safe
from report.render.labels import annex_label, confidential_mark, draft_mark, message, translator


class DocxRenderer:
    format = "docx"
    diagnostics: tuple = ()

    def render(self, document: Document, context: RenderContext) -> bytes:
        """The report as .docx bytes: reference title page, contents, body, footnotes;
        the tool's own words in the document's language, and the draft mark when
        the translation is a draft (title page and every header). The custom property
        ``ReportBuild`` names the build (its model's digest) for ``report review``, beside
        the language and edition it was made for (``properties.build_properties``)."""
        path, where = context.config.template("docx")
        _, mark = translator(document), draft_mark(document)
        values = {**title_values(document.metadata), **label_values(_, mark)}
        docx = render_reference(path, where, context.root, values)
        document_part = docx.part
        if mark is not None:
            mark_title_page(document_part.element.body, mark)
            mark_headers(document_part, mark)
        word = lambda text: message(_, text)  # noqa: E731
        targets, numbers = self._write_body(document, document_part, docx.styles.element, word,
                                            Pictures(document_part, figure_images(context)),
                                            block_lists(document, context.config.lists, word))
        footnotes = self._write_footnotes(document, docx, targets)
        body = document_part.element.body
        fill_pages(numbers, estimate_pages(body, footnotes, docx.styles.element, dict(context.config.font.files)))
        settings, metadata = docx.settings.element, document.metadata
        set_language(docx.styles.element, settings, word_language(metadata.language))
        keep_broken_lines_unstretched(settings)
        # Right-to-left (ar) and CJK (zh) languages: bidi paragraphs and runs, fonts.
        apply_scripts(docx.styles.element, [body, footnotes] + _header_footer_roots(document_part),
                      metadata.language, word_language(metadata.language), context.config.font)
        set_core_properties(docx.core_properties, metadata, context.timestamp)
        if (secret := confidential_mark(document)) is not None:  # Word's File > Info shows them
            core = docx.core_properties
            core.keywords = core.content_status = xml_safe(secret.label)
            core.comments = xml_safe(secret.text)
        package = document_part.package
        replace = set_custom_properties(package, build_properties(document, context.revision))
        for rel in package.rels.values():
            if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
                part = rel.target_part
                replace[part.partname.membername] = app_properties(part.blob, metadata.organization)
        return write_package(package, context.timestamp, replace)

    @staticmethod
    def _write_body(document: Document, document_part, styles, word, pictures, lists) -> tuple[RefTargets, list]:
        """Contents, lists and sections after the reference's title page, before its
        final section properties (page size, headers and footers stay the reference's).
        ``styles`` is the reference's ``w:styles`` element (tables use TableGrid if
        defined); ``word`` translates the tool's words; ``lists`` are the lists of
        figures and tables to write after the contents. Returns the cross-reference
        targets and the page-number texts of the contents and lists, to fill in."""
        body = document_part.element.body
        final_section = body.find(w("sectPr"))
        if final_section is not None:
            body.remove(final_section)
        marks = Bookmarks(body)
        targets = RefTargets(document, marks)
        title_marks = [marks.new() if section.title is not None else None for section in document.sections]
        entries = [(_contents_title(section, word), mark[1]) for section, mark in zip(document.sections, title_marks)
                   if mark]
        first = len(body)
        writer = BodyWriter(InlineWriter(LinkTargets(document_part), notes=True, targets=targets), marks,
                            table_layout(styles, final_section), pictures, targets, word)
        for section, mark in zip(document.sections, title_marks):
            writer.section(body, section, mark)
        sections = list(body)[first:]
        front = body.makeelement(w("body"), {})
        ensure_list_styles(styles)
        ensure_bibliography_style(styles, document)  # the list of sources (report.yaml bibliography)
        install_paragraph_numbering(document, document_part, styles)  # paragraphs: numbered
        install_recommendation_numbering(document, document_part, styles)  # lists marked .recommendations
        numbers = write_front(front, word("Contents"), entries, lists, caption_marks(sections, marks),
                              round(page_geometry(final_section)[0] * 20))
        for i, element in enumerate(list(front)):
            body.insert(first + i, element)
        if sections:
            page_break_before(sections[0])
        if final_section is not None:
            body.append(final_section)
        return targets, numbers

    @staticmethod
    def _write_footnotes(document: Document, docx, targets=None) -> None:
        """The footnotes part, related before the notes are written so that links in
        notes become relationships of that part, and settings naming its separators."""
        document_part = docx.part
        existing = current_footnotes(document_part)
        root, special = prepare_footnotes(existing)
        part = install_footnotes(document_part, root)
        write_notes(root, document.footnotes(), InlineWriter(LinkTargets(part), notes=False, targets=targets))
        set_footnote_properties(docx.settings.element, special)
        return root


def _contents_title(section, word) -> str:
    """A section's entry in the contents: "2 Title" when numbered, "Annex II Title" for an annex."""
    if section.annex:
        return f"{annex_label(word, section.number or '')} {section.title}"
    return f"{section.number} {section.title}" if section.number else section.title


def _header_footer_roots(document_part) -> list:
    """The root elements of the headers and footers the document's sections use."""
    roots = []
    for rel in document_part.rels.values():
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER):
            element = getattr(rel.target_part, "element", None)
            if element is not None:
                roots.append(element)
    return roots


__all__ = ["DocxRenderer"]
