"""Values cross process boundaries as plain data only: no pickles, no links, bounded size."""
from __future__ import annotations

import os

import numpy as np
import pytest

from grader import values


def roundtrip(value, tmp_path, png=False):
    values.save(value, tmp_path, "v", png=png)
    return values.load(tmp_path, "v")


def test_arrays_numbers_tuples_and_nan_survive_a_round_trip(tmp_path):
    value = (np.arange(6, dtype=np.uint8).reshape(2, 3), 3, 2.5, float("nan"), "x", None, [1, (2, 3)],
             {"k": np.float32(1.5)}, np.int64(7), True)
    back = roundtrip(value, tmp_path)
    assert isinstance(back, tuple) and np.array_equal(back[0], value[0]) and back[0].dtype == np.uint8
    assert back[1:3] == (3, 2.5) and np.isnan(back[3]) and back[4:7] == ("x", None, [1, (2, 3)])
    assert back[7]["k"].dtype == np.float32 and back[8] == 7 and back[8].dtype == np.int64 and back[9] is True


def test_uint8_pictures_are_stored_as_lossless_png_for_references(tmp_path):
    img = np.random.default_rng(1).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    files = values.save(img, tmp_path, "ref", png=True)
    assert any(f.suffix == ".png" for f in files)
    assert np.array_equal(values.load(tmp_path, "ref"), img)


def test_objects_and_object_arrays_become_unsupported_markers_not_pickles(tmp_path):
    class Sneaky:
        def __eq__(self, other):
            return True

    back = roundtrip((Sneaky(), np.array([1, "a"], dtype=object)), tmp_path)
    assert all(isinstance(b, values.Unsupported) for b in back)
    assert not list(tmp_path.glob("*.pkl"))


def test_a_numpy_subclass_is_carried_as_plain_data_with_its_type_noted(tmp_path):
    back = roundtrip(np.ma.masked_array([1, 2, 3]), tmp_path)
    assert type(back) is np.ndarray and back.tolist() == [1, 2, 3]
    assert "MaskedArray" in values.subclass_note(tmp_path, "v")


def test_a_pickled_npy_file_is_refused(tmp_path):
    np.save(tmp_path / "v.a1.npy", np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "v.json").write_text('{"value": {"__array__": "v.a1.npy"}}')
    with pytest.raises(values.ValueError_):
        values.load(tmp_path, "v")


def test_a_symlink_is_never_followed(tmp_path):
    target = tmp_path / "secret.npy"
    np.save(target, np.arange(3))
    os.symlink(target, tmp_path / "v.a1.npy")
    (tmp_path / "v.json").write_text('{"value": {"__array__": "v.a1.npy"}}')
    with pytest.raises(values.ValueError_, match="safely|regular"):
        values.load(tmp_path, "v")


def test_a_path_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "v.json").write_text('{"value": {"__array__": "../escape.npy"}}')
    with pytest.raises(values.ValueError_, match="not allowed"):
        values.load(tmp_path, "v")


def test_an_oversized_document_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(values, "MAX_JSON_BYTES", 100)
    (tmp_path / "v.json").write_text('{"value": "' + "x" * 200 + '"}')
    with pytest.raises(values.ValueError_, match="limit"):
        values.load(tmp_path, "v")


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="links are refused through O_NOFOLLOW, POSIX only")
def test_a_value_written_into_an_open_folder_is_created_afresh_never_through_a_link(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    try:
        names = values.save((np.arange(4, dtype=np.uint8), 2), None, "args", dir_fd=fd)
        assert names == ["args.a1.npy", "args.json"]
        back = values.load(folder, "args", dir_fd=fd)
        assert np.array_equal(back[0], [0, 1, 2, 3]) and back[1] == 2

        elsewhere = tmp_path / "learner's file.txt"
        elsewhere.write_text("mine")
        again = tmp_path / "again"
        again.mkdir()
        (again / "args.a1.npy").symlink_to(elsewhere)  # put there before the grader writes
        fd2 = os.open(again, os.O_RDONLY)
        try:
            with pytest.raises(FileExistsError):
                values.save((np.arange(4, dtype=np.uint8),), None, "args", dir_fd=fd2)
        finally:
            os.close(fd2)
        assert elsewhere.read_text() == "mine"
    finally:
        os.close(fd)


def test_subclasses_of_plain_types_are_carried_as_the_plain_values_they_hold(tmp_path):
    import collections
    import enum

    Shape = collections.namedtuple("Shape", "height width channels")

    class Level(enum.IntEnum):
        HIGH = 200

    class Name(str):
        pass

    class Ratio(float):
        pass

    class Rows(list):
        pass

    class Fields(dict):
        pass

    back = roundtrip((Shape(4, 5, 3), Level.HIGH, Name("otsu"), Ratio(0.5), Rows([1, 2]), Fields(k=1),
                      np.str_("label")), tmp_path)
    assert back == ((4, 5, 3), 200, "otsu", 0.5, [1, 2], {"k": 1}, "label")
    assert [type(b) for b in back] == [tuple, int, str, float, list, dict, str]


def test_a_subclass_that_lies_about_its_contents_is_read_by_the_base_types_methods(tmp_path):
    class Liar(tuple):
        def __iter__(self):
            return iter((255, 255, 255))

        def __len__(self):
            return 3

    class Loud(str):
        def __str__(self):
            return "something else"

    assert roundtrip((Liar((1, 2)), Loud("quiet")), tmp_path) == ((1, 2), "quiet")
