"""The Predict tab on a small demo world: add pictures, change the caption, read the ranking."""

from __future__ import annotations

import shutil

import pytest

from discovery import paths, world
from discovery.predict.predictor import ensure_model
from discovery.settings import Settings
from ui.predict.page import PredictPage
from ui.tasks import SynchronousRunner


@pytest.fixture(scope="module")
def trained_root(_small_demo_template, tmp_path_factory):
    """The small demo world with its like model trained once (on 150 pictures, to be quick)."""
    root = tmp_path_factory.mktemp("trained")
    shutil.copytree(_small_demo_template / "worlds", root / "worlds")
    demo = world.World.open(root, world.DEMO)
    assert ensure_model(demo, max_pictures=150) is not None
    demo.close()
    return root


@pytest.fixture
def page(qtbot, trained_root, data_dir):
    shutil.copytree(trained_root / "worlds", data_dir / "worlds")
    settings = Settings(paths.settings_path(data_dir))
    demo = world.World.open(data_dir, world.DEMO)
    widget = PredictPage(demo, SynchronousRunner(), settings)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.activate()
    yield widget
    demo.close()


def test_candidates_come_back_ranked_with_intervals_and_reasons(page, tmp_path):
    assert page.predictor is not None and page.predictor.model is not None
    assert page.account.currentText().endswith("(you)")
    page.add_demo_candidates()
    page._predict_later.flush()
    report = page.report
    assert report is not None and len(report.candidates) == 4
    ranked = report.ranked()
    assert [c.rank for c in ranked] == [1, 2, 3, 4]
    assert all(c.low <= c.likes <= c.high for c in ranked)
    assert ranked[0].likes >= ranked[-1].likes
    assert ranked[0].contributions
    assert page.results.count() == 4 + 1  # four cards and the stretch


def test_the_caption_counts_hashtags_and_moves_the_prediction(page):
    page.add_demo_candidates()
    page._predict_later.flush()
    before = [c.likes for c in page.report.candidates]
    page.caption.setPlainText("Evening walk #streetphotography #bnw #35mm")
    page._predict_later.flush()
    assert page.hashtag_count.text() == "3 hashtags"
    assert page.report.hashtags == ("streetphotography", "bnw", "35mm")
    assert [c.likes for c in page.report.candidates] != before
    assert page.suggestions.count() == 10
    page.suggestions.itemClicked.emit(page.suggestions.item(0))
    assert page.suggestions.item(0) is None or "#" in page.caption.toPlainText()


def test_a_file_that_is_not_a_picture_gets_a_sentence_and_the_others_still_rank(page, tmp_path):
    bogus = tmp_path / "notes.jpg"
    bogus.write_text("this is not a picture")
    page.add_demo_candidates()
    page.candidates.add(str(bogus), "notes.jpg")
    page._predict_later.flush()
    bad = next(c for c in page.report.candidates if c.name == "notes.jpg")
    assert bad.rank == 0 and "notes.jpg" in bad.error
    assert sorted(c.rank for c in page.report.candidates if c.rank) == [1, 2, 3, 4]


def test_at_most_eight_pictures(page):
    for _ in range(3):
        page.add_demo_candidates()
    assert page.candidates.count() == 8


def test_the_horizon_setting_changes_what_is_predicted(page):
    page.add_demo_candidates()
    page._predict_later.flush()
    week = page.report
    assert week.horizon_days == page.settings.get("predict.horizon_days") == 7.0
    page.settings.set("predict.horizon_days", 1.0)
    page.caption.setPlainText(page.caption.toPlainText() + " ")  # any change predicts again
    page._predict_later.flush()
    day = page.report
    assert day.horizon_days == 1.0
    assert "Predicted 1 day after posting" in page.warnings.text() or day.warnings
    assert sum(c.likes for c in day.candidates) < sum(c.likes for c in week.candidates)  # likes still growing


def test_before_a_model_the_cards_show_no_numbers_of_their_own(page):
    from discovery.predict.predictor import Predictor
    from discovery.progress import ProgressEvent

    page._training_progress(ProgressEvent("Training the like model", 2, 6))
    assert page.training.isVisible() and page.training.value() == 2 and page.training.maximum() == 6
    assert "usual likes are shown instead" in page.status.text()
    page.add_demo_candidates()
    page._predict_later.flush()
    untrained = Predictor(page.world.store, None, page.world.now, page.world.images)
    report = untrained.predict(page.account.currentData(), list(page.candidates.sources))
    page._show_results(report)
    cards = [page.results.itemAt(i).widget() for i in range(page.results.count() - 1)]
    texts = [" ".join(label.text() for label in card.findChildren(type(page.status))) for card in cards]
    assert len(texts) == 4 and all("No prediction yet" in t and "usually get about" in t for t in texts)
    assert "≈" not in " ".join(texts)  # no made-up number per picture
    page._model_ready(page.predictor.model)
    assert not page.training.isVisible()
    page._predict_later.flush()
    card = page.results.itemAt(0).widget()
    assert "likes once settled" in " ".join(label.text() for label in card.findChildren(type(page.status)))
