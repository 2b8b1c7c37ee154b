"""The address master: ABR CSV import into SQLite and lookups for the picker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.forms.master.lookup import AddressMaster, Resolution, file_sha256

if TYPE_CHECKING:
    from kiosk.forms.master.importer import import_master
    from kiosk.forms.master.records import Building, Machiaza, MasterInfo, Town
    from kiosk.forms.master.validate import validate_master_file

#: the CSV importer and validator load when first used: the kiosk only opens the SQLite file;
#: the records load with the first look-up that returns them (start-up time, issue 14)
_LAZY = {
    "import_master": "kiosk.forms.master.importer",
    "validate_master_file": "kiosk.forms.master.validate",
    "Building": "kiosk.forms.master.records",
    "Machiaza": "kiosk.forms.master.records",
    "MasterInfo": "kiosk.forms.master.records",
    "Town": "kiosk.forms.master.records",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AddressMaster",
    "Building",
    "Machiaza",
    "MasterInfo",
    "Resolution",
    "Town",
    "file_sha256",
    "import_master",
    "validate_master_file",
]
