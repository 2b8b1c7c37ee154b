"""Typed errors of the technician tool; ``code`` is stable, the message says what to do."""

from __future__ import annotations

from kiosk.errors import KioskError


class TechError(KioskError):
    """A technician command could not do its job; nothing unsafe was done."""

    code = "tech_error"


class SiteConfigError(TechError):
    """The site file is missing or invalid."""

    code = "site_config_invalid"

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"site file {path}: {problem}")
        self.path = path
        self.problem = problem


class ImageError(TechError):
    """The image is missing, damaged or does not have the kiosk's layout."""

    code = "image_invalid"


class ChecksumMismatchError(ImageError):
    """The image's SHA-256 differs from the .sha256 file next to it."""

    code = "image_checksum_mismatch"

    def __init__(self, path: str, expected: str, actual: str) -> None:
        super().__init__(
            f"{path}: SHA-256 is {actual[:16]}…, the .sha256 file says {expected[:16]}…"
        )
        self.expected = expected
        self.actual = actual


class TargetRefusedError(TechError):
    """The target device must not be written (system disk, mounted, too big, not removable)."""

    code = "target_refused"

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"refusing to write {target}: {reason}")
        self.target = target
        self.reason = reason


class VerifyError(TechError):
    """What was read back differs from what was written."""

    code = "verify_failed"


class ProvisioningError(TechError):
    """First-boot provisioning failed (bad files on the boot partition, enrolment refused)."""

    code = "provisioning_failed"


class WriteFailedError(TechError):
    """The card refused the image part-way (read-only, full, I/O error); flash it again."""

    code = "write_failed"

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"writing {target} failed: {reason}; flash the card again or use another")
        self.target = target
        self.reason = reason
