"""What a picture looks like, in a few numbers: light, colour, detail and composition (Pillow + numpy).

Every image is decoded to RGB at most WORK_SIZE pixels on its longest side (JPEGs are decoded at reduced
scale directly), after EXIF orientation; transparency is flattened on white, palette / CMYK / 16-bit
images are converted, an animated image is read at its first frame. An image with more than MAX_PIXELS
pixels is refused before decoding (a decompression bomb), and so is one that cannot be decoded at reduced
scale and would take more than DECODE_BUDGET decoded; only regular files are read (never a pipe). A file that
is not an image, or is cut off, raises ImageError whose str() is a sentence naming the file.
"""

from __future__ import annotations

import io
import json
import os
import stat
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

WORK_SIZE = 256
COMPOSITION_SIZE = 64
MAX_PIXELS = 64_000_000
# A picture that cannot be decoded at reduced scale (all but JPEG) is decoded whole, then shrunk: it may take
# at most this much memory decoded (Pillow keeps 1, 2 or 4 bytes a pixel), so a measure stays within 300 MB.
DECODE_BUDGET = 160 * 1024**2
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}  # 4 for the rest
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}
DOMINANT_COLOURS = 5
ORIENTATION_TAG = 0x0112

# The numbers a model and a similarity search use, in this order (see PixelFeatures for their meaning).
PIXEL_FEATURES = ("brightness", "saturation", "contrast", "colourfulness", "sharpness", "centre_weight",
                  "thirds_energy", "symmetry", "dominant_share", "warmth")
PIXEL_LABELS = {
    "brightness": "Brightness", "saturation": "Saturation", "contrast": "Contrast",
    "colourfulness": "Colourfulness", "sharpness": "Sharpness", "centre_weight": "Centred subject",
    "thirds_energy": "Rule of thirds", "symmetry": "Symmetry", "dominant_share": "One dominant colour",
    "warmth": "Warm colours",
}


class ImageError(ValueError):
    """An image that cannot be used; str() is a sentence naming the file."""


@dataclass(frozen=True)
class PixelFeatures:
    """Measured on the decoded picture (RGB, 0–255, longest side at most WORK_SIZE).

    brightness      mean luma, 0 (black) .. 1 (white)
    saturation      mean HSV saturation, 0 (grey) .. 1
    contrast        standard deviation of luma, 0 (flat) .. 0.5
    colourfulness   Hasler & Süsstrunk (2003) M on the 0–255 scale: ~0 grey, 33 moderately, 59 quite,
                    82 and more extremely colourful
    sharpness       log(1 + variance of the luma Laplacian): fine detail and focus
    centre_weight   how much the salient part (colours far from the picture's mean colour) sits near the
                    centre: 1 when spread evenly, above 1 centred, below 1 off-centre
    thirds_energy   the same for the four rule-of-thirds points
    symmetry        correlation of the luma with its left-right mirror, -1 .. 1 (1 symmetric)
    dominant_share  the share of the picture taken by its most common colour (median-cut palette)
    warmth          mean of red minus blue, -1 (cold) .. 1 (warm)
    dominant_colours  up to 5 (r, g, b, share), commonest first
    width, height   the full picture's size, upright
    frames          frames in the file (above 1 for an animation; the first was measured)
    """

    brightness: float
    saturation: float
    contrast: float
    colourfulness: float
    sharpness: float
    centre_weight: float
    thirds_energy: float
    symmetry: float
    dominant_share: float
    warmth: float
    dominant_colours: tuple[tuple[int, int, int, float], ...]
    width: int
    height: int
    frames: int = 1

    def vector(self) -> np.ndarray:
        """The PIXEL_FEATURES numbers, in that order."""
        return np.array([getattr(self, name) for name in PIXEL_FEATURES], dtype=float)

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in PIXEL_FEATURES}


ImageSource = bytes | str | Path


def _label(source: ImageSource, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, str | Path):
        return Path(source).name or str(source)
    return "The image"


def _open(source: ImageSource, label: str) -> Image.Image:
    try:
        if isinstance(source, bytes | bytearray | memoryview):
            if len(source) == 0:
                raise ImageError(f"{label} is empty (0 bytes), not an image.")
            return Image.open(io.BytesIO(bytes(source)))
        if not stat.S_ISREG(os.stat(source).st_mode):  # a named pipe would block the read for ever
            raise ImageError(f"{label} is not a regular file (a pipe, a device or a folder), so it was not read.")
        return Image.open(Path(source))
    except ImageError:
        raise
    except FileNotFoundError:
        raise ImageError(f"{label} does not exist.") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise ImageError(f"{label} cannot be read ({exc.strerror or type(exc).__name__}).") from None
    except Image.DecompressionBombError:
        raise ImageError(f"{label} claims more than {MAX_PIXELS // 1_000_000} million pixels and was refused "
                         "unread: it may be a decompression bomb.") from None
    except UnidentifiedImageError:
        raise ImageError(f"{label} is not an image Tessera can read (JPEG, PNG, GIF, WebP, TIFF or BMP).") \
            from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"{label} is damaged and cannot be read ({exc}).") from None


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ORIENTATION_TAG, 1))
    except Exception:  # a broken EXIF block: measure the picture as stored
        return 1


