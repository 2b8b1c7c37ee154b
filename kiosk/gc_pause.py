"""The cyclic garbage collector paused while the app starts, until its first frame (issue 14).

Start-up allocates the whole object graph of Kivy, the app's modules and the welcome screen
(~50 000 objects, nearly all of them kept for the life of the process). The collector would
walk that growing graph again and again while it is built (~90 young, ~8 middle and a full
collection before the first frame: 20-50 ms of CPU on the 2-core test machine, more than the
app's own imports). Nothing of it is garbage worth collecting yet, so ``main`` pauses the
collector and the app resumes it once the welcome screen (or the "not ready" page) is on screen;
``main`` resumes it too on every other way out. Reference counting frees memory as usual
meanwhile (the collector only finds cycles: +0.3 MB at the first frame); the first collections
after the resume find the few cycles start-up made.

Kivy itself runs one full collection when the window makes its GL context: the objects loaded
before it (``kiosk.__main__._configure_kivy`` loads the window's own first imports, then calls
``pause`` again) are set aside (``gc.freeze``) so that it walks only the few made after them.

No resident data exists before the first frame, so the privacy wipes are not concerned: the
collector runs as before for every visit (``KioskApp._collect_visit`` collects explicitly).
"""

from __future__ import annotations

import gc

_state = {"paused": False}


def pause() -> None:
    """Stop automatic collection and set aside the objects made so far (no-op if a caller turned
    the collector off itself). Called again, it sets aside the objects made since."""
    if gc.isenabled():
        gc.disable()
        _state["paused"] = True
    if _state["paused"]:
        gc.freeze()  # Kivy's own full collection (making the GL context) skips these


def resume() -> None:
    """Turn automatic collection back on if ``pause`` turned it off (idempotent); the objects
    set aside are ordinary old objects again (start-up's garbage is freed by a later collection)."""
    if _state["paused"]:
        _state["paused"] = False
        gc.unfreeze()
        gc.enable()


def paused() -> bool:
    """True between ``pause`` and ``resume``."""
    return _state["paused"]
