"""The headless kiosk of the flow tests (in-process reader, MemoryPrinter, sample master)."""

from tests.unit.flows.conftest import harness, sample_master  # noqa: F401 - fixtures
