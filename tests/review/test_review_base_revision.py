"""`report review --base REV`: the build a reviewed file came from named by the git
revision it was made from. That revision is built again in a temporary worktree (as
`report diff` builds one), so the review needs no build/ kept; the sources changed since
are merged three ways. The revision is built in the language and edition the file was built
for (a translation's review goes to its PO file, which must not have changed since), and a
title, author or year corrected in a note the citation style wrote goes to the registry,
merged at the value when it changed since. A revision that does not exist, or a project not
under git, is one REV013 line, exit 2, and nothing is written."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

from lxml import etree

from report.build import Locale, build
from report.i18n.catalog import read_translations
from tests.conftest import REPO, write_project
from tests.review import word_edits as we
from tests.review.conftest import S1, S2, S3, at, note, reviewed, run_review
from tests.review.test_review_input import assert_refused, snapshot
from tests.review.test_review_merge import edit_source, git, two_changes
from tests.review.test_review_translation import _entries


def _head(project) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, check=True, capture_output=True,
                          text=True).stdout.strip()


def _under_git(project) -> None:
    """The whole project committed, build/ ignored (as a team keeps it)."""
    (project / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Sent for review")


def test_base_names_the_revision_the_file_was_built_from(project):
    _under_git(project)
    sent = _head(project)
    review = reviewed(project, two_changes)
    # Written and committed since: a paragraph before both changes, which moves them two lines down.
    edit_source(project, S3, "The fate of Azerbaijani", "A paragraph added since.\n\nThe fate of Azerbaijani")
    git(project, "commit", "-q", "-a", "-m", "Later draft")
    shutil.rmtree(project / "build")  # no copy of the build kept: the revision is built again
    tragic, numerous = at(project, S3, "most tragic", 7), at(project, S3, "numerous", 9)
    commented = at(project, S3, "under-researched", 7)
    result = run_review(project, review, "--base", sent[:10], "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'{tragic}: change[Reviewer A]: "most tragic" → "most painful"' in lines
    assert f'{numerous}: change[Reviewer B]: "numerous reports indicating" → "many reports indicating"' in lines
    assert f"{commented}: comment[Reviewer B, 2026-12-01]: Which aspects?" in lines
    assert f"merged three ways into {S3} (changed since the build): 0 conflict(s)" in lines
    text = (project / S3).read_text(encoding="utf-8").split("\n")
    assert text[4] == "A paragraph added since."
    assert "The fate of Azerbaijani prisoners of war remains one of the most painful and" in text[6]
    assert text[8].startswith("There are many reports indicating that")
    # the build is named by its revision, never by the worktree it was made in (gone)
    data = (project / "build" / "review" / "review.json").read_text(encoding="utf-8")
    assert f"({sent[:12]})" in data and "report-diff-" not in data
    assert not [line for line in subprocess.run(["git", "worktree", "list"], cwd=project, check=True,
                                                capture_output=True, text=True).stdout.splitlines()[1:]]


def test_an_unknown_revision_is_refused(project):
    _under_git(project)
    review = reviewed(project, two_changes)
    before = snapshot(project)
    line = assert_refused(run_review(project, review, "--base", "v9.9"), "REV013", before, project,
                          "unknown revision or build folder 'v9.9'")
    assert line.startswith("v9.9:")


def test_a_revision_outside_git_is_refused(project):
    review = reviewed(project, two_changes)
    before = snapshot(project)
    assert_refused(run_review(project, review, "--base", "HEAD"), "REV013", before, project,
                   "is not in a git repository")


# --- a translation's build, the confidential edition: the revision built as the file was -----

RU = "locales/ru.po"
INTRO = f"{S1}:5"  # the entry the translator reviewed (its fuzzy flag removed); the others stay fuzzy


def _ru_po() -> str:
    """The shipped report's locales/ru.po with the introduction's entry reviewed."""
    text = (REPO / RU).read_text(encoding="utf-8")
    return _entries(text, [INTRO], lambda block: block.replace("#, fuzzy\n", ""))


def _po_at(root, needle: str) -> str:
    """``locales/ru.po:line:col`` of ``needle`` in a msgstr."""
    for number, line in enumerate((root / RU).read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith("msgstr ") and needle in line:
            return f"{RU}:{number}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def _sent_in_russian(project, allow_fuzzy: bool):
    """The project with locales/ru.po committed; (the revision, the Russian build's DOCX as
    the reviewer sends it back: "в настоящем докладе" → "в этом докладе")."""
    (project / "locales").mkdir()
    (project / RU).write_text(_ru_po(), encoding="utf-8")
    _under_git(project)
    docx = build(project, ("docx",), locale=Locale("ru", allow_fuzzy=allow_fuzzy)).out_dir / "report.docx"
    package = we.WordPackage(docx.read_bytes())
    we.replace(package.document, "в настоящем докладе", "в этом докладе", "Reviewer A")
    review = project / "reviewed-ru.docx"
    review.write_bytes(package.save())
    return _head(project), review


def test_a_translations_review_against_a_revision_goes_to_the_po_file(project):
    """A draft Russian build (fuzzy entries shown, `--allow-fuzzy`): the file says so
    (ReportLanguage, ReportDraft), the revision is built so again, and the change lands in
    the introduction's msgstr, the English sections untouched though one changed since."""
    sent, review = _sent_in_russian(project, allow_fuzzy=True)
    with zipfile.ZipFile(review) as archive:
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
    values = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert (values["ReportLanguage"], values["ReportEdition"], values["ReportDraft"]) == ("ru", "public", "true")
    edit_source(project, S3, "The fate of Azerbaijani", "A paragraph added since.\n\nThe fate of Azerbaijani")
    git(project, "commit", "-q", "-a", "-m", "Later draft")
    shutil.rmtree(project / "build")
    english = {rel: (project / rel).read_bytes() for rel in (S1, S2, S3)}
    po_before = (project / RU).read_text(encoding="utf-8").split("\n")
    place = _po_at(project, "в настоящем докладе")
    result = run_review(project, review, "--base", sent[:10], "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f'{place}: change[Reviewer A]: "в настоящем докладе" → "в этом докладе"'
    assert lines[-1] == f"applied 1 change(s) to {RU}"
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert data["build"] == f"{sent[:10]} ({sent[:12]}), ru translation"  # the language named too
    assert {rel: (project / rel).read_bytes() for rel in english} == english
    after = (project / RU).read_text(encoding="utf-8").split("\n")
    changed = [i for i, (a, b) in enumerate(zip(po_before, after)) if a != b]
    assert len(after) == len(po_before) and len(changed) == 1 and after[changed[0]].startswith("msgstr ")
    assert "в этом докладе" in after[changed[0]] and "в настоящем докладе" not in after[changed[0]]
    intro = next(e for (ctx, _), e in read_translations(project, "ru").entries.items() if ctx == "introduction")
    assert intro.text.startswith("Центр стратегических коммуникаций в этом докладе")


def test_a_po_file_changed_since_the_revision_is_refused(project):
    """The reviewed msgstrs are located in the PO file as the revision's build read them:
    one edited since is one REV012 line (no three-way merge into a PO file), nothing written."""
    sent, review = _sent_in_russian(project, allow_fuzzy=False)
    text = (project / RU).read_text(encoding="utf-8")
    (project / RU).write_text(text.replace("в настоящем докладе", "в данном докладе"), encoding="utf-8")
    before = snapshot(project)
    line = assert_refused(run_review(project, review, "--base", sent[:10]), "REV012", before, project)
    assert line.startswith(f"{RU}:1:1: error[REV012]: {RU} changed since revision '{sent[:10]}' the reviewed file "
                           "was built from")


def test_the_confidential_edition_is_built_again_from_the_revision(tmp_path):
    """A file of the confidential edition (ReportEdition): the revision is built in that
    edition, so a change in words only it shows (a lawyer's name the public edition
    leaves out) lands in the section; the names are not pseudonyms there."""
    from tests.conftest import MINIMAL
    from tests.review.test_review_editions import FILES, FINDINGS, GUARD, PATH

    project = write_project(tmp_path / "editions", FILES)
    (project / "references" / "sources.yaml").write_text(
        MINIMAL["references/sources.yaml"].replace("\n        ", "\n").strip() + "\n" + GUARD, encoding="utf-8")
    _under_git(project)
    sent = _head(project)
    docx = build(project, ("docx",), locale=Locale(edition="confidential")).out_dir / "report.docx"
    package = we.WordPackage(docx.read_bytes())
    we.replace(package.document, "Aliyeva", "Aliyeva-Karimova", "Reviewer A")
    we.replace(package.document, "Farid Mammadov was held", "Farid Mammadov was detained", "Reviewer A")
    review = project / "confidential.docx"
    review.write_bytes(package.save())
    edit_source(project, PATH, "He now lives abroad.", "He now lives abroad with his family.")
    git(project, "commit", "-q", "-a", "-m", "Later draft")
    shutil.rmtree(project / "build")
    result = run_review(project, review, "--base", sent[:10], "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (f'{PATH}:5:1: change[Reviewer A]: "Farid Mammadov was held" → "Farid Mammadov was detained"')
    assert f"merged three ways into {PATH} (changed since the build): 0 conflict(s)" in lines
    assert (project / PATH).read_text(encoding="utf-8") == FINDINGS.replace(
        "[Leyla Aliyeva]", "[Leyla Aliyeva-Karimova]").replace("Mammadov was held", "Mammadov was detained").replace(
        "He now lives abroad.", "He now lives abroad with his family.")
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert data["build"] == f"{sent[:10]} ({sent[:12]}), confidential edition"


# --- a title, author or year corrected in a note the style wrote: the registry ------------

REGISTRY = "references/sources.yaml"


def _in_registry(root, needle: str, after: str) -> str:
    """``path:line:col`` of ``needle``'s first occurrence after ``after`` in the registry."""
    text = (root / REGISTRY).read_text(encoding="utf-8")
    offset = text.index(needle, text.index(after))
    return f"{REGISTRY}:{text.count(chr(10), 0, offset) + 1}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _fixed(registry: str, author: bool = True) -> str:
    """The registry text with the reviewer's title (and author) fix, nothing else."""
    first = registry.index("id: hrw-1992-bloodshed")
    if author:
        registry = registry[:first] + registry[first:].replace("literal: Human Rights Watch/Helsinki\n",
                                                               "literal: Human Rights Watch/Helsinki Watch\n", 1)
    second = registry.index("id: dscr-2020")
    return registry[:second] + registry[second:].replace("report on mistreatment", "report on ill-treatment", 1)


def _registry_fixes(package: we.WordPackage) -> None:
    we.replace(note(package, 5), "mistreatment", "ill-treatment", "Reviewer H")  # the title
    we.replace(note(package, 1), "Helsinki", "Helsinki Watch", "Reviewer H")  # the author, cited by note 2 too


def test_a_registry_fix_against_a_revision_goes_to_the_registry(project):
    """The registry unchanged since the revision (a section changed): both values are
    written, the rest of the file byte for byte as it was."""
    _under_git(project)
    sent = _head(project)
    review = reviewed(project, _registry_fixes)
    edit_source(project, S3, "The fate of Azerbaijani", "A paragraph added since.\n\nThe fate of Azerbaijani")
    git(project, "commit", "-q", "-a", "-m", "Later draft")
    shutil.rmtree(project / "build")
    registry = (project / REGISTRY).read_text(encoding="utf-8")
    title = _in_registry(project, "Preliminary report", "id: dscr-2020")
    author = _in_registry(project, "Human Rights Watch/Helsinki", "id: hrw-1992-bloodshed")
    result = run_review(project, review, "--base", sent[:10], "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'{title}: change[Reviewer H]: "mistreatment" → "ill-treatment" in note 5' in lines
    assert (f'{author}: change[Reviewer H]: "Helsinki" → "Helsinki Watch" in note 1 (note 2 cites it too and '
            'changes with it)') in lines
    assert lines[-1] == f"applied 2 change(s) to {REGISTRY}"
    assert (project / REGISTRY).read_text(encoding="utf-8") == _fixed(registry)


def test_a_registry_edited_since_the_revision_is_merged_at_the_value(project):
    """The registry edited since the revision: a line added above every entry (the title
    fix moves with it and applies), and the author the reviewer corrected rewritten (that
    fix is reported where the author stands now, not applied)."""
    _under_git(project)
    sent = _head(project)
    review = reviewed(project, _registry_fixes)
    edit_source(project, REGISTRY, "# Citation registry (CSL-YAML).", "# Citation registry (CSL-YAML), checked.\n#")
    edit_source(project, REGISTRY, "    - literal: Human Rights Watch/Helsinki\n  title: \"Bloodshed",
                "    - literal: Human Rights Watch\n  title: \"Bloodshed")
    git(project, "commit", "-q", "-a", "-m", "Registry checked")
    shutil.rmtree(project / "build")
    registry = (project / REGISTRY).read_text(encoding="utf-8")
    title = _in_registry(project, "Preliminary report", "id: dscr-2020")
    author = _in_registry(project, "Human Rights Watch", "id: hrw-1992-bloodshed")
    result = run_review(project, review, "--base", sent[:10], "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert title.split(":")[1] == "31"  # a line below where the revision had it
    assert f'{title}: change[Reviewer H]: "mistreatment" → "ill-treatment" in note 5' in lines
    assert (f'{author}: change[Reviewer H]: "Helsinki" → "Helsinki Watch" in note 1 (not applied: {REGISTRY} changed '
            'there since the build: the author reads "Human Rights Watch" now (correct it there by hand))') in lines
    assert (project / REGISTRY).read_text(encoding="utf-8") == _fixed(registry, author=False)


def test_a_registry_edited_since_the_build_is_merged_from_git(project):
    """Without --base: a registry committed as built and edited since is read as the
    build read it (git holds it by the manifest's digest), and the fix carried onto it."""
    _under_git(project)
    review = reviewed(project, lambda package: we.replace(note(package, 5), "mistreatment", "ill-treatment",
                                                          "Reviewer H"))
    edit_source(project, REGISTRY, "# Citation registry (CSL-YAML).", "# Citation registry (CSL-YAML), checked.\n#")
    registry = (project / REGISTRY).read_text(encoding="utf-8")
    title = _in_registry(project, "Preliminary report", "id: dscr-2020")
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f'{title}: change[Reviewer H]: "mistreatment" → "ill-treatment" in note 5'
    assert (project / REGISTRY).read_text(encoding="utf-8") == _fixed(registry, author=False)


def _without_properties(path) -> None:
    """The file as Google Docs gives it back: no docProps (custom.xml, and so no ReportBuild)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if not name.startswith("docProps/")}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_locale_names_the_language_of_a_file_that_lost_its_properties(project):
    sent, review = _sent_in_russian(project, allow_fuzzy=False)
    _without_properties(review)
    place = _po_at(project, "в настоящем докладе")
    result = run_review(project, review, "--base", sent[:10], "--locale", "ru", "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f'{place}: change[Reviewer A]: "в настоящем докладе" → "в этом докладе"'
    assert "в этом докладе" in (project / RU).read_text(encoding="utf-8")


def test_a_locale_the_file_was_not_built_in_is_refused(project):
    review = reviewed(project, two_changes)
    before = snapshot(project)
    line = assert_refused(run_review(project, review, "--locale", "az"), "REV014", before, project,
                          "was built in 'en', not 'az'")
    assert line.startswith(f"{review}:")
