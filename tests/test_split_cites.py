"""Cites rendered by forked helpers (report.transforms.split) are the cites one process
renders: the same texts, the same first error, and a helper that dies costs nothing
but time."""

from __future__ import annotations

import os
import threading

import pytest

from report import model as m
from report.build import load
from report.diagnostics import error
from report.errors import ReportError
from report.transforms import csl, split
from tests.conftest import copy_shipped_project

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="helpers are forked")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return copy_shipped_project(tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def forks(monkeypatch):
    """The shipped report's 16 cites in stretches of 4, and a count of the forks made."""
    monkeypatch.setattr(split, "MIN_STRETCH", 4)
    made = []
    fork, parent = os.fork, os.getpid()

    def counted():
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    assert os.getpid() == parent
    return made


def notes(root, helpers=0):
    return m.to_data(load(root, helpers=helpers).document)


def test_helpers_render_the_same_notes_as_one_process(shipped, forks):
    alone = notes(shipped)
    assert forks == []
    assert notes(shipped, helpers=2) == alone
    assert len(forks) == 2


def test_the_first_failing_cite_in_reading_order_is_reported(shipped, forks, monkeypatch):
    """A cite the style fails on in a helper's stretch is CIT010 at that cite, as when
    one process renders them all."""
    target = _items(load(shipped).source)[-1].location  # the last cite: a helper's
    original = csl.CslEngine.cite_text

    def failing(self, item, position, near_note):
        if item.location == target:
            raise ReportError(error("CIT010", f"the citation style failed on '{item.key}': boom", item.location))
        return original(self, item, position, near_note)

    monkeypatch.setattr(csl.CslEngine, "cite_text", failing)
    with pytest.raises(ReportError) as alone:
        load(shipped)
    with pytest.raises(ReportError) as helped:
        load(shipped, helpers=2)
    assert len(forks) == 2
    assert helped.value.diagnostics == alone.value.diagnostics
    assert [(d.code, d.location) for d in helped.value.diagnostics] == [("CIT010", target)]


def _items(document):
    found = []

    def visit(inlines):
        for node in inlines:
            if isinstance(node, m.Citation):
                found.extend(node.items)
            elif hasattr(node, "children"):
                visit(node.children)

    for section in document.sections:
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                visit(inlines)
    return found


def test_a_helper_that_dies_leaves_its_cites_to_this_process(shipped, forks, monkeypatch):
    alone = notes(shipped)
    parent = os.getpid()
    original = csl.CslEngine.register

    def dying(self, item):
        if os.getpid() != parent:
            os._exit(9)  # killed before it answered
        return original(self, item)

    monkeypatch.setattr(csl.CslEngine, "register", dying)
    assert notes(shipped, helpers=2) == alone
    assert len(forks) == 2


def test_no_helper_is_forked_beside_another_thread(shipped, forks):
    """A fork copies only the forking thread: a lock another thread held (report serve's
    server, its watcher) would stay held in the helper forever."""
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        assert notes(shipped, helpers=2) == notes(shipped)
    finally:
        done.set()
        other.join()
    assert forks == []


def test_a_numeric_styles_numbers_count_the_keys_cited_before_a_helpers_stretch(shipped, forks, tmp_path):
    """In a numeric style a cite's text is the number of its key among the keys cited so
    far: a helper registers the keys before its stretch to number them alike."""
    import shutil

    root = tmp_path / "numeric"
    shutil.copytree(shipped, root)
    config = root / "report.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text("\n".join("citation-style: ieee" if line.startswith("citation-style:") else line
                                for line in text.splitlines()) + "\n", encoding="utf-8")
    alone = [m.plain_text(note.children) for note in load(root).document.footnotes()]
    assert any("[9]" in text for text in alone)  # numbered by first citation
    assert [m.plain_text(note.children) for note in load(root, helpers=2).document.footnotes()] == alone
    assert len(forks) == 2


def no_children_left() -> bool:
    """No child of this process, running or a zombie (os.waitpid answers for both)."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_of_two_failing_cites_in_different_stretches_the_first_is_reported(shipped, forks, monkeypatch):
    items = _items(load(shipped).source)
    second, last = items[5].location, items[-1].location  # in the 2nd and the 3rd of three stretches
    original = csl.CslEngine.cite_text

    def failing(self, item, position, near_note):
        if item.location in (second, last):
            raise ReportError(error("CIT010", f"the citation style failed on '{item.key}': boom", item.location))
        return original(self, item, position, near_note)

    monkeypatch.setattr(csl.CslEngine, "cite_text", failing)
    with pytest.raises(ReportError) as helped:
        load(shipped, helpers=2)
    assert len(forks) == 2
    assert [d.location for d in helped.value.diagnostics] == [second]
    assert no_children_left()


def test_a_helper_that_cannot_be_forked_leaves_its_cites_to_this_process(shipped, monkeypatch):
    """No process left (EAGAIN in a container): the cites are rendered here, no error."""
    monkeypatch.setattr(split, "MIN_STRETCH", 4)
    alone = notes(shipped)
    fork, made = os.fork, []

    def second_fails():
        if made:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", second_fails)
    assert notes(shipped, helpers=2) == alone
    assert len(made) == 1
    assert no_children_left()


def test_an_interrupted_build_stops_and_reaps_its_helpers(shipped, forks, monkeypatch):
    """Ctrl-C while this process renders its own stretch: the helpers (which leave Ctrl-C
    to it) are stopped and reaped, none is left running or a zombie."""
    items = _items(load(shipped).source)
    parent = os.getpid()
    original = csl.CslEngine.cite_text

    def interrupted(self, item, position, near_note):
        if os.getpid() == parent and item.location == items[2].location:
            raise KeyboardInterrupt
        return original(self, item, position, near_note)

    monkeypatch.setattr(csl.CslEngine, "cite_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load(shipped, helpers=2)
    assert len(forks) == 2
    assert no_children_left()
