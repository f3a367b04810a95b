"""Every example in a stub's docstring holds for the reference solution.

The stubs teach through their examples; a wrong example would teach the wrong
thing. Each one is run as a doctest with the solution's functions in place of
the stub's. An example that reads a picture file by name runs in a folder holding a copy of the course's
input of that name.
"""
from __future__ import annotations

import ast
import doctest
import importlib.util
import re
import shutil

import pytest

from grader.course import load_course
from tests.conftest import ROOT


def examples():
    for day in load_course().days:
        tree = ast.parse((ROOT / "exercises" / day.filename).read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and ">>>" in (ast.get_docstring(node) or ""):
                yield pytest.param(day, node.name, ast.get_docstring(node), id=f"{day.slug}-{node.name}")


def solution_namespace(day) -> dict:
    import cv2
    import numpy as np

    spec = importlib.util.spec_from_file_location(f"solution_{day.slug}", ROOT / "solutions" / day.filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {"np": np, "cv2": cv2, **vars(module)}  # the stubs import both for the learner


@pytest.mark.parametrize("day, name, docstring", list(examples()))
def test_the_stubs_examples_hold_for_the_solution(day, name, docstring, tmp_path, monkeypatch):
    test = doctest.DocTestParser().get_doctest(docstring, solution_namespace(day), name, day.filename, 0)
    for picture in sorted({m for ex in test.examples for m in re.findall(r"[\w-]+\.png", ex.source)}):
        found = sorted((ROOT / "reference_images" / "inputs").rglob(picture))
        assert found, f"the example reads {picture}, which is not one of the course's inputs"
        shutil.copyfile(found[0], tmp_path / picture)
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    out = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
