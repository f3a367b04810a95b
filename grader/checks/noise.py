"""Random noise, judged by the statistics that define each kind, not against one stored picture.

Noise is random, so two correct answers never agree pixel for pixel. The
check compares the learner's noisy picture with the clean picture it was made
from (the function's first argument) and measures what defines the noise:

* salt and pepper: the share of pixels forced to white (255) and to black (0),
  and that every other pixel is untouched;
* Gaussian: the residual's mean is about 0, its spread is the one asked for,
  its shape is bell-like (excess kurtosis about 0), and the spread is the same
  at every brightness;
* Poisson: the residual's variance equals the brightness (each grey level
  counts as one photon);
* speckle: the noise is multiplicative: the residual divided by the
  brightness has the spread asked for, so its variance grows with the
  square of the brightness.

A no-op and the wrong kind of noise fail with a sentence that names what the
picture looks like instead. Each failure's sentence states one cause (see
:attr:`NoiseCheck.causes`), and the course's ``hints`` option says which of the
task's hints speaks of it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.checks import CaseContext, Check, percent, CheckError, Verdict, array_problem, case_param, register

KINDS = ("gaussian", "poisson", "speckle", "salt", "pepper", "salt_and_pepper")
IMPULSE_KINDS = ("salt", "pepper", "salt_and_pepper")
MIN_BIN = 50  # pixels per brightness bin when fitting how the variance grows


@dataclass
class NoiseStats:
    """What a noisy picture's difference from its clean picture looks like."""

    changed: float  # share of all pixels that differ from the clean picture
    white: float  # share of pixels not already white that became 255
    black: float  # share of pixels not already black that became 0
    other: float  # share of all pixels changed to something other than 0 or 255
    other_shift: float  # mean absolute change of those "other" pixels
    jumps: float  # share of all pixels changed by more than one level to something other than 0 or 255
    mean: float  # residual mean (grey levels), over pixels clear of clipping
    std: float  # residual standard deviation
    kurtosis: float  # residual excess kurtosis (0 for a bell curve)
    exponent: float | None  # variance grows as brightness ** exponent (None: cannot tell)
    scale: float | None  # variance / brightness
    relative_mean: float | None  # mean of residual / brightness
    relative_std: float | None  # standard deviation of residual / brightness

    @property
    def impulse_share(self) -> float:
        """Of the changed pixels, the share forced to 0 or 255."""
        if self.changed <= 0:
            return 0.0
        return max(0.0, 1.0 - self.jumps / self.changed)


def measure(clean: np.ndarray, noisy: np.ndarray, *, window: tuple = (0, 255)) -> NoiseStats:
    """Statistics of ``noisy - clean``; ``window`` limits the additive statistics to clean values inside it."""
    c = clean.astype(np.float64).ravel()
    n = noisy.astype(np.float64).ravel()
    r = n - c
    total = c.size
    diff = r != 0
    changed = float(np.count_nonzero(diff)) / total
    not_white = c != 255
    not_black = c != 0
    white = float(np.count_nonzero(not_white & (n == 255))) / max(1, np.count_nonzero(not_white))
    black = float(np.count_nonzero(not_black & (n == 0))) / max(1, np.count_nonzero(not_black))
    others = diff & (n != 0) & (n != 255)
    other = float(np.count_nonzero(others)) / total
    other_shift = float(np.abs(r[others]).mean()) if np.any(others) else 0.0
    jumps = float(np.count_nonzero(others & (np.abs(r) > 1))) / total  # rounding slips do not count

    sel = _in_window(c, window)
    rs, cs = r[sel], c[sel]
    mean = float(rs.mean())
    std = float(rs.std())
    kurt = float(((rs - mean) ** 4).mean() / std ** 4 - 3.0) if std > 0 else 0.0
    exponent, scale = _growth(cs, rs)
    bright = cs >= 16  # relative noise is meaningless where the clean picture is nearly black
    if np.count_nonzero(bright) >= 200:
        rel = rs[bright] / cs[bright]
        relative_mean, relative_std = float(rel.mean()), float(rel.std())
    else:
        relative_mean = relative_std = None
    return NoiseStats(changed, white, black, other, other_shift, jumps, mean, std, kurt, exponent, scale,
                      relative_mean, relative_std)


def _in_window(c: np.ndarray, window: tuple) -> np.ndarray:
    """Which clean values (flat float array) lie inside ``window``; all of them when fewer than 200 do."""
    lo, hi = window
    sel = (c >= lo) & (c <= hi)
    if np.count_nonzero(sel) < 200:  # too few pixels clear of clipping: use them all
        sel = np.ones_like(c, dtype=bool)
    return sel


