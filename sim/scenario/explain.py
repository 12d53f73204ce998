"""Pydantic's validation errors said as a person would: where, what, and the fix.

Pydantic reports where a value failed as a location in its models (``hazards
0 fire ignitions 1 at_mins``), with the union member it tried among the keys
of the document. :func:`yaml_path` maps that onto the YAML file, and
:func:`explain` turns the error into a :class:`sim.scenario.messages.Message`:
an unknown key with the closest allowed key, a missing field, a text in one
language, an empty text, a word where a number belongs (a compass point for a
wind direction gets its degrees), a choice that is not allowed with the
closest one, a hazard ``kind`` or action ``type`` that does not exist. Errors
with no words of our own keep pydantic's English under a message id, so that
they can still be said in Chinese.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from sim.scenario.messages import Message, say
from sim.scenario.schema import Action, Hazard, Scenario
from sim.scenario.text import has_han

YamlPath = tuple[str | int, ...]


def _tags(union: Any, field: str) -> dict[str, type[BaseModel]]:
    """The tag values of a discriminated union (``fire`` -> FireHazard)."""
    members = typing.get_args(typing.get_args(union)[0])
    return {typing.get_args(m.model_fields[field].annotation)[0]: m for m in members}


HAZARD_KINDS = _tags(Hazard, "kind")
ACTION_TYPES = _tags(Action, "type")

# Compass points (the 16 of a wind rose) to the degrees the wind comes from.
COMPASS_DEG = {
    name: index * 22.5
    for index, name in enumerate(
        [
            "N",
            "NNE",
            "NE",
            "ENE",
            "E",
            "ESE",
            "SE",
            "SSE",
            "S",
            "SSW",
            "SW",
            "WSW",
            "W",
            "WNW",
            "NW",
            "NNW",
        ]
    )
}
_COMPASS_WORDS = {
    "NORTH": "N",
    "NORTHEAST": "NE",
    "EAST": "E",
    "SOUTHEAST": "SE",
    "SOUTH": "S",
    "SOUTHWEST": "SW",
    "WEST": "W",
    "NORTHWEST": "NW",
}
_NUMBER_ERRORS = {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}
# Pydantic errors said in our tables with pydantic's own English, and the context they use.
_PLAIN = {
    "greater_than": "value.gt",
    "greater_than_equal": "value.ge",
    "less_than": "value.lt",
    "less_than_equal": "value.le",
    "too_short": "list.too_short",
    "too_long": "list.too_long",
    "string_too_long": "text.too_long",
    "bool_parsing": "value.bool_parsing",
    "bool_type": "value.bool",
    "string_type": "value.text",
    "list_type": "value.list",
    "dict_type": "value.mapping",
    "tuple_type": "value.tuple",
    "model_type": "value.mapping_of",
}


def locate(loc: tuple[Any, ...], data: Any) -> tuple[YamlPath, type[BaseModel] | None]:
    """The YAML path of pydantic error location ``loc``, and the model its last key is in.

    Pydantic puts the union member it tried in the location (a tag such as
    ``fire`` or ``incident``, or a class name such as ``GeneratedTerrain``);
    the schema is walked along the location so that a tag is told from a key
    of the same name (an ``incident`` action has an ``incident`` key) and
    left out, since it names no key of the document.
    """
    path: list[str | int] = []
    node: Any = data
    annotation: Any = Scenario
    parent: type[BaseModel] | None = None
    for part in loc:
        members = _models(annotation)
        if len(members) > 1:
            named = next((m for m in members if part in (m.__name__, *_tag_values(m))), None)
            if named is not None:
                annotation = named
                continue
            annotation = _choose(members, part)
        if isinstance(part, str) and (part.startswith("function-") or "[" in part):
            continue
        models = _models(annotation)
        parent = models[0] if models else None
        annotation = _step(annotation, part) if annotation is not None else None
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict | list) and isinstance(part, str):
            path.append(part)  # a key that is missing or unknown: keep it
            node = None
    return tuple(path), parent


def tag_path(error: Any, path: YamlPath) -> YamlPath:
    """Where to point for a wrong hazard ``kind`` or action ``type``: at that key."""
    if error["type"] != "union_tag_invalid":
        return path
    field = str(error.get("ctx", {}).get("discriminator", "")).strip("'")
    return (*path, field) if field else path


def _member_at(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str] | None:
    for index, part in enumerate(loc):
        if isinstance(part, str) and part[:1].isupper():
            return loc[:index], part
    return None


def closest_members(errors: list[Any]) -> list[Any]:
    """Keep, of a union without a discriminator, the errors of the member written.

    Pydantic reports a value that fits no member of ``GeneratedTerrain |
    ImageTerrain`` once per member; the member with the fewest errors is the
    one the author meant (the first on a tie), and its errors alone are shown.
    """
    counts: dict[tuple[Any, ...], dict[str, int]] = {}
    for error in errors:
        found = _member_at(error["loc"])
        if found:
            members = counts.setdefault(found[0], {})
            members[found[1]] = members.get(found[1], 0) + 1
    best = {prefix: min(members, key=members.__getitem__) for prefix, members in counts.items()}
    kept = []
    for error in errors:
        found = _member_at(error["loc"])
        if found is None or best[found[0]] == found[1]:
            kept.append(error)
    return kept


# -- the schema along a location ------------------------------------------------


def _choose(members: list[type[BaseModel]], part: Any) -> type[BaseModel] | None:
    """The member of a union whose key ``part`` is (the first member if none has it)."""
    for member in members:
        if part in member.model_fields:
            return member
    return members[0] if members else None


def _tag_values(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(tag for tag, member in {**HAZARD_KINDS, **ACTION_TYPES}.items() if member is model)


def _step(annotation: Any, part: Any) -> Any:
    """The annotation one step into ``annotation`` along ``part``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
        return None
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _step(args[0], part)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _step(inner[0], part) if len(inner) == 1 else None
    if origin is list and args:
        return args[0]
    if origin is tuple and args and isinstance(part, int) and part < len(args):
        return args[part]
    if origin is dict and args:
        return args[1]
    return None


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models(arg)]
    return []


