"""``python -m kiosk.forms render`` / ``decode`` as a user runs them (subprocesses, real files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from kiosk.forms.keys import private_key_pem, public_key_pem
from tests.integration.paper.helpers import EXAMPLES, GOLDEN_KEY, REPO, example_filings


def run(*args: str) -> tuple[int, dict[str, object], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk.forms", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("render")
    rc, doc, _ = run(
        "render", "--filing", str(EXAMPLES / "move_in_6_members.json"), "--out", str(out)
    )
    assert rc == 0
    return out, doc


def test_render_writes_three_files_and_reports_id_and_qr_sizes(
    rendered: tuple[Path, dict[str, object]],
) -> None:
    out, doc = rendered
    assert doc["filing_id"] == example_filings()["move_in_6_members"].id
    qr = doc["qr"]
    assert isinstance(qr, list) and qr and all(q["chars"] > 100 for q in qr)
    for name in ("receipt.png", "receipt.escpos", "form.pdf", "kiosk.pub.pem"):
        assert (out / name).stat().st_size > 0, name
    with Image.open(out / "receipt.png") as png:
        assert png.width == 576
    escpos = (out / "receipt.escpos").read_bytes()
    assert escpos.startswith(b"\x1b@") and escpos.endswith(b"\x1dV\x00")
    assert (out / "form.pdf").read_bytes().startswith(b"%PDF-")


def test_decode_with_the_written_public_key_is_valid(
    rendered: tuple[Path, dict[str, object]],
) -> None:
    out, doc = rendered
    rc, dec, _ = run("decode", str(out / "receipt.png"), "--trust", str(out / "kiosk.pub.pem"))
    assert rc == 0
    assert dec["signature"] == "valid" and dec["filing_id"] == doc["filing_id"]
    source = json.loads((EXAMPLES / "move_in_6_members.json").read_text(encoding="utf-8"))
    assert dec["filing"] == source


def test_decode_without_trust_is_unchecked_and_with_another_key_invalid(
    rendered: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    out, _ = rendered
    rc, dec, _ = run("decode", str(out / "receipt.png"))
    assert rc == 0 and dec["signature"] == "unchecked"
    other = tmp_path / "other.pub.pem"
    other.write_bytes(public_key_pem(GOLDEN_KEY.public_key()))
    rc, dec, _ = run("decode", str(out / "receipt.png"), "--trust", str(other))
    assert rc == 0 and dec["signature"] == "invalid" and dec["signature_detail"] == "unknown_key"


def test_render_with_a_key_file_signs_with_that_key(tmp_path: Path) -> None:
    key = tmp_path / "device.pem"
    key.write_bytes(private_key_pem(GOLDEN_KEY))
    pub = tmp_path / "device.pub.pem"
    pub.write_bytes(public_key_pem(GOLDEN_KEY.public_key()))
    out = tmp_path / "out"
    filing = EXAMPLES / "move_out.json"
    rc, doc, _ = run("render", "--filing", str(filing), "--out", str(out), "--key", str(key))
    assert rc == 0 and "public_key" not in doc and not (out / "kiosk.pub.pem").exists()
    rc, dec, _ = run("decode", str(out / "receipt.png"), "--trust", str(pub))
    assert dec["signature"] == "valid"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["render", "--filing", "/nonexistent.json", "--out", "{tmp}"], "file_not_found"),
        (["render", "--filing", "{tmp}/bad.json", "--out", "{tmp}"], "filing_format"),
        (["render", "--filing", "{ex}", "--out", "{tmp}", "--key", "{tmp}/bad.json"], "key_file"),
        (["decode", "{tmp}/bad.json"], "image_unreadable"),
        (["decode", "{tmp}/blank.png"], "no_code_found"),
        (["decode", "/nonexistent.png"], "file_not_found"),
    ],
)
def test_bad_input_gives_a_json_error_and_exit_2(
    args: list[str], code: str, tmp_path: Path
) -> None:
    (tmp_path / "bad.json").write_text('{"format": 1, "id": 5}', encoding="utf-8")
    Image.new("1", (200, 200), 255).save(tmp_path / "blank.png")
    ex = str(EXAMPLES / "move_out.json")
    rc, doc, _ = run(*[a.replace("{tmp}", str(tmp_path)).replace("{ex}", ex) for a in args])
    assert rc == 2
    error = doc["error"]
    assert isinstance(error, dict) and error["code"] == code and error["message"]


def test_decode_gathers_parts_from_several_images_in_any_order(tmp_path: Path) -> None:
    from kiosk.forms.payload import encode_payload
    from kiosk.forms.render.qr import make_qr

    filing = example_filings()["move_in_6_members"]
    parts = encode_payload(filing, kiosk_id="k", private_key=GOLDEN_KEY, max_part_chars=400)
    assert len(parts) >= 3
    paths = []
    for i, part in enumerate(reversed(parts)):
        path = tmp_path / f"code-{i}.png"
        make_qr(part, max_width_dots=576).image.save(path)
        paths.append(str(path))
    trust = tmp_path / "k.pub.pem"
    trust.write_bytes(public_key_pem(GOLDEN_KEY.public_key()))
    rc, doc, _ = run("decode", *paths, "--trust", str(trust))
    assert rc == 0 and doc["signature"] == "valid" and doc["codes_read"] == len(parts)
    rc, doc, _ = run("decode", *paths[:-1], "--trust", str(trust))
    assert rc == 2 and doc["error"]["code"] == "payload_invalid:incomplete"  # type: ignore[index]