def _shrunk(image: Image.Image, size: int) -> Image.Image:
    """The decoded picture at no more than twice `size` (box-averaged; palette and 1-bit pictures sampled)."""
    factor = max(image.size) // (2 * size)
    if factor < 2:
        return image
    if image.mode in ("1", "P") or image.mode.startswith("I;16"):
        target = (max(1, image.width // factor), max(1, image.height // factor))
        method = Image.Resampling.NEAREST if image.mode in ("1", "P") else Image.Resampling.BOX
        return image.resize(target, method)
    return image.reduce(factor)


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB 8-bit from any mode: 16-bit and float greys scaled, transparency flattened on white."""
    mode = image.mode
    if mode.startswith("I") or mode == "F":
        values = np.asarray(image, dtype=np.float64)
        if mode.startswith("I;16"):
            top = 65535.0
        elif mode == "F":
            top = 1.0 if values.size and np.nanmax(values) <= 1.0 else max(float(np.nanmax(values)), 1.0)
        else:  # 32-bit "I": 16-bit PNGs open this way; 8-bit values stay as they are
            top = 65535.0 if values.size and values.max() > 255 else 255.0
        grey = np.clip(np.nan_to_num(values) / top * 255.0, 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB")
    if "A" in mode or "a" in mode or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(flat, rgba).convert("RGB")
    return image.convert("RGB")


def load(source: ImageSource, name: str | None = None, size: int = WORK_SIZE) -> tuple[Image.Image, dict]:
    """The picture as upright RGB with its longest side at most `size`, and {width, height, frames}."""
    label = _label(source, name)
    image = _open(source, label)
    try:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageError(f"{label} is {width:,} × {height:,} pixels, more than the "
                             f"{MAX_PIXELS // 1_000_000} million Tessera decodes; it was refused unread "
                             "(it may be a decompression bomb).")
        frames = int(getattr(image, "n_frames", 1) or 1)
        orientation = _orientation(image)
        upright = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
        if image.format == "JPEG":
            image.draft(None, (size, size))  # decode at 1/2, 1/4 or 1/8 scale: much faster
        elif width * height * _PIXEL_BYTES.get(image.mode, 4) > DECODE_BUDGET:
            raise ImageError(f"{label} is {width:,} × {height:,} pixels, too large for Tessera to decode whole; "
                             "save it smaller (Instagram shows pictures at most 1,440 pixels across).")
        try:
            image.load()
            small = _shrunk(image, size)
        except ImageError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageError(f"{label} is truncated or damaged and cannot be decoded ({exc}).") from None
        if orientation in _UPRIGHT:
            small = small.transpose(_UPRIGHT[orientation])
        rgb = _to_rgb(small)
        rgb.thumbnail((size, size), Image.Resampling.BILINEAR)
        return rgb, {"width": upright[0], "height": upright[1], "frames": frames}
    finally:
        image.close()


def _composition_weights(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = shape
    y = (np.arange(rows) + 0.5)[:, None] / rows
    x = (np.arange(cols) + 0.5)[None, :] / cols
    centre = np.exp(-((x - 0.5) ** 2 + (y - 0.5) ** 2) / (2 * 0.15**2))
    thirds = np.zeros(shape)
    for px in (1 / 3, 2 / 3):
        for py in (1 / 3, 2 / 3):
            thirds = np.maximum(thirds, np.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * 0.07**2)))
    return centre, thirds


_CENTRE, _THIRDS = _composition_weights((COMPOSITION_SIZE, COMPOSITION_SIZE))


def _concentration(saliency: np.ndarray, weights: np.ndarray) -> float:
    """Mean weight under the saliency, over the mean weight of the frame (1 = no preference)."""
    total = saliency.sum()
    if total <= 1e-9:
        return 1.0
    return float((saliency * weights).sum() / total / weights.mean())


def measure_rgb(rgb: Image.Image, width: int | None = None, height: int | None = None,
                frames: int = 1) -> PixelFeatures:
    """The features of an RGB picture already at working size."""
    pixels = np.asarray(rgb, dtype=np.float64)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    luma = 0.299 * red + 0.587 * green + 0.114 * blue
    top = pixels.max(axis=2)
    saturation = np.where(top > 0, (top - pixels.min(axis=2)) / np.maximum(top, 1e-9), 0.0)
    rg, yb = red - green, 0.5 * (red + green) - blue
    colourfulness = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    if luma.shape[0] >= 3 and luma.shape[1] >= 3:
        laplacian = (4 * luma[1:-1, 1:-1] - luma[:-2, 1:-1] - luma[2:, 1:-1]
                     - luma[1:-1, :-2] - luma[1:-1, 2:])
        sharpness = float(np.log1p(laplacian.var()))
    else:
        sharpness = 0.0

    small = rgb.resize((COMPOSITION_SIZE, COMPOSITION_SIZE), Image.Resampling.BOX)
    grid = np.asarray(small, dtype=np.float64)
    saliency = np.sqrt(((grid - grid.reshape(-1, 3).mean(axis=0)) ** 2).sum(axis=2))
    mirrored = luma[:, ::-1]
    spread = luma.std() ** 2
    centred_luma = luma - luma.mean()
    symmetry = 1.0 if spread < 1e-9 else float((centred_luma * (mirrored - luma.mean())).mean() / spread)

    palette_image = small.quantize(colors=DOMINANT_COLOURS, method=Image.Quantize.MEDIANCUT)
    counts = np.bincount(np.asarray(palette_image).ravel(), minlength=DOMINANT_COLOURS)
    palette = (palette_image.getpalette() or [])[: 3 * len(counts)]
    shares = counts / counts.sum()
    order = [i for i in np.argsort(-counts, kind="stable") if counts[i] > 0]
    dominant = tuple((int(palette[3 * i]), int(palette[3 * i + 1]), int(palette[3 * i + 2]),
                      round(float(shares[i]), 4)) for i in order if 3 * i + 2 < len(palette))
    return PixelFeatures(
        brightness=float(luma.mean() / 255), saturation=float(saturation.mean()),
        contrast=float(luma.std() / 255), colourfulness=float(colourfulness), sharpness=sharpness,
        centre_weight=_concentration(saliency, _CENTRE), thirds_energy=_concentration(saliency, _THIRDS),
        symmetry=symmetry, dominant_share=float(dominant[0][3]) if dominant else 1.0,
        warmth=float((red - blue).mean() / 255), dominant_colours=dominant,
        width=int(width or rgb.width), height=int(height or rgb.height), frames=frames)


def measure(source: ImageSource, name: str | None = None) -> PixelFeatures:
    """The features of an image file (path) or its bytes; ImageError when it cannot be used."""
    rgb, info = load(source, name)
    return measure_rgb(rgb, **info)


def measure_many(sources: Sequence[ImageSource], names: Sequence[str] | None = None
                 ) -> list[PixelFeatures | ImageError]:
    """measure() for each source; a bad one gives its ImageError in its place instead of stopping the rest."""
    out: list[PixelFeatures | ImageError] = []
    for i, source in enumerate(sources):
        try:
            out.append(measure(source, names[i] if names else None))
        except ImageError as exc:
            out.append(exc)
    return out


# --- pixel features of stored posts, cached per world ------------------------------------------------------


class PixelCache:
    """Pixel vectors of image files, kept in a JSON file and reused while the file is unchanged.

    Each entry is the PIXEL_FEATURES vector followed by the dominant colour (r, g, b in 0..1), or null for
    a file that is not a usable image (so it is not decoded again)."""

    VERSION = 1

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list] = {}
        self._dirty = False
        self._lock = threading.Lock()  # the tab may predict on two worker threads at once
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == self.VERSION:
                    self.entries = data.get("entries", {})
            except (OSError, ValueError, AttributeError):
                self.entries = {}

    @staticmethod
    def _stamp(file: str) -> str | None:
        try:
            stat = os.stat(file)
        except OSError:
            return None
        return f"{stat.st_size}:{stat.st_mtime_ns}"

    @staticmethod
    def similarity_vector(features: PixelFeatures) -> list[float]:
        r, g, b, _share = features.dominant_colours[0] if features.dominant_colours else (0, 0, 0, 1.0)
        return [*features.vector().tolist(), r / 255, g / 255, b / 255]

    def vector(self, file: str | Path | None) -> np.ndarray | None:
        """The cached or freshly measured vector of an image file; None when missing or unusable."""
        if not isinstance(file, str | Path) or not str(file):
            return None
        file = str(file)
        stamp = self._stamp(file)
        if stamp is None:
            return None
        with self._lock:
            entry = self.entries.get(file)
        if entry is None or entry[0] != stamp:
            try:
                values = self.similarity_vector(measure(file))
            except ImageError:
                values = None
            entry = [stamp, values]
            with self._lock:
                self.entries[file] = entry
                self._dirty = True
        return None if entry[1] is None else np.asarray(entry[1], dtype=float)

    def vectors(self, files: Sequence[str | None], progress=None, cancel=None) -> list[np.ndarray | None]:
        out = []
        for i, file in enumerate(files):
            if cancel is not None and i % 64 == 0:
                cancel.check()
            if progress is not None and i % 64 == 0:
                progress(i, len(files))
            out.append(self.vector(file))
        return out

    def save(self) -> None:
        with self._lock:
            if self.path is None or not self._dirty:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps({"version": self.VERSION, "entries": self.entries}), encoding="utf-8")
            os.replace(tmp, self.path)
            self._dirty = False
