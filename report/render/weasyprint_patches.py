"""Nine speed and memory fixes and one correctness fix for the pinned WeasyPrint 70.0 /
pydyf 0.13, applied before a PDF is laid out.

Only for those versions (``report.render.weasyprint_version`` knows them): with any
other installed, :func:`apply` installs none of the speed fixes, WeasyPrint is imported
as it is (not the fast way), and :func:`fallback_note` gives the PDF render one PDF004
note saying so. The correctness fix is installed there too when the WeasyPrint code
it wraps is unchanged; else the note says what the PDF lacks.

The speed fixes change nothing a page shows (each is compared with stock WeasyPrint in
the tests); each removes work that grows with the report:

- **Leaders in one text box.** WeasyPrint lays out ``leader(dotted)`` as one text box
  per repetition of its text, so each line of the contents holds about a hundred
  boxes, each painted, tagged and written on its own (a quarter of the write time of
  a 60-page report).
  After WeasyPrint has placed them, they are replaced by one box holding the same
  text, starting where the leftmost one started, when that run measures exactly
  their total width (a font that kerns or ligates the leader's text keeps the boxes).
- **Page references computed once.** ``pydyf.PDF.page_references`` rebuilds the
  tuple of every page's reference on each access, and WeasyPrint reads it once per
  tagged element: quadratic in the page count (about 1 s at 287 pages). It is cached
  until a page is added.
- **Deflate at zlib's default level.** pydyf compresses every stream at level 9,
  which for text and font streams saves 3 % of the file over level 6 and costs
  0.7 s of 14 at 287 pages. Streams are compressed at level 6.
- **PDF objects without a dictionary each.** Every pydyf object (tens of thousands
  for a tagged report: each structure element, array and dictionary) sets four
  attributes in ``__init__``, which gives each its own attribute dictionary: 16 MiB
  of the PDF's peak at 287 pages. The same defaults are now class attributes, and an
  object gets its own only when one is set (its number, when it is written).
- **Waiting notes looked up by identity.** WeasyPrint keeps the notes not yet placed
  (at first, all of the report's) in a list and asks, for every box of every line,
  whether the box's note is in it: a scan of the list per box, even for boxes without
  a note. The list is now one that answers membership from a count of its items.
- **A page's margin-box styles found directly.** For each page WeasyPrint looks
  through the cascaded styles of every page laid out so far for those of this page's
  margin boxes: quadratic in the page count. The keys this page's declarations added
  are remembered and looked at instead, in the same order.
- **Layout state dropped when the last page is laid out.** The layout context (every
  element's and pseudo-element's computed style, target lookups, page states) is
  reachable only through a reference cycle once layout ends, so it waited for the full
  collection before writing; dropped at once, that collection visits less (0.26 s
  instead of 0.40 s at 287 pages).
- **The next-word trial skipped when the word cannot fit** (line breaking, in
  ``report.render.weasyprint_lines``): a third of the text Pango shapes per line.
- **A line of an element broken again is not broken anew** (``report.render.weasyprint_line_memo``):
  the footnote area and paragraphs cut by a page end are laid out more than once.

The correctness fix, not a speed fix, changes the PDF's structure tree, not its pages:

- **Decorative images are artifacts** (``report.render.weasyprint_figure_alt``): an
  ``<img alt="">`` is drawn as an ``/Artifact``, not tagged as a ``/Figure`` without
  ``/Alt``, which PDF/UA-1 forbids and WeasyPrint logs as an error (PDF002, a failed
  build). Images with alternative text keep WeasyPrint's ``/Figure`` with ``/Alt``.

All are tested against WeasyPrint's own output, and for taking effect at all
(``tests/render/test_pdf_speedups.py``, ``tests/render/test_pdf_layout_speedups.py``,
``tests/render/test_pdf_line_trial.py``, ``tests/render/test_pdf_line_memo.py``,
``tests/render/test_pdf_figure_alt.py``), so an upgrade that changes these internals
fails; ``tests/render/test_weasyprint_version.py`` runs a build as on another version.
"""

from __future__ import annotations

import types
import zlib

_applied = False  # (set by apply, with _fallback below)


