"""Speed of the bonus days 10 to 13: one day graded, and the training done inside a case.

Run as a section of ``python -m benchmarks`` (``python -m benchmarks bonus``). Two figures per day:

* the day's reference solutions graded by ``grade()`` on a warm pool of 2 workers (what ``pixelkata
  watch`` does after a save), median of 5 runs, against the target of 0.5 s; the day's first grade on
  that pool is shown apart, since it includes the workers importing the day's ``preload`` libraries once;
* every case that trains a model (k-NN, an SVM, an MLP, logistic regression...) timed by calling the
  reference solution in this process, median of 3 runs, against the target of 2 s.
"""
from __future__ import annotations

import importlib.util
import statistics
import time

from benchmarks.__main__ import ROOT, _scratch, load, row

BONUS_DAYS = (10, 11, 12, 13)
# Cases whose function fits a model on the spot.
TRAINING = [(11, "knn_predict"), (11, "holdout_accuracy"), (11, "classify_crowd"), (13, "train_mlp"),
            (13, "classify_digits")]


def _solution(module: str):
    spec = importlib.util.spec_from_file_location(module, ROOT / "solutions" / f"{module}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def bench_bonus(runs: int = 5) -> None:
    from grader.course import load_course
    from grader.course.cases import materialize
    from grader.course.project import Project
    from grader.course.references import References
    from grader.engine.runner import Runner
    from grader.grading import grade

    course = load_course()
    print(f"Bonus days: one day graded on a warm pool of 2 workers, median of {runs} ({load()})")
    with Runner(2) as pool, _scratch() as tmp:
        project = Project(tmp)
        for w in list(pool._all):
            w.wait_ready()
        grade(project, exercises=project.solutions, day=BONUS_DAYS[0], runner=pool)  # imports, caches
        for day in BONUS_DAYS:
            walls = []
            for _ in range(runs + 1):
                t = time.perf_counter()
                run = grade(project, exercises=project.solutions, day=day, runner=pool)
                walls.append(time.perf_counter() - t)
            assert run.points == run.max_points, f"day {day}: the solutions no longer get full points"
            first, median = walls[0], statistics.median(walls[1:])
            row(f"day {day}: {course.day(day).title[:30]}", f"{median:.2f} s", "<= 0.5 s", median <= 0.5)
            preload = course.day(day).preload
            row(f"  its first grade ({'preload ' + preload[0] + '...' if preload else 'nothing to preload'})",
                f"{first:.2f} s", "-", None)
    print(f"Training inside a case: the reference solution called in this process, median of 3 ({load()})")
    refs = References(ROOT / "reference_images")
    for day, name in TRAINING:
        task = course.day(day).task(name)
        fn = getattr(_solution(course.day(day).module), task.function)
        for case in task.cases:
            args, kwargs, _ = materialize(case, refs)
            times = []
            for _ in range(3):
                t = time.perf_counter()
                fn(*args, **kwargs)
                times.append(time.perf_counter() - t)
            median = statistics.median(times)
            row(f"{task.key} ({case.id})", f"{median:.2f} s", "<= 2 s", median <= 2.0)
