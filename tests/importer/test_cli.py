"""`report import` never overwrites a project without --force, and writes nothing when it fails."""

from __future__ import annotations

from click.testing import CliRunner

from report.cli import main
from tests.importer.support import FIXTURES

NOTES = FIXTURES / "pandoc_notes.docx"
SOLAR = FIXTURES / "oxpt_DocumentBuilder04_SolarOverview.docx"


def run(*args):
    return CliRunner().invoke(main, ["import", *map(str, args)])


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_refuses_an_existing_project_without_force(tmp_path):
    project = tmp_path / "p"
    assert run(NOTES, "--into", project).exit_code == 0
    before = snapshot(project)
    result = run(SOLAR, "--into", project)
    assert result.exit_code == 1
    assert result.output == (f"{project}:1:1: error[IMP007]: {project} already exists and is not empty (choose a new "
                             "folder, or pass --force to replace its report.yaml, sections/, references/sources.yaml "
                             "and templates)\n")
    assert snapshot(project) == before


def test_refuses_a_file_and_a_non_empty_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    assert run(NOTES, "--into", tmp_path / "file").exit_code == 2  # a usage error, caught by click
    assert (tmp_path / "file").read_text() == "x"
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = run(NOTES, "--into", tmp_path / "busy")
    assert result.exit_code == 1 and "error[IMP007]" in result.output
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_an_empty_folder_is_used(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run(NOTES, "--into", tmp_path / "empty").exit_code == 0
    assert (tmp_path / "empty" / "report.yaml").is_file()


def test_force_replaces_the_imported_files_and_keeps_the_rest(tmp_path):
    project = tmp_path / "p"
    assert run(NOTES, "--into", project).exit_code == 0
    (project / "references" / "incidents.yaml").write_text("[]\n")
    (project / "sections" / "99-old.md").write_text("old\n")
    (project / "build").mkdir()
    result = run(SOLAR, "--into", project, "--force")
    assert result.exit_code == 0, result.output
    files = snapshot(project)
    assert "Our Solar System Overview" in files["report.yaml"].decode()
    assert "sections/99-old.md" not in files  # sections/ is the import's
    assert files["references/incidents.yaml"] == b"[]\n"
    assert (project / "build").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]  # no staging folders left


def test_failed_import_leaves_the_project_untouched(tmp_path):
    project = tmp_path / "p"
    assert run(NOTES, "--into", project).exit_code == 0
    before = snapshot(project)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    result = run(broken, "--into", project, "--force")
    assert result.exit_code == 1
    assert result.output == f"{broken}:1:1: error[IMP002]: {broken} is not a Word document (not a zip file) " \
                            "(save it from Word as .docx)\n"
    assert snapshot(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.docx", "p"]


def test_missing_file(tmp_path):
    result = run(tmp_path / "gone.docx", "--into", tmp_path / "p")
    assert result.exit_code == 1
    assert result.output == f"{tmp_path / 'gone.docx'}:1:1: error[IMP001]: file not found: {tmp_path / 'gone.docx'}\n"
    assert not (tmp_path / "p").exists()


def test_the_imported_project_checks_clean_of_errors(tmp_path):
    project = tmp_path / "p"
    assert run(FIXTURES / "pandoc_link_in_notes.docx", "--into", project).exit_code == 0
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0, result.output


def test_templates_from_another_folder(tmp_path):
    from tests.conftest import REPO

    custom = tmp_path / "tpl"
    custom.mkdir()
    for name in ("reference.docx", "report.html.j2", "report.css", "notes.csl"):
        (custom / name).write_bytes((REPO / "templates" / name).read_bytes())
    (custom / "report.css").write_text("/* house css */\n")
    assert run(NOTES, "--into", tmp_path / "p", "--templates", custom).exit_code == 0
    assert (tmp_path / "p" / "templates" / "report.css").read_text() == "/* house css */\n"
    (custom / "notes.csl").unlink()
    result = run(NOTES, "--into", tmp_path / "q", "--templates", custom)
    assert result.exit_code == 1
    assert result.output == f"{custom}:1:1: error[IMP009]: template not found: {custom / 'notes.csl'} " \
                            "(pass --templates with a folder holding reference.docx, report.html.j2, report.css, notes.csl)\n"
    assert not (tmp_path / "q").exists()


def test_check_lists_every_imported_entry_for_review(tmp_path):
    from click.testing import CliRunner

    from report.cli import main

    root = tmp_path / "p"
    root.mkdir()
    (root / "references").mkdir()
    (root / "sections").mkdir()
    (root / "report.yaml").write_text("title: T\nlanguage: en\nsections: [01-a.md]\n", encoding="utf-8")
    (root / "sections" / "01-a.md").write_text("---\ntitle: A\n---\n\nText[@w1].\n", encoding="utf-8")
    (root / "references" / "sources.yaml").write_text(
        "- id: w1\n  type: document\n  title: From Word\n  issued: 2020\n  annote: 'Imported from Word: review'\n",
        encoding="utf-8")
    from tests.conftest import REPO
    import shutil

    shutil.copytree(REPO / "templates", root / "templates")
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert "references/sources.yaml:5:3: warning[REG015]: 'w1' was imported from Word: review it" in result.stderr
