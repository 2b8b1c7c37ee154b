"""--encoding: utf-8, utf-8-sig (BOM) and cp932 with its loss report, read back via codecs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from server_sync.intake.kihon import EncodingLossError, export_kihon_csv, load_mapping
from server_sync.intake.kihon.encoding import Encoding
from server_sync.intake.kihon.output import loss_report_path, write_document
from tests.unit.export.kit import EXAMPLE_FILES, MAPPING, read_rows, stored

SAMPLE = load_mapping(MAPPING)


@pytest.fixture(scope="module")
def document() -> str:
    """The kihon CSV of every shipped example."""
    return export_kihon_csv([stored(p.read_text("utf-8")) for p in EXAMPLE_FILES], SAMPLE)


def test_utf8_sig_starts_with_a_bom_and_reads_back(document: str, tmp_path: Path) -> None:
    out = tmp_path / "kihon.csv"
    write_document(document, encoding=Encoding.UTF8_SIG, allow_loss=False, output=out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_rows(data.decode("utf-8-sig")) == read_rows(document)


def test_cp932_refuses_and_reports_every_lost_character(document: str, tmp_path: Path) -> None:
    out = tmp_path / "kihon.csv"
    stderr = io.StringIO()
    with pytest.raises(EncodingLossError) as caught:
        write_document(
            document, encoding=Encoding.CP932, allow_loss=False, output=out, stderr=stderr
        )
    assert not out.exists()  # nothing half-written
    report = list(csv.DictReader(io.StringIO(loss_report_path(out).read_text("utf-8-sig"))))
    lost = {(r["列"], r["文字"], r["コードポイント"]) for r in report}
    assert ("氏名", "𠮷", "U+20BB7") in lost
    assert not any(char == "髙" for _, char, _ in lost)  # cp932 has 髙 (IBM extension)
    assert ("世帯主氏名", "𠮷", "U+20BB7") in lost
    assert caught.value.count == len(report)
    rows = read_rows(document)
    for r in report:  # every reported character really is in that row and column
        assert r["文字"] in rows[int(r["行"]) - 2][r["列"]]


def test_cp932_with_allow_loss_substitutes_geta_and_keeps_the_rest(
    document: str, tmp_path: Path
) -> None:
    out = tmp_path / "kihon.csv"
    write_document(
        document, encoding=Encoding.CP932, allow_loss=True, output=out, stderr=io.StringIO()
    )
    rows = read_rows(out.read_bytes().decode("cp932"))
    original = read_rows(document)
    assert len(rows) == len(original)
    names = [r["氏名"] for r in rows]
    assert "〓田 智子" in names and "髙橋 〓之介" in names
    assert "山田 太郎" in names and "NGUYEN VAN MINH" in names
    # rows without lost characters are unchanged
    clean = [o for o, r in zip(original, rows, strict=True) if o["字形要確認"] == "0"]
    assert clean == [r for r in rows if r["字形要確認"] == "0"]
    assert loss_report_path(out).exists()


def test_cp932_without_loss_writes_no_report(tmp_path: Path) -> None:
    text = export_kihon_csv(
        [stored((MAPPING.parents[1] / "filings" / "move_out.json").read_text("utf-8"))], SAMPLE
    )
    out = tmp_path / "kihon.csv"
    write_document(text, encoding=Encoding.CP932, allow_loss=False, output=out)
    assert read_rows(out.read_bytes().decode("cp932")) == read_rows(text)
    assert not loss_report_path(out).exists()
