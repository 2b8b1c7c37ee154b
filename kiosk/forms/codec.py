"""The filing JSON format (docs/filing-format.md): strict parsing; writing is in codec_write."""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TypeVar

from kiosk.forms.codec_write import (
    FORMAT_VERSION,
    FORMAT_VERSION_1,
    SUPPORTED_FORMATS,
    address_to_dict,
    canonical_bytes,
    dumps_canonical,
    filing_to_dict,
    filing_to_json,
    filing_version,
    member_to_dict,
    needs_version_2,
)
from kiosk.forms.errors import FilingFormatError, RelationshipError
from kiosk.forms.model import (
    NO_ADDRESS,
    Address,
    AddressScheme,
    Answer,
    CardCertificate,
    CardTask,
    Filer,
    Filing,
    FilingKind,
    ForeignCategory,
    ForeignResident,
    Honseki,
    Household,
    HouseholdMode,
    Member,
    MoveOutRoute,
    OriginHousehold,
    PersonName,
    RelatedAnswer,
    RelatedProcedure,
    SealCard,
    Sex,
    Standing,
)
from kiosk.forms.relationship import Relationship

#: the writing half lives in codec_write; its public names are re-exported here
__all__ = [
    "FORMAT_VERSION",
    "FORMAT_VERSION_1",
    "SUPPORTED_FORMATS",
    "address_to_dict",
    "canonical_bytes",
    "dumps_canonical",
    "filing_to_dict",
    "filing_to_json",
    "filing_version",
    "member_to_dict",
    "needs_version_2",
    "address_from_dict",
    "filing_from_dict",
    "filing_from_json",
]

#: limits that keep hostile input small (the model itself has tighter, validated limits)
MAX_TEXT_CHARS = 200
MAX_MEMBERS = 40
NAME_ALIAS_MAX_CHARS = 50

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_WARD_CODE_RE = re.compile(r"[0-9]{6}")
_OPTIONAL_CODES = {
    "lg_code": re.compile(r"([0-9]{6})?"),
    "machiaza_id": re.compile(r"([0-9]{7})?"),
    "postal_code": re.compile(r"([0-9]{7})?"),
}
_LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

#: ``isinstance(key, str)`` as a C-level callable (``all(map(...))`` over an object's keys)
_IS_STR = functools.partial(type.__instancecheck__, str)


class _Obj:
    """A JSON object being read strictly: typed getters, JSON paths in errors, no extra keys.

    The getters build a field's JSON path only when they raise: the intake parses every posted
    filing, and formatting a path per field cost a large share of it (profiled, issue 14).
    """

    __slots__ = ("path", "raw", "used")

    def __init__(self, raw: object, path: str) -> None:
        if not isinstance(raw, dict):
            raise FilingFormatError(path, "expected an object")
        if not all(map(_IS_STR, raw)):
            raise FilingFormatError(path, "object keys must be strings")
        self.raw: dict[str, object] = raw
        self.path = path
        self.used: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}"

    def get(self, key: str, *, required: bool) -> object:
        self.used.add(key)
        if key not in self.raw:
            if required:
                raise FilingFormatError(self.at(key), "missing")
            return None
        return self.raw[key]

    def text(self, key: str, *, required: bool = True, max_chars: int = MAX_TEXT_CHARS) -> str:
        value = self.get(key, required=required)
        if value is None and not required:
            return ""
        if type(value) is str and len(value) <= max_chars and not _CONTROL_RE.search(value):
            return value  # the common case; anything else gets _text's exact error and path
        return _text(value, self.at(key), max_chars)

    def optional_texts(self, fields: tuple[tuple[str, int], ...]) -> list[str]:
        """``text(key, required=False, max_chars=limit)`` of each ``(key, limit)`` in order."""
        raw, used, out = self.raw, self.used, []
        for key, max_chars in fields:
            used.add(key)
            value = raw.get(key)
            if value is None:
                out.append("")
            elif type(value) is str and len(value) <= max_chars and not _CONTROL_RE.search(value):
                out.append(value)
            else:
                out.append(_text(value, self.at(key), max_chars))
        return out

    def boolean(self, key: str, *, required: bool = False) -> bool:
        value = self.get(key, required=required)
        if value is None and not required:
            return False
        if not isinstance(value, bool):
            raise FilingFormatError(self.at(key), "expected true or false")
        return value

    def enum(self, key: str, cls: type[E], *, required: bool = True, default: E | None = None) -> E:
        value = self.get(key, required=required)
        if value is None and default is not None:
            return default
        member = _enum_member(value, cls)
        return member if member is not None else _enum(value, cls, self.at(key))

    def day(self, key: str) -> date:
        value = self.get(key, required=True)
        parsed = _date_or_none(value)
        return parsed if parsed is not None else _date(value, self.at(key))

    def optional(self, key: str, parse: Callable[[object, str], T]) -> T | None:
        value = self.get(key, required=False)
        return None if value is None else parse(value, self.at(key))

    def done(self) -> None:
        if self.raw.keys() <= self.used:
            return
        extra = sorted(set(self.raw) - self.used)
        if extra:
            raise FilingFormatError(self.at(extra[0]), "unknown field")


