"""Synthetic photographs for the figure benchmark, made with Pillow alone and the same
bytes on every run: 4000 × 3000 JPEG at quality 95, 4–6 MB each, with the EXIF a camera
writes (make, model, serial number, capture time, a GPS position), so that a build reads
them as it reads an author's photographs: IMG010 warns, and the metadata is stripped.

The pixels are a colour gradient under large colour blobs, with a luminance texture of
ten octaves of noise of equal weight (from single pixels to blobs of 512 px): an
amplitude spectrum falling as 1/f, as natural images have, so that resampling keeps
about as much detail as it keeps of a photograph, where plain noise (all of it lost) or
a gradient alone (a few kilobytes) would make the resampled images too small or too
large. Each photograph is seeded by its number; :func:`make_photos` checks the size.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageOps, TiffImagePlugin

SIZE = (4000, 3000)
QUALITY = 95
TEXTURE = 0.55  # the weight of the luminance texture: 5.0–5.4 MB at quality 95
SIZE_RANGE = (4_000_000, 6_000_000)


def _octaves(rng: random.Random, mode: str, scales) -> Image.Image:
    """The mean of noise layers drawn at 1/2**k of the full size and enlarged to it, one
    per k in ``scales``, stretched to the full range of levels."""
    width, height = SIZE
    texture = None
    for i, k in enumerate(scales):
        size = (max(2, width >> k), max(2, height >> k))
        layer = Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))
        if size != SIZE:
            layer = layer.resize(SIZE, Image.Resampling.BICUBIC)
        texture = layer if texture is None else Image.blend(texture, layer, 1 / (i + 1))
    return ImageOps.autocontrast(texture)


def _exif(n: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS 5D"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "N", "E"
    gps[2] = tuple(TiffImagePlugin.IFDRational(v, d) for v, d in ((40, 1), (22, 1), (4044 + n, 100)))
    gps[4] = tuple(TiffImagePlugin.IFDRational(v, d) for v, d in ((49, 1), (53, 1), (312 + n, 10)))
    ifd = exif.get_ifd(0x8769)
    ifd[0xA431], ifd[0x9003] = f"SN-{100000 + n}", f"2024:03:{1 + n % 28:02d} 10:22:33"
    return exif


def photo(n: int) -> bytes:
    """Photograph number ``n`` as JPEG bytes."""
    rng = random.Random(n)
    gradient = Image.linear_gradient("L").resize(SIZE, Image.Resampling.BILINEAR)
    if n % 2:
        gradient = gradient.transpose(Image.Transpose.ROTATE_180)
    top = tuple(rng.randrange(90, 230) for _ in range(3))
    bottom = tuple(rng.randrange(30, 150) for _ in range(3))
    base = Image.blend(ImageOps.colorize(gradient, top, bottom), _octaves(rng, "RGB", range(6, 10)), 0.45)
    luminance = _octaves(rng, "L", range(10))
    texture = ImageChops.overlay(base, Image.merge("RGB", (luminance,) * 3))
    out = io.BytesIO()
    Image.blend(base, texture, TEXTURE).save(out, "JPEG", quality=QUALITY, exif=_exif(n))
    return out.getvalue()


def _write(args: tuple[int, str]) -> int:
    n, path = args
    data = photo(n)
    Path(path).write_bytes(data)
    return len(data)


def make_photos(folder: Path, count: int) -> list[Path]:
    """``p01.jpg`` … in ``folder`` (made on every core), each checked to be 4–6 MB."""
    from concurrent.futures import ProcessPoolExecutor

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"p{n:02d}.jpg" for n in range(1, count + 1)]
    with ProcessPoolExecutor() as pool:
        sizes = list(pool.map(_write, [(n, str(p)) for n, p in enumerate(paths, 1)]))
    outside = [f"{p.name}: {s / 1e6:.2f} MB" for p, s in zip(paths, sizes) if not SIZE_RANGE[0] <= s <= SIZE_RANGE[1]]
    if outside:
        raise SystemExit(f"synthetic photographs outside 4–6 MB: {', '.join(outside)}")
    return paths
