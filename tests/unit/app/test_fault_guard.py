"""FaultGuard's decisions (pure logic; the real app's behaviour is in test_fault_recovery.py)."""

from __future__ import annotations

import pytest
from kivy.base import ExceptionManager

from kiosk.app_faults import FaultGuard, fault_place, fault_stack, journal_excepthook


def _raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:  # raised here to carry a traceback
        return caught


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_fault_ends_the_visit_and_the_app_goes_on() -> None:
    ended: list[BaseException] = []
    guard = FaultGuard(ended.append, clock=Clock())
    error = _raised(RuntimeError("山田 太郎"))
    assert guard.handle_exception(error) == ExceptionManager.PASS
    assert ended == [error]
    # Kivy's clock and then its main loop may hand on the same error: it counts once
    assert guard.handle_exception(error) == ExceptionManager.PASS
    assert ended == [error]


def test_more_faults_than_the_limit_within_the_window_stop_the_app() -> None:
    clock = Clock()
    ended: list[BaseException] = []
    guard = FaultGuard(ended.append, limit=2, window_s=60.0, clock=clock)
    assert guard.handle_exception(_raised(ValueError())) == ExceptionManager.PASS
    clock.now = 30.0
    assert guard.handle_exception(_raised(ValueError())) == ExceptionManager.PASS
    clock.now = 59.0
    third = _raised(ValueError())
    assert guard.handle_exception(third) == ExceptionManager.RAISE
    assert guard.handle_exception(third) == ExceptionManager.RAISE  # the same error, again
    assert len(ended) == 2
    # once the first faults are older than the window, one more is survived again
    clock.now = 200.0
    assert guard.handle_exception(_raised(ValueError())) == ExceptionManager.PASS


def test_an_interrupt_or_a_failing_recovery_stops_the_app() -> None:
    guard = FaultGuard(lambda _e: None, clock=Clock())
    assert guard.handle_exception(_raised(KeyboardInterrupt())) == ExceptionManager.RAISE

    def broken(_error: BaseException) -> None:
        raise AttributeError("the recovery itself")

    assert FaultGuard(broken, clock=Clock()).handle_exception(_raised(KeyError("x"))) == (
        ExceptionManager.RAISE
    )


def test_the_journal_gets_places_not_messages(caplog: pytest.LogCaptureFixture) -> None:
    error = _raised(RuntimeError("山田 太郎 1234"))
    place = fault_place(error)
    assert place.startswith("RuntimeError at test_fault_guard.py:")
    assert place.endswith("in _raised")
    assert "_raised" in fault_stack(error)
    with caplog.at_level("ERROR", logger="kiosk.app_faults"):
        FaultGuard(lambda _e: None, clock=Clock()).handle_exception(error)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert place in logged
    assert "山田" not in logged and "1234" not in logged


def test_an_error_that_stops_the_ui_reaches_the_journal_without_its_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = _raised(ValueError("山田 太郎 1234"))
    journal_excepthook(ValueError, error, error.__traceback__)
    written = capsys.readouterr().err
    assert written.startswith(f"kiosk: stopped by {fault_place(error)}\n")
    assert "_raised" in written
    assert "山田" not in written and "1234" not in written


def test_nothing_of_the_visit_outlives_the_fault_in_the_error_it_left() -> None:
    def holding_personal_data() -> None:
        name = "山田 太郎"  # noqa: F841 (a local of the failing frame, as a visit's code holds)
        raise RuntimeError("boom")

    try:
        holding_personal_data()
    except RuntimeError as caught:
        error = caught
    failing_frame = error.__traceback__.tb_next.tb_frame  # type: ignore[union-attr]
    assert failing_frame.f_locals["name"] == "山田 太郎"
    ended: list[BaseException] = []
    guard = FaultGuard(ended.append, clock=Clock())
    assert guard.handle_exception(error) == ExceptionManager.PASS
    assert "name" not in failing_frame.f_locals  # the finished frames were cleared
    # the guard keeps the error only until forget (the app's next frame): handed on after
    # that, it is a new fault
    guard.forget()
    guard.handle_exception(error)
    assert len(ended) == 2
