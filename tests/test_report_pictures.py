"""The report's pictures are encoded once per content: kept between runs, never stale, same bytes either way."""
from __future__ import annotations

import base64
import sqlite3

import cv2
import numpy as np
import pytest

from grader.learner import report
from grader.learner.report import picture_cache
from grader.learner.report import pictures as pics


@pytest.fixture(autouse=True)
def _empty_memory_cache(monkeypatch):
    """Each test starts with nothing encoded in this process, as a new `pixelkata grade` does."""
    monkeypatch.setattr(pics, "_cache", type(pics._cache)())
    monkeypatch.setattr(pics, "_cache_bytes", [0])


def counted_encodings(monkeypatch) -> list:
    made = []
    real = pics._encode_new

    def encode(image, **kw):
        made.append(image.shape)
        return real(image, **kw)

    monkeypatch.setattr(pics, "_encode_new", encode)
    return made


def drawing(size=(120, 160)) -> np.ndarray:
    img = np.zeros(size + (3,), np.uint8)
    cv2.rectangle(img, (20, 20), (90, 70), (0, 200, 255), -1)
    return img


def decoded(encoded: pics.Encoded) -> np.ndarray:
    data = base64.b64decode(encoded.uri.split(",", 1)[1])
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)


def new_process(monkeypatch):
    """Forget what this process encoded, as the next `pixelkata grade` starts without it."""
    monkeypatch.setattr(pics, "_cache", type(pics._cache)())
    monkeypatch.setattr(pics, "_cache_bytes", [0])


def test_a_picture_kept_from_an_earlier_run_is_not_encoded_again(tmp_path, monkeypatch):
    made = counted_encodings(monkeypatch)
    img = drawing()
    with pics.kept_in(picture_cache.PictureCache(tmp_path / "pictures.db")) as cache:
        first = pics.thumbnail(img)
    cache.close()
    assert len(made) == 1 and (cache.hits, cache.misses) == (0, 1)

    new_process(monkeypatch)
    with pics.kept_in(picture_cache.PictureCache(tmp_path / "pictures.db")) as cache:
        again = pics.thumbnail(img.copy())
    cache.close()
    assert len(made) == 1 and (cache.hits, cache.misses) == (1, 0)
    assert (again.uri, again.width, again.height) == (first.uri, 144, 108)  # scaled to the thumbnail side
    assert first.note == again.note == "scaled from 160x120"


def test_a_changed_picture_never_shows_the_kept_encoding_of_the_old_one(tmp_path, monkeypatch):
    img = drawing()
    with pics.kept_in(picture_cache.PictureCache(tmp_path / "pictures.db")) as cache:
        old = pics.full(img)
    cache.close()
    new_process(monkeypatch)
    changed = img.copy()
    changed[5, 7] = (1, 2, 3)  # one pixel
    with pics.kept_in(picture_cache.PictureCache(tmp_path / "pictures.db")) as cache:
        shown = pics.full(changed)
    cache.close()
    assert shown.uri != old.uri and cache.hits == 0
    assert np.array_equal(decoded(shown), changed)  # lossless: exactly the new pixels
    # The same bytes read as another shape or dtype are another picture too.
    new_process(monkeypatch)
    with pics.kept_in(picture_cache.PictureCache(tmp_path / "pictures.db")) as cache:
        other = pics.full(img.reshape(160, 120, 3))
    cache.close()
    assert cache.hits == 0 and (other.width, other.height) == (120, 160)


def test_what_is_in_the_cache_file_is_what_is_shown_so_its_key_must_be_the_content(tmp_path, monkeypatch):
    img = drawing()
    path = tmp_path / "pictures.db"
    with pics.kept_in(picture_cache.PictureCache(path)) as cache:
        pics.thumbnail(img)
    cache.close()
    with sqlite3.connect(path) as db:
        (key,) = db.execute("SELECT key FROM pictures").fetchone()
        db.execute("UPDATE pictures SET uri = 'data:image/png;base64,AAAA'")
    assert key == pics.content_key(img, pics.THUMB_SIDE, lossless=False)
    new_process(monkeypatch)
    with pics.kept_in(picture_cache.PictureCache(path)) as cache:
        assert pics.thumbnail(img).uri == "data:image/png;base64,AAAA"
        assert pics.thumbnail(255 - img).uri != "data:image/png;base64,AAAA"
    cache.close()


def test_a_damaged_or_unwritable_cache_file_only_costs_time(tmp_path, monkeypatch):
    img = drawing()
    expected = pics._encode_new(img, lossless=True)
    damaged = tmp_path / "pictures.db"
    damaged.write_bytes(b"this is not a database" * 100)
    with pics.kept_in(picture_cache.PictureCache(damaged)) as cache:
        assert pics.full(img).uri == expected.uri
    cache.close()
    new_process(monkeypatch)
    with pics.kept_in(picture_cache.PictureCache(damaged)) as cache:  # started again from nothing, and used
        assert pics.full(img).uri == expected.uri and cache.hits == 1
    cache.close()
    new_process(monkeypatch)
    blocked = tmp_path / "a-file" / "pictures.db"
    blocked.parent.write_text("not a folder")
    with pics.kept_in(picture_cache.PictureCache(blocked)) as cache:
        assert pics.full(img).uri == expected.uri
    cache.close()


