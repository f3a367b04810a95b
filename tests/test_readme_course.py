"""The README's course table and its short session say what the grader really prints."""
from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import copy_project
from tests.test_cli import run_cli

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_course_table_gives_each_day_the_title_the_grader_prints(course):
    rows = re.findall(r"^\| (\d+) \| (.+?) \| `exercises/(\S+)` \|$", README.read_text(), re.M)
    assert [(int(n), title, filename) for n, title, filename in rows] == \
        [(d.number, f"{d.title} ({d.theme})", d.filename) for d in course.days]
    # Two days in full, so the comparison above cannot pass on an empty table.
    assert (5, "Edge detection (Attack on Titan: find the Titan at the edges)", "day05_edges.py") in \
        [(int(n), t, f) for n, t, f in rows]
    assert (10, "Features (Naruto, the feature detective)", "day10_features.py") in [(int(n), t, f) for n, t, f in rows]


def _session() -> list[tuple[list[str], list[str]]]:
    """The README's short session: each ``$ pixelkata ...`` command with the lines printed under it."""
    text = README.read_text()
    block = text[text.index("A short session:"):]
    block = block[block.index("```\n") + 4:]
    block = block[:block.index("```")]
    steps = []
    for line in block.splitlines():
        if line.startswith("$ pixelkata "):
            steps.append((line[len("$ pixelkata "):].split(), []))
        else:
            steps[-1][1].append(line)
    return steps


def test_the_short_session_prints_what_the_readme_shows(capsys, tmp_path, project):
    course = copy_project(tmp_path, project)
    module = course.exercises / "day01_reading.py"
    module.write_text(module.read_text().replace(
        "    # TODO: slice rows first (y), then columns (x).\n    raise NotImplementedError",
        "    return image[x:x + width, y:y + height]"))  # the swapped slicing the README's prose names
    steps = _session()
    assert [args for args, _ in steps] == [["grade", "1", "crop"], ["hint", "1", "crop"], ["hint", "1", "crop"]]
    for args, shown in steps:
        _, out, err = run_cli(capsys, *args, "--root", str(course.root))
        printed = (out + err).replace(str(course.root), "/home/you/pixelkata").splitlines()
        # The README shows a session in the Linux sandbox; where the portable backend runs, grade says so on
        # one more line at the end, which the README's platform table describes instead.
        printed = [line for line in printed if not line.startswith("Ran in portable mode, not the Linux sandbox")]
        assert printed == shown, f"`pixelkata {' '.join(args)}`"