def clipped_spread(clean: np.ndarray, spread: float, window: tuple) -> float:
    """The residual standard deviation :func:`measure` would find for Gaussian noise of ``spread`` grey levels.

    The noise is drawn once from a fixed seed, added to ``clean``, rounded and clipped to 0..255 as any uint8
    answer is, and measured over the same ``window``: a loud noise loses spread to clipping, and this is the
    spread that is left. Grey levels, >= 0.
    """
    c = clean.astype(np.float64).ravel()
    noisy = np.clip(np.round(c + np.random.default_rng(0).normal(0.0, spread, c.size)), 0, 255)
    return float((noisy - c)[_in_window(c, window)].std())


def _growth(c: np.ndarray, r: np.ndarray) -> tuple:
    """Fit variance = k * brightness ** p over brightness bins; return (p, variance / brightness)."""
    edges = np.unique(np.quantile(c, np.linspace(0, 1, 9)))
    if edges.size < 3:
        return None, None
    idx = np.clip(np.searchsorted(edges, c, side="right") - 1, 0, edges.size - 2)
    xs, vs = [], []
    for b in range(edges.size - 1):
        m = idx == b
        if np.count_nonzero(m) < MIN_BIN:
            continue
        mu = float(c[m].mean())
        if mu < 8:
            continue
        xs.append(mu)
        vs.append(max(float(r[m].var()), 1e-3))
    if len(xs) < 3 or max(xs) / min(xs) < 1.5:
        return None, None
    p = float(np.polyfit(np.log(xs), np.log(vs), 1)[0])
    return p, float(sum(vs) / sum(xs))


def looks_like(s: NoiseStats) -> str:
    """The kind of noise the statistics suggest, or "none"."""
    if s.changed < 1e-4:
        return "none"
    if s.impulse_share >= 0.9:
        if s.black < 0.1 * s.white:
            return "salt"
        if s.white < 0.1 * s.black:
            return "pepper"
        return "salt_and_pepper"
    if s.exponent is None or s.exponent < 0.5:
        return "gaussian"
    return "poisson" if s.exponent < 1.5 else "speckle"


NAMES = {"gaussian": "Gaussian noise", "poisson": "Poisson noise", "speckle": "speckle noise",
         "salt": "salt noise (white specks)", "pepper": "pepper noise (black specks)",
         "salt_and_pepper": "salt-and-pepper noise", "none": "no noise at all"}

WHY = {
    "gaussian": "Gaussian noise has the same spread at every brightness",
    "poisson": "Poisson noise's variance grows in step with the brightness",
    "speckle": "speckle noise is multiplied in, so its spread grows with the brightness itself",
    "salt": "salt noise only turns pixels white (255)",
    "pepper": "pepper noise only turns pixels black (0)",
    "salt_and_pepper": "salt-and-pepper noise turns some pixels white (255) and some black (0)",
}


@dataclass
class _Stat:
    label: str
    yours: float | None
    want: float
    tol: float
    unit: str = ""

    @property
    def ratio(self) -> float:
        if self.yours is None:
            return float("inf")
        return abs(self.yours - self.want) / self.tol


