"""Draw the integration's brand images into custom_components/ev_charger_cloud/brand/.

The mark is a cloud with a lightning bolt striking out of it, in one flat blue that
reads on light and dark backgrounds alike; the logo puts the words "EV Charger Cloud"
beside it. Each design is drawn from vector shapes once, at 4x the @2x size, then
scaled down with LANCZOS to @2x and 1x: anti-aliased, and identical on every run.

Usage: .venv/bin/python scripts/draw_brand.py [OUTPUT_DIR]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
import sys

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
BRAND_DIR = ROOT / "custom_components" / "ev_charger_cloud" / "brand"
FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

BLUE = (30, 136, 229, 255)  # contrast 3.7:1 on white, 4.6:1 on Home Assistant's dark grey
CLEAR = (0, 0, 0, 0)
SUPERSAMPLE = 4
ICON_SIZE = 256  # icon.png; icon@2x.png is twice that
LOGO_HEIGHT = 128  # logo.png; logo@2x.png is twice that
TEXT = "EV Charger Cloud"

type Point = tuple[float, float]

# The mark in a unit square (x right, y down); it fills the square edge to edge.
CLOUD_PILL = (0.0, 0.30, 1.0, 0.70)  # the flat bottom of the cloud: left, top, right, bottom
CLOUD_PUFFS = (((0.32, 0.36), 0.21), ((0.60, 0.31), 0.31))  # (centre, radius)
BOLT: Sequence[Point] = (
    (0.50, 0.22),
    (0.74, 0.22),
    (0.62, 0.50),
    (0.74, 0.50),
    (0.40, 1.00),
    (0.49, 0.62),
    (0.36, 0.62),
)
GAP = 0.045  # the transparent outline that separates the bolt from the cloud


def _circle(draw: ImageDraw.ImageDraw, centre: Point, radius: float, fill: tuple[int, ...]) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


def _dilated_polygon(
    draw: ImageDraw.ImageDraw, points: Sequence[Point], radius: float, fill: tuple[int, ...]
) -> None:
    """The polygon grown by `radius`: itself, a band along each edge and a disc on each corner."""
    draw.polygon(points, fill=fill)
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        nx, ny = (y0 - y1) / length * radius, (x1 - x0) / length * radius
        draw.polygon(
            [(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)],
            fill=fill,
        )
        _circle(draw, (x0, y0), radius, fill)


def _draw_mark(image: Image.Image, left: float, top: float, size: float) -> None:
    """Draw the mark into `image` with its unit square at (left, top) scaled to `size` px."""
    draw = ImageDraw.Draw(image)

    def at(point: Point) -> Point:
        return (left + point[0] * size, top + point[1] * size)

    x0, y0 = at(CLOUD_PILL[:2])
    x1, y1 = at(CLOUD_PILL[2:])
    draw.rounded_rectangle((x0, y0, x1, y1), radius=(y1 - y0) / 2, fill=BLUE)
    for centre, radius in CLOUD_PUFFS:
        _circle(draw, at(centre), radius * size, BLUE)
    bolt = [at(point) for point in BOLT]
    _dilated_polygon(draw, bolt, GAP * size, CLEAR)
    draw.polygon(bolt, fill=BLUE)


def _trim(image: Image.Image) -> Image.Image:
    bbox = image.getbbox(alpha_only=True)
    if bbox is None:
        raise ValueError("nothing drawn")
    return image.crop(bbox)


def _downscale(master: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale with premultiplied alpha, so transparent pixels do not bleed into the edges."""
    return master.convert("RGBa").resize(size, Image.Resampling.LANCZOS).convert("RGBA")


def _icon_master(size: int) -> Image.Image:
    master = Image.new("RGBA", (size, size), CLEAR)
    _draw_mark(master, 0, 0, size)
    return master


def _logo_master(height: int) -> Image.Image:
    """The mark `height` px tall with the name beside it, its baseline near the cloud's bottom."""
    if not FONT_PATH.is_file():
        raise FileNotFoundError(f"the logo's font is missing: {FONT_PATH}")
    font = ImageFont.truetype(str(FONT_PATH), round(height * 0.44))
    text_left, _, text_right, _ = font.getbbox(TEXT, anchor="ls")
    text_x = height * 1.22
    master = Image.new("RGBA", (round(text_x + text_right - text_left) + 2, height), CLEAR)
    _draw_mark(master, 0, 0, height)
    baseline = height * (CLOUD_PILL[3] - 0.03)
    ImageDraw.Draw(master).text(
        (text_x - text_left, baseline), TEXT, font=font, fill=BLUE, anchor="ls"
    )
    return _trim(master)


def draw_brand(out_dir: Path) -> list[Path]:
    """Write icon.png, icon@2x.png, logo.png and logo@2x.png into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    icon = _trim(_icon_master(2 * ICON_SIZE * SUPERSAMPLE))
    side = max(icon.size)
    square = Image.new("RGBA", (side, side), CLEAR)
    square.paste(icon, ((side - icon.width) // 2, (side - icon.height) // 2))
    logo = _logo_master(2 * LOGO_HEIGHT * SUPERSAMPLE)
    logo_width = round(logo.width * LOGO_HEIGHT / logo.height)
    images = {
        "icon.png": _downscale(square, (ICON_SIZE, ICON_SIZE)),
        "icon@2x.png": _downscale(square, (2 * ICON_SIZE, 2 * ICON_SIZE)),
        "logo.png": _downscale(logo, (logo_width, LOGO_HEIGHT)),
        "logo@2x.png": _downscale(logo, (2 * logo_width, 2 * LOGO_HEIGHT)),
    }
    written = []
    for name, image in images.items():
        path = out_dir / name
        image.save(path, "PNG", optimize=True)
        written.append(path)
    return written


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else BRAND_DIR
    for path in draw_brand(out_dir):
        with Image.open(path) as image:
            print(f"{path}: {image.width}x{image.height}, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
