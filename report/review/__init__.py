"""``report review REVIEWED.docx``: a reviewer's tracked changes and comments, back in the sources.

The stages, one module each:

- :mod:`.wordfile` (with :mod:`.paragraphs`): the untrusted .docx → paragraphs and
  notes, each with its text as sent (changes rejected), as reviewed (accepted) and the
  revisions between; comments and their anchors; the ``ReportBuild`` identity (written
  by :mod:`report.render.docx.properties`);
- :mod:`.base`: the identity (or ``--base``) → the build it came from, and the text of
  the sources it was built from (from git when a section changed since); :mod:`.revision`:
  ``--base REV`` (or the revision the file names), that revision built again;
- :mod:`.located`, :mod:`.sourcefile` and :mod:`.trace` (with :mod:`.tracer`): the build's
  model → the DOCX's paragraphs and notes, each character traced to its Markdown source (a public
  edition's pseudonyms to the names they stand for, :mod:`.public`; a translation's
  text to its PO entry's msgstr, :mod:`.translation`);
- :mod:`.pairing`: reviewed paragraphs and notes ↔ the build's (by text);
- :mod:`.edits`: tracked and untracked changes → edits of the build's text; :mod:`.untracked`:
  with tracking off, footnotes inserted or deleted and bold and italic changed (each
  run's against the build's own report.docx);
- :mod:`.mapping` (with :mod:`.markup`): edits → source edits, or why not; :mod:`.breaks`
  (paragraphs split, added, joined), :mod:`.emphasis` (bold and italic turned on or off)
  and, in a note the citation style wrote, :mod:`.citations` (a locator, a prefix or
  suffix; a translation's citations found in their msgstr, :mod:`.msgcites`) and
  :mod:`.registry` (a title, author or year: the registry entry);
  :mod:`.titlepage` (with :mod:`.titlevalues` and :mod:`.yamlvalue`): the title page and
  running headers → report.yaml's values (a translation's: their PO entries), the contents
  → section titles;
- :mod:`.findings`: all of it located, in reading order (whole paragraphs deleted or
  typed: :mod:`.whole`, moved: :mod:`.moves`; comments and their threads:
  :mod:`.threads`; the title page, headers and contents: :mod:`.titlepage`); :mod:`.merge`: when sections
  changed since the build, the findings carried onto their text now, a change whose
  words were edited since a conflict;
- :mod:`.verify`: the edited sections must still parse;
- :mod:`.patch`, :mod:`.output` and :mod:`.html`: changes.patch, review.json, the
  printed lines, review.html (each finding beside its source text), and ``--apply``.

:func:`run_review` runs them. Bad input is one REV (or IMP, for an unreadable file)
diagnostic in a ReportError, and nothing is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Location
from report.errors import ReportError


@dataclass(frozen=True)
class Review:
    findings: tuple
    build: str  # the build folder, as shown
    identity: str
    patch: str
    written: tuple[str, ...]  # files written in the output folder
    applied: tuple[str, ...]  # source files changed by --apply
    refused: int  # source edits left out: they overlap another, or would break the Markdown
    merged: tuple[str, ...] = ()  # sections changed since the build, the review merged into them three ways


_IMPORT_CODES = {f"IMP00{n}": f"REV00{n}" for n in range(1, 7)}


def _recoded(exc: ReportError) -> ReportError:
    """The package reader's IMP001–IMP006 as this command's REV001–REV006."""
    from dataclasses import replace

    return ReportError([replace(d, code=_IMPORT_CODES.get(d.code, d.code)) for d in exc.diagnostics])


def run_review(docx: Path, root: Path, base_dir: Path | None = None, apply: bool = False,
               shown: str | None = None, out_dir: Path | None = None, comments_in_source: bool = False,
               base_rev: str | None = None, locale: str | None = None) -> Review:
    """Read ``docx``, find its build (``base_dir``, a build folder; ``base_rev``, a git
    revision built in a temporary worktree), place its changes and comments in the sources
    (``comments_in_source``: each comment also as an HTML comment at its place),
    write ``out_dir`` (default build/review/: changes.patch, review.json, review.html) and, with
    ``apply``, the changed sources. Returns what was found and written."""
    from report.review.base import build_label, find_base
    from report.review.findings import collect
    from report.review.located import body_units, note_units
    from report.review.html import review_html
    from report.review.merge import merge, moved_to
    from report.review.output import review_json
    from report.review.pairing import pair
    from report.review.patch import apply_edits, unified_diff, write_folder, write_sources
    from report.review.public import PublicEdition
    from report.review.registry import load_registry
    from report.review.sourcefile import SourceFile
    from report.review.titlepage import front_matter
    from report.review.verify import refused_edits
    from report.review.wordfile import read_word_file

    shown = shown or str(docx)
    try:
        reviewed = read_word_file(docx, shown)
    except ReportError as exc:
        raise _recoded(exc) from None
    if locale is not None:  # --locale: the language the file was built in (a file that lost its properties)
        from report.review.revision import with_language

        reviewed.built_for = with_language(reviewed.built_for, locale, shown)
    if base_rev is not None:
        from report.review.revision import revision_base

        base = revision_base(base_rev, reviewed.identity, root, shown, reviewed.built_for)
    else:
        base = find_base(reviewed.identity, root, base_dir, shown, reviewed.built_for)
    if locale is not None and base.document.metadata.language != locale:
        from report.review.base import fail

        raise fail("REV014", f"{shown} was built in '{base.document.metadata.language}', not '{locale}'", shown,
                   "leave out --locale: the file says its language")
    built = None
    if base.docx is not None:
        try:
            built = _built_file(base)
        except ReportError:
            built = None  # the build's own file unreadable: its text is the model's
        if built is not None and built.identity != base.identity:
            built = None  # a DOCX kept from an earlier build (a later one made other formats only)
    document = base.document
    units, notes, msgstrs, entries = body_units(document), note_units(document), {}, {}
    if base.translation is not None:  # a translation's text goes to its PO entries, never to the sections
        from report.review.translation import read_entries, retarget

        entries = read_entries(base.translation[1])
        units, notes, msgstrs = retarget(units, notes, base.translation[0], entries)
    pairing = pair(reviewed, built, units, notes)
    if built is not None:  # bold and italic changed with tracking off: against the build's own file
        from report.review.untracked import restyled

        pairing = restyled(pairing)
    order = list(dict.fromkeys(s.location.path for s in document.sections))
    public = PublicEdition(base.people, document.metadata.language, base.shown_keys) if base.people is not None else None
    sources = {path: SourceFile(path, base.sources[path], public) for path in order if path in base.sources}
    # a translation's notes show the registry's fields as they are (no PO entry translates one): the same file
    registry = load_registry(root, base.folder, document, base.registry)
    # the title page, headers and contents: report.yaml's values (a translation's PO entries), section titles
    front = front_matter(root, document, base.translation, units, _title_location(root), docx, shown)
    msgstrs.update(front.msgstrs)
    findings = collect(reviewed, pairing, {**sources, **msgstrs}, _title_location(root), registry, front)
    if base.translation is not None:
        from report.review.translation import settle

        # the registry and report.yaml (the title page's date: report.review.titlepage) are every language's
        shared = tuple(front.texts) + ((registry.path,) if registry is not None else ())
        findings = settle(findings, msgstrs, base.translation[0], entries, shared)
    texts = {**base.sources, **base.current}  # the sources as they are now
    if registry is not None and any(f.location.path == registry.path for f in findings):
        texts[registry.path] = registry.text  # a title, author or year corrected in a note the style wrote
    texts.update({path: text for path, text in front.texts.items() if any(f.location.path == path for f in findings)})
    texts.update({path: msgstr.text for path, msgstr in msgstrs.items()})
    if base.current:  # changed since the build: the review, read against its text, merged three ways
        findings = merge(findings, base.sources, base.current)
    findings, texts = moved_to(findings, texts, base.moved)  # renamed since the build: where they are now
    # one edit per change; a moved paragraph's changes are made by its move's (report.review.moves.carried)
    edits = list(dict.fromkeys(f.source for f in findings if f.source is not None))
    _, overlapping = apply_edits(texts, edits)
    reasons = {id(e): "it overlaps another change" for e in overlapping}
    reasons.update(refused_edits(texts, [e for e in edits if id(e) not in reasons]))
    if reasons:
        refused = {e: reasons[id(e)] for e in edits if id(e) in reasons}
        findings = [f if f.source not in refused else dataclasses.replace(f, source=None, reason=refused[f.source])
                    for f in findings]
    edits = list(dict.fromkeys(f.source for f in findings if f.source is not None))
    if comments_in_source and base.translation is None:  # a PO file holds no Markdown comments
        findings, edits = _with_comments(findings, edits, texts)
    new_texts, _ = apply_edits(texts, edits)
    if msgstrs:  # the edited msgstrs written into the PO file (shown and written as the file they are)
        from report.review.translation import po_text

        po, po_source = base.translation
        texts = {path: text for path, text in texts.items() if path not in msgstrs} | {po: po_source}
        edited = {path: text for path, text in new_texts.items() if path in msgstrs}
        new_texts = {path: text for path, text in new_texts.items() if path not in msgstrs}
        if edited:
            new_texts[po] = po_text(po_source, msgstrs, edited)
    patch = unified_diff(texts, new_texts)
    shown_build = build_label(base, root)
    out_dir = out_dir or root / "build" / "review"
    files = {"changes.patch": patch.encode("utf-8"),
             "review.html": review_html(shown, shown_build, base.identity, findings, texts)}
    files["review.json"] = review_json(shown, shown_build, base.identity, findings, sorted(files) + ["review.json"])
    applied: tuple[str, ...] = ()
    if apply and new_texts:  # the sources first: when they cannot be written, nothing is
        write_sources(root, new_texts, texts)
        applied = tuple(sorted(new_texts))
    write_folder(out_dir, files)
    return Review(tuple(findings), shown_build, base.identity, patch, tuple(sorted(files)), applied, len(reasons),
                  tuple(sorted(base.moved.get(path, path) for path in base.current)))


def _built_file(base):
    """The build's report.docx, read; from its bytes when its folder is gone (``--base
    REV``: the revision's build was made in a worktree since removed)."""
    import tempfile

    from report.review.wordfile import read_word_file

    path = base.folder / "report.docx"
    if path.is_file():
        return read_word_file(path, str(path))
    with tempfile.TemporaryDirectory(prefix="report-review-") as temp:
        copy = Path(temp) / "report.docx"
        copy.write_bytes(base.docx)
        return read_word_file(copy, str(copy))