class _DefaultLevelZlib(types.ModuleType):
    """zlib for pydyf: everything as is, but compressobj at most at level 6."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=-1, *args, **kwargs):
        return zlib.compressobj(min(level, 6), *args, **kwargs)


def apply() -> None:
    """Import WeasyPrint and install the fixes (idempotent): on the versions they were
    written for, all of them, WeasyPrint imported the fast way
    (report.render.weasyprint_import); on any other, WeasyPrint imported as it is and
    only the correctness fix, where its code is unchanged (:func:`fallback_note` says so)."""
    global _applied, _fallback
    if _applied:
        return
    from report.render import weasyprint_figure_alt, weasyprint_import, weasyprint_version

    differences = weasyprint_version.differences()
    if not differences:
        weasyprint_import.load()
        # (The fast import read no version: check the one imported, in case it differs.)
        differences = weasyprint_version.differences()
    if differences:
        import weasyprint  # noqa: F401 - as installed: an ImportError is the caller's to report

        _fallback = Fallback(differences, weasyprint_figure_alt.install(check_source=True))
        _applied = True
        return
    _install_speed_fixes()
    weasyprint_figure_alt.install()
    _applied = True


class Fallback:
    """What :func:`apply` did on versions other than those the fixes were written for."""

    def __init__(self, differences, figures_fixed: bool):
        self.differences = differences  # [(package, installed version, version written for)]
        self.figures_fixed = figures_fixed  # whether the correctness fix was installed still

    def message(self) -> str:
        """E.g. "WeasyPrint 71.0 is not the version 70.0 these speed fixes were written for:
        running stock WeasyPrint"."""
        found = [f"{name} {version or '(version unknown)'}" for name, version, _ in self.differences]
        wanted = [wanted for _, _, wanted in self.differences]
        if len(found) == 1:
            text = f"{found[0]} is not the version {wanted[0]} these speed fixes were written for"
        else:
            text = (f"{' and '.join(found)} are not the versions {' and '.join(wanted)} "
                    "these speed fixes were written for")
        text += ": running stock WeasyPrint"
        if not self.figures_fixed:
            text += (', and decorative images (alt="") are tagged as figures without alternative text '
                     "(not as artifacts), which WeasyPrint reports as an error")
        return text


_fallback: Fallback | None = None
FALLBACK_CODE = "PDF004"


def fallback_note(location):
    """The PDF004 note (severity info) at ``location`` when :func:`apply` ran stock
    WeasyPrint, else None. The same note for every language of a build: the command
    prints equal diagnostics once."""
    from report.diagnostics import Diagnostic, Severity
    from report.render.weasyprint_version import WRITTEN_FOR

    if _fallback is None:
        return None
    pinned = " and ".join(f"{name.lower()}=={version}" for name, version in WRITTEN_FOR.items())
    return Diagnostic(FALLBACK_CODE, Severity.INFO, _fallback.message(), location,
                      f"install {pinned} as pyproject.toml pins them, or port the fixes to this version")


def _install_speed_fixes() -> None:
    from report.render import weasyprint_line_memo, weasyprint_lines

    import pydyf
    from weasyprint.layout import inline

    original = inline.handle_leader

    def handle_leader(context, line, containing_block):
        original(context, line, containing_block)
        merge_leader(context, line)

    inline.handle_leader = handle_leader
    pydyf.PDF.page_references = property(_page_references)
    pydyf.zlib = _DefaultLevelZlib("zlib")
    for name, default in (("number", None), ("offset", 0), ("generation", 0), ("free", "n")):
        setattr(pydyf.Object, name, default)
    pydyf.Object.__init__ = _object_init
    _install_layout_fixes()
    weasyprint_lines.install()
    weasyprint_line_memo.install()


