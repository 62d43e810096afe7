"""The build recipe: sources → parse → transforms → checks → render → outputs, one call a stage.

``load`` stops at the resolved document; ``check`` adds the check rules and the
project's select/ignore/noqa policy (what ``report check`` runs, without
importing any renderer); ``build`` renders and writes ``build/<lang>/<edition>/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from report import model as m
from report.diagnostics import Diagnostic, Severity, apply_policy, error, has_errors
from report.errors import ReportError
from report.outputs import build_lock, edition_folder, manifest, retire_old_layout, write_outputs
from report.progress import QUIET, Progress

if TYPE_CHECKING:
    from report.sources.project import Project

# The parser, the citation engine and the source readers are imported where they are
# used: a build forks its render worker before them (report.render.run.RenderWorker),
# so that process starts small and sooner.


# Warnings that a release build (--strict) refuses: a figure without alternative text.
STRICT_ERRORS = frozenset({"FIG001"})


@dataclass(frozen=True)
class Loaded:
    project: Project
    source: m.Document    # as parsed, citations unresolved
    document: m.Document  # notes numbered and rendered by the style
    treaties: object | None  # as read (and translated): what the checks compare the source with
    diagnostics: tuple[Diagnostic, ...]
    people: object | None = None  # report.sources.people.People
    edition: str = "public"  # which edition ``document`` is (report.transforms.editions)

    @property
    def edition_treaties(self):
        """The incidents as this edition shows them: in the public one, protected names
        are pseudonyms (their ids too, as the document's spans that describe them)."""
        if self.edition != "public" or not self.people or self.treaties is None:
            return self.treaties
        from report.transforms.pseudonyms import Pseudonyms

        return Pseudonyms(self.people, self.document.metadata.language,
                          self.project.config.language).treaties(self.treaties)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path  # build/<lang>/<edition>/ (report.outputs.edition_folder)
    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    edition: str = "public"


@dataclass(frozen=True)
class Locale:
    """Which language and edition to build, and how strictly: ``None`` is the source
    language; ``edition`` "public" leaves out what is marked confidential and writes the
    protected people's pseudonyms, "confidential" keeps everything (and is marked so)."""

    language: str | None = None
    allow_fuzzy: bool = False
    strict: bool = False
    # "public" (the default, the safe one) or "confidential": see report.transforms.editions
    edition: str = "public"


def load(root: Path, stop_on_error: bool = True, progress: Progress = QUIET, locale: Locale = Locale()) -> Loaded:
    """Read, parse and resolve the project, in ``locale`` when it names a translation.
    Files too broken to read raise ReportError; other errors raise too unless
    ``stop_on_error`` is False (``report check`` wants them all)."""
    from report.parse.markdown import parse_section
    from report.sources.project import read_project
    from report.sources.treaties import read_treaties
    from report.transforms.citeproc_js import CiteprocJsEngine
    from report.transforms.csl import style_path
    from report.i18n.strings import tool_strings
    from report.transforms.crossrefs import resolve_crossrefs
    from report.transforms.figures import locate_figures
    from report.transforms.ids import unique_heading_ids
    from report.transforms.notes import resolve_notes
    from report.transforms.bibliography import add_bibliography
    from report.transforms.typography import french_spacing
    from report.sources.abbreviations import read_abbreviations
    from report.transforms.abbreviations import fill_abbreviation_lists
    from report.sources.people import read_people
    from report.transforms.editions import EDITIONS, confidential_edition, public_edition, pseudonymise

    if locale.edition not in EDITIONS:
        raise ValueError(f"unknown edition {locale.edition!r}: one of {', '.join(EDITIONS)}")
    with progress.stage("read sources"):
        project = read_project(root)
        treaties = read_treaties(root)
        people = read_people(root)
    config = project.config
    language = locale.language or config.language
    translator = None
    if language != config.language:
        from report.i18n.apply import Translator
        from report.i18n.catalog import read_translations

        translator = Translator(read_translations(root, language, config.location), locale.allow_fuzzy, locale.strict)
    problems: list[Diagnostic] = []
    sections = []
    with progress.stage(f"parse Markdown ({language})"):
        for source in project.sections:
            if translator is not None:
                source = dataclasses.replace(source, title=translator.text(f"{source.id}:title", source.title, source.location))
            section, found = parse_section(source, translator)
            sections.append(section)
            problems.extend(found)
    if translator is not None:
        treaties = _translated_treaties(treaties, translator)
    metadata = _metadata(config, language, translator)
    source_document = unique_heading_ids(m.Document(metadata, tuple(sections)))
    source_document, found = locate_figures(source_document, root)
    problems.extend(found)
    # The public edition leaves out what is marked before anything is numbered, so its
    # figures, paragraphs and notes are numbered without gaps and its Ibid. chains are
    # those of the notes it shows (report.transforms.editions). The checks read the
    # whole source: the same findings in both editions.
    edition = parsed = source_document
    if locale.edition == "public":
        edition, found = public_edition(source_document, project.registry, people, language, config.language)
        problems.extend(found)
    strings = tool_strings(language)
    source_document, found = resolve_crossrefs(source_document, strings, config.number_sections,
                                              config.numbered_paragraphs, config.annex_number_within)
    problems.extend(found)
    # (References to what the public edition leaves out are EDN003 already; others are
    # reported by the run on the whole source above.)
    edition = source_document if edition is parsed else resolve_crossrefs(
        edition, strings, config.number_sections, config.numbered_paragraphs, config.annex_number_within)[0]
    with progress.stage("resolve citations"):
        engine = CiteprocJsEngine(style_path(root, config.citation_style, config.citation_style_location),
                                  project.registry, language, config.citation_style_location)
        document, found = resolve_notes(edition, engine, project.registry, config.note_rules)
        # The list of sources (report.yaml ``bibliography``): after the last section, before
        # the French spacing and the pseudonyms, which then apply to it as to the notes.
        document, more = add_bibliography(document, engine, project.registry, config, strings, translator)
        found = found + more
    # The list of abbreviations, where a ::: {.abbreviations} div asks for it (its file's
    # own problems are ABB001 in report.checks.abbreviations)
    document, more = fill_abbreviation_lists(document, read_abbreviations(root)[0], language, config.language)
    found = found + more
    document = french_spacing(document)  # a French report's ; : ! ? « » take their narrow spaces
    problems.extend(found)
    if locale.edition == "public":  # the names in the notes' text the style wrote
        document = pseudonymise(document, people, language, config.language)
    else:
        document = confidential_edition(document)
    if translator is not None:
        problems += translator.problems
        if translator.used_fuzzy:  # known only once every segment was looked up
            document = dataclasses.replace(document, metadata=dataclasses.replace(document.metadata, draft=True))
    if stop_on_error and has_errors(problems):
        raise ReportError(problems)
    return Loaded(project, source_document, document, treaties, tuple(problems), people, locale.edition)


def _metadata(config, language: str, translator) -> m.Metadata:
    def text(key: str, value):
        return translator.text(f"report:{key}", value, config.where(key)) if translator else value

    return m.Metadata(text("title", config.title), text("organization", config.organization), language,
                      config.date, text("subtitle", config.subtitle))


def _translated_treaties(treaties, translator):
    if treaties is None:
        return None
    incidents = tuple(dataclasses.replace(i, summary=translator.text(f"incident:{i.id}", i.summary, i.location))
                      for i in treaties.incidents)
    return dataclasses.replace(treaties, incidents=incidents)


def check(root: Path, progress: Progress = QUIET, locale: Locale = Locale()) -> tuple[Loaded, list[Diagnostic]]:
    """Every diagnostic of the project after select, ignore and noqa comments."""
    loaded = load(root, stop_on_error=False, progress=progress, locale=locale)
    return loaded, _checked(root, loaded, progress)


def _checked(root: Path, loaded: Loaded, progress: Progress) -> list[Diagnostic]:
    """The loaded project's diagnostics and the check rules', after the policy."""
    from report.checks import CheckContext, run_checks
    from report.sources.project import input_files
    from report.sources.suppressions import scan

    project = loaded.project
    context = CheckContext(project.config, project.registry, loaded.source, loaded.document, loaded.treaties)
    with progress.stage("check"):
        found = list(loaded.diagnostics) + run_checks(context)
    texts = {}
    for rel in input_files(project.config) + [f"locales/{lang}.po" for lang in _translations(root)]:
        path = root / rel
        if path.is_file() and path.suffix in (".md", ".yaml", ".yml", ".json", ".po"):
            texts[rel] = path.read_text(encoding="utf-8", errors="replace")
    config = project.config
    return apply_policy(found, config.select, config.ignore, scan(texts))


def build_timestamp(config) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH when set, else midnight UTC of the report date, else None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    if config.date:
        return dt.datetime.combine(config.date, dt.time(), tzinfo=dt.timezone.utc)
    return None


def check_assets(config, formats) -> list[Diagnostic]:
    """Templates and fonts the requested formats need, before any rendering starts."""
    problems = []
    needs = {"docx": ["docx"], "html": ["html", "css"], "pdf": ["html", "css"]}
    kinds = sorted({kind for fmt in formats for kind in needs[fmt]})
    for kind in kinds:
        path, where = config.template(kind)
        if not path.is_file():
            shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
            problems.append(error("TPL001", f"template not found: {shown}", where))
    if "pdf" in formats or "html" in formats:
        for face, path in config.font.files:
            if not path.is_file():
                problems.append(error("FNT001", f"font file for '{face}' not found: {path}", config.font.where(face),
                                      "install fonts-noto-core or point fonts.files at the project's fonts"))
    return problems


def _with_evidence(loaded: Loaded, config) -> tuple[m.Document, dict[str, bytes]]:
    """The evidence matrix files, and the document with the matrix as an annex when
    ``annex.evidence-matrix`` is on. Projects without treaties get neither."""
    treaties = loaded.edition_treaties
    if treaties is None or not treaties.incidents:
        return loaded.document, {}
    import dataclasses

    from report import evidence

    matrix = evidence.build_matrix(loaded.document, treaties)
    files = {
        "evidence.csv": evidence.to_csv(matrix, treaties),
        "evidence.html": evidence.to_html(matrix, treaties, config.title, config.language),
    }
    document = loaded.document
    if config.evidence_annex:
        annex = evidence.annex_section(matrix, treaties, config.location, document.metadata.language)
        document = dataclasses.replace(document, sections=document.sections + (annex,))
    return document, files


def model_json(loaded: Loaded, document: m.Document) -> bytes:
    """``model.json``: the resolved document, the registry and the incidents, in a
    stable, sorted JSON form (what ``report diff`` compares)."""
    import json

    treaties = loaded.edition_treaties
    registry = loaded.project.registry
    if loaded.edition == "public":  # no confidential source, no protected name
        from report.transforms.editions import public_registry

        registry = public_registry(registry, loaded.people, document.metadata.language,
                                   loaded.project.config.language)
    data = {
        "document": m.to_data(document),
        "registry": {ref.id: ref.csl for ref in sorted(registry.entries, key=lambda r: r.id)},
        "incidents": [m.to_data(incident) for incident in (treaties.incidents if treaties else ())],
    }
    # No indent: with one, json falls back to its pure-Python encoder (a fifth of a
    # 10-copy build); sorted keys keep it stable. One node per line would be a nicety.
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _translations(root: Path) -> list[str]:
    from report.i18n.catalog import available_languages

    return available_languages(root)


def build(root: Path, formats: tuple[str, ...] | None = None, progress: Progress = QUIET,
          wait: bool = True, locale: Locale = Locale()) -> BuildResult:
    """Build one language under the project's build lock (see :func:`build_unlocked`)."""
    with build_lock(root, wait):
        return build_unlocked(root, formats, progress, locale)


def _render_setup(root: Path, formats):
    """(config, formats, template files by kind) from report.yaml, read early (before the
    sources) to start a render process; None when it cannot be read (the build says why)."""
    from report.config import load_config

    try:
        config = load_config(root)
    except ReportError:
        return None
    templates = {kind: config.template(kind)[0] for kind, _, _ in config.templates}
    return config, tuple(formats or config.outputs), templates


def _start_worker(root: Path, formats, locale: Locale):
    """A RenderWorker when this build renders a PDF or a DOCX and a core is free, else
    None. Reads report.yaml early (before the sources) for the formats, the language
    and the templates; when it cannot be read there is no worker (the build says why)."""
    from report.render.run import RenderWorker

    found = _render_setup(root, formats)
    if found is None:
        return None
    config, formats, templates = found
    return RenderWorker.start(formats, locale.language or config.language, templates, dict(config.font.files))


def build_unlocked(root: Path, formats: tuple[str, ...] | None = None, progress: Progress = QUIET,
                   locale: Locale = Locale(), parallel: bool = True) -> BuildResult:
    """Check, then render every format and write them with the manifest. Errors
    (from the checks or the renderers) raise ReportError before anything is written.
    With a core to spare, the slowest format (the PDF, else the DOCX) renders in a
    worker forked before the sources are read; the other formats render here. One
    parse serves every format."""
    worker = _start_worker(root, formats, locale) if parallel else None
    failed = True
    try:
        started = _render_here(_check_build(root, formats, progress, locale, worker, alone=parallel), progress)
        _finish_rendering(started, progress)
        failed = False
    finally:
        if worker is not None:
            worker.close(abort=failed)  # a failed build does not wait for the worker's render
    return _write_build(root, started, progress)


@dataclass
class _StartedBuild:
    """A build checked, its other formats rendered, its slowest one perhaps still rendering
    in ``worker``. It keeps what writing needs, not the parsed report: while a worker lays
    out a long PDF, this process should hold as little as it can."""
    inputs: dict  # input file → sha256, taken before the sources were read
    language: str
    allow_fuzzy: bool
    formats: tuple[str, ...]
    context: object
    worker: object
    outputs: dict
    problems: list
    found: list
    edition: str = "public"
    leaks: object = None  # report.leaks.check.LeakCheck: a public edition with something protected


def _input_digests(root: Path, locale: Locale) -> dict[str, str]:
    """The inputs' sha256 for the manifest, taken before the sources are read: a file
    saved while the build runs then differs from its digest, and the next build runs
    again (digests taken after the build would match the new file and call the outputs
    up to date). Empty when report.yaml cannot be read (the build then says why)."""
    from report.config import load_config
    from report.outputs import input_digests
    from report.sources.project import input_files

    try:
        config = load_config(root)
    except ReportError:
        return {}
    language = locale.language or config.language
    translation = [f"locales/{language}.po"] if language != config.language else []
    return input_digests(root, input_files(config) + translation)


def _figure_digests(document: m.Document) -> dict[str, str]:
    """The sha256 of every image a figure shows, as the figures transform took it before
    anything was rendered: a replaced photograph makes the next build run again."""
    return {block.src: block.digest for section in document.sections for block in m.walk_blocks(section.blocks)
            if isinstance(block, m.Figure) and block.digest}


@dataclass
class _CheckedBuild:
    """A language read, cited and checked without error, its slowest format handed to
    ``worker``: what :func:`_render_here` needs to render the other formats."""
    inputs: dict
    loaded: Loaded
    document: m.Document
    evidence: dict
    context: object
    formats: tuple[str, ...]
    worker: object
    found: list
    allow_fuzzy: bool  # fuzzy translations used, said in the manifest


def _check_build(root: Path, formats, progress: Progress, locale: Locale, worker,
                 alone: bool = False) -> _CheckedBuild:
    """Read, cite and check one language (ReportError on errors) and hand ``worker`` its
    format. ``alone``: the build has the machine's cores to itself (it is not one language
    of an --all-locales build, whose pool and other languages keep every core busy). Then
    the worker gets its document before the check rules run, when reading and
    citing found no error: the rules run beside its render, and an error they find
    still stops the build (the caller stops the worker unread)."""
    from report.render.base import RenderContext
    from report.render.run import hand_over

    inputs = _input_digests(root, locale)
    loaded = load(root, stop_on_error=False, progress=progress, locale=locale)
    inputs.update(_figure_digests(loaded.document))
    config = loaded.project.config
    formats = tuple(formats or config.outputs)
    assets = check_assets(config, formats)
    from report.sources.revision import source_revision

    context = RenderContext(config, build_timestamp(config), source_revision(root, inputs))
    document = evidence = None
    if alone and worker is not None and not has_errors(list(loaded.diagnostics) + assets):
        # The evidence files wait until the worker has its document (unless the matrix
        # is an annex of it): they are the build's to write, not the worker's to render.
        if config.evidence_annex:
            document, evidence = _with_evidence(loaded, config)
        else:
            document = loaded.document
        hand_over(worker, document, context, formats, progress)
    found = _checked(root, loaded, progress) + assets
    if locale.strict:  # a release build: PDF/UA and WCAG require every figure's alternative text
        found = [dataclasses.replace(d, severity=Severity.ERROR) if d.code in STRICT_ERRORS else d for d in found]
    if has_errors(found):
        raise ReportError(found)
    if document is None:
        document, evidence = _with_evidence(loaded, config)
        hand_over(worker, document, context, formats, progress)
    elif evidence is None:
        evidence = _with_evidence(loaded, config)[1]
    allow_fuzzy = locale.allow_fuzzy and document.metadata.language != config.language
    return _CheckedBuild(inputs, loaded, document, evidence, context, formats, worker, found, allow_fuzzy)


def _render_here(checked: _CheckedBuild, progress: Progress) -> _StartedBuild:
    """Render a checked build's formats other than its worker's, here, and its model.json."""
    from report.render.run import start_rendering

    loaded, document, context, formats = checked.loaded, checked.document, checked.context, checked.formats
    # model.json is made while the worker renders.
    outputs, problems, model = start_rendering(document, context, formats, progress, checked.worker,
                                               lambda: model_json(loaded, document))
    outputs.update(checked.evidence)
    from report.recommendations import recommendation_files

    outputs.update(recommendation_files(document))  # recommendations.csv, when the report has any
    outputs["model.json"] = model
    leaks = None
    if loaded.edition == "public":  # what its files must not hold, searched before they are written
        from report.leaks.check import prepare

        leaks = prepare(loaded.project.config.root, loaded, document)
    return _StartedBuild(checked.inputs, document.metadata.language, checked.allow_fuzzy, formats, context,
                         checked.worker, outputs, problems, checked.found, loaded.edition, leaks)


def _finish_rendering(started: _StartedBuild, progress: Progress, free_memory: bool = True) -> None:
    from report.render.run import finish_rendering

    finish_rendering(started.worker, started.formats, started.context, progress, started.outputs, started.problems,
                     free_memory)


def _write_build(root: Path, started: _StartedBuild, progress: Progress) -> BuildResult:
    """Write a rendered build and its manifest to build/<lang>/<edition>/; ReportError
    (nothing written) if a renderer failed or, in the public edition, if a file that
    would be published holds a protected string (LEAK001, report.leaks.check)."""
    found = started.found + started.problems
    if has_errors(started.problems):
        raise ReportError(found)
    language = started.language
    out_dir = edition_folder(root, language, started.edition)
    outputs = started.outputs
    files = dict(outputs)
    # A --format subset keeps the other outputs of the previous build: list them too.
    kept = {p.name: p.read_bytes() for p in sorted(out_dir.glob("*"))
            if out_dir.is_dir() and p.is_file() and p.name not in files and p.name != "manifest.json"}
    files["manifest.json"] = manifest(started.inputs, {**kept, **outputs}, sorted(outputs), started.allow_fuzzy,
                                      started.edition, getattr(started.context, "revision", None))
    if started.leaks is not None:
        # Every file the folder would hold, the kept ones too: people.yaml may have
        # gained a name since they were written.
        with progress.stage("leak check"):
            leaks = started.leaks.run({**kept, **files})
        if leaks:
            raise ReportError(found + leaks)
    shown = out_dir.relative_to(root).as_posix() if out_dir.is_relative_to(root) else str(out_dir)
    with progress.stage("write outputs"):
        retire_old_layout(out_dir.parent)
        write_outputs(out_dir, files, shown_as=shown)
    return BuildResult(out_dir, tuple(sorted(files)), tuple(found), started.edition)
