"""Put PNGs side by side in a grid (for contact sheets): compose.py OUT COLS IN1 IN2 … (needs pygame only)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame


def main(out: str, cols: int, paths: list[str], scale: float = 0.5, gap: int = 12) -> None:
    pygame.init()
    imgs = [pygame.image.load(p) for p in paths]
    w, h = (int(imgs[0].get_width() * scale), int(imgs[0].get_height() * scale))
    rows = (len(imgs) + cols - 1) // cols
    sheet = pygame.Surface((cols * w + (cols + 1) * gap, rows * h + (rows + 1) * gap))
    sheet.fill((40, 40, 40))
    for k, img in enumerate(imgs):
        r, c = divmod(k, cols)
        sheet.blit(pygame.transform.smoothscale(img, (w, h)), (gap + c * (w + gap), gap + r * (h + gap)))
    pygame.image.save(sheet, out)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
