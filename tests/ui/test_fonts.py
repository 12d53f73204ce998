"""The shipped font renders Chinese, in our text and in pygame_gui's widgets."""

from __future__ import annotations

import numpy as np
import pygame
import pygame_gui

from ui import theme
from ui.paths import FONT_BOLD, FONT_REGULAR
from ui.theme import theme_data


def ink(surface: pygame.Surface) -> np.ndarray:
    """Where a white-on-transparent rendering has ink."""
    return pygame.surfarray.array_alpha(surface) > 64


def test_the_font_ships_with_the_game_and_is_small():
    for path in (FONT_REGULAR, FONT_BOLD):
        assert path.is_file()
        assert path.stat().st_size < 5_000_000
    assert (FONT_REGULAR.parent / "OFL.txt").is_file()


def test_two_different_hanzi_render_as_different_glyphs_not_tofu(app):
    face = theme.font(32)
    assert all(metric is not None for metric in face.metrics("水火应急演练"))
    white = (255, 255, 255)
    water, fire = face.render("水", True, white), face.render("火", True, white)
    tofu = face.render("\ue000", True, white)  # a private-use code point: the .notdef box
    assert water.get_width() > 20  # a full-width glyph
    assert not np.array_equal(ink(water), ink(fire))
    assert water.get_size() != tofu.get_size() or not np.array_equal(ink(water), ink(tofu))


def test_pygame_gui_buttons_use_the_shipped_cjk_font(app):
    manager = pygame_gui.UIManager((400, 100), theme_data())
    button = pygame_gui.elements.UIButton(pygame.Rect(0, 0, 200, 40), "中文", manager)
    own = theme.font(15).size("中文")
    assert button.font.size("中文") == own


def test_every_chinese_string_of_the_game_has_its_glyphs(app):
    # The font is a subset: a string added to the game's translation table with a
    # character the subset lacks would show a box to a trainee.
    from tests.ui.test_debrief import is_tofu
    from ui.i18n import load_table

    face = theme.font(15)
    table = load_table("zh-CN")
    chars = {c for text in table.values() for c in text if not c.isspace()}
    assert {c for c in chars if is_tofu(face, c)} == set()
