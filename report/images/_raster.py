"""PNG and JPEG: probe the container, and re-encode the pixels with no metadata.

``render`` decodes, applies the EXIF orientation, resamples (bicubic) down to a target
width, converts non-sRGB ICC colour to sRGB, and encodes again with fixed settings, so
the same input always gives the same bytes (for one Pillow, libjpeg and zlib).
"""

from __future__ import annotations

import io
import warnings

from PIL import Image

from . import _meta
from ._sniff import ImageProblem, check_size, jpeg_structure, png_size, problem_text

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without littlecms: profiles are dropped, not applied
    ImageCms = None

_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I;16"}  # what the PNG encoder writes


def _open(data: bytes, fmt: str) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=["PNG" if fmt == "png" else "JPEG"])


def probe(data: bytes, fmt: str) -> tuple[int, int, list[str]]:
    """Displayed width and height, and the findings, without decoding the pixels."""
    if fmt == "png":
        width, height = png_size(data)
        check_size(width, height)
        findings, exif = _meta.png_metadata(data)
    else:
        width, height = jpeg_structure(data)
        check_size(width, height)
        try:
            with warnings.catch_warnings():  # Pillow's bomb warning: MAX_PIXELS was applied
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                img = _open(data, fmt)
            exif = _meta.load_exif(img.info["exif"]) if img.info.get("exif") else None
            findings = _meta.jpeg_findings(img)
            width, height = img.size
        except Exception as exc:  # noqa: BLE001 - any decoder failure is a corrupt file
            raise ImageProblem("IMG003", f"corrupt image data: {problem_text(exc)}") from None
    if _meta.orientation(exif) >= 5:
        width, height = height, width
    return width, height, findings


def render(data: bytes, fmt: str, target_width: int | None) -> tuple[bytes, int, int]:
    """The re-encoded image (no metadata) and its pixel size; IMG003 when it cannot be decoded."""
    if fmt == "png":
        size = png_size(data)
        check_size(*size)
        exif = _meta.png_metadata(data)[1]
    else:
        size = jpeg_structure(data)
        check_size(*size)
    try:
        with warnings.catch_warnings():  # Pillow's bomb warning: MAX_PIXELS was applied
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = _open(data, fmt)
            if fmt == "jpeg":
                exif = _meta.load_exif(img.info["exif"]) if img.info.get("exif") else None
            img = _pixels(img, fmt, _meta.orientation(exif), target_width)
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a corrupt file
        raise ImageProblem("IMG003", f"corrupt or truncated image data: {problem_text(exc)}") from None
    out = io.BytesIO()
    if fmt == "jpeg":
        img.save(out, "JPEG", quality=85, optimize=True, progressive=False, subsampling=2)
    else:
        img.save(out, "PNG", optimize=False)
    return out.getvalue(), img.width, img.height


def resampled_size(shown_w: int, shown_h: int, target_width: int | None) -> tuple[int, int] | None:
    """The displayed size an image of ``shown_w`` × ``shown_h`` pixels is resampled to, or
    None when it is not wider than ``target_width`` (never upsampled)."""
    if target_width and shown_w > target_width:
        return target_width, max(1, round(shown_h * target_width / shown_w))
    return None


def jpeg_plan(data: bytes, target_width: int) -> tuple[int, int, str]:
    """The pixel size and mode ("L" or "RGB") that :func:`render` gives a JPEG, read from
    its header alone (nothing decoded): what the PDF lays the photograph out with before
    it is made (report.render.figures). IMG003 when the header cannot be read."""
    width, height = jpeg_structure(data)
    check_size(width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = _open(data, "jpeg")
        exif = _meta.load_exif(img.info["exif"]) if img.info.get("exif") else None
        mode, (width, height) = img.mode, img.size  # as render's decoder sees them
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a corrupt file
        raise ImageProblem("IMG003", f"corrupt image data: {problem_text(exc)}") from None
    shown_w, shown_h = (height, width) if _meta.orientation(exif) >= 5 else (width, height)
    shown = resampled_size(shown_w, shown_h, target_width) or (shown_w, shown_h)
    return shown[0], shown[1], "L" if mode == "L" else "RGB"


def _pixels(img: Image.Image, fmt: str, orientation: int, target_width: int | None) -> Image.Image:
    width, height = img.size
    swap = orientation >= 5
    shown_w, shown_h = (height, width) if swap else (width, height)
    icc = img.info.get("icc_profile")
    transparency = img.info.get("transparency")
    new_size = None
    shown = resampled_size(shown_w, shown_h, target_width)
    if shown is not None:
        new_size = shown[::-1] if swap else shown
        if fmt == "jpeg":
            img.draft(None, new_size)  # libjpeg's DCT scaling (1/2, 1/4, 1/8) first: faster
    img.load()
    if transparency is not None and img.mode != "P":
        img = img.convert("LA" if img.mode in ("1", "L") else "RGBA")  # the colour key as alpha
        transparency = None
    if img.mode not in _PNG_MODES | {"CMYK"}:
        img = img.convert("RGBA" if "A" in img.mode else "RGB")
    if new_size:
        palette = img.mode == "P"
        if palette:
            alpha = transparency is not None or (img.palette and img.palette.mode == "RGBA")
            img = img.convert("RGBA" if alpha else "RGB")
            transparency = None
        elif img.mode == "1":
            img = img.convert("L")
        # Bicubic, not Lanczos: Pillow's filters are scaled to the reduction (no aliasing
        # either way), and after libjpeg's DCT scaling a photograph is reduced by less
        # than 2, where the two look alike at 300 dpi; bicubic takes 70 % of the time
        # (25 ms against 36 for a 4000 × 3000 photograph, a third of its preparation).
        img = img.resize(new_size, Image.Resampling.BICUBIC)
        if palette:
            method = Image.Quantize.FASTOCTREE if img.mode == "RGBA" else Image.Quantize.MEDIANCUT
            img = img.quantize(256, method=method)
    img = _to_srgb(img, icc)
    if orientation in _TRANSPOSE:
        img = img.transpose(_TRANSPOSE[orientation])
    if fmt == "jpeg" and img.mode not in ("L", "RGB"):
        img = img.convert("RGB")
    # Nothing of the source's info reaches the encoder (Pillow re-writes an ICC profile,
    # comment or EXIF from ``info``), except a palette image's transparency.
    img.info = {"transparency": transparency} if transparency is not None and img.mode == "P" else {}
    return img


_SRGB = []


def _to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """Pixels in sRGB: a non-sRGB RGB or CMYK profile is applied; CMYK becomes RGB."""
    if icc and ImageCms is not None and img.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = source.profile.xcolor_space.strip()
            described = (source.profile.profile_description or "").lower()
            if (space == "CMYK" and img.mode == "CMYK") or (space == "RGB" and img.mode != "CMYK"
                                                             and "srgb" not in described):
                if not _SRGB:
                    _SRGB.append(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")))
                return ImageCms.profileToProfile(img, source, _SRGB[0],
                                                 outputMode="RGBA" if img.mode == "RGBA" else "RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unreadable profile is dropped
    return img.convert("RGB") if img.mode == "CMYK" else img
