"""The observable translator for kv: ``text: tr._("Start")`` re-evaluates on a language switch."""

from __future__ import annotations

from typing import Any

from kivy.lang import Observable

from kiosk.i18n.catalog import Translator


class KvTranslator(Observable):
    """Wraps a :class:`Translator`; kv expressions bound to ``_`` are re-run on ``switch``."""

    def __init__(self, translator: Translator | None = None) -> None:
        super().__init__()
        self.observers: list[tuple[Any, Any, Any]] = []
        self.translator = translator or Translator()
        self.translator.on_switch(self._fire)

    def attach(self, translator: Translator) -> None:
        """Use another translator (the app's)."""
        self.translator = translator
        translator.on_switch(self._fire)
        self._fire()

    def _(self, text: str) -> str:
        """Translate ``text``."""
        return self.translator._(text)

    def fbind(self, name: str, func: Any, *largs: Any, **kwargs: Any) -> Any:
        """kv binds to ``_``: remember the expression to re-run it."""
        if name == "_":
            self.observers.append((func, largs, kwargs))
            return None
        return super().fbind(name, func, *largs, **kwargs)

    def funbind(self, name: str, func: Any, *largs: Any, **kwargs: Any) -> None:
        """Forget a kv binding."""
        if name == "_":
            key = (func, largs, kwargs)
            if key in self.observers:
                self.observers.remove(key)
        else:
            super().funbind(name, func, *largs, **kwargs)

    def _fire(self) -> None:
        dead: list[int] = []
        for observer in list(self.observers):
            func, largs, _kwargs = observer
            # kv's builder binds with one tuple argument: (element, key, value, rule, idmap)
            try:
                func(largs[0] if len(largs) == 1 else largs, None, None)
            except ReferenceError:
                dead.append(id(observer))  # its widget is gone (a dropped screen)
        if dead:
            # by identity: comparing the tuples would touch the dead weak proxies
            self.observers = [o for o in self.observers if id(o) not in dead]


#: the one translator kv files import (``#:import tr kiosk.screens.tr.tr``); the app attaches
tr = KvTranslator()
