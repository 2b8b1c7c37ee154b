"""An independent decoder of the ESC/POS subset our jobs use, back into a 1-bit image.

Understands ESC @, ESC a, ESC 2/3, ESC d, LF, GS v 0 (raster bit image), GS ( L (store + print
graphics), GS V (cut) and DLE EOT. Anything else is refused with its offset, so a test can tell when
the encoder starts emitting commands nobody checked. It is the fallback for emupos (which needs
Python 3.13) and what the folder printer uses to picture each job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from kiosk.hardware.printer.errors import PrinterError

ESC = 0x1B
GS = 0x1D
DLE = 0x10
LF = 0x0A
DEFAULT_LINE_SPACING_DOTS = 30
_INVERT = bytes(255 - i for i in range(256))


class EscposDecodeError(PrinterError):
    """The bytes contain a command this decoder does not know, or are truncated."""

    code = "escpos_decode"

    def __init__(self, offset: int, problem: str) -> None:
        super().__init__(f"ESC/POS decode at byte {offset}: {problem}")
        self.offset = offset
        self.problem = problem


@dataclass(slots=True)
class DecodedJob:
    """What a job would put on paper: the picture, and how often (and how) it cut."""

    image: Image.Image
    cuts: list[str] = field(default_factory=list)
    initialised: bool = False
    raster_blocks: int = 0


@dataclass(slots=True)
class _Paper:
    width: int
    strips: list[tuple[int, Image.Image]] = field(default_factory=list)
    y: int = 0

    def block(self, img: Image.Image, align: int) -> None:
        x = {0: 0, 1: (self.width - img.width) // 2, 2: self.width - img.width}.get(align, 0)
        strip = Image.new("1", (self.width, img.height), 255)
        strip.paste(img, (max(0, x), 0))
        self.strips.append((self.y, strip))
        self.y += img.height

    def render(self) -> Image.Image:
        canvas = Image.new("1", (self.width, max(self.y, 1)), 255)
        for top, strip in self.strips:
            canvas.paste(strip, (0, top))
        return canvas


def _raster_image(width_dots: int, height: int, data: bytes) -> Image.Image:
    """ESC/POS raster bits (1 = black, MSB left) → a PIL mode "1" image (1 = white)."""
    return Image.frombytes("1", (width_dots, height), data.translate(_INVERT))


def _need(data: bytes, pos: int, n: int) -> None:
    if pos + n > len(data):
        raise EscposDecodeError(pos, f"truncated: need {n} bytes")


def decode_job(data: bytes, width_dots: int) -> DecodedJob:
    """Decode one job's bytes into the image a printer of ``width_dots`` would print."""
    paper = _Paper(width_dots)
    job = DecodedJob(image=Image.new("1", (width_dots, 1), 255))
    align = 0
    spacing = DEFAULT_LINE_SPACING_DOTS
    graphics: Image.Image | None = None
    pos = 0
    n = len(data)
    while pos < n:
        b = data[pos]
        if b == LF:
            paper.y += spacing
            pos += 1
        elif b == ESC:
            _need(data, pos, 2)
            c = data[pos + 1]
            if c == ord("@"):
                job.initialised = True
                align, spacing = 0, DEFAULT_LINE_SPACING_DOTS
                pos += 2
            elif c == ord("2"):
                spacing = DEFAULT_LINE_SPACING_DOTS
                pos += 2
            elif c in (ord("a"), ord("3"), ord("d")):
                _need(data, pos, 3)
                arg = data[pos + 2]
                if c == ord("a"):
                    align = arg % 48 if arg >= 48 else arg
                elif c == ord("3"):
                    spacing = arg
                else:
                    paper.y += arg * spacing
                pos += 3
            else:
                raise EscposDecodeError(pos, f"unknown ESC 0x{c:02x}")
        elif b == GS:
            _need(data, pos, 2)
            c = data[pos + 1]
            if c == ord("v"):
                _need(data, pos, 8)
                if data[pos + 2] not in (0x00, 0x30):
                    raise EscposDecodeError(pos, "GS v: only 'GS v 0' is known")
                if data[pos + 3] not in (0, 48):
                    raise EscposDecodeError(pos, "GS v 0: only normal density is known")
                xbytes = data[pos + 4] | data[pos + 5] << 8
                height = data[pos + 6] | data[pos + 7] << 8
                size = xbytes * height
                _need(data, pos + 8, size)
                paper.block(
                    _raster_image(xbytes * 8, height, data[pos + 8 : pos + 8 + size]), align
                )
                job.raster_blocks += 1
                pos += 8 + size
            elif c == ord("("):
                _need(data, pos, 5)
                if data[pos + 2] != ord("L"):
                    raise EscposDecodeError(pos, f"unknown GS ( {chr(data[pos + 2])!r}")
                length = data[pos + 3] | data[pos + 4] << 8
                _need(data, pos + 5, length)
                body = data[pos + 5 : pos + 5 + length]
                graphics = _graphics(pos, body, graphics)
                if graphics is not None and body[1:2] == b"2":
                    paper.block(graphics, align)
                    job.raster_blocks += 1
                    graphics = None
                pos += 5 + length
            elif c == ord("V"):
                _need(data, pos, 3)
                m = data[pos + 2]
                if m in (0, 48, 1, 49):
                    job.cuts.append("full" if m in (0, 48) else "partial")
                    pos += 3
                elif m in (65, 66):
                    _need(data, pos, 4)
                    paper.y += data[pos + 3]
                    job.cuts.append("full" if m == 65 else "partial")
                    pos += 4
                else:
                    raise EscposDecodeError(pos, f"unknown GS V mode {m}")
            else:
                raise EscposDecodeError(pos, f"unknown GS 0x{c:02x}")
        elif b == DLE:
            _need(data, pos, 3)
            pos += 3  # real-time status request: prints nothing
        else:
            raise EscposDecodeError(pos, f"unexpected byte 0x{b:02x} (text is not used)")
    job.image = paper.render()
    return job


def _graphics(pos: int, body: bytes, stored: Image.Image | None) -> Image.Image | None:
    """GS ( L: function 112 stores a raster graphic, function 50 prints the stored one."""
    if len(body) < 2 or body[0] != 0x30:
        raise EscposDecodeError(pos, "GS ( L: unknown m")
    fn = body[1]
    if fn == 0x32:
        return stored
    if fn != 0x70:
        raise EscposDecodeError(pos, f"GS ( L: unknown function {fn}")
    if len(body) < 10 or body[5] != 0x31:
        raise EscposDecodeError(pos, "GS ( L fn 112: only monochrome is known")
    width = body[6] | body[7] << 8
    height = body[8] | body[9] << 8
    raster = body[10:]
    if len(raster) != (width + 7) // 8 * height:
        raise EscposDecodeError(pos, "GS ( L fn 112: data size does not match")
    return _raster_image((width + 7) // 8 * 8, height, raster).crop((0, 0, width, height))
