"""What the paper tells: the findings (確認事項), what to bring, the PIN each card task needs."""

from __future__ import annotations

from kiosk.forms.findings import Finding, member_index
from kiosk.forms.fonts import is_variation_selector
from kiosk.forms.messages import message
from kiosk.forms.model import CardTask, Filing
from kiosk.forms.render.labels import Label, Labels
from kiosk.forms.validation import validate

#: finding codes → what the resident must bring to the counter
_BRING_FOR: dict[str, Label] = {
    "move_in.bring_certificate": Label.BRING_CERTIFICATE,
    "special_move_in.expired": Label.BRING_CERTIFICATE,
    "member.foreign.bring_card": Label.BRING_RESIDENCE_CARD,
    "member.foreign.residence_card_number.missing": Label.BRING_RESIDENCE_CARD,
    "filer.proxy.power_of_attorney": Label.BRING_POWER_OF_ATTORNEY,
    "filer.legal_representative.documents": Label.BRING_LEGAL_PROOF,
    "member.relationship.foreign_proof": Label.BRING_RELATION_PROOF,
    "move_in_from_abroad.documents": Label.BRING_PASSPORTS,
    "member.honseki.bring_koseki": Label.BRING_KOSEKI,
    "member.relationship.head_consent": Label.BRING_CONSENT,
}
#: how the paper and the console name a member row (世帯員2)
MEMBER_JA = "世帯員"
#: card task → the PIN the holder needs at the counter
PIN_FOR: dict[CardTask, Label] = {
    CardTask.CONTINUED_USE: Label.PIN_JUKI,
    CardTask.SURFACE_UPDATE: Label.PIN_JUKI,
    CardTask.SIGNATURE_CERTIFICATE: Label.PIN_SIGNATURE,
}


def paper_findings(filing: Filing) -> list[Finding]:
    """Every finding (errors and warnings) as of the 届出日, in form order."""
    return validate(filing, None, today=filing.notified_on)


def _plain(text: str) -> str:
    """Without variation selectors: the names' exact forms are listed with code points."""
    return "".join(ch for ch in text if not is_variation_selector(ch))


def finding_lines(
    findings: list[Finding], labels: Labels, filing: Filing | None = None
) -> list[str]:
    """One line per finding: Japanese, then the visit language (English for untranslated).

    A finding about one member names them (``世帯員2 山田 花子：``), as the table numbers them:
    three members without a reading are three different lines, not one line three times.
    """
    lines = []
    for finding in findings:
        ja = _plain(message(finding, "ja"))
        other = _plain(message(finding, labels.language)) if labels.bilingual else ""
        lines.append(
            f"・{_who(finding, filing)}{ja}" + (f"\n　{other}" if other and other != ja else "")
        )
    return lines


def _who(finding: Finding, filing: Filing | None) -> str:
    """``世帯員2 山田 花子：`` for a finding about the second member, else nothing."""
    index = member_index(finding)
    if filing is None or index is None or index >= len(filing.members):
        return ""
    name = _plain(filing.members[index].name).strip()
    return f"{MEMBER_JA}{index + 1} {name}：" if name else f"{MEMBER_JA}{index + 1}："


def bring_list(filing: Filing, findings: list[Finding]) -> list[Label]:
    """What to bring, without duplicates: ID always, cards when there is card work."""
    items = [Label.BRING_ID]
    if any(m.card_tasks for m in filing.members):
        items.append(Label.BRING_CARDS)
    for finding in findings:
        item = _BRING_FOR.get(finding.code)
        if item is not None and item not in items:
            items.append(item)
    return items


def pins_for(tasks: frozenset[CardTask]) -> list[Label]:
    """The PINs one member needs for their card tasks (in a fixed order)."""
    return [p for p in (Label.PIN_JUKI, Label.PIN_SIGNATURE) if p in {PIN_FOR[t] for t in tasks}]
