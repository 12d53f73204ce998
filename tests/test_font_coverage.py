"""The game's font draws every hanzi of GB2312, and validate warns of any character it cannot.

The font is a subset (tools/make_font.py); the characters it holds are written
beside it to assets/fonts/coverage.txt, which ``validate`` reads
(sim/scenario/glyphs.py) without loading the fonts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario.glyphs import COVERAGE, can_draw, coverage
from tests.conftest import MINI, ROOT

FONTS = sorted((ROOT / "assets" / "fonts").glob("NotoSansSC-DrillCommand-*.otf"))


def gb2312_hanzi() -> list[str]:
    """The hanzi of GB2312, levels 1 and 2: rows 0xB0-0xF7, columns 0xA1-0xFE."""
    found = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def covered() -> set[int]:
    ranges = coverage()
    assert ranges is not None
    return {point for lo, hi in zip(*ranges, strict=True) for point in range(lo, hi + 1)}


def test_the_coverage_file_lists_exactly_what_each_font_draws():
    ttlib = pytest.importorskip("fontTools.ttLib")  # in the venv through matplotlib
    assert len(FONTS) == 2
    for path in FONTS:
        assert set(ttlib.TTFont(str(path)).getBestCmap()) == covered(), path.name


def test_every_hanzi_of_gb2312_is_drawable():
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    ranges = coverage()
    assert ranges is not None
    assert [c for c in hanzi if not can_draw(c, ranges)] == []
    # The characters an instructor found missing: a typhoon's name, Zhejiang place names,
    # flood works and acrylonitrile.
    assert all(can_draw(c, ranges) for c in "鹭瓯甬鄞嵊岙圩垸埭腈")


def _drill(tmp_path: Path, old: str, new: str) -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "drill.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_title_with_a_level_two_hanzi_passes_without_a_warning(tmp_path, capsys):
    path = _drill(tmp_path, 'zh: "小型演练"', 'zh: "台风“白鹭”之夜"')
    assert main(["validate", "--strict", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"


def test_characters_outside_gb2312_are_named_with_their_line_and_field(tmp_path, capsys):
    for char in "𠀀啰":  # Extension B, and a GBK-only hanzi
        with pytest.raises(UnicodeEncodeError):
            char.encode("gb2312")
    path = _drill(tmp_path, 'zh: "西村"', 'zh: "𠀀西村啰"')
    line = 1 + MINI.read_text(encoding="utf-8").splitlines().index(
        '    name: {en: "West Village", zh: "西村"}'
    )
    assert main(["validate", str(path)]) == 0  # a warning: the file still plays
    verdict, warning = capsys.readouterr().out.splitlines()
    assert verdict == f"{path}: ok (1 warning)"
    assert warning.startswith(f"{path}:{line}:")
    assert ": warning: zones[0].name.zh: the game's font has no glyph for " in warning
    assert "'𠀀' (U+20000), '啰' (U+5570)" in warning
    assert main(["validate", "--lang", "zh-CN", str(path)]) == 0
    said = capsys.readouterr().out
    assert "游戏字体里没有「𠀀」字（U+20000）、「啰」字（U+5570）的字形" in said
    assert main(["validate", "--strict", str(path)]) == 1


def test_english_text_the_font_cannot_draw_is_warned_of_too(tmp_path, capsys):
    path = _drill(tmp_path, 'en: "Mini drill"', 'en: "Mini drill 🌀 Bailu"')
    assert main(["validate", str(path)]) == 0
    (warning,) = capsys.readouterr().out.splitlines()[1:]
    assert "meta.title.en: " in warning and "'🌀' (U+1F300)" in warning


def test_the_coverage_file_is_sorted_and_validate_does_not_load_fonttools():
    ranges = coverage(COVERAGE)
    assert ranges is not None
    firsts, lasts = ranges
    assert all(lo <= hi for lo, hi in zip(firsts, lasts, strict=True))
    assert all(hi + 1 < lo for hi, lo in zip(lasts, firsts[1:], strict=False))
    code = (
        "import sys; from sim.cli import main; main(['validate', sys.argv[1]]); "
        "print('fontTools' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.splitlines()[-1] == "False", result.stdout + result.stderr
