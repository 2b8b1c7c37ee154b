"""Filing JSON: round trips of every example, canonical bytes, strict parsing with JSON paths."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from kiosk.forms.codec import (
    canonical_bytes,
    dumps_canonical,
    filing_from_dict,
    filing_from_json,
    filing_to_dict,
)
from kiosk.forms.errors import FilingFormatError
from kiosk.forms.ids import is_uuid7
from kiosk.forms.master import AddressMaster
from kiosk.forms.model import Filing

from .conftest import EXAMPLES
from .strategies import filings


def _load(path: Path) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def test_the_required_examples_are_shipped() -> None:
    names = {p.stem for p in EXAMPLES}
    assert {
        "move_within_3_persons",
        "move_in_join_existing_household",
        "move_out",
        "move_in_6_members",
        "move_within_gaiji_names",
    } <= names
    six = filing_from_json((EXAMPLES[0].parent / "move_in_6_members.json").read_text())
    assert len(six.members) == 6
    gaiji = (EXAMPLES[0].parent / "move_within_gaiji_names.json").read_text(encoding="utf-8")
    assert "𠮷" in gaiji and "髙" in gaiji


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_round_trips_exactly(path: Path) -> None:
    raw = _load(path)
    filing = filing_from_dict(raw)
    assert filing_to_dict(filing) == raw
    assert filing_from_dict(filing_to_dict(filing)) == filing
    assert is_uuid7(filing.id)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_new_addresses_resolve_in_the_sample_master(
    path: Path, sample_master: AddressMaster
) -> None:
    filing = filing_from_json(path.read_text(encoding="utf-8"))
    if filing.kind.moves_into_ward:
        resolved = sample_master.resolve(filing.new_address)
        assert resolved == filing.new_address
    if filing.old_address is not None and filing.old_address.machiaza_id:
        assert sample_master.resolve(filing.old_address) == filing.old_address


def test_canonical_bytes_are_sorted_compact_utf8(sample_master: AddressMaster) -> None:
    filing = filing_from_json(EXAMPLES[0].read_text(encoding="utf-8"))
    data = canonical_bytes(filing)
    text = data.decode("utf-8")
    assert ", " not in text and ": " not in text
    assert text.startswith('{"created_at":')
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert "\\u" not in text  # real UTF-8, not escapes
    assert canonical_bytes(filing_from_json(text)) == data


@settings(max_examples=80, deadline=None)
@given(filings())
def test_any_model_filing_round_trips(filing: Filing) -> None:
    d = filing_to_dict(filing)
    assert filing_from_dict(json.loads(dumps_canonical(d))) == filing


def _mutated(path: str, value: object) -> dict[str, Any]:
    raw = copy.deepcopy(_load(EXAMPLES[0].parent / "move_within_3_persons.json"))
    keys = path.split(".")
    target: Any = raw
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is _DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return raw


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "error_path"),
    [
        ("surprise", 1, "$.surprise"),
        ("format", 3, "$.format"),
        ("members.0.honseki", None, "$.members[0].honseki"),  # version-2 key in a version 1
        ("format", True, "$.format"),
        ("id", "not-a-uuid", "$.id"),
        ("id", "5b9e3c4a-3f5e-4c2b-9f6a-1b2c3d4e5f60", "$.id"),  # v4, not v7
        ("ward_code", "13104", "$.ward_code"),
        ("ward_code", "１３１０４１", "$.ward_code"),
        ("kind", "moving", "$.kind"),
        ("notified_on", "2026-02-30", "$.notified_on"),
        ("notified_on", "20261127", "$.notified_on"),
        ("moved_on", _DELETE, "$.moved_on"),
        ("created_at", "2026-11-27T01:30:00", "$.created_at"),
        ("members.0.relationship", "孫", "$.members[0].relationship"),
        ("members.1.sex", "other", "$.members[1].sex"),
        ("members.1.from_chip", "yes", "$.members[1].from_chip"),
        ("members.1.card_tasks", ["teleport"], "$.members[1].card_tasks[0]"),
        ("members.2.extra", "x", "$.members[2].extra"),
        ("members.2.name", "a\x00b", "$.members[2].name"),
        ("members.2.name", "x" * 201, "$.members[2].name"),
        ("new_address.scheme", "street", "$.new_address.scheme"),
        ("new_address.machiaza_id", "12", "$.new_address.machiaza_id"),
        ("filer.member_index", -1, "$.filer.member_index"),
        ("filer.member_index", True, "$.filer.member_index"),
        ("household.mode", "partial", "$.household.mode"),
        ("related.lottery", "yes", "$.related.lottery"),
        ("related.child_allowance", "maybe", "$.related.child_allowance"),
        ("members", {"0": {}}, "$.members"),
        ("language", "日本語", "$.language"),
    ],
)
def test_malformed_fields_raise_with_their_json_path(
    path: str, value: object, error_path: str
) -> None:
    with pytest.raises(FilingFormatError) as info:
        filing_from_dict(_mutated(path, value))
    assert info.value.path == error_path
    assert info.value.code == "filing_format"


@pytest.mark.parametrize(
    ("path", "value", "error_path", "reason"),
    [
        # the getters build a path only for an error (issue 14): each error keeps its own
        ("new_address.block", "1" * 21, "$.new_address.block", "longer than 20 characters"),
        ("new_address.city", 5, "$.new_address.city", "expected a string"),
        (
            "new_address.country",
            "a\tb",
            "$.new_address.country",
            "control characters are not allowed",
        ),
        (
            "new_address.katagaki_listed",
            "no",
            "$.new_address.katagaki_listed",
            "expected true or false",
        ),
        ("new_address.postal_code", "1", "$.new_address.postal_code", "malformed code"),
        ("members.0.birth_date", 19800101, "$.members[0].birth_date", "expected a date YYYY-MM-DD"),
        ("members.0.birth_date", "1980-13-01", "$.members[0].birth_date", "not a calendar date"),
        ("members.0.sex", 1, "$.members[0].sex", "expected a string"),
        ("kind", "Move_in", "$.kind", "unknown value 'Move_in' (allowed: "),
        ("created_at", 5, "$.created_at", "expected an RFC 3339 timestamp with offset"),
        ("created_at", "2026-11-31T01:30:00Z", "$.created_at", "not a valid timestamp"),
        ("members.0.card_tasks", ["x"], "$.members[0].card_tasks[0]", "unknown value 'x'"),
    ],
)
def test_field_errors_keep_their_path_and_reason(
    path: str, value: object, error_path: str, reason: str
) -> None:
    with pytest.raises(FilingFormatError) as info:
        filing_from_dict(_mutated(path, value))
    assert (info.value.path, info.value.reason[: len(reason)]) == (error_path, reason)


@pytest.mark.parametrize(
    "text", ["", "[", "[]", '{"format": 1.0}', '{"format": NaN}', b"\xff\xfe", "null"]
)
def test_malformed_documents_raise_format_errors(text: str | bytes) -> None:
    with pytest.raises(FilingFormatError):
        filing_from_json(text)
