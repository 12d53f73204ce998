"""Chinese text in scenario files: folded lines and text that is not Chinese.

YAML folds a long text written over several lines (a ``>-`` block, or a
plain or quoted text broken across lines) by joining the lines with a space.
English needs that space; Chinese does not, so ``由\\n每秒80`` came out as
``由 每秒80`` in the briefing. :func:`unfold_cjk` takes such a folding space
out again where both of its neighbours are Chinese characters or Chinese
punctuation. A space next to a Latin letter or a digit stays: a line broken
before ``G55`` or ``GPS`` may well be where the author wanted a space, and a
stray one there reads as spacing, not as a break in a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from sim.scenario.messages import Message, say

# Han ideographs (CJK Unified, Extension A, Compatibility), CJK symbols and
# punctuation (、。「」《》 …), and the full-width forms (，；：！？（） …).
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Chinese proper: a Han ideograph (punctuation alone does not make Chinese).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Han character or Chinese (full-width) punctuation."""
    return bool(_CJK.fullmatch(char))


def has_han(text: str) -> bool:
    """Whether ``text`` holds at least one Chinese (Han) character."""
    return bool(_HAN.search(text))


def unfold_cjk(source: str, folded: str) -> str:
    """``folded`` without the folding spaces that YAML put between two Chinese characters.

    ``source`` is the scalar as written in the file (for a block scalar, the
    lines after its ``>`` header; for a quoted one, without its quotes) and
    ``folded`` the value YAML made of it. The two are walked side by side: a
    run of white space holding one line break in the source that became one
    space in the value is a folding space. Anything the walk cannot match
    (an escape sequence, a doubled quote) leaves the value as it was.
    """
    out: list[str] = []
    i = j = 0
    while j < len(folded):
        if i >= len(source):
            return folded
        run = re.match(r"[ \t]*\n[ \t\n]*", source[i:])
        if run is not None:
            breaks = run.group().count("\n")
            gap = re.match(r"[ \t\n]*", folded[j:])
            if gap is None or not gap.group():
                return folded  # an escaped line break: not a fold
            if gap.group() == " " and breaks == 1:
                before = out[-1] if out else ""
                after = source[i + run.end() : i + run.end() + 1]
                if not (before and after and is_cjk(before) and is_cjk(after)):
                    out.append(" ")
            else:
                out.append(gap.group())
            i += run.end()
            j += gap.end()
            continue
        if source[i] != folded[j]:
            return folded
        out.append(folded[j])
        i += 1
        j += 1
    return "".join(out)


def english_in_zh(scenario: BaseModel) -> Iterator[tuple[tuple[str | int, ...], Message]]:
    """(YAML path, message) of each ``zh`` text with no Chinese in it (English pasted twice).

    A ``zh`` without a Han character but with a Latin word of three letters or
    more is taken for a mistake; a code such as ``G55`` or ``S32`` alone is not.
    """
    for path, text in _texts(scenario, ()):
        if not has_han(text.zh) and _LATIN_WORD.search(text.zh):
            shown = text.zh if len(text.zh) <= 40 else text.zh[:37] + "..."
            yield (*path, "zh"), say("warn.text.english_in_zh", shown=repr(shown))


_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _texts(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple, Any]]:
    from sim.scenario.schema import Text

    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, str(key)))
