"""Fuzzing the loader: damaged drills are refused cleanly, and whatever validates runs.

A structure-aware mutator takes a shipped drill apart as data and puts it back
damaged the ways people and tools damage files: keys dropped and duplicated,
values of the wrong type, zero, negative, huge and non-finite numbers, ids
that name nothing, odd and long unicode, and byte-level damage to the text.
Each mutant is loaded in-process; the loader must answer with the scenario or
with positioned issues (``ScenarioError``), never another exception. Each
mutant that validates is played for ten minutes with people and supplies
conserved. The hand-written hostile files (billion laughs, deep nesting, NUL
bytes) sit beside it. ``benchmarks/fuzz_loader.py`` runs the same mutator
for longer, in child processes, and counts hangs too.
"""

from __future__ import annotations

import copy
import math
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim import LoadedScenario, ScenarioError, load_scenario, parse_scenario
from sim.engine import Drill
from sim.scenario.warnings import scenario_warnings

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
FUZZ_MINUTES = 10.0

NUMBERS: list[Any] = [
    0,
    -1,
    -1e9,
    1,
    2,
    1e9,
    1e300,
    -1e300,
    10**30,
    math.nan,
    math.inf,
    -math.inf,
    0.5,
    1e-300,
]
WRONG_TYPES: list[Any] = [None, True, "x", "", [], {}, [1, 2], {"a": 1}, "12", "1e3"]
ODD_TEXT = [
    "\u202e\u2066evil",  # bidi controls
    "\u200b",  # zero width space
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🔥",
    "a" * 5000,
    "\x85next line",
    "\ufeffbom",
    "e\u0301\u0301\u0301",
    "null",
    "~",
    "'quoted'",
]
UNKNOWN_ID = "nothing-here"
KINDS = [
    *("drop", "wrong_type", "number", "id", "copy_item", "empty"),
    *("scale", "scale", "scale", "text", "text"),  # edits that often still validate
]


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _mutate_data(data: dict, rnd: random.Random) -> dict:
    """One structural change at a random place of the document."""
    data = copy.deepcopy(data)
    paths = [p for p in _paths(data) if p]
    keyed = [p for p in paths if isinstance(p[-1], str)]  # most points are list items
    path = rnd.choice(keyed if rnd.random() < 0.7 else paths)
    parent = _get(data, path[:-1])
    key = path[-1]
    value = parent[key]
    kind = rnd.choice(KINDS)
    if kind == "drop":
        del parent[key]
    elif kind == "wrong_type":
        parent[key] = copy.deepcopy(rnd.choice(WRONG_TYPES))
    elif kind == "number":
        if isinstance(value, list) and value and all(isinstance(v, int | float) for v in value):
            value[rnd.randrange(len(value))] = rnd.choice(NUMBERS)  # a coordinate
        else:
            parent[key] = rnd.choice(NUMBERS)
    elif kind == "scale":
        parent[key] = _scaled(value, rnd)
    elif kind == "id":
        parent[key] = (
            UNKNOWN_ID if isinstance(value, str) else rnd.choice([UNKNOWN_ID, "", "UPPER"])
        )
    elif kind == "text" and isinstance(value, str) and key in ("en", "zh"):
        parent[key] = rnd.choice(ODD_TEXT) + value  # a title or briefing with odd unicode
    elif kind == "text":
        parent[key] = rnd.choice(ODD_TEXT)
    elif kind == "copy_item" and isinstance(parent, list):
        parent.insert(rnd.randrange(len(parent) + 1), copy.deepcopy(value))  # a duplicated id
    elif kind == "copy_item" and isinstance(parent, dict):
        parent[f"{key}_copy"] = copy.deepcopy(value)  # an unknown key
    else:
        parent[key] = [] if isinstance(value, list) else ({} if isinstance(value, dict) else 0)
    return data


def _scaled(value: Any, rnd: random.Random) -> Any:
    """A plausible edit: a number (or one number of a point) made smaller or larger."""
    factor = rnd.choice([0, 0.5, 0.9, 1.1, 2, 10, -1])
    if isinstance(value, list):
        numbers = [i for i, v in enumerate(value) if isinstance(v, int | float)]
        if numbers:
            at = rnd.choice(numbers)
            value[at] = _scaled(value[at], rnd)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return rnd.choice(NUMBERS)
    return type(value)(value * factor)


def _damage_text(text: str, rnd: random.Random) -> bytes:
    """Damage at the level of lines and bytes: duplicated keys, cut files, stray bytes."""
    lines = text.splitlines(keepends=True)
    kind = rnd.choice(["dup_line", "drop_line", "cut", "bytes", "indent", "swap"])
    at = rnd.randrange(len(lines))
    if kind == "dup_line":  # a key that appears twice (or a list item twice)
        lines.insert(at, lines[at])
    elif kind == "drop_line":
        del lines[at]
    elif kind == "indent":
        lines[at] = rnd.choice([" ", "\t", "  - ", "? ", "&a ", "*a "]) + lines[at]
    elif kind == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    raw = "".join(lines).encode("utf-8")
    if kind == "cut":
        raw = raw[: rnd.randrange(len(raw) + 1)]
    elif kind == "bytes":
        where = rnd.randrange(len(raw) + 1)
        junk = bytes(
            rnd.choice([0, 7, 27, 0x7F, 0x80, 0xC3, 0xFF, ord("{"), ord("["), ord(":")])
            for _ in range(rnd.randint(1, 4))
        )
        raw = raw[:where] + junk + raw[where:]
    return raw


