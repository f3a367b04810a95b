"""The run as a Markdown summary: for a GitHub job summary or a pull-request comment.

One table per day (mark, task, outcome, metric, points, exactly as the
terminal shows them), then what to fix for each task that failed, with its
message and the hint the terminal shows (the named mistake's, else the first).
A message that ends with the metric in the table leaves it there.
"""
from __future__ import annotations

from grader.grading.results import GradeRun, Outcome
from grader.learner.terminal import points, task_label, task_mark, task_message
from grader.grading.naming import hint_for


def cell(text: str) -> str:
    """Text safe inside a table cell: no line breaks, no column breaks, no HTML."""
    text = " ".join(str(text).split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def to_markdown(run: GradeRun) -> str:
    counts = run.tally() if run.tasks else ""
    out = [f"## pixelkata: {points(run.points)}/{points(run.max_points)} points", ""]
    if not run.days:
        out += ["No exercises were graded.", ""]
        return "\n".join(out).rstrip("\n") + "\n"
    out += [counts, ""]
    for day in run.days:
        d = day.day
        out.append(f"### Day {d.number} · {cell(d.title)}: {points(day.points)}/{points(day.max_points)} points")
        out.append("")
        if day.error:
            out += [f"> **Error:** {cell(day.error)}", ""]
        out += ["| | task | outcome | metric | points |", "| :-: | --- | --- | --- | --: |"]
        for t in day.tasks:
            mark, _ = task_mark(t)
            out.append(f"| {mark} | {cell(t.name)} | {cell(task_label(t))} | {cell(t.metric_text)} | "
                       f"{points(t.points)}/{points(t.max_points)} |")
        out.append("")
        # A broken module fails every task for the one reason shown above.
        to_fix = [] if day.error else [t for t in day.tasks if t.attempted and not t.passed]
        if to_fix:
            out += ["**To fix:**", ""]
            for t in to_fix:
                out.append(f"- **{cell(t.name)}** ({cell(task_label(t))}): {cell(task_message(t))}")
                if t.task.hints:
                    out.append(f"  *Hint:* {cell(hint_for(t))}")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
