"""HTML backend: the resolved model → one self-contained HTML5 page.

:class:`HtmlWriter` turns model nodes into escaped HTML fragments; it has two
media. ``screen`` writes each footnote as a numbered call linking to an endnote
list; ``print`` (used by the PDF backend) writes each note as an inline
``span.footnote`` at its call site for CSS ``float: footnote``.
:func:`document_html` fills the project's Jinja2 template with those fragments.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from report import __version__
from report import model as m
from report.diagnostics import Location, error
from report.errors import ReportError
from report.render.base import RenderContext, unknown_node
from report.sources.files import read_text

# Only these schemes become live links; javascript:, data:, file: and relative
# targets are shown as their text so a source cannot smuggle behaviour in.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_UNSAFE_TOKEN = re.compile(r"[^A-Za-z0-9_:.-]")


def clean_token(value: str | None) -> str:
    """An id or class name reduced to ``[A-Za-z0-9_:.-]`` ('' when nothing is left)."""
    return _UNSAFE_TOKEN.sub("", value or "")


def safe_href(href: str) -> str | None:
    """``href`` when its scheme is http, https or mailto, else None."""
    try:
        # urlsplit drops the tabs and newlines browsers ignore, so "java\tscript:" is seen as javascript.
        scheme = urlsplit(href.strip()).scheme.lower()
    except ValueError:
        return None
    return href.strip() if scheme in SAFE_SCHEMES else None


def _attrs(id_: str | None = None, classes=()) -> str:
    out = ""
    if clean_token(id_):
        out += f' id="{clean_token(id_)}"'
    names = [c for c in (clean_token(c) for c in classes) if c]
    if names:
        out += f' class="{" ".join(names)}"'
    return out


class HtmlWriter:
    """Model nodes → HTML text, every text escaped. ``media`` is "screen" or "print"."""

    name = "html"

    def __init__(self, media: str = "screen"):
        if media not in ("screen", "print"):
            raise ValueError(media)
        self.media = media

    # --- inline ---------------------------------------------------------
    def inlines(self, nodes) -> str:
        return "".join(self.inline(node) for node in nodes)

    def inline(self, node) -> str:
        if isinstance(node, m.Text):
            return str(escape(node.text))
        if isinstance(node, m.Emph):
            return f"<em>{self.inlines(node.children)}</em>"
        if isinstance(node, m.Strong):
            return f"<strong>{self.inlines(node.children)}</strong>"
        if isinstance(node, m.Code):
            return f"<code>{escape(node.text)}</code>"
        if isinstance(node, m.LineBreak):
            return "<br>\n"
        if isinstance(node, m.Link):
            href = safe_href(node.href)
            if href is None:
                return self.inlines(node.children)
            # A bare URL gets class "url" so the stylesheet may break it anywhere.
            bare = ' class="url"' if m.plain_text(node.children).strip() == node.href.strip() else ""
            return f'<a href="{escape(href)}"{bare}>{self.inlines(node.children)}</a>'
        if isinstance(node, m.Span):
            attrs = _attrs(node.id, node.classes)
            inner = self.inlines(node.children)
            return f"<span{attrs}>{inner}</span>" if attrs else inner
        if isinstance(node, m.Footnote):
            return self.footnote(node)
        raise unknown_node(self.name, node)

    def footnote(self, node: m.Footnote) -> str:
        n = int(node.number)
        if self.media == "print":
            # WeasyPrint numbers footnotes by document order; counter-set pins the
            # call and marker to the model's number whatever the order (the
            # element's own increment runs after the set, hence n - 1).
            return (f'<span class="footnote" id="fn-{n}" style="counter-set: footnote {n - 1}">'
                    f"{self.inlines(node.children)}</span>")
        return (f'<sup class="fn-call" id="fnref-{n}">'
                f'<a href="#fn-{n}" role="doc-noteref">{n}</a></sup>')

    # --- blocks ---------------------------------------------------------
    def blocks(self, blocks) -> str:
        return "".join(self.block(block) for block in blocks)

    def block(self, block) -> str:
        if isinstance(block, m.Heading):
            level = min(max(int(block.level), 1), 6)
            return f"<h{level}{_attrs(block.id)}>{self.inlines(block.children)}</h{level}>\n"
        if isinstance(block, m.Paragraph):
            return f"<p{_attrs(block.id, block.classes)}>{self.inlines(block.children)}</p>\n"
        if isinstance(block, m.BlockQuote):
            return f"<blockquote>\n{self.blocks(block.children)}</blockquote>\n"
        if isinstance(block, m.ListBlock):
            items = "".join(f"<li>{self.blocks(item)}</li>\n" for item in block.items)
            if block.ordered:
                start = f' start="{int(block.start)}"' if int(block.start) != 1 else ""
                return f"<ol{start}>\n{items}</ol>\n"
            return f"<ul>\n{items}</ul>\n"
        if isinstance(block, m.CodeBlock):
            return f"<pre><code>{escape(block.text)}</code></pre>\n"
        if isinstance(block, m.ThematicBreak):
            return "<hr>\n"
        raise unknown_node(self.name, block)

    def section(self, section: m.Section) -> str:
        if section.title is None:
            return f'<section class="section untitled">\n{self.blocks(section.blocks)}</section>\n'
        return (f'<section class="section">\n<h1{_attrs(section.id)}>{escape(section.title)}</h1>\n'
                f"{self.blocks(section.blocks)}</section>\n")

    def endnotes(self, document: m.Document) -> list[dict]:
        """The screen endnotes: number and note HTML (with its back link), in reading order."""
        notes = []
        for note in document.footnotes():
            n = int(note.number)
            back = f' <a href="#fnref-{n}" role="doc-backlink" aria-label="Back to note call {n}">↩</a>'
            notes.append({"number": n, "html": Markup(self.inlines(note.children) + back)})
        return notes


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


def render_template(context: RenderContext, variables: dict) -> str:
    """Fill the project's HTML template (autoescaped; an undefined variable is an
    error); TPL002 at the template's file and line on any template error."""
    path, where = context.config.template("html")
    # The template's own folder is the loader root so that {% include %} works beside it.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(path.parent)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    try:
        return env.get_template(path.name).render(variables)
    except jinja2.TemplateNotFound as exc:
        if exc.name == path.name:
            raise ReportError(error("TPL001", f"template not found: {_relative(str(path), context)}", where)) from None
        raise _template_error(exc, path, context) from None
    except (jinja2.TemplateError, UnicodeDecodeError) as exc:
        raise _template_error(exc, path, context) from None


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