def _install_layout_fixes() -> None:
    from weasyprint import layout
    from weasyprint.layout import page

    context_init = layout.LayoutContext.__init__

    def init(self, *args, **kwargs):
        context_init(self, *args, **kwargs)
        self.footnotes = WaitingNotes(self.footnotes)

    layout.LayoutContext.__init__ = init
    stock_page_styles = page.set_page_type_computed_styles

    def set_page_type_computed_styles(page_type, html, style_for):
        cascaded = style_for.get_cascaded_styles()
        before = len(cascaded)
        style_for.add_page_declarations(page_type)
        known = style_for.__dict__.setdefault("_report_page_keys", {})
        pseudo_types = known.setdefault(page_type, [])
        # Dictionaries keep insertion order: the keys just added are the last ones.
        added = [key for _, key in zip(range(len(cascaded) - before), reversed(cascaded))]
        pseudo_types += [pseudo for element, pseudo in reversed(added) if pseudo and element == page_type]
        style_for.set_computed_styles(page_type, root=html.etree_element, parent=html.etree_element,
                                      base_url=html.base_url)
        for pseudo_type in pseudo_types:
            style_for.set_computed_styles(page_type, pseudo_type=pseudo_type, root=html.etree_element,
                                          parent=page_type, base_url=html.base_url)

    set_page_type_computed_styles.stock = stock_page_styles
    page.set_page_type_computed_styles = set_page_type_computed_styles

    from weasyprint import document

    stock_layout = document.layout_document

    def layout_document(html, root_box, context, *args, **kwargs):
        from report.render.weasyprint_line_memo import MEMO

        MEMO.clear()  # (it holds elements and styles: none of another document's)
        try:
            yield from stock_layout(html, root_box, context, *args, **kwargs)
        finally:
            MEMO.clear()
        release_layout_state(context)

    layout_document.stock = stock_layout
    document.layout_document = layout_document


# What a layout context holds for laying out only: every element's and pseudo-element's
# computed style, the target and counter lookups, hyphenation dictionaries, page states.
_LAYOUT_ONLY = ("style_for", "target_collector", "tables", "dictionaries", "string_set", "running_elements",
                "page_maker", "footnotes", "page_footnotes", "current_page_footnotes", "reported_footnotes",
                "_excluded_shapes", "_excluded_shapes_root_boxes", "broken_out_of_flow", "current_footnote_area")


def release_layout_state(context) -> None:
    """Drop what the layout context holds for laying out only, once the last page is
    laid out. The pages keep what they use (each box its style); the rest is reachable
    only through a reference cycle (the context's ``get_image_from_uri`` is a partial of
    the context), so it would stay until a full garbage collection."""
    for name in _LAYOUT_ONLY:
        context.__dict__.pop(name, None)


class WaitingNotes(list):
    """The list of notes waiting for a place, answering ``in`` from a count of its
    items by identity instead of a scan (the items are boxes, equal only to themselves)."""

    def __init__(self, items=()):
        super().__init__(items)
        self._count: dict[int, int] = {}
        for item in self:
            self._count[id(item)] = self._count.get(id(item), 0) + 1

    def __contains__(self, item):
        return id(item) in self._count

    def _added(self, item):
        self._count[id(item)] = self._count.get(id(item), 0) + 1

    def _removed(self, item):
        left = self._count[id(item)] - 1
        if left:
            self._count[id(item)] = left
        else:
            del self._count[id(item)]

    def append(self, item):
        super().append(item)
        self._added(item)

    def remove(self, item):
        super().remove(item)
        self._removed(item)

    def copy(self):
        return WaitingNotes(self)

    def _unsupported(self, *args, **kwargs):
        raise NotImplementedError("WaitingNotes: only append, remove and copy change it")

    extend = insert = pop = clear = sort = reverse = __setitem__ = __delitem__ = __iadd__ = __imul__ = _unsupported


def merge_leader(context, line) -> None:
    """Replace the leader's repeated text boxes in ``line`` by one box with their text."""
    from weasyprint.layout.leader import leader_index
    from weasyprint.text.line_break import split_first_line

    _, leader = leader_index(line)
    if leader is None or len(leader.children) < 2:
        return
    pieces = leader.children
    first = min(pieces, key=lambda box: box.position_x)
    text = first.text * len(pieces)
    spacing = getattr(first, "justification_spacing", 0)
    layout, _, _, width, _, _ = split_first_line(text, first.style, context, None, spacing)
    if abs(width - first.width * len(pieces)) > 0.01:
        return  # kerning or a ligature between the pieces: the run would not fill their places
    merged = first.copy_with_text(text)
    merged.pango_layout = layout
    merged.width = width
    leader.children = (merged,)


def _object_init(self) -> None:
    """pydyf.Object.__init__ without the per-object attributes (class defaults now)."""


def _page_references(pdf):
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references"] = cached
    return cached[1]
