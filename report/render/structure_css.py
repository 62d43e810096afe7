"""The stylesheet rules every report needs for figures, tables, boxes and
cross-references, whatever the project's own ``report.css`` says.

They come before the project's stylesheet, which may restyle them. The list of
sources takes Pandoc's classes and rules (``.csl-entry``, ``.hanging-indent``): the
indent is the citation style's (report.render.bibliography); a gap of 1em between
entries is CSL's default entry spacing, as Zotero writes it; in a right-to-left report
the indent and a style's number stand on the right, where its lines start (the first
line pulled out by the margin of its ``span.csl-entry-text``, see
report.render.bibliography). The print rules number figures, tables, boxes, headings
and numbered paragraphs (``span.para-number``,
set in the left margin), recommendations (``ol.recommendations``, across lists) and
annexes (upper-roman; their figures and tables "II.1" in a ``section.annex-within``)
with CSS counters, and write each
cross-reference's number with ``target-counter``: the PDF's numbers come from its
layout, so they cannot disagree with what the pages show.
"""

from __future__ import annotations

COMMON = """\
figure.figure { margin: 1em 0; text-align: center; }
figure.figure img { max-width: 100%; height: auto; }
figure.figure figcaption, table > caption { text-align: left; }
.caption-label { font-weight: bold; }
aside.box { border: 1px solid #7a7a7a; background: #f2f2f2; padding: 0.6em 1em; margin: 1em 0; }
aside.box .box-title, aside.callout .callout-title { font-weight: bold; margin-top: 0; }
aside.callout { border-left: 4px solid #5a7fa8; padding: 0.4em 1em; margin: 1em 0; }
aside.callout-warning, aside.callout-caution { border-left-color: #b0662a; }
aside.callout-important { border-left-color: #a83232; }
aside.callout-tip { border-left-color: #3a8a4a; }
.smallcaps { font-variant: small-caps; }
.underline, .ul { text-decoration: underline; }
ul ul { list-style-type: "\\2013\\00a0"; }  /* WeasyPrint's circle and square are not in Noto Serif */
ul ul ul { list-style-type: "\\2023\\00a0"; }
.toc h2.list-title { margin-top: 1.5em; }
dl dt { font-weight: bold; }
dl dd { margin: 0 0 0.5em 2em; }
div.abbreviations dt { float: left; clear: left; min-width: 6em; padding-right: 1em; }
div.abbreviations dd { margin: 0 0 0.3em 7em; }
.line-block { margin: 0 0 1em; white-space: normal; }
p.numbered-para > .para-number { display: inline-block; min-width: 2em; }
@counter-style subparagraph-a { system: extends lower-alpha; prefix: "("; suffix: ")\\a0\\a0"; }
@counter-style subparagraph-i { system: extends lower-roman; prefix: "("; suffix: ")\\a0\\a0"; }
@counter-style subparagraph-a-fr { system: extends lower-alpha; suffix: ")\\a0\\a0"; }
@counter-style subparagraph-i-fr { system: extends lower-roman; suffix: ")\\a0\\a0"; }
ol.subparagraphs-1 { list-style-type: subparagraph-a; }
ol.subparagraphs-2 { list-style-type: subparagraph-i; }
:lang(fr) ol.subparagraphs-1, :lang(es) ol.subparagraphs-1 { list-style-type: subparagraph-a-fr; }
:lang(fr) ol.subparagraphs-2, :lang(es) ol.subparagraphs-2 { list-style-type: subparagraph-i-fr; }
@counter-style subparagraph-a-dot { system: extends lower-alpha; suffix: ".\\a0\\a0"; }
@counter-style subparagraph-i-dot { system: extends lower-roman; suffix: ".\\a0\\a0"; }
ol.subparagraphs-3 { list-style-type: subparagraph-a-dot; }
ol.subparagraphs-4 { list-style-type: subparagraph-i-dot; }
section.annex > h1 > .annex-label { display: block; }
div.csl-entry { clear: both; margin: 0 0 1em; }
.hanging-indent div.csl-entry { margin-left: 2em; text-indent: -2em; }
div.csl-left-margin { float: left; min-width: 2em; }
div.csl-right-inline { margin-left: 2em; padding-left: 1em; text-indent: 0; }
[dir="rtl"] .hanging-indent div.csl-entry { margin-left: 0; margin-right: 2em; text-indent: 0; }
[dir="rtl"] .hanging-indent span.csl-entry-text { margin-right: -2em; }
[dir="rtl"] div.csl-left-margin { float: right; }
[dir="rtl"] div.csl-right-inline { margin-left: 0; padding-left: 0; margin-right: 2em; padding-right: 1em; }
"""

