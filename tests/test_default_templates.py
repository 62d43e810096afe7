"""A project that holds only its own content (no ``templates/``) builds with the
package's default templates and citation style, as Pandoc and Quarto fall back to
theirs; a template or style that report.yaml names stays an error when missing."""

from __future__ import annotations

import hashlib
import json
import shutil
import textwrap
import zipfile

import pdfplumber
import pytest
from click.testing import CliRunner
from lxml import etree, html

from report.cli import main
from report.config import DEFAULT_STYLE, DEFAULT_TEMPLATES, PACKAGE_TEMPLATES, load_config
from report.scaffold import TEMPLATE_FILES
from tests.conftest import MINIMAL, write_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The minimal report.yaml, naming no template and no citation style.
CONFIG = "".join(line + "\n" for line in textwrap.dedent(MINIMAL["report.yaml"]).splitlines()
                 if not line.startswith("citation-style:"))
PACKAGE_FILES = TEMPLATE_FILES


def bare_project(root, extra: str = "", files: dict | None = None):
    """The minimal project without templates/ and with ``extra`` lines in report.yaml."""
    return write_project(root, {"report.yaml": CONFIG + extra, **(files or {})}, templates=False)


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = bare_project(tmp_path_factory.mktemp("bare") / "project")
    result = run("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    return root


def test_the_project_has_no_templates_and_uses_the_package_copies(built):
    assert not (built / "templates").exists()
    config = load_config(built)
    for kind, default in DEFAULT_TEMPLATES.items():
        path, _ = config.template(kind)
        assert path == PACKAGE_TEMPLATES / default.split("/")[-1] and path.is_file()
    assert config.citation_style == str(PACKAGE_TEMPLATES / DEFAULT_STYLE.split("/")[-1])


def test_project_templates_are_used_when_present(tmp_path):
    root = write_project(tmp_path / "p", {"report.yaml": CONFIG})
    config = load_config(root)
    assert [rel for _, rel, _ in config.templates] == list(DEFAULT_TEMPLATES.values())
    assert config.citation_style == DEFAULT_STYLE


def test_docx_has_the_notes(built):
    with zipfile.ZipFile(built / "build" / "en" / "public" / "report.docx") as archive:
        footnotes = etree.fromstring(archive.read("word/footnotes.xml"))
    text = " ".join("".join(t.text or "" for t in note.iter(W + "t")) for note in footnotes.iter(W + "footnote"))
    assert "See also" in text and "A Web Page" in text and "A Report" in text


def test_html_parses_and_has_the_title(built):
    tree = html.fromstring((built / "build" / "en" / "public" / "report.html").read_bytes())
    assert tree.findtext("head/title").strip().startswith("A Minimal Report")
    assert tree.find_class("report-title")[0].text_content().strip() == "A Minimal Report"
    assert "See also" in tree.text_content()


def test_pdf_has_the_notes(built):
    with pdfplumber.open(built / "build" / "en" / "public" / "report.pdf") as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "A Minimal Report" in text and "See also" in text


def test_manifest_lists_the_package_templates_and_a_rebuild_is_a_no_op(built):
    manifest = json.loads((built / "build" / "en" / "public" / "manifest.json").read_text(encoding="utf-8"))
    for name in PACKAGE_FILES:
        path = PACKAGE_TEMPLATES / name
        assert manifest["inputs"][str(path)] == hashlib.sha256(path.read_bytes()).hexdigest()
    result = run("build", "--project", str(built))
    assert result.exit_code == 0
    assert "up to date" in result.output


def test_a_changed_package_template_rebuilds(tmp_path, monkeypatch):
    package = tmp_path / "package-templates"
    shutil.copytree(PACKAGE_TEMPLATES, package)
    monkeypatch.setattr("report.config.PACKAGE_TEMPLATES", package)
    root = bare_project(tmp_path / "project")
    assert run("build", "--project", str(root), "--format", "html").exit_code == 0
    with open(package / "report.css", "a", encoding="utf-8") as css:
        css.write("\n.changed-default { color: red; }\n")
    result = run("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 0 and "up to date" not in result.output
    assert ".changed-default" in (root / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")


def test_one_project_template_beside_the_package_defaults(tmp_path):
    root = bare_project(tmp_path / "project", files={"templates/report.css": "body { margin: 0; }\n.house-rule { color: red; }\n"})
    result = run("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 0, result.output
    page = (root / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")
    assert ".house-rule" in page and "A Minimal Report" in page
    manifest = json.loads((root / "build" / "en" / "public" / "manifest.json").read_text(encoding="utf-8"))
    assert "templates/report.css" in manifest["inputs"]
    assert str(PACKAGE_TEMPLATES / "report.html.j2") in manifest["inputs"]


def test_adding_a_project_template_later_rebuilds(tmp_path):
    root = bare_project(tmp_path / "project")
    assert run("build", "--project", str(root), "--format", "html").exit_code == 0
    (root / "templates").mkdir()
    (root / "templates" / "report.css").write_text(".house-rule { color: red; }\n", encoding="utf-8")
    result = run("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 0 and "up to date" not in result.output, result.output
    assert ".house-rule" in (root / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("extra, error", [
    ("templates:\n  docx: templates/missing.docx\n", "report.yaml:8:3: error[TPL001]: template not found: templates/missing.docx"),
    ("citation-style: templates/notes.csl\n", "report.yaml:7:1: error[STY001]: citation style not found: templates/notes.csl"),
])
def test_a_template_or_style_report_yaml_names_must_exist(tmp_path, extra, error):
    root = bare_project(tmp_path / "project", extra)
    result = run("build", "--project", str(root), "--format", "docx,html")
    assert result.exit_code == 1
    assert [line for line in result.stderr.strip().splitlines() if ": error[" in line] == [error]


def test_check_is_clean(tmp_path):
    root = bare_project(tmp_path / "project")
    result = run("check", "--project", str(root))
    assert result.exit_code == 0, result.stderr
    assert "TPL" not in result.stderr + result.output and "STY" not in result.stderr + result.output
