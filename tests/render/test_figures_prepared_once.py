"""A build prepares each image once (report.render.figures.prepare_images, called by
run.hand_over): a PDF worker gets its document before the photographs (JPEG) are made,
which this process then makes while the worker lays the pages out; other images (and
all of them for a DOCX worker) are made before. The formats rendered here take them
from this process, the worker's from the cache folder."""

from __future__ import annotations

import pytest

from report import images
from report import model as m
from report.build import build_timestamp, load
from report.render.base import RenderContext
from report.render.figures import figure_images, printed_width_in
from report.render.run import hand_over, start_rendering
from tests.conftest import write_project
from tests.render.figure_support import figure_files


class _Worker:
    """Stands for the PDF (or DOCX) worker: notes which images the cache folder held
    when it got its document."""

    lays_out_photographs_first = True  # as a build's one RenderWorker

    def __init__(self, fmt="pdf"):
        self.format = fmt
        self.kept_at_submit = None

    def submit(self, document, context, live):
        self.kept_at_submit = [images.is_kept(f.digest, printed_width_in(f.width)) for f in _figures(document)]

    def result(self, context):
        return None, []


def _figures(document) -> list[m.Figure]:
    return [b for s in document.sections for b in m.walk_blocks(s.blocks) if isinstance(b, m.Figure)]


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    images._MEMORY.clear()
    yield load(write_project(tmp_path / "project", figure_files()))
    images._MEMORY.clear()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_each_image_is_prepared_once_and_a_pdf_worker_does_not_wait_for_photographs(loaded, monkeypatch, fmt):
    made = []
    real_make = images._make

    def counting_make(data, fmt, target_px):
        made.append((fmt, target_px))
        return real_make(data, fmt, target_px)

    monkeypatch.setattr(images, "_make", counting_make)
    document, config = loaded.document, loaded.project.config
    context = RenderContext(config, build_timestamp(config))
    worker = _Worker(fmt)
    hand_over(worker, document, context, ("pdf", "docx", "html"))
    # Four figures, three images at three widths (the PNG twice at its own size).
    kinds = [f.src.rsplit(".", 1)[1] for f in _figures(document)]
    assert kinds == ["jpg", "png", "jpg", "png"]
    # The PDF worker lays the photographs out by their size: it does not wait for them.
    assert worker.kept_at_submit == ([False, True, False, True] if fmt == "pdf" else [True] * 4)
    assert [images.is_kept(f.digest, printed_width_in(f.width)) for f in _figures(document)] == [True] * 4
    assert sorted(made) == sorted([("jpeg", 1134), ("jpeg", 1512), ("png", 1890)])
    outputs, problems, _ = start_rendering(document, context, ("pdf", "docx", "html"), worker=worker)
    assert set(outputs) == {"report.pdf", "report.docx", "report.html"} - {f"report.{fmt}"} and problems == []
    assert len(made) == 3  # the DOCX and HTML took them from this process

    # The worker, a process of its own, finds each in the cache folder.
    images._MEMORY.clear()
    monkeypatch.setattr(images, "_make", lambda *a: pytest.fail("prepared again"))
    image = figure_images(context)
    assert [image(f).mime for f in _figures(document)] == ["image/jpeg", "image/png", "image/jpeg", "image/png"]


def test_a_build_without_a_worker_prepares_nothing_ahead(loaded, monkeypatch):
    """Without a worker (one core, or no format rendered elsewhere) the renderers
    prepare the images as they need them, as before."""
    monkeypatch.setattr(images, "_make", lambda *a: pytest.fail("prepared ahead"))
    config = loaded.project.config
    hand_over(None, loaded.document, RenderContext(config, build_timestamp(config)), ("html",))


def test_a_pool_worker_gets_its_photographs_made_first(loaded):
    """The languages of an --all-locales build keep every core busy: their PDFs get the
    photographs made before, on every core, not beside the layout."""
    document, config = loaded.document, loaded.project.config

    class PoolJob(_Worker):
        lays_out_photographs_first = False

    job = PoolJob()
    hand_over(job, document, RenderContext(config, build_timestamp(config)), ("pdf", "html"))
    assert job.kept_at_submit == [True] * 4
