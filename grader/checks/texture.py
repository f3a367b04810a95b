"""Texture statistics: gray-level co-occurrence matrices (GLCM) and their properties.

Both checks compare numbers with a relative and an absolute tolerance, so a
GLCM counted with plain NumPy passes as well as scikit-image's. When the
numbers are off, the check names the classic mistake: the angles in another
order (or given in degrees), a matrix that is not symmetric or not normed,
or the wrong number of grey levels. It does so by rebuilding those wrong
versions from the case's input picture (the function's first argument) with
the small NumPy GLCM below, and seeing which one the answer matches.

Conventions are scikit-image's ``graycomatrix``: ``P[i, j, d, a]`` counts
pixels of level i whose neighbour at distance d and angle a has level j; the
neighbour of (row, col) at angle a is (row + round(sin a * d), col + round(cos a * d)),
so 0 is to the right, 45 degrees below right, 90 below and 135 below left.
"""
from __future__ import annotations

import numpy as np

from grader.checks import CaseContext, Check, CheckError, Verdict, case_param, describe, register

ANGLES = (0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4)
ANGLE_NAMES = ("0°", "45°", "90°", "135°")
PROPS = ("contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM")
RADIANS = "angles=[0, np.pi/4, np.pi/2, 3*np.pi/4]"

#: The causes a texture check's failure states, for the course's ``hints`` table (see :class:`grader.checks.Check`).
CAUSES = {
    "angle_order": "the four angles in another order than 0, 45, 90, 135 degrees",
    "degrees": "the angles given in degrees where graycomatrix takes radians",
    "levels": "the picture quantised to another number of grey levels (or not at all, or rounded)",
    "not_symmetric": "a matrix that is not symmetric (symmetric=True left out), normed or not",
    "not_normed": "a symmetric matrix of counts, not normed to sum to 1",
}


def quantize(image: np.ndarray, levels: int) -> np.ndarray:
    """The picture's 0..255 values mapped onto ``levels`` equal bins (image // 16 for 16 levels)."""
    return (image.astype(np.int64) * levels) // 256


def offsets(angles=ANGLES, distance: int = 1) -> list:
    return [(int(round(np.sin(a) * distance)), int(round(np.cos(a) * distance))) for a in angles]


def cooccurrence(q: np.ndarray, levels: int, *, angles=ANGLES, distance: int = 1, symmetric: bool = True,
                 normed: bool = True) -> np.ndarray:
    """The GLCM of a quantised picture, shaped (levels, levels, 1, len(angles)) as graycomatrix returns it."""
    q = np.asarray(q, np.int64)
    h, w = q.shape
    out = np.zeros((levels, levels, 1, len(angles)), np.float64)
    for k, (dr, dc) in enumerate(offsets(angles, distance)):
        r0, r1 = max(0, -dr), h - max(0, dr)
        c0, c1 = max(0, -dc), w - max(0, dc)
        a = q[r0:r1, c0:c1]
        b = q[r0 + dr:r1 + dr, c0 + dc:c1 + dc]
        counts = np.bincount((a * levels + b).ravel(), minlength=levels * levels).reshape(levels, levels)
        out[:, :, 0, k] = counts
    if symmetric:
        out = out + out.transpose(1, 0, 2, 3)
    if normed:
        sums = out.sum(axis=(0, 1), keepdims=True)
        out = out / np.where(sums == 0, 1, sums)
    return out


def properties(p: np.ndarray, *, normalise: bool = True) -> dict:
    """Contrast, dissimilarity, homogeneity, energy, correlation and ASM of each matrix, as graycoprops."""
    p = np.asarray(p, np.float64).reshape(p.shape[0], p.shape[1], -1)
    if normalise:
        sums = p.sum(axis=(0, 1), keepdims=True)
        p = p / np.where(sums == 0, 1, sums)
    n = p.shape[0]
    i, j = np.ogrid[0:n, 0:n]
    i, j = i[..., None].astype(np.float64), j[..., None].astype(np.float64)
    asm = (p ** 2).sum(axis=(0, 1))
    mu_i, mu_j = (i * p).sum(axis=(0, 1)), (j * p).sum(axis=(0, 1))
    sd_i = np.sqrt((p * (i - mu_i) ** 2).sum(axis=(0, 1)))
    sd_j = np.sqrt((p * (j - mu_j) ** 2).sum(axis=(0, 1)))
    cov = (p * (i - mu_i) * (j - mu_j)).sum(axis=(0, 1))
    flat = (sd_i < 1e-15) | (sd_j < 1e-15)
    corr = np.where(flat, 1.0, cov / np.where(flat, 1.0, sd_i * sd_j))
    return {"contrast": (p * (i - j) ** 2).sum(axis=(0, 1)),
            "dissimilarity": (p * np.abs(i - j)).sum(axis=(0, 1)),
            "homogeneity": (p / (1.0 + (i - j) ** 2)).sum(axis=(0, 1)),
            "energy": np.sqrt(asm), "correlation": corr, "ASM": asm}


