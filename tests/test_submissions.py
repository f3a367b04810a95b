"""Reading submissions: only the day files, and a clear refusal for anything that points elsewhere."""
from __future__ import annotations

import os
import stat
import subprocess
import zipfile

import pytest

from grader.classroom import similarity
from grader.classroom import submissions
from grader.errors import PixelkataError
from tests.classroom import git_commit

NAMES = ["day01_reading.py", "day02_shapes.py"]


def read_one(folder):
    (entry,) = submissions.discover(folder)
    return submissions.read(entry, NAMES)


def zip_with(path, members: dict, *, links=()):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")


@pytest.mark.parametrize("members", [
    {"exercises/day01_reading.py": "a = 1\n"},
    {"day01_reading.py": "a = 1\n"},
    {"alice/exercises/day01_reading.py": "a = 1\n", "__MACOSX/._x": ""},
    {"alice/day01_reading.py": "a = 1\n", "alice/notes.txt": "hi"},
])
def test_a_zip_is_read_wherever_its_day_files_sit(tmp_path, members):
    zip_with(tmp_path / "alice.zip", members)
    sub = read_one(tmp_path)
    assert sub.learner == "alice" and sub.modules == {"day01_reading.py": b"a = 1\n"} and not sub.problem


@pytest.mark.parametrize("name, phrase", [
    ("../evil.py", "climbs out of the folder"),
    ("alice/../../evil.py", "climbs out of the folder"),
    ("/etc/cron.d/evil", "is an absolute path"),
    ("C:\\Windows\\evil.py", "is an absolute path"),
])
def test_a_zip_member_that_escapes_refuses_the_whole_zip(tmp_path, name, phrase):
    zip_with(tmp_path / "mallory.zip", {"exercises/day01_reading.py": "a = 1\n", name: "x"})
    sub = read_one(tmp_path)
    assert sub.modules == {} and phrase in sub.problem and repr(name) in sub.problem


def test_a_zip_with_a_symbolic_link_is_refused(tmp_path):
    zip_with(tmp_path / "mallory.zip", {"exercises/notes.txt": "x"}, links=["exercises/day01_reading.py"])
    assert "is a symbolic link" in read_one(tmp_path).problem


def test_a_broken_or_empty_zip_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    assert "is not a readable zip file" in read_one(tmp_path / "a").problem
    (tmp_path / "b").mkdir()
    zip_with(tmp_path / "b" / "none.zip", {})
    assert "empty zip file" in read_one(tmp_path / "b").problem


def test_only_course_day_files_are_taken_from_a_folder(tmp_path):
    root = tmp_path / "subs" / "bob" / "exercises"
    root.mkdir(parents=True)
    (root / "day01_reading.py").write_text("a = 1\n")
    (root / "day01_helpers.py").write_text("b = 2\n")
    (root / "sitecustomize.py").write_text("import os\n")
    (root.parent / "conftest.py").write_text("import os\n")
    sub = read_one(tmp_path / "subs")
    assert sub.modules == {"day01_reading.py": b"a = 1\n"}


def test_a_symbolic_link_anywhere_on_the_way_is_refused(tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "day01_reading.py").write_text("a = 1\n")
    (tmp_path / "subs" / "eve").mkdir(parents=True)
    os.symlink(real, tmp_path / "subs" / "eve" / "exercises")
    assert "is a symbolic link" in read_one(tmp_path / "subs").problem


def test_an_oversized_module_is_refused(tmp_path):
    (tmp_path / "subs" / "big").mkdir(parents=True)
    (tmp_path / "subs" / "big" / "day01_reading.py").write_bytes(b"#" * (submissions.MAX_MODULE_BYTES + 1))
    assert "more than a day module can be" in read_one(tmp_path / "subs").problem


def test_the_content_hash_follows_exactly_what_is_graded(tmp_path):
    (tmp_path / "subs" / "kim").mkdir(parents=True)
    module = tmp_path / "subs" / "kim" / "day01_reading.py"
    module.write_text("a = 1\n")
    first = read_one(tmp_path / "subs").content_hash
    (tmp_path / "subs" / "kim" / "notes.txt").write_text("not graded")
    assert read_one(tmp_path / "subs").content_hash == first
    module.write_text("a = 2\n")
    assert read_one(tmp_path / "subs").content_hash != first


def test_a_git_file_pointing_at_another_repository_is_refused(tmp_path):
    (tmp_path / "subs" / "gil").mkdir(parents=True)
    (tmp_path / "subs" / "gil" / ".git").write_text("gitdir: /somewhere/else/.git\n")
    assert "is not a plain folder" in read_one(tmp_path / "subs").problem


def test_a_repository_borrowing_objects_is_refused(tmp_path):
    repo = tmp_path / "subs" / "ola"
    (repo / "exercises").mkdir(parents=True)
    (repo / "exercises" / "day01_reading.py").write_text("a = 1\n")
    git_commit(repo, "work")
    (repo / ".git" / "objects" / "info" / "alternates").write_text("/work/main/.git/objects\n")
    assert "borrows objects" in read_one(tmp_path / "subs").problem


