"""続柄 (relationship to the 世帯主): the closed vocabulary, the chain builder and export codes.

The 住民記録システム標準仕様書 (§1.1.11) allows only: 世帯主; the links
夫・妻・夫（未届）・妻（未届）・子・父・母・兄・姉・弟・妹 chained with 「の」 up to four links
(子の子 = grandchild, 妻の父 = father-in-law); 縁故者; 同居人.
Words such as 孫, 祖母, 甥 are never stored.
A relationship is always seen from the 世帯主, never from the filer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from kiosk.forms.errors import RelationshipError

#: the standard counts 「の」-joined links mechanically; more than this becomes 縁故者
MAX_LINKS = 4
#: joins the links of a chain in the display string
CHAIN_JOINER = "の"

MALE = "male"
FEMALE = "female"


class Link(StrEnum):
    """One link of a 続柄 chain; the value is the display string."""

    HUSBAND = "夫"
    WIFE = "妻"
    HUSBAND_UNREGISTERED = "夫（未届）"
    WIFE_UNREGISTERED = "妻（未届）"
    CHILD = "子"
    FATHER = "父"
    MOTHER = "母"
    ELDER_BROTHER = "兄"
    ELDER_SISTER = "姉"
    YOUNGER_BROTHER = "弟"
    YOUNGER_SISTER = "妹"

    @property
    def gender(self) -> str | None:
        """``"male"``/``"female"`` implied by the word, ``None`` for 子."""
        return _LINK_GENDER.get(self)

    @property
    def is_spouse(self) -> bool:
        """True for 夫, 妻 and their （未届） forms."""
        return self in _SPOUSES

    @property
    def is_sibling(self) -> bool:
        """True for 兄, 姉, 弟, 妹."""
        return self in _SIBLINGS

    @property
    def is_parent(self) -> bool:
        """True for 父 and 母."""
        return self in _PARENTS


_SPOUSES = frozenset({Link.HUSBAND, Link.WIFE, Link.HUSBAND_UNREGISTERED, Link.WIFE_UNREGISTERED})
_SIBLINGS = frozenset(
    {Link.ELDER_BROTHER, Link.ELDER_SISTER, Link.YOUNGER_BROTHER, Link.YOUNGER_SISTER}
)
_PARENTS = frozenset({Link.FATHER, Link.MOTHER})
_LINK_GENDER: dict[Link, str] = {
    Link.HUSBAND: MALE,
    Link.HUSBAND_UNREGISTERED: MALE,
    Link.FATHER: MALE,
    Link.ELDER_BROTHER: MALE,
    Link.YOUNGER_BROTHER: MALE,
    Link.WIFE: FEMALE,
    Link.WIFE_UNREGISTERED: FEMALE,
    Link.MOTHER: FEMALE,
    Link.ELDER_SISTER: FEMALE,
    Link.YOUNGER_SISTER: FEMALE,
}


class RelationshipKind(StrEnum):
    """The four shapes a 続柄 can take."""

    HEAD = "世帯主"
    CHAIN = "chain"
    OTHER_RELATIVE = "縁故者"
    COHABITANT = "同居人"


# Reasons (stable sub-codes, used as ``RelationshipError.reason`` and validation codes).
REASON_EMPTY = "empty"
REASON_TOO_LONG = "too_long"
REASON_UNKNOWN_WORD = "unknown_word"
REASON_STANDALONE_IN_CHAIN = "standalone_in_chain"
REASON_SPOUSE_OF_SPOUSE = "spouse_of_spouse"
REASON_SIBLING_OF_SIBLING = "sibling_of_sibling"
REASON_PARENT_OF_CHILD = "parent_of_child"
REASON_LINKS_ON_SPECIAL = "links_on_special"


def _check_links(links: Sequence[Link], text: str) -> None:
    """Reject chains the standard does not allow (see docs/filing-format.md §続柄)."""
    if not links:
        raise RelationshipError(REASON_EMPTY, text)
    if len(links) > MAX_LINKS:
        # The standard writes anything needing 5+ links as 縁故者.
        raise RelationshipError(REASON_TOO_LONG, text)
    for first, second in zip(links, links[1:], strict=False):
        if first.is_spouse and second.is_spouse:
            # 妻の夫 / 夫の妻 point back at the 世帯主 (or at nobody the standard can name).
            raise RelationshipError(REASON_SPOUSE_OF_SPOUSE, text)
        if first.is_sibling and second.is_sibling:
            # 兄の弟 etc. is the 世帯主 or a direct sibling: the direct word ranks higher.
            raise RelationshipError(REASON_SIBLING_OF_SIBLING, text)
        if first is Link.CHILD and second.is_parent:
            # 子の父 / 子の母 is the 世帯主 or the spouse: use 夫/妻 (or （未届）).
            raise RelationshipError(REASON_PARENT_OF_CHILD, text)


@dataclass(frozen=True, slots=True)
class Relationship:
    """A 続柄 relative to the 世帯主: 世帯主, a chain of links, 縁故者 or 同居人."""

    kind: RelationshipKind
    links: tuple[Link, ...] = ()

    def __post_init__(self) -> None:
        if self.kind is RelationshipKind.CHAIN:
            _check_links(self.links, CHAIN_JOINER.join(self.links))
        elif self.links:
            raise RelationshipError(REASON_LINKS_ON_SPECIAL, self.kind.value)

    @property
    def display(self) -> str:
        """The string printed on the form, e.g. ``"妻の父"``."""
        if self.kind is RelationshipKind.CHAIN:
            return CHAIN_JOINER.join(link.value for link in self.links)
        return self.kind.value

    @property
    def is_head(self) -> bool:
        """True for 世帯主."""
        return self.kind is RelationshipKind.HEAD

    @property
    def is_direct_spouse(self) -> bool:
        """True for the 世帯主's own 夫/妻 (incl. （未届）)."""
        return (
            self.kind is RelationshipKind.CHAIN
            and len(self.links) == 1
            and (self.links[0].is_spouse)
        )

    @property
    def implied_gender(self) -> str | None:
        """The gender the last word implies (``"male"``/``"female"``) or ``None``."""
        if self.kind is RelationshipKind.CHAIN:
            return self.links[-1].gender
        return None

    @classmethod
    def parse(cls, text: str) -> Relationship:
        """Parse a display string (``"子の妻"``, ``"世帯主"``, ``"同居人"``); strict."""
        for kind in (
            RelationshipKind.HEAD,
            RelationshipKind.OTHER_RELATIVE,
            RelationshipKind.COHABITANT,
        ):
            if text == kind.value:
                return cls(kind)
        if not text:
            raise RelationshipError(REASON_EMPTY, text)
        words = text.split(CHAIN_JOINER)
        links: list[Link] = []
        for word in words:
            if word in _SPECIAL_WORDS:
                raise RelationshipError(REASON_STANDALONE_IN_CHAIN, text)
            try:
                links.append(Link(word))
            except ValueError:
                raise RelationshipError(REASON_UNKNOWN_WORD, text) from None
        return build_chain(links)

    def __str__(self) -> str:
        return self.display


