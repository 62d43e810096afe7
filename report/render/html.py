"""HTML backend: the resolved model → one self-contained HTML5 page.

:class:`~report.render.html_writer.HtmlWriter` turns model nodes into escaped
HTML fragments for ``screen`` (numbered calls linking to an endnote list) or
``print`` (inline ``span.footnote`` notes for the PDF backend).
:func:`document_html` fills the project's Jinja2 template with those fragments.
"""

from __future__ import annotations

import functools
import os
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from report import __version__
from report import model as m
from report.diagnostics import Location, error
from report.errors import ReportError
from report.render.base import RenderContext
from report.render.lists import anchors, block_lists
from report.render.html_writer import HtmlWriter, clean_token
from report.render.figures import print_images, screen_images
from report.render.labels import annex_label, confidential_mark, draft_mark, message, translator
from report.render.scripts import families_for, is_rtl, language_script
from report.render.structure_css import structure_css
from report.render.text import safe_href, visible
from report.sources.files import read_text

__all__ = ["HtmlRenderer", "HtmlWriter", "clean_token", "css_family", "document_html", "safe_href", "screen_css"]


# --- the page ---------------------------------------------------------------


@dataclass(frozen=True)
class TemplateFile:
    """A template's text and its project-relative name for diagnostics."""

    rel: str
    text: str


def _template_file(context: RenderContext, kind: str) -> TemplateFile:
    path, where = context.config.template(kind)
    root = context.root
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return TemplateFile(rel, read_text(root, rel, "TPL001", where) if path.is_relative_to(root)
                        else read_text(path.parent, path.name, "TPL001", where))


def format_long_date(date, language: str) -> str:
    """``date`` in the language's long form ("14 December 2016"); ISO when Babel lacks the locale."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    for tag in (language, language.split("-")[0]):
        try:
            return format_date(date, "long", locale=Locale.parse(tag, sep="-"))
        except (ValueError, UnknownLocaleError):
            continue
    return date.isoformat()


def _relative(path: str, context: RenderContext) -> str:
    p = Path(path)
    return p.relative_to(context.root).as_posix() if p.is_relative_to(context.root) else path


def _template_error(exc: Exception, path: Path, context: RenderContext) -> ReportError:
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if line is None:
        # Runtime errors (an undefined variable) carry no line: Jinja rewrites the
        # traceback so that frames of template code name the template file.
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.startswith(str(path.parent)) and not f.filename.endswith(".py")]
        filename, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, 1)
    message = getattr(exc, "message", None) or str(exc)
    where = Location(_relative(filename or str(path), context), line or 1, 1)
    return ReportError(error("TPL002", f"template error: {message}", where))


def render_template(context: RenderContext, variables: dict, needs: tuple[str, ...] = ()) -> str:
    """Fill the project's HTML template (autoescaped; an undefined variable is an
    error); TPL002 at the template's file and line on any template error. A variable
    of ``needs`` that the template never uses is TPL004 (report.yaml asks for what
    the template would silently leave out, e.g. the lists of figures)."""
    path, where = context.config.template("html")
    env = _environment(str(path.parent), _folder_state(path.parent))
    try:
        template = env.get_template(path.name)
        if needs:
            _check_uses(env, template, path, needs, context)
        return template.render(variables)
    except jinja2.TemplateNotFound as exc:
        if exc.name == path.name:
            raise ReportError(error("TPL001", f"template not found: {_relative(str(path), context)}", where)) from None
        raise _template_error(exc, path, context) from None
    except (jinja2.TemplateError, UnicodeDecodeError) as exc:
        raise _template_error(exc, path, context) from None


def _check_uses(env, template, path: Path, needs: tuple[str, ...], context: RenderContext) -> None:
    """TPL004 when ``template`` (or a template it includes or extends) never names one
    of ``needs``: read from the template's source, since an unused variable is no error."""
    from jinja2 import meta

    seen, pending, names = set(), [path.name], set()
    while pending:
        name = pending.pop()
        if name in seen or name is None:
            continue
        seen.add(name)
        source = env.loader.get_source(env, name)[0]
        tree = env.parse(source)
        names |= meta.find_undeclared_variables(tree)
        pending += list(meta.find_referenced_templates(tree))
    for need in needs:
        if need not in names:
            shown = _relative(str(path), context)
            raise ReportError(error(
                "TPL004", f"{shown} does not show '{need}', which report.yaml asks for (lof, lot)",
                context.config.where("lof" if "lof" in dict(context.config.key_locations) else "lot"),
                "add the loop over lists that the package's default report.html.j2 has after the contents"))


