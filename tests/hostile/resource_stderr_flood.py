# hostile: writes to stderr without end, straight to the file descriptor
# task: to_rgb
# expect: timed out
# phrase: only the first
# timeout: 1.5
import os


def to_rgb(image):
    block = b"E" * 65536
    while True:
        os.write(2, block)
