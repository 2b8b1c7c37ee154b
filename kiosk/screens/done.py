"""Done: "take your card" (repeated while it lies on the reader), "take this form to counter N"."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image

from kiosk.forms.render.qr import make_qr
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import KLabel

BLINK_S = 0.8
#: the 受付番号 on screen when the paper failed: this much larger than the title
NUMBER_SCALE = 1.8
QR_DP = 220
QR_DOTS_PER_MODULE = 8
RECEIPT_NO = N_("Reception number (受付番号)")
NO_PAPER = N_("No paper was printed. Show this number at counter {counter}.")
NO_PAPER_QR = N_("The counter can also scan this code. Your filing has been received.")
#: once the card is off the reader, the visit ends by itself after this many seconds
AUTO_FINISH_S = 8.0


class DoneScreen(KioskScreen):
    """The last screen of a visit."""

    show_stop = False

    def build_body(self) -> None:
        """Card reminder, counter, finish."""
        self.on_leave()  # a refresh must not leave a second reminder or finish timer behind
        flow = self.flow
        self._card_label = self.text(self._("Please take your card."))
        counter = flow.settings.counter
        state = flow.printing.state
        if state.no_paper and state.receipt_number:
            self.no_paper(state.receipt_number, state.qr_text, counter)
            self.footer_button("done_finish", self._("Finish"), flow.finish)  # below the QR
        else:
            self.text(self._("Take this form to counter {counter}.").format(counter=counter))
            self.button("done_finish", self._("Finish"), flow.finish)
        self._finishing: Any = None
        self._blink: Any = Clock.schedule_interval(self._remind, BLINK_S)

    def no_paper(self, number: str, qr_text: str, counter: str) -> None:
        """The short 受付番号 large, the filing's QR beside it once the outbox holds it."""
        self.text(self._(NO_PAPER).format(counter=counter))
        row = BoxLayout(size_hint_y=None, height=dp(QR_DP), spacing=dp(24))
        self.ids.body.add_widget(row)
        words = BoxLayout(orientation="vertical", spacing=dp(8))
        row.add_widget(words)
        self.text(self._(RECEIPT_NO), parent=words)
        label: KLabel = self.text(number, data=True, parent=words)
        label.font_size = self.app.title_px * NUMBER_SCALE
        self.widgets["receipt_number"] = label
        if not qr_text:
            return
        self.text(self._(NO_PAPER_QR), parent=words)
        code = make_qr(qr_text, max_width_dots=10_000, dots_per_module=QR_DOTS_PER_MODULE)
        rgb = code.image.convert("RGB")
        texture = Texture.create(size=rgb.size, colorfmt="rgb")
        texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        texture.flip_vertical()
        texture.mag_filter = "nearest"
        image = Image(texture=texture, size_hint_x=None, width=dp(QR_DP), fit_mode="contain")
        row.add_widget(image)
        self.widgets["receipt_qr"] = image

    def _remind(self, _dt: float) -> None:
        if self.flow.card.card_present:
            # blinks between two colours that both keep ≥ 4.5:1 (a faded text would not)
            app = self.app
            plain = list(self._card_label.color) == list(app.fg)  # type: ignore[attr-defined]
            self._card_label.color = app.accent if plain else app.fg  # type: ignore[attr-defined]
        else:
            self._card_label.color = self.app.fg  # type: ignore[attr-defined]
            self._card_label.text = self.show(self._("Thank you. Your card has been taken."))
            if self._finishing is None:
                self._finishing = Clock.schedule_once(lambda _dt: self.flow.finish(), AUTO_FINISH_S)

    def on_leave(self, *_args: object) -> None:
        """Stop reminding."""
        if getattr(self, "_blink", None) is not None:
            self._blink.cancel()
            self._blink = None
        if getattr(self, "_finishing", None) is not None:
            self._finishing.cancel()
            self._finishing = None


SCREEN = DoneScreen
