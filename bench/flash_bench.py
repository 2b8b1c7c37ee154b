"""Flash-tool throughput: write + read-back verify + boot-partition files, against a baseline
(copy the image and hash it once) measured in the same run. Prints MiB/s and the ratio.

    .venv/bin/python bench/flash_bench.py [SIZE_MIB]
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.tech.flash import FlashRequest, flash  # noqa: E402
from tests.integration.appliance import synthetic_image  # noqa: E402


def main() -> None:
    size_mib = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    synthetic_image.ROOT_MIB = size_mib
    si = synthetic_image
    si.IMAGE_MIB = si.BOOT_START_MIB + si.BOOT_MIB + size_mib + 1
    with tempfile.TemporaryDirectory(prefix="flash-bench-") as tmp:
        d = Path(tmp)
        image = synthetic_image.make_image(d)
        site = synthetic_image.make_site(d)
        mib = image.stat().st_size / 2**20

        t0 = time.perf_counter()
        shutil.copyfile(image, d / "baseline.img")
        with open(d / "baseline.img", "rb") as fh:
            os.fsync(fh.fileno())
        hashlib.sha256((d / "baseline.img").read_bytes()).hexdigest()
        baseline = time.perf_counter() - t0

        devnull = open(os.devnull, "w")  # noqa: SIM115 - silence the progress bar
        stderr, sys.stderr = sys.stderr, devnull
        try:
            t0 = time.perf_counter()
            flash(FlashRequest(image, str(d / "card.img"), site, "kiosk-001", assume_yes=True))
            tool = time.perf_counter() - t0
        finally:
            sys.stderr = stderr
            devnull.close()
    print(f"image {mib:.0f} MiB")
    print(f"baseline copy+fsync+hash: {baseline:.2f} s ({mib / baseline:.0f} MiB/s)")
    print(f"flash (check+write+verify+config): {tool:.2f} s ({mib / tool:.0f} MiB/s)")
    print(f"ratio flash/baseline: {tool / baseline:.2f}")


if __name__ == "__main__":
    main()
