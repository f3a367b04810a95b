"""The report's view model: plain records the template renders, built from a run and the stored history.

The page shows the whole course as last graded: tasks graded in this run come
with their pictures and tables; the others show their latest stored result.
Within a day, failures come first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from grader.course import TIERS
from grader.grading.results import MARKS as _MARKS
from grader.grading.results import challenges_tiered, tasks_passed
from grader.learner.report import pictures as pics
from grader.learner.terminal import points as _pts
from grader.grading.naming import hint_for
from grader.learner.terminal import day_problem, task_message

FAILURES = ("failed", "error", "timed out")
# Failures first (worst first), then what is still to do, then what is done.
ORDER = {"timed out": 0, "error": 1, "failed": 2, "not attempted": 3, "not graded": 4, "passed": 5}
MARKS = {**{o.value: mark for o, (mark, _) in _MARKS.items()}, "not graded": "·"}
PICTURE_ORDER = ("expected", "yours", "difference", "input")
HISTORY_SHOWN = 40  # attempts drawn in a day's chart
ORDER_CAPTIONS = {
    "rgb": "drawn as RGB, the order the task asks for (a picture left in BGR shows red and blue swapped)",
    "bgr": "drawn as BGR, OpenCV's order",
}


@dataclass
class Picture:
    label: str
    caption: str
    thumb: pics.Encoded
    full_id: str = ""  # anchor of the full-size view; "" when it has none


@dataclass
class FullPicture:
    id: str
    title: str
    image: pics.Encoded
    lossless: bool
    back: str  # the task it was first shown for


@dataclass
class Row:
    label: str
    expected: str
    yours: str


@dataclass
class TaskView:
    anchor: str
    day: int
    name: str
    title: str
    outcome: str
    points: float
    max_points: float
    challenge: bool = False
    tier: str | None = None
    metric: str = ""
    figure: str = ""  # the metric's exact figures, shown when the pointer rests on its words
    message: str = ""
    hint: str = ""
    case: str = ""
    pictures: list = field(default_factory=list)
    table: list = field(default_factory=list)
    traceback: str = ""
    graded: str = ""  # when, for a result from an earlier run
    fresh: bool = False  # graded in this run
    help: str = ""  # e.g. "2 of 3 hints used; solution revealed before passing"

    @property
    def css(self) -> str:
        return self.outcome.replace(" ", "-")

    @property
    def mark(self) -> str:
        return "★" if self.challenge and self.tier else MARKS.get(self.outcome, "·")

    @property
    def label(self) -> str:
        if self.challenge and self.outcome not in ("not attempted", "not graded", "error", "timed out"):
            return self.tier or "no tier yet"
        return self.outcome

    @property
    def failure(self) -> bool:
        return self.outcome in FAILURES

    @property
    def says(self) -> bool:
        """Whether the message is shown: for anything unfinished, and for a challenge below gold."""
        if not self.message:
            return False
        return self.outcome != "passed" or (self.challenge and self.tier != "gold")


@dataclass
class Bar:
    label: str
    value: float
    total: float
    text: str

    @property
    def percent(self) -> float:
        return round(100.0 * self.value / self.total, 1) if self.total else 0.0


@dataclass
class HistoryView:
    attempts: int
    best: str
    latest: str
    best_tier: str | None
    latest_tier: str | None
    points: str  # SVG polyline points
    dots: list  # (x, y, title)
    width: int = 220
    height: int = 56


@dataclass
class DayView:
    number: int
    title: str
    theme: str
    tasks: list
    bars: list
    error: str = ""  # what stopped the whole day, said once
    error_traceback: str = ""
    history: HistoryView | None = None
    started: bool = True

    @property
    def anchor(self) -> str:
        return f"day{self.number:02d}"

    @property
    def failures(self) -> int:
        return sum(1 for t in self.tasks if t.failure)


@dataclass
class ReportView:
    title: str
    generated: str
    graded: str
    course_version: str
    grader_version: str
    versions: dict
    bars: list
    days: list
    fulls: list
    from_run: bool
    selection: str = ""
    exercises: str = ""
    notes: list = field(default_factory=list)
    start: str = ""  # where to begin, while nothing is attempted yet

    @property
    def failures(self) -> int:
        return sum(d.failures for d in self.days)


def build(course, *, run=None, standing=None, grader_version: str = "", notes=(), now=None,
          hints_used=None, reveals=None) -> ReportView:
    """The view of ``course``: ``run`` (a GradeRun, may be None) over ``standing`` (history, may be None).

    ``hints_used`` maps (day, task) to the highest hint level shown and
    ``reveals`` to whether the solution was revealed before a pass (both from
    the progress store).
    """
    hints_used = hints_used or {}
    reveals = reveals or {}
    latest = dict(standing.latest) if standing is not None else {}
    fresh = {}
    day_errors = {}
    if run is not None:
        for d in run.days:
            problem, trace = day_problem(d)
            if problem:
                day_errors[d.day.number] = (problem, "\n".join(trace))
            for t in d.tasks:
                fresh[(d.day.number, t.name)] = t
    album = _Album()
    days = []
    for day in course.days:
        tasks = []
        for task in day.tasks:
            key = (day.number, task.name)
            if key in fresh:
                tasks.append(_from_result(fresh[key], album, said=day_errors.get(day.number, ("",))[0]))
            elif key in latest:
                tasks.append(_from_record(task, latest[key]))
            else:
                tasks.append(TaskView(anchor=_anchor(task), day=day.number, name=task.name, title=task.title,
                                      outcome="not graded", points=0.0, max_points=float(task.points),
                                      challenge=task.challenge, message="not graded yet: run `pixelkata grade "
                                      f"{day.number}`.", hint=task.hints[0] if task.hints else ""))
        for view, task in zip(tasks, day.tasks):
            view.help = _help(task, hints_used.get((day.number, task.name), 0), reveals.get((day.number, task.name)))
        tasks.sort(key=lambda t: ORDER.get(t.outcome, 3))  # stable: course order within a group
        progress = standing.day(day.number) if standing is not None else None
        days.append(DayView(number=day.number, title=day.title, theme=day.theme, tasks=tasks,
                            bars=_bars(tasks), error=day_errors.get(day.number, ("", ""))[0],
                            error_traceback=day_errors.get(day.number, ("", ""))[1],
                            history=_history(progress) if progress is not None else None,
                            started=any(t.outcome not in ("not attempted", "not graded") for t in tasks)))
    all_tasks = [t for d in days for t in d.tasks]
    now = now or datetime.now(timezone.utc)
    if run is not None:
        graded, versions = _local(run.started), dict(run.versions)
        selection, exercises = _selection(run), str(run.exercises)
    elif standing is not None and standing.last_run is not None:
        last = standing.last_run
        graded, versions, selection, exercises = _local(last.time), dict(last.versions), last.selection, last.exercises
    else:
        graded, versions, selection, exercises = "never", {}, "", ""
    start = ""
    if course.days and not any(d.started for d in days):
        first = course.days[0]
        start = (f"Nothing attempted yet: open `exercises/{first.filename}`, fill in "
                 f"`{first.tasks[0].function}()`, and run `pixelkata grade {first.number}`.")
    return ReportView(start=start, title=course.title, generated=_local(now), graded=graded, course_version=str(course.version),
                      grader_version=grader_version, versions=versions, bars=_bars(all_tasks), days=days,
                      fulls=album.fulls, from_run=run is not None, selection=selection, exercises=exercises,
                      notes=list(notes))


def _help(task, used: int, revealed_early) -> str:
    parts = []
    if used:
        parts.append(f"{used} of {len(task.hints)} hint{'s' if len(task.hints) != 1 else ''} used")
    if revealed_early is not None:
        parts.append("solution revealed before passing" if revealed_early else "solution viewed after passing")
    return "; ".join(parts)


def _anchor(task) -> str:
    return f"day{task.day:02d}-{task.name}"


def _from_record(task, rec) -> TaskView:
    unfinished = rec.outcome != "passed"
    return TaskView(anchor=_anchor(task), day=task.day, name=task.name, title=task.title, outcome=rec.outcome,
                    points=rec.points, max_points=float(task.points), challenge=task.challenge, tier=rec.tier,
                    metric=rec.metric, message=rec.message,
                    hint=_stored_hint(task, rec) if unfinished else "", graded=_local(rec.time))


def _stored_hint(task, rec) -> str:
    """The hint stored with a result (the one the terminal showed), else the first; '' when the task has none."""
    if not task.hints:
        return ""
    level = rec.hint if rec.hint and 1 <= rec.hint <= len(task.hints) else 1
    return task.hints[level - 1]


def _from_result(t, album, *, said: str = "") -> TaskView:
    """The view of a task graded in this run; ``said`` is the day's problem, already shown above its tasks."""
    task = t.task
    outcome = str(t.outcome)
    repeated = bool(said) and said in t.message
    view = TaskView(anchor=_anchor(task), day=task.day, name=task.name, title=task.title, outcome=outcome,
                    points=t.points, max_points=t.max_points, challenge=task.challenge, tier=t.tier,
                    metric=t.metric_text, message="" if repeated else task_message(t), fresh=True,
                    hint=hint_for(t) if outcome != "passed" and not repeated else "")
    worst = t.worst_case()
    shown = worst
    if shown is not None and not shown.images:
        shown = next((c for c in t.cases if c.images), shown)
    if shown is not None:
        if len(t.cases) > 1:
            view.case = shown.case_id
        view.pictures = _pictures(view, shown.images, album, outcome=outcome,
                                  rgb=getattr(task, "output_order", "bgr") == "rgb")
        if shown.verdict is not None:
            view.table = [Row(*map(str, r)) for r in shown.verdict.table]
    if worst is not None and worst.verdict is not None and not task.challenge:
        view.figure = worst.verdict.exact()
    if worst is not None and worst.traceback and outcome in ("error", "timed out") and not repeated:
        view.traceback = "\n".join(worst.traceback.rstrip().splitlines()[-8:])
    return view


