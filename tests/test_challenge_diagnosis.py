"""A challenge below gold shows the classic mistake its cases show, in the terminal, the report and the store."""
from __future__ import annotations

import click

from grader.grading import grade
from grader.learner import progress, report, terminal
from grader.learner.report.view import build
from tests.conftest import learner_folder

SWAPPED = "red and blue swapped"


def swapped_montage(tmp_path, project, runner):
    source = (project.solutions / "day01_reading.py").read_text() + (
        "\n\n_reference_montage = montage\n\n"
        "def montage(images, height):\n"
        "    return _reference_montage(images, height)[:, :, ::-1].copy()\n")
    folder = learner_folder(tmp_path, project, 1, source)
    return grade(project, exercises=folder, day=1, task="montage", runner=runner, keep_images=True)


def test_a_tiered_result_shows_its_diagnosis_everywhere(tmp_path, project, runner):
    run = swapped_montage(tmp_path, project, runner)
    t = run.tasks[0]
    assert t.task.challenge and t.tier != "gold" and t.score is not None
    mistake = next(c.verdict.diagnosis for c in t.cases if c.verdict is not None and c.verdict.diagnosis)
    assert SWAPPED in mistake
    text = "\n".join(click.unstyle(line) for line in terminal.render(run))
    assert text.count(mistake) == 1, text  # shown once, under the challenge's tier note

    html = report.render(build(run.course, run=run))
    assert SWAPPED in html

    record = progress.run_record(run)
    assert SWAPPED in record.tasks[0].message


def test_red_and_blue_swapped_earns_no_tier_though_its_score_would(tmp_path, project, runner):
    # SSIM cannot part the swap (0.751) from a blocky but right montage (0.810): the swap is named, and that
    # withholds the tier; the blocky montage keeps the tier its score earns.
    t = swapped_montage(tmp_path, project, runner).tasks[0]
    assert (t.tier, t.points, round(t.score, 3)) == (None, 0.0, 0.751)
    assert t.message.startswith("no tier: 0.751 would reach bronze, but the answer makes a classic mistake, "
                                "which earns none. Your montage has red and blue swapped")
    source = (project.solutions / "day01_reading.py").read_text().replace(
        "interpolation=cv2.INTER_AREA", "interpolation=cv2.INTER_NEAREST")
    (tmp_path / "nearest").mkdir()
    folder = learner_folder(tmp_path / "nearest", project, 1, source)
    blocky = grade(project, exercises=folder, day=1, task="montage", runner=runner).tasks[0]
    assert (blocky.tier, blocky.points, round(blocky.score, 3)) == ("bronze", 1.0, 0.81)
    assert all(not c.verdict.named for c in blocky.cases)


def test_a_gold_challenge_shows_no_mistake(project, solutions_run):
    montage = next(t for t in solutions_run.tasks if t.task.key == "day01.montage")
    assert montage.tier == "gold"
    assert terminal.task_message(montage) == montage.message


def restore_run(tmp_path, project, runner, body):
    source = (project.solutions / "day07_filtering.py").read_text() + (
        "\n\ndef restore(image):\n" + body)
    folder = learner_folder(tmp_path, project, 7, source)
    return grade(project, exercises=folder, day=7, task="restore", runner=runner).tasks[0]


def test_a_median_alone_earns_bronze_and_is_not_called_a_gaussian(tmp_path, project, runner):
    t = restore_run(tmp_path, project, runner, "    return cv2.medianBlur(image, 3)\n")
    assert (t.tier, t.points, str(t.outcome)) == ("bronze", 1.0, "passed")
    assert t.message.startswith("bronze: ")
    assert "Gaussian alone" not in t.message


def test_a_median_then_a_gaussian_earns_its_tier_without_a_mistake_named(tmp_path, project, runner):
    t = restore_run(tmp_path, project, runner, "    return cv2.GaussianBlur(cv2.medianBlur(image, 3), (3, 3), 0)\n")
    assert t.tier == "bronze" and t.points == 1.0
    assert "Gaussian alone" not in t.message
    assert all(not c.verdict.named for c in t.cases)


def test_a_gaussian_alone_reaches_no_tier_and_is_named(tmp_path, project, runner):
    t = restore_run(tmp_path, project, runner, "    return cv2.GaussianBlur(image, (5, 5), 0)\n")
    assert (t.tier, t.points) == (None, 0.0)
    assert "A Gaussian alone smears the salt and pepper" in t.message


