"""Arrays to small embedded pictures: thumbnails, previews, full-size PNGs and heat maps.

Everything becomes a ``data:`` URI so the report is one file that works
offline. Each picture takes the smallest of a few encodings: JPEG or lossy
WebP for thumbnails and previews, PNG or lossless WebP (about a third
smaller for photographs) where every pixel must stay exact, so a learner can
zoom in on the pixels of an unfinished task.
"""
from __future__ import annotations

import base64
import contextlib
import contextvars
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2
import numpy as np

THUMB_SIDE = 144  # px: four side by side fit a phone in landscape and a laptop column
PREVIEW_SIDE = 480  # px: what a passed task's picture opens to
FULL_SIDE = 1024  # px: larger learner output is scaled down (and says so)
JPEG_QUALITY = 82
# Encoded pictures kept for reuse: a class graded in one batch shows the same inputs and expected
# pictures (and every correct answer) in each learner's report, and encoding is the report's main cost.
ENCODED_CACHE_BYTES = 96 * 2**20


@dataclass
class Encoded:
    uri: str
    width: int
    height: int
    bytes: int
    note: str = ""  # e.g. "scaled from 4000x3000"


def displayable(array, *, rgb: bool = False) -> np.ndarray | None:
    """A uint8 picture OpenCV can encode (gray, BGR or BGRA), or None when it is not a picture.

    ``rgb``: the array holds colour in RGB order (most arrays in the course are BGR, as cv2.imread gives).
    """
    if not isinstance(array, np.ndarray) or array.ndim not in (2, 3) or array.size == 0:
        return None
    a = array
    if a.ndim == 3:
        if a.shape[2] == 1:
            a = a[:, :, 0]
        elif a.shape[2] not in (3, 4):
            a = a[:, :, 0]  # not a colour picture: show its first plane
    if min(a.shape[:2]) < 1:
        return None
    a = _to_uint8(a)
    if a.ndim == 3 and rgb:
        a = cv2.cvtColor(a, cv2.COLOR_RGB2BGR if a.shape[2] == 3 else cv2.COLOR_RGBA2BGRA)
    return np.ascontiguousarray(a)


def _to_uint8(a: np.ndarray) -> np.ndarray:
    if a.dtype == np.uint8:
        return a
    if a.dtype == np.bool_:
        return a.astype(np.uint8) * 255
    f = a.astype(np.float64)
    finite = np.isfinite(f)
    if not finite.any():
        return np.zeros(a.shape, np.uint8)
    f = np.where(finite, f, 0.0)
    lo, hi = float(f.min()), float(f.max())
    if np.issubdtype(a.dtype, np.floating) and lo >= 0 and hi <= 1:
        return np.round(f * 255).astype(np.uint8)
    if lo >= 0 and hi <= 255:
        return np.round(f).astype(np.uint8)
    if hi == lo:
        return np.zeros(a.shape, np.uint8)
    return np.round((f - lo) / (hi - lo) * 255).astype(np.uint8)


def heat(array, *, kind: str) -> tuple:
    """A colour heat map of where two pictures differ: ``(bgr_uint8, caption)``.

    ``kind`` "ssim": the local SSIM map (1 means alike); anything else: absolute differences.
    The scale is stretched so the largest difference is the brightest colour (cividis,
    which reads the same for every kind of colour vision). A map of 0s and 1s (pixels
    that differ or not) is captioned with how many pixels differ.
    """
    m = np.asarray(array, dtype=np.float64)
    if m.ndim == 3:
        m = m.max(axis=2)
    m = np.where(np.isfinite(m), m, 0.0)
    if kind == "ssim":
        m = np.clip((1.0 - m) / 2.0, 0.0, 1.0)
    else:
        m = np.abs(m)
    top = float(m.max()) if m.size else 0.0
    binary = kind != "ssim" and bool(np.isin(m, (0.0, 1.0)).all())
    if top <= 0:
        caption = "no difference anywhere"
        scaled = np.zeros(m.shape, np.uint8)
    else:
        scaled = np.round(m / top * 255).astype(np.uint8)
        if kind == "ssim":
            caption = "brightest where the local SSIM is lowest"
        elif binary:
            caption = f"bright where they differ ({_pixels(int(np.count_nonzero(m)))})"
        else:
            caption = f"brightest where they differ most ({_num(top)})"
    return cv2.applyColorMap(scaled, cv2.COLORMAP_CIVIDIS), caption


