"""Per-clerk display settings (English subtitles, default off), in ``console_preferences``."""

from __future__ import annotations

from sqlalchemy import Engine, text


def show_english(engine: Engine, username: str) -> bool:
    """True if this clerk asked for English subtitles."""
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT show_english FROM console_preferences WHERE username = :u"),
            {"u": username},
        ).scalar()
    return bool(value)


def set_english(engine: Engine, username: str, on: bool) -> None:
    """Store the clerk's English-subtitles setting."""
    with engine.begin() as conn:
        changed = conn.execute(
            text("UPDATE console_preferences SET show_english = :v WHERE username = :u"),
            {"u": username, "v": int(on)},
        )
        if changed.rowcount == 0:
            conn.execute(
                text("INSERT INTO console_preferences (username, show_english) VALUES (:u, :v)"),
                {"u": username, "v": int(on)},
            )
