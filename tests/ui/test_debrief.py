"""The debrief scores the drill in the background, shows the score and opens the report."""

from __future__ import annotations

import json
import re
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

WAIT_S = 60.0  # a hang guard, not a speed test: the machine may be busy


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
    if scene.job.card is None:  # the common case: the idle bot is still playing
        assert scene.score_lines()[0] == app.t("debrief.scoring")
    if scene.job.page is None:
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
    rated = [line[2:] for line in lines]  # "<letter> <name> <met>/<judged> (<what it did>)"
    assert any(line.startswith(name) for line in rated for name in names), (
        "rated capabilities are listed in Chinese"
    )
    assert any(line.startswith("结果得分标尺：0 = 本演练中什么都不做的结果") for line in lines)


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
            if k.split(".")[0]
            in (
                *("dim", "item", "grade", "rating", "score", "findings", "rating_letter"),
                *("rating_name", "done", "done_none", "cost", "name", "hazard_front"),
                *("incident_kind", "unit_type", "channel", "level"),
            )
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


# --- a debrief that explains itself, with the anchors cached ---------------------------------


def mini_key(mini) -> tuple[str, int, str]:
    from analysis.baselines import baseline_key
    from analysis.drilldata import drill_from_events
    from sim import make_header

    return baseline_key(drill_from_events(make_header(mini, 3), []))


def cache_figures(data_home, mini, change) -> dict:
    """Cache the mini drill's idle figures, changed by ``change``, where the debrief reads them."""
    from analysis.baselines import FIGURES_BOT, figures_for
    from analysis.drilldata import drill_from_events
    from sim import make_header

    figures = json.loads(json.dumps(figures_for(drill_from_events(make_header(mini, 3), []))))
    change(figures)
    records = Records(data_home / "drillcommand" / "records.sqlite")
    records.save_baseline(*mini_key(mini), FIGURES_BOT, figures)
    records.close()
    return figures


class PlayCounter:
    """Counts the bot drills analysis plays (``analysis.baselines.play``) in this process."""

    def __init__(self, monkeypatch) -> None:
        import analysis.baselines

        self.bots: list[str] = []
        real = analysis.baselines.play

        def counted(drill, bot_name, until_min=None, seed=None):
            self.bots.append(bot_name)
            return real(drill, bot_name, until_min, seed)

        monkeypatch.setattr(analysis.baselines, "play", counted)


def test_with_nothing_preventable_the_debrief_shows_the_total_and_says_why_no_outcome(
    app, mini, data_home, monkeypatch
):
    def nothing_preventable(figures):
        figures["idle"] = dict(figures["unavoidable"])

    cache_figures(data_home, mini, nothing_preventable)
    counter = PlayCounter(monkeypatch)
    scene = debrief_after_a_short_drill(app, mini)
    wait_for_score(app, scene)

    assert "idle" not in counter.bots, "the cached figures were used: the idle bot not replayed"
    assert scene.job.error is None and scene.job.card["outcome"]["score"] is None
    lines = scene.score_lines()
    assert lines[0] == f"Drill score: {scene.job.card['total']:.1f} / 100"
    assert "Outcome score: —" in lines
    assert (
        "No outcome score: nothing on this drill was preventable, so the total is the process"
        " score alone." in lines
    )
    app.step(1 / 60)  # the frame with the card is drawn


def test_an_outcome_worse_than_doing_nothing_is_shown_as_such(app, mini, data_home):
    def doing_nothing_was_cheap(figures):  # nothing unavoidable, doing nothing all but harmless
        figures["unavoidable"] = {part: 0.0 for part in figures["unavoidable"]}
        figures["idle"] = dict(figures["unavoidable"], deaths=0.01)

    cache_figures(data_home, mini, doing_nothing_was_cheap)
    scene = debrief_after_a_short_drill(app, mini)
    wait_for_score(app, scene)

    outcome = scene.job.card["outcome"]
    assert outcome["score"] < 0 and outcome["worse_than_idle"]
    lines = scene.score_lines()
    assert f"Outcome score: {outcome['score']:.1f}" in lines
    assert f"Your outcome {outcome['score']:.1f}: worse than doing nothing." in lines
    assert 0.0 <= scene.job.card["total"] <= 100.0
    for language in ("en", "zh-CN"):  # both frames draw (a score below the bar's 0 is clamped)
        app.set_language(language)
        app.step(1 / 60)
    assert any(line.endswith("比什么都不做还差。") for line in scene.score_lines())


def test_a_stopped_drill_says_it_was_played_out_and_a_failed_critical_item_names_the_cap(app, mini):
    scene = debrief_after_a_short_drill(app, mini, minutes=30.0)
    wait_for_score(app, scene)

    card = scene.job.card
    assert card["played_out_from_min"] == 30.0
    assert card["critical_cap"] is not None  # nobody was taken to hospital: a critical item
    lines = scene.score_lines()
    assert (
        "Stopped at minute 30: scored as played out from minute 30 to the end with no further"
        " orders." in lines
    )
    assert scene.figures_heading() == "When the drill was stopped (minute 30)"
    cap = next(line for line in lines if "A failed critical item" in line)
    assert table("en")["item.injured_hospitalised"] in cap
    assert f"{card['critical_cap']:.1f}" in cap
    assert cap.startswith("Below the pass mark of 60. ")


