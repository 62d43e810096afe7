"""``report build --edition``: each edition in its own folder with its own manifest,
model.json and evidence matrix; the confidential one marked in every file's metadata;
a project with nothing confidential building both alike; ``report serve`` previewing
the public edition unless asked; ``report diff`` listing what the public edition
withholds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner
from lxml import html

from report.build import Locale, build
from report.cli import main
from report.scaffold import new_project
from report.serve import Preview
from tests.conftest import copy_shipped_project
from tests.editions.support import make_edition_project

PEOPLE = """\
- name: Aysel Huseynova
  pseudonym: Journalist C
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def journalist(tmp_path_factory):
    """`report new`'s project, its detained journalist named (text and incident) and
    protected: both editions built with the command line."""
    root = tmp_path_factory.mktemp("journalist") / "project"
    new_project(root)
    intro = root / "sections" / "01-introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace(
        "On 3 March 2024 a journalist was stopped", "On 3 March 2024 the journalist Aysel Huseynova was stopped"),
        encoding="utf-8")
    incidents = root / "references" / "incidents.yaml"
    incidents.write_text(incidents.read_text(encoding="utf-8").replace(
        "summary: A journalist stopped", "summary: Aysel Huseynova, a journalist, stopped"), encoding="utf-8")
    (root / "references" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    public = run("build", "--project", root)
    confidential = run("build", "--project", root, "--edition", "confidential")
    return root, public, confidential


def test_each_edition_is_written_to_its_own_folder(journalist):
    root, public, confidential = journalist
    assert public.exit_code == 0 and confidential.exit_code == 0, public.output + confidential.output
    assert public.stdout.splitlines()[-1] == ("built evidence.csv, evidence.html, manifest.json, model.json, "
                                              "report.docx, report.html, report.pdf in build/en/public/")
    assert confidential.stdout.splitlines()[-1].endswith(" in build/en/confidential/")
    assert sorted(p.name for p in (root / "build" / "en").iterdir()) == ["confidential", "public"]
    for edition in ("public", "confidential"):
        folder = root / "build" / "en" / edition
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["edition"] == edition
        assert manifest["outputs"] == {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                       for p in sorted(folder.iterdir()) if p.name != "manifest.json"}
        assert "references/people.yaml" in manifest["inputs"]
    # Each edition's no-op rebuild is its own.
    again = run("build", "--project", root, "--edition", "confidential")
    assert again.stdout == "build/en/confidential/ is up to date (nothing changed since the last build)\n"


def test_the_public_model_and_evidence_hold_no_protected_name(journalist):
    root = journalist[0]
    public, confidential = (root / "build" / "en" / edition for edition in ("public", "confidential"))
    for name in ("model.json", "evidence.csv", "evidence.html", "report.html"):
        assert "Huseynova" not in (public / name).read_text(encoding="utf-8"), name
        assert "Aysel Huseynova" in (confidential / name).read_text(encoding="utf-8"), name
    assert "Journalist C, a journalist, stopped at a checkpoint" in (public / "evidence.csv").read_text(encoding="utf-8")
    model = json.loads((public / "model.json").read_text(encoding="utf-8"))
    assert model["document"]["metadata"]["edition"] == "public"
    assert [i["summary"][:31] for i in model["incidents"]] == ["Journalist C, a journalist, sto"]


def test_the_confidential_edition_is_marked_on_every_page_and_in_every_files_metadata(tmp_path):
    root = make_edition_project(tmp_path / "project", russian=True)
    for language, label, sentence in (("en", "Confidential", "Confidential edition: not for publication."),
                                      ("ru", "Конфиденциально", "Конфиденциальная редакция: не для публикации.")):
        out = build(root, locale=Locale(language, edition="confidential")).out_dir
        assert out == root / "build" / language / "confidential"
        with zipfile.ZipFile(out / "report.docx") as docx:
            core = docx.read("docProps/core.xml").decode("utf-8")
            headers = [docx.read(n).decode("utf-8") for n in docx.namelist() if n.startswith("word/header")]
        assert f"<cp:keywords>{label}</cp:keywords>" in core and f"<cp:contentStatus>{label}</cp:contentStatus>" in core
        assert f"<dc:description>{sentence}</dc:description>" in core
        assert headers and all(label in header for header in headers)
        metadata = pypdf.PdfReader(out / "report.pdf").metadata
        assert (metadata["/Keywords"], metadata["/Subject"]) == (label, sentence)
        with pdfplumber.open(out / "report.pdf") as pdf:
            assert all(label in (page.extract_text() or "") for page in pdf.pages)
        page = html.fromstring((out / "report.html").read_bytes())
        assert page.xpath("//meta[@name='keywords']/@content") == [label]
        assert page.xpath("//meta[@name='description']/@content") == [sentence]
        assert " ".join(page.xpath("//p[@class='draft-mark']")[0].text_content().split()) == f"{label} {sentence}"
    public = build(root).out_dir
    with zipfile.ZipFile(public / "report.docx") as docx:
        assert "<cp:keywords></cp:keywords>" in docx.read("docProps/core.xml").decode("utf-8")
    assert "/Keywords" not in pypdf.PdfReader(public / "report.pdf").metadata
    assert not html.fromstring((public / "report.html").read_bytes()).xpath("//meta[@name='keywords']")


def test_a_project_with_nothing_confidential_builds_both_editions_alike(tmp_path):
    """The shipped report marks nothing and has no people.yaml: both editions build from
    it unchanged, with the same text; only the confidential one carries the mark."""
    root = copy_shipped_project(tmp_path / "shipped")
    assert not (root / "references" / "people.yaml").exists()
    models = {}
    for edition in ("public", "confidential"):
        result = build(root, locale=Locale(edition=edition))
        assert result.out_dir == root / "build" / "en" / edition and result.edition == edition
        assert {"report.docx", "report.pdf", "report.html", "model.json"} <= set(result.files)
        models[edition] = json.loads((result.out_dir / "model.json").read_text(encoding="utf-8"))
    assert models["confidential"]["document"]["metadata"].pop("edition") == "confidential"
    assert models["public"]["document"]["metadata"].pop("edition") == "public"
    assert models["public"] == models["confidential"]


def test_an_older_builds_outputs_in_the_language_folder_are_retired(tmp_path):
    """A build by an earlier version wrote build/<lang>/report.*: the first edition build
    removes what that manifest lists, and nothing else."""
    root = make_edition_project(tmp_path / "project")
    old = root / "build" / "en"
    old.mkdir(parents=True)
    (old / "report.html").write_text("<p>Farid Mammadov</p>", encoding="utf-8")
    (old / "manifest.json").write_text(json.dumps({"outputs": {"report.html": "0" * 64}}), encoding="utf-8")
    (old / "notes.txt").write_text("mine", encoding="utf-8")
    build(root, ("html",))
    assert sorted(p.name for p in old.iterdir()) == ["notes.txt", "public"]


def test_report_serve_previews_the_public_edition_unless_asked(tmp_path):
    root = make_edition_project(tmp_path / "project")
    public = Preview(root, echo=lambda *a, **k: None)
    assert public.rebuild()
    assert public.state.out_dir == root / "build" / "en" / "public"
    page = public.state.page.decode("utf-8")
    assert "Witness A was held" in page and "Mammadov" not in page and "Confidential" not in page
    confidential = Preview(root, echo=lambda *a, **k: None, edition="confidential")
    assert confidential.rebuild()
    page = confidential.state.page.decode("utf-8")
    assert confidential.state.out_dir == root / "build" / "en" / "confidential"
    assert "Farid Mammadov was held" in page and "Confidential edition: not for publication." in page


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_report_diff_of_one_revisions_two_editions_lists_what_the_public_one_withholds(tmp_path):
    root = make_edition_project(tmp_path / "project")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "draft"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)
    result = run("diff", "HEAD", "HEAD", "--edition", "confidential,public", "--project", root, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"].startswith("HEAD (") and data["old"].endswith("), confidential edition")
    assert data["new"].startswith("HEAD (") and "edition" not in data["new"]
    messages = [change["message"] for change in data["changes"]]
    for withheld in ("note 2 removed: “Told by his brother Elnur on the phone.”",
                     "box removed: “The guard admitted the beatings to our researcher in a long…”",
                     "section removed: Annex on the prison director (2 units)",
                     "registry entry interview-farid removed", "registry entry interview-guard removed",
                     "registry entry ngo-2021: title: The Release of Farid Mammadov → The Release of Witness A"):
        assert withheld in messages, withheld
    assert any(m.startswith("figure removed: “The cell where the guard kept him") for m in messages)
    first = data["changes"][0]  # the first paragraph, word by word: what goes, what it becomes
    assert first["location"] == "sections/01-intro.md:5:1"
    assert ["-", ", Leyla Aliyeva", ""] in first["words"] and ["~", "Ganja", "a western city"] in first["words"]
    assert ["~", "Farid", "Witness"] in first["words"] and ["~", "Mammadov", "A"] in first["words"]
    # The same two folders once both editions are built: the same list.
    for edition in ("public", "confidential"):
        build(root, locale=Locale(edition=edition))
    folders = run("diff", root / "build" / "en" / "confidential", root / "build" / "en", "--project", root,
                  "--format", "json", "--out", tmp_path / "diff")
    assert json.loads(folders.stdout)["summary"] == data["summary"]