def make_mutant(rnd: random.Random) -> tuple[str, bytes]:
    """A damaged copy of a shipped drill: (which drill, the file's bytes)."""
    source = rnd.choice(SHIPPED)
    data = _SOURCES[source.name]
    for _ in range(rnd.choice([1, 1, 2, 3])):
        data = _mutate_data(data, rnd)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    if rnd.random() < 0.2:
        return source.name, _damage_text(text, rnd)
    return source.name, text.encode("utf-8", "surrogatepass")


_SOURCES = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in SHIPPED}


def validate_bytes(raw: bytes, folder: Path, name: str = "mutant.yaml") -> LoadedScenario | None:
    """Load ``raw`` as a scenario file: the scenario, or None for a clean refusal.

    Any exception other than ScenarioError propagates (that is the failure).
    """
    path = folder / name
    path.write_bytes(raw)
    try:
        loaded = load_scenario(path)
    except ScenarioError as exc:
        assert exc.issues, "a refusal must say what is wrong"
        for issue in exc.issues:
            assert str(issue).startswith(f"{path}:{issue.line}:{issue.col}: ")
        return None
    return loaded


def run_briefly(loaded: LoadedScenario, seed: int, minutes: float = FUZZ_MINUTES) -> None:
    """Play ``minutes`` of the drill with nobody in command; invariants checked each minute."""
    drill = Drill(loaded, seed)
    for minute in range(1, int(minutes) + 1):
        drill.advance(float(minute))
        drill.check_invariants()


_FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-loader-"))


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same mutants on every CI run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.randoms(use_true_random=True), st.integers(0, 2**32))
def test_mutants_are_refused_cleanly_or_run(rnd, seed):
    _, raw = make_mutant(rnd)
    loaded = validate_bytes(raw, _FOLDER)
    event("accepted and run" if loaded is not None else "refused cleanly")
    if loaded is not None:
        scenario_warnings(loaded)  # `sim validate` goes on to these
        run_briefly(loaded, seed)


def _issue(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "hostile.yaml")
    (issue,) = caught.value.issues
    return str(issue)


def test_billion_laughs_is_refused_at_the_alias_that_expands_too_far():
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 10):
        prev, name = chr(96 + level), chr(97 + level)
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    issue = _issue(text)
    assert issue.startswith("hostile.yaml:5:4: too large for a scenario: aliases expand to more")


def test_an_alias_inside_its_own_anchor_is_refused():
    assert _issue("a: &a [1, *a]\n") == (
        "hostile.yaml:1:4: too large for a scenario: an alias refers to a value that contains it"
    )


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_flow_nesting_is_refused_not_a_recursion_error(opening):
    issue = _issue("a: " + opening * 5000)
    assert issue.startswith("hostile.yaml:1:") and "nested more than 40 deep" in issue


def test_deep_block_nesting_is_refused():
    text = "".join("  " * depth + "- \n" for depth in range(200))
    assert "nested more than 40 deep" in _issue(text)


def test_too_many_values_are_refused_where_the_limit_is_met():
    issue = _issue("a: [" + ", ".join(["1"] * 20_000) + "]\n")
    assert issue.startswith("hostile.yaml:1:") and "more than 12,000 values" in issue


@pytest.mark.parametrize(
    ("bad", "shown"), [("\x00", "U+0000"), ("\x07", "U+0007"), ("\ud800", "U+D800")]
)
def test_unacceptable_characters_are_positioned(bad, shown):
    text = SHIPPED[0].read_text(encoding="utf-8")
    line = 3
    offset = sum(len(x) for x in text.splitlines(keepends=True)[: line - 1]) + 4
    issue = _issue(text[:offset] + bad + text[offset:])
    assert (
        issue == f"hostile.yaml:{line}:5: not valid YAML: character {shown} is not allowed in YAML"
    )


def test_values_yaml_cannot_build_are_positioned():
    assert _issue("a: 2026-13-45\n").startswith(
        "hostile.yaml:1:4: not valid YAML: cannot read value '2026-13-45': month must be in 1..12"
    )
    assert "cannot read value" in _issue("a: " + "9" * 5000 + "\n")


def test_non_utf8_bytes_in_a_file_are_positioned(tmp_path):
    path = tmp_path / "drill.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}:2:7: not UTF-8 text (byte 0xE9)"


def test_a_hill_far_away_or_infinitely_wide_is_refused_by_the_schema():
    data = copy.deepcopy(_SOURCES["riverside_flood.yaml"])
    terrain = data["map"].setdefault("terrain", {})
    terrain["hills"] = [{"at": [1e300, 0.0], "height_m": 50, "radius_m": 1e300}]
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(yaml.safe_dump(data, allow_unicode=True), "hill.yaml")
    text = str(caught.value)
    assert "map.terrain.hills[0].at[0]: Input should be less than or equal to 1000000" in text
    assert "map.terrain.hills[0].radius_m: Input should be less than or equal to 100000" in text
    assert "ImageTerrain" not in text and "elevation_pgm" not in text


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_shipped_drills_pass_the_fuzzer_own_checks(path, tmp_path):
    loaded = validate_bytes(path.read_bytes(), tmp_path, path.name)
    assert loaded is not None


@pytest.mark.parametrize(
    ("key", "kind"), [("1", "an int"), ("null", "a null"), ("true", "a bool"), (".nan", "a float")]
)
def test_a_key_yaml_reads_as_something_other_than_text_is_positioned(key, kind):
    text = SHIPPED[0].read_text(encoding="utf-8")
    line = text.count("\n") + 1
    issue = _issue(text + f"{key}: 1\n")
    assert issue == (
        f"hostile.yaml:{line}:1: {key}: key {key!r} is read as {kind}, not text: put it in quotes"
    )
