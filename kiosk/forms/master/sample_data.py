"""The shipped sample ward (新宿区, 131041): regenerate its CSVs, or build a master from them.

The 町 names, readings and postal codes are those of real 新宿区 町字 (public facts); the ward has
both 住居表示 and 地番 areas (e.g. 北町, 市谷薬王寺町). The 町字ID 新宿三丁目 = 0020003 is real; the
other 町字IDs and every 街区/住居/地番 number and building are invented for testing and demos.
Regenerate with ``python -m kiosk.forms.master.sample_data`` (deterministic).
"""

from __future__ import annotations

import csv
import random
import sys
from importlib import resources
from pathlib import Path

from kiosk.forms.master.importer import import_master

SAMPLE_WARD = "131041"
SAMPLE_PREFECTURE = "東京都"
SAMPLE_CITY = "新宿区"
SAMPLE_FILES = (
    "sample_131041_mt_town.csv",
    "sample_131041_mt_rsdtdsp_blk.csv",
    "sample_131041_mt_rsdtdsp_rsdt.csv",
    "sample_131041_mt_parcel.csv",
    "sample_131041_katagaki.csv",
)


def _header(text: str) -> list[str]:
    return text.split(",")


TOWN_HEADER = _header(
    "lg_code,machiaza_id,machiaza_type,pref,pref_kana,pref_roma,county,county_kana,county_roma,"
    "city,city_kana,city_roma,ward,ward_kana,ward_roma,oaza_cho,oaza_cho_kana,oaza_cho_roma,"
    "chome,chome_kana,chome_number,koaza,koaza_kana,koaza_roma,machiaza_dist,rsdt_addr_flg,"
    "rsdt_addr_mtd_code,oaza_cho_aka_flg,koaza_aka_code,oaza_cho_gsi_uncmn,koaza_gsi_uncmn,"
    "status_flg,wake_num_flg,efct_date,ablt_date,src_code,post_code,remarks"
)
BLOCK_HEADER = _header(
    "lg_code,machiaza_id,blk_id,city,ward,oaza_cho,chome,koaza,machiaza_dist,blk_num,"
    "rsdt_addr_flg,rsdt_addr_mtd_code,status_flg,efct_date,ablt_date,src_code,remarks"
)
RESIDENCE_HEADER = _header(
    "lg_code,machiaza_id,blk_id,rsdt_id,rsdt2_id,city,ward,oaza_cho,chome,koaza,machiaza_dist,"
    "blk_num,rsdt_num,rsdt_num2,basic_rsdt_div,rsdt_addr_flg,rsdt_addr_mtd_code,status_flg,"
    "efct_date,ablt_date,src_code,remarks"
)
PARCEL_HEADER = _header(
    "lg_code,machiaza_id,prc_id,city,ward,oaza_cho,chome,koaza,machiaza_dist,prc_num1,prc_num2,"
    "prc_num3,rsdt_addr_flg,prc_rec_flg,prc_area_code,efct_date,ablt_date,src_code,remarks,"
    "real_prop_num"
)
KATAGAKI_HEADER = _header(
    "lg_code,machiaza_id,blk_num,rsdt_num,rsdt_num2,prc_num1,prc_num2,prc_num3,katagaki,"
    "katagaki_kana,efct_date,ablt_date"
)

_KANJI_DIGITS = "〇一二三四五六七八九"
_KANA_DIGITS = ("", "イッ", "ニ", "サン", "ヨン", "ゴ", "ロク", "ナナ", "ハッ", "キュウ")

# (oaza id, name, kana, romaji, number of 丁目 (0 = none), 住居表示, 地番, postal code)
TOWNS = (
    ("0020", "新宿", "シンジュク", "Shinjuku", 7, True, False, "1600022"),
    ("0021", "西新宿", "ニシシンジュク", "Nishishinjuku", 8, True, False, "1600023"),
    ("0022", "歌舞伎町", "カブキチョウ", "Kabukicho", 2, True, False, "1600021"),
    ("0030", "高田馬場", "タカダノババ", "Takadanobaba", 4, True, False, "1690075"),
    ("0040", "百人町", "ヒャクニンチョウ", "Hyakunincho", 4, True, False, "1690073"),
    ("0041", "大久保", "オオクボ", "Okubo", 3, True, False, "1690072"),
    ("0050", "神楽坂", "カグラザカ", "Kagurazaka", 6, True, False, "1620825"),
    ("0060", "四谷", "ヨツヤ", "Yotsuya", 4, True, False, "1600004"),
    ("0070", "北町", "キタマチ", "Kitamachi", 0, False, True, "1620834"),
    (
        "0071",
        "市谷薬王寺町",
        "イチガヤヤクオウジマチ",
        "Ichigayayakuojimachi",
        0,
        False,
        True,
        "1620063",
    ),
    (
        "0072",
        "早稲田鶴巻町",
        "ワセダツルマキチョウ",
        "Wasedatsurumakicho",
        0,
        False,
        True,
        "1620041",
    ),
    ("0073", "市谷田町", "イチガヤタマチ", "Ichigayatamachi", 3, True, True, "1620843"),
    ("0074", "若宮町", "ワカミヤチョウ", "Wakamiyacho", 0, False, True, "1620827"),
)