def field_names(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


# -- the words -------------------------------------------------------------------


def explain(error: Any, path: YamlPath, model: type[BaseModel] | None) -> str:
    """The message for one pydantic error at YAML ``path``, in ``model`` (from :func:`locate`)."""
    kind = error["type"]
    given = error.get("input")
    field = path[-1] if path and isinstance(path[-1], str) else None
    if kind == "extra_forbidden":
        return _unknown_key(model, str(path[-1]) if path else "")
    if kind == "missing":
        return say("field.missing")
    if kind == "union_tag_invalid":
        return _bad_tag(error, path)
    if kind == "union_tag_not_found":
        name = error.get("ctx", {}).get("discriminator", "").strip("'")
        return say("tag.missing", field=name, choices=_choices(_tag_choices(name)))
    if kind == "model_type" and error.get("ctx", {}).get("class_name") == "Text":
        return _one_language(path, given)
    if kind == "string_too_short" and given == "":
        return _empty_text(path)
    if kind in _NUMBER_ERRORS:
        return _not_a_number(error, field, given)
    if kind in ("enum", "literal_error"):
        return _bad_choice(error, given)
    if kind in ("value_error", "assertion_error"):
        cause = error.get("ctx", {}).get("error")
        if cause is not None and cause.args and isinstance(cause.args[0], Message):
            return cause.args[0]
        return _plain("value.error", error["msg"].removeprefix("Value error, "))
    return _with_got(_plain_of(error), given)


def _unknown_key(parent: type[BaseModel] | None, key: str) -> Message:
    names = field_names(parent) if parent else []
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if not close:  # a suffix or prefix too many (at_mins, start_minute): still the key meant
        close = [n for n in names if key.startswith(n) or n.startswith(key)][:1]
    if close:
        return say("key.unknown.did_you_mean", name=close[0])
    if names:
        return say("key.unknown.allowed", names=names)
    return say("key.unknown")


def _tag_choices(field: str) -> list[str]:
    return list(HAZARD_KINDS) if field == "kind" else list(ACTION_TYPES)


def _bad_tag(error: Any, path: YamlPath) -> Message:
    ctx = error.get("ctx", {})
    field = ctx.get("discriminator", "").strip("'")
    tag = str(ctx.get("tag", ""))
    choices = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", ""))) or _tag_choices(field)
    close = difflib.get_close_matches(tag, choices, n=1)
    what = "tag.hazard_kind" if field == "kind" else "tag.action_type"
    if close:
        return say(what + ".did_you_mean", tag=tag, choices=_choices(choices), close=close[0])
    return say(what, tag=tag, choices=_choices(choices))


def _choices(names: list[str]) -> Message:
    """``'a', 'b' or 'c'`` in the language it is said in."""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return say("list.one", item=quoted[0])
    return say("list.or", rest=quoted[:-1], last=quoted[-1])


def _one_language(path: YamlPath, given: Any) -> Message:
    """A text written as one plain string where both languages are needed."""
    field = path[-1] if path and isinstance(path[-1], str) else None
    if isinstance(given, str):
        shown = given if len(given) <= 40 else given[:37] + "..."
        example = (
            f'{{en: "{shown}", zh: "…"}}' if not has_han(given) else f'{{en: "…", zh: "{shown}"}}'
        )
        if field:
            return say("text.one_language", field=field, example=example)
        return say("text.one_language.this", example=example)
    if field:
        return say("text.both_languages", field=field)
    return say("text.both_languages.this")


def _empty_text(path: YamlPath) -> Message:
    if len(path) >= 2 and path[-1] in ("en", "zh") and isinstance(path[-2], str):
        return say(f"text.empty.{path[-1]}", field=path[-2])
    return say("text.empty")


def _not_a_number(error: Any, field: str | None, given: Any) -> str:
    kind = error["type"]
    shown = repr(given)
    if field and field.endswith("_deg") and "from" in field and isinstance(given, str):
        word = re.sub(r"[\s\-_]", "", given).upper()
        point = _COMPASS_WORDS.get(word, word)
        if point in COMPASS_DEG:
            return say("wind.compass", field=field, got=shown, deg=f"{COMPASS_DEG[point]:g}")
        return say("wind.not_degrees", field=field, got=shown)
    whole = kind.startswith("int")
    if isinstance(given, str):
        return say("number.whole" if whole else "number.expected", got=_shown(given))
    if kind == "int_from_float":
        return say("number.whole", got=_shown(given))
    return _with_got(_plain_of(error), given)


def _bad_choice(error: Any, given: Any) -> str:
    allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    expected = _choices(allowed) if allowed else error["msg"].removeprefix("Input should be ")
    close: list[str] = []
    if isinstance(given, str):
        close = difflib.get_close_matches(given, allowed, n=1)
        if not close:
            close = [a for a in allowed if a.lower() == given.lower()][:1]
    elif isinstance(given, int) and not isinstance(given, bool) and "IV" in allowed:
        # A response level written as a number: 4 is IV (the lowest) … 1 is I (the highest).
        romans = {1: "I", 2: "II", 3: "III", 4: "IV"}
        close = [romans[given]] if given in romans and romans[given] in allowed else []
    shown = _shown(given)
    if close:
        return say("choice.invalid.did_you_mean", choices=expected, got=shown, close=close[0])
    if shown is None:
        return say("choice.invalid.no_got", choices=expected)
    return say("choice.invalid", choices=expected, got=shown)


def _shown(given: Any) -> str | None:
    shown = repr(given)
    return shown if len(shown) <= 40 else None


def _plain_of(error: Any) -> str:
    """Pydantic's own English for ``error``, under a message id where we have one."""
    key = _PLAIN.get(error["type"])
    ctx = {k: v for k, v in error.get("ctx", {}).items() if isinstance(v, int | float | str)}
    if key is not None:
        try:
            said = say(key, **ctx)
        except (KeyError, IndexError):
            said = None
        if said is not None and str(said) == error["msg"]:
            return said
    return error["msg"]


def _plain(key: str, text: str) -> Message:
    return say(key, text=text)


def _with_got(message: str, given: Any) -> str:
    shown = _shown(given)
    if shown is None:
        return message
    if not isinstance(message, Message):
        message = _plain("value.error", message)
    return say("with_got", message=message, got=shown)