def _tolerances(options: dict) -> tuple:
    try:
        return float(options.get("rtol", 1e-6)), float(options.get("atol", 1e-9))
    except (TypeError, ValueError):
        raise CheckError("rtol and atol must be numbers") from None


def _within(a: np.ndarray, e: np.ndarray, rtol: float, atol: float) -> bool:
    return a.shape == e.shape and bool(np.all(np.abs(a - e) <= atol + rtol * np.abs(e)))


def _angle_story(match: list) -> tuple[str, str] | None:
    """What a mapping of the learner's angle slices onto the expected ones says, if anything: its cause (one of
    :data:`CAUSES`) and its sentence."""
    n = len(match)
    if any(m is None for m in match) or match == list(range(n)):
        return None
    if len(set(match)) < n:
        dup = next(k for k in range(n) if match.index(match[k]) != k)
        return "degrees", (f"your matrix for {ANGLE_NAMES[dup]} is the one for {ANGLE_NAMES[match[dup]]}: were the "
                           f"angles given in degrees? graycomatrix takes radians: {RADIANS}.")
    order = ", ".join(ANGLE_NAMES[m] for m in match)
    return "angle_order", (f"your angles come in the order {order}: pass {RADIANS} in this order (45° pairs each "
                           "pixel with the one below and to the right).")


class _ToleranceCheck(Check):
    """Shared set-up of the texture checks: rtol/atol, and a worst error/tolerance ratio that passes at 1."""

    accepts = ("atol", "rtol")
    causes = CAUSES
    metric = "error/tolerance"
    op = "<="

    def __init__(self, options):
        super().__init__(options)
        self.rtol, self.atol = _tolerances(options)
        self.threshold = 1.0

    def _fail(self, message: str, value=None, table=(), cause: str | None = None) -> Verdict:
        return self.diagnosed(Verdict(False, message, metric=self.metric, value=value, threshold=1.0, op="<=",
                                      table=list(table)), cause)


