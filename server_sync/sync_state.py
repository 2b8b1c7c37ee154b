"""Names of the sender's small key/value state in the outbox (``Outbox.get_state``).

A module of its own so that a reader of the state (the stand's status line on the welcome
screen) does not import the sender and, through it, the envelope's X.509 and signing stacks.
"""

from __future__ import annotations

STATE_LAST_ERROR = "last_error"
STATE_LAST_ERROR_AT = "last_error_at"
STATE_LAST_SUCCESS_AT = "last_success_at"
#: seconds the intake's clock is ahead of ours (negative: behind), set on a clock_skew answer
STATE_CLOCK_OFFSET_S = "clock_offset_s"
STATE_CLOCK_OFFSET_AT = "clock_offset_at"
