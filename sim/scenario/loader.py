"""Reading scenario files: safe YAML, positions of every value, readable errors.

An instructor's mistake must come back as ``FILE:LINE:COL: path.to.field:
what is wrong`` — every mistake of the file in one pass, never a traceback.
The YAML is composed into nodes first so that each value keeps its line and
column; only plain YAML types are allowed (a tag that would build a Python
object is an error), duplicate keys are errors (YAML would silently keep the
last), and absurd sizes are refused before parsing.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.scenario.checks import check_references
from sim.scenario.explain import closest_members, explain, locate, tag_path
from sim.scenario.messages import in_language, say
from sim.scenario.schema import Scenario
from sim.scenario.syntax import diagnose
from sim.scenario.text import unfold_cjk

# Limits that keep a hostile or broken file from hanging or exhausting the
# loader. The shipped drills are 6-16 kB, ~1,500 nodes, nested 7 deep, with
# no aliases; each limit is eight times or more above that and is met within a
# second by the pure-Python parser.
MAX_FILE_BYTES = 256 * 1024  # a drill is a few kB; a quarter megabyte means a mistake
MAX_DEPTH = 40  # mappings and lists inside one another, aliases followed
MAX_NODES = 12_000  # values written in the file
MAX_ALIASES = 1_000  # *references to anchors
MAX_EXPANDED_NODES = 30_000  # values once every alias is expanded ("billion laughs")
MAX_EXPANDED_CHARS = 1024 * 1024  # characters of text once every alias is expanded
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class ScenarioIssue:
    """One mistake in a scenario file, positioned for an editor."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        return self.text()

    def text(self, language: str = "en") -> str:
        """``FILE:LINE:COL: path: message``, the message in ``language`` where it can be."""
        where = f"{self.path}: " if self.path else ""
        message = in_language(self.message, language)
        return f"{self.file}:{self.line}:{self.col}: {where}{message}"


