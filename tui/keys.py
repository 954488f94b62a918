"""Key bindings whose descriptions follow the UI language.

``bind(keys, action, "key.xxx")`` makes a Binding whose description is the
string ``key.xxx`` in the current language and whose ``id`` is that key;
:func:`localize_all` rewrites every binding with such an id, in the classes'
merged bindings (for widgets made later) and in every live node, so the Footer
speaks the new language at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tui.i18n import STRINGS, t


def bind(keys: str, action: str, key: str, **kw: Any) -> Binding:
    return Binding(keys, action, t(key), id=key, **kw)


def _localize_map(bindings: BindingsMap) -> None:
    for k, lst in bindings.key_to_bindings.items():
        bindings.key_to_bindings[k] = [replace(b, description=t(b.id)) if b.id in STRINGS else b for b in lst]


def _subclasses(cls: type) -> list[type]:
    out: list[type] = []
    stack: list[type] = [cls]
    while stack:
        c = stack.pop()
        subs: list[type] = c.__subclasses__()
        for sub in subs:
            out.append(sub)
            stack.append(sub)
    return out


def _localize(binding: Any) -> Any:
    if isinstance(binding, Binding) and binding.id in STRINGS:
        return replace(binding, description=t(binding.id))
    return binding


def localize_all(app: App[Any] | None = None) -> None:
    """Every binding made by :func:`bind` now describes itself in the current language.

    The classes' own ``BINDINGS`` are rewritten too: Textual merges them lazily, when a class is
    first used, so a screen opened for the first time after a switch must find them translated.
    """
    for cls in _subclasses(DOMNode):
        own = cls.__dict__.get("BINDINGS")
        if isinstance(own, list):
            own[:] = [_localize(b) for b in own]
        merged = cls.__dict__.get("_merged_bindings")
        if isinstance(merged, BindingsMap):
            _localize_map(merged)
    if app is None:
        return
    _localize_map(app._bindings)
    for screen in app.screen_stack:
        for node in screen.walk_children(with_self=True):
            _localize_map(node._bindings)
        screen.refresh_bindings()
