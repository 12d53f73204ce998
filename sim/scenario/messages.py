"""What ``validate`` says about a scenario file, by message id, in English or Chinese.

Errors (the loader's) and warnings (:mod:`sim.scenario.warnings`) alike are
made with :func:`say` from an id and its parameters
(``say("field.missing")``, ``say("map.outside", point=..., size=...)``). It
is a ``str`` holding the English text, so the command line, the logs and any
code that treats messages as text read it as before; it also keeps its id and
parameters, so the game's drill picker and ``validate --lang zh-CN`` can say
it again in Chinese (:meth:`Message.in_language`). The templates are
``str.format`` strings in ``locales/<language>.json`` beside this module, one
table per language; a parameter that is itself a message (a field's kind, a
hint) is said in the same language, and a place or hazard of the file
(:class:`Named`) is its id, in Chinese followed by its Chinese name. A message
without an id (the parser's own words in a rare case, a pydantic message we
have no template for) stays in English.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "zh-CN")


@cache
def table(language: str) -> Mapping[str, str]:
    """The message templates of ``language`` (``en`` or ``zh-CN``)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    return json.loads((LOCALES_DIR / f"{language}.json").read_text(encoding="utf-8"))


class Message(str):
    """A message in English that remembers its id and parameters."""

    key: str
    params: tuple[tuple[str, Any], ...]

    def __new__(cls, key: str, params: Mapping[str, Any]) -> Message:
        made = super().__new__(cls, render(key, params, "en"))
        made.key = key
        made.params = tuple(params.items())
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.key, dict(self.params)))

    def in_language(self, language: str) -> str:
        """This message in ``language``; English where that table lacks its id."""
        return render(self.key, dict(self.params), language)


class Bilingual(Protocol):
    """A text of the file in both languages (:class:`sim.scenario.schema.Text`)."""

    en: str
    zh: str


@dataclass(frozen=True)
class Named:
    """A thing of the scenario file said by its id, and in Chinese with its Chinese name too.

    The id is what the author finds in the file; it is written in Latin letters, so
    a reader of Chinese is also given the name the author wrote for it in ``zh``
    (``'xiyuan'（西苑村）``) when there is one. A Chinese template puts punctuation
    (``，`` ``：``) right after it, never a space, since the name may end the text.
    """

    ident: str
    zh: str | None = None

    @classmethod
    def of(cls, ident: str, name: Bilingual | None) -> Named:
        """Thing ``ident`` of the file, with the Chinese of its ``name`` where it has one."""
        return cls(ident, name.zh if name is not None else None)

    def in_language(self, language: str) -> str:
        quoted = f"'{self.ident}'"
        if language.startswith("zh") and self.zh and self.zh != self.ident:
            return f"{quoted}（{self.zh}）"
        return quoted


def say(key: str, /, **params: Any) -> Message:
    """The message ``key`` with ``params``; raises KeyError if English has no such id."""
    if key not in table("en"):
        raise KeyError(f"no scenario message {key!r} in {LOCALES_DIR / 'en.json'}")
    return Message(key, params)


def render(key: str, params: Mapping[str, Any], language: str) -> str:
    """Template ``key`` of ``language`` (English if it lacks one) filled with ``params``.

    Any Chinese (``zh``, ``zh-CN``, ``zh-Hans``) is said from the ``zh-CN`` table and
    a language with no table in English.
    """
    language = "zh-CN" if language.startswith("zh") else language
    language = language if language in LANGUAGES else "en"
    template = table(language).get(key) or table("en")[key]
    return template.format(**{name: _said(value, language) for name, value in params.items()})


def in_language(text: str, language: str) -> str:
    """``text`` in ``language`` if it is a :class:`Message`, else ``text`` as it is."""
    return text.in_language(language) if isinstance(text, Message) else text


def _said(value: Any, language: str) -> Any:
    if isinstance(value, Message | Named):
        return value.in_language(language)
    if isinstance(value, list | tuple):
        return table(language)["list.separator"].join(str(_said(v, language)) for v in value)
    return value
