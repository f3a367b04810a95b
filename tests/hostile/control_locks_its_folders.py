# control: takes every permission away from its working folder, its output folder, its case folder and the two folders above, then answers correctly
# task: to_rgb
# expect: passed
import os

import cv2


def to_rgb(image):
    answer = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    work = os.getcwd()
    case = os.path.dirname(work)
    box = os.path.dirname(case)
    for folder in (os.path.join(case, "out"), work, case, box, os.path.dirname(box)):
        try:
            os.chmod(folder, 0)
        except OSError:
            pass
    return answer
