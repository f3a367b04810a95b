# hostile: forks without end
# task: to_rgb
# expect: error
# requires: processes
# requires: clean-up
import os


def to_rgb(image):
    while True:
        os.fork()