def _folder_state(folder: Path) -> tuple:
    """Each file of the template folder with its inode, size and time stamps in ns (the
    change time too, which no tool sets back): the template and what it includes or
    extends beside it."""
    def state(entry):
        stat = entry.stat()
        return entry.name, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns

    try:
        return tuple(sorted(state(entry) for entry in os.scandir(folder) if entry.is_file()))
    except OSError:
        return ()  # no folder: reported as TPL001 when the template is looked for


@functools.lru_cache(maxsize=8)
def _environment(folder: str, state: tuple):
    """A Jinja environment for a template folder (the loader root, so that {% include %}
    works beside the template), kept while the folder's files are unchanged (``state``,
    finer than the time stamp Jinja itself checks): it compiles the template once for
    all the languages of an --all-locales build."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


@functools.lru_cache(maxsize=8)  # the same stylesheet for every language of a build
def screen_css(css: TemplateFile) -> str:
    """The stylesheet's rules that apply on screen: @page, @font-face, @import and
    print-only @media blocks are dropped; a url() left over is an error (HTML001)
    because the HTML output must stay one self-contained file."""
    import tinycss2

    kept = []
    for rule in tinycss2.parse_stylesheet(css.text, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            if keyword in ("page", "font-face", "import", "footnote"):
                continue
            if keyword == "media":
                media = tinycss2.serialize(rule.prelude).lower()
                if "print" in media and not re.search(r"\b(screen|all)\b", media):
                    continue
        _refuse_urls(css, [rule])
        kept.append(rule.serialize())
    return "\n".join(kept) + "\n"


def css_family(family: str) -> str:
    """``family`` as a quoted CSS string, stripped of what could end the string or the <style>."""
    return '"' + re.sub(r'[\\"<>\n\r]', "", family) + '"'


def _inside_style(css: str) -> str:
    # A stylesheet holding "</style" would end the element early.
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def _refuse_urls(css: TemplateFile, tokens) -> None:
    for token in tokens:
        if token.type == "url" or (token.type == "function" and token.lower_name == "url"):
            raise ReportError(error("HTML001", "the HTML output cannot load url() resources; move this rule into @media print",
                                    Location(css.rel, token.source_line, token.source_column)))
        for attr in ("prelude", "content", "arguments"):
            children = getattr(token, attr, None)
            if isinstance(children, list):
                _refuse_urls(css, children)


# Appended to the project's stylesheet for a right-to-left language (after it, so that
# its left-aligned captions, cells and notes and its left list indents are mirrored).
RTL_CSS = """
/* right-to-left (added by the renderer for the report's language) */
html { direction: rtl; }
/* letter-spacing would pull the joined letters of Arabic script apart */
html, html * { letter-spacing: 0 !important; }
caption, th, td, figure.figure figcaption, table > caption { text-align: right; }
span.ltr-word { white-space: nowrap; }
aside.callout { border-left: 0; border-right: 4px solid #5a7fa8; }
.hanging-indent div.csl-entry { margin-left: 0; margin-right: 2em; }
div.csl-left-margin { float: right; }
div.csl-right-inline { margin-left: 0; margin-right: 2em; padding-left: 0; padding-right: 1em; }
"""
RTL_PRINT_CSS = """@media print {
  .footnote { text-align: right; }
  main ul, main ol { padding-left: 0; padding-right: 6mm; }
  p.numbered-para > .para-number { left: auto; right: -2.6em; text-align: left; }
}
@page {
  @top-center { direction: rtl; letter-spacing: 0; } @bottom-center { direction: rtl; }
  @footnote { border-image: linear-gradient(to left, #555 40mm, transparent 40mm) 1; }
}
"""
# Chinese, Japanese, Korean: no hyphenation (Pango breaks lines between ideographs by
# UAX #14, never before 。，、 or a closing bracket).
CJK_CSS = """
/* CJK (added by the renderer for the report's language) */
html, main p, th, td { hyphens: manual; }
"""


def language_css(language: str, media: str) -> str:
    """The rules a language's script needs after the project's stylesheet: mirrored
    layout for right-to-left languages, no hyphenation for CJK; '' for others."""
    if is_rtl(language):
        return RTL_CSS + (RTL_PRINT_CSS if media == "print" else "")
    if language_script(language) == "cjk":
        return CJK_CSS
    return ""


def _screen_font_css(families) -> str:
    from report.render.pdf import family_list, ltr_font_rules

    rules = [f"html {{ font-family: {family_list(families)}, serif; }}"]
    rules += [rule.replace("; }", ", serif; }") for rule in ltr_font_rules(families)]
    return "\n".join(rules) + "\n"


def _html_direction(page: str, direction: str | None) -> str:
    """``dir`` on the <html> element for a right-to-left language, when the template
    does not write it (older templates)."""
    if not direction:
        return page
    found = re.search(r"<html\b[^>]*>", page, flags=re.I)
    if found is None or re.search(r"\sdir\s*=", found[0], flags=re.I):
        return page
    return page[:found.end() - 1] + f' dir="{direction}"' + page[found.end() - 1:]


def _classified(page: str, mark) -> str:
    """The confidential edition's mark in the page's metadata, whatever the template:
    ``<meta name="keywords">`` and ``description`` after the charset (or ``<head>``), which WeasyPrint
    writes into the PDF's Keywords and Subject."""
    if mark is None:
        return page
    found = re.search(r"<meta\s+charset\b[^>]*>", page, flags=re.I) or re.search(r"<head\b[^>]*>", page, flags=re.I)
    if found is None:
        return page
    import html

    metas = (f'\n<meta name="keywords" content="{html.escape(mark.label)}">'
             f'\n<meta name="description" content="{html.escape(mark.text)}">')
    return page[:found.end()] + metas + page[found.end():]


def document_html(document: m.Document, context: RenderContext, media: str = "screen",
                  font_css=None, defer_images: bool = False) -> str:
    """The whole page as HTML text for ``media`` ("screen" or "print").

    ``font_css`` replaces the default font rule: a text, or a function of the
    families the document needs (:func:`report.render.scripts.families_for`; the
    PDF backend gives its @font-face rules so); the screen default names those
    families with a serif fallback. ``defer_images``: in print, photographs not made
    yet are planned, not made (report.render.figures.print_images)."""
    meta = document.metadata
    _ = translator(document)
    lists = block_lists(document, context.config.lists, lambda text: message(_, text))
    rtl = is_rtl(meta.language)
    # unlabelled numbered figures and tables get an id only when a list links to them
    images = screen_images(context) if media == "screen" else print_images(context, defer_images)
    writer = HtmlWriter(media, _, images, anchors(document) if lists else None, rtl=rtl)
    mark = draft_mark(document)
    css = _template_file(context, "css")
    css_text = (screen_css(css) if media == "screen" else css.text) + language_css(meta.language, media)
    variables = {
        "media": media,
        "lang": clean_token(meta.language) or "und",
        "title": visible(meta.title),
        "subtitle": visible(meta.subtitle) if meta.subtitle else meta.subtitle,
        "organization": visible(meta.organization) if meta.organization else meta.organization,
        "date": format_long_date(meta.date, meta.language) if meta.date else None,
        "date_iso": meta.date.isoformat() if meta.date else None,
        "timestamp": context.timestamp.isoformat(timespec="seconds") if context.timestamp else None,
        "generator": f"report {__version__}",
        "toc": [{"id": clean_token(s.id), "title": visible(s.title),
                 "number": annex_label(_, s.number) if s.annex else s.number}  # "Annex II"
                for s in document.sections if s.title is not None],
        "lists": [{"kind": lst.kind, "title": visible(lst.title),
                   "entries": [{"id": clean_token(e.anchor), "label": visible(f"{lst.word}\u00a0{e.shown}:"),
                                "caption": visible(e.caption)} for e in lst.entries]} for lst in lists],
        "body": Markup("".join(writer.section(s) for s in document.sections)),
        "notes": writer.endnotes(document, _) if media == "screen" else [],
        # The tool's own words in the document's language: {{ _("Contents") }}.
        "_": lambda text, **values: visible(message(_, text, **values)),
        "draft": {"label": visible(mark.label), "text": visible(mark.text)} if mark else None,
        "css": Markup(_inside_style(css_text)),
    }
    text = "".join(str(v) for k, v in variables.items() if k in ("title", "subtitle", "organization", "body", "notes"))
    text = _without_data_uris(text) + "".join(e["title"] for e in variables["toc"])
    families = families_for(context.config.font, meta.language, text)
    font_rules = font_css(families) if callable(font_css) else font_css
    variables["font_css"] = Markup(_inside_style((font_rules if font_rules is not None else _screen_font_css(families))
                                                 + structure_css(media)))
    variables["dir"] = "rtl" if rtl else None
    page = render_template(context, variables, needs=("lists",) if lists else ())
    return _classified(_html_direction(page, variables["dir"]), confidential_mark(document))


def _without_data_uris(text: str) -> str:
    """``text`` without its images' data: URIs (the screen HTML embeds its photographs):
    the fonts are chosen by the scripts of the text, and searching 18 MB of base64 for
    them took half the time of a page with 40 photographs."""
    pieces = text.split('src="data:')
    return pieces[0] + "".join(piece[piece.find('"') + 1:] for piece in pieces[1:])


class HtmlRenderer:
    """The screen HTML: one self-contained UTF-8 file, no external resources."""

    format = "html"
    diagnostics: tuple = ()  # the screen HTML has no warnings of its own

    def render(self, document: m.Document, context: RenderContext) -> bytes:
        return document_html(document, context, "screen").encode("utf-8")
