"""What `pixelkata grade` loads late, and what happens when something loaded late is broken.

The workers start before the grader loads the checks, and the report is
loaded only after grading: a broken install of what comes late loses the
report, never the results, and says so in one line.
"""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import grader.learner
from grader.learner import report
from tests.conftest import ROOT, begin_day, copy_project
from tests.test_cli import run_cli


def test_the_workers_start_before_the_checks_numpy_and_opencv_are_loaded(tmp_path, project):
    course = copy_project(tmp_path, project)
    begin_day(course, 1)
    script = textwrap.dedent(f"""
        import sys
        from grader.engine import runner
        loaded = []
        real = runner.Runner.__init__
        def start(self, *a, **k):
            loaded.append(sorted(m for m in ("grader.checks", "cv2", "jinja2", "grader.learner.report")
                                 if m in sys.modules))
            real(self, *a, **k)
        runner.Runner.__init__ = start
        from grader.cli import main
        try:
            main(["grade", "1", "shape_of", "--root", {str(course.root)!r}])
        except SystemExit as exc:
            print("exit", exc.code, "loaded before the workers:", loaded)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "exit 0 loaded before the workers: [[]]" in done.stdout, done.stdout + done.stderr


def test_grade_without_jinja2_shows_and_records_the_results_and_says_why_there_is_no_report(
        capsys, tmp_path, project, monkeypatch):
    course = copy_project(tmp_path, project)
    monkeypatch.setattr(report, "_ENV", None)
    monkeypatch.setitem(sys.modules, "jinja2", None)  # `import jinja2` now raises ImportError
    code, out, err = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root))
    assert code == 2 and re.search(r"shape_of +not attempted", out), out
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and errors[0].startswith("Error: cannot draw the HTML report: jinja2 failed to import "
                                                     "(ModuleNotFoundError: "), err
    assert "pip install -e ." in errors[0] and "Traceback" not in err and "bug" not in err
    assert not (course.state / "report.html").exists()
    code, out, _ = run_cli(capsys, "progress", "--root", str(course.root))
    assert code == 0 and "1 grading run recorded" in out, out
    code, _, err = run_cli(capsys, "report", "--root", str(course.root))
    assert code == 2 and err.startswith("Error: cannot draw the HTML report: jinja2 failed to import")
    assert len(err.strip().splitlines()) == 1, err


def test_grade_with_the_report_package_broken_still_shows_the_results_in_one_line(capsys, tmp_path, project,
                                                                                   monkeypatch):
    course = copy_project(tmp_path, project)
    monkeypatch.delattr(grader.learner, "report")
    monkeypatch.setitem(sys.modules, "grader.learner.report", None)
    code, out, err = run_cli(capsys, "grade", "1", "shape_of", "--root", str(course.root))
    assert code == 2 and re.search(r"shape_of +not attempted", out), out
    assert err.strip().splitlines() == [
        "Error: this run was not recorded and its HTML report not drawn: grader.learner.report failed to import "
        "(ModuleNotFoundError: import of grader.learner.report halted; None in sys.modules). Reinstall pixelkata "
        "(pip install -e .) to get them back."], err