def _text(value: object, path: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(value, str):
        raise FilingFormatError(path, "expected a string")
    if len(value) > max_chars:
        raise FilingFormatError(path, f"longer than {max_chars} characters")
    if _CONTROL_RE.search(value):
        raise FilingFormatError(path, "control characters are not allowed")
    return value


def _enum_member(value: object, cls: type[E]) -> E | None:
    """The member named by ``value``, or None (then :func:`_enum` raises the error)."""
    member = cls._value2member_map_.get(value) if type(value) is str else None
    return member if isinstance(member, cls) else None


def _date_or_none(value: object) -> date | None:
    """The date of a well-formed ``value``, or None (then :func:`_date` raises the error)."""
    if type(value) is not str or not _DATE_RE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _enum(value: object, cls: type[E], path: str) -> E:
    if not isinstance(value, str):
        raise FilingFormatError(path, "expected a string")
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise FilingFormatError(path, f"unknown value {value!r} (allowed: {allowed})") from None


def _date(value: object, path: str) -> date:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise FilingFormatError(path, "expected a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilingFormatError(path, "not a calendar date") from None


def _datetime(value: object, path: str) -> datetime:
    if not isinstance(value, str) or not _DATETIME_RE.fullmatch(value):
        raise FilingFormatError(path, "expected an RFC 3339 timestamp with offset")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        raise FilingFormatError(path, "not a valid timestamp") from None


#: an address's optional text fields and their length limits, in the order they are checked
_ADDRESS_TEXTS = (
    ("prefecture", MAX_TEXT_CHARS),
    ("city", MAX_TEXT_CHARS),
    ("lg_code", 6),
    ("machiaza_id", 7),
    ("town", MAX_TEXT_CHARS),
    ("block", 20),
    ("residence", 20),
    ("chiban", 30),
    ("katagaki", MAX_TEXT_CHARS),
)
_ADDRESS_TAIL_TEXTS = (
    ("postal_code", 8),
    ("free_text", MAX_TEXT_CHARS),
    ("country", MAX_TEXT_CHARS),
)


def address_from_dict(raw: object, path: str = "$") -> Address:
    """Parse one address object strictly."""
    o = _Obj(raw, path)
    scheme = o.enum("scheme", AddressScheme)
    prefecture, city, lg_code, machiaza_id, town, block, residence, chiban, katagaki = (
        o.optional_texts(_ADDRESS_TEXTS)
    )
    katagaki_listed = o.boolean("katagaki_listed")
    postal_code, free_text, country = o.optional_texts(_ADDRESS_TAIL_TEXTS)
    address = Address(
        scheme=scheme,
        prefecture=prefecture,
        city=city,
        lg_code=lg_code,
        machiaza_id=machiaza_id,
        town=town,
        block=block,
        residence=residence,
        chiban=chiban,
        katagaki=katagaki,
        katagaki_listed=katagaki_listed,
        postal_code=postal_code,
        free_text=free_text,
        country=country,
    )
    o.done()
    for name, pattern in _OPTIONAL_CODES.items():
        if not pattern.fullmatch(getattr(address, name)):
            raise FilingFormatError(o.at(name), "malformed code")
    return address


def _person(raw: object, path: str) -> PersonName:
    o = _Obj(raw, path)
    person = PersonName(name=o.text("name"), furigana=o.text("furigana", required=False))
    o.done()
    return person


def _honseki(raw: object, path: str) -> Honseki:
    o = _Obj(raw, path)
    honseki = Honseki(
        address=o.text("address"), head_of_register=o.text("head_of_register", required=False)
    )
    o.done()
    return honseki


def _foreign(raw: object, path: str) -> ForeignResident:
    o = _Obj(raw, path)
    foreign = ForeignResident(
        nationality=o.text("nationality", required=False, max_chars=60),
        residence_card_number=o.text("residence_card_number", required=False, max_chars=20),
        status=o.text("status", required=False, max_chars=60),
        period_ends_on=o.optional("period_ends_on", _date),
        category=o.enum(
            "category", ForeignCategory, required=False, default=ForeignCategory.MID_LONG_TERM
        ),
        alias=o.text("alias", required=False, max_chars=NAME_ALIAS_MAX_CHARS),
    )
    o.done()
    return foreign


def _member(raw: object, path: str, version: int = FORMAT_VERSION_1) -> Member:
    o = _Obj(raw, path)
    try:
        relationship = Relationship.parse(o.text("relationship", max_chars=40))
    except RelationshipError as err:
        raise FilingFormatError(o.at("relationship"), f"invalid 続柄 ({err.reason})") from None
    tasks_raw = o.get("card_tasks", required=False)
    tasks: set[CardTask] = set()
    if tasks_raw is not None:
        if not isinstance(tasks_raw, list):
            raise FilingFormatError(o.at("card_tasks"), "expected a list")
        for i, t in enumerate(tasks_raw):
            task = _enum_member(t, CardTask)
            tasks.add(
                task if task is not None else _enum(t, CardTask, f"{o.at('card_tasks')}[{i}]")
            )
    member = Member(
        name=o.text("name"),
        furigana=o.text("furigana", required=False),
        birth_date=o.day("birth_date"),
        sex=o.enum("sex", Sex),
        relationship=relationship,
        from_chip=o.boolean("from_chip"),
        card_tasks=frozenset(tasks),
        honseki=o.optional("honseki", _honseki) if version >= FORMAT_VERSION else None,
        foreign=o.optional("foreign", _foreign) if version >= FORMAT_VERSION else None,
    )
    o.done()
    return member


def _filer(raw: object, path: str, version: int = FORMAT_VERSION_1) -> Filer:
    o = _Obj(raw, path)
    index = o.get("member_index", required=False)
    if index is not None and (
        not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < MAX_MEMBERS
    ):
        raise FilingFormatError(o.at("member_index"), "expected a member index or null")
    filer = Filer(
        name=o.text("name"),
        standing=o.enum("standing", Standing),
        furigana=o.text("furigana", required=False),
        member_index=index,
        address=o.optional("address", address_from_dict),
        from_chip=o.boolean("from_chip"),
        phone=o.text("phone", required=False, max_chars=20) if version >= FORMAT_VERSION else "",
        power_of_attorney_dated=o.optional("power_of_attorney_dated", _date)
        if version >= FORMAT_VERSION
        else None,
    )
    o.done()
    return filer


def _origin(raw: object, path: str) -> OriginHousehold:
    o = _Obj(raw, path)
    staying = o.get("staying", required=False)
    if staying is None:
        staying = 0
    if not isinstance(staying, int) or isinstance(staying, bool) or not 0 <= staying <= MAX_MEMBERS:
        raise FilingFormatError(o.at("staying"), "expected a number of members")
    children = o.get("staying_children", required=False)
    if children is None:
        children = 0
    if not isinstance(children, int) or isinstance(children, bool) or not 0 <= children <= staying:
        raise FilingFormatError(o.at("staying_children"), "expected a number up to 'staying'")
    origin = OriginHousehold(
        remaining_head=o.optional("remaining_head", _person),
        staying=staying,
        staying_children=children,
    )
    o.done()
    return origin


def _household(raw: object, path: str, version: int = FORMAT_VERSION_1) -> Household:
    o = _Obj(raw, path)
    household = Household(
        mode=o.enum("mode", HouseholdMode),
        existing_head=o.optional("existing_head", _person),
        previous_head=o.optional("previous_head", _person),
        origin=o.optional("origin", _origin) if version >= FORMAT_VERSION else None,
    )
    o.done()
    return household


def _related(raw: object, path: str) -> tuple[RelatedAnswer, ...]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise FilingFormatError(path, "expected an object with string keys")
    answers = []
    for key, value in raw.items():
        proc = _enum(key, RelatedProcedure, f"{path}.{key}")
        answers.append(RelatedAnswer(proc, _enum(value, Answer, f"{path}.{key}")))
    order = list(RelatedProcedure)
    return tuple(sorted(answers, key=lambda a: order.index(a.procedure)))


def filing_from_dict(d: Mapping[str, object] | object) -> Filing:
    """Parse a filing JSON object strictly; any problem raises ``FilingFormatError(path, …)``."""
    o = _Obj(d, "$")
    fmt = o.get("format", required=True)
    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt not in SUPPORTED_FORMATS:
        raise FilingFormatError(o.at("format"), f"unsupported format {fmt!r}")
    v2 = fmt >= FORMAT_VERSION
    filing_id = o.text("id", max_chars=36)
    try:
        parsed_id = uuid.UUID(filing_id)
    except ValueError:
        raise FilingFormatError(o.at("id"), "expected a UUID") from None
    if str(parsed_id) != filing_id or parsed_id.version != 7:
        raise FilingFormatError(o.at("id"), "expected a lower-case UUIDv7")
    ward_code = o.text("ward_code", max_chars=6)
    if not _WARD_CODE_RE.fullmatch(ward_code):
        raise FilingFormatError(o.at("ward_code"), "expected 6 digits")
    language = o.text("language", required=False, max_chars=35) or "ja"
    if not _LANGUAGE_RE.fullmatch(language):
        raise FilingFormatError(o.at("language"), "expected a language tag such as 'ja'")
    members_raw = o.get("members", required=True)
    if not isinstance(members_raw, list):
        raise FilingFormatError(o.at("members"), "expected a list")
    if len(members_raw) > MAX_MEMBERS:
        raise FilingFormatError(o.at("members"), f"more than {MAX_MEMBERS} members")
    members = tuple(_member(m, f"{o.at('members')}[{i}]", fmt) for i, m in enumerate(members_raw))
    household_raw = o.get("household", required=False)
    filing = Filing(
        id=filing_id,
        ward_code=ward_code,
        kind=o.enum("kind", FilingKind),
        notified_on=o.day("notified_on"),
        moved_on=o.day("moved_on"),
        created_at=_created_at(o),
        language=language,
        phone=o.text("phone", required=False, max_chars=20),
        filer=_filer(o.get("filer", required=True), o.at("filer"), fmt),
        old_address=o.optional("old_address", address_from_dict),
        new_address=_new_address(o, v2),
        household=Household()
        if household_raw is None
        else _household(household_raw, o.at("household"), fmt),
        members=members,
        related=_related(o.get("related", required=False) or {}, o.at("related")),
        move_out_route=o.optional("move_out_route", _route) if v2 else None,
        planned_move_out_on=o.optional("planned_move_out_on", _date) if v2 else None,
        abroad_for_one_year_or_more=(
            o.optional("abroad_for_one_year_or_more", _bool) if v2 else None
        ),
        seal_card=o.optional("seal_card", _seal_card) if v2 else None,
        card_certificate=o.optional("card_certificate", _card_certificate) if v2 else None,
    )
    o.done()
    return filing


_SERIAL_RE = re.compile(r"[0-9a-f]{1,40}")


def _seal_card(raw: object, path: str) -> SealCard:
    o = _Obj(raw, path)
    seal = SealCard(seal_registered=o.boolean("seal_registered", required=True))
    o.done()
    return seal


def _card_certificate(raw: object, path: str) -> CardCertificate:
    o = _Obj(raw, path)
    serial = o.text("serial", max_chars=40)
    if not _SERIAL_RE.fullmatch(serial):
        raise FilingFormatError(o.at("serial"), "expected lower-case hex digits")
    cert = CardCertificate(serial=serial, issuer=o.text("issuer"), not_after=o.day("not_after"))
    o.done()
    return cert


def _bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise FilingFormatError(path, "expected true, false or null")
    return value


def _route(value: object, path: str) -> MoveOutRoute:
    return _enum(value, MoveOutRoute, path)


def _created_at(o: _Obj) -> datetime:
    """``created_at`` (its path is built only for an error)."""
    value = o.get("created_at", required=True)
    if type(value) is str and _DATETIME_RE.fullmatch(value):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            pass
    return _datetime(value, o.at("created_at"))


def _new_address(o: _Obj, v2: bool) -> Address:
    """``new_address``: required in version 1; ``null`` (no address, 世帯変更) from version 2."""
    raw = o.get("new_address", required=not v2)
    if raw is None:
        if "new_address" not in o.raw:
            raise FilingFormatError(o.at("new_address"), "missing")
        return NO_ADDRESS
    return address_from_dict(raw, o.at("new_address"))


def filing_from_json(text: str | bytes) -> Filing:
    """Parse filing JSON text; malformed JSON also raises ``FilingFormatError`` at ``$``."""
    try:
        raw = json.loads(text, parse_float=_reject_float, parse_constant=_reject_constant)
    except FilingFormatError:
        raise
    except (ValueError, UnicodeDecodeError) as err:
        raise FilingFormatError("$", f"not JSON ({err.__class__.__name__})") from None
    return filing_from_dict(raw)


def _reject_float(text: str) -> object:
    raise FilingFormatError("$", f"floating-point numbers are not allowed ({text})")


def _reject_constant(text: str) -> object:
    raise FilingFormatError("$", f"{text} is not allowed")
