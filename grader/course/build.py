"""Making and re-checking ``reference_images/`` (course authors only).

``build()`` draws every input picture, runs every reference solution through
the same isolated runner learners get, and stores what came back losslessly,
listing each file's SHA-256 and the library versions in ``manifest.json``.
``verify()`` re-runs the solutions and reports any reference that no longer
matches (library drift) or whose hash differs from the manifest.
"""
from __future__ import annotations

from collections.abc import Iterable

import ast
import hashlib
import json
import lzma
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import checks, values
from grader.course.cases import fixed_expected, inputs_used, materialize
from grader.checks import CaseContext, Raised
from grader.course import load_course
from grader.errors import PixelkataError
from grader.course.pictures import all_pictures
from grader.course.project import Project
from grader.course.references import (FORMAT, MANIFEST, RAISED, TIMINGS, UNHASHED, References, case_fingerprint,
                               case_key, array_bases, decode_value, encode_value, expected_folder,
                               library_versions, mistakes_folder, sha256, stores_outcomes)
from grader.course.stubs import STUBS, stub_digest
from grader.engine.runner import Job, Runner

SOURCES = "SOURCES.md"


class _FreshInputs(References):
    """Inputs straight from the folder being built (hashes not yet recorded)."""

    def verified(self, rel: str) -> Path:
        path = self.folder / rel
        if not path.is_file():
            raise PixelkataError(f"input {rel} was not generated: register it in grader/course/pictures/.")
        return path


@dataclass
class BuildReport:
    inputs: int = 0
    references: int = 0
    mistake_outputs: int = 0  # cases whose catalogued mistakes' outputs are stored, for naming in a release
    removed: list = field(default_factory=list)


