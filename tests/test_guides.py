"""The guides in docs/ and the README's command examples run, so they cannot rot.

Every ```sh block is run line by line with ``report`` resolved to this checkout's
(through a shim calling ``python -m report``), and each command must exit 0, or the
status its comment documents as ``(exit N)``. ``cd DIR`` changes the folder for the
commands after it; ``A && B`` runs A then B; ``report serve`` is started, asked for
its page and stopped with Ctrl-C (SIGINT).

A guide is a tutorial: its blocks run in order in one scratch folder. HTML comments
before a block, invisible once rendered, say what the reader does by hand:

* ``<!-- file: PATH -->``: the next fenced block is the content of PATH;
* ``<!-- append: PATH -->``: the next fenced block is added at the end of PATH;
* ``<!-- translate: PATH -->``: the next ```po block's entries are translated in PATH,
  as Poedit would (msgstr set, fuzzy cleared);
* ``<!-- replace: PATH | OLD | NEW -->``: an edit of PATH (no block);
* ``<!-- output -->``: every line of the next ```text block is in the output of the
  previous ```sh block (``…`` stands for anything);
* ``<!-- excerpt: PATH -->``: the next fenced block is, word for word, part of PATH as it
  is at that point (a file ``report new`` wrote, shown rather than typed);
* ``<!-- shows: PATH -->``: every line of the next ```text block is part of a line readers
  see in PATH, a built ``.html`` or ``.docx`` (a paragraph, heading, caption, table row…;
  no-break spaces read as spaces; ``…`` stands for anything);
* ``<!-- skip: REASON -->``: the next ```sh block is not run.

The README's blocks each run in a copy of the shipped project under Git (tag v1.0 and a
later commit), beside the placeholders its examples name (path/to/another/report,
release/en, last-report.docx, and reviewed.docx: that project's DOCX with a reviewer's
tracked change and comment).
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_shipped_project

GUIDES = ("docs/authors.md", "docs/translators.md", "docs/reviewers.md")
EXIT = re.compile(r"\(exit (\d+)\)")
DIRECTIVE = re.compile(r"^<!--\s*(file|append|translate|replace|output|excerpt|shows|skip)\s*(?::\s*(.*?))?\s*-->\s*$")

# The README documents the tool on the shipped report, whose state makes some commands fail
# on purpose: it keeps six warnings (README, "Warnings that remain on the shipped report")
# and its translations are drafts with every entry fuzzy.
README_STATUS = {
    "report check --format github --strict": 1,
    "report i18n stats --min-complete 90": 1,
    "report build --all-locales --strict": 1,
}
README_SKIP = {
    "scripts/": "scripts/build and scripts/test set up the machine and run this very suite; CI runs them (.ci/run)",
}


@dataclass
class Block:
    lang: str
    text: str
    line: int                 # of the opening fence, 1-based
    directives: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class Command:
    text: str
    line: int
    status: int


def blocks(markdown: str) -> list[Block]:
    """Fenced blocks in order, each with the directives written just before it."""
    found: list[Block] = []
    pending: list[tuple[str, str, int]] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        directive = DIRECTIVE.match(line.strip())
        if directive:
            pending.append((directive.group(1), directive.group(2) or "", i + 1))
        elif line.startswith("```"):
            lang = line[3:].strip()
            start = i
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            found.append(Block(lang, "\n".join(body) + "\n", start + 1, pending))
            pending = []
        elif line.strip() and pending:
            raise AssertionError(f"line {pending[0][2]}: a directive must come just before a fenced block")
        i += 1
    if pending:
        raise AssertionError(f"line {pending[0][2]}: a directive must come just before a fenced block")
    return found


def commands(block: Block, expected: dict[str, int] | None = None) -> list[Command]:
    """The block's commands: continuation lines joined, comments kept for bash."""
    found = []
    lines = block.text.splitlines()
    i = 0
    while i < len(lines):
        line, number = lines[i], block.line + 1 + i
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i].strip()
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        code, _, comment = line.partition(" #")
        status = EXIT.search(comment)
        bare = " ".join(code.split())
        wanted = int(status.group(1)) if status else (expected or {}).get(bare, 0)
        found.append(Command(line.strip(), number, wanted))
    return found


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> dict[str, str]:
    """An environment whose ``report`` is this checkout's, with a Git identity and a scratch home."""
    home = tmp_path_factory.mktemp("home")
    bin_dir = home / "bin"
    bin_dir.mkdir()
    script = bin_dir / "report"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m report "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "REPORT_", "_REPORT"))}
    env.update({
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "HOME": str(home), "NO_COLOR": "1",
        "PYTHONPATH": str(REPO), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Guide Reader",
        "GIT_AUTHOR_EMAIL": "reader@example.org", "GIT_COMMITTER_NAME": "Guide Reader",
        "GIT_COMMITTER_EMAIL": "reader@example.org", "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
    })
    (home / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
                                    encoding="utf-8")
    return env


