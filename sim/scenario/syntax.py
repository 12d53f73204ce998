"""YAML syntax mistakes said in words, at the line the author has to fix.

The parser stops where the document stops making sense, which after an
indentation slip is often lines later: a line of a folded text (``>-``)
indented two spaces short ends the text there, and the parser complains only
when it reaches the next key. :func:`diagnose` looks back from the parser's
line for a line indented unlike its neighbours, re-indents it to its
neighbours' indentation and parses again: the nearest line whose re-indenting
makes the whole file parse is the slip, and is reported with its indentation
and its neighbours' ("indentation: this line is indented 4 spaces; the lines
around it use 6"). Where no single line explains the error, the parser's
position is kept and its jargon (``expected <block end>, but found
'<block mapping start>'``) is put in plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from sim.scenario.messages import Message, say

LOOK_BACK_LINES = 200  # how far above the parser's line a slip is looked for
MAX_TRIES = 60  # re-parses at most (each a few milliseconds with libyaml)
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class SyntaxProblem:
    """A YAML syntax mistake: where to fix it (1-based) and what to do."""

    line: int
    col: int
    message: Message


def diagnose(text: str, exc: yaml.MarkedYAMLError) -> SyntaxProblem:
    """Where and what the mistake behind parser error ``exc`` on ``text`` is."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = f"{exc.context or ''} {exc.problem or ''}".strip()
    shown = str(exc.problem or exc.context or "")
    lines = text.split("\n")
    if "'\\t'" in problem or "\t" in (lines[line - 1] if 0 < line <= len(lines) else ""):
        tab = lines[line - 1].find("\t") if 0 < line <= len(lines) else -1
        return SyntaxProblem(line, tab + 1 if tab >= 0 else col, say("yaml.tab"))
    if _indentation_error(problem):
        slip = _find_slip(lines, line - 1)
        if slip is not None:
            return slip
        return SyntaxProblem(line, col, _in_words(problem, shown, lines, line - 1))
    return SyntaxProblem(line, col, _in_words(problem, shown, lines, line - 1))


def _indentation_error(problem: str) -> bool:
    return any(
        words in problem
        for words in (
            "expected <block end>",
            "could not find expected ':'",
            "mapping values are not allowed",
            "did not find expected '-' indicator",
            "did not find expected key",
            "sequence entries are not allowed here",
        )
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _neighbours(lines: list[str], index: int) -> tuple[int | None, int | None]:
    """Indices of the nearest lines with content above and below ``index``."""
    above = next((i for i in range(index - 1, -1, -1) if _content(lines[i])), None)
    below = next((i for i in range(index + 1, len(lines)) if _content(lines[i])), None)
    return above, below


def _parses(text: str) -> bool:
    try:
        for _ in yaml.parse(text, Loader=_FAST_LOADER):
            pass
    except yaml.YAMLError:
        return False
    return True


def _find_slip(lines: list[str], error_index: int) -> SyntaxProblem | None:
    """The nearest line at or above ``error_index`` whose re-indenting fixes the file."""
    tries = 0
    last = min(error_index, len(lines) - 1)
    for index in range(last, max(-1, last - LOOK_BACK_LINES), -1):
        if not _content(lines[index]):
            continue
        own = _indent(lines[index])
        above, below = _neighbours(lines, index)
        targets = []
        for other in (above, below):
            if other is not None and _indent(lines[other]) != own:
                targets.append(_indent(lines[other]))
        for target in dict.fromkeys(targets):
            tries += 1
            if tries > MAX_TRIES:
                return None
            fixed = [*lines[:index], " " * target + lines[index].lstrip(" "), *lines[index + 1 :]]
            if _parses("\n".join(fixed)):
                return SyntaxProblem(index + 1, own + 1, _slip_message(lines, index, own, target))
    return None


def _slip_message(lines: list[str], index: int, own: int, target: int) -> Message:
    if _in_block_text(lines, index, target):
        return say("yaml.indent.text", found=own, expected=target)
    return say("yaml.indent", found=own, expected=target)


def _in_block_text(lines: list[str], index: int, target: int) -> bool:
    """Whether the line, at ``target`` indentation, belongs to a text block (``key: >-``)."""
    for i in range(index - 1, -1, -1):
        if _content(lines[i]) and _indent(lines[i]) < target:
            return lines[i].rstrip().endswith((">", ">-", ">+", "|", "|-", "|+"))
    return False


def _in_words(problem: str, shown: str, lines: list[str], index: int) -> Message:
    """The parser's complaint in plain words, at the parser's own line."""
    structural = "expected <block end>" in problem or "did not find expected" in problem
    if structural and 0 <= index < len(lines) and _content(lines[index]):
        own = _indent(lines[index])
        above = _open_indents(lines, index)
        if own not in above:
            levels = ", ".join(str(n) for n in sorted(above)) or "0"
            return say("yaml.indent.unmatched", found=own, expected=levels)
        previous, _ = _neighbours(lines, index)
        if previous is not None:
            return say("yaml.indent", found=own, expected=_indent(lines[previous]))
    if "could not find expected ':'" in problem:
        return say("yaml.missing_colon")
    if "mapping values are not allowed" in problem:
        return say("yaml.colon_in_value")
    if "found unexpected end of stream" in problem and "quoted" in problem:
        return say("yaml.unclosed_quote")
    if "expected ',' or" in problem:
        return say("yaml.unclosed_flow")
    if "sequence entries are not allowed here" in problem:
        return say("yaml.list_item")
    alias = re.search(r"found undefined alias '([^']*)'", problem)
    if alias:
        return say("yaml.undefined_alias", name=alias.group(1))
    return say("yaml.invalid", problem=shown)


def _open_indents(lines: list[str], index: int) -> set[int]:
    """Indentations of the entries that are open above ``index`` (a line can line up with)."""
    open_at: set[int] = set()
    floor = None
    for i in range(index - 1, -1, -1):
        if not _content(lines[i]):
            continue
        indent = _indent(lines[i])
        if floor is None or indent < floor:
            open_at.add(indent)
            floor = indent
        if indent == 0:
            break
    return open_at