# Okabe-Ito orange and blue (BGR): told apart with every kind of colour vision, and from the black background.
MISSED_BGR = (0, 159, 230)
EXTRA_BGR = (178, 114, 0)


def misses_and_extras(missed, extra) -> tuple:
    """Both ways a mark map (edges, a mask) can be wrong, in one picture: ``(bgr_uint8, caption)``.

    ``missed``: where the reference marks a pixel and the answer does not (drawn orange);
    ``extra``: where the answer marks a pixel the reference does not (drawn blue). Both are
    2-D arrays of the same shape, non-zero where true.
    """
    a = np.asarray(missed)
    b = np.asarray(extra)
    a = (a.max(axis=2) if a.ndim == 3 else a) != 0
    b = (b.max(axis=2) if b.ndim == 3 else b) != 0
    out = np.zeros(a.shape + (3,), np.uint8)
    out[a] = MISSED_BGR
    out[b] = EXTRA_BGR
    n_missed, n_extra = int(np.count_nonzero(a)), int(np.count_nonzero(b))
    if not n_missed and not n_extra:
        return out, "nothing missed and nothing extra"
    return out, f"orange: {_pixels(n_missed)} missed · blue: {_pixels(n_extra)} extra"


def _pixels(n: int) -> str:
    return f"{n:,} pixel" + ("" if n == 1 else "s")


def _num(x: float) -> str:
    return f"{x:g}" if x >= 1 else f"{x:.3f}"


def digest(image: np.ndarray) -> str:
    """SHA-256 of a picture's pixels, shape and dtype (hex): what its encodings are remembered under."""
    h = hashlib.sha256(f"{image.shape}|{image.dtype.str}|".encode())
    h.update(np.ascontiguousarray(image).data)
    return h.hexdigest()


def fingerprint(image: np.ndarray) -> str:
    """A short name for a picture's content (an anchor in the page)."""
    return digest(image)[:12]


def thumbnail(image: np.ndarray, *, key: str | None = None) -> Encoded:
    """``image`` scaled to fit THUMB_SIDE, lossy where that is much smaller. ``key``: its :func:`digest`, if known."""
    return _encode(image, THUMB_SIDE, lossless=False, key=key)


def preview(image: np.ndarray, *, key: str | None = None) -> Encoded:
    return _encode(image, PREVIEW_SIDE, lossless=False, key=key)


def full(image: np.ndarray, *, key: str | None = None) -> Encoded:
    return _encode(image, FULL_SIDE, lossless=True, key=key)