@register
class NoiseCheck(Check):
    """A noisy picture judged by the statistics of its difference from the clean input.

    Options: ``noise`` (one of gaussian, poisson, speckle, salt, pepper,
    salt_and_pepper) and the noise's parameters: ``amount`` and
    ``salt_vs_pepper`` for impulse noise, ``sigma`` for Gaussian (grey levels)
    and speckle (relative). Each parameter is taken from the check's options
    when given there, else from the call's keyword argument of the same name.
    The metric is the worst ratio of a statistic's error to its tolerance
    (pass at 1 or less).
    """

    accepts = ("amount", "noise", "salt_vs_pepper", "sigma")
    causes = {
        "dtype": "a picture of the right shape but another dtype (a 0..1 float picture, say)",
        "unchanged": "the clean input returned unchanged",
        "impulse_swapped": "salt where pepper was asked, or pepper where salt was",
        "wrong_kind": "another kind of noise than the one asked for",
        "truncated": "pixels that should stay untouched moved by one grey level (a truncating conversion)",
        "amount": "a share of white or black pixels other than `amount` asks",
        "untouched_changed": "pixels that should stay untouched changed, by more than a grey level",
        "mean": "noise that does not average to zero",
        "spread": "noise of another standard deviation than sigma",
        "spread_as_variance": "Gaussian noise whose spread is that of sigma passed as random_noise's var",
        "shape": "noise that is not bell-shaped (its excess kurtosis is far from 0)",
        "growth": "noise whose variance grows with brightness at another rate than the kind's",
        "scale": "Poisson noise whose variance is not the brightness (the picture rescaled first)",
    }
    kind = "noise"
    needs_reference = False
    metric = "error/tolerance"
    op = "<="

    def __init__(self, options):
        super().__init__(options)
        self.noise = options.get("noise")
        if self.noise not in KINDS:
            raise CheckError(f"noise check: noise must be one of {', '.join(KINDS)}, got {self.noise!r}")
        self.threshold = 1.0

    def _param(self, ctx, name, default=None) -> float:
        value = case_param(self.options, ctx, name, default)
        if value is None:
            raise CheckError(f"noise check ({self.noise}) needs {name!r} in its options or the call's keywords")
        return float(value)

    def expectations(self, ctx, s: NoiseStats) -> list:
        """The statistics that define the requested noise, with their tolerances."""
        kind = self.noise
        if kind in IMPULSE_KINDS:
            amount = self._param(ctx, "amount")
            if kind == "salt":
                svp = 1.0
            elif kind == "pepper":
                svp = 0.0
            else:
                svp = self._param(ctx, "salt_vs_pepper", 0.5)
            salt, pepper = amount * svp, amount * (1 - svp)
            return [_Stat("white (salt) share", s.white, salt, 0.01 + 0.05 * salt),
                    _Stat("black (pepper) share", s.black, pepper, 0.01 + 0.05 * pepper),
                    _Stat("share of other pixels changed", s.other, 0.0, 0.002)]
        if kind == "gaussian":
            sigma = self._param(ctx, "sigma")
            return [_Stat("residual mean", s.mean, 0.0, 1.0, " grey levels"),
                    _Stat("residual standard deviation", s.std, sigma, 0.1 * sigma + 0.3, " grey levels"),
                    _Stat("residual excess kurtosis", s.kurtosis, 0.0, 0.6),
                    _Stat("variance growth exponent", s.exponent, 0.0, 0.4)]
        if kind == "poisson":
            return [_Stat("residual mean", s.mean, 0.0, 1.0, " grey levels"),
                    _Stat("variance growth exponent", s.exponent, 1.0, 0.4),
                    _Stat("variance / brightness", s.scale, 1.0, 0.25)]
        sigma = self._param(ctx, "sigma")  # speckle
        return [_Stat("relative residual mean", s.relative_mean, 0.0, 0.02),
                _Stat("relative residual standard deviation", s.relative_std, sigma, 0.1 * sigma + 0.01),
                _Stat("variance growth exponent", s.exponent, 2.0, 0.5)]

    def wanted(self, ctx) -> str:
        """The kind asked for; salt and pepper with only one of the two is that one."""
        if self.noise == "salt_and_pepper":
            svp = self._param(ctx, "salt_vs_pepper", 0.5)
            if svp >= 1.0:
                return "salt"
            if svp <= 0.0:
                return "pepper"
        return self.noise

    def window(self, ctx) -> tuple:
        """Clean values whose noise is unlikely to be clipped at 0 or 255."""
        if self.noise == "gaussian":
            k = 3 * self._param(ctx, "sigma")
            return (k, 255 - k)
        if self.noise == "poisson":
            return (0, 255 - 3 * np.sqrt(255))
        if self.noise == "speckle":
            return (0, 255 / (1 + 3 * self._param(ctx, "sigma")))
        return (0, 255)

    def compare(self, actual, expected, ctx: CaseContext) -> Verdict:
        clean = ctx.first_image() if ctx is not None else None
        if clean is None:
            raise CheckError("noise check needs the clean picture as the function's first argument")
        problem = array_problem(actual, clean)
        if problem:
            dtype = isinstance(actual, np.ndarray) and actual.shape == clean.shape and actual.dtype != clean.dtype
            return self.diagnosed(Verdict(False, problem, metric=self.metric, threshold=1.0, op="<="),
                                  "dtype" if dtype else None)
        window = self.window(ctx)
        s = measure(clean, actual, window=window)
        stats = self.expectations(ctx, s)
        value = max(st.ratio for st in stats)  # infinite when a statistic could not be measured at all
        table = [(st.label, f"{st.want:.4g}", "-" if st.yours is None else f"{st.yours:.4g}") for st in stats]
        if value <= 1.0:
            return Verdict(True, "", metric=self.metric, value=float(value), threshold=1.0, op="<=", table=table)
        cause, message = self._explain(s, stats, self.wanted(ctx), clean, window, ctx)
        return self.diagnosed(Verdict(False, message, metric=self.metric, value=float(value), threshold=1.0,
                                      op="<=", table=table), cause)

    def _explain(self, s: NoiseStats, stats: list, want: str, clean, window: tuple, ctx) -> tuple[str, str]:
        """The cause of a failure (one of :attr:`causes`) and the sentence that states it."""
        seen = looks_like(s)
        if seen == "none":
            return "unchanged", "your picture is the clean input unchanged: add the noise and return the noisy picture."
        if want in IMPULSE_KINDS and seen in IMPULSE_KINDS and seen != want:
            return "impulse_swapped", (
                f"this looks like {NAMES[seen]}, not {NAMES[want]}: salt is white (255) and pepper is black "
                f"(0); {percent(s.white)} of your pixels turned white and {percent(s.black)} black.")
        family = "impulse" if want in IMPULSE_KINDS else want
        seen_family = "impulse" if seen in IMPULSE_KINDS else seen
        if family != seen_family:
            return "wrong_kind", f"this looks like {NAMES[seen]}, not {NAMES[want]}: {WHY[want]}."
        bad = max(stats, key=lambda st: st.ratio)
        if bad.label == "share of other pixels changed" and s.other_shift <= 1.5:
            return "truncated", (
                f"{percent(s.other)} of the pixels that should stay untouched changed by about one grey level: "
                "converting 0..1 floats with .astype(np.uint8) truncates; use skimage.util.img_as_ubyte(...) "
                "or round first.")
        yours = "missing (too few pixels to tell)" if bad.yours is None else f"{bad.yours:.4g}{bad.unit}"
        sentence = f"the {bad.label} is {yours}, expected about {bad.want:.4g}{bad.unit} (± {bad.tol:.2g})"
        if bad.label == "residual standard deviation" and self._sigma_as_variance(s, clean, window, ctx):
            return "spread_as_variance", (
                sentence + ": that is the spread of sigma taken as a variance on the 0..1 scale; sigma is a "
                "standard deviation in grey levels, and skimage's random_noise takes var = (sigma / 255) ** 2.")
        cause, advice = {
            "residual standard deviation": ("spread", ": sigma is the noise's standard deviation in grey levels, "
                                            "rng.normal(0, sigma); skimage's random_noise takes "
                                            "var = (sigma / 255) ** 2 on the 0..1 scale."),
            "relative residual standard deviation": ("spread", ": speckle multiplies each pixel by (1 + n) with n "
                                                     "of standard deviation sigma; random_noise takes "
                                                     "var = sigma ** 2."),
            "variance / brightness": ("scale", ": count each grey level as one photon, rng.poisson(image), "
                                      "without rescaling."),
            "white (salt) share": ("amount", ": `amount` is the share of all pixels replaced, salt and pepper "
                                   "together."),
            "black (pepper) share": ("amount", ": `amount` is the share of all pixels replaced, salt and pepper "
                                     "together."),
            "share of other pixels changed": ("untouched_changed", ": only the pixels hit become 255 or 0; every "
                                              "other pixel keeps its exact value."),
            "residual mean": ("mean", ": the noise must average to zero, so the picture keeps its brightness."),
            "relative residual mean": ("mean", ": the noise must average to zero, so the picture keeps its "
                                       "brightness."),
            "residual excess kurtosis": ("shape", ": Gaussian noise is bell-shaped; draw it with "
                                         "rng.normal(0, sigma)."),
            "variance growth exponent": ("growth", f": {WHY[want]}." if want in WHY else "."),
        }[bad.label]
        return cause, sentence + advice

    def _sigma_as_variance(self, s: NoiseStats, clean, window: tuple, ctx) -> bool:
        """Whether the residual's spread is, within 5%, that of sigma passed as random_noise's var.

        ``var = sigma`` on the 0..1 scale is a spread of sqrt(255 * sigma) grey levels before clipping; the
        comparison is with what clipping leaves of it (:func:`clipped_spread`).
        """
        sigma = self._param(ctx, "sigma")
        if sigma <= 0:
            return False
        expected = clipped_spread(clean, float(np.sqrt(255.0 * sigma)), window)
        return expected > 0 and abs(s.std / expected - 1.0) <= 0.05
