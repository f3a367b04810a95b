# hostile: opens files until it may open no more
# task: to_rgb
# expect: error
# phrase: Too many open files
import os

HANDLES = []


def to_rgb(image):
    while True:
        HANDLES.append(open(os.devnull))