def test_while_a_stopped_drill_is_played_out_the_screen_says_so(app, mini):
    scene = debrief_after_a_short_drill(app, mini, minutes=30.0)
    wait_for_score(app, scene)
    job = scene.job
    job.card, job.stage, job.play_out_estimate_s = None, "play_out", 10.0  # as mid-way
    job.stage_since_s = time.monotonic()

    assert scene.score_lines()[1] == (
        "Playing the stopped drill out from minute 30 to minute 240 with no further orders"
    )
    share, left_s = scene.play_out_progress()
    assert 0.0 <= share < 1.0 and 0.0 < left_s <= 10.0
    app.step(1 / 60)  # the progress frame draws


def test_the_debrief_uses_the_figures_the_warm_up_cached_while_the_drill_was_played(
    app, mini, monkeypatch
):
    from ui.warmup import Warmup

    app.warmup = Warmup(enabled=True)
    counter = PlayCounter(monkeypatch)
    drill = DrillScene(app, mini, seed=3)  # starts the warm-up in its own process
    app.switch(drill)
    key_ = (mini.content_hash, 3)
    task = app.warmup.for_key(*key_)
    assert task is not None and task.process.is_alive()
    drill.session.drill.advance(240.0)  # played to the end
    drill.session.close()
    scene = DebriefScene(app, drill.session)
    app.switch(scene)
    wait_for_score(app, scene)

    assert scene.job.card is not None and scene.job.warm
    assert counter.bots == [], "the debrief replayed no bot: the warm-up's figures were used"
    deadline = time.monotonic() + WAIT_S
    while app.warmup.for_key(*key_).expert is None:  # then the expert's score
        assert time.monotonic() < deadline
        app.step(1 / 60)
    app.step(1 / 60)
    reference = scene.job.reference
    assert f"For reference, the expert bot scores {reference['total']:.1f}" in " ".join(
        scene.score_lines()
    )
    app.warmup.close()
    assert not task.process.is_alive()


def test_a_cancelled_warm_up_leaves_no_process_and_no_partial_row(app, mini, data_home):
    import multiprocessing

    from ui.warmup import Warmup

    warmup = Warmup(enabled=True)
    warmup.start(mini, 3)
    process = warmup.task.process
    warmup.cancel()
    assert not process.is_alive() and warmup.task is None
    assert process not in multiprocessing.active_children()
    db = data_home / "drillcommand" / "records.sqlite"
    if db.exists():  # the worker may have got as far as a whole row: never a broken one
        records = Records(db)
        rows = records.db.execute("SELECT parts_json FROM baselines").fetchall()
        records.close()
        assert all(isinstance(json.loads(row[0]), dict) for row in rows)


def test_the_debrief_shows_the_scale_and_the_decision_that_cost_most_against_the_expert(app, mini):
    scene = debrief_after_a_short_drill(app, mini)  # nobody sent to the house fire
    wait_for_score(app, scene)
    card = scene.job.card
    lines = scene.score_lines()
    idle_dead = card["outcome"]["baselines"]["idle"]["deaths"]
    mine = card["outcome"]["parts"]["deaths"]
    expert = scene.job.reference  # no warm-up: the comparison played the expert itself
    assert f"dead | {idle_dead:,.0f} | {mine:,.0f} | {expert['deaths']:,.0f}" in lines
    assert f"drill score | … | {card['total']:.1f} | {expert['total']:.1f}" in lines
    decision = (
        "You never sent a unit to building fire at West Village; the expert sent one at 09:31."
    )
    assert any(decision in line for line in lines)
    page = scene.job.page.read_text(encoding="utf-8")
    assert decision in page  # the report says the same
    app.step(1 / 60)
    pygame.image.save(app.screen, str(scene.job.page.parent / "debrief-costly.png"))


def test_the_chinese_debrief_is_wholly_chinese(app, mini):
    app.t.language = "zh-CN"
    scene = debrief_after_a_short_drill(app, mini)
    wait_for_score(app, scene)
    text = " ".join(scene.score_lines())
    assert "你始终未向西村建筑火灾派出力量；专家于09:31派出力量。" in text
    words = re.findall(r"[A-Za-z]+", re.sub(r"附录[A-Z]", "", text))  # "Annex A" as written
    assert words == [], words


def test_the_english_debrief_has_no_chinese(app, mini):
    scene = debrief_after_a_short_drill(app, mini)
    wait_for_score(app, scene)
    text = " ".join(scene.score_lines())
    assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text) == []


def test_a_short_debrief_shows_some_ratings_under_their_heading_never_the_heading_alone():
    from ui.score_card import FACT_H, ROW_H, CardView

    # 11 ratings in 2 columns, room for one row with its fact line but not also "+N more":
    room = ROW_H + FACT_H + 10
    assert CardView._rating_rows(11, 2, room, ROW_H + FACT_H) == 0
    assert CardView._rating_rows(11, 2, room, ROW_H) == 1  # without the facts, one row fits
    assert CardView._rating_rows(4, 2, 2 * ROW_H, ROW_H) == 2  # all fit: no "more" line
