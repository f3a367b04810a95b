"""The ``pixelkata`` command: thin click commands over the library functions.

Every command turns a :class:`~grader.errors.PixelkataError` into one line,
``Error: ...``, and exit code 2. Failed tasks exit 1. A crash of the grader's
own code exits 3 and asks for a bug report.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from grader import __version__

BUG_EXIT = 3


class PixelkataClickError(click.ClickException):
    exit_code = 2


def _fail(exc: Exception) -> None:
    raise PixelkataClickError(str(exc)) from None


def root_option(f):
    return click.option("--root", type=click.Path(path_type=Path), default=None,
                        help="The course folder (default: the nearest folder up from here holding "
                             "exercises/ and reference_images/).")(f)


def workers_option(f):
    return click.option("--jobs", "-j", "workers", type=click.IntRange(1, 64), default=2, show_default=True,
                        help="How many worker processes run learner code side by side.")(f)


def output_options(f):
    """--format/--output, one option per format, and the CI options of `grade` (see grader.delivery)."""
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pixelkata")
def cli():
    """pixelkata: a nine-day course in image processing, graded as you go.

    Start with `pixelkata grade`, fill in exercises/day01_reading.py, and grade again.
    """


@cli.command()
@click.argument("day", required=False)
@click.argument("task", required=False)
@click.option("--exercises", type=click.Path(path_type=Path), default=None,
              help="The folder holding your dayNN_*.py files (default: exercises/ in the course).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=None,
              help="Seconds each case may run (default: the task's own limit, usually 10).")
@click.option("--no-hints", is_flag=True, help="Do not print a hint under unfinished tasks.")
@report_options
@root_option
@workers_option
@output_options
def grade(day, task, exercises, timeout, no_hints, report_path, open_report, root, workers, formats, output,
          json_file, junit_file, gradescope_file, markdown_file, min_score, changed_since, references_from):
    """Grade your exercises: every day, one DAY, or one TASK of a day.

    Exit code 0 when everything you attempted passed (or the score reaches
    --min-score), 1 when something failed, 2 for a usage or set-up problem.
    Every run is recorded in .pixelkata/progress.db and drawn as an HTML
    report, .pixelkata/report.html unless --report says otherwise.

    \b
    Examples:
      pixelkata grade            # the whole course
      pixelkata grade 1          # day 1 only
      pixelkata grade 1 crop     # one task
      pixelkata grade --json results.json --junit results.xml
      pixelkata grade --references-from origin/main --changed-since origin/main
      pixelkata grade --open     # and open the report in your browser
    """
    from grader.runner import Runner

    # Start the workers first: they load numpy, OpenCV and scikit-image while we read the course.
    runner = Runner(workers)
    try:
        from grader import delivery, grading
        from grader.errors import PixelkataError
        from grader.project import find_project

        try:
            project = find_project(root)
            plan = delivery.plan(formats=formats, output=output, json=json_file, junit=junit_file,
                                 gradescope=gradescope_file, markdown=markdown_file, min_score=min_score,
                                 changed_since=changed_since, references_from=references_from)
            days = plan.days(project, day, exercises)
            with plan.references(project) as refs:
                run = grading.grade(project, exercises=exercises, day=days, task=task, timeout=timeout,
                                    runner=runner, references=refs, keep_images=True)
        except PixelkataError as exc:
            _fail(exc)
    finally:
        runner.close()
    try:
        code = plan.deliver(run, show_hints=not no_hints)
    except PixelkataError as exc:
        _fail(exc)
    saved = _save_report(project, run, report_path, open_report)
    sys.exit(code if saved.ok else 2)


def _save_report(project, run, report_path, open_report):
    """Record the run and write its report; problems are printed, never raised (grading already happened)."""
    from grader import report

    saved = report.save_run(project, run, report_path=report_path)
    _show_saved(saved, open_report)
    return saved


def _show_saved(saved, open_report) -> None:
    for note in saved.notes:
        click.echo(f"Note: {note}", err=True)
    for problem in saved.errors:
        click.echo(f"Error: {problem}", err=True)
    if saved.report is not None:
        click.echo(f"Report: {saved.report}", err=True)
        if open_report and click.launch(str(saved.report)) != 0:
            click.echo("Could not start a web browser here: open the report file yourself.", err=True)


@cli.command()
@root_option
def progress(root):
    """Show your progress per day: best and latest points, attempts, challenge tiers.

    Read from the progress database (.pixelkata/progress.db), without grading.

    \b
    Example:
      pixelkata progress
    """
    from grader import history
    from grader import progress as store
    from grader.course import load_course
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
        runs, notes = store.load_runs(store.default_path(project))
    except PixelkataError as exc:
        _fail(exc)
    for note in notes:
        click.echo(f"Note: {note}", err=True)
    for line in history.lines(history.summarise(runs, load_course())):
        click.echo(line)


@cli.command("report")
@report_options
@root_option
def report_command(report_path, open_report, root):
    """Write the HTML report again from the progress database, without grading.

    Pictures are drawn only by `pixelkata grade`; this report shows every task as last graded.

    \b
    Examples:
      pixelkata report
      pixelkata report --report ~/day1.html --open
    """
    from grader import report
    from grader.course import load_course
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
        saved = report.rerender(project, load_course(), report_path=report_path)
    except PixelkataError as exc:
        _fail(exc)
    _show_saved(saved, open_report)


@cli.command()
@click.option("--exercises", type=click.Path(path_type=Path), default=None,
              help="The folder holding your dayNN_*.py files (default: exercises/ in the course).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=None,
              help="Seconds each case may run (default: the task's own limit).")
@root_option
@workers_option
def watch(exercises, timeout, root, workers):
    """Re-grade a day every time you save its file; Ctrl-C stops.

    It checks the files a few times a second, so it works on any file system.
    If watching does not work on your machine, run `pixelkata grade` after
    each save instead.

    \b
    Example:
      pixelkata watch
    """
    from grader import terminal
    from grader import watch as watching
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
        watching.watch(project, exercises=exercises, echo=click.echo, clear=click.clear, workers=workers,
                       render=lambda run: terminal.render(run, show_hints=False), timeout=timeout)
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")
    except PixelkataError as exc:
        _fail(f"{exc} (If watching does not work here, run `pixelkata grade` after each save instead.)")
    except OSError as exc:
        _fail(f"watching stopped: {exc}. Run `pixelkata grade` after each save instead.")


@cli.command()
@click.argument("day", required=False)
@click.argument("task", required=False)
@root_option
def hint(day, task, root):
    """Show the next hint for a task; each call goes one level further.

    With no argument it picks the first task that is not passing yet (as last
    graded); with DAY, the first such task of that day.

    \b
    Examples:
      pixelkata hint             # the first task not passing yet
      pixelkata hint 1 crop      # the next hint for day 1's crop
    """
    from grader import hints
    from grader.course import load_course
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
        shown = hints.next_hint(project, load_course(), day, task)
    except PixelkataError as exc:
        _fail(exc)
    if shown is None:
        click.echo("Every task passes as last graded: there is nothing to hint at. Try the challenges' gold tier!")
        return
    t = shown.task
    click.echo(click.style(f"Day {t.day} · {t.name}: hint {shown.level} of {shown.total}", bold=True))
    click.echo(shown.text)
    if shown.last:
        click.echo(f"That was the last hint. Once the task passes, `pixelkata solution {t.day} {t.name}` "
                   "shows the reference solution.")
    else:
        click.echo(f"Still stuck? `pixelkata hint {t.day} {t.name}` gives the next one.")


@cli.command()
@click.argument("day")
@click.argument("task")
@click.option("--reveal", is_flag=True, help="Show it even though the task does not pass yet (this is recorded).")
@root_option
def solution(day, task, reveal, root):
    """Show the reference solution of a task, once your own passes.

    The task is graded first; before it passes, --reveal shows the solution
    anyway and records that you looked. An instructor can turn solutions off.

    \b
    Example:
      pixelkata solution 1 crop
    """
    from grader import grading, hints
    from grader.course import load_course
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
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
    except PixelkataError as exc:
        _fail(exc)
    click.echo(click.style(f"Reference solution of day {chosen.day} · {chosen.name}:", bold=True))
    click.echo(source)


@cli.command("list")
@click.argument("day", required=False)
@root_option
def list_days(day, root):
    """The syllabus, with each day's status and challenge tier as last graded.

    With DAY, that day's tasks too, with the hints you have used.

    \b
    Examples:
      pixelkata list
      pixelkata list 1
    """
    from grader import hints, progress, syllabus
    from grader.course import load_course
    from grader.errors import PixelkataError
    from grader.grading import parse_day
    from grader.project import find_project

    try:
        project = find_project(root)
        course = load_course()
        number = parse_day(day, course) if day is not None else None
        standing = hints.standing(project, course)
        used = {}
        if standing is not None:
            with progress.open_store(progress.default_path(project)) as store:
                used = store.hints_used()
    except PixelkataError as exc:
        _fail(exc)
    for line in syllabus.lines(course, standing, used, day=number):
        click.echo(line)


@cli.group()
def references():
    """Build or verify reference_images/ (course authors)."""


@references.command("build")
@root_option
@workers_option
def references_build(root, workers):
    """Draw the input pictures and regenerate every expected output from solutions/.

    \b
    Example:
      pixelkata references build
    """
    from grader import build
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
        report = build.build(project, workers=workers, log=click.echo)
    except PixelkataError as exc:
        _fail(exc)
    click.echo(f"wrote {report.inputs} input pictures and {report.references} reference files "
               f"to {project.references}")
    for rel in report.removed:
        click.echo(f"removed stale {rel}")


@references.command("verify")
@root_option
@workers_option
def references_verify(root, workers):
    """Check every reference's hash and re-run the solutions to catch drift.

    Exit code 1 when any reference is missing, modified or no longer matches.

    \b
    Example:
      pixelkata references verify
    """
    from grader import build
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
        problems = build.verify(project, workers=workers)
    except PixelkataError as exc:
        _fail(exc)
    for p in problems:
        click.echo(f"✘ {p.where}: {p.problem}")
    if problems:
        click.echo(f"{len(problems)} reference problem(s).")
        sys.exit(1)
    click.echo("every reference matches its hash and what the solutions produce.")


@cli.command("check-course")
@root_option
def check_course(root):
    """Lint the course: stubs, solutions, hints, references, orphans (course authors).

    Exit code 1 when a problem is found.

    \b
    Example:
      pixelkata check-course
    """
    from grader import lint
    from grader.errors import PixelkataError
    from grader.project import find_project

    try:
        project = find_project(root)
        problems = lint.check_course(project, log=click.echo)
    except PixelkataError as exc:
        _fail(exc)
    for p in problems:
        click.echo(f"✘ {p}")
    if problems:
        click.echo(f"{len(problems)} problem(s): the course is not ready to ship.")
        sys.exit(1)
    click.echo("the course is sound: every stub is untouched and every solution passes.")


@cli.command("sandbox")
def sandbox_command():
    """Show which protections the grader puts around your code on this machine.

    Starts one worker, lists every protection as on or off, and says why for
    each one that is off (the platform, the user you run as). Exit code 0.

    \b
    Example:
      pixelkata sandbox
    """
    from grader import terminal
    from grader.runner import Runner

    with Runner(1) as runner:
        limits = runner.limits()
    for line in terminal.render_protections(limits):
        click.echo(line)


def main(argv=None) -> None:
    """Console entry point: runs the click group and turns our own crashes into exit code 3."""
    from grader.course import CourseError

    try:
        cli.main(args=argv, prog_name="pixelkata", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except CourseError as exc:
        click.echo(f"Error: the course manifest is broken: {exc}", err=True)
        sys.exit(2)
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
