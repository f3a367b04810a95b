# hostile: lifts the recursion limit and recurses through C calls until the interpreter's C stack overflows
# task: to_rgb
# expect: error
import sys


class Deep:
    def __repr__(self):
        return repr(self)  # each level goes through C (PyObject_Repr)


def to_rgb(image):
    sys.setrecursionlimit(10**9)
    return repr(Deep())
