"""Validation of a filing: field-level findings with stable codes (texts in ``messages``)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Protocol

from kiosk.forms.charset import outside_jis_x0208
from kiosk.forms.decisions import address_key
from kiosk.forms.findings import Finding, Severity, err, has_errors, warn
from kiosk.forms.model import (
    NO_ADDRESS,
    Address,
    AddressScheme,
    Filing,
    FilingKind,
    HouseholdMode,
    Member,
    Standing,
)
from kiosk.forms.relationship import Link
from kiosk.forms.settings import DEFAULT_SETTINGS, WardSettings

__all__ = [
    "AddressResolver",
    "Finding",
    "Severity",
    "WardSettings",
    "has_errors",
    "validate",
]

#: 転入/転居 must be notified within 14 days of moving (住民基本台帳法 §22, §23); ward setting
LATE_AFTER_DAYS = DEFAULT_SETTINGS.late_after_days
#: 転出 may be notified in advance; warn when the planned date is further away (ward setting)
MOVE_OUT_ADVANCE_DAYS = DEFAULT_SETTINGS.move_out_advance_days
#: oldest plausible age in years
MAX_AGE_YEARS = 125
#: 方書 length limit in characters (ward systems vary; [unverified] — a ward setting)
KATAGAKI_MAX_CHARS = DEFAULT_SETTINGS.katagaki_max_chars
NAME_MAX_CHARS = 50
_KATAKANA_RE = re.compile(r"[\u30a1-\u30fa\u30fc\u30fb\s]+")
_PHONE_RE = re.compile(r"\+?[0-9]{1,4}(-?[0-9]{1,4}){1,3}")
_PHONE_DIGITS = range(10, 14)


class AddressResolver(Protocol):
    """What validation needs from the address master (``AddressMaster`` satisfies it)."""

    ward_code: str

    def lookup(self, address: Address) -> _ResolutionLike:
        """Resolve an address; ``.address`` is None and ``.reason`` says why if it fails."""
        ...


class _ResolutionLike(Protocol):
    @property
    def address(self) -> Address | None: ...

    @property
    def reason(self) -> str: ...


_err = err
_warn = warn


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# ----------------------------------------------------------------------------- rules


def _household(f: Filing) -> list[Finding]:
    out: list[Finding] = []
    if not f.members:
        return [_err("members", "members.empty")]
    heads = [i for i, m in enumerate(f.members) if m.relationship.is_head]
    if f.household.mode is HouseholdMode.JOIN:
        head = f.household.existing_head
        if head is None or not head.name.strip():
            out.append(_err("household.existing_head", "household.existing_head_missing"))
        out += [_err(f"members[{i}].relationship", "household.head_in_join") for i in heads]
    elif not heads:
        out.append(_err("members", "household.no_head"))
    else:
        out += [_err(f"members[{i}].relationship", "household.multiple_heads") for i in heads[1:]]
    if f.kind is FilingKind.HOUSEHOLD_SPLIT:
        out += _split_remainder(f)
    if f.kind is FilingKind.HEAD_CHANGE and heads:
        out += _head_changed(f, heads[0])
    spouses = [i for i, m in enumerate(f.members) if m.relationship.is_direct_spouse]
    out += [_err(f"members[{i}].relationship", "household.multiple_spouses") for i in spouses[1:]]
    return out


def _head_changed(f: Filing, head: int) -> list[Finding]:
    """世帯主変更: the new 世帯主 is not the previous one."""
    previous = f.household.previous_head
    if previous is not None and _name_key(previous.name) == _name_key(f.members[head].name):
        return [_err(f"members[{head}].relationship", "household.head_unchanged")]
    return []


def _split_remainder(f: Filing) -> list[Finding]:
    """世帯分離 leaves two households: the members' new one and the old one with its own head."""
    remaining = f.household.previous_head
    if remaining is None or not remaining.name.strip():
        return [_err("household.previous_head", "household.remaining_head_missing")]
    leaving = {_name_key(m.name) for m in f.members}
    if _name_key(remaining.name) in leaving:
        # the old household would be left without its 世帯主: file a 世帯主変更 for it as well
        return [_err("household.previous_head", "household.remaining_head_leaves")]
    return []