class _Album:
    """Full-size pictures, each embedded once however many tasks show it."""

    def __init__(self):
        self.fulls: list = []
        self._ids: dict = {}

    def add(self, image, *, lossless: bool, title: str, back: str, digest: str | None = None) -> str:
        digest = digest or pics.digest(image)
        key = (digest, lossless)
        if key not in self._ids:
            ident = f"full-{digest[:12]}{'-l' if lossless else ''}"
            enc = pics.full(image, key=digest) if lossless else pics.preview(image, key=digest)
            self.fulls.append(FullPicture(id=ident, title=title, image=enc, lossless=lossless, back=back))
            self._ids[key] = ident
        return self._ids[key]


def _pictures(view: TaskView, images: dict, album: _Album, *, outcome: str, rgb: bool) -> list:
    if not images:
        return []
    found = {}
    for name in ("expected", "yours"):
        img = pics.displayable(images.get(name), rgb=rgb)
        if img is not None:
            found[name] = (img, "")
    img = pics.displayable(images.get("input"))
    if img is not None:
        found["input"] = (img, "")
    if rgb and any(img.ndim == 3 for img, _ in found.values()):
        # The task's output is RGB and its input BGR: each colour thumbnail says how it is drawn,
        # so that an answer left in BGR (drawn with red and blue swapped) agrees with its message.
        for name, (img, _) in found.items():
            if img.ndim == 3:
                found[name] = (img, ORDER_CAPTIONS["rgb" if name in ("expected", "yours") else "bgr"])
    maps = [(k, v) for k, v in images.items() if k not in ("input", "expected", "yours")]
    if maps and outcome not in ("not attempted",):
        found.update(_difference(dict(maps), maps[0][0]))
    # A missed/extra map is one-pixel lines in two colours: its full-size view stays exact, as JPEG would smear it.
    marks = any(k.endswith(("missed", "extra")) for k, _ in maps)
    if outcome == "not attempted":
        # Only what to make: a thumbnail of the expected result, without a full-size copy.
        if "expected" not in found:
            return []
        img, _ = found["expected"]
        return [Picture("expected", "what your function should return", pics.thumbnail(img))]
    out = []
    for name in PICTURE_ORDER:
        if name not in found:
            continue
        img, caption = found[name]
        # Exact pixels only where they are being judged and something is wrong.
        lossless = outcome in FAILURES and (name in ("expected", "yours") or (name == "difference" and marks))
        order = next((o.upper() for o, text in ORDER_CAPTIONS.items() if caption == text), "")
        title = f"{view.title}: {name}" + (f", drawn as {order}" if order else "")
        digest = pics.digest(img)  # once: the thumbnail and the full-size view are remembered under it
        full_id = album.add(img, lossless=lossless, title=title, back=view.anchor, digest=digest)
        out.append(Picture(name, caption, pics.thumbnail(img, key=digest), full_id))
    return out