def _with_comments(findings: list, edits: list, sources: dict[str, str]) -> tuple[list, list]:
    """The findings and source edits with each comment inserted as an HTML comment
    (report.review.comments); a comment that would change what a file shows (checked
    against the file with its changes made) is left out, its finding saying why."""
    from report.review.comments import changed_by_comments, comment_edits
    from report.review.patch import apply_edits

    # report.yaml or the registry (a title-page change, a note's field) holds no Markdown comment
    placed, reasons = comment_edits(findings, {p: t for p, t in sources.items() if not p.endswith((".yaml", ".yml"))})
    changed, _ = apply_edits(sources, edits)
    kept = []
    for path in dict.fromkeys(edit.path for _, edit in placed):
        mine = [(finding, edit) for finding, edit in placed if edit.path == path]
        without = changed.get(path, sources[path])
        together, _ = apply_edits(sources, edits + [edit for _, edit in mine])
        if not changed_by_comments(path, without, together[path]):
            kept += mine
            continue
        for finding, edit in mine:  # which of them: each alone
            alone, _ = apply_edits(sources, edits + [edit])
            if changed_by_comments(path, without, alone[path]):
                reasons[id(finding)] = "it would change the text there"
            else:
                kept.append((finding, edit))
    inserted = {id(finding): edit for finding, edit in kept}
    findings = [dataclasses.replace(f, source=inserted[id(f)]) if id(f) in inserted else
                dataclasses.replace(f, reason=reasons[id(f)]) if id(f) in reasons else f for f in findings]
    return findings, edits + [edit for _, edit in kept]


def _title_location(root: Path) -> Location:
    """Where the title page comes from: report.yaml's ``title``."""
    from report.config import load_config

    try:
        return load_config(root).where("title")
    except (ReportError, KeyError, AttributeError):
        return Location("report.yaml", 1, 1)