def _dates(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    out: list[Finding] = []
    if f.notified_on > today:
        out.append(_err("notified_on", "notified_on.future"))
    delay = (f.notified_on - f.moved_on).days
    if f.kind is FilingKind.MOVE_OUT:
        if -delay > settings.move_out_advance_days:
            out.append(_warn("moved_on", "moved_on.too_early", days=-delay))
    elif f.moved_on > f.notified_on or f.moved_on > today:
        # no future dates except 転出 [JYUKI j480]; no 転入 before living there [TAKO]
        out.append(_err("moved_on", "moved_on.future"))
    limit = settings.late_after_days
    if delay > limit:
        out.append(_warn("moved_on", "moved_on.late", days=delay, limit=limit))
    # 特例転入 is decided by the 転出 route and both dates (kiosk.forms.rules), not by the chip
    return out


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _member(i: int, m: Member, f: Filing, today: date, head: Member | None) -> list[Finding]:
    p = f"members[{i}]"
    out: list[Finding] = []
    if not m.name.strip():
        out.append(_err(f"{p}.name", "member.name.empty"))
    elif len(m.name) > NAME_MAX_CHARS:
        out.append(_err(f"{p}.name", "member.name.too_long", max=NAME_MAX_CHARS))
    else:
        odd = outside_jis_x0208(m.name)
        if odd:
            out.append(_warn(f"{p}.name", "member.name.outside_jis", chars="".join(odd)))
    if not m.furigana.strip():
        out.append(_warn(f"{p}.furigana", "member.furigana.missing"))
    elif not _KATAKANA_RE.fullmatch(m.furigana):
        out.append(_err(f"{p}.furigana", "member.furigana.not_katakana"))
    if m.birth_date > today:
        out.append(_err(f"{p}.birth_date", "member.birth_date.future"))
    elif _age(m.birth_date, today) > MAX_AGE_YEARS:
        out.append(_err(f"{p}.birth_date", "member.birth_date.implausible"))
    elif m.birth_date > f.moved_on and f.kind is not FilingKind.MOVE_OUT:
        out.append(_warn(f"{p}.birth_date", "member.birth_date.after_move"))
    gender = m.relationship.implied_gender
    if gender and gender != m.sex.value:
        out.append(
            _warn(
                f"{p}.relationship",
                "member.relationship.sex_mismatch",
                relationship=m.relationship.display,
            )
        )
    if (
        head is not None
        and m.relationship.links == (Link.CHILD,)
        and m.birth_date <= head.birth_date
    ):
        out.append(_warn(f"{p}.birth_date", "member.relationship.child_not_younger"))
    return out


def _members(f: Filing, today: date) -> list[Finding]:
    out: list[Finding] = []
    head = f.head_member
    seen: dict[tuple[str, date], int] = {}
    for i, m in enumerate(f.members):
        out += _member(i, m, f, today, head)
        key = (_name_key(m.name), m.birth_date)
        if key in seen:
            out.append(_err(f"members[{i}]", "member.duplicate", same_as=seen[key]))
        else:
            seen[key] = i
    return out


def _katagaki(path: str, a: Address, limit: int = KATAGAKI_MAX_CHARS) -> list[Finding]:
    out: list[Finding] = []
    if len(a.katagaki) > limit:
        out.append(_err(f"{path}.katagaki", "address.katagaki.too_long", max=limit))
    elif a.katagaki and not a.katagaki_listed and a.scheme is not AddressScheme.FREE_TEXT:
        out.append(_warn(f"{path}.katagaki", "address.katagaki.unlisted"))
    return out


def _addresses(f: Filing, master: AddressResolver | None, settings: WardSettings) -> list[Finding]:
    out: list[Finding] = []
    in_ward = f.kind.moves_into_ward or f.kind.is_household_change
    new = f.new_address
    if f.kind.is_household_change and new == NO_ADDRESS:
        return []  # 世帯変更 carries no address: the household's registered one [JYUKI j720]
    if in_ward:
        if new.scheme is AddressScheme.FREE_TEXT:
            out.append(_err("new_address", "address.free_text_not_allowed"))
        elif new.lg_code and new.lg_code != f.ward_code:
            out.append(_err("new_address", "address.not_in_ward"))
        elif master is not None:
            result = master.lookup(new)
            if result.address is None:
                out.append(_err("new_address", "address.unresolved", reason=result.reason))
    elif not new.display().strip():
        out.append(_err("new_address", "address.missing"))
    out += _katagaki("new_address", new, settings.katagaki_max_chars)
    needs_old = f.kind in (FilingKind.MOVE_IN, FilingKind.MOVE_WITHIN, FilingKind.MOVE_OUT)
    if f.old_address is None or not f.old_address.display().strip():
        if needs_old:
            out.append(_err("old_address", "address.missing"))
    else:
        out += _katagaki("old_address", f.old_address, settings.katagaki_max_chars)
        same = address_key(f.old_address.display()) == address_key(new.display())
        if f.kind.moves_into_ward and same:
            out.append(_err("new_address", "address.same_as_old"))
    return out


def _filer(f: Filing) -> list[Finding]:
    out: list[Finding] = []
    filer = f.filer
    if not filer.name.strip():
        out.append(_err("filer.name", "filer.name.empty"))
    if filer.member_index is not None:
        if not 0 <= filer.member_index < len(f.members):
            out.append(_err("filer.member_index", "filer.member_index.invalid"))
        else:
            member = f.members[filer.member_index]
            if (
                filer.standing is Standing.HEAD
                and not member.relationship.is_head
                and (f.household.mode is HouseholdMode.WHOLE)
            ):
                out.append(_warn("filer.standing", "filer.standing_mismatch"))
    elif filer.standing in (Standing.PROXY, Standing.LEGAL_REPRESENTATIVE) and (
        filer.address is None
    ):
        out.append(_err("filer.address", "address.missing"))
    return out


def phone_ok(phone: str) -> bool:
    """True for a plausible Japanese or international phone number."""
    digits = sum(c.isdigit() for c in phone)
    return bool(_PHONE_RE.fullmatch(phone)) and digits in _PHONE_DIGITS


def _phone(f: Filing) -> list[Finding]:
    out: list[Finding] = []
    if f.phone and not phone_ok(f.phone):
        out.append(_err("phone", "phone.invalid"))
    if f.filer.phone and not phone_ok(f.filer.phone):
        out.append(_err("filer.phone", "phone.invalid"))
    return out


def validate(
    filing: Filing,
    master: AddressResolver | None,
    *,
    today: date,
    settings: WardSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """All findings for a filing, errors and warnings, in form order.

    The same code runs on the kiosk, in ``python -m kiosk.forms check`` and at the intake;
    ``settings`` holds the rules that differ between wards (defaults: the sources' values).
    """
    from kiosk.forms import rules  # the version-2 rules (route, origin, filer, foreign, 本籍)

    if filing.kind.is_card_procedure:  # 印鑑登録証 / 本籍地利用登録: no 異動, their own rules
        from kiosk.forms.rules_card import card_rules

        return card_rules(filing, today, settings)
    return [
        *_filer(filing),
        *_dates(filing, today, settings),
        *rules.move_in_route(filing, today, settings),
        *_addresses(filing, master, settings),
        *rules.ward_of_old_address(filing, settings),
        *_household(filing),
        *rules.household_rules(filing),
        *_members(filing, today),
        *rules.member_rules(filing, today, settings),
        *rules.filer_rules(filing, today, settings),
        *rules.related_rules(filing, today, settings),
        *_phone(filing),
    ]