_SPECIAL_WORDS = frozenset(k.value for k in RelationshipKind if k is not RelationshipKind.CHAIN)

HEAD = Relationship(RelationshipKind.HEAD)
OTHER_RELATIVE = Relationship(RelationshipKind.OTHER_RELATIVE)
COHABITANT = Relationship(RelationshipKind.COHABITANT)


def build_chain(links: Sequence[Link | str]) -> Relationship:
    """Turn a picked chain (``[Link.WIFE, Link.FATHER]``) into a checked ``Relationship``.

    Raises ``RelationshipError`` (with ``reason``) for what the standard rejects: an empty chain,
    more than four links (→ use 縁故者), 世帯主/縁故者/同居人 inside a chain, and chains that name
    the 世帯主 or a directly nameable person (妻の夫, 兄の弟, 子の母).
    """
    text = CHAIN_JOINER.join(str(link) for link in links)
    checked: list[Link] = []
    for link in links:
        if str(link) in _SPECIAL_WORDS:
            raise RelationshipError(REASON_STANDALONE_IN_CHAIN, text)
        try:
            checked.append(Link(link))
        except ValueError:
            raise RelationshipError(REASON_UNKNOWN_WORD, text) from None
    return Relationship(RelationshipKind.CHAIN, tuple(checked))


#: words residents think in, mapped to the stored chain (shown as hints by the picker)
PLAIN_WORDS: Mapping[str, Relationship] = {
    "孫": build_chain([Link.CHILD, Link.CHILD]),
    "ひ孫": build_chain([Link.CHILD, Link.CHILD, Link.CHILD]),
    "義父（妻の父）": build_chain([Link.WIFE, Link.FATHER]),
    "義母（妻の母）": build_chain([Link.WIFE, Link.MOTHER]),
    "義父（夫の父）": build_chain([Link.HUSBAND, Link.FATHER]),
    "義母（夫の母）": build_chain([Link.HUSBAND, Link.MOTHER]),
    "嫁": build_chain([Link.CHILD, Link.WIFE]),
    "婿": build_chain([Link.CHILD, Link.HUSBAND]),
}


DEFAULT_CODES_RESOURCE = "relationship_codes.json"


@dataclass(frozen=True, slots=True)
class RelationshipCodes:
    """A ward's export code table: one code per word; a chain exports one code per link."""

    name: str
    codes: Mapping[str, str]

    def __post_init__(self) -> None:
        needed = {link.value for link in Link} | _SPECIAL_WORDS
        missing = sorted(needed - set(self.codes))
        if missing:
            raise ValueError(f"code table {self.name!r} lacks codes for {missing}")

    def export(self, relationship: Relationship) -> tuple[str, ...]:
        """Codes for one relationship (``子の妻`` → ``("20", "12")`` with the default table)."""
        if relationship.kind is RelationshipKind.CHAIN:
            return tuple(self.codes[link.value] for link in relationship.links)
        return (self.codes[relationship.kind.value],)

    @classmethod
    def load(cls, path: Path | None = None) -> RelationshipCodes:
        """Load a ward table (JSON ``{"name":…, "codes":{"世帯主":"02",…}}``); default if None."""
        if path is None:
            text = (
                resources.files("kiosk.forms.data")
                .joinpath(DEFAULT_CODES_RESOURCE)
                .read_text(encoding="utf-8")
            )
        else:
            text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
        if not isinstance(raw, dict) or not isinstance(raw.get("codes"), dict):
            raise ValueError("a code table is an object with a 'codes' object")
        codes = {str(k): str(v) for k, v in raw["codes"].items()}
        return cls(name=str(raw.get("name", "")), codes=codes)