def _difference(maps: dict, name: str) -> dict:
    """The difference picture for the first map, ``name``: {"difference": (bgr, caption)}, or {}.

    A "missed" map and its "extra" partner (an edge check's, possibly prefixed with a
    part's label) are drawn together, so that an answer wrong only one way never reads
    as "no difference" because the other way was drawn.
    """
    m = maps[name]
    if getattr(m, "ndim", 0) < 2 or not m.size:
        return {}
    for one, other in (("missed", "extra"), ("extra", "missed")):
        if name.endswith(one) and name[:-len(one)] + other in maps:
            prefix = name[:-len(one)]
            missed, extra = (m, maps[prefix + other]) if one == "missed" else (maps[prefix + other], m)
            if getattr(missed, "shape", None) == getattr(extra, "shape", None):
                colour, caption = pics.misses_and_extras(missed, extra)
                label = prefix.strip()
                return {"difference": (colour, f"{label}, {caption}" if label else caption)}
    kind = "ssim" if name.endswith("ssim") else "difference"
    colour, caption = pics.heat(m, kind=kind)
    label = "SSIM map" if kind == "ssim" else name
    return {"difference": (colour, caption if label == "difference" else f"{label}, {caption}")}


def _bars(tasks: list) -> list:
    graded = [t for t in tasks if not t.challenge]
    passed = sum(1 for t in graded if t.outcome == "passed")
    points = round(sum(t.points for t in tasks), 2)
    most = round(sum(t.max_points for t in tasks), 2)
    bars = [Bar("tasks", passed, len(graded), tasks_passed(passed, len(graded))),
            Bar("points", points, most, f"{_pts(points)} of {_pts(most)} points")]
    challenges = [t for t in tasks if t.challenge]
    if challenges:
        levels = sum(TIERS.index(t.tier) + 1 for t in challenges if t.tier)
        top = len(TIERS) * len(challenges)
        if len(challenges) == 1:
            text = f"challenge: {challenges[0].label}"  # an error or a time-out says so, like the terminal
        else:
            reached = sum(1 for t in challenges if t.tier)
            text = f"{challenges_tiered(reached, len(challenges))} ({levels} of {top} tier steps)"
        bars.append(Bar("tiers", levels, top, text))
    return bars


