"""The address master: ABR CSV import into SQLite and lookups for the picker."""

from __future__ import annotations

from kiosk.forms.master.importer import import_master
from kiosk.forms.master.lookup import AddressMaster, Resolution, file_sha256
from kiosk.forms.master.records import Building, Machiaza, MasterInfo, Town
from kiosk.forms.master.validate import validate_master_file

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
