"""The stand's self-check for staff: every check of ``kiosk.tech diagnose`` with a plain remedy.

Each line says its state in words and a mark (never colour alone); a problem is shown in the one
error style with what to do.
"""

from __future__ import annotations

from kiosk.screens.base import KioskScreen

#: a mark per check state (with the word: the state is never told by colour alone)
MARKS = {"ok": "○", "warn": "△", "fail": "×", "unavailable": "－"}


class DiagnoseScreen(KioskScreen):
    """Running…, then one line per check; problems with their remedy."""

    show_stop = False

    def build_body(self) -> None:
        """Summary, checks, run again / back."""
        diagnosis = self.app.staff_panel.diagnosis
        words = {
            "ok": self._("OK"),
            "warn": self._("Warning"),
            "fail": self._("Problem"),
            "unavailable": self._("Not checked here"),
        }
        if diagnosis.running:
            self.hint(self._("Checking the stand…"))
        else:
            results = diagnosis.results
            failed = sum(r.status.value == "fail" for r in results)
            warned = sum(r.status.value == "warn" for r in results)
            if not results:
                self.hint(self._("The check could not run. Try again."))
            elif failed or warned:
                self.hint(
                    self._("{failed} problem(s), {warned} warning(s)").format(
                        failed=failed, warned=warned
                    )
                )
            else:
                self.hint(self._("All checks passed"))
            for index, result in enumerate(results):
                state = result.status.value
                line = f"{MARKS.get(state, '?')} {words.get(state, state)} — {result.name}"
                if state == "fail":
                    todo = result.remedy or self._("Call the maintainer.")
                    self.error(f"{line}: {result.detail}", todo, kiosk_id=f"dg_{index}")
                    continue
                label = self.text(f"{line}: {result.detail}", data=True)
                if state == "warn" and result.remedy:
                    label.text = self.show(f"{line}: {result.detail}\n→ {result.remedy}")
        panel = self.app.staff_panel
        self.footer_button("dg_again", self._("Check again"), panel.diagnose, role="chip")
        self.footer_button("dg_back", self._("Back"), self.flow.staff.close_diagnose)


SCREEN = DiagnoseScreen
