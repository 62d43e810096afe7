"""`report review` on bad input: hostile Word files (the import's: zip bombs, entity
expansion, external entities, part names and relationships out of the package, a
file too large), a file this project did not build, another build's file, a --base
that is no build, sources changed since the build. Each is one located line, exit
status 2, and nothing written: no build/review/, no source touched."""

from __future__ import annotations

import re
import zipfile

import pytest

from tests.importer.test_untrusted import CASES
from tests.review.conftest import S3, reviewed, run_review
from tests.review import word_edits as we

LINE = re.compile(r"^\S+:\d+:\d+: error\[REV0\d\d\]: .+$")
REV_CODES = {f"IMP00{n}": f"REV00{n}" for n in range(1, 7)}


def snapshot(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_refused(result, code: str, before: dict, root, words: str = "") -> str:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and LINE.match(lines[0]), result.output
    assert f"error[{code}]" in lines[0] and words in lines[0], lines[0]
    assert "Traceback" not in result.output and "root:" not in result.output
    assert snapshot(root) == before, "something was written"
    return lines[0]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_file_is_one_line_and_nothing_written(project, case):
    make, code, words = CASES[case]
    source = make(project / "in.docx")
    before = snapshot(project)
    line = assert_refused(run_review(project, source), REV_CODES[code], before, project, words)
    assert line.startswith(f"{source}:1:1: ")


def _without_identity(package: we.WordPackage) -> None:
    we.replace(package.document, "most tragic", "most painful", "Reviewer A")
    del package.parts["docProps/custom.xml"]


def test_a_file_this_project_did_not_build_needs_base(project):
    review = reviewed(project, _without_identity)
    before = snapshot(project)
    line = assert_refused(run_review(project, review), "REV007", before, project, "was not made by `report build`")
    assert line.endswith("(give the build it came from with --base BUILD_DIR; a file saved by Google Docs has lost "
                         "the property that names it)")
    result = run_review(project, review, "--base", str(project / "build" / "en" / "public"))
    assert result.exit_code == 0, result.output
    assert 'change[Reviewer A]: "most tragic" → "most painful"' in result.output
    assert result.output.startswith(f"{S3}:5:")


def _other_build(package: we.WordPackage) -> None:
    custom = package.parts["docProps/custom.xml"].decode()
    package.parts["docProps/custom.xml"] = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, custom).encode()


def test_a_file_from_another_build_is_refused(project, tmp_path):
    review = reviewed(project, _other_build)
    before = snapshot(project)
    assert_refused(run_review(project, review), "REV008", before, project, "no longer holds")
    assert_refused(run_review(project, review, "--base", str(project / "build" / "en" / "public")), "REV008", before, project,
                   "was not built from")
    (tmp_path / "empty").mkdir()
    assert_refused(run_review(project, review, "--base", str(tmp_path / "empty")), "REV009", before, project,
                   "not a build folder")


def test_sources_changed_since_the_build_are_refused(project):
    review = reviewed(project, lambda p: we.replace(p.document, "most tragic", "most painful", "Reviewer A"))
    path = project / S3
    path.write_text(path.read_text(encoding="utf-8").replace("most tragic", "saddest"), encoding="utf-8")
    before = snapshot(project)
    line = assert_refused(run_review(project, review, "--apply"), "REV010", before, project)
    assert line.startswith(f"{S3}:1:1: error[REV010]: {S3} changed since the build the reviewed file came from")


def test_a_file_that_is_not_a_word_document_at_all(project):
    with zipfile.ZipFile(project / "odd.docx", "w") as archive:
        archive.writestr("hello.txt", "hi")
    before = snapshot(project)
    assert_refused(run_review(project, project / "odd.docx"), "REV002", before, project, "no main document part")


def test_a_folder_for_the_file_or_a_file_for_base_is_one_located_line(project):
    (project / "folder.docx").mkdir()
    (project / "notes.txt").write_text("not a build\n", encoding="utf-8")
    before = snapshot(project)
    line = assert_refused(run_review(project, project / "folder.docx"), "REV001", before, project, "is not a file")
    assert line.startswith(f"{project / 'folder.docx'}:1:1: ")
    docx = project / "build" / "en" / "public" / "report.docx"
    line = assert_refused(run_review(project, docx, "--base", str(project / "notes.txt")), "REV009", before, project,
                          "not a build folder")
    assert line.startswith(f"{project / 'notes.txt'}:1:1: ")


def test_a_translation_whose_po_file_is_gone_is_refused(project):
    import shutil

    from report.build import Locale, build
    from tests.conftest import REPO

    shutil.copytree(REPO / "locales", project / "locales")
    build(project, ("docx",), locale=Locale("az", allow_fuzzy=True))
    (project / "locales" / "az.po").unlink()
    before = snapshot(project)
    assert_refused(run_review(project, project / "build" / "az" / "public" / "report.docx"), "REV012", before, project,
                   "locales/az.po is gone since the build of the 'az' translation")
