# hostile: writes 64 MiB files into its folder until the disk is full (it stops itself at 768 MiB)
# task: to_rgb
# expect: error
# phrase: No space left on device
# if-off disk: failed
import os


def to_rgb(image):
    block = b"\0" * (64 << 20)
    for i in range(12):
        with open(f"filler-{i}.bin", "wb") as fh:
            fh.write(block)
    return image.copy()
