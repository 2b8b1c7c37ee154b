"""Benchmark: barcode payload size/speed and address lookups, against same-run baselines.

Run: .venv/bin/python bench/forms_payload.py
Baselines: canonical JSON bytes (size) and json.dumps + zlib (time) for the payload; a full
scan of the machiaza table in Python for the prefix lookup.
"""

from __future__ import annotations

import tempfile
import time
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.forms.codec import canonical_bytes, filing_from_json
from kiosk.forms.master import AddressMaster
from kiosk.forms.master.kana import search_key
from kiosk.forms.master.sample_data import build_sample_master
from kiosk.forms.payload import decode_payload, encode_binary, encode_payload

ROUNDS = 200
EXAMPLES = sorted(Path(__file__).resolve().parent.parent.glob("examples/filings/*.json"))


def _time(fn: object, rounds: int = ROUNDS) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - start) / rounds * 1000


def main() -> None:
    key = Ed25519PrivateKey.generate()
    trusted = [key.public_key()]
    print(
        "example                           json_B  base64zlib_chars  payload_B  qr_chars  "
        "ratio_vs_json  encode_ms  decode_ms  json+zlib_ms"
    )
    for path in EXAMPLES:
        filing = filing_from_json(path.read_text(encoding="utf-8"))
        canon = canonical_bytes(filing)
        naive_chars = len(zlib.compress(canon, 9)) * 4 // 3
        binary = encode_binary(filing, kiosk_id="bench", private_key=key)
        parts = encode_payload(filing, kiosk_id="bench", private_key=key)
        enc = _time(lambda f=filing: encode_payload(f, kiosk_id="bench", private_key=key))
        dec = _time(lambda p=parts: decode_payload(p, trusted_keys=trusted))
        base = _time(lambda f=filing: zlib.compress(canonical_bytes(f), 9))
        print(
            f"{path.stem:32s} {len(canon):6d}  {naive_chars:16d}  {len(binary):9d}  "
            f"{sum(map(len, parts)):8d}  {len(binary) / len(canon):13.2f}  {enc:9.3f}  "
            f"{dec:9.3f}  {base:12.3f}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.sqlite"
        t0 = time.perf_counter()
        build_sample_master(db)
        print(f"sample master import: {(time.perf_counter() - t0) * 1000:.1f} ms")
        with AddressMaster.open(db) as m:
            rows = [(r.name, r.kana) for t in m.towns("") for r in m.chome(t.name)]
            prefixes = ["し", "いちがや", "ニシ", "北", "た"]

            def indexed() -> None:
                for p in prefixes:
                    m.towns(p)

            def scan() -> None:
                for p in prefixes:
                    k = search_key(p)
                    sorted(
                        {n for n, kana in rows if search_key(n).startswith(k) or kana.startswith(k)}
                    )

            ti, ts = _time(indexed), _time(scan)
            print(
                f"town prefix lookup: {ti / len(prefixes):.4f} ms/lookup (sqlite index) vs "
                f"{ts / len(prefixes):.4f} ms/lookup (python scan of {len(rows)} rows), "
                f"ratio {ti / ts:.2f}"
            )


if __name__ == "__main__":
    main()