def test_a_mistake_whose_output_the_answer_differs_from_on_another_case_is_not_named(tmp_path, project, runner):
    # Every face called the majority class: on three faces this equals a scaler fitted on the test faces (all one
    # class too), but on the crowd that leak scores 0.983 and this answer 0.333, so the leak is not the cause.
    source = (project.solutions / "day11_classify.py").read_text() + (
        "\n\ndef classify_crowd(train_images, train_y, test_images):\n"
        "    return np.full(len(test_images), np.bincount(train_y).argmax())\n")
    folder = learner_folder(tmp_path, project, 11, source)
    t = grade(project, exercises=folder, day=11, task="classify_crowd", runner=runner).tasks[0]
    assert [c.verdict.named for c in t.cases] == [["every_face_one_class"], ["every_face_one_class"]]
    text = terminal.task_message(t)
    assert "Your scaler was fitted on the test faces" not in text
    assert text.count("Every face got the same class") == 1
    assert text.count("Every prediction is 0: the classifier learned nothing useful") == 1


def test_a_challenge_mistake_matched_at_gold_but_not_at_the_checks_own_mark_is_named(tmp_path, project, runner):
    # RGB order with bilinear resizing: SSIM 0.965 against the catalogued rgb_order output (area resizing), above
    # the montage's gold tier (0.95) though below the SSIM check's default mark (0.98).
    source = (project.solutions / "day01_reading.py").read_text() + (
        "\n\ndef montage(images, height):\n"
        "    parts = []\n"
        "    for image in images:\n"
        "        h, w = image.shape[:2]\n"
        "        scaled = cv2.resize(image, (round(w * height / h), height), interpolation=cv2.INTER_LINEAR)\n"
        "        if scaled.ndim == 2:\n"
        "            scaled = cv2.cvtColor(scaled, cv2.COLOR_GRAY2BGR)\n"
        "        parts.append(scaled[:, :, ::-1])\n"
        "    return np.hstack(parts)\n")
    folder = learner_folder(tmp_path, project, 1, source)
    t = grade(project, exercises=folder, day=1, task="montage", runner=runner).tasks[0]
    assert t.tier is None
    assert [c.verdict.named for c in t.cases] == [["rgb_order"]]
    assert "Your montage has red and blue swapped" in terminal.task_message(t)


def test_a_mask_returned_for_the_coins_is_told_a_label_picture_was_asked_for(tmp_path, project, runner):
    source = (project.solutions / "day09_segmentation.py").read_text() + (
        "\n\ndef coins(image):\n"
        "    from scipy import ndimage as ndi\n"
        "    mask = cv2.adaptiveThreshold(cv2.medianBlur(image, 3), 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,\n"
        "                                 cv2.THRESH_BINARY, 51, -5)\n"
        "    return ndi.binary_fill_holes(mask > 0).astype(np.uint8) * 255\n")
    folder = learner_folder(tmp_path, project, 9, source)
    t = grade(project, exercises=folder, day=9, task="coins", runner=runner).tasks[0]
    assert [c.verdict.named for c in t.cases] == [["mask_not_labels"]]
    text = terminal.task_message(t)
    assert "You returned a 0/255 mask where a label picture was asked for" in text
    assert "count was asked" not in text


def test_scikit_images_wavelet_denoising_runs_on_the_denoising_day(tmp_path, project, runner):
    # estimate_sigma and denoise_wavelet need PyWavelets, scikit-image's optional dependency: a course dependency.
    t = restore_run(tmp_path, project, runner,
                    "    from skimage.restoration import denoise_wavelet, estimate_sigma\n"
                    "    from skimage.util import img_as_ubyte\n"
                    "    sigma = estimate_sigma(image)\n"
                    "    return img_as_ubyte(denoise_wavelet(cv2.medianBlur(image, 3), sigma=sigma / 255))\n")
    assert str(t.outcome) in ("passed", "failed"), t.message
    assert all(str(c.outcome) in ("passed", "failed") for c in t.cases), [c.message for c in t.cases]
    assert "ImportError" not in t.message and "PyWavelets" not in t.message
    assert t.score is not None