class Runner:
    def __init__(self, doc: str, cwd: Path, env: dict[str, str]):
        self.doc, self.cwd, self.env = doc, cwd, env
        self.output = ""

    def where(self, line: int) -> str:
        return f"{self.doc}:{line}"

    def run_block(self, block: Block, expected: dict[str, int] | None = None) -> None:
        self.output = ""
        for command in commands(block, expected):
            self.run(command)

    def run(self, command: Command) -> None:
        parts = [command.text] if "'" in command.text or '"' in command.text else command.text.split(" && ")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            code = part.partition(" #")[0].strip() if not last else part.strip()
            if code.startswith("cd "):
                target = (self.cwd / code[3:].partition(" #")[0].strip()).resolve()
                assert target.is_dir(), f"{self.where(command.line)}: cd into a missing folder: {code}"
                self.cwd = target
                continue
            if code.startswith("report serve"):
                self.serve(command, code.partition(" #")[0])
                continue
            result = subprocess.run(["bash", "-c", part], cwd=self.cwd, env=self.env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180, check=False)
            self.output += result.stdout
            want = command.status if last else 0
            assert result.returncode == want, (
                f"{self.where(command.line)}: `{command.text}` exited {result.returncode}, expected {want}:\n"
                f"{result.stdout[-3000:]}")

    def serve(self, command: Command, code: str) -> None:
        """Start it on a free port, fetch the page, stop it as Ctrl-C does."""
        args = code.split()[2:]
        if "--port" in args:
            at = args.index("--port")
            del args[at:at + 2]
        proc = subprocess.Popen(["bash", "-c", "exec report serve --port 0 " + " ".join(args)], cwd=self.cwd,
                                env=self.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        lines: list[str] = []
        started = threading.Event()

        def read():
            for line in proc.stdout:
                lines.append(line)
                if "serving http://" in line:
                    started.set()
            started.set()

        threading.Thread(target=read, daemon=True).start()
        try:
            started.wait(60)
            url = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))
            assert url, f"{self.where(command.line)}: `{command.text}` did not start:\n{''.join(lines)}"
            with urllib.request.urlopen(url.group(0), timeout=10) as response:
                assert response.status == 200 and b"data-report-serve" in response.read()
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
            try:
                status = proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                status = proc.wait(5)
        assert status == command.status, f"{self.where(command.line)}: `{command.text}` exited {status}"

    def apply(self, kind: str, argument: str, block: Block, line: int) -> None:
        where = self.where(line)
        if kind == "replace":
            path, old, new = (part.strip() for part in argument.split("|"))
            target = self.cwd / path
            text = target.read_text(encoding="utf-8")
            assert old in text, f"{where}: {path} does not contain {old!r}"
            target.write_text(text.replace(old, new, 1), encoding="utf-8")
        elif kind in ("file", "append"):
            target = self.cwd / argument
            target.parent.mkdir(parents=True, exist_ok=True)
            before = target.read_text(encoding="utf-8") if kind == "append" and target.exists() else ""
            target.write_text(before + block.text, encoding="utf-8")
        elif kind == "translate":
            translate(self.cwd / argument, block.text, where)
        elif kind == "output":
            assert block.lang == "text", f"{where}: <!-- output --> must come before a ```text block"
            for expected in filter(str.strip, block.text.splitlines()):
                pattern = ".*".join(re.escape(piece) for piece in expected.split("…"))
                assert re.search(f"^{pattern}$", self.output, re.MULTILINE), (
                    f"{where}: the output lacks the documented line\n  {expected}\nit was:\n{self.output[-3000:]}")
        elif kind == "excerpt":
            target = self.cwd / argument
            assert target.is_file(), f"{where}: no file {argument}"
            assert block.text in target.read_text(encoding="utf-8"), (
                f"{where}: {argument} does not hold the block word for word")
        elif kind == "shows":
            assert block.lang == "text", f"{where}: <!-- shows --> must come before a ```text block"
            seen = visible_lines(self.cwd / argument)
            for expected in filter(str.strip, block.text.splitlines()):
                pattern = ".*".join(re.escape(piece) for piece in expected.strip().split("…"))
                assert re.search(pattern, seen), (
                    f"{where}: {argument} lacks the documented text\n  {expected}\nit reads:\n{seen[-3000:]}")


# Where a line of text ends in the page: the end of a block, a table cell, a line break.
_BREAKS = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|li|dt|dd|td|th|tr|caption|figcaption|div|aside|blockquote|pre)>", re.I)


