"""The debrief scores the drill in the background, shows the score and opens the report."""

from __future__ import annotations

import json
import sys
import time
import webbrowser

import pygame
import pytest

from analysis.i18n import table
from analysis.records import Records
from tests.ui.conftest import key
from ui import theme
from ui.i18n import load_table
from ui.scenes.debrief import DebriefScene
from ui.scenes.drill import DrillScene
from ui.scenes.title import TitleScene

WAIT_S = 20.0


def debrief_after_a_short_drill(app, mini, minutes: float = 30.0) -> DebriefScene:
    """Play the mini drill for ``minutes``, stop it, and enter the debrief (scoring starts)."""
    drill = DrillScene(app, mini, seed=3)
    app.switch(drill)
    drill.session.drill.advance(minutes)
    drill.session.abort()
    scene = DebriefScene(app, drill.session)
    app.switch(scene)
    return scene


def wait_for_score(app, scene: DebriefScene) -> None:
    """Run frames (the scene keeps drawing) until the worker is done, at most WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while not scene.job.join(0.02):
        assert time.monotonic() < deadline, "scoring did not finish in time"
        app.step(1 / 60)
    app.step(1 / 60)  # the frame that sees the result


class FakeBrowser:
    """Stands in for webbrowser.open: records the URLs, answers ``answer``."""

    def __init__(self) -> None:
        self.answer = True
        self.urls: list[str] = []

    def open(self, url: str) -> bool:
        self.urls.append(url)
        return self.answer


@pytest.fixture
def browser(monkeypatch) -> FakeBrowser:
    fake = FakeBrowser()
    monkeypatch.setattr(webbrowser, "open", fake.open)
    return fake


def test_the_debrief_scores_the_drill_writes_the_report_and_records_it(
    app, mini, data_home, browser
):
    app.trainee = "alice"
    scene = debrief_after_a_short_drill(app, mini)
    app.step(1 / 60)
    app.rebuild()  # a window resize re-enters the scene: scoring goes on, not twice
    if not scene.job.done.is_set():  # the common case: the bots are still playing
        assert scene.score_lines()[0] == app.t("debrief.scoring")
        assert not scene.open_button.is_enabled
    wait_for_score(app, scene)

    assert scene.job.error is None
    card = scene.job.card
    assert 0.0 <= card["total"] <= 100.0
    lines = scene.score_lines()
    assert lines[0] == f"Drill score: {card['total']:.1f} / 100"
    assert any(line.startswith("Process score") for line in lines)
    page = scene.job.page
    log = scene.session.log_path
    assert page == log.parent / f"{log.stem}-report" / "report.en.html"
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert json.loads((page.parent / "score.json").read_text(encoding="utf-8")) == card
    assert not list(page.parent.glob("*.tmp")), "no temporary file is left behind"
    records = Records(data_home / "drillcommand" / "records.sqlite")
    assert [r.total for r in records.drills_of("alice")] == [card["total"]]
    records.close()

    assert scene.open_button.is_enabled
    key(app, pygame.K_r)
    assert browser.urls == [page.as_uri()]
    assert scene.browser_note == "debrief.browser_opened"
    browser.answer = False
    assert scene.buttons.press("Open report (R)")
    assert scene.browser_note == "debrief.browser_failed"
    app.step(1 / 60)
    pygame.image.save(app.screen, str(page.parent / "debrief.png"))  # a frame to look at


def test_the_chinese_debrief_names_capabilities_from_the_analysis_tables(app, mini):
    app.t.language = "zh-CN"  # before any scene: the game as started with --lang zh-CN
    scene = debrief_after_a_short_drill(app, mini)
    wait_for_score(app, scene)
    assert scene.job.page.name == "report.zh-CN.html"
    assert "lang='zh-CN'" in scene.job.page.read_text(encoding="utf-8")
    lines = scene.score_lines()
    assert lines[0].startswith("演练总分")
    names = set(table("zh-CN")[f"dim.{d}"] for d in scene.job.card["dimensions"])
    assert any(line[2:] in names for line in lines), "rated capabilities are listed in Chinese"


def is_tofu(face: pygame.font.Font, char: str) -> bool:
    """True if ``char`` renders as the font's missing-glyph box."""
    white = (255, 255, 255)
    glyph, box = face.render(char, True, white), face.render("\ue000", True, white)
    ink = [pygame.surfarray.array_alpha(image) > 64 for image in (glyph, box)]
    return glyph.get_size() == box.get_size() and bool((ink[0] == ink[1]).all())


def test_every_word_the_score_column_shows_renders_in_the_shipped_font(app):
    face = theme.font(15)
    assert is_tofu(face, "\ue001") and not is_tofu(face, "水")
    for lang in ("en", "zh-CN"):
        shown = [
            text
            for k, text in table(lang).items()
            if k.split(".")[0] in ("dim", "item", "grade", "rating", "score", "findings")
        ]
        shown += [v for k, v in load_table(lang).items() if k.startswith("debrief.")]
        chars = {c for text in shown for c in text if not c.isspace()}
        assert {c for c in chars if is_tofu(face, c)} == set(), lang


def test_a_broken_log_shows_a_message_and_the_rest_of_the_debrief_still_works(app, mini, browser):
    drill = DrillScene(app, mini, seed=3)
    app.switch(drill)
    drill.session.abort()
    drill.session.log_path.write_text("this is not a drill log\n", encoding="utf-8")
    scene = DebriefScene(app, drill.session)
    app.switch(scene)
    wait_for_score(app, scene)

    assert scene.job.card is None
    assert scene.job.error[0] == "debrief.score_bad_log"
    message = scene.score_lines()[0]
    assert message.startswith("No score: the drill log could not be read")
    assert "Traceback" not in message and "\n" not in message
    assert not scene.open_button.is_enabled
    key(app, pygame.K_r)
    assert browser.urls == []
    assert dict(scene.figures())["dead"] == "0"
    assert scene.buttons.press("Main menu")
    assert isinstance(app.scene, TitleScene)


def test_without_the_analysis_extra_the_debrief_says_what_is_missing(app, mini, monkeypatch):
    monkeypatch.setitem(sys.modules, "analysis.pipeline", None)  # import now raises ImportError
    scene = debrief_after_a_short_drill(app, mini, minutes=5.0)
    wait_for_score(app, scene)
    assert scene.job.error[0] == "debrief.score_no_extra"
    assert "analysis.pipeline" in scene.score_lines()[0]


def test_leaving_while_scoring_returns_at_once_and_abandons_the_work(app, mini):
    scene = debrief_after_a_short_drill(app, mini)
    start = time.monotonic()
    assert scene.buttons.press("Main menu")
    assert time.monotonic() - start < 0.5
    assert isinstance(app.scene, TitleScene)
    app.step(1 / 60)
    assert scene.job.join(WAIT_S)
    assert scene.job.card is None
    assert scene.job.error == ("debrief.score_cancelled", "")
    log = scene.session.log_path
    assert not list(log.parent.glob(f"{log.stem}-report/report.*"))
