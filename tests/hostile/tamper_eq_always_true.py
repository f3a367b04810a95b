# hostile: returns an object that claims to equal anything
# task: to_rgb
# expect: failed
# phrase: returned


class Liar:
    shape = (0,)
    dtype = "uint8"

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array__(self, *a, **k):
        raise TypeError("no")


def to_rgb(image):
    return Liar()
