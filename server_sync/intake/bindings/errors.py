"""Typed errors of the binding and CRL commands (each carries what was refused)."""

from __future__ import annotations


class BindingError(Exception):
    """A binding or CRL operation was refused; nothing was written."""

    code = "binding_refused"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadCertificateError(BindingError):
    """The input is not a readable X.509 certificate."""

    code = "bad_certificate"


class UntrustedCertificateError(BindingError):
    """The certificate does not chain to a configured JPKI root (or is outside its validity)."""

    code = "untrusted_certificate"


class BindingConflictError(BindingError):
    """The certificate already has an active binding, or the binding is not active."""

    code = "binding_conflict"


class BadBindingInputError(BindingError):
    """A 宛名番号 / 印鑑登録番号 / reason that is missing or malformed."""

    code = "bad_input"


class CrlRefusedError(BindingError):
    """The CRL is unreadable, not signed by a trust anchor, or older than the stored one."""

    code = "crl_refused"
