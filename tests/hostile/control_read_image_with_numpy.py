# control: reads the picture file through numpy and cv2.imdecode
# task: read_image
# expect: passed
import cv2
import numpy


def read_image(path, gray=False):
    try:
        data = numpy.fromfile(str(path), numpy.uint8)
    except OSError as exc:
        raise FileNotFoundError(f"cannot read {path}") from exc
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError(f"cannot read {path}")
    return image
