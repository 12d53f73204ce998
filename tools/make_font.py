"""Build the game's CJK font: Noto Sans CJK SC, subset to what DrillCommand shows.

The subset keeps ASCII and Latin-1, general and CJK punctuation, full-width
forms, all 6,763 hanzi of GB2312 (the 3,755 common ones of level 1, rows
0xB0-0xD7, and the 3,008 of level 2, rows 0xD8-0xF7, which hold most place
names and technical characters: 鹭 瓯 甬 鄞 嵊 岙 圩 垸 埭 腈), and every
character used in the ui and analysis locales and scenarios/*.yaml. Run it
again after adding text with new characters:

    python tools/make_font.py [/path/to/NotoSansCJK-Regular.ttc ...]

Beside the fonts it writes ``coverage.txt``: the code points both styles can
draw, as sorted ranges, one ``XXXX-XXXX`` (hex) a line. ``python -m sim
validate`` reads it (:mod:`sim.scenario.glyphs`) to warn of scenario text the
game would draw as a box, without loading the fonts or fontTools; a test
proves it matches the fonts.

(on Debian/Ubuntu: ``apt-get install fonts-noto-cjk``). The font is under the
SIL Open Font License 1.1 (assets/fonts/OFL.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "assets" / "fonts"
SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
SC_NAME = "Noto Sans CJK SC"


COVERAGE = OUT / "coverage.txt"


def gb2312_hanzi() -> str:
    """The 6,763 hanzi of GB2312: rows 0xB0-0xF7, columns 0xA1-0xFE.

    Level 1 (3,755, by pinyin) is rows 0xB0-0xD7; level 2 (3,008, by radical)
    is rows 0xD8-0xF7.
    """
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # row 0xD7 ends at 0xF9
    return "".join(chars)


def ranges(code_points: set[int]) -> list[tuple[int, int]]:
    """``code_points`` as sorted, inclusive (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for point in sorted(code_points):
        if runs and point == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], point)
        else:
            runs.append((point, point))
    return runs


def coverage_text(code_points: set[int]) -> str:
    """The coverage file's text for ``code_points`` (see the module's docstring)."""
    head = (
        "# Code points the game's fonts (NotoSansSC-DrillCommand-*.otf) can draw, as\n"
        "# inclusive hex ranges; written by tools/make_font.py, read by sim/scenario/glyphs.py.\n"
    )
    return head + "".join(f"{lo:04X}-{hi:04X}\n" for lo, hi in ranges(code_points))


def drawable(fonts: list[Path]) -> set[int]:
    """The code points every one of ``fonts`` maps to a glyph."""
    maps = [set(TTFont(str(path)).getBestCmap()) for path in fonts]
    return set.intersection(*maps)


def text_in_use() -> str:
    files = [
        *(REPO / "ui" / "locales").rglob("*.json"),
        *(REPO / "analysis" / "locales").rglob("*.json"),
        *(REPO / "sim" / "scenario" / "locales").rglob("*.json"),  # the picker's load errors
    ]
    files += [*(REPO / "scenarios").glob("*.yaml")]
    return "".join(path.read_text(encoding="utf-8") for path in files)


def wanted_characters() -> set[str]:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2150, 0x218F), (0x2190, 0x21FF)]
    ranges += [(0x2460, 0x24FF), (0x25A0, 0x25FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}
    chars |= set(gb2312_hanzi()) | set(text_in_use()) | set("×·—–…")
    return {c for c in chars if c.isprintable() or c == " "}


def extract_sc(collection: Path, style: str) -> Path:
    fonts = TTCollection(str(collection)).fonts
    font = next(f for f in fonts if f["name"].getDebugName(4).startswith(SC_NAME))
    path = OUT / f"_full-{style}.otf"
    font.save(str(path))
    return path


def build(style: str, collection: Path) -> Path:
    full = extract_sc(collection, style)
    target = OUT / f"NotoSansSC-DrillCommand-{style}.otf"
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(full), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in wanted_characters()))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    full.unlink()
    return target


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    sources = dict(SOURCES)
    for arg in argv:
        sources["Bold" if "Bold" in arg else "Regular"] = Path(arg)
    built = []
    for style, collection in sources.items():
        target = build(style, collection)
        built.append(target)
        print(f"{target.relative_to(REPO)}: {target.stat().st_size / 1e6:.2f} MB")
    points = drawable(built)
    COVERAGE.write_text(coverage_text(points), encoding="utf-8")
    print(f"{COVERAGE.relative_to(REPO)}: {len(points)} characters in {len(ranges(points))} ranges")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