def _fit(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape[:2]
    if max(h, w) <= side:
        return image
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


_cache: OrderedDict = OrderedDict()
_cache_bytes = [0]
_cache_lock = threading.Lock()
# The cache file kept between runs (see picture_cache), while a report is being drawn with one.
_kept: contextvars.ContextVar = contextvars.ContextVar("pixelkata_picture_cache", default=None)
PNG_LEVEL = 1
# What else an encoding depends on: a change to any of these makes every key new.
_SETTINGS = f"png{PNG_LEVEL}-jpeg{JPEG_QUALITY}-opencv{cv2.__version__}"


@contextlib.contextmanager
def kept_in(cache):
    """Look pictures up in, and add them to, ``cache`` (a PictureCache, or None) while drawing a report."""
    token = _kept.set(cache)
    try:
        yield cache
    finally:
        _kept.reset(token)


def content_key(image: np.ndarray, side: int, *, lossless: bool, key: str | None = None) -> str:
    """What an encoding of ``image`` fitted to ``side`` px is remembered under: the picture's
    :func:`digest` (``key``, when already known), the size it is drawn at, and the encoding settings."""
    scaled = max(image.shape[:2]) > side
    return hashlib.sha256(f"{key or digest(image)}|{f'fit{side}' if scaled else 'as-is'}|{lossless}|"
                          f"{_SETTINGS}".encode()).hexdigest()


def _encode(image: np.ndarray, side: int, *, lossless: bool, key: str | None = None) -> Encoded:
    """``image`` fitted to ``side`` and encoded by ``_encode_new``, remembered by content: in this process
    up to ENCODED_CACHE_BYTES (least recently used out first), and between runs in the cache file a
    report is drawn with (:func:`kept_in`). Nothing is scaled or encoded for a picture found in either.

    Encoded results are never changed, so sharing them is safe.
    """
    key = content_key(image, side, lossless=lossless, key=key)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    kept = _kept.get()
    if hit is not None:
        if kept is not None:
            kept.get(key)  # still in use: keep it in the file too
        return hit
    stored = kept.get(key) if kept is not None else None
    if stored is not None:
        uri, w, h = stored
        encoded = Encoded(uri=uri, width=w, height=h, bytes=len(uri), note=_note((h, w), image.shape))
    else:
        encoded = _encode_new(_fit(image, side), lossless=lossless, original=image.shape)
        if kept is not None:
            kept.put(key, encoded.uri, encoded.width, encoded.height)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = encoded
            _cache_bytes[0] += encoded.bytes
        while _cache_bytes[0] > ENCODED_CACHE_BYTES and _cache:
            _cache_bytes[0] -= _cache.popitem(last=False)[1].bytes
    return encoded


def _note(shape, original) -> str:
    h, w = shape[:2]
    if original is not None and tuple(original[:2]) != (h, w):
        return f"scaled from {original[1]}x{original[0]}"
    return ""


# A lossy picture at least this large whose pixels mostly differ from their neighbours (a photograph,
# noise, a smooth gradient) always comes out smaller as JPEG than as PNG, so its PNG is not made.
BUSY_PIXELS = 128 * 128
BUSY_SAME = 0.2  # at most this share of pixels equal to their left neighbour


def busy(image: np.ndarray) -> bool:
    """Whether ``image`` (uint8, 2-D or 3-D) is large and has almost no runs of equal pixels."""
    h, w = image.shape[:2]
    if h * w < BUSY_PIXELS or w < 2:
        return False
    same = image[:, 1:] == image[:, :-1]
    if same.ndim == 3:
        same = same.all(axis=2)
    return float(np.count_nonzero(same)) < BUSY_SAME * same.size


def _encode_new(image: np.ndarray, *, lossless: bool, original=None) -> Encoded:
    jpeg_able = not lossless and (image.ndim == 2 or image.shape[2] == 3)
    if jpeg_able and busy(image):
        ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if ok:
            return _encoded(buf.tobytes(), "image/jpeg", image, original)
    # Compression level 1: about ten times faster than 9 for 5-30% more bytes; the
    # report is written on every grade, so its speed matters more than its size.
    ok, png = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, PNG_LEVEL])
    if not ok:  # pragma: no cover - OpenCV encodes any uint8 gray/BGR/BGRA picture
        raise ValueError("could not encode a picture as PNG")
    data, mime = png.tobytes(), "image/png"
    others = []
    if jpeg_able:
        # Lossy only where it clearly pays: flat drawings stay crisp PNG. (WebP would be
        # smaller still, but encodes several times slower than JPEG.)
        others.append((".jpg", [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY], "image/jpeg", 0.8))
    limit = len(data)
    for ext, params, kind, gain in others:
        try:
            ok, buf = cv2.imencode(ext, image, params)
        except cv2.error:  # an OpenCV build without this codec
            continue
        if ok and len(buf) < min(gain * len(png), limit):
            data, mime, limit = buf.tobytes(), kind, len(buf)
    return _encoded(data, mime, image, original)


def _encoded(data: bytes, mime: str, image: np.ndarray, original) -> Encoded:
    h, w = image.shape[:2]
    uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
    return Encoded(uri=uri, width=int(w), height=int(h), bytes=len(uri), note=_note(image.shape, original))
