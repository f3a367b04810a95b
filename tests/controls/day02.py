"""Day 2 controls: points as (row, col), colours read as RGB, outlines for fills; NumPy drawing."""
from tests.controls import correct, wrong

# --- outlined_circle


@wrong("outlined_circle", expect="points are (x, y)")
def center_as_row_col(canvas, center, radius, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.circle(out, (center[1], center[0]), radius, colour, thickness)
    return out


@wrong("outlined_circle", expect="OpenCV colours are (blue, green, red) tuples")
def colour_as_rgb(canvas, center, radius, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.circle(out, center, radius, tuple(colour[::-1]), thickness)
    return out


@wrong("outlined_circle", expect="where the reference drew nothing")
def filled_instead(canvas, center, radius, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.circle(out, center, radius, colour, -1)
    return out


@correct("outlined_circle")
def numpy_annulus(canvas, center, radius, colour, thickness):
    import numpy as np
    out = canvas.copy()
    yy, xx = np.mgrid[0:out.shape[0], 0:out.shape[1]]
    d = np.hypot(xx - center[0], yy - center[1])
    out[np.abs(d - radius) <= thickness / 2 + 0.5] = colour
    return out


# --- filled_circle


@wrong("filled_circle", expect="where a filled disc was asked for")
def thickness_one(canvas, center, radius, colour):
    import cv2
    out = canvas.copy()
    cv2.circle(out, center, radius, colour, 1)
    return out


@wrong("filled_circle", expect="points are (x, y)")
def disc_at_row_col(canvas, center, radius, colour):
    import cv2
    out = canvas.copy()
    cv2.circle(out, center[::-1], radius, colour, -1)
    return out


@wrong("filled_circle", expect="the canvas unchanged")
def forgot_to_draw_on_the_copy(canvas, center, radius, colour):
    import cv2
    out = canvas.copy()
    cv2.circle(canvas.copy(), center, radius, colour, -1)
    return out


@correct("filled_circle")
def numpy_disc(canvas, center, radius, colour):
    import numpy as np
    out = canvas.copy()
    yy, xx = np.mgrid[0:out.shape[0], 0:out.shape[1]]
    out[(xx - center[0]) ** 2 + (yy - center[1]) ** 2 <= radius ** 2] = colour
    return out


@correct("filled_circle")
def skimage_disk(canvas, center, radius, colour):
    from skimage.draw import disk
    out = canvas.copy()
    rr, cc = disk((center[1], center[0]), radius + 0.5, shape=out.shape[:2])
    out[rr, cc] = colour
    return out


# --- filled_rectangle


@wrong("filled_rectangle", expect="points are (x, y)")
def corners_as_row_col(canvas, top_left, bottom_right, colour):
    import cv2
    out = canvas.copy()
    cv2.rectangle(out, top_left[::-1], bottom_right[::-1], colour, -1)
    return out


@wrong("filled_rectangle", expect="OpenCV colours are (blue, green, red) tuples")
def rectangle_in_rgb(canvas, top_left, bottom_right, colour):
    import cv2
    out = canvas.copy()
    cv2.rectangle(out, top_left, bottom_right, colour[::-1], -1)
    return out




@correct("filled_rectangle")
def numpy_slice(canvas, top_left, bottom_right, colour):
    out = canvas.copy()
    (x1, y1), (x2, y2) = top_left, bottom_right
    out[y1:y2 + 1, x1:x2 + 1] = colour
    return out


# --- thick_line


@wrong("thick_line", expect="points are (x, y)")
def line_at_row_col(canvas, start, end, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.line(out, start[::-1], end[::-1], colour, thickness)
    return out


@wrong("thick_line", expect="OpenCV colours are (blue, green, red) tuples")
def beam_in_rgb(canvas, start, end, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.line(out, start, end, colour[::-1], thickness)
    return out


@wrong("thick_line", expect="drew only part of what the reference drew")
def thin_line(canvas, start, end, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.line(out, start, end, colour, 1)
    return out


@wrong("thick_line", expect="0..1 float picture")
def unit_floats(canvas, start, end, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.line(out, start, end, colour, thickness)
    return out / 255.0


@correct("thick_line")
def numpy_capsule(canvas, start, end, colour, thickness):
    import numpy as np
    out = canvas.copy()
    yy, xx = np.mgrid[0:out.shape[0], 0:out.shape[1]]
    p, q = np.array(start, float), np.array(end, float)
    v = q - p
    t = np.clip(((xx - p[0]) * v[0] + (yy - p[1]) * v[1]) / (v @ v), 0, 1)
    out[np.hypot(xx - p[0] - t * v[0], yy - p[1] - t * v[1]) <= thickness / 2 + 0.5] = colour
    return out


# --- put_text


@wrong("put_text", expect="where the reference drew nothing")
def origin_as_top_left(canvas, text, origin, scale, colour, thickness):
    import cv2
    out = canvas.copy()
    (_, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    cv2.putText(out, text, (origin[0], origin[1] + h), cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness)
    return out


@wrong("put_text", expect="drawn pixels match the reference")
def other_font(canvas, text, origin, scale, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.putText(out, text, origin, cv2.FONT_HERSHEY_PLAIN, scale, colour, thickness)
    return out


@wrong("put_text", expect="OpenCV colours are (blue, green, red) tuples")
def text_in_rgb(canvas, text, origin, scale, colour, thickness):
    import cv2
    out = canvas.copy()
    cv2.putText(out, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour[::-1], thickness)
    return out


@correct("put_text")
def keyword_arguments(canvas, text, origin, scale, colour, thickness):
    import cv2
    return cv2.putText(canvas.copy(), text, org=origin, fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=scale,
                       color=colour, thickness=thickness, lineType=cv2.LINE_8)


# --- draw_shapes


@wrong("draw_shapes", expect="a shape drawn later covers the ones before it")
def reverse_order(canvas, shapes):
    import cv2
    out = canvas.copy()
    for kind, *rest in reversed(shapes):
        if kind == "text":
            text, origin, scale, colour, thickness = rest
            cv2.putText(out, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness)
        else:
            a, b, colour, thickness = rest
            {"circle": cv2.circle, "rectangle": cv2.rectangle, "line": cv2.line}[kind](out, a, b, colour, thickness)
    return out


@wrong("draw_shapes", expect="where the reference drew nothing")
def everything_filled(canvas, shapes):
    import cv2
    out = canvas.copy()
    for kind, *rest in shapes:
        if kind == "text":
            text, origin, scale, colour, thickness = rest
            cv2.putText(out, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness)
        elif kind == "line":
            cv2.line(out, rest[0], rest[1], rest[2], rest[3])
        else:
            {"circle": cv2.circle, "rectangle": cv2.rectangle}[kind](out, rest[0], rest[1], rest[2], -1)
    return out


@correct("draw_shapes")
def dispatch_table(canvas, shapes):
    import cv2
    import numpy as np
    out = np.array(canvas)
    text = lambda img, t, o, s, c, th: cv2.putText(img, t, o, cv2.FONT_HERSHEY_SIMPLEX, s, c, th)  # noqa: E731
    draw = {"circle": cv2.circle, "rectangle": cv2.rectangle, "line": cv2.line, "text": text}
    for shape in shapes:
        draw[shape[0]](out, *shape[1:])
    return out


# --- poster (challenge: wrong answers stay below bronze, correct ones reach a tier)


@wrong("poster", expect="no tier yet")
def poster_in_rgb(canvas):
    import cv2
    out = canvas.copy()
    h, w = out.shape[:2]
    top = h - h // 5
    cv2.rectangle(out, (0, top), (w - 1, h - 1), (20, 60, 150), -1)
    cv2.line(out, (0, top), (w - 1, top), (255, 255, 255), 4)
    r = min(w, h) // 4
    cv2.circle(out, (w // 2, 2 * h // 5), r, (255, 215, 0), -1)
    cv2.circle(out, (w // 2, 2 * h // 5), r + 16, (255, 255, 255), 6)
    (tw, th), _ = cv2.getTextSize("IT'S OVER 9000!", cv2.FONT_HERSHEY_SIMPLEX, 1.2, 3)
    cv2.putText(out, "IT'S OVER 9000!", ((w - tw) // 2, h - h // 10 + th // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                (255, 255, 255), 3)
    return out


@wrong("poster", expect="no tier yet")
def aura_at_row_col(canvas):
    import cv2
    out = canvas.copy()
    h, w = out.shape[:2]
    top = h - h // 5
    cv2.rectangle(out, (0, top), (w - 1, h - 1), (150, 60, 20), -1)
    cv2.line(out, (0, top), (w - 1, top), (255, 255, 255), 4)
    r = min(w, h) // 4
    cv2.circle(out, (2 * h // 5, w // 2), r, (0, 215, 255), -1)
    cv2.circle(out, (2 * h // 5, w // 2), r + 16, (255, 255, 255), 6)
    (tw, th), _ = cv2.getTextSize("IT'S OVER 9000!", cv2.FONT_HERSHEY_SIMPLEX, 1.2, 3)
    cv2.putText(out, "IT'S OVER 9000!", ((w - tw) // 2, h - h // 10 + th // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                (255, 255, 255), 3)
    return out


@correct("poster")
def numpy_band_and_disc(canvas):
    import cv2
    import numpy as np
    out = canvas.copy()
    h, w = out.shape[:2]
    top = h - h // 5
    out[top:, :] = (150, 60, 20)
    cv2.line(out, (0, top), (w - 1, top), (255, 255, 255), 4)
    cx, cy, r = w // 2, 2 * h // 5, min(w, h) // 4
    yy, xx = np.mgrid[0:h, 0:w]
    out[(xx - cx) ** 2 + (yy - cy) ** 2 <= r * r] = (0, 215, 255)
    cv2.circle(out, (cx, cy), r + 16, (255, 255, 255), 6)
    (tw, th), _ = cv2.getTextSize("IT'S OVER 9000!", cv2.FONT_HERSHEY_SIMPLEX, 1.2, 3)
    cv2.putText(out, "IT'S OVER 9000!", ((w - tw) // 2, h - h // 10 + th // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                (255, 255, 255), 3)
    return out
