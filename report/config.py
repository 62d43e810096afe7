"""``report.yaml`` → a frozen :class:`Config`, with every key's location kept.

Unknown keys, wrong types and missing required keys are all collected and
raised together as one ReportError, as MkDocs does with its config.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Diagnostic, Location, closest_hint, error
from report.errors import ReportError
from report.sources.files import read_text
from report.sources.yamlfile import Located, load_yaml

CONFIG_NAME = "report.yaml"
FORMATS = ("docx", "pdf", "html")
DEFAULT_STYLE = "templates/notes.csl"
DEFAULT_TEMPLATES = {
    "docx": "templates/reference.docx",
    "html": "templates/report.html.j2",
    "css": "templates/report.css",
}
# The tool's own copies of the default templates and style (``report new`` copies them too).
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
# Noto Serif from Debian's fonts-noto-core, installed by scripts/build and scripts/test.
DEFAULT_FONT_FAMILY = "Noto Serif"
DEFAULT_FONT_FILES = {
    "regular": "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "bold": "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf",
    "italic": "/usr/share/fonts/truetype/noto/NotoSerif-Italic.ttf",
    "bold-italic": "/usr/share/fonts/truetype/noto/NotoSerif-BoldItalic.ttf",
}
# The scripts a family may be given for (``fonts: {arabic: …}``), in the order their
# families follow the document language's own in the font list.
SCRIPTS = ("latin", "cyrillic", "greek", "arabic", "cjk")
# Defaults beyond the main family: Debian's fonts-noto-core (Noto Naskh Arabic) and
# fonts-noto-cjk (Noto Serif CJK, one collection holding the SC, TC, JP, KR and HK faces;
# fontconfig picks the face of the text's language: SC for zh-CN, TC for zh-TW).
DEFAULT_SCRIPT_FONTS = {
    "arabic": ("Noto Naskh Arabic", {
        "regular": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
        "bold": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
    }),
    "cjk": ("Noto Serif CJK", {
        "regular": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "bold": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    }),
}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class FontFamily:
    """One configured family: its files and the scripts it is given for."""

    family: str
    files: tuple[tuple[str, Path], ...]  # (face, absolute path), face in DEFAULT_FONT_FILES
    scripts: tuple[str, ...]  # of SCRIPTS
    location: Location
    file_locations: tuple[tuple[str, Location], ...] = ()
    explicit: bool = True  # named in report.yaml (False: a package default for a script)

    def where(self, face: str) -> Location:
        return dict(self.file_locations).get(face, self.location)


@dataclass(frozen=True)
class FontConfig:
    """``fonts:``: the main family (``family``, ``files``: Latin, Cyrillic, Greek unless
    given apart) and ``families``, every family in order, the main one first (with the
    package's defaults for the scripts report.yaml gives no family)."""

    family: str
    files: tuple[tuple[str, Path], ...]  # (face, absolute path), face in DEFAULT_FONT_FILES
    location: Location
    file_locations: tuple[tuple[str, Location], ...] = ()  # where each face was set
    families: tuple[FontFamily, ...] = ()

    def where(self, face: str) -> Location:
        return dict(self.file_locations).get(face, self.location)

    def all_families(self) -> tuple[FontFamily, ...]:
        return self.families or (FontFamily(self.family, self.files, SCRIPTS, self.location, self.file_locations),)


@dataclass(frozen=True)
class NoteRules:
    """House rules for note positions (CSL's defaults when not set)."""

    ibid: bool = True                 # OSCOLA's newest edition drops Ibid.
    ibid_after_several: bool = False  # Chicago: no Ibid. after a note citing several sources
    restart: str = "none"             # "section": the first citation in a section is in full again


@dataclass(frozen=True)
class BibliographyConfig:
    """``bibliography: true`` or ``{title: …, group-by-type: true}``: a list of the cited
    works after the last section (report.transforms.bibliography)."""

    location: Location
    title: str | None = None  # None: the catalog's "List of sources" in the build's language
    group_by_type: bool = False


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    organization: str | None
    subtitle: str | None
    language: str
    date: dt.date | None
    sections: tuple[tuple[str, Location], ...]  # file names under sections/, in order
    citation_style: str  # a stock style's name, or a CSL file: project-relative, or the package's (absolute)
    citation_style_location: Location
    registry: str
    registry_location: Location
    outputs: tuple[str, ...]
    # (kind, path, where set); the path is project-relative, or absolute for the package's default
    templates: tuple[tuple[str, str, Location], ...]
    font: FontConfig
    location: Location
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    key_locations: tuple[tuple[str, Location], ...] = ()  # where each top-level key is
    note_rules: NoteRules = NoteRules()
    evidence_annex: bool = False
    annex_number_within: bool = False  # ``annex: {number-within: true}``: "Figure II.1" in annex II
    number_sections: bool = False  # "1", "2.1" before headings, and in references to them
    lists: tuple[str, ...] = ()  # "figures", "tables": the lists after the contents (Pandoc's lof, lot)
    numbered_paragraphs: bool = False  # ``paragraphs: numbered``: body paragraphs 1, 2, 3… (UN style)
    bibliography: BibliographyConfig | None = None  # ``bibliography:`` true or a mapping; None: no list of sources
    venue: object = None  # ``venue:``: a report.venues.Venue, the rules a submission is checked against
    submission: tuple[tuple[str, object], ...] = ()  # ``submission:``: the opening information (state, session…)
    # ``id:``: a stable name for the project, which translation files carry (report.i18n.xliff);
    # None: the title names it
    project_id: str | None = None

    def where(self, key: str) -> Location:
        """Where a top-level key of report.yaml is (the file's start when absent)."""
        return dict(self.key_locations).get(key, self.location)

    def template(self, kind: str) -> tuple[Path, Location]:
        for name, rel, where in self.templates:
            if name == kind:
                return self.root / rel, where
        raise KeyError(kind)


_KEYS = {
    "title": str, "subtitle": str, "organization": str, "language": str, "date": dt.date, "id": str,
    "sections": list, "citation-style": str, "registry": str, "outputs": list,
    "templates": dict, "fonts": (dict, list), "checks": dict, "notes": dict, "annex": dict,
    "number-sections": bool, "lof": bool, "lot": bool, "paragraphs": str, "bibliography": (bool, dict),
    "venue": (str, dict), "submission": dict,  # report.venues.settings reads them
}
PARAGRAPH_STYLES = ("plain", "numbered")
_CHECK_KEYS = {"select": list, "ignore": list}
_NOTE_KEYS = {"ibid": bool, "ibid-after-several": bool, "restart": str}
_ANNEX_KEYS = {"evidence-matrix": bool, "number-within": bool}
_BIBLIOGRAPHY_KEYS = {"title": str, "group-by-type": bool}
_REQUIRED = ("title", "language", "sections")


_closest = closest_hint


def load_config(root: Path) -> Config:
    """Read and validate ``root/report.yaml``; raise ReportError listing every problem."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ReportError(error("CFG001", f"no {CONFIG_NAME} in this folder", Location(CONFIG_NAME, 1, 1),
                                "run in a project folder or pass --project DIR"))
    text = read_text(root, CONFIG_NAME)
    doc = load_yaml(text, CONFIG_NAME, code="CFG002")
    where = doc.where
    problems: list[Diagnostic] = []
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise ReportError(error("CFG003", "report.yaml must be a mapping of keys", where()))
    for key, value in data.items():
        if key not in _KEYS:
            problems.append(error("CFG004", f"unknown key '{key}'", where(key), _closest(str(key), _KEYS)))
        elif (isinstance(value, bool) and bool not in _as_tuple(_KEYS[key])) or not isinstance(value, _KEYS[key]):
            expected = {str: "a text", list: "a list", dict: "a mapping", dt.date: "a date (YYYY-MM-DD)",
                        bool: "true or false", (dict, list): "a mapping or a list",
                        (str, dict): "a profile name or a mapping",
                        (bool, dict): "true, false or a mapping (title, group-by-type)"}[_KEYS[key]]
            if key == "paragraphs":  # `paragraphs: yes` reads as true: name the words it takes
                expected = "'numbered' or 'plain'"
            problems.append(error("CFG005", f"'{key}' must be {expected}", where(key)))
    for key in _REQUIRED:
        if key not in data:
            problems.append(error("CFG006", f"missing required key '{key}'", where()))
    if problems:
        raise ReportError(problems)

    language = data["language"]
    if not _LANGUAGE_TAG.match(language):
        problems.append(error("CFG007", f"'{language}' is not a BCP 47 language tag", where("language"), "e.g. en, az, ru"))
    for key in ("title", "language"):
        if not data[key].strip():
            problems.append(error("CFG005", f"'{key}' must not be empty", where(key)))
    sections = []
    if not data["sections"]:
        problems.append(error("CFG008", "'sections' lists no section", where("sections")))
    for i, name in enumerate(data["sections"]):
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            problems.append(error("CFG008", "each section is a file name under sections/", where("sections", i)))
        elif name in dict(sections):
            problems.append(error("CFG008", f"section '{name}' is listed twice", where("sections", i),
                                  f"first at {dict(sections)[name]}"))
        else:
            sections.append((name, where("sections", i)))
    outputs = data.get("outputs", list(FORMATS))
    if not outputs:
        problems.append(error("CFG009", "'outputs' lists no format", where("outputs"), "e.g. [docx, pdf, html]"))
    for i, fmt in enumerate(outputs):
        if fmt not in FORMATS:
            problems.append(error("CFG009", f"unknown output format '{fmt}'", where("outputs", i), _closest(str(fmt), FORMATS)))
    templates = []
    given = data.get("templates", {})
    for kind, rel in given.items():
        if kind not in DEFAULT_TEMPLATES:
            problems.append(error("CFG004", f"unknown template kind '{kind}'", where("templates", kind), _closest(str(kind), DEFAULT_TEMPLATES)))
        elif not isinstance(rel, str):
            problems.append(error("CFG005", f"template '{kind}' must be a path", where("templates", kind)))
    for kind, default in DEFAULT_TEMPLATES.items():
        rel = given.get(kind) if isinstance(given.get(kind), str) else default_file(root, default)
        templates.append((kind, rel, where("templates", kind) if kind in given else where()))
    font = _font_config(root, data.get("fonts", {}), doc, problems)
    checks = _typed_mapping("checks", data.get("checks", {}), _CHECK_KEYS, doc, problems)
    notes = _typed_mapping("notes", data.get("notes", {}), _NOTE_KEYS, doc, problems)
    annex = _typed_mapping("annex", data.get("annex", {}), _ANNEX_KEYS, doc, problems)
    bibliography = _bibliography(data.get("bibliography", False), doc, problems)
    if data.get("paragraphs", "plain") not in PARAGRAPH_STYLES:
        problems.append(error("CFG005", "'paragraphs' must be 'numbered' or 'plain'", where("paragraphs"),
                              _closest(str(data["paragraphs"]), PARAGRAPH_STYLES)))
    if notes.get("restart", "none") not in ("none", "section"):
        problems.append(error("CFG005", "'notes.restart' must be 'none' or 'section'", doc.where("notes", "restart")))
    from report.venues.settings import read_settings

    venue, submission = read_settings(data, doc, problems)
    if problems:
        raise ReportError(problems)
    return Config(
        root=root, title=data["title"], project_id=data.get("id"), organization=data.get("organization"),
        subtitle=data.get("subtitle"), language=language, date=data.get("date"),
        sections=tuple(sections),
        citation_style=data["citation-style"] if "citation-style" in data else default_file(root, DEFAULT_STYLE),
        citation_style_location=where("citation-style") if "citation-style" in data else where(),
        registry=data.get("registry", "references/sources.yaml"),
        registry_location=where("registry") if "registry" in data else where(),
        outputs=tuple(dict.fromkeys(outputs)), templates=tuple(templates), font=font,
        location=where(),
        key_locations=tuple((str(key), where(key)) for key in data),
        select=tuple(str(c) for c in checks.get("select", [])),
        ignore=tuple(str(c) for c in checks.get("ignore", [])),
        note_rules=NoteRules(notes.get("ibid", True), notes.get("ibid-after-several", False), notes.get("restart", "none")),
        evidence_annex=annex.get("evidence-matrix", False),
        annex_number_within=annex.get("number-within", False),
        number_sections=data.get("number-sections", False) is True,
        lists=tuple(kind for key, kind in (("lof", "figures"), ("lot", "tables")) if data.get(key, False) is True),
        # A venue that requires numbered paragraphs numbers them unless report.yaml says plain.
        numbered_paragraphs=data.get("paragraphs", "numbered" if venue and venue.numbered_paragraphs else "plain")
        == "numbered",
        bibliography=bibliography,
        venue=venue, submission=submission,
    )


def default_file(root: Path, rel: str) -> str:
    """The file to use for a template or style report.yaml does not name: takes the
    project root and the default's project-relative path (``templates/notes.csl``);
    returns that path when the project has the file, else the absolute path of the
    package's copy (``report/templates/notes.csl``), as Pandoc falls back to its own
    default templates. A name given in report.yaml never comes here: a missing one
    stays an error (TPL001, STY001) so that a typo does not silently fall back.
    When the package lacks its copy too, the project path is kept (and reported)."""
    if (root / rel).is_file():
        return rel
    package = PACKAGE_TEMPLATES / Path(rel).name
    return str(package) if package.is_file() else rel


def _as_tuple(kind) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _bibliography(given, doc: Located, problems: list) -> BibliographyConfig | None:
    """``bibliography:``: false (none), true (the defaults) or a mapping of its options."""
    if given is False:
        return None
    options = _typed_mapping("bibliography", given if isinstance(given, dict) else {}, _BIBLIOGRAPHY_KEYS, doc, problems)
    title = options.get("title")
    if title is not None and not title.strip():
        problems.append(error("CFG005", "'bibliography.title' must not be empty", doc.where("bibliography", "title")))
    return BibliographyConfig(doc.where("bibliography"), title.strip() if title else None,
                              options.get("group-by-type", False))


def _typed_mapping(name: str, given: dict, keys: dict, doc: Located, problems: list) -> dict:
    """A nested mapping whose keys and value types are fixed."""
    out = {}
    for key, value in given.items():
        if key not in keys:
            problems.append(error("CFG004", f"unknown key '{key}' in {name}", doc.where(name, key), _closest(str(key), keys)))
        elif not isinstance(value, keys[key]):
            kind = {list: "a list", bool: "true or false", str: "a text"}[keys[key]]
            problems.append(error("CFG005", f"'{name}.{key}' must be {kind}", doc.where(name, key)))
        else:
            out[key] = value
    return out


def _family_entry(root: Path, entry, path: tuple, doc: Located, problems: list, scripts: tuple,
                  default_files: dict | None = None) -> FontFamily | None:
    """One ``{family, files}`` mapping of ``fonts:`` (at ``path`` in report.yaml)."""
    if not isinstance(entry, dict):
        problems.append(error("CFG010", "a font entry is a mapping with 'family' and 'files'", doc.where(*path)))
        return None
    for key in entry:
        if key not in ("family", "files"):
            problems.append(error("CFG004", f"unknown key '{key}' in fonts", doc.where(*path, key),
                                  _closest(str(key), ("family", "files"))))
    family = entry.get("family")
    files = entry.get("files", default_files if default_files is not None and "family" not in entry else {})
    if family is None:
        family = DEFAULT_FONT_FAMILY if default_files is not None else None
    if not isinstance(family, str) or not family.strip():
        problems.append(error("CFG010", "a font entry needs a 'family' name", doc.where(*path)))
        return None
    if not isinstance(files, dict) or "regular" not in files:
        problems.append(error("CFG010", "fonts.files must map at least 'regular' to a font file", doc.where(*path, "files")))
        files = {}
    resolved = []
    for face, name in files.items():
        if face not in DEFAULT_FONT_FILES:
            problems.append(error("CFG004", f"unknown font face '{face}'", doc.where(*path, "files", face), _closest(str(face), DEFAULT_FONT_FILES)))
            continue
        resolved.append((face, (root / str(name)).resolve()))
    wheres = tuple((face, doc.where(*path, "files", face)) for face, _ in resolved)
    return FontFamily(str(family), tuple(resolved), scripts, doc.where(*path), wheres)


def _font_config(root: Path, fonts, doc: Located, problems: list) -> FontConfig:
    """``fonts:`` in one of three forms: the main family (``family``, ``files``, as
    before), optionally with a family (or a list of families) per script (``arabic:``,
    ``cjk:``…); or a list of ``{family, files}`` in the order they are tried."""
    where = doc.where("fonts")
    if isinstance(fonts, list):  # families in order, nothing added
        families = [f for i, entry in enumerate(fonts)
                    if (f := _family_entry(root, entry, ("fonts", i), doc, problems, SCRIPTS)) is not None]
        if not families:
            problems.append(error("CFG010", "fonts lists no family", where))
            return FontConfig(DEFAULT_FONT_FAMILY, (), where)
        main = families[0]
        return FontConfig(main.family, main.files, main.location, main.file_locations, tuple(families))
    for key in fonts:
        if key not in ("family", "files") + SCRIPTS:
            problems.append(error("CFG004", f"unknown key '{key}' in fonts", doc.where("fonts", key),
                                  _closest(str(key), ("family", "files") + SCRIPTS)))
    top = {k: v for k, v in fonts.items() if k in ("family", "files")}
    main_scripts = tuple(s for s in ("latin", "cyrillic", "greek") if s not in fonts)
    main = _family_entry(root, top, ("fonts",), doc, problems, main_scripts or ("latin",), DEFAULT_FONT_FILES)
    if main is None:
        main = FontFamily(DEFAULT_FONT_FAMILY, (), ("latin",), where)
    if "family" not in fonts and "files" not in fonts:
        main = FontFamily(main.family, main.files, main.scripts, where, main.file_locations, explicit=False)
    families = [main]
    for script in SCRIPTS:
        if script in fonts:
            given = fonts[script]
            entries = given if isinstance(given, list) else [given]
            for i, entry in enumerate(entries):
                path = ("fonts", script, i) if isinstance(given, list) else ("fonts", script)
                family = _family_entry(root, entry, path, doc, problems, (script,))
                if family is not None:
                    families.append(family)
        elif script in DEFAULT_SCRIPT_FONTS:
            name, files = DEFAULT_SCRIPT_FONTS[script]
            families.append(FontFamily(name, tuple((face, Path(p)) for face, p in files.items()), (script,),
                                       where, explicit=False))
    return FontConfig(main.family, main.files, main.location if main.explicit else where,
                      main.file_locations, tuple(families))