class ScenarioError(Exception):
    """A scenario file that cannot be used, with all its issues."""

    def __init__(self, issues: list[ScenarioIssue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with the text it came from.

    ``content_hash`` covers the YAML text and every file it references, so a
    drill log can prove which scenario it was played on.
    """

    scenario: Scenario
    text: str
    name: str
    base_dir: Path | None
    content_hash: str


class _Positions:
    """Line and column (1-based) of every value in a composed YAML document."""

    def __init__(self) -> None:
        self.marks: dict[YamlPath, tuple[int, int]] = {}
        self.key_marks: dict[YamlPath, tuple[int, int]] = {}

    def at(self, path: YamlPath) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that exists."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


class _LimitError(Exception):
    """A size limit met while reading; carries the position where it was met."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else 1
        self.col = mark.column + 1 if mark is not None else 1
        self.message = message


class _ValueError(Exception):
    """A scalar of a YAML type that cannot be built (a month 13), with its position."""

    def __init__(self, mark: Any, value: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.col = mark.line + 1, mark.column + 1
        self.value, self.reason = value, reason


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts what it composes and stops at the limits.

    PyYAML's composer recurses once per level of nesting (so a deep flow list
    would end in RecursionError) and shares the node of an anchor between its
    aliases (so nested aliases describe an exponentially large document in a
    few lines). Depth, node and alias counts are checked as nodes are
    composed; the expanded size is measured on the composed graph before
    anything walks it as a tree.
    """

    def __init__(self, text: str) -> None:
        self._depth = 0
        self._nodes = 0
        self._aliases = 0
        super().__init__(text)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _LimitError(event.start_mark, f"more than {MAX_ALIASES} aliases")
        else:
            self._nodes += 1
            if self._nodes > MAX_NODES:
                raise _LimitError(event.start_mark, f"more than {MAX_NODES:,} values")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitError(event.start_mark, f"nested more than {MAX_DEPTH} deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # A scalar that matches a YAML type but cannot be built (a timestamp
        # of month 13, an integer of 5,000 digits) raises a bare ValueError
        # in PyYAML; give it the node's position.
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError) as exc:
            raise _ValueError(node.start_mark, _short(node.value), _first(exc)) from None


def _first(exc: Exception) -> str:
    text = str(exc).split(":")[0].strip() or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else "(a collection)"
    return text if len(text) <= 40 else text[:37] + "..."


def _measure(root: yaml.Node) -> None:
    """Refuse a document whose alias expansion is too deep, too large or circular.

    Each distinct node is measured once (memoised), so the cost follows the
    file's size, not its expanded size.
    """
    sizes: dict[int, tuple[int, int, int]] = {}  # id -> (nodes, chars, height)
    active: set[int] = set()

    def visit(node: yaml.Node, depth: int) -> tuple[int, int, int]:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            if depth + known[2] > MAX_DEPTH:
                raise _LimitError(node.start_mark, f"nested more than {MAX_DEPTH} deep")
            return known
        if key in active:
            raise _LimitError(node.start_mark, "an alias refers to a value that contains it")
        if depth > MAX_DEPTH:
            raise _LimitError(node.start_mark, f"nested more than {MAX_DEPTH} deep")
        active.add(key)
        nodes, chars, height = 1, 0, 1
        if isinstance(node, yaml.ScalarNode):
            chars = len(node.value)
        else:
            children = (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            for child in children:
                c_nodes, c_chars, c_height = visit(child, depth + 1)
                nodes += c_nodes
                chars += c_chars
                height = max(height, c_height + 1)
                if nodes > MAX_EXPANDED_NODES:
                    raise _LimitError(
                        node.start_mark,
                        f"aliases expand to more than {MAX_EXPANDED_NODES:,} values",
                    )
                if chars > MAX_EXPANDED_CHARS:
                    raise _LimitError(
                        node.start_mark,
                        f"aliases expand to more than {MAX_EXPANDED_CHARS // 2**20} MB of text",
                    )
        active.discard(key)
        sizes[key] = (nodes, chars, height)
        return sizes[key]

    visit(root, 1)


def _walk(node: yaml.Node, path: YamlPath, pos: _Positions, issues: list[tuple]) -> None:
    pos.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        issues.append((path, say("tag.not_allowed", tag=repr(node.tag))))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                pos.marks[(*path, "?")] = key_mark
                issues.append(((*path, "?"), say("key.not_plain")))
                continue
            key = key_node.value
            if key_node.tag not in (_STR_TAG, _MERGE_TAG):
                pos.marks[(*path, key)] = key_mark
                kind = key_node.tag.rsplit(":", 1)[-1]
                kind = ("an " if kind[:1] in "aeiou" else "a ") + kind
                issues.append(((*path, key), say("key.not_text", key=key, kind=kind)))
                continue
            if key in seen:
                issues.append(((*path, key), say("key.twice", key=key)))
            seen.add(key)
            pos.key_marks[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            _walk(value_node, (*path, key), pos, issues)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), pos, issues)


def _format_path(path: YamlPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_col(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _compose(text: str, name: str) -> tuple[Any, _Positions]:
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # the reader checks every character here
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([ScenarioIssue(name, 1, 1, "", say("file.empty"))])
        _measure(node)
        positions = _Positions()
        tag_issues: list[tuple] = []
        _walk(node, (), positions, tag_issues)
        if tag_issues:
            raise ScenarioError(
                [
                    ScenarioIssue(name, *positions.at(path), _format_path(path), message)
                    for path, message in tag_issues
                ]
            )
        data = loader.construct_document(node)
        _unfold_chinese(node, data, text)
    except _LimitError as exc:
        raise ScenarioError(
            [ScenarioIssue(name, exc.line, exc.col, "", say("file.too_large", what=exc.message))]
        ) from None
    except _ValueError as exc:
        said = say("yaml.cannot_read_value", value=exc.value, reason=exc.reason)
        raise ScenarioError([ScenarioIssue(name, exc.line, exc.col, "", said)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        said = (
            say("yaml.character", code=f"{exc.character:04X}")
            if isinstance(exc.character, int)
            else say("yaml.byte")
        )
        raise ScenarioError([ScenarioIssue(name, line, col, "", said)]) from None
    except yaml.MarkedYAMLError as exc:
        found = diagnose(text, exc)
        raise ScenarioError(
            [ScenarioIssue(name, found.line, found.col, "", found.message)]
        ) from None
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        said = say("yaml.invalid", problem=problem)
        raise ScenarioError([ScenarioIssue(name, 1, 1, "", said)]) from None
    except RecursionError:  # a limit above should come first; this is the last guard
        raise ScenarioError(
            [ScenarioIssue(name, 1, 1, "", say("file.too_large", what="nested too deep"))]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(data, dict):
        raise ScenarioError([ScenarioIssue(name, 1, 1, "", say("file.not_mapping"))])
    return data, positions


def _unfold_chinese(node: yaml.Node, data: Any, text: str) -> None:
    """Take out the spaces YAML put between Chinese characters when it folded a ``zh`` text
    written over several lines (:func:`sim.scenario.text.unfold_cjk`)."""
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        for key_node, value_node in node.value:
            key = key_node.value
            if not isinstance(key, str) or key not in data:
                continue
            value = data[key]
            if (
                key == "zh"
                and isinstance(value, str)
                and isinstance(value_node, yaml.ScalarNode)
                and value_node.start_mark.line != value_node.end_mark.line
            ):
                data[key] = unfold_cjk(_scalar_source(value_node, text), value)
            else:
                _unfold_chinese(value_node, value, text)
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for item_node, item in zip(node.value, data, strict=False):
            _unfold_chinese(item_node, item, text)


def _scalar_source(node: yaml.ScalarNode, text: str) -> str:
    """A scalar's text as written: a block's lines after its header, a quoted text's inside."""
    written = text[node.start_mark.index : node.end_mark.index]
    if node.style in (">", "|"):
        return written[written.find("\n") + 1 :].lstrip(" \t")
    if node.style in ('"', "'"):
        return written[1:-1]
    return written


def parse_scenario(
    text: str, name: str = "<scenario>", base_dir: Path | None = None
) -> LoadedScenario:
    """Validate scenario ``text``; raise :class:`ScenarioError` with every issue found.

    ``base_dir`` is where referenced image files are looked for (the folder of
    the YAML file); without it, image terrain cannot be used.
    """
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError([_too_big(name)])
    data, positions = _compose(text, name)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        issues = []
        for error in closest_members(exc.errors()):
            path, model = locate(error["loc"], data)
            said = explain(error, path, model)
            path = tag_path(error, path)
            line, col = (
                positions.key_marks.get(path) or positions.at(path)
                if error["type"] == "extra_forbidden"
                else positions.at(path)
            )
            issues.append(ScenarioIssue(name, line, col, _format_path(path), said))
        raise ScenarioError(_unique(issues)) from None
    problems = check_references(scenario, base_dir)
    if problems:
        raise ScenarioError(
            [
                ScenarioIssue(name, *positions.at(path), _format_path(path), message)
                for path, message in problems
            ]
        )
    digest = hashlib.sha256(text.encode("utf-8"))
    for extra in _referenced_files(scenario, base_dir):
        digest.update(extra.read_bytes())
    return LoadedScenario(scenario, text, name, base_dir, "sha256:" + digest.hexdigest())


def _too_big(name: str) -> ScenarioIssue:
    return ScenarioIssue(name, 1, 1, "", say("file.larger_than", kb=MAX_FILE_BYTES // 1024))


def _unique(issues: list[ScenarioIssue]) -> list[ScenarioIssue]:
    seen: set[ScenarioIssue] = set()
    return [i for i in issues if not (i in seen or seen.add(i))]


def _referenced_files(scenario: Scenario, base_dir: Path | None) -> list[Path]:
    terrain = scenario.map.terrain
    names = [getattr(terrain, "elevation_pgm", None), getattr(terrain, "land_use_pgm", None)]
    if base_dir is None:
        return []
    return [base_dir / n for n in names if n]


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read and validate the scenario file at ``path``.

    Raises :class:`ScenarioError` for anything wrong with the file, including
    a file that cannot be read or is too large.
    """
    path = Path(path)
    name = str(path)
    try:
        info = path.stat()
        size, mode = info.st_size, info.st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError([ScenarioIssue(name, 1, 1, "", say("file.folder"))])
        if not stat.S_ISREG(mode):
            # A FIFO or a device would block or never end: read only plain files.
            raise ScenarioError([ScenarioIssue(name, 1, 1, "", say("file.device"))])
        if size > MAX_FILE_BYTES:
            raise ScenarioError([_too_big(name)])
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may grow after stat
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError([_too_big(name)])
    except OSError as exc:
        raise ScenarioError(
            [ScenarioIssue(name, 1, 1, "", say("file.cannot_read", reason=exc.strerror or exc))]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [ScenarioIssue(name, line, col, "", say("file.not_utf8", byte=f"{raw[exc.start]:02X}"))]
        ) from None

    return parse_scenario(text, name, path.resolve().parent)
