"""The drill picker shows an invalid file's messages in the player's language."""

from __future__ import annotations

import pygame

from tests.ui.conftest import MINI
from ui.app import App
from ui.scenes.picker import PickerScene


def picker_lines(tmp_path, language: str, mistake: tuple[str, str]) -> list[str]:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.read_text(encoding="utf-8").replace(*mistake), encoding="utf-8")
    app = App(language=language, cli_scenario=broken)
    try:
        app.switch(PickerScene(app))
        app.scene.chosen = next(e for e in app.scene.entries if e.path == broken.resolve())
        app.rebuild()
        app.step(1 / 60)
        return [text for text, _ in app.scene.texts]  # one per wrapped line
    finally:
        pygame.quit()


def unwrapped(lines: list[str]) -> str:
    """The picker's lines joined, without spaces (Chinese wraps between any two characters)."""
    return "".join(lines).replace(" ", "")


def test_an_unknown_key_reads_in_chinese_in_the_chinese_picker(tmp_path):
    lines = unwrapped(
        picker_lines(tmp_path, "zh-CN", ("    population: 900", "    populaton: 900"))
    )
    assert "zones[0].population:缺少必填字段" in lines
    assert "zones[0].populaton:未知的键；是不是想写'population'？" in lines
    assert "unknownkey" not in lines


def test_the_english_picker_keeps_the_english_message(tmp_path):
    lines = " ".join(picker_lines(tmp_path, "en", ("    population: 900", "    populaton: 900")))
    assert "zones[0].populaton: unknown key; did you mean 'population'?" in lines


def test_an_indentation_slip_reads_in_chinese(tmp_path):
    slip = ("    vulnerable_share: 0.25", "   vulnerable_share: 0.25")
    lines = unwrapped(picker_lines(tmp_path, "zh-CN", slip))
    assert "缩进：这一行缩进了3个空格，而前后各行用的是4个：请改为缩进4个空格" in lines