def document_html(document: m.Document, context: RenderContext, media: str = "screen",
                  font_css: str | None = None) -> str:
    """The whole page as HTML text for ``media`` ("screen" or "print").

    ``font_css`` replaces the default font rule (the PDF backend passes its
    @font-face rules); the screen default names the family with a serif fallback."""
    writer = HtmlWriter(media)
    meta = document.metadata
    family = css_family(context.config.font.family)
    css = _template_file(context, "css")
    css_text = screen_css(css) if media == "screen" else css.text
    variables = {
        "media": media,
        "lang": clean_token(meta.language) or "und",
        "title": meta.title,
        "subtitle": meta.subtitle,
        "organization": meta.organization,
        "date": format_long_date(meta.date, meta.language) if meta.date else None,
        "date_iso": meta.date.isoformat() if meta.date else None,
        "timestamp": context.timestamp.isoformat(timespec="seconds") if context.timestamp else None,
        "generator": f"report {__version__}",
        "toc": [{"id": clean_token(s.id), "title": s.title} for s in document.sections if s.title is not None],
        "body": Markup("".join(writer.section(s) for s in document.sections)),
        "notes": writer.endnotes(document) if media == "screen" else [],
        "css": Markup(_inside_style(css_text)),
        "font_css": Markup(_inside_style(font_css if font_css is not None else f"html {{ font-family: {family}, serif; }}\n")),
    }
    return render_template(context, variables)


class HtmlRenderer:
    """The screen HTML: one self-contained UTF-8 file, no external resources."""

    format = "html"
    diagnostics: tuple = ()  # the screen HTML has no warnings of its own

    def render(self, document: m.Document, context: RenderContext) -> bytes:
        return document_html(document, context, "screen").encode("utf-8")
