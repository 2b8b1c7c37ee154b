"""Writing an export document: encoding, the cp932 loss report, and the kihon mapping choice."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from sqlalchemy import Engine

from kiosk.forms.relationship import RelationshipCodes
from kiosk.forms.settings import DEFAULT_SETTINGS, WardSettings, WardSettingsError
from server_sync.intake.kihon.encoding import Encoding, encode_text, find_losses, loss_report
from server_sync.intake.kihon.errors import EncodingLossError, KihonError
from server_sync.intake.kihon.mapping import WardMapping, load_mapping

PROFILE_KIOSK = "kiosk"
PROFILE_KIHON = "kihon"
PROFILES = (PROFILE_KIOSK, PROFILE_KIHON)
LOSS_REPORT_SUFFIX = ".loss.csv"


class MappingRequiredError(KihonError):
    """The kihon profile was asked for without a mapping directory."""

    code = "kihon_mapping_required"


def mapping_for(folder: Path | None, fallback: RelationshipCodes) -> WardMapping:
    """The ward mapping of ``folder`` (its relationship_codes.json, else the master set's)."""
    if folder is None:
        raise MappingRequiredError("the kihon profile needs --mapping DIR (examples/mappings/)")
    return load_mapping(folder, fallback_relationship=fallback)


class WardSettingsUnreadableError(KihonError):
    """The current master set's ward_settings.json cannot be read."""

    code = "kihon_ward_settings"


def ward_settings_of(engine: Engine) -> WardSettings:
    """The ward settings of the current master set (else the defaults), as the kiosks use them."""
    from server_sync.intake import store  # not at import time: store → console → this module
    from server_sync.intake.masterset import WARD_SETTINGS

    current = store.current_master(engine)
    data = None if current is None else store.master_file(engine, current.version, WARD_SETTINGS)
    if current is None or data is None:
        return DEFAULT_SETTINGS
    try:
        raw = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict):
            raise WardSettingsError("not a JSON object")
        return WardSettings.from_mapping(raw)
    except (ValueError, WardSettingsError) as err:
        raise WardSettingsUnreadableError(
            f"{WARD_SETTINGS} of master set {current.version}: {err}"
        ) from None


def loss_report_path(output: Path) -> Path:
    """``export.csv`` → ``export.csv.loss.csv``."""
    return output.with_name(output.name + LOSS_REPORT_SUFFIX)


def write_document(
    text: str,
    *,
    encoding: Encoding,
    allow_loss: bool,
    output: Path | None,
    stdout: BinaryIO | None = None,
    stderr: TextIO | None = None,
) -> bytes:
    """Encode ``text`` and write it to ``output`` (or stdout); returns the bytes written.

    With cp932, every character it cannot hold is listed in a loss report (next to ``output``
    as ``<output>.loss.csv``, on stderr when writing to stdout); without ``allow_loss`` nothing
    else is written and :class:`EncodingLossError` is raised.
    """
    err = stderr if stderr is not None else sys.stderr
    losses = find_losses(text, encoding)
    if losses:
        report = loss_report(losses)
        if output is None:
            err.write(report)
        else:
            loss_report_path(output).write_text(report, encoding="utf-8-sig", newline="")
            err.write(f"loss report: {loss_report_path(output)}\n")
        if not allow_loss:
            raise EncodingLossError(encoding.value, len(losses))
    data = encode_text(text, encoding)
    if output is None:
        out = stdout if stdout is not None else sys.stdout.buffer
        out.write(data)
        out.flush()
    else:
        output.write_bytes(data)
    return data
