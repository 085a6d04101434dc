"""Copy the README's screenshots from the browser tests' output into docs/screenshots,
reduced to 256 colours (the pages are flat colours: nothing visible is lost)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

CHOSEN = [
    "03-negotiating-text", "05-silence-countdown", "06-silence-broken-receipt",
    "08-adopted-signed", "09-safety-numbers", "10-tamper-alert",
]  # fmt: skip


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "build/test-output/screenshots")
    target = Path("docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    for name in CHOSEN:
        image = Image.open(source / f"{name}.png").convert("RGB")
        image.quantize(colors=256).save(target / f"{name}.png", optimize=True)
        print(f"{target / name}.png: {(target / f'{name}.png').stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