@register
class GLCMCheck(_ToleranceCheck):
    """A gray-level co-occurrence matrix, shaped (levels, levels, distances, angles).

    Options: ``rtol`` (default 1e-6), ``atol`` (default 1e-9), ``levels``
    (else the call's keyword argument; used to name a wrong quantisation).
    Extra axes of length 1 may be dropped. The metric is the worst ratio of
    error to tolerance (pass at 1 or less).
    """

    kind = "glcm"
    causes = {**CAUSES, "shape": "another number of distances or angles than one distance and four angles"}

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        e = np.asarray(expected, np.float64)
        levels = e.shape[0]
        want = f"{tuple(e.shape)} float"
        if not isinstance(actual, np.ndarray):
            return self._fail(f"returned {describe(actual)} where a NumPy array of {want} was expected: "
                              "return graycomatrix's result as it is.")
        if actual.ndim < 2 or actual.shape[0] != actual.shape[1]:
            return self._fail(f"expected {want}, got {tuple(actual.shape)}: a GLCM is a levels x levels matrix "
                              "for each distance and angle.")
        if actual.shape[0] != levels:
            step = f"image // {256 // levels}" if 256 % levels == 0 else f"image * {levels} // 256"
            return self._fail(f"your matrix is {actual.shape[0]} x {actual.shape[0]}, so it counts {actual.shape[0]} "
                              f"grey levels; quantise the picture to {levels} levels first ({step}) and pass "
                              f"levels={levels}.", cause="levels")
        if actual.squeeze().shape != e.squeeze().shape:
            return self._fail(f"expected {want}, got {tuple(actual.shape)}: one distance (1) and four angles "
                              f"({RADIANS}), in that order of arguments.", cause="shape")
        if actual.dtype.kind not in "biuf" or not np.all(np.isfinite(actual)):
            return self._fail("your matrix holds NaN, infinite or non-numeric values: check for a division by 0.")
        a = actual.astype(np.float64).reshape(e.shape)
        ratio = np.abs(a - e) / (self.atol + self.rtol * np.abs(e))
        worst = float(ratio.max()) if ratio.size else 0.0
        table = [(ANGLE_NAMES[k] if k < len(ANGLE_NAMES) else str(k), f"sum {e[..., k].sum():.4g}",
                  f"sum {a[..., k].sum():.4g}") for k in range(e.shape[-1])]
        if worst <= 1.0:
            return Verdict(True, metric=self.metric, value=worst, threshold=1.0, op="<=", table=table)
        cause, message = self._name_mistake(a, e, ctx) or (None, self._generic(a, e, ratio))
        return self._fail(message, worst, table, cause)

    def _name_mistake(self, a: np.ndarray, e: np.ndarray, ctx) -> tuple[str, str] | None:
        """The cause (one of :data:`CAUSES`) and the sentence of the mistake ``a`` shows, or None."""
        n = e.shape[-1]
        a3 = a.reshape(a.shape[0], a.shape[1], n)
        e3 = e.reshape(e.shape[0], e.shape[1], n)
        sums = a3.sum(axis=(0, 1))
        normed = bool(np.allclose(sums, 1.0, rtol=0, atol=1e-6))
        symmetric = all(np.allclose(a3[:, :, k], a3[:, :, k].T, rtol=self.rtol, atol=self.atol) for k in range(n))
        na = a3 / np.where(sums == 0, 1, sums)
        fixed = na if symmetric else (na + na.transpose(1, 0, 2)) / 2
        faults = []
        if not symmetric:
            faults.append("your matrices are not symmetric: pass symmetric=True, which counts every pair of "
                          "neighbours both ways (i next to j and j next to i).")
        if not normed:
            faults.append(f"each matrix must sum to 1 and yours sum to {sums[0]:.6g}: pass normed=True (or divide "
                          "each angle's matrix by its own sum).")
        if faults and _within(fixed, e3, self.rtol, self.atol):
            return ("not_symmetric" if not symmetric else "not_normed",
                    " And ".join(f[:1].upper() + f[1:] if i == 0 else f for i, f in enumerate(faults)))
        match = [next((j for j in range(n) if _within(fixed[:, :, k], e3[:, :, j], self.rtol, self.atol)), None)
                 for k in range(n)]
        story = _angle_story(match)
        if story:
            return story[0], " ".join([story[1]] + faults)
        levels = e.shape[0]
        step = f"image // {256 // levels}" if 256 % levels == 0 else f"image * {levels} // 256"
        image = ctx.first_image() if ctx is not None else None
        if image is not None and image.ndim == 2 and n == len(ANGLES):
            rounded = np.clip(np.round(image.astype(np.float64) * (levels - 1) / 255), 0, levels - 1)
            if _within(fixed, cooccurrence(rounded, levels)[:, :, 0, :], self.rtol, self.atol):
                return "levels", (f"your grey levels were rounded to the nearest of {levels} steps; quantise with "
                                  f"integer division instead, {step}, so each level covers an equal share of 0..255.")
            for other in (2, 4, 8, 32, 64, 128):
                if other < levels and _within(fixed, cooccurrence(quantize(image, other), levels)[:, :, 0, :],
                                              self.rtol, self.atol):
                    return "levels", (f"your matrix only uses grey levels 0 to {other - 1}: you quantised to "
                                      f"{other} levels; quantise with {step} for {levels} levels.")
        used, expected_used = _levels_used(fixed), _levels_used(e3)
        if used < expected_used:
            return "levels", (f"your matrix only uses grey levels 0 to {used - 1}, but the picture quantised to "
                              f"{levels} levels uses 0 to {expected_used - 1}: quantise with {step}.")
        return None

    def _generic(self, a: np.ndarray, e: np.ndarray, ratio: np.ndarray) -> str:
        idx = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        bad = int(np.count_nonzero(ratio > 1.0))
        angle = ANGLE_NAMES[idx[-1]] if idx[-1] < len(ANGLE_NAMES) else str(idx[-1])
        return (f"{bad} of {ratio.size} values are off; at grey levels ({idx[0]}, {idx[1]}) for {angle} you have "
                f"{a[idx]:.6g} where {e[idx]:.6g} was expected. Check the quantisation (image // 16 for 16 levels), "
                f"distances=[1] and {RADIANS}.")


def _levels_used(p3: np.ndarray) -> int:
    rows = np.flatnonzero(p3.sum(axis=(1, 2)) + p3.sum(axis=(0, 2)))
    return int(rows[-1]) + 1 if rows.size else 0


