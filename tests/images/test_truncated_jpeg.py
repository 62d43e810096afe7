"""A JPEG cut short and given its end marker again decodes without an error (libjpeg
fills the missing rows with grey and only warns): the scan's length against the
frame's block count finds it, and a whole file of any kind is never refused."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from report.images import ImageProblem
from report.images._sniff import jpeg_structure
from tests.images.support import picture


def _jpeg(img: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", **options)
    return out.getvalue()


OPTIONS = [{"quality": 80}, {"quality": 95, "progressive": True}, {"quality": 10}, {"quality": 80, "subsampling": 0}]


@pytest.mark.parametrize("options", OPTIONS)
def test_a_cut_scan_is_truncated_and_a_whole_one_is_not(options):
    data = _jpeg(picture((800, 600)), **options)
    assert jpeg_structure(data) == (800, 600)
    scan = data.index(b"\xff\xda")
    with pytest.raises(ImageProblem) as caught:
        jpeg_structure(data[:scan + 200] + b"\xff\xd9")
    assert caught.value.code == "IMG003" and "stops short" in str(caught.value)


@pytest.mark.parametrize("options", [{"quality": 95}, {"quality": 95, "progressive": True}, {"quality": 5}])
def test_the_smallest_whole_files_pass(options):
    # a flat grey photograph compresses to about one bit a block: the least a whole scan holds
    flat = _jpeg(Image.new("RGB", (4000, 3000), (128, 128, 128)), **options)
    assert jpeg_structure(flat) == (4000, 3000)
    noise = _jpeg(Image.frombytes("RGB", (640, 480), os.urandom(640 * 480 * 3)), **options)
    assert jpeg_structure(noise) == (640, 480)