def test_the_cache_file_keeps_the_most_recently_shown_pictures_within_its_limit(tmp_path, monkeypatch):
    path = tmp_path / "pictures.db"
    rng = np.random.default_rng(0)
    noise = [rng.integers(0, 256, (64, 64), dtype=np.uint8) for _ in range(3)]
    for img in noise:  # one run each, oldest first
        new_process(monkeypatch)
        with pics.kept_in(picture_cache.PictureCache(path)) as cache:
            size = pics.full(img).bytes
        cache.close()
    monkeypatch.setattr(picture_cache, "MAX_BYTES", 2 * size + 10)
    new_process(monkeypatch)
    with pics.kept_in(picture_cache.PictureCache(path)) as cache:
        pics.full(noise[0])  # shown again: now the most recent
    cache.close()
    with sqlite3.connect(path) as db:
        kept = {k for (k,) in db.execute("SELECT key FROM pictures")}
    assert kept == {pics.content_key(noise[i], pics.FULL_SIDE, lossless=True) for i in (0, 2)}


def test_a_small_pictures_preview_is_its_thumbnail_encoded_once(monkeypatch):
    made = counted_encodings(monkeypatch)
    img = drawing((100, 120))
    assert pics.preview(img).uri == pics.thumbnail(img).uri
    assert made == [(100, 120, 3)]
    big = drawing((300, 400))
    assert pics.preview(big).note == "" and pics.thumbnail(big).width == 144
    assert made[1:] == [(300, 400, 3), (108, 144, 3)]


def test_a_picture_found_in_the_cache_is_neither_scaled_nor_encoded_again(monkeypatch):
    made = counted_encodings(monkeypatch)
    scaled = []
    real_fit = pics._fit
    monkeypatch.setattr(pics, "_fit", lambda image, side: scaled.append(side) or real_fit(image, side))
    big = drawing((600, 800))
    first = (pics.thumbnail(big), pics.preview(big), pics.full(big))
    assert scaled == [144, 480, 1024] and len(made) == 3
    assert [e.note for e in first] == ["scaled from 800x600", "scaled from 800x600", ""]
    again = (pics.thumbnail(big.copy()), pics.preview(big.copy()), pics.full(big.copy()))
    assert scaled == [144, 480, 1024] and len(made) == 3
    assert [e.uri for e in again] == [e.uri for e in first]


def test_a_photograph_like_picture_goes_straight_to_jpeg_and_a_drawing_stays_png():
    rng = np.random.default_rng(1)
    smooth = cv2.GaussianBlur(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8), (0, 0), 3)
    photo = np.clip(smooth.astype(int) + rng.normal(0, 6, smooth.shape), 0, 255).astype(np.uint8)
    assert pics.busy(photo) and not pics.busy(drawing((240, 320)))
    assert pics._encode_new(photo, lossless=False).uri.startswith("data:image/jpeg")
    # The same choice as comparing both: this JPEG is far below 80% of the PNG.
    png = cv2.imencode(".png", photo, [cv2.IMWRITE_PNG_COMPRESSION, 1])[1]
    jpg = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 82])[1]
    assert len(jpg) < 0.5 * len(png)
    assert pics._encode_new(drawing((240, 320)), lossless=False).uri.startswith("data:image/png")
    # Exact pixels are never lossy, however busy.
    assert pics._encode_new(photo, lossless=True).uri.startswith("data:image/png")
    assert np.array_equal(decoded(pics.full(photo)), photo)


def test_the_second_report_of_an_unchanged_run_is_the_same_page_without_encoding(tmp_path, project, runner,
                                                                                 monkeypatch):
    from grader.grading import grade

    run = grade(project, exercises=project.solutions, day=1, runner=runner, keep_images=True)
    made = counted_encodings(monkeypatch)
    first = report.save_run(project, run, report_path=tmp_path / "1.html", db_path=tmp_path / "p.db")
    encoded = len(made)
    assert encoded > 10 and (tmp_path / "pictures.db").is_file()
    new_process(monkeypatch)
    again = report.save_run(project, run, report_path=tmp_path / "2.html", db_path=tmp_path / "p.db")
    assert len(made) == encoded  # nothing encoded the second time
    uris = [u for u in first.report.read_text().split('"') if u.startswith("data:")]
    assert len(uris) > 10 and uris == [u for u in again.report.read_text().split('"') if u.startswith("data:")]
