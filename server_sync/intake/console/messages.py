"""Error details for clerks in Japanese first, with the English original kept apart.

Errors carry their detail as written where they are raised: Japanese with an English gloss in
parentheses (``コードが空です (empty scan)``) or English only (``no such filing``). Pages show the
Japanese text, and the English beside it marked ``lang="en"`` so a screen reader switches voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ConsoleError

#: English-only details raised in the console, in Japanese
DETAIL_JA: dict[str, str] = {
    "no such filing": "該当する届出がありません",
    "no such filing (not posted, not scanned in this session)": (
        "該当する届出がありません（送信されておらず、この画面でも読み取られていません）"
    ),
    "missing or wrong CSRF token; reload the page": (
        "操作の確認情報が無効です。ページを再読み込みしてください"
    ),
    "cross-site request refused": "別のサイトからの操作は受け付けられません",
    "login form expired; reload the page": (
        "ログイン画面の有効期限が切れました。ページを再読み込みしてください"
    ),
    "form too large": "入力が大きすぎます",
    "expected an HTML form (application/x-www-form-urlencoded)": "画面の入力欄から送信してください",
    "malformed form data": "入力データの形式が正しくありません",
    "wrong username or password": "ユーザー名またはパスワードが違います",
    "too many failed logins; wait and try again": (
        "失敗が続いたため一時的にログインできません。しばらく待ってください"
    ),
    "too many failed logins from here; wait and try again": (
        "この端末からの失敗が続いたため、しばらく待ってから再度ログインしてください"
    ),
    "too many failed logins for this name; wait": (
        "このユーザー名での失敗が続いたため、しばらく待ってください"
    ),
    "the login service is busy; try again shortly": (
        "ログイン処理が混み合っています。少し待ってから再度お試しください"
    ),
    "login required": "ログインしてください",
}
#: when a detail is neither Japanese nor known: a Japanese sentence per error code
CODE_JA: dict[str, str] = {
    "csrf_failed": "操作を受け付けられません。ページを再読み込みしてください",
    "bad_input": "入力が正しくありません",
    "bad_scan": "QRコードを解読できません",
    "not_found": "該当する届出がありません",
    "action_refused": "この操作はできません",
    "login_failed": "ユーザー名またはパスワードが違います",
    "login_throttled": "一時的にログインできません",
    "forbidden": "この操作の権限がありません",
}
FALLBACK_JA = "処理できませんでした"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_GLOSS = re.compile(r"^(?P<ja>.*?)\s*[(（](?P<en>[\x20-\x7e]+)[)）]\s*$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Detail:
    """An error detail as Japanese text plus the English original ('' when there is none)."""

    ja: str
    en: str

    @property
    def text(self) -> str:
        """One line for places without markup (the scan script's status line)."""
        return f"{self.ja} ({self.en})" if self.en else self.ja


def split_detail(code: str, detail: str) -> Detail:
    """``"JA (en)"`` → (JA, en); English-only → (its translation or the code's text, English)."""
    detail = detail.strip()
    if _JAPANESE.search(detail):
        glossed = _GLOSS.match(detail)
        if glossed and _JAPANESE.search(glossed.group("ja")):
            return Detail(glossed.group("ja"), glossed.group("en"))
        return Detail(detail, "")
    known = DETAIL_JA.get(detail)
    if known is not None:
        return Detail(known, detail)
    return Detail(CODE_JA.get(code, FALLBACK_JA), detail)


def error_detail(err: ConsoleError) -> Detail:
    """The Japanese-first detail of a typed console error."""
    return split_detail(err.code, err.detail)
