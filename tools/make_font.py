"""Build the game's CJK font: Noto Sans CJK SC, subset to what DrillCommand shows.

The subset keeps ASCII and Latin-1, general and CJK punctuation, full-width
forms, the 3,755 level-1 hanzi of GB2312 (decoded from bytes 0xB0A1-0xD7F9),
and every character used in the ui and analysis locales and scenarios/*.yaml. Run it
again after adding text with new characters:

    python tools/make_font.py [/path/to/NotoSansCJK-Regular.ttc ...]

(on Debian/Ubuntu: ``apt-get install fonts-noto-cjk``). The font is under the
SIL Open Font License 1.1 (assets/fonts/OFL.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "assets" / "fonts"
SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
SC_NAME = "Noto Sans CJK SC"


def gb2312_level1() -> str:
    """The 3,755 level-1 hanzi of GB2312: rows 0xB0-0xD7, columns 0xA1-0xFE."""
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # row 0xD7 ends at 0xF9
    return "".join(chars)


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
    chars |= set(gb2312_level1()) | set(text_in_use()) | set("×·—–…")
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
    for style, collection in sources.items():
        target = build(style, collection)
        print(f"{target.relative_to(REPO)}: {target.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
