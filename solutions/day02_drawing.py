"""Day 2 - Shapes and text: reference solutions."""
import cv2


def outlined_circle(canvas, center, radius, colour, thickness):
    # Draw on a copy so the caller's canvas stays as it was; center is (x, y).
    out = canvas.copy()
    cv2.circle(out, center, radius, colour, thickness)
    return out


def filled_circle(canvas, center, radius, colour):
    # A negative thickness (cv2.FILLED is -1) fills the shape.
    out = canvas.copy()
    cv2.circle(out, center, radius, colour, cv2.FILLED)
    return out


def filled_rectangle(canvas, top_left, bottom_right, colour):
    # Both corners are (x, y) points and both are part of the rectangle.
    out = canvas.copy()
    cv2.rectangle(out, top_left, bottom_right, colour, cv2.FILLED)
    return out


def thick_line(canvas, start, end, colour, thickness):
    # A thick line gets rounded ends, half the thickness beyond each end point.
    out = canvas.copy()
    cv2.line(out, start, end, colour, thickness)
    return out


def put_text(canvas, text, origin, scale, colour, thickness):
    # origin is the bottom-left corner of the text, on its baseline.
    out = canvas.copy()
    cv2.putText(out, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness)
    return out


def draw_shapes(canvas, shapes):
    # Later shapes cover earlier ones, so draw them in the order given.
    out = canvas.copy()
    for shape in shapes:
        kind = shape[0]
        if kind == "circle":
            _, center, radius, colour, thickness = shape
            cv2.circle(out, center, radius, colour, thickness)
        elif kind == "rectangle":
            _, top_left, bottom_right, colour, thickness = shape
            cv2.rectangle(out, top_left, bottom_right, colour, thickness)
        elif kind == "line":
            _, start, end, colour, thickness = shape
            cv2.line(out, start, end, colour, thickness)
        elif kind == "text":
            _, text, origin, scale, colour, thickness = shape
            cv2.putText(out, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness)
        else:
            raise ValueError(f"unknown shape {kind!r}")
    return out


GOLD = (0, 215, 255)  # BGR: gold is mostly red and green
WHITE = (255, 255, 255)
ARMOUR = (150, 60, 20)  # BGR: Vegeta's dark blue
POSTER_TEXT = "IT'S OVER 9000!"


def poster(canvas):
    # Every position follows from the canvas size, so one function fits any canvas.
    out = canvas.copy()
    h, w = out.shape[:2]
    band_top = h - h // 5
    cv2.rectangle(out, (0, band_top), (w - 1, h - 1), ARMOUR, cv2.FILLED)
    cv2.line(out, (0, band_top), (w - 1, band_top), WHITE, 4)
    center = (w // 2, 2 * h // 5)
    radius = min(w, h) // 4
    cv2.circle(out, center, radius, GOLD, cv2.FILLED)
    cv2.circle(out, center, radius + 16, WHITE, 6)
    # getTextSize gives the text's width and height, so it can be centred.
    (text_w, text_h), _ = cv2.getTextSize(POSTER_TEXT, cv2.FONT_HERSHEY_SIMPLEX, 1.2, 3)
    origin = ((w - text_w) // 2, h - h // 10 + text_h // 2)
    cv2.putText(out, POSTER_TEXT, origin, cv2.FONT_HERSHEY_SIMPLEX, 1.2, WHITE, 3)
    return out