def _history(progress) -> HistoryView | None:
    if not progress.attempts:
        return None
    shown = progress.attempts[-HISTORY_SHOWN:]
    first = len(progress.attempts) - len(shown) + 1
    w, h, pad = 220, 56, 6
    step = (w - 2 * pad) / max(len(shown) - 1, 1)
    dots = []
    for i, a in enumerate(shown):
        x = pad + i * step if len(shown) > 1 else w / 2
        y = h - pad - a.fraction * (h - 2 * pad)
        dots.append((round(x, 1), round(y, 1),
                     f"attempt {first + i}: {_pts(a.points)}/{_pts(a.max_points)} points ({_local(a.time)})"))
    best, latest = progress.best, progress.latest
    return HistoryView(attempts=len(progress.attempts),
                       best=f"{_pts(best.points)}/{_pts(best.max_points)}",
                       latest=f"{_pts(latest.points)}/{_pts(latest.max_points)}",
                       best_tier=progress.best_tier, latest_tier=latest.tier,
                       points=" ".join(f"{x},{y}" for x, y, _ in dots), dots=dots, width=w, height=h)



def _local(when) -> str:
    """A time as the learner reads it: local, to the minute."""
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return when
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _selection(run) -> str:
    from grader.learner.progress import describe_selection

    return describe_selection(run)
