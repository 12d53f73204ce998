"""Text is broken into lines the way a reader of each language expects.

``ui.theme.wrap`` breaks every panel's, the timeline's, the hints' and the
tutorial card's text: English between words, Chinese between any two
characters except where the line-breaking rules (禁则) forbid it: no line
starts with a closing mark and none ends with an opening mark. The glyph
before a closing mark goes down with it, so no line is wider than its box.
"""

from __future__ import annotations

import itertools

import pytest

from ui import theme
from ui.theme import NO_LINE_END, NO_LINE_START

CHINESE = (
    "提示：新华小学尚未收到任何预警，而预报显示该地受到威胁（建议：就地避险）。"
    "东村（2,500人）位于下风向；请立即发布“橙色”预警！风向：西北、风速1.4米/秒。"
    "《应急预案》规定：「先救人，后救物」，『人员转移』须在10小时内完成？"
)
ENGLISH = (
    "Dongcun lies downwind of the leak (2,500 people): warn it now, by broadcast and by "
    "door-to-door knocking, then order shelter in place. The hazmat team stops the leak; "
    "ambulances carry the injured to Central Hospital. Report upward within 20 minutes!"
)
SIZES = ((13, False), (14, False), (16, True), (17, True))


@pytest.fixture(autouse=True)
def fonts():
    pygame = pytest.importorskip("pygame")
    pygame.font.init()
    theme.clear_caches()  # fonts made before an earlier test's pygame.quit() are dead
    yield
    theme.clear_caches()


@pytest.mark.parametrize("size,bold", SIZES)
def test_no_chinese_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(size, bold):
    for width in range(3 * size, 460, 5):
        lines = theme.wrap(CHINESE, size, width, bold)
        assert "".join(lines) == CHINESE, f"text lost or changed at {width} px"
        starts = [ln for ln in lines if ln[0] in NO_LINE_START]
        ends = [ln for ln in lines[:-1] if ln[-1] in NO_LINE_END]
        assert not starts and not ends, f"{width} px: {lines}"


@pytest.mark.parametrize("size,bold", SIZES)
def test_chinese_lines_stay_within_their_width(size, bold):
    """The rule moves a glyph down rather than letting a mark hang past the box (from six
    glyphs wide: narrower, "（2,500" may have no glyph to move down and overhangs)."""
    face = theme.font(size, bold)
    for width in range(6 * size, 460, 5):
        lines = theme.wrap(CHINESE, size, width, bold)
        wide = [ln for ln in lines if face.size(ln)[0] > width]
        assert not wide, f"{width} px: {wide}"


def test_a_closing_mark_takes_the_glyph_before_it_to_the_next_line():
    face = theme.font(14)
    text = "请立即撤离。"
    width = face.size("请立即撤离")[0]  # the full stop alone would not fit
    # 「离。」 alone would be one character on the last line: 撤 goes down too (test_zh_typography)
    assert theme.wrap(text, 14, width) == ("请立即", "撤离。")


def test_an_opening_mark_goes_down_with_what_it_opens():
    face = theme.font(14)
    text = "东村（下风向）"
    width = face.size("东村（")[0]  # the bracket would fit, its content would not
    assert theme.wrap(text, 14, width)[0] == "东村"


@pytest.mark.parametrize("size,bold", SIZES)
def test_english_breaks_between_words_where_the_next_word_would_not_fit(size, bold):
    """Greedy by words: every line fits, and the next line's first word would not have."""
    face = theme.font(size, bold)
    for width in range(120, 640, 9):
        lines = theme.wrap(ENGLISH, size, width, bold)
        assert " ".join(lines) == ENGLISH
        assert all(face.size(ln)[0] <= width for ln in lines)
        for line, after in itertools.pairwise(lines):
            assert face.size(f"{line} {after.split(' ')[0]} ")[0] > width, (width, line, after)


def test_english_keeps_its_marks_where_they_are_written():
    """Brackets and stops travel with their words: nothing from the Chinese rule moves."""
    text = "Shelter in place (windows shut, ventilation off). Then report."
    face = theme.font(14)
    for width in range(60, 420, 3):
        lines = theme.wrap(text, 14, width)
        words = [w for ln in lines for w in ln.split(" ")]
        assert words == text.split(" ")
        assert all(face.size(ln)[0] <= width for ln in lines if " " in ln)


def test_paragraphs_and_a_word_wider_than_the_box():
    assert theme.wrap("one\n\ntwo", 14, 200) == ("one", "", "two")
    assert theme.wrap("Decontamination", 14, 30) == ("Decontamination",)