PRINT = """\
@media print {
  body { counter-reset: figure table box h1 h2 h3 h4 h5 h6 para rec annex; }
  ol.recommendations { list-style: none; }
  ol.recommendations > li { counter-increment: rec; position: relative; }
  ol.recommendations > li::before { content: counter(rec) "."; position: absolute; top: 0; left: -2.6em;
                                    width: 2.2em; text-align: right; }
  section.annex { counter-increment: annex; }
  section.annex-within { counter-reset: figure table; }
  section.annex > h1 > .annex-label > .number::before { content: counter(annex, upper-roman); }
  section.annex-within figure.numbered .number::before { content: counter(annex, upper-roman) "." counter(figure); }
  section.annex-within table.numbered > caption .number::before {
    content: counter(annex, upper-roman) "." counter(table); }
  p.numbered-para { counter-increment: para; position: relative; }
  p.numbered-para > .para-number { display: block; position: absolute; top: 0; left: -2.6em; width: 2.2em;
                                   min-width: 0; text-align: right; text-indent: 0; }
  p.numbered-para > .para-number::before { content: counter(para) "."; }
  figure.figure { break-inside: avoid; }
  figure.numbered { counter-increment: figure; }
  figure.numbered .number::before { content: counter(figure); }
  table.numbered { counter-increment: table; }
  table.numbered > caption .number::before { content: counter(table); }
  aside.box { break-inside: avoid; }
  aside.box.numbered { counter-increment: box; }
  aside.box.numbered .box-title .number::before { content: counter(box); }
  h1.numbered { counter-increment: h1; counter-reset: h2 h3 h4 h5 h6; }
  h2.numbered { counter-increment: h2; counter-reset: h3 h4 h5 h6; }
  h3.numbered { counter-increment: h3; counter-reset: h4 h5 h6; }
  h4.numbered { counter-increment: h4; counter-reset: h5 h6; }
  h1.numbered > .number::before { content: counter(h1); }
  h2.numbered > .number::before { content: counter(h1) "." counter(h2); }
  h3.numbered > .number::before { content: counter(h1) "." counter(h2) "." counter(h3); }
  h4.numbered > .number::before { content: counter(h1) "." counter(h2) "." counter(h3) "." counter(h4); }
  a.xref-fig::after { content: target-counter(attr(href), figure); }
  a.xref-tbl::after { content: target-counter(attr(href), table); }
  a.xref-box::after { content: target-counter(attr(href), box); }
  a.xref-para::after { content: target-counter(attr(href), para); }
  a.xref-rec::after { content: target-counter(attr(href), rec); }
  a.xref-annex::after { content: target-counter(attr(href), annex, upper-roman); }
  a.xref-fig-within::after { content: target-counter(attr(href), annex, upper-roman) "." target-counter(attr(href), figure); }
  a.xref-tbl-within::after { content: target-counter(attr(href), annex, upper-roman) "." target-counter(attr(href), table); }
  a.xref-subpara1::after { content: target-counter(attr(href), para) " (" target-counter(attr(href), list-item, lower-alpha) ")"; }
  :lang(fr) a.xref-subpara1::after, :lang(es) a.xref-subpara1::after {
    content: target-counter(attr(href), para) " " target-counter(attr(href), list-item, lower-alpha) ")"; }
  a.xref-sec1::after { content: target-counter(attr(href), h1); }
  a.xref-sec2::after { content: target-counter(attr(href), h1) "." target-counter(attr(href), h2); }
  a.xref-sec3::after { content: target-counter(attr(href), h1) "." target-counter(attr(href), h2) "."
                                target-counter(attr(href), h3); }
  a.xref-sec4::after { content: target-counter(attr(href), h1) "." target-counter(attr(href), h2) "."
                                target-counter(attr(href), h3) "." target-counter(attr(href), h4); }
}
"""


def structure_css(media: str) -> str:
    """The rules for ``media`` ("screen" or "print")."""
    return COMMON + (PRINT if media == "print" else "")
