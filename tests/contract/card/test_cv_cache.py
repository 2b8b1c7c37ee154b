"""The J-LIS certificate (EF 0004) cached per key id in the state folder: fewer APDUs."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.hardware.card.cv_cache import CACHE_FILE, CvCertificateCache
from kiosk.hardware.card.integrity import IntegrityResult
from kiosk.hardware.card.my_number_card import MyNumberCard, ResidentRecord
from kiosk.hardware.card.sim import App, Identity, SimulatedCard, SimulatedTransport, TestPki
from kiosk.hardware.card.sim import constants as c
from kiosk.hardware.card.sim import files as sim_files
from kiosk.hardware.card.sim.files import Corruption
from kiosk.hardware.card.sim.filesystem import BinaryFile
from kiosk.hardware.card.sim.identity import example_path
from kiosk.hardware.card.trust import TrustStore
from tests.contract.card.conftest import Rig

MakeRig = Callable[..., Rig]
PINS = {"yamada": "1234", "sato": "9012"}
COLD, WARM = 18, 14  # yamada and sato (see test_recognition_and_budget.py)
CV_CERT_READS = COLD - WARM  # SELECT-free first chunk + SELECT EF 0004 + two reads


def read(card: SimulatedCard, pin: str, trust: TrustStore | None, state: Path) -> ResidentRecord:
    """One read through a fresh connection and a fresh cache object on ``state`` (a new visit)."""
    card.clear_log()
    with SimulatedTransport(card, reset=True) as transport:
        reader = MyNumberCard(transport, cv_cache=CvCertificateCache(state))
        return reader.read_resident(pin, trust)


def read_cv_certificate(card: SimulatedCard) -> bool:
    return (App.TEXT, c.EF_TEXT_CV_CERT) in card.files_read


def cached_key_ids(state: Path) -> list[str]:
    raw = json.loads((state / CACHE_FILE).read_text(encoding="ascii"))
    return [item["key_id"] for item in raw["certificates"]]


@pytest.fixture
def state(tmp_path: Path) -> Path:
    folder = tmp_path / "state"
    folder.mkdir()
    return folder


def test_cold_then_warm_reads_the_jlis_certificate_once_per_key_id(
    make_rig: MakeRig, trust: TrustStore, state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_STATE_DIR", str(state))  # MyNumberCard's default cache folder
    yamada = make_rig("yamada")
    first = yamada.run(lambda card: card.read_resident("1234", trust))
    assert first.integrity is IntegrityResult.VERIFIED
    assert yamada.card.apdu_count == COLD and read_cv_certificate(yamada.card)
    assert (state / CACHE_FILE).is_file()
    yamada.card.clear_log()
    again = yamada.run(lambda card: card.read_resident("1234", trust))
    assert again.integrity is IntegrityResult.VERIFIED
    assert again.basic_four == first.basic_four
    assert yamada.card.apdu_count == WARM and not read_cv_certificate(yamada.card)
    yamada.dispose()
    # another resident's card of the same J-LIS key generation: warm from the first visit on
    sato = make_rig("sato")
    record = sato.run(lambda card: card.read_resident("9012", trust))
    assert record.integrity is IntegrityResult.VERIFIED
    assert sato.card.apdu_count == WARM and not read_cv_certificate(sato.card)


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff garbage",
        b'{"version": 1, "certificates": [{"key_id": "00", "cv_certificate": "!!"}]}',
        b'{"version": 1, "certificates": {}}',
        b'{"version": 99, "certificates": []}',
        b'{"version": 1, "certifi',
    ],
    ids=["binary", "bad-base64", "wrong-shape", "unknown-version", "truncated"],
)
def test_a_corrupt_cache_file_is_ignored_and_rewritten(
    trust: TrustStore, state: Path, content: bytes
) -> None:
    card = SimulatedCard.from_file("yamada")
    (state / CACHE_FILE).write_bytes(content)
    record = read(card, "1234", trust, state)
    assert record.integrity is IntegrityResult.VERIFIED
    assert card.apdu_count == COLD and read_cv_certificate(card)
    assert len(cached_key_ids(state)) == 1  # rewritten whole
    read(card, "1234", trust, state)
    assert card.apdu_count == WARM


def test_an_entry_whose_key_id_does_not_match_its_certificate_is_not_used(
    trust: TrustStore, state: Path
) -> None:
    card = SimulatedCard.from_file("yamada")
    read(card, "1234", trust, state)
    raw = json.loads((state / CACHE_FILE).read_text(encoding="ascii"))
    raw["certificates"][0]["key_id"] = "00" * 16
    (state / CACHE_FILE).write_text(json.dumps(raw), encoding="ascii")
    assert read(card, "1234", trust, state).integrity is IntegrityResult.VERIFIED
    assert card.apdu_count == COLD


def test_a_new_key_id_is_read_from_the_card_and_cached_beside_the_old_one(
    trust: TrustStore, state: Path, tmp_path: Path
) -> None:
    first_generation = SimulatedCard.from_file("yamada")
    read(first_generation, "1234", trust, state)
    raw = json.loads(example_path("sato").read_text(encoding="utf-8"))
    raw.update(id="sato_gen2", text_signer=2)  # a card signed by the next J-LIS key
    path = tmp_path / "sato_gen2.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    second_generation = SimulatedCard.from_file(str(path))
    old_ids = cached_key_ids(state)
    record = read(second_generation, "9012", trust, state)
    assert record.integrity is IntegrityResult.VERIFIED
    assert second_generation.apdu_count == COLD and read_cv_certificate(second_generation)
    new_ids = cached_key_ids(state)
    assert len(new_ids) == 2 and new_ids[0] == old_ids[0] and new_ids[1] != old_ids[0]
    read(second_generation, "9012", trust, state)
    read(first_generation, "1234", trust, state)
    assert second_generation.apdu_count == first_generation.apdu_count == WARM


def test_a_cached_certificate_not_signed_by_the_anchors_is_not_trusted(
    trust: TrustStore, state: Path
) -> None:
    card = SimulatedCard.from_file("yamada")
    creds = card.pki.card(card.identity)
    impostor = TestPki("impostor-pki-1")
    # the genuine signer's key, certified by a CV issuer that is not configured
    forged = sim_files.cv_certificate(
        impostor.cv_issuer_key,
        impostor.cv_issuer_key_id,
        creds.text_ap_key_id,
        creds.text_ap_key.public_key(),
    )
    item = {
        "key_id": creds.text_ap_key_id.hex(),
        "cv_certificate": base64.b64encode(forged).decode("ascii"),
    }
    body = {"version": 1, "certificates": [item]}
    (state / CACHE_FILE).write_text(json.dumps(body), encoding="ascii")
    record = read(card, "1234", trust, state)
    assert record.integrity is IntegrityResult.VERIFIED  # from the card's own, genuine EF 0004
    assert card.apdu_count == COLD and read_cv_certificate(card)


def test_a_cache_made_under_other_anchors_gives_failed_not_verified(
    trust: TrustStore, state: Path, tmp_path: Path
) -> None:
    card = SimulatedCard.from_file("yamada")
    read(card, "1234", trust, state)  # cached while the genuine issuer was configured
    foreign = TrustStore.load(TestPki("impostor-pki-1").write_trust_dir(tmp_path / "foreign"))
    record = read(card, "1234", foreign, state)
    assert record.integrity is IntegrityResult.FAILED
    assert read_cv_certificate(card)  # the cached entry was not trusted: EF 0004 read again


def test_without_anchors_nothing_is_cached_and_the_result_stays_unverified(state: Path) -> None:
    card = SimulatedCard.from_file("yamada")
    for _ in range(2):
        assert read(card, "1234", None, state).integrity is IntegrityResult.UNVERIFIED
        assert card.apdu_count == COLD
    assert not (state / CACHE_FILE).exists()


@pytest.mark.parametrize(
    ("corrupt", "reads_ef_0004"),
    [(Corruption.INTEGRITY_DIGEST, False), (Corruption.INTEGRITY_SIGNATURE, True)],
)
def test_a_warm_cache_still_fails_a_bad_record(
    trust: TrustStore, state: Path, corrupt: Corruption, reads_ef_0004: bool
) -> None:
    read(SimulatedCard.from_file("yamada"), "1234", trust, state)
    bad = SimulatedCard.from_file("yamada", corrupt=corrupt)
    assert read(bad, "1234", trust, state).integrity is IntegrityResult.FAILED
    assert read_cv_certificate(bad) is reads_ef_0004  # a wrong digest needs no key at all


def test_a_missing_state_folder_is_not_created(trust: TrustStore, tmp_path: Path) -> None:
    absent = tmp_path / "absent"
    card = SimulatedCard.from_file("yamada")
    for _ in range(2):
        assert read(card, "1234", trust, absent).integrity is IntegrityResult.VERIFIED
        assert card.apdu_count == COLD
    assert not absent.exists()


def test_the_cache_write_is_atomic_and_leaves_no_temp_file(trust: TrustStore, state: Path) -> None:
    card = SimulatedCard.from_file("yamada")
    read(card, "1234", trust, state)
    assert [p.name for p in state.iterdir()] == [CACHE_FILE]
    ef = card.apps[App.TEXT].files[c.EF_TEXT_CV_CERT]
    assert isinstance(ef, BinaryFile)
    raw = json.loads((state / CACHE_FILE).read_text(encoding="ascii"))
    assert base64.b64decode(raw["certificates"][0]["cv_certificate"]) == ef.content


def test_an_identity_of_another_signer_generation_is_validated() -> None:
    base = Identity.load(example_path("yamada"))
    with pytest.raises(ValueError):
        dataclasses.replace(base, text_signer=0).validate()
