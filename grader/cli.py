"""The ``pixelkata`` command: thin click commands over the library functions.

Every command turns a :class:`~grader.errors.PixelkataError` into one line,
``Error: ...``, and exit code 2. Failed tasks exit 1. A crash of the grader's
own code exits 3 and asks for a bug report.
"""
from __future__ import annotations

import functools
import sys
import traceback
from pathlib import Path

import click

from grader import __version__

BUG_EXIT = 3


class PixelkataClickError(click.ClickException):
    exit_code = 2


class PixelkataGroup(click.Group):
    """The one place where our own errors become a one-line ``Error: ...`` and exit code 2.

    A :class:`~grader.errors.PixelkataError` is a usage or set-up problem; a
    :class:`~grader.course.CourseError` or :class:`~grader.checks.CheckError` is a
    broken course file (an author's mistake). Subgroups run inside this one, so
    their commands are covered too.
    """

    def invoke(self, ctx):
        from grader.errors import PixelkataError

        try:
            return super().invoke(ctx)
        except PixelkataError as exc:
            raise PixelkataClickError(str(exc)) from None
        except Exception as exc:
            if not _course_error(exc):
                raise
            raise PixelkataClickError(f"the course manifest is broken: {exc}. Course authors: "
                                      "`pixelkata check-course` names the task.") from None


def _course_error(exc: Exception) -> bool:
    """Whether ``exc`` is a CourseError or a CheckError, without importing the course or the checks to ask.

    Importing grader.checks loads numpy and OpenCV; a command that never
    loaded them cannot have raised their errors, and `grade` starts its
    workers before it loads them.
    """
    for module, name in (("grader.course.manifest", "CourseError"), ("grader.checks", "CheckError")):
        kind = getattr(sys.modules.get(module), name, None)
        if isinstance(kind, type) and isinstance(exc, kind):
            return True
    return False


def pass_project(f):
    """Add --root and call the command with ``project``: the course folder found from --root or from here."""

    @click.option("--root", type=click.Path(path_type=Path), default=None,
                  help="The course folder (default: the nearest folder up from here holding "
                       "exercises/ and reference_images/).")
    @functools.wraps(f)
    def command(*args, root, **kwargs):
        from grader.course.project import find_project

        return f(*args, project=find_project(root), **kwargs)

    return command


def jobs_option(f):
    return click.option("--jobs", "-j", "workers", type=click.IntRange(1, 64), default=2, show_default=True,
                        help="How many worker processes run learner code side by side.")(f)


def timeout_option(f):
    return click.option("--timeout", type=click.FloatRange(0.1, 3600), default=None,
                        help="Seconds each case may run (default: the task's own limit, usually 10).")(f)


def exercises_option(f):
    return click.option("--exercises", type=click.Path(path_type=Path), default=None,
                        help="The folder holding your dayNN_*.py files (default: exercises/ in the course).")(f)


