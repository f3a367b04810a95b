# hostile: leaves an .npy file whose header claims ten billion elements
# task: to_rgb
# expect: failed
# if-portable: error
import json
import os


def to_rgb(image):
    out = os.path.join(os.path.dirname(os.getcwd()), "out")
    header = "{'descr': '|u1', 'fortran_order': False, 'shape': (100000, 100000), }"
    header = header + " " * (118 - len(header)) + "\n"
    with open(os.path.join(out, "value.a1.npy"), "wb") as fh:
        fh.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\x00" * 1024)
    with open(os.path.join(out, "value.json"), "w") as fh:
        json.dump({"value": {"__array__": "value.a1.npy"}}, fh)
    with open(os.path.join(out, "result.json"), "w") as fh:
        json.dump({"status": "returned", "elapsed": 0.0}, fh)
    os._exit(0)
