"""The brand images Home Assistant serves from brand/, and the script that draws them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PIL import Image
import pytest

ROOT = Path(__file__).resolve().parent.parent
BRAND = ROOT / "custom_components" / "ev_charger_cloud" / "brand"
NAMES = ("icon.png", "icon@2x.png", "logo.png", "logo@2x.png")


def _size(name: str) -> tuple[int, int]:
    with Image.open(BRAND / name) as image:
        return image.size


@pytest.mark.parametrize("name", NAMES)
def test_transparent_trimmed_png(name: str) -> None:
    with Image.open(BRAND / name) as image:
        assert image.format == "PNG"
        assert "A" in image.getbands()
        alpha = image.getchannel("A")
    width, height = alpha.size
    assert alpha.getextrema()[0] == 0, "no transparent background"
    edges = {
        "top": (0, 0, width, 1),
        "bottom": (0, height - 1, width, height),
        "left": (0, 0, 1, height),
        "right": (width - 1, 0, width, height),
    }
    for edge, box in edges.items():
        assert alpha.crop(box).getbbox() is not None, f"empty margin at the {edge}"


def test_sizes() -> None:
    assert _size("icon.png") == (256, 256)
    assert _size("icon@2x.png") == (512, 512)
    width, height = _size("logo.png")
    assert 128 <= min(width, height) <= 256
    assert _size("logo@2x.png") == (2 * width, 2 * height)


def test_script_redraws_identical_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("draw_brand", ROOT / "scripts" / "draw_brand.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    if not script.FONT_PATH.is_file():
        pytest.skip(f"the logo's font is not installed: {script.FONT_PATH}")
    script.draw_brand(tmp_path)
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == (BRAND / name).read_bytes(), name