def output_options(f):
    """--format/--output, one option per format, and the CI options of `grade` (see grader.ci.delivery)."""
    options = [
        click.option("--format", "formats", multiple=True, metavar="FORMAT",
                     help="text (the default), json, junit, gradescope or markdown; repeat the option or "
                          "separate with commas, e.g. --format text,json --output results.json."),
        click.option("--output", "-o", type=click.Path(path_type=Path), default=None, metavar="FILE",
                     help="Write the --format that is not text to FILE instead of the terminal."),
        click.option("--json", "json_file", type=click.Path(path_type=Path), default=None, metavar="FILE",
                     help="Also write the results as JSON (schema: docs/results.schema.json)."),
        click.option("--junit", "junit_file", type=click.Path(path_type=Path), default=None, metavar="FILE",
                     help="Also write JUnit XML: one testsuite per day, one testcase per case."),
        click.option("--gradescope", "gradescope_file", type=click.Path(path_type=Path), default=None,
                     metavar="FILE", help="Also write a Gradescope autograder results.json."),
        click.option("--markdown", "markdown_file", type=click.Path(path_type=Path), default=None,
                     metavar="FILE", help="Also write a Markdown summary table."),
        click.option("--min-score", default=None, metavar="SCORE",
                     help="Pass when the score reaches SCORE points (12) or share (80%); default: every "
                          "attempted task must pass."),
        click.option("--changed-since", default=None, metavar="REF",
                     help="Grade only the days whose exercise file differs from git REF (e.g. origin/main)."),
        click.option("--references-from", default=None, metavar="REF",
                     help="Grade against reference_images/ as committed at git REF (e.g. origin/main)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def report_options(f):
    f = click.option("--open", "open_report", is_flag=True, help="Open the report in your web browser.")(f)
    return click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help="Where to write the HTML report (default: .pixelkata/report.html in the course).")(f)


@click.group(cls=PixelkataGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pixelkata")
@click.option("--backend", type=click.Choice(["auto", "sandbox", "portable"]), default=None,
              help="How learner code runs: the Linux sandbox, portable workers, or auto (the default: the sandbox "
                   "where Linux allows namespaces, else portable). Also set by PIXELKATA_BACKEND. "
                   "`pixelkata sandbox` shows what each one protects.")
def cli(backend):
    """pixelkata: a nine-day course in image processing and four bonus days, graded as you go.

    Start with `pixelkata grade`, fill in exercises/day01_reading.py, and grade again.
    """
    if backend:
        from grader.engine import backends

        backends.request(backend)


@cli.command()
@click.argument("day", required=False)
@click.argument("task", required=False)
@exercises_option
@timeout_option
@click.option("--no-hints", is_flag=True, help="Do not print a hint under unfinished tasks.")
@click.option("--record", is_flag=True,
              help="Keep this run in your progress even though --exercises names another folder.")
@click.option("--all", "show_all", is_flag=True,
              help="Show every task of every day; by default each day not started but the next is one line.")
@click.option("--variants", type=click.IntRange(0, 50), default=0, metavar="K",
              help="Instructors: also grade each task on K hidden variant cases made fresh from a seed "
                   "(needs solutions/).")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="The seed for --variants (default: a new one each run).")
@report_options
@pass_project
@jobs_option
@output_options
def grade(project, day, task, exercises, timeout, no_hints, record, show_all, variants, seed, report_path, open_report, workers, formats,
          output, json_file, junit_file, gradescope_file, markdown_file, min_score, changed_since, references_from):
    """Grade your exercises: every day, one DAY, or one TASK of a day.

    Exit code 0 when everything you attempted passed (or the score reaches
    --min-score), 1 when something failed, 2 for a usage or set-up problem.
    A grade of your own exercises/ is recorded in .pixelkata/progress.db
    (another --exercises folder only with --record) and drawn as an HTML
    report, .pixelkata/report.html unless --report says otherwise. With
    --variants K (instructors), a task that passes its visible cases but
    fails its hidden variants also exits 1.

    \b
    Examples:
      pixelkata grade            # the whole course (days not started: one line each)
      pixelkata grade --all      # the whole course, every task
      pixelkata grade 1          # day 1 only
      pixelkata grade 1 crop     # one task
      pixelkata grade --json results.json --junit results.xml
      pixelkata grade --references-from origin/main --changed-since origin/main
      pixelkata grade --open     # and open the report in your browser
      pixelkata grade --variants 3 --exercises ../alice/exercises
    """
    from grader.course import stubs
    from grader.engine.runner import Runner

    # Start the workers first: they load numpy, OpenCV and scikit-image while we read the course. Not when every
    # day file is still the stub as handed out: none of them is run (grade() starts workers if it needs any).
    untouched = not variants and references_from is None and stubs.all_untouched(
        exercises or project.exercises, project.references)
    runner = None if untouched else Runner(workers)
    checked = None
    try:
        from grader import grading
        from grader.ci import delivery

        plan = delivery.plan(formats=formats, output=output, json=json_file, junit=junit_file,
                             gradescope=gradescope_file, markdown=markdown_file, min_score=min_score,
                             changed_since=changed_since, references_from=references_from)
        days = plan.days(project, day, exercises)
        with plan.references(project) as refs:
            if variants:
                from grader.course import variants as hidden

                run, checked = hidden.grade_with_variants(project, count=variants, seed=seed,
                                                          exercises=exercises, day=days, task=task,
                                                          timeout=timeout, runner=runner, references=refs,
                                                          keep_images=True)
            else:
                run = grading.grade(project, exercises=exercises, day=days, task=task, timeout=timeout,
                                    runner=runner, references=refs, keep_images=True)
    finally:
        if runner is not None:
            runner.close()
    own = exercises is None or Path(exercises).resolve() == project.exercises.resolve()
    try:
        code = plan.deliver(run, show_hints=not no_hints, fold=not show_all)
        if checked is not None:
            # The variants are for the instructor's eyes: after the text, or on stderr beside a JSON or XML document.
            to_err = plan.stdout_format not in (None, "text")
            for line in [""] + checked.lines:
                click.echo(line, err=to_err)
            code = max(code, 1 if checked.failed else 0)
    finally:
        # Recorded even when showing it failed (a closed pipe, a full disk): the grade itself happened.
        saved = _save_report(project, run, report_path, open_report, record=own or record)
    sys.exit(code if saved.ok else 2)


def _save_report(project, run, report_path, open_report, *, record: bool = True):
    """Record the run and write its report; problems are printed, never raised (grading already happened)."""
    try:
        from grader.learner import report
    except ImportError as exc:
        # Loaded only now, after grading: a broken install loses the report, never the results shown.
        import types

        saved = types.SimpleNamespace(report=None, notes=[], ok=False, errors=[
            f"this run was not recorded and its HTML report not drawn: {_import_problem(exc)}. "
            "Reinstall pixelkata (pip install -e .) to get them back."])
    else:
        saved = report.save_run(project, run, report_path=report_path, record=record)
    _show_saved(saved, open_report)
    return saved


def _import_problem(exc: ImportError) -> str:
    return f"{exc.name or 'a module it needs'} failed to import ({type(exc).__name__}: {exc})"


def _show_saved(saved, open_report) -> None:
    for note in saved.notes:
        click.echo(f"Note: {note}", err=True)
    for problem in saved.errors:
        click.echo(f"Error: {problem}", err=True)
    if saved.report is not None:
        click.echo(f"Report: {saved.report}", err=True)
        if open_report:
            from grader.learner.report import open_in_browser

            if not open_in_browser(saved.report):
                click.echo(f"Could not start a web browser here: open {saved.report} in your browser yourself.",
                           err=True)


@cli.command()
@pass_project
def progress(project):
    """Show your progress per day: best and latest points, attempts, challenge tiers.

    Read from the progress database (.pixelkata/progress.db), without grading.

    \b
    Example:
      pixelkata progress
    """
    from grader.course import load_course
    from grader.learner import history
    from grader.learner import progress as store

    runs, notes = store.load_runs(store.default_path(project))
    for note in notes:
        click.echo(f"Note: {note}", err=True)
    for line in history.lines(history.summarise(runs, load_course())):
        click.echo(line)


@cli.command("report")
@report_options
@pass_project
def report_command(project, report_path, open_report):
    """Write the HTML report again from the progress database, without grading.

    Pictures are drawn only by `pixelkata grade`; this report shows every task as last graded.

    \b
    Examples:
      pixelkata report
      pixelkata report --report ~/day1.html --open
    """
    from grader.course import load_course
    from grader.learner import report

    saved = report.rerender(project, load_course(), report_path=report_path)
    _show_saved(saved, open_report)


@cli.command()
@exercises_option
@timeout_option
@click.option("--record", is_flag=True,
              help="Keep these runs in your progress even though --exercises names another folder.")
@pass_project
@jobs_option
def watch(project, exercises, timeout, record, workers):
    """Re-grade a day every time you save its file; Ctrl-C stops.

    It checks the files a few times a second, so it works on any file system.
    If watching does not work on your machine, run `pixelkata grade` after
    each save instead.

    \b
    Example:
      pixelkata watch
    """
    from grader.errors import PixelkataError
    from grader.learner import terminal
    from grader.learner import watch as watching

    exercises = project.exercises_folder(exercises)  # a wrong folder is a usage error, not a watching problem
    try:
        watching.watch(project, exercises=exercises, echo=click.echo, clear=click.clear, workers=workers,
                       render=lambda run: terminal.render(run, show_hints=False), timeout=timeout,
                       record_other=record)
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")
    except PixelkataError as exc:
        raise PixelkataError(f"{exc} (If watching does not work here, run `pixelkata grade` after each save "
                             "instead.)") from None
    except OSError as exc:
        raise PixelkataError(f"watching stopped: {exc}. Run `pixelkata grade` after each save instead.") from None


@cli.command()
@click.argument("day", required=False)
@click.argument("task", required=False)
@pass_project
def hint(project, day, task):
    """Show the next hint for a task; each call goes one level further.

    With no argument it picks the first task that is not passing yet (as last
    graded); with DAY, the first such task of that day.

    \b
    Examples:
      pixelkata hint             # the first task not passing yet
      pixelkata hint 1 crop      # the next hint for day 1's crop
    """
    from grader.course import load_course
    from grader.learner import hints

    course = load_course()
    shown = hints.next_hint(project, course, day, task)
    if shown is None:
        click.echo("Every task passes as last graded: there is nothing to hint at. Try the challenges' gold tier!")
        return
    t = shown.task
    click.echo(click.style(f"Day {t.day} · {t.name}: hint {shown.level} of {shown.total}", bold=True))
    click.echo(shown.text)
    if shown.last:
        click.echo(hints.after_last_hint(project, course, t))
    else:
        click.echo(f"Still stuck? `pixelkata hint {t.day} {t.name}` gives the next one.")


@cli.command()
@click.argument("day")
@click.argument("task")
@click.option("--reveal", is_flag=True, help="Show it even though the task does not pass yet (this is recorded).")
@pass_project
def solution(project, day, task, reveal):
    """Show the reference solution of a task, once your own passes.

    The task is graded first; before it passes, --reveal shows the solution
    anyway and records that you looked. An instructor can turn solutions off.

    \b
    Example:
      pixelkata solution 1 crop
    """
    from grader import grading
    from grader.course import load_course
    from grader.learner import hints

    course = load_course()
    chosen = hints.pick_task(course, None, day, task)
    source = hints.solution_source(project, course, chosen)
    passed = False
    if not reveal:
        run = grading.grade(project, day=chosen.day, task=chosen.name)
        result = run.tasks[0]
        passed = result.passed
        if not passed:
            click.echo(f"Day {chosen.day} · {chosen.name} does not pass yet ({result.outcome.value}): solve it first. "
                       f"`pixelkata hint {chosen.day} {chosen.name}` gives a hint; `pixelkata solution "
                       f"{chosen.day} {chosen.name} --reveal` shows the solution anyway and records it.")
            sys.exit(1)
    hints.record_reveal(project, chosen, passed=passed)
    click.echo(click.style(f"Reference solution of day {chosen.day} · {chosen.name}:", bold=True))
    click.echo(source)


@cli.command("list")
@click.argument("day", required=False)
@pass_project
def list_days(project, day):
    """The syllabus, with each day's status and challenge tier as last graded.

    With DAY, that day alone, with its tasks as last graded and the hints you have used.

    \b
    Examples:
      pixelkata list
      pixelkata list 1
    """
    from grader.course import load_course
    from grader.grading import parse_day
    from grader.learner import hints, progress, syllabus

    course = load_course()
    number = parse_day(day, course) if day is not None else None
    standing = hints.standing(project, course)
    used = {}
    if standing is not None:
        with progress.open_store(progress.default_path(project)) as store:
            used = store.hints_used()
    for line in syllabus.lines(course, standing, used, day=number):
        click.echo(line)


@cli.group()
def references():
    """Build or verify reference_images/ (course authors)."""


@references.command("build")
@pass_project
@jobs_option
def references_build(project, workers):
    """Draw the input pictures and regenerate every expected output from solutions/.

    \b
    Example:
      pixelkata references build
    """
    from grader.course import build

    report = build.build(project, workers=workers, log=click.echo)
    click.echo(f"wrote {report.inputs} input pictures and {report.references} reference files "
               f"to {project.references}")
    for rel in report.removed:
        click.echo(f"removed stale {rel}")


@references.command("verify")
@click.argument("days", nargs=-1, metavar="[DAY]...")
@pass_project
@jobs_option
def references_verify(project, days, workers):
    """Check every reference's hash and re-run the solutions to catch drift.

    Every file's hash is always checked; with DAY numbers, only those days' solutions are re-run and their
    input pictures drawn again (quicker, while you edit one day). Exit code 1 when any reference is missing,
    modified or no longer matches.

    \b
    Examples:
      pixelkata references verify        # the whole course
      pixelkata references verify 3 4    # days 3 and 4
    """
    from grader.course import build, load_course
    from grader.course.references import References, library_versions, version_changes
    from grader.grading import parse_day

    course = load_course()
    chosen = [parse_day(d, course) for d in days] or None
    problems = build.verify(project, workers=workers, days=chosen)
    for p in problems:
        click.echo(f"✘ {p.where}: {p.problem}")
    if problems:
        # A library upgrade is the usual cause of drift: say which versions differ.
        for line in version_changes(References(project.references).versions(), library_versions()):
            click.echo(f"note: {line}")
        click.echo(f"{len(problems)} reference problem(s).")
        sys.exit(1)
    if chosen:
        which = ", ".join(str(d) for d in sorted(set(chosen)))
        click.echo(f"every reference matches its hash, and the solutions of day(s) {which} still produce theirs "
                   "(other days were not re-run).")
    else:
        click.echo("every reference matches its hash and what the solutions produce.")


@cli.command("check-course")
@pass_project
def check_course(project):
    """Lint the course: stubs, solutions, hints, references, orphans (course authors).

    Exit code 1 when a problem is found.

    \b
    Example:
      pixelkata check-course
    """
    from grader.course import lint

    problems = lint.check_course(project, log=click.echo)
    for p in problems:
        click.echo(f"✘ {p}")
    if problems:
        click.echo(f"{len(problems)} problem(s): the course is not ready to ship.")
        sys.exit(1)
    click.echo("the course is sound: every stub is untouched and every solution passes.")


@cli.command("sandbox")
def sandbox_command():
    """Show which protections the grader puts around your code on this machine.

    Says which backend runs your code here (the Linux sandbox or portable
    workers) and why, starts one worker, lists every protection as on or
    off, and says why for each one that is off (the platform, the user you
    run as). Exit code 0; 2 when no worker can start.

    \b
    Example:
      pixelkata sandbox
    """
    from grader.engine.runner import Runner
    from grader.learner import terminal

    with Runner(1) as runner:
        limits = runner.limits()
        backend = runner.backend
    click.echo(click.style(f"Backend: {backend.name} ({backend.why}): {backend.promise}.", bold=True))
    for line in terminal.render_protections(limits):
        click.echo(line)


class _Progress:
    """A progress bar that appears once the amount of work is known: done, left and time left."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.left = 0

    def start(self, total: int) -> None:
        self.left = total
        if total:
            self.bar = click.progressbar(length=total, label=self.label, show_pos=True, show_eta=True,
                                         item_show_func=lambda item: item, file=sys.stderr)
            self.bar.__enter__()

    def done(self, learner: str) -> None:
        self.left -= 1
        if self.bar is not None:
            self.bar.update(1, f"{self.left} left · {learner}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The folder for gradebook.csv, gradebook.db, class.html and the learners' reports.")
@jobs_option
@click.option("--ref", default=None, help="For git repositories: grade this branch, tag or commit instead of HEAD.")
@click.option("--variants", type=click.IntRange(0, 50), default=0, metavar="K",
              help="Also grade each task on K hidden variant cases, and flag tasks that pass only the visible ones.")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="The seed for --variants (default: chosen on the first run and kept in the gradebook).")
@click.option("--shard", default=None, metavar="I/N",
              help="Grade only every N-th entry, starting at the I-th (for a CI matrix or a job array).")
@timeout_option
@click.option("--no-reports", is_flag=True, help="Do not write a report per learner.")
@pass_project
def batch(project, submissions, out, workers, ref, variants, seed, shard, timeout, no_reports):
    """Grade a whole class: one entry per learner in SUBMISSIONS.

    An entry is a folder (with exercises/ or just the day files), a .zip of one,
    or a git repository (graded at HEAD, or at --ref). Only the learner's
    dayNN_*.py files are used; everything is graded with this course's own
    references. A second run grades only entries whose content changed.

    \b
    Example:
      pixelkata batch submissions/ --out grades/ --jobs 2 --variants 3
    """
    from grader.classroom import batch as batching

    progress = _Progress("grading")
    try:
        summary = batching.run(project, submissions, out, jobs=workers, ref=ref, variants=variants, seed=seed,
                               shard=shard, timeout=timeout, reports=not no_reports, on_start=progress.start,
                               on_done=progress.done, log=lambda line: None)
    finally:
        progress.close()
    for line in batching.summary_lines(summary):
        click.echo(line)


@cli.group("gradebook")
def gradebook_group():
    """Work with the gradebooks that `pixelkata batch` writes (instructors)."""


@gradebook_group.command("merge")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The folder for the joined gradebook.csv, gradebook.db, class.html and reports.")
@pass_project
def gradebook_merge(project, dirs, out):
    """Join the outputs of several `pixelkata batch --shard` runs into one gradebook.

    Where two folders hold the same learner, the later grading wins. The class
    report and the similarity flags are computed again over the whole class.

    \b
    Example:
      pixelkata gradebook merge shard-1/ shard-2/ shard-3/ --out grades/
    """
    from grader.classroom import batch as batching

    for line in batching.merge(project, list(dirs), out):
        click.echo(line)


@cli.command()
@click.argument("outdir", type=click.Path(path_type=Path))
@click.option("--keep-solutions", is_flag=True, help="Ship solutions/ too: a self-study edition.")
@click.option("--solution-command/--no-solution-command", default=None,
              help="Whether `pixelkata solution` works in the released copy (default: on only with "
                   "--keep-solutions). Stored in the copy's pixelkata.toml.")
@click.option("--no-check", is_flag=True, help="Skip `pixelkata check-course` before releasing.")
@click.option("--force", is_flag=True, help="Replace an earlier release in OUTDIR.")
@pass_project
def release(project, outdir, keep_solutions, solution_command, no_check, force):
    """Write the learner's copy of the course to OUTDIR (instructors).

    It holds the exercises, inputs, references, the grader, the README and the
    CI workflow; never the solutions (unless --keep-solutions), the tests,
    hidden variants or instructor-only notes. The course must pass
    `pixelkata check-course` first.

    \b
    Example:
      pixelkata release ../course-2026 --no-solution-command
    """
    from grader.course import release as releasing

    done = releasing.release(project, outdir, keep_solutions=keep_solutions, solution_command=solution_command,
                             check=not no_check, force=force)
    edition = "a self-study edition with solutions/" if done.solutions else "the learner's copy (no solutions)"
    click.echo(f"released {edition}: {done.files} files in {done.out}")
    click.echo(f"the solution command is {'on' if done.solution_command else 'off'} "
               f"(pixelkata.toml: solutions = {'true' if done.solution_command else 'false'}).")
    if done.left_out:
        click.echo("left out: " + ", ".join(done.left_out))
    click.echo(f"check it: cd {done.out} && python3 -m venv .venv && .venv/bin/pip install -e . "
               "&& .venv/bin/pixelkata grade")


class _Ended(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal, ``kill``): handled as Ctrl-C is, so the workers are stopped and
    the grader's temporary folders removed, then the exit status says which signal it was."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _end_like_ctrl_c() -> None:
    """Turn SIGTERM and SIGHUP into :class:`_Ended` in the main thread (where the platform has them)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def ended(signum, frame):
        raise _Ended(signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            if signal.getsignal(number) is signal.SIG_DFL:
                signal.signal(number, ended)
        except (OSError, ValueError):
            pass


def _write_what_the_streams_can() -> None:
    """Let stdout and stderr replace what their encoding cannot write (a mark such as ✔ in Windows' cp1252, where
    output is redirected to a file; a path holding bytes that are not UTF-8) with "?" instead of raising: a grade
    whose output cannot be written must still record its run. Documents sent to stdout (JSON, JUnit) are written
    so that no character is lost (:func:`grader.ci.delivery.for_stream`)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass  # not a text stream of ours (a test's capture, a closed stream)


def main(argv=None) -> None:
    """Console entry point: runs the click group and turns our own crashes into exit code 3."""
    _end_like_ctrl_c()
    _write_what_the_streams_can()
    try:
        cli.main(args=argv, prog_name="pixelkata", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, _Ended) as exc:
        ended = exc if isinstance(exc, _Ended) else exc.__cause__
        if isinstance(ended, _Ended):  # click turns it into Abort
            click.echo("Stopped by a signal.", err=True)
            sys.exit(128 + ended.signum)
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception:
        click.echo("pixelkata hit a bug in its own code; nothing was lost. Please report it at the course's "
                   "issue tracker with the text below.", err=True)
        click.echo(traceback.format_exc(), err=True)
        sys.exit(BUG_EXIT)
