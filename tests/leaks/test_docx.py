"""Leaks planted in every part of a real DOCX (the small project's), each found once,
in the part it is in; the DOCX as built has none."""

from __future__ import annotations

import pytest

from tests.leaks.support import NAME, edit_part, jpeg, leak, lines, png, rezip

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY = "<w:body>"


def paragraph(*runs: str) -> str:
    """A paragraph whose text is ``runs``, one run each: the name split as Word splits it."""
    return "<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{run}</w:t></w:r>' for run in runs) + "</w:p>"


SPLIT = paragraph("Interview with Zar", "ifa", " Mamma", "dova, March")


def add(name: str, xml: str):
    def change(members):
        members[name] = xml.encode("utf-8")
    return change


PLANTS = {
    # The body, its runs split mid-word.
    "runs": (edit_part("word/document.xml", BODY, BODY + SPLIT), "document (word/document.xml)"),
    # A tracked deletion still ships its text.
    "deleted text": (edit_part("word/document.xml", BODY, BODY + '<w:p><w:del w:id="7" w:author="x"><w:r>'
                               f"<w:delText>{NAME}</w:delText></w:r></w:del></w:p>"), "document (word/document.xml)"),
    "comment part": (add("word/comments.xml", f'<w:comments {W_NS}><w:comment w:id="0" w:author="Editor">'
                         + SPLIT + "</w:comment></w:comments>"), "comments (word/comments.xml)"),
    "comment author": (add("word/comments.xml", f'<w:comments {W_NS}><w:comment w:id="0" w:author="{NAME}">'
                           + paragraph("Check this.") + "</w:comment></w:comments>"), "comments (word/comments.xml)"),
    "footnote": (edit_part("word/footnotes.xml", "to us by Rustam ", "to us by Zarifa Mamma</w:t></w:r><w:r><w:t>dova, "),
                 "footnotes (word/footnotes.xml)"),
    "endnote part": (add("word/endnotes.xml", f'<w:endnotes {W_NS}><w:endnote w:id="1">' + SPLIT
                         + "</w:endnote></w:endnotes>"), "endnotes (word/endnotes.xml)"),
    "header": (edit_part("word/header1.xml", "A Minimal Report", f"A Minimal Report for {NAME}"), "header (word/header1.xml)"),
    "footer": (edit_part("word/footer1.xml", ">Page <", f">{NAME}, page <"), "footer (word/footer1.xml)"),
    "core properties": (edit_part("docProps/core.xml", "<dc:creator>Test Org", f"<dc:creator>{NAME}"),
                        "document properties (docProps/core.xml)"),
    "last modified by": (edit_part("docProps/core.xml", "<cp:lastModifiedBy>", f"<cp:lastModifiedBy>{NAME}"),
                         "document properties (docProps/core.xml)"),
    "app properties": (edit_part("docProps/app.xml", "<Manager/>", f"<Manager>{NAME}</Manager>"),
                       "document properties (docProps/app.xml)"),
    "custom properties": (edit_part("docProps/custom.xml", 'name="ReportBuild"', 'name="Witness"><vt:lpwstr>'
                                    f'{NAME}</vt:lpwstr></property><property fmtid="x" pid="3" name="ReportBuild"'),
                          "document properties (docProps/custom.xml)"),
    "alternative text": (edit_part("word/document.xml", 'descr="The gate where Leyla Karimova waited"',
                                   f'descr="{NAME} at the gate"'), "document (word/document.xml)"),
    "image title": (edit_part("word/document.xml", 'name="Figure 1"', f'name="Figure 1" title="Photo: {NAME}"'),
                    "document (word/document.xml)"),
    "bookmark name": (edit_part("word/document.xml", BODY, BODY + '<w:bookmarkStart w:id="90" w:name="Zarifa_Mammadova"/>'
                                '<w:bookmarkEnd w:id="90"/>'), "document (word/document.xml)"),
    # A field code split over two runs, its URL percent-encoded.
    "field code": (edit_part("word/document.xml", BODY, BODY + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                             '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/?q=Zarifa%20Mam'
                             '</w:instrText></w:r><w:r><w:instrText xml:space="preserve">madova" </w:instrText></w:r>'
                             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>a link</w:t></w:r>'
                             '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'), "document (word/document.xml)"),
    "hyperlink target": (edit_part("word/_rels/document.xml.rels", "</Relationships>",
                                   '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
                                   '2006/relationships/hyperlink" Target="https://example.org/people/zarifa-mammadova" '
                                   'TargetMode="External"/></Relationships>'),
                         "relationships (word/_rels/document.xml.rels)"),
}


def _media(data: bytes):
    def change(members):
        members["word/media/image1.png"] = data
    return change


# The renderer strips every image's metadata: a leak there comes from elsewhere.
PLANTS["image EXIF"] = (_media(jpeg(exif={0x013B: NAME})), "image metadata (word/media/image1.png)")
PLANTS["image PNG text"] = (_media(png([(b"tEXt", b"Author\x00" + NAME.encode())])),
                            "image metadata (word/media/image1.png)")
PLANTS["media file name"] = (lambda members: members.update({"word/media/zarifa_mammadova.png": png()}), "zip entries")
PLANTS["embedded file"] = (lambda members: members.update({"word/embeddings/notes.txt": f"Met {NAME}.".encode()}),
                           "word/embeddings/notes.txt")


def test_the_docx_as_built_has_no_leak(small_build):
    assert lines({"report.docx": small_build["report.docx"]}) == []


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_a_leak_planted_in_the_docx_is_found(small_build, kind):
    change, place = PLANTS[kind]
    planted = rezip(small_build["report.docx"], change)
    assert lines({"report.docx": planted}) == [leak(f"report.docx, {place}")]


def test_a_docx_inside_a_docx_is_read_as_a_docx(small_build):
    inner = rezip(small_build["report.docx"], PLANTS["comment part"][0])
    outer = rezip(small_build["report.docx"], lambda members: members.update({"word/embeddings/annex.docx": inner}))
    assert lines({"report.docx": outer}) == [leak("report.docx, word/embeddings/annex.docx, comments (word/comments.xml)")]
