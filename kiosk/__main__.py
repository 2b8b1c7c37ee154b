"""``python -m kiosk`` runs the kiosk UI; ``python -m kiosk demo [--script FILE …]`` the demo."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("kiosk")

DEMO_KEYS = {
    282: ("card", "yamada"),  # F1
    283: ("card", "yamada_hanako"),  # F2
    284: ("card", "yamada_ken"),  # F3
    285: ("card", "tanaka_last_try"),  # F4
    286: ("card", "other"),  # F5
    287: ("remove", ""),  # F6
    288: ("paper", ""),  # F7
    289: ("reader", ""),  # F8
}


def _configure_kivy(size: tuple[int, int], *, fullscreen: bool, maxfps: int = 60) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kivy.config import Config

    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "maxfps", str(maxfps))
    # a flat touch UI needs no MSAA; multisampled buffers cost ~30 MB at 1280x800 (and EGL
    # config failures on some Pi GPUs)
    Config.set("graphics", "multisamples", "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")


def build_parser() -> argparse.ArgumentParser:
    """Command line of ``python -m kiosk``."""
    parser = argparse.ArgumentParser(prog="python -m kiosk", description=__doc__)
    parser.add_argument("--config", type=Path, help="kiosk.toml (default /etc/kiosk/kiosk.toml)")
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="the app on simulated devices")
    demo.add_argument("--script", type=Path, action="append", help="play a scripted visit")
    demo.add_argument("--screenshots", type=Path, help="save a PNG of every screen here")
    demo.add_argument("--languages", help="comma-separated language codes to play each script in")
    demo.add_argument(
        "--gallery",
        help="comma-separated language codes: show every screen the scripts reach in each",
    )
    demo.add_argument("--reader", choices=("auto", "pcsc", "sim"), default="auto")
    demo.add_argument("--out", type=Path, help="folder for state and printed files")
    demo.add_argument("--portrait", action="store_true", help="800x1280")
    demo.add_argument(
        "--intake",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run a local intake + sender (default: on, off with --script)",
    )
    demo.add_argument("--summary", type=Path, help="write the run summary (JSON) here")
    demo.add_argument("--idle-warning", type=float, default=60.0)
    demo.add_argument("--idle-reset", type=float, default=90.0)
    demo.add_argument(
        "--maxfps",
        type=int,
        default=60,
        help="frames a second at most (0: as fast as the machine draws, for scripted visits)",
    )
    demo.add_argument(
        "--exit-when-ready", action="store_true", help="print 'ready' and exit (start-up bench)"
    )
    return parser


def run_production(config_path: Path | None) -> int:
    """The kiosk UI with the devices and settings from the configuration."""
    from kiosk.config import load_config

    config = load_config(config_path)
    _configure_kivy(config.size, fullscreen=True)
    from kiosk.i18n.ward import use_ward

    use_ward(config.ward)  # the catalogs' word; the render child fills the printed labels
    from kiosk.app import KioskApp, clock_post
    from kiosk.app_faults import journal_excepthook
    from kiosk.flows.assembly import assemble
    from kiosk.flows.core import FlowSettings
    from kiosk.flows.readers import CardReader, PcscReader, SimulatedReader
    from kiosk.forms.paths import default_master_path
    from kiosk.hardware.hotplug.monitor import default_source, start_tracking
    from kiosk.hardware.printer.factory import open_printer
    from server_sync.config import load_settings

    sys.excepthook = journal_excepthook  # a stop's journal lines name places, never a message

    def build() -> Any:
        reader: CardReader = (
            SimulatedReader() if config.reader == "sim" else PcscReader(config.reader_name or None)
        )
        trust_dir = Path(config.trust_dir) if config.trust_dir else None
        return assemble(
            reader=reader,
            printer=open_printer(config.printer),
            master_path=Path(config.master_path) if config.master_path else default_master_path(),
            sync=load_settings(),
            post=clock_post,
            settings=_flow_settings(config, FlowSettings),
            trust=(lambda: _load_trust(trust_dir)) if trust_dir else None,
            voice=_voice_settings(config),
        )

    try:
        kiosk = build()
    except Exception as err:
        # an unprovisioned or misconfigured stand: out of service until it can start, not a
        # crash loop (systemd would restart us again and again and finally reboot the stand)
        from kiosk.not_ready import NotReady, run_not_ready

        return run_not_ready(
            NotReady.from_error(err), lambda: build().stop(), counter=config.counter
        )
    tracker = start_tracking(default_source())
    KioskApp(kiosk, config, tracker=tracker).run()
    return 0


def _load_trust(folder: Path) -> Any:
    """The JPKI / J-LIS trust anchors (loaded on the card thread at the first card)."""
    from kiosk.hardware.card.trust import TrustStore

    return TrustStore.load(folder)


def _voice_settings(config: Any) -> Any:
    from kiosk.flows.voice import VoiceSettings

    prompts = Path(config.voice_prompts) if config.voice_prompts else None
    return VoiceSettings(enabled=config.voice, prompts_dir=prompts, player=config.voice_player)


def _flow_settings(config: Any, cls: Any) -> Any:
    return cls(
        counter=config.counter,
        card_removal_ends_visit=config.card_removal_ends_visit,
        card_removed_wipe_s=config.card_removed_wipe_s,
        default_language=config.language,
        seal_card_binding_enabled=config.seal_card_binding_enabled,
        honseki_registration_enabled=config.honseki_registration_enabled,
    )


def run_demo(args: argparse.Namespace) -> int:
    """The demo app; with ``--script`` a headless scripted visit that exits with its verdict."""
    from kiosk.config import load_config

    config = load_config(
        Path("/nonexistent"),
        environ={},
        reader="sim",
        orientation="portrait" if args.portrait else "landscape",
        idle_warning_s=args.idle_warning,
        idle_reset_s=args.idle_reset,
    )
    _configure_kivy(config.size, fullscreen=False, maxfps=args.maxfps)
    from kiosk.i18n.ward import use_ward

    use_ward(config.ward)  # the catalogs' word; the render child fills the printed labels
    import tempfile

    from kivy.core.window import Window

    from kiosk.app import KioskApp, clock_post
    from kiosk.demo.environment import DemoEnvironment
    from kiosk.flows.assembly import assemble
    from kiosk.flows.core import FlowSettings
    from kiosk.hardware.printer.memory import PAPER_OUT, READY

    out = args.out or Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    with_intake = args.intake if args.intake is not None else not args.script
    from kiosk.demo.environment import PcscUnavailableError

    try:
        env = DemoEnvironment(out, reader_mode=args.reader, with_intake=with_intake)
    except PcscUnavailableError as err:
        print(f"demo: --reader pcsc is not possible here: {err} [{err.code}]", file=sys.stderr)
        return 2
    print(f"demo: {env.cards.description}", flush=True)
    kiosk = assemble(
        reader=env.cards.reader(),
        printer=env.printer,
        master_path=env.master_path,
        sync=env.sync,
        post=clock_post,
        settings=_flow_settings(config, FlowSettings),
        archive_dir=env.print_dir,
    )
    outcome: dict[str, Any] = {}

    def finished(result: Any) -> None:
        outcome["result"] = result
        app.stop()

    def started(app: KioskApp) -> None:
        if args.exit_when_ready:
            from kiosk.memory import status_mb

            print("ready", flush=True)
            # the welcome screen's memory (bench/app_visit.py, against a bare window)
            print(f"memory {status_mb('VmRSS')} {status_mb('RssAnon')}", flush=True)
            app.stop()
            return
        if args.script:
            from kiosk.demo.script import ScriptRunner, VisitScript

            scripts = [VisitScript.load(p) for p in args.script]
            languages = args.languages.split(",") if args.languages else None
            gallery = args.gallery.split(",") if args.gallery else None
            ScriptRunner(
                app, env, scripts, args.screenshots, finished, languages=languages, gallery=gallery
            ).start()

    app = KioskApp(kiosk, config, tracker=env.tracker, on_started=started)
    if not args.script and not args.exit_when_ready:
        state = {"paper": False, "reader": False}

        def on_key(_window: Any, key: int, *_rest: Any) -> bool:
            action, name = DEMO_KEYS.get(key, ("", ""))
            if action == "card":
                env.cards.insert(name)
            elif action == "remove":
                env.cards.remove()
            elif action == "paper":
                state["paper"] = not state["paper"]
                env.printer.set_state(PAPER_OUT if state["paper"] else READY)
            elif action == "reader":
                state["reader"] = not state["reader"]
                (env.unplug if state["reader"] else env.replug)("reader")
            return bool(action)

        Window.bind(on_key_down=on_key)
        print(f"demo: state and printed forms in {out}")
        print("keys: F1-F3 山田 household cards, F4 last-try card, F5 other card, F6 remove,")
        print("      F7 paper out on/off, F8 unplug/replug the reader; staff PIN 0000")
    try:
        app.run()
        result = outcome.get("result")
        if args.script and env.intake is not None and (result is None or result.failure):
            print(env.intake.log_tails(), file=sys.stderr)  # what the sender and intake saw
    finally:
        env.close()
    if result is None:
        if args.script:
            print("demo: the app stopped before the scripted visit finished", file=sys.stderr)
        return 0 if not args.script else 1
    from kiosk.demo.script import touches_by_screen
    from kiosk.memory import status_mb

    summary = {
        "touches": result.touches,
        "touches_by_screen": touches_by_screen(result.touch_screens),
        "screens": result.screens,
        "rss_mb_by_screen": result.rss_mb,
        "screenshots": len(result.screenshots),
        "overflow": result.overflow,
        "failure": result.failure,
        "reader": env.cards.mode,
        "printed_jobs": len(env.printer.jobs),
        # VmHWM, not getrusage: ru_maxrss survives exec and would report the parent's peak
        "max_rss_mb": status_mb("VmHWM"),
        "steady_rss_mb": result.steady_rss_mb,
        "steady_rss_anon_mb": result.steady_rss_anon_mb,
        "end_rss_mb": status_mb("VmRSS"),
    }
    text = json.dumps(summary, ensure_ascii=False, indent=2)
    if args.summary:
        args.summary.write_text(text, encoding="utf-8")
    print(text)
    return 1 if result.failure else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    logging.getLogger("kiosk").setLevel(logging.INFO)
    logging.getLogger("escpos").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        return run_demo(args)
    return run_production(args.config)


if __name__ == "__main__":
    sys.exit(main())