# Addresses the examples and tests rely on: (machiaza_id, block, residence) / (machiaza_id, chiban)
REQUIRED_RESIDENCES = (
    ("0020003", 5, 2),
    ("0020003", 5, 4),
    ("0021002", 8, 1),
    ("0050003", 2, 5),
    ("0030001", 4, 10),
    ("0040002", 3, 7),
    ("0060001", 6, 3),
    ("0073001", 2, 8),
)
REQUIRED_PARCELS = (("0070000", "12-3"), ("0071000", "40"), ("0072000", "255-1"))

# (machiaza_id, "block/residence" or chiban, building, kana) — invented building names
BUILDINGS = (
    ("0020003", "5/2", "新宿ハイツ", "シンジュクハイツ"),
    ("0020003", "5/2", "新宿三丁目ビル", "シンジュクサンチョウメビル"),
    ("0020003", "5/4", "サンパレス新宿", "サンパレスシンジュク"),
    ("0021002", "8/1", "西新宿タワーレジデンス", "ニシシンジュクタワーレジデンス"),
    ("0050003", "2/5", "メゾン神楽坂", "メゾンカグラザカ"),
    ("0030001", "4/10", "高田馬場スカイマンション", "タカダノババスカイマンション"),
    ("0040002", "3/7", "百人町コーポ", "ヒャクニンチョウコーポ"),
    ("0060001", "6/3", "四谷グリーンハイム", "ヨツヤグリーンハイム"),
    ("0073001", "2/8", "田町ハウス", "タマチハウス"),
    ("0070000", "12-3", "北町コーポ", "キタマチコーポ"),
    ("0071000", "40", "薬王寺レジデンス", "ヤクオウジレジデンス"),
    ("0072000", "255-1", "鶴巻荘", "ツルマキソウ"),
)


def _chome_kana(n: int) -> str:
    return f"{_KANA_DIGITS[n]}チョウメ"