def build(project: Project, *, runner: Runner | None = None, workers: int = 2, log=print) -> BuildReport:
    course = load_course()
    folder = project.references
    folder.mkdir(exist_ok=True)
    report = BuildReport()
    keep: set[str] = set()
    fingerprints: dict[str, str] = {}
    timings: dict[str, float] = {}
    blobs: dict = {}  # each task's packed mistake outputs -> its unpacked size
    left_out: dict = {}  # case key -> mistakes whose outputs are too large to store
    solved: dict = {}  # case key -> the case's reference (None without one), for the mistakes below
    ran: list = []  # (day, task) whose catalogued mistakes were run, for the manifest's mistake_sources

    # 1. Inputs, drawn by code.
    pictures = all_pictures()
    for name, pic in pictures.items():
        arr = pic.make()
        target = folder / "inputs" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_array(target, arr)
        keep.add(f"inputs/{name}")
        report.inputs += 1
    refs = _FreshInputs(folder)

    # 2. Expected outputs, from the reference solutions; first each stub's digest, as the course ships it.
    stubs = shipped_stub_digests(project, course)
    own = runner is None
    runner = runner or Runner(workers)
    try:
        for day in course.days:
            module = project.solutions / day.filename
            if not module.is_file():
                raise PixelkataError(f"solutions/{day.filename} is missing: every day needs a reference solution.")
            for task in day.tasks:
                for case in task.cases:
                    check = checks.check_for(task, case)
                    args, kwargs, files = materialize(case, refs)
                    raw = runner.run(Job(module=module, function=task.function, args=args, kwargs=kwargs,
                                         timeout=max(task.timeout, 60.0), files=files, preload=task.preload))
                    where = f"{task.key} case {case.id}"
                    if raw.elapsed is not None:
                        timings[case_key(task, case)] = round(float(raw.elapsed), 4)
                    ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
                    if not check.needs_reference:
                        actual = solution_answer(raw, where)
                        verdict = check.compare(actual, None, ctx)
                        if not verdict.passed:
                            raise PixelkataError(f"the solution fails its own check on {where}: {verdict.message}")
                        if stores_outcomes(check):
                            solved[case_key(task, case)] = None
                        continue
                    if raw.status != "returned":
                        raise PixelkataError(f"the solution for {where} did not return a value "
                                             f"({raw.status}: {raw.info.get('message', '')}).")
                    if fixed_expected(case) is not None:
                        # The case's reference is a true answer (drawn with the inputs, or written in the
                        # manifest); the solution only has to pass against it, and no reference is stored
                        # (the mistakes' outputs are, below).
                        truth = refs.expected(task, case)
                        verdict = check.compare(raw.value, truth, ctx)
                        if not verdict.passed:
                            raise PixelkataError(f"the solution fails its check against the true reference on "
                                                 f"{where}: {verdict.message}")
                        solved[case_key(task, case)] = truth
                        continue
                    value = check.reference_from(raw.value)
                    solved[case_key(task, case)] = value
                    verdict = check.compare(value, value, ctx)
                    if not verdict.passed:
                        raise PixelkataError(f"the solution's output for {where} does not pass its own check: "
                                             f"{verdict.message}")
                    fingerprints[case_key(task, case)] = case_fingerprint(case)
                    out = folder / expected_folder(task)
                    for path in values.save(value, out, case.id, png=True):
                        keep.add(path.relative_to(folder).as_posix())
                        report.references += 1
            log(f"day {day.number}: {sum(len(t.cases) for t in day.tasks)} cases built")
        # 2b. The catalogued mistakes' outputs on the visible cases: a release has no catalogue/ to run,
        # and names a failure by these (grader/grading/naming.py).
        mistakes = _mistake_outputs(project, course, refs, runner, solved, folder, keep, blobs, left_out, ran)
        report.mistake_outputs = len(mistakes)
        if mistakes:
            log(f"the catalogued mistakes' outputs stored for {report.mistake_outputs} cases"
                + (f"; too large to store: {sum(len(v) for v in left_out.values())}" if left_out else ""))
    finally:
        if own:
            runner.close()

    # 3. Origins and licences, then remove anything no longer produced.
    (folder / SOURCES).write_text(_sources(pictures))
    keep.add(SOURCES)
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in keep and rel not in UNHASHED:
            path.unlink()
            report.removed.append(rel)
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()

    files = {rel: sha256(folder / rel) for rel in sorted(keep)}
    manifest = {
        "format": FORMAT,
        "course_version": course.version,
        "versions": library_versions(),
        "files": files,
        "cases": dict(sorted(fingerprints.items())),
        "mistakes": dict(sorted(mistakes.items())),
        "mistake_blobs": dict(sorted(blobs.items())),
        "mistakes_not_stored": dict(sorted(left_out.items())),
        MISTAKE_SOURCES: {task.key: mistake_source_digest(project, day, task, files)
                          for day, task in sorted(ran, key=lambda dt: dt[1].key)},
        STUBS: stubs,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    (folder / TIMINGS).write_text(json.dumps(dict(sorted(timings.items())), indent=1) + "\n")
    return report


STORED_OUTPUT_CAP = 1_000_000  # bytes, packed: a larger output is not stored (the largest today: 600 kB of floats)


def _shifted(spec: dict, offset: int) -> dict:
    """``spec`` with its blob offsets moved by ``offset`` (it was encoded into a blob of its own)."""
    for array in spec.get("arrays", []):
        array["at"] = [array["at"][0] + offset, array["at"][1]]
    if "tree_at" in spec:
        spec["tree_at"] = [spec["tree_at"][0] + offset, spec["tree_at"][1]]
    return spec


def _mistake_outputs(project: Project, course, refs, runner: Runner, solved: dict, folder: Path, keep: set,
                     blobs: dict, left_out: dict, ran: list) -> dict:
    """Run every task's catalogued mistakes on its visible cases and store what they return.

    Every mistake's outcome goes into one LZMA-packed file per task, ``mistakes/dayNN/<task>.xz``, so that
    the stored outcomes are exactly what running the catalogue gives (a grade uses them in its place,
    :meth:`~grader.grading.entries.Entries.stored_stand_in`): each array as its difference from the
    reference or an argument where that packs smaller (:func:`~grader.course.references.encode_array`;
    an output equal to the solution's or to another mistake's costs almost nothing packed), the rest as
    plain data, an exception as its type and bases (naming compares no more; its message may name
    the case's temporary folder). Left out, and listed in ``left_out``: an
    entry that could not run, an output that packs larger than :data:`STORED_OUTPUT_CAP` (floats that
    resemble nothing stored; in a release the general diagnosis alone names them), and one that does not
    come back from its stored form as the same value. The file starts with its index (case id -> mistake
    -> spec).
    Returns the manifest's ``mistakes`` index: case key -> {fingerprint, blob}; ``blobs`` gets each
    file's unpacked size; ``ran`` gets every (day, task) whose mistakes were run, stored or not.
    """
    from grader.course.catalogue import module_path
    from grader.grading.entries import NOT_RUN, Entries

    index: dict = {}
    with Entries(project.root) as entries:
        for day in course.days:
            if not module_path(project.root, day.filename).is_file():
                continue
            for task in day.tasks:
                if not task.mistakes:
                    continue
                cases = [c for c in task.cases if stores_outcomes(checks.check_for(task, c))
                         and case_key(task, c) in solved]
                if not cases:
                    continue
                ran.append((day, task))
                calls = [materialize(c, refs) for c in cases]
                outputs = entries.run_cases(runner, day, task, [m.function for m in task.mistakes], calls,
                                            timeout=max(task.timeout, 60.0), hide=(folder,))
                blob, rel, header = bytearray(), f"{mistakes_folder(task)}.xz", {}
                for case, (args, _, _), found in zip(cases, calls, outputs):
                    bases, specs = array_bases(solved[case_key(task, case)], args), {}
                    for m in task.mistakes:
                        value = found[m.function]
                        if isinstance(value, Raised):  # its message may name the case's temporary folder
                            specs[m.name] = {RAISED: [value.type, list(value.names), ""]}
                            continue
                        trial = bytearray()
                        spec = None if value is NOT_RUN else encode_value(value, bases, trial)
                        if spec is None or len(lzma.compress(bytes(trial), preset=1)) > STORED_OUTPUT_CAP \
                                or not same_value(decode_value(bytes(trial), spec, bases), value):
                            left_out.setdefault(case_key(task, case), []).append(m.name)
                            continue
                        specs[m.name] = _shifted(spec, len(blob))
                        blob.extend(trial)
                    if specs:
                        header[case.id] = specs
                        index[case_key(task, case)] = {"fingerprint": case_fingerprint(case), "blob": rel}
                if header:
                    # One LZMA stream per task (its index, a newline, the outputs' bytes): one file, and the
                    # mistakes' outputs share its dictionary.
                    packed = json.dumps(header, sort_keys=True, separators=(",", ":")).encode() + b"\n" + bytes(blob)
                    path = folder / rel
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(lzma.compress(packed, preset=9))
                    keep.add(rel)
                    blobs[rel] = len(packed)
    return index


# manifest.json: task key -> the SHA-256 of what its stored mistake outputs came from (mistake_source_digest)
MISTAKE_SOURCES = "mistake_sources"


#: How the outcomes are stored, part of every digest: outputs stored by an earlier form (which left out an output
#: equal to the solution's or to another mistake's, and exceptions) are stale, not complete stand-ins.
STORED_FORM = 2


def mistake_source_digest(project: Project, day, task, files: dict) -> str:
    """The SHA-256 of everything a task's stored mistake outputs depend on, beyond the cases' arguments (the
    manifest's ``mistakes`` fingerprints hold those): how they are stored (:data:`STORED_FORM`), the task's
    catalogued mistakes (names, functions, and the source of each function with the module code it can reach,
    :func:`reachable_source`), and the SHA-256 of the task's references and input pictures in ``files`` (the
    outputs are stored as differences from them). A change to any of these makes the stored outputs stale: a
    release could name a mistake an answer no longer matches, and a grade would use outcomes a run no longer
    gives. (The solution is not among them: every outcome is stored, whether it equals the solution's or not,
    and a solution that changes its references changes ``files``.)
    """
    from grader.course.catalogue import module_path

    expected = expected_folder(task) + "/"
    used = {f"inputs/{name}" for case in task.cases for name in inputs_used(case)}
    doc = {
        "stored": STORED_FORM,
        "mistakes": [[m.name, m.function] for m in task.mistakes],
        "catalogue": reachable_source(module_path(project.root, day.filename), [m.function for m in task.mistakes]),
        "files": {rel: digest for rel, digest in sorted(files.items()) if rel.startswith(expected) or rel in used},
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def reachable_source(path: Path, roots: list[str]) -> str:
    """The source text of ``path`` that the functions ``roots`` can depend on: every top-level statement
    that is not a function or class (imports, constants), and every function or class those statements or
    ``roots`` name, and those name, and so on, in file order. Editing another task's function leaves it
    unchanged. Line endings are normalised, so a checkout with CRLF endings reads the same; an unreadable
    or unparsable file gives a text that names the fault (its digest matches nothing recorded)."""
    try:
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        tree = ast.parse(text)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as exc:
        return f"<{path.name} unreadable: {type(exc).__name__}>"
    lines = text.splitlines(keepends=True)
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    defs = {node.name: node for node in tree.body if isinstance(node, kinds)}

    def names(node) -> set:
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}

    wanted: set = set()
    todo = list(roots)
    for node in tree.body:
        if not isinstance(node, kinds):
            todo += names(node)
    while todo:
        name = todo.pop()
        if name in defs and name not in wanted:
            wanted.add(name)
            todo += names(defs[name])
    parts = []
    for node in tree.body:
        if isinstance(node, kinds) and node.name not in wanted:
            continue
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        parts.append("".join(lines[first - 1:node.end_lineno]))
    missing = sorted(set(roots) - set(defs))
    return "".join(parts) + (f"<missing: {', '.join(missing)}>" if missing else "")


def stale_mistake_outputs(project: Project, course=None) -> list[Drift]:
    """Every task whose stored mistake outputs were made by other code or references than the course now
    has (the manifest's ``mistake_sources`` differ from :func:`mistake_source_digest`): a release would name
    mistakes by them. Empty when ``catalogue/`` is absent (a learner's copy cannot tell, and never builds)."""
    from grader.course.catalogue import FOLDER, module_path

    if not (project.root / FOLDER).is_dir():
        return []
    course = course or load_course()
    manifest = References(project.references).manifest
    files = manifest["files"]
    recorded = manifest.get(MISTAKE_SOURCES)
    recorded = recorded if isinstance(recorded, dict) else {}
    problems, seen = [], set()
    for day in course.days:
        for task in day.tasks:
            if not task.mistakes or not module_path(project.root, day.filename).is_file() or not any(
                    stores_outcomes(checks.check_for(task, c)) for c in task.cases):
                continue
            seen.add(task.key)
            rel = f"{mistakes_folder(task)}.xz"
            want = recorded.get(task.key)
            if want is None:
                problems.append(Drift(rel, "stale: the manifest records no source for the catalogued mistakes' "
                                           "stored outputs; rebuild with `pixelkata references build`"))
            elif want != mistake_source_digest(project, day, task, files):
                problems.append(Drift(rel, "stale: the catalogued mistakes or the references changed "
                                           "since their outputs were stored, so a release could name a mistake an "
                                           "answer does not make; rebuild with `pixelkata references build`"))
    for key in sorted(set(recorded) - seen):
        problems.append(Drift(key, "stale: its catalogued mistakes' outputs are recorded, but the course no longer "
                                   "catalogues mistakes for it; rebuild with `pixelkata references build`"))
    return problems


def shipped_stub_digests(project: Project, course) -> dict:
    """``{day file: stub_digest}`` of every day's stub in ``exercises/``, for the manifest's ``stubs``: grading
    takes a learner's file with that digest as untouched and judges it without running it. Raises PixelkataError
    when a stub is missing, or when one of its task functions no longer raises NotImplementedError (a solved
    working copy: recorded, it would be judged not attempted without running)."""
    from grader.course.lint import _raises_not_implemented

    found = {}
    for day in course.days:
        path = project.exercises / day.filename
        digest = stub_digest(path)
        if digest is None:
            raise PixelkataError(f"exercises/{day.filename} is missing or unreadable: every day needs its stub.")
        try:
            tree = ast.parse(path.read_bytes(), str(path))
        except (SyntaxError, ValueError) as exc:
            raise PixelkataError(f"exercises/{day.filename} is not valid Python ({exc}): restore the stub.") from None
        defined = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for task in day.tasks:
            fn = defined.get(task.function)
            if fn is None or not _raises_not_implemented(fn):
                raise PixelkataError(f"exercises/{day.filename}: {task.function}() is not the stub (it must raise "
                                     "NotImplementedError), and the references record the stubs as the course ships "
                                     f"them: restore it (`git checkout -- exercises/{day.filename}`) and build again.")
        found[day.filename] = digest
    return dict(sorted(found.items()))


def stale_stub_digests(project: Project, course=None) -> list[Drift]:
    """Every day whose stub in ``exercises/`` no longer has the digest the manifest's ``stubs`` records (edited
    since the references were built, or never recorded), and every recorded stub the course no longer has.
    Grading would take a learner's copy of the old stub as untouched, and run the new one. Empty when
    ``catalogue/`` is absent: a learner's copy edits its exercises/, and never builds."""
    from grader.course.catalogue import FOLDER

    if not (project.root / FOLDER).is_dir():
        return []
    course = course or load_course()
    recorded = References(project.references).manifest.get(STUBS)
    if not isinstance(recorded, dict):
        return [Drift(MANIFEST, "stale: it records no digest of the stubs in exercises/ (references built before "
                                "they were); rebuild with `pixelkata references build`")]
    problems = []
    for day in course.days:
        want = recorded.get(day.filename)
        if want is None:
            problems.append(Drift(MANIFEST, f"stale: no digest recorded for exercises/{day.filename}; "
                                            "rebuild with `pixelkata references build`"))
        elif want != stub_digest(project.exercises / day.filename):
            problems.append(Drift(MANIFEST, f"stale: exercises/{day.filename} changed since the references were "
                                            "built (its digest differs from the one recorded); rebuild with "
                                            "`pixelkata references build`"))
    for name in sorted(set(recorded) - {d.filename for d in course.days}):
        problems.append(Drift(MANIFEST, f"stale: a digest is recorded for exercises/{name}, which is no day of the "
                                        "course; rebuild with `pixelkata references build`"))
    return problems


def solution_answer(raw, where: str):
    """What a reference solution's run gave, as a check compares it: the returned value, or a
    :class:`~grader.checks.Raised` when it raised. Raises PixelkataError for any other ending (``where``
    names the task in the message)."""
    if raw.status == "raised":
        return Raised.from_info(raw.info)
    if raw.status == "returned":
        return raw.value
    raise PixelkataError(f"the solution for {where} neither returned nor raised ({raw.status}).")


def _write_array(target: Path, arr: np.ndarray) -> None:
    import cv2

    if target.suffix == ".png":
        ok, buf = cv2.imencode(".png", arr)
        if not ok:
            raise PixelkataError(f"could not encode {target.name} as PNG")
        target.write_bytes(buf.tobytes())
    elif target.suffix == ".npy":
        np.save(target, arr, allow_pickle=False)
    else:
        raise PixelkataError(f"input {target.name} must end in .png or .npy")


def _sources(pictures) -> str:
    lines = ["# Where every input picture comes from", "",
             "Generated by `pixelkata references build`; do not edit by hand.", "",
             "| file | origin | licence |", "| --- | --- | --- |"]
    for name, pic in pictures.items():
        lines.append(f"| inputs/{name} | {pic.origin} | {pic.licence} |")
    lines += ["", "Expected outputs under `expected/` are made by running `solutions/` on these inputs."]
    return "\n".join(lines) + "\n"


@dataclass
class Drift:
    where: str
    problem: str


def verify(project: Project, *, runner: Runner | None = None, workers: int = 2,
           days: Iterable[int] | None = None) -> list[Drift]:
    """Every reference that is missing, modified, stale, or no longer what the solutions produce.

    Every file's SHA-256 is always checked; with ``days`` (day numbers), only those days' input pictures are
    drawn again and only their solutions re-run (the costly part), as an author checks the day they edit.
    """
    course = load_course()
    chosen = None if days is None else {int(d) for d in days}
    refs = References(project.references)
    problems: list[Drift] = []
    listed = refs.manifest["files"]
    for rel, want in sorted(listed.items()):
        path = project.references / rel
        if not path.is_file():
            problems.append(Drift(rel, "missing"))
        elif sha256(path) != want:
            problems.append(Drift(rel, "modified: its SHA-256 differs from manifest.json"))
    for path in sorted(project.references.rglob("*")):
        rel = path.relative_to(project.references).as_posix()
        if path.is_file() and rel not in listed and rel not in UNHASHED:
            problems.append(Drift(rel, "not listed in manifest.json (a stray file)"))
    if problems:
        return problems
    # The catalogued mistakes' stored outputs must still come from the catalogue and references, and the stubs'
    # digests from the stubs.
    problems += stale_mistake_outputs(project, course)
    problems += stale_stub_digests(project, course)
    # Inputs must still be what the generators draw.
    for name, pic in all_pictures().items():
        if chosen is not None and name.split("/", 1)[0] not in {f"day{d:02d}" for d in chosen}:
            continue
        rel = f"inputs/{name}"
        if rel not in listed:
            problems.append(Drift(rel, "a registered input picture has no reference file"))
            continue
        if not same_value(pic.make(), refs.load_input(name)):
            problems.append(Drift(rel, "the generator now draws a different picture"))
    own = runner is None
    runner = runner or Runner(workers)
    try:
        for day in course.days:
            if chosen is not None and day.number not in chosen:
                continue
            module = project.solutions / day.filename
            for task in day.tasks:
                for case in task.cases:
                    check = checks.check_for(task, case)
                    where = f"{task.key} case {case.id}"
                    if not check.needs_reference:
                        continue
                    try:
                        expected = refs.expected(task, case)
                    except PixelkataError as exc:
                        problems.append(Drift(where, str(exc)))
                        continue
                    args, kwargs, files = materialize(case, refs)
                    raw = runner.run(Job(module=module, function=task.function, args=args, kwargs=kwargs,
                                         timeout=max(task.timeout, 60.0), files=files, preload=task.preload))
                    if raw.status != "returned":
                        problems.append(Drift(where, f"the solution no longer returns a value ({raw.status})"))
                        continue
                    if fixed_expected(case) is not None:
                        ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
                        still = check.compare(raw.value, expected, ctx)
                        if not still.passed:
                            problems.append(Drift(where, "the solution no longer passes against the case's true "
                                                         f"reference ({still.summary() or still.message})"))
                        continue
                    if not same_value(raw.value, expected):
                        ctx = CaseContext(task=task, case=case, args=args, kwargs=kwargs)
                        still = check.compare(raw.value, expected, ctx)
                        problems.append(Drift(where, "the solution's output differs from the stored reference "
                                                     f"({'the check still passes' if still.passed else 'the check now fails'}"
                                                     f"{': ' + still.summary() if still.summary() else ''}); "
                                                     "rebuild with `pixelkata references build` and review the change"))
    finally:
        if own:
            runner.close()
    return problems


def same_value(a, b) -> bool:
    """Whether two plain values are identical: same type, dtype, shape and every element (NaN equals NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f")))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if type(a) is not type(b):
        return False
    if isinstance(a, (float, np.floating)) and a != a:
        return b != b
    return a == b

