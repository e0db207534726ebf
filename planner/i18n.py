"""The language of messages the user reads: `zh` or `en`.

Chosen once per command from `--lang`, else the `PLAN_LANG` environment variable, else the
locale (a `zh*` locale gives Chinese), else Chinese: the planner's users are Chinese bureaus.
Every user-facing message is written in both languages at the place it is raised, with `tr`.
"""

from __future__ import annotations

import contextvars
import locale
import os

LANGS = ("zh", "en")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("plan_lang", default=None)


def default_lang() -> str:
    """PLAN_LANG, else the locale, else zh."""
    env = os.environ.get("PLAN_LANG", "").strip().lower()
    if env in LANGS:
        return env
    loc = (os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
           or (locale.getlocale()[0] or ""))
    if loc.lower().startswith("en"):
        return "en"
    return "zh"


def set_lang(lang: str | None) -> None:
    _current.set(lang if lang in LANGS else None)


def current_lang() -> str:
    return _current.get() or default_lang()


def tr(zh: str, en: str) -> str:
    """The message in the current language."""
    return zh if current_lang() == "zh" else en