def _rows() -> dict[str, list[list[str]]]:
    rng = random.Random(131041)  # noqa: S311 - deterministic sample data, not security
    towns: list[list[str]] = []
    blocks: list[list[str]] = []
    residences: list[list[str]] = []
    parcels: list[list[str]] = []
    need_rsdt = {(m, b): r for m, b, r in REQUIRED_RESIDENCES}
    need_prc = dict(REQUIRED_PARCELS)
    for oaza_id, name, kana, roma, n_chome, rsdt, prc, postal in TOWNS:
        chome_list = list(range(1, n_chome + 1)) or [0]
        for n in chome_list:
            mid = f"{oaza_id}{n:03d}"
            chome = f"{_KANJI_DIGITS[n]}丁目" if n else ""
            for flag in [f for f, on in (("1", rsdt), ("0", prc)) if on]:
                row = dict.fromkeys(TOWN_HEADER, "")
                row.update(
                    lg_code=SAMPLE_WARD,
                    machiaza_id=mid,
                    machiaza_type="2" if n else "1",
                    pref=SAMPLE_PREFECTURE,
                    pref_kana="トウキョウト",
                    pref_roma="Tokyo",
                    city=SAMPLE_CITY,
                    city_kana="シンジュクク",
                    city_roma="Shinjuku-ku",
                    oaza_cho=name,
                    oaza_cho_kana=kana,
                    oaza_cho_roma=roma,
                    chome=chome,
                    chome_kana=_chome_kana(n) if n else "",
                    chome_number=str(n) if n else "",
                    rsdt_addr_flg=flag,
                    rsdt_addr_mtd_code="1" if flag == "1" else "",
                    status_flg="1",
                    wake_num_flg="0",
                    efct_date="1970-01-01",
                    src_code="0",
                    post_code=postal,
                )
                towns.append([row[c] for c in TOWN_HEADER])
            common = {
                "lg_code": SAMPLE_WARD,
                "machiaza_id": mid,
                "city": SAMPLE_CITY,
                "oaza_cho": name,
                "chome": chome,
                "status_flg": "1",
                "efct_date": "1970-01-01",
                "src_code": "0",
            }
            if rsdt:
                need_blocks = max((b for (m, b) in need_rsdt if m == mid), default=0)
                for b in range(1, max(5 + rng.randrange(6), need_blocks + 1)):
                    blk = dict.fromkeys(BLOCK_HEADER, "")
                    blk.update(
                        common,
                        blk_id=f"{b:03d}",
                        blk_num=str(b),
                        rsdt_addr_flg="1",
                        rsdt_addr_mtd_code="1",
                    )
                    blocks.append([blk[c] for c in BLOCK_HEADER])
                    top = max(2 + rng.randrange(9), need_rsdt.get((mid, b), 0))
                    for r in range(1, top + 1):
                        res = dict.fromkeys(RESIDENCE_HEADER, "")
                        res.update(
                            common,
                            blk_id=f"{b:03d}",
                            rsdt_id=f"{r:03d}",
                            blk_num=str(b),
                            rsdt_num=str(r),
                            basic_rsdt_div="1",
                            rsdt_addr_flg="1",
                            rsdt_addr_mtd_code="1",
                        )
                        residences.append([res[c] for c in RESIDENCE_HEADER])
                        if rng.random() < 0.05:
                            res.update(rsdt2_id="01", rsdt_num2="1")
                            residences.append([res[c] for c in RESIDENCE_HEADER])
            if prc:
                numbers = {str(p) for p in range(1, 15 + rng.randrange(30))}
                numbers |= {f"{p}-{s}" for p in rng.sample(range(1, 60), 8) for s in (1, 2, 3)}
                if mid in need_prc:
                    numbers.add(need_prc[mid])
                for i, chiban in enumerate(
                    sorted(numbers, key=lambda c: [int(x) for x in c.split("-")])
                ):
                    parts = (chiban.split("-") + ["", ""])[:3]
                    par = dict.fromkeys(PARCEL_HEADER, "")
                    par.update(
                        common,
                        prc_id=f"{i + 1:015d}",
                        prc_num1=parts[0],
                        prc_num2=parts[1],
                        prc_num3=parts[2],
                        rsdt_addr_flg="0",
                        prc_rec_flg="1",
                    )
                    parcels.append([par[c] for c in PARCEL_HEADER])
    buildings: list[list[str]] = []
    for mid, number, bname, bkana in BUILDINGS:
        row = dict.fromkeys(KATAGAKI_HEADER, "")
        row.update(
            lg_code=SAMPLE_WARD,
            machiaza_id=mid,
            katagaki=bname,
            katagaki_kana=bkana,
            efct_date="2020-04-01",
        )
        if "/" in number:
            row["blk_num"], row["rsdt_num"] = number.split("/")
        else:
            parts = (number.split("-") + ["", ""])[:3]
            row["prc_num1"], row["prc_num2"], row["prc_num3"] = parts
        buildings.append([row[c] for c in KATAGAKI_HEADER])
    return {
        SAMPLE_FILES[0]: [TOWN_HEADER, *towns],
        SAMPLE_FILES[1]: [BLOCK_HEADER, *blocks],
        SAMPLE_FILES[2]: [RESIDENCE_HEADER, *residences],
        SAMPLE_FILES[3]: [PARCEL_HEADER, *parcels],
        SAMPLE_FILES[4]: [KATAGAKI_HEADER, *buildings],
    }


def write_sample_csvs(directory: Path) -> list[Path]:
    """(Re)write the sample CSVs into ``directory``."""
    paths = []
    for name, rows in _rows().items():
        path = directory / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        paths.append(path)
    return paths


def sample_csv_paths() -> list[Path]:
    """Paths of the shipped sample CSVs (inside the installed package)."""
    base = resources.files("kiosk.forms.data")
    return [Path(str(base.joinpath(name))) for name in SAMPLE_FILES]


def build_sample_master(db_path: Path) -> str:
    """Import the shipped sample ward into ``db_path``; returns the master version."""
    return import_master(SAMPLE_WARD, sample_csv_paths(), db_path)


if __name__ == "__main__":
    default = Path(str(resources.files("kiosk.forms.data")))
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    for p in write_sample_csvs(target):
        sys.stdout.write(f"{p}\n")