@register
class GLCMPropsCheck(_ToleranceCheck):
    """GLCM properties: a dict mapping each property name to its value per angle.

    Options: ``rtol`` (default 1e-6), ``atol`` (default 1e-9), ``levels``
    (else the call's keyword argument), used with the input picture to name
    a mistake. Values may be shaped (angles,) or (1, angles).
    """

    accepts = ("atol", "rtol", "levels")
    kind = "glcm_props"
    causes = {**CAUSES, "energy_asm": "energy and ASM (its square) taken one for the other",
              "names": "the properties spelt otherwise than graycoprops spells them"}

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        names = list(expected)
        if not isinstance(actual, dict):
            return self._fail(f"returned {describe(actual)} where a dict was expected, mapping each property "
                              f"name ({', '.join(names)}) to its values for the four angles.")
        missing = [n for n in names if n not in actual]
        if missing:
            extra = sorted(set(actual) - set(names))
            hint = f" (you have {', '.join(map(repr, extra))}: the names are spelt as graycoprops spells them)" \
                if extra else ""
            return self._fail(f"your dict has no {', '.join(map(repr, missing))}{hint}.",
                              cause="names" if extra else None)
        mine, theirs = {}, {}
        for n in names:
            e = np.asarray(expected[n], np.float64).ravel()
            try:
                a = np.asarray(actual[n], np.float64).ravel()
            except (TypeError, ValueError):
                return self._fail(f"{n}: expected {e.size} numbers, got {describe(actual[n])}.")
            if a.size != e.size:
                return self._fail(f"{n}: expected {e.size} values (one per angle), got {a.size}.")
            if not np.all(np.isfinite(a)):
                return self._fail(f"{n}: your values hold NaN or infinity: check for a division by 0.")
            mine[n], theirs[n] = a, e
        ratios = {n: np.abs(mine[n] - theirs[n]) / (self.atol + self.rtol * np.abs(theirs[n])) for n in names}
        worst_name = max(names, key=lambda n: float(ratios[n].max()))
        worst = float(ratios[worst_name].max())
        table = [(n, _fmt(theirs[n]), _fmt(mine[n])) for n in names]
        if worst <= 1.0:
            return Verdict(True, metric=self.metric, value=worst, threshold=1.0, op="<=", table=table)
        cause, story = self._name_mistake(mine, theirs, ctx) or (None, None)
        if story is None:
            k = int(np.argmax(ratios[worst_name]))
            story = (f"{worst_name} for {ANGLE_NAMES[k] if k < 4 else k} is {mine[worst_name][k]:.6g}, expected "
                     f"{theirs[worst_name][k]:.6g}.")
        return self._fail(story, worst, table, cause)

    def _name_mistake(self, mine: dict, theirs: dict, ctx) -> tuple[str, str] | None:
        """The cause (one of ``causes``) and the sentence of the mistake ``mine`` shows, or None."""
        tol = dict(rtol=max(self.rtol, 1e-6), atol=max(self.atol, 1e-9))
        names = list(theirs)
        if "energy" in mine and "ASM" in theirs and _within(mine["energy"], theirs["ASM"], **tol):
            return "energy_asm", "your energy is the ASM: energy is the square root of ASM (angular second moment)."
        if "ASM" in mine and "energy" in theirs and _within(mine["ASM"], theirs["energy"], **tol):
            return "energy_asm", ("your ASM is the energy: ASM is the square of energy (the sum of the squared "
                                  "matrix entries).")
        n = theirs[names[0]].size
        match = [next((j for j in range(n) if all(abs(mine[p][k] - theirs[p][j]) <= tol["atol"] + tol["rtol"]
                                                  * abs(theirs[p][j]) for p in names)), None) for k in range(n)]
        story = _angle_story(match)
        if story:
            return story
        image = ctx.first_image() if ctx is not None else None
        levels = case_param(self.options, ctx, "levels")
        if image is None or image.ndim != 2 or levels is None or n != len(ANGLES):
            return None
        levels = int(levels)
        q = quantize(image, levels)
        variants = [
            (properties(cooccurrence(q, levels, symmetric=False)), "not_symmetric",
             "your properties come from a matrix that is not symmetric: pass symmetric=True to graycomatrix."),
            (properties(cooccurrence(q, levels, normed=False), normalise=False), "not_normed",
             "your properties come from raw counts: normalise each matrix to sum to 1 first (normed=True)."),
            (properties(cooccurrence(q, levels, angles=(0, 45, 90, 135))), "degrees",
             f"your angles were given in degrees: graycomatrix takes radians, {RADIANS}."),
        ]
        for other in (8, 32, 64, 256):
            if other != levels:
                variants.append((properties(cooccurrence(quantize(image, other), other)), "levels",
                                 f"your properties come from {other} grey levels, not {levels}: quantise with "
                                 f"image // {256 // levels} and pass levels={levels}."))
        for props, cause, story in variants:
            if all(_within(mine[p], props[p], **tol) for p in names if p in props):
                return cause, story
        return None


def _fmt(values: np.ndarray) -> str:
    return ", ".join(f"{v:.4g}" for v in values)