def visible_lines(path: Path) -> str:
    """The text readers see in a built HTML page or Word file, a line per paragraph (and
    per table cell), spaces collapsed."""
    assert path.is_file(), f"no file {path}"
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as docx:
            xml = docx.read("word/document.xml").decode("utf-8")
        paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
        lines = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs]
    else:
        page = re.sub(r"<(script|style|head)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S | re.I)
        lines = re.sub(r"<[^>]+>", "", _BREAKS.sub("\n", page)).split("\n")
    out = (re.sub(r"\s+", " ", html.unescape(line).replace("\u00a0", " ")).strip() for line in lines)
    return "\n".join(line for line in out if line)


def translate(po_file: Path, entries: str, where: str) -> None:
    """Set the msgstr of each entry of ``entries`` in ``po_file`` and clear its fuzzy flag."""
    from babel.messages.pofile import read_po, write_po

    with open(po_file, "rb") as handle:
        catalog = read_po(handle)
    given = read_po(io.BytesIO(entries.encode("utf-8")))
    for message in given:
        if not message.id:
            continue
        target = catalog.get(message.id, message.context)
        assert target is not None, f"{where}: {po_file.name} has no entry {message.context!r} {message.id[:60]!r}"
        target.string = message.string
        target.flags.discard("fuzzy")
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    po_file.write_bytes(out.getvalue())


def run_document(doc: str, text: str, cwd: Path, env: dict[str, str], expected=None, fresh_cwd: bool = False,
                 skip_prefixes=None) -> list[str]:
    """Run every block of a document; the skipped commands with their reasons."""
    runner = Runner(doc, cwd, env)
    skipped = []
    for block in blocks(text):
        if fresh_cwd:
            runner.cwd = cwd
        skip = [arg for kind, arg, _ in block.directives if kind == "skip"]
        for kind, argument, line in block.directives:
            if kind != "skip":
                runner.apply(kind, argument, block, line)
        if block.lang != "sh":
            continue
        if skip:
            skipped.append(f"{doc}:{block.line}: {skip[0]}")
            continue
        reasons = [reason for prefix, reason in (skip_prefixes or {}).items()
                   if any(c.text.startswith(prefix) for c in commands(block))]
        if reasons:
            skipped.append(f"{doc}:{block.line}: {reasons[0]}")
            continue
        runner.run_block(block, expected)
    return skipped


@pytest.mark.parametrize("guide", GUIDES)
def test_every_example_of_the_guide_runs(guide, tmp_path, shim):
    text = (REPO / guide).read_text(encoding="utf-8")
    assert commands(Block("sh", "\n".join(b.text for b in blocks(text) if b.lang == "sh"), 0)), guide
    skipped = run_document(guide, text, tmp_path, shim)
    assert not skipped, skipped


def test_guides_write_their_commands_in_sh_blocks():
    for guide in GUIDES:
        for block in blocks((REPO / guide).read_text(encoding="utf-8")):
            if block.lang in ("", "bash", "shell", "console"):
                assert not block.text.strip(), f"{guide}:{block.line}: write commands in ```sh blocks"


@pytest.fixture(scope="module")
def readme_workspace(tmp_path_factory, shim) -> Path:
    """The shipped project under Git, tagged v1.0 then edited, and the README's placeholders."""
    from report.build import build
    from report.scaffold import new_project

    work = tmp_path_factory.mktemp("readme")
    root = copy_shipped_project(work / "shipped")
    shutil.copytree(REPO / "locales", root / "locales")
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    git = ["git", "-C", str(root)]
    subprocess.run(git + ["init", "-q"], check=True, env=shim)
    subprocess.run(git + ["add", "-A"], check=True, env=shim)
    subprocess.run(git + ["commit", "-q", "-m", "v1.0"], check=True, env=shim)
    subprocess.run(git + ["tag", "v1.0"], check=True, env=shim)
    build(root, ("html",))
    (root / "release").mkdir()
    shutil.copytree(root / "build" / "en", root / "release" / "en")
    shutil.rmtree(root / "build")
    section = root / "sections" / "02-first-karabakh-war.md"
    section.write_text(section.read_text(encoding="utf-8").replace("numerous reports", "many reports", 1),
                       encoding="utf-8")
    subprocess.run(git + ["commit", "-q", "-a", "-m", "an edit"], check=True, env=shim)
    another = new_project(root / "path" / "to" / "another" / "report") and root / "path/to/another/report"
    docx = build(another, ("docx",)).out_dir / "report.docx"
    shutil.copy(docx, root / "last-report.docx")
    (root / "reviewed.docx").write_bytes(_reviewed(root, work / "sent"))
    return root


def _reviewed(root: Path, scratch: Path) -> bytes:
    """The README's reviewed.docx: the DOCX of the sources as they are, as a reviewer sends
    it back from Word (a tracked change, a comment)."""
    from report.build import build
    from tests.review.word_edits import WordPackage, comment, replace

    def placeholders(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder) == root and (n in ("build", "release", "path", ".git")
                                                             or n.endswith(".docx"))]

    shutil.copytree(root, scratch, ignore=placeholders)
    package = WordPackage((build(scratch, ("docx",)).out_dir / "report.docx").read_bytes())
    replace(package.document, "killed", "executed", "Reviewer A", split_at=3)
    comment(package.document, package.comments, "A September 1992 report", "white flag", "Reviewer A",
            "Source for this date?")
    return package.save()


def test_the_readme_command_examples_run(readme_workspace, shim):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    skipped = run_document("README.md", text, readme_workspace, shim, README_STATUS, fresh_cwd=True,
                           skip_prefixes=README_SKIP)
    assert len(skipped) <= 1, skipped  # only the set-up scripts' block
