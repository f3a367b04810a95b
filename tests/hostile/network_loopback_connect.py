# hostile: connects to a port the test opens on the loopback interface; the right answer only if it got through
# task: to_rgb
# expect: failed
# if-off network: passed
# check: no connection
import socket


def to_rgb(image):
    try:
        with socket.create_connection(("127.0.0.1", __PORT__), timeout=1) as conn:
            conn.sendall(b"hello from the sandbox")
    except OSError:
        return image.copy()
    return image[:, :, ::-1].copy()
