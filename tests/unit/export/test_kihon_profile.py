"""The kihon profile on every shipped example filing, read back with the csv module."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kiosk.forms.codec import filing_from_json, filing_to_json
from kiosk.forms.model import Address, AddressScheme
from kiosk.forms.relationship import RelationshipCodes
from server_sync.intake import store  # noqa: F401 - imported before export (import order)
from server_sync.intake.export import CSV_COLUMNS, export_csv
from server_sync.intake.kihon import (
    KIHON_COLUMNS,
    MappingFileError,
    UnmappedValueError,
    export_kihon_csv,
    load_mapping,
)
from tests.unit.export.kit import (
    EXAMPLE_FILES,
    MAPPING,
    REPO,
    example,
    mapping_copy,
    read_rows,
    stored,
)

SAMPLE = load_mapping(MAPPING)


def _codes(file: str) -> dict[str, str]:
    raw: dict[str, dict[str, str]] = json.loads((MAPPING / file).read_text("utf-8"))
    return raw["codes"]


def kihon(name: str) -> list[dict[str, str]]:
    return read_rows(export_kihon_csv([example(name)], SAMPLE))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_exports_in_both_profiles(path: Path) -> None:
    row = stored(path.read_text("utf-8"))
    filing = filing_from_json(row.filing_json)
    kiosk_rows = read_rows(export_csv([row], RelationshipCodes.load()))
    rows = read_rows(export_kihon_csv([row], SAMPLE))
    assert len(kiosk_rows) == len(rows) == len(filing.members)
    assert tuple(kiosk_rows[0]) == CSV_COLUMNS and tuple(rows[0]) == KIHON_COLUMNS
    relationship = _codes("relationship_codes.json")
    for no, (member, out) in enumerate(zip(filing.members, rows, strict=True), start=1):
        assert out["届出ID"] == filing.id and out["記載順"] == str(no)
        assert out["氏名"] == member.name  # exactly as filed, never normalised
        assert out["性別"] == {"male": "1", "female": "2"}[member.sex.value]
        expected = [relationship[w] for w in member.relationship.display.split("の")]
        if member.relationship.display in relationship:
            expected = [relationship[member.relationship.display]]
        codes = [out[f"続柄コード{i}"] for i in range(1, 5)]
        assert codes == expected + [""] * (4 - len(expected))
        assert out["異動事由"] == _codes("idou_jiyu.json")[out["異動事由表記"]]
        assert out["住民種別"] == ("外国人" if member.foreign else "日本人")
        assert out["世帯主氏名"] == filing.head_name


def test_join_keeps_the_declared_existing_head() -> None:
    (row,) = kihon("move_in_join_existing_household")
    assert row["世帯主氏名"] == row["既存世帯主氏名"] == "佐藤 健一"
    assert row["世帯主氏名_フリガナ"] == "サトウ ケンイチ"
    assert row["世帯_異動区分"] == "一部"
    assert (row["続柄コード1"], row["続柄コード2"], row["続柄表記"]) == ("12", "52", "妻の母")
    assert row["転入前住所_市区郡町村名"] == "大阪市北区"
    assert row["転入前住所_番地号表記"] == "1番1号"


def test_household_changes_carry_old_and_remaining_heads() -> None:
    head_change = kihon("head_change")
    assert {r["旧世帯主氏名"] for r in head_change} == {"小林 誠"}
    assert {r["世帯主氏名"] for r in head_change} == {"小林 由美"}
    assert {r["異動事由表記"] for r in head_change} == {"世帯主変更"}
    (split,) = kihon("household_split")
    assert (split["異動事由表記"], split["旧世帯主氏名"], split["世帯主氏名"]) == (
        "世帯分離",
        "山本 正",
        "山本 大輔",
    )
    merge = kihon("household_merge")
    assert [r["世帯主氏名"] for r in merge] == ["伊藤 和子"] * 2
    assert merge[1]["続柄表記"] == "子の子" and merge[1]["続柄コード2"] == "20"
    assert {r["異動事由表記"] for r in merge} == {"世帯合併"}
    partial = kihon("move_out_partial_new_head")
    first = partial[0]
    assert (first["一部異動"], first["残留世帯主氏名"], first["残留世帯員数"]) == (
        "1",
        "加藤 大輝",
        "3",
    )
    assert first["異動事由表記"] == "国内転出"
    assert first["転出先住所（予定）_都道府県"] == "大阪府"
    assert first["転出先住所（予定）_町字"] == "梅田一丁目"
    assert first["住所_方書"] == "新宿ハイツ302号室"  # the old address is where they live now


def test_foreign_household_items() -> None:
    rows = kihon("move_in_foreign_household")
    head, wife = rows
    status = _codes("residence_status.json")
    assert head["住民種別"] == "外国人" and head["氏名_外国人ローマ字"] == "NGUYEN VAN MINH"
    assert head["氏_日本人"] == head["氏名_外国人漢字"] == ""
    assert (head["国籍名等"], head["国籍等_国名コード"]) == ("ベトナム", "704")
    assert head["第30条45規定区分"] == "中長期在留者"
    assert head["在留資格等コード"] == status["技術・人文知識・国際業務"]
    assert wife["在留資格等"] == "家族滞在" and wife["在留資格等コード"] == status["家族滞在"]
    assert (wife["在留カード等番号"], wife["在留期間の満了の日"]) == ("EF87654321GH", "2028-03-31")
    assert head["生年月日_元号"] == ""  # 外国人: 西暦 only
    assert "member.relationship.foreign_proof@members[1].relationship" in wife["確認事項"]
    assert head["特例転入"] == "転出証明書"


def test_japanese_items_name_split_era_and_honseki() -> None:
    (row,) = kihon("move_in_japanese_honseki")
    assert (row["氏_日本人"], row["名_日本人"]) == ("渡辺", "直子")
    assert row["本籍"] == "北海道札幌市中央区北一条西二丁目1番地"
    assert row["筆頭者氏名"] == "渡辺 一郎"
    assert row["生年月日_不詳フラグ"] == "0"
    born = row["生年月日"]
    assert row["生年月日_元号"] == ("4" if born >= "1989-01-08" else "3")
    assert row["生年月日_和暦"].startswith("平成" if born >= "1989-01-08" else "昭和")
    assert row["住所_番地号表記"] == "5番2号" and row["住所_町字コード"] == "13104020003"
    assert row["住所_方書コード"] == _codes("katagaki.json")["新宿ハイツ"]


def test_special_move_in_status_and_card_tasks() -> None:
    inside = kihon("move_in_special_inside_window")
    assert {r["特例転入"] for r in inside} == {"特例転入"}
    assert inside[0]["特例転入_期限"] == "2026-12-06"
    assert inside[0]["カード事務"] == "継続利用・券面記載事項変更・署名用電子証明書"
    assert inside[0]["住所_番地号表記"] == "40番地"
    (expired,) = kihon("move_in_special_expired")
    assert expired["特例転入"] == "特例転入（期限切れ）"
    assert expired["転出の方法"] == "マイナポータル転出"


def test_proxy_filer_with_own_address_and_phone() -> None:
    (row,) = kihon("move_within_proxy")
    assert row["届出人氏名"] == "森 早苗" and row["届出人資格"] == "任意代理人"
    assert row["届出人住所"] == "東京都中野区中野四丁目1番1号"
    assert row["届出人電話番号"] == "03-1234-5678" and row["届出人_記載順"] == ""
    assert "warning:filer.proxy.power_of_attorney@filer.standing" in row["確認事項"]
    assert row["転居前住所_町字"] == "高田馬場一丁目"
    assert row["転居前住所_番地号表記"] == "4番10号"


def test_glyph_flags_name_the_characters_outside_jis() -> None:
    rows = kihon("move_within_gaiji_names")
    assert [r["字形要確認"] for r in rows] == ["1", "1", "1"]
    assert rows[0]["字形要確認_文字"] == "𠮷(U+20BB7)"
    assert rows[2]["字形要確認_文字"] == "髙(U+9AD9) 𠮷(U+20BB7)"
    assert rows[2]["氏名"] == "髙橋 𠮷之介"  # not NFKC-folded to 高
    assert rows[1]["続柄表記"] == "夫（未届）" and rows[1]["続柄コード1"] == "13"
    assert [r["字形要確認"] for r in kihon("move_within_3_persons")] == ["0", "0", "0"]


def test_abroad_in_and_out() -> None:
    rows = kihon("move_in_from_abroad_vi")
    assert rows[0]["異動事由表記"] == "国外転入"
    assert (rows[0]["転入前住所_国名等"], rows[0]["転入前住所_国名コード"]) == ("ベトナム", "704")
    assert rows[0]["転入前住所_国外住所"] == "ハノイ市"
    filing = filing_from_json(example("move_out").filing_json)
    abroad = dataclasses.replace(
        filing,
        new_address=Address(AddressScheme.FREE_TEXT, free_text="ハノイ市", country="ベトナム"),
    )
    (out, _) = read_rows(export_kihon_csv([stored(filing_to_json(abroad))], SAMPLE))
    assert out["異動事由表記"] == "国外転出"
    assert out["異動事由"] == _codes("idou_jiyu.json")["国外転出"]
    assert out["転出先住所（予定）_国名コード"] == "704"
    assert out["住所_番地号表記"] == "2番5号"  # 住所 = where they leave from


def test_cells_are_formula_neutralised() -> None:
    filing = filing_from_json(example("move_within_proxy").filing_json)
    evil = dataclasses.replace(filing, filer=dataclasses.replace(filing.filer, name="=1+1"))
    (row,) = read_rows(export_kihon_csv([stored(filing_to_json(evil))], SAMPLE))
    assert row["届出人氏名"] == "'=1+1"


def test_unmapped_residence_status_names_value_filing_and_member(tmp_path: Path) -> None:
    folder = mapping_copy(tmp_path)
    path = folder / "residence_status.json"
    raw = json.loads(path.read_text("utf-8"))
    del raw["codes"]["家族滞在"]
    path.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    row = example("move_in_foreign_household")
    with pytest.raises(UnmappedValueError) as caught:
        export_kihon_csv([row], load_mapping(folder))
    message = str(caught.value)
    assert "家族滞在" in message and row.filing_id in message and "member 2" in message
    assert "residence_status.json" in message
    assert caught.value.code == "kihon_unmapped"


@pytest.mark.parametrize(
    ("file", "key", "name", "value"),
    [
        ("machiaza.json", "0020003", "move_within_3_persons", "0020003"),
        ("katagaki.json", "新宿ハイツ", "move_within_3_persons", "新宿ハイツ302号室"),
        ("countries.json", "ベトナム", "move_in_from_abroad_vi", "ベトナム"),
        ("idou_jiyu.json", "転居", "move_within_3_persons", "転居"),
    ],
)
def test_every_table_refuses_an_unmapped_value(
    tmp_path: Path, file: str, key: str, name: str, value: str
) -> None:
    folder = mapping_copy(tmp_path)
    raw = json.loads((folder / file).read_text("utf-8"))
    del raw["codes"][key]
    (folder / file).write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    with pytest.raises(UnmappedValueError, match=value):
        export_kihon_csv([example(name)], load_mapping(folder))


def test_mapping_files_missing_or_malformed(tmp_path: Path) -> None:
    folder = mapping_copy(tmp_path)
    (folder / "idou_jiyu.json").unlink()
    with pytest.raises(MappingFileError, match="idou_jiyu.json: missing"):
        load_mapping(folder)
    (folder / "idou_jiyu.json").write_text('{"codes": ["not", "a", "map"]}', "utf-8")
    with pytest.raises(MappingFileError, match="expected"):
        load_mapping(folder)
    with pytest.raises(MappingFileError, match="not a directory"):
        load_mapping(tmp_path / "nowhere")


def test_relationship_table_falls_back_to_the_master_set_table(tmp_path: Path) -> None:
    folder = mapping_copy(tmp_path)
    (folder / "relationship_codes.json").unlink()
    codes = dict(RelationshipCodes.load().codes, 妻="X2")
    mapping = load_mapping(folder, RelationshipCodes(name="master", codes=codes))
    rows = read_rows(export_kihon_csv([example("move_within_3_persons")], mapping))
    assert rows[1]["続柄コード1"] == "X2"


def test_sample_mapping_marks_the_legacy_numbering_for_vendor_confirmation() -> None:
    raw = json.loads((MAPPING / "relationship_codes.json").read_text("utf-8"))
    assert "confirm with your vendor" in raw["name"]


def test_docs_list_every_kihon_column() -> None:
    documented = (REPO / "docs" / "export-format.md").read_text("utf-8")
    missing = [c for c in KIHON_COLUMNS if f"`{c}`" not in documented]
    assert not missing


def test_ward_settings_decide_the_special_move_in_window() -> None:
    from kiosk.forms.settings import WardSettings

    short = WardSettings(special_after_moving_days=0, special_after_planned_days=0)
    rows = read_rows(export_kihon_csv([example("move_in_special_inside_window")], SAMPLE, short))
    assert {r["特例転入"] for r in rows} == {"特例転入（期限切れ）"}
    assert "special_move_in.expired" in rows[0]["確認事項"]


@pytest.mark.parametrize("name", ["seal_card_binding", "honseki_convenience_registration"])
def test_card_requests_are_not_resident_moves_in_the_kihon_export(name: str) -> None:
    """The card procedures go to the binding store / the 証明書 system, never to the 住記 rows."""
    body = (REPO / "examples" / "filings" / "card" / f"{name}.json").read_text("utf-8")
    row = stored(body)
    assert read_rows(export_kihon_csv([row], SAMPLE)) == []
    assert len(read_rows(export_csv([row], RelationshipCodes.load()))) == 1  # the kiosk CSV has it