def test_an_empty_repository_and_a_bare_one(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path / "a" / "new")], check=True)
    assert "no commit yet" in read_one(tmp_path / "a").problem
    repo = tmp_path / "work"
    (repo / "exercises").mkdir(parents=True)
    (repo / "exercises" / "day01_reading.py").write_text("a = 1\n")
    git_commit(repo, "work")
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(tmp_path / "b" / "pat.git")], check=True)
    sub = read_one(tmp_path / "b")
    assert sub.learner == "pat" and sub.entry.kind == "git" and sub.modules == {"day01_reading.py": b"a = 1\n"}


def test_a_ref_that_looks_like_an_option_is_a_usage_error(tmp_path):
    repo = tmp_path / "subs" / "ray"
    (repo / "exercises").mkdir(parents=True)
    (repo / "exercises" / "day01_reading.py").write_text("a = 1\n")
    git_commit(repo, "work")
    (entry,) = submissions.discover(tmp_path / "subs")
    with pytest.raises(PixelkataError, match="is not a git ref"):
        submissions.read(entry, NAMES, ref="--output=/tmp/x")


@pytest.mark.parametrize("spec, expected", [("1/3", [0, 3, 6]), ("3/3", [2, 5]), (None, list(range(8)))])
def test_shards_take_every_nth_entry_from_the_ith(spec, expected):
    assert submissions.shard(list(range(8)), spec) == expected


@pytest.mark.parametrize("spec", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(spec):
    with pytest.raises(PixelkataError, match="--shard"):
        submissions.shard([1, 2], spec)


def test_same_names_with_two_forms_stay_apart(tmp_path):
    (tmp_path / "sam").mkdir()
    zip_with(tmp_path / "sam.zip", {"day01_reading.py": "a = 1\n"})
    assert sorted(e.learner for e in submissions.discover(tmp_path)) == ["sam", "sam.zip"]


# --- similarity


STUB = '''"""Day one."""


def crop(image, x, y, width, height):
    """Return the rectangle."""
    # TODO: slice the rows, then the columns
    raise NotImplementedError
'''

MINE = '''"""Day one."""


def crop(image, x, y, width, height):
    """Return the rectangle."""
    top, left = y, x
    bottom = top + height
    right = left + width
    region = image[top:bottom, left:right]
    return region.copy()
'''

COPIED = '''"""My day one!"""


def crop(img, col, row, w, h):
    """Crop it."""
    t, l = row, col      # start
    b = t + h
    r = l + w
    part = img[t:b, l:r]   # the region
    return part.copy()
'''

OWN = '''def crop(image, x, y, width, height):
    import numpy as np
    rows = np.arange(y, y + height)
    cols = np.arange(x, x + width)
    return image[np.ix_(rows, cols)]
'''


def test_renamed_and_recommented_code_normalises_to_the_same_tokens():
    assert similarity.segments(MINE) == similarity.segments(COPIED)
    assert similarity.segments(MINE) != similarity.segments(OWN)


NESTED = '''"""Module docstring."""
if True:
    def crop(image):
        """Nested in an if."""
        return image
class Tools:
    """A class."""
    def grow(self, image):
        """A method."""
        try:
            def inner():
                """Inside a try."""
                return "kept"
        except ValueError:
            pass
        return image
'''


def test_every_docstring_is_dropped_wherever_its_function_or_class_is_and_other_strings_stay():
    assert similarity.segments(NESTED) == [
        ("if", "True", ":", ";", "{", "def", "V1", "(", "V2", ")", ":", ";", "{", "return", "V2"),
        ("}", "}", "class", "V1", ":", ";", "{", "def", "V2", "(", "V3", ",", "V4", ")", ":", ";", "{", "try", ":",
         ";", "{", "def", "V5", "(", ")", ":", ";", "{", "return", "S", ";", "}", "}", "except", "ValueError", ":",
         ";", "{", "pass", ";", "}", "return", "V4"),
    ]


def test_similarity_flags_copies_but_not_stubs_or_independent_work():
    modules = {"ann": {"d.py": MINE}, "ben": {"d.py": COPIED}, "cas": {"d.py": OWN},
               "dov": {"d.py": STUB}, "eli": {"d.py": STUB}}
    pairs = similarity.similar_pairs(modules, {"d.py": STUB}, {"d.py": 1}, min_evidence=5)
    assert [(a, b, day) for a, b, day, _, _ in pairs] == [("ann", "ben", 1)]
    assert pairs[0][3] == 1.0


def test_code_most_of_the_class_shares_is_no_evidence():
    modules = {f"l{i}": {"d.py": MINE} for i in range(5)}
    assert similarity.similar_pairs(modules, {"d.py": STUB}, {"d.py": 1}, min_evidence=5) == []


def test_code_that_does_not_parse_is_still_compared():
    broken = MINE.replace("return region.copy()", "return region.copy(")
    assert similarity.segments(broken)
    pairs = similarity.similar_pairs({"a": {"d.py": broken}, "b": {"d.py": broken + "\n# again\n"}, "c": {"d.py": OWN}},
                                     {"d.py": STUB}, {"d.py": 1}, min_evidence=5)
    assert [(a, b) for a, b, *_ in pairs] == [("a", "b")]


def test_clusters_group_linked_pairs():
    groups = similarity.clusters([("a", "b", 1, 0.9, 30), ("b", "c", 1, 0.95, 30), ("x", "y", 2, 0.8, 30)])
    assert groups == [(1, ["a", "b", "c"], 0.95), (2, ["x", "y"], 0.8)]
