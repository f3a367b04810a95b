"""Similarity flags: learners whose code for a day is near-identical, for the instructor to review.

Each day module is normalised before it is compared: comments, docstrings and
whitespace are dropped, every string literal becomes one token, and names are
replaced by their order of first use within each top-level function (``image``
and ``img`` both become ``V1``); attribute names (``cv2.resize``), keywords and
builtins stay. Functions still identical to the stub the course gave out are
left out, since everyone starts from them.

The code is cut into overlapping runs of five tokens. Two learners' similarity
on a day is the weighted Jaccard index of their runs: shared runs over all
runs, each run weighted by how rare it is in the class (log((N + 1) / number of
learners who have it)), so code that everyone writes the same way counts for
little. A pair is flagged when its similarity reaches the threshold *and* it
shares at least ``MIN_EVIDENCE`` distinctive runs, ones that at most half the
class has: a shared canonical one-liner is no evidence of copying. A flag is a
prompt to look at two files side by side, never a penalty.
"""
from __future__ import annotations

import ast
import builtins
import functools
import io
import keyword
import math
import re
import tokenize
from collections import defaultdict

SHINGLE = 5
THRESHOLD = 0.8
MIN_EVIDENCE = 20

_BUILTINS = set(dir(builtins))
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_STRUCTURE = {tokenize.NEWLINE: ";", tokenize.INDENT: "{", tokenize.DEDENT: "}"}


@functools.lru_cache(maxsize=4096)
def _segments(source: str) -> tuple:
    return tuple(_segments_of(source))


def segments(source: str) -> list[tuple]:
    """The normalised tokens of each top-level statement of ``source`` (a function, an import...).

    Remembered per source text in this process (a batch run compares every module again, and a
    learner's unchanged module is the same text in the next run).
    """
    return list(_segments(source))


def _segments_of(source: str) -> list[tuple]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [tuple(_rough_tokens(source))] if source.strip() else []
    docstrings = _docstring_starts(tree)
    spans = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        spans.append((first, node.end_lineno or node.lineno))
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [tuple(_rough_tokens(source))]
    out = []
    i = 0
    for first, last in spans:
        seg = []
        while i < len(tokens) and tokens[i].start[0] < first:
            i += 1
        while i < len(tokens) and tokens[i].start[0] <= last:
            seg.append(tokens[i])
            i += 1
        norm = _normalise(seg, docstrings)
        if norm:
            out.append(tuple(norm))
    return out


_HAS_DOCSTRING = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def _docstring_starts(tree) -> set:
    """Where each docstring starts. Only statements can hold one, so expressions are not visited."""
    starts = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        body = getattr(node, "body", None)
        if isinstance(node, _HAS_DOCSTRING) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            starts.add((body[0].value.lineno, body[0].value.col_offset))
        for name in _STATEMENT_LISTS:
            children = getattr(node, name, None)
            if isinstance(children, list):
                todo += children
    return starts


def _normalise(tokens, docstrings: set) -> list[str]:
    names: dict[str, str] = {}
    out: list[str] = []
    previous = ""
    for tok in tokens:
        kind = tok.type
        if kind in _SKIP:
            continue
        if kind == tokenize.STRING and tok.start in docstrings:
            continue
        if kind in _STRUCTURE:
            text = _STRUCTURE[kind]
        elif kind == tokenize.NAME:
            word = tok.string
            if keyword.iskeyword(word) or word in _BUILTINS or previous == ".":
                text = word
            else:
                text = names.setdefault(word, f"V{len(names) + 1}")
        elif kind == tokenize.STRING or getattr(tokenize, "FSTRING_START", -1) == kind:
            text = "S"
        else:
            text = tok.string
        if text == ";" and out and out[-1] in (";", "{", "}"):
            continue
        out.append(text)
        previous = tok.string if kind == tokenize.OP else ""
    while out and out[-1] in (";", "}"):
        out.pop()
    return out


def _rough_tokens(source: str) -> list[str]:
    """For code that does not parse: words and symbols, comments dropped."""
    text = "\n".join(line.split("#", 1)[0] for line in source.splitlines())
    return re.findall(r"\w+|[^\w\s]", text)


def shingles(source: str, stub_segments: set) -> set:
    """The five-token runs of a module's own code (segments still equal to the stub's are left out)."""
    out = set()
    for seg in segments(source):
        if seg in stub_segments:
            continue
        if len(seg) < SHINGLE:
            out.add(hash(seg))
            continue
        for i in range(len(seg) - SHINGLE + 1):
            out.add(hash(seg[i:i + SHINGLE]))
    return out


def similar_pairs(modules: dict, stubs: dict, days: dict, *, threshold: float = THRESHOLD,
                  min_evidence: int = MIN_EVIDENCE) -> list[tuple]:
    """Flagged pairs as (learner a, learner b, day, similarity, distinctive runs shared), a < b.

    ``modules`` is {learner: {file: source}}, ``stubs`` {file: stub source},
    ``days`` {file: day number}.
    """
    flagged = []
    for file, day in sorted(days.items(), key=lambda kv: kv[1]):
        stub = set(segments(stubs.get(file, "")))
        sets = {}
        for learner, files in modules.items():
            if file in files:
                s = shingles(files[file], stub)
                if s:
                    sets[learner] = s
        flagged += [(a, b, day, score, evidence)
                    for a, b, score, evidence in _compare(sets, threshold, min_evidence)]
    return flagged


def _compare(sets: dict, threshold: float, min_evidence: int):
    n = len(sets)
    if n < 2:
        return []
    df: dict = defaultdict(int)
    for s in sets.values():
        for x in s:
            df[x] += 1
    weight = {x: math.log((n + 1) / c) for x, c in df.items()}
    distinctive_limit = max(2, n // 2)
    postings: dict = defaultdict(list)
    for learner, s in sets.items():
        for x in s:
            if 2 <= df[x] <= distinctive_limit:
                postings[x].append(learner)
    shared: dict = defaultdict(int)
    for learners in postings.values():
        learners.sort()
        for i, a in enumerate(learners):
            for b in learners[i + 1:]:
                shared[(a, b)] += 1
    out = []
    for (a, b), evidence in shared.items():
        if evidence < min_evidence:
            continue
        sa, sb = sets[a], sets[b]
        both = sum(weight[x] for x in sa & sb)
        either = sum(weight[x] for x in sa | sb)
        score = both / either if either else 0.0
        if score >= threshold:
            out.append((a, b, round(score, 3), evidence))
    return sorted(out, key=lambda r: (-r[2], r[0], r[1]))


def clusters(pairs: list) -> list[tuple]:
    """Groups of learners linked by flagged pairs, per day: [(day, [learners...], best score)]."""
    by_day: dict = defaultdict(list)
    for a, b, day, score, _ in pairs:
        by_day[day].append((a, b, score))
    out = []
    for day, edges in sorted(by_day.items()):
        parent: dict = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        best: dict = defaultdict(float)
        for a, b, _ in edges:
            parent[find(a)] = find(b)
        groups: dict = defaultdict(set)
        for a, b, score in edges:
            root = find(a)
            groups[root] |= {a, b}
            best[root] = max(best[root], score)
        for root, members in groups.items():
            out.append((day, sorted(members), best[root]))
    return sorted(out, key=lambda g: (g[0], -len(g[1]), g[1]))
