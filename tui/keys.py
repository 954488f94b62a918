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


BROWSER_KEYS = frozenset({
    # kept by Chromium (Chrome, Edge) and Firefox whatever the page does: tabs and windows
    "ctrl+t", "ctrl+n", "ctrl+w", "ctrl+shift+t", "ctrl+shift+n", "ctrl+shift+w", "ctrl+shift+q",
    "ctrl+tab", "ctrl+shift+tab", "ctrl+pageup", "ctrl+pagedown",
    # reload the page or leave it (the session with it) whenever the page does not take the key first
    "ctrl+r", "ctrl+shift+r", "f5", "ctrl+f5", "ctrl+l", "f6", "f11", "f12",
})
"""Keys a browser keeps for itself: in a served session (``quiz serve``) they may never reach the app."""

SERVED_KEYS: dict[str, str] = {"ctrl+t": "f9", "ctrl+n": "f8", "ctrl+r": "f4"}
"""In a served session, the key that does what a browser-owned key does at a terminal (F2, F4, F8
and F9 are no browser's: they reach the page, and the terminal in it sends them on)."""


def served_bindings(bindings: BindingsMap) -> BindingsMap:
    """``bindings`` as a browser has them: each browser-owned key replaced by its stand-in, in
    the same place (the footer, the key panel and the palette show the stand-in where the
    terminal's key was); a browser-owned key without a stand-in is dropped. A copy: the
    terminal app's bindings never change."""
    out: dict[str, list[Binding]] = {}
    for key, lst in bindings.key_to_bindings.items():
        if key not in BROWSER_KEYS:
            out.setdefault(key, []).extend(lst)
        elif key in SERVED_KEYS:
            stand_in = SERVED_KEYS[key]
            out.setdefault(stand_in, []).extend(replace(b, key=stand_in, key_display=None) for b in lst)
    return BindingsMap.from_keys(out)


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
