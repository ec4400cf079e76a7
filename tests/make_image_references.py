#!/usr/bin/python3
"""Writes the small images in tests/data/images/ and references.json beside them: the numbers
PIL, skimage and numpy give for them, which tests/test_images.cpp checks tapegrad against.
Run it again (with Debian's python3-pil, python3-skimage, python3-numpy) only to change the
cases; the test reads the files it wrote.
usage: tests/make_image_references.py"""
import json
import os

import numpy as np
import PIL
import skimage
import skimage.color
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "images")
rng = np.random.default_rng(14)


def smooth_rgb(height: int, width: int) -> np.ndarray:
    """Gradients, a bright disc and noise: photo-like enough that JPEG behaves as on photos."""
    y, x = np.mgrid[0:height, 0:width] / max(height, width)
    disc = ((x - 0.6) ** 2 + (y - 0.4) ** 2 < 0.08).astype(float)
    rgb = np.stack([0.8 * x + 0.2 * disc, 0.7 * y + 0.3 * disc, 0.5 * (1 - x) * (1 - y) + 0.4 * disc], axis=-1)
    return np.clip(rgb * 255 + rng.normal(0, 12, rgb.shape), 0, 255).astype(np.uint8)


def array(values, shape=None) -> dict:
    """{"shape", "values"}: float32 values as their shortest decimals (which read back as the
    same float32), integers as they are."""
    a = np.asarray(values)
    flat = [int(v) for v in a.ravel()] if a.dtype.kind in "iu" else [float(str(v)) for v in a.astype(np.float32).ravel()]
    return {"shape": list(shape or a.shape), "values": flat}


def pixels(image: Image.Image) -> np.ndarray:
    """As read_image's (H, W, C), before the division by 255 (or 65535)."""
    a = np.asarray(image)
    return a[..., None] if a.ndim == 2 else a


def save(image: Image.Image, name: str, **options) -> str:
    image.save(os.path.join(OUT, name), **options)
    return name


def decoding_cases() -> dict:
    rgb = Image.fromarray(smooth_rgb(17, 23))
    cases = {}  # file -> the integer levels PIL decodes, and their maximum
    # Lossless formats: stb_image must give PIL's pixels exactly, in the channels the file stores.
    cases[save(rgb, "rgb.png")] = pixels(rgb)
    rgba = Image.fromarray(np.concatenate([smooth_rgb(6, 5), rng.integers(0, 256, (6, 5, 1), dtype=np.uint8)], -1))
    cases[save(rgba, "rgba.png")] = pixels(rgba)
    gray = rgb.convert("L").crop((0, 0, 9, 7))
    cases[save(gray, "gray.png")] = pixels(gray)
    gray_alpha = Image.merge("LA", [gray.crop((0, 0, 4, 5)), gray.crop((3, 1, 7, 6))])
    cases[save(gray_alpha, "gray_alpha.png")] = pixels(gray_alpha)
    palette = rgb.crop((0, 0, 6, 6)).convert("P", palette=Image.ADAPTIVE, colors=5)
    cases[save(palette, "palette.png")] = pixels(palette.convert("RGB"))
    deep = Image.fromarray(rng.integers(0, 65536, (5, 7), dtype=np.uint16))
    save(deep, "gray16.png")  # read back: PIL decodes a 16-bit PNG as mode I
    cases["gray16.png"] = pixels(Image.open(os.path.join(OUT, "gray16.png")))
    cases[save(rgb.crop((0, 0, 7, 5)), "rgb.bmp")] = pixels(rgb.crop((0, 0, 7, 5)))
    gif = rgb.crop((0, 0, 9, 8)).convert("P", palette=Image.ADAPTIVE, colors=16)
    save(gif, "palette.gif")
    cases["palette.gif"] = pixels(Image.open(os.path.join(OUT, "palette.gif")).convert("RGBA"))
    # Lossy: stb_image's IDCT and chroma upsampling differ from libjpeg's by a few levels.
    photo = Image.fromarray(smooth_rgb(24, 32))
    save(photo, "photo.jpg", quality=90)
    cases["photo.jpg"] = pixels(Image.open(os.path.join(OUT, "photo.jpg")))
    save(photo.convert("L"), "gray.jpg", quality=90)
    cases["gray.jpg"] = pixels(Image.open(os.path.join(OUT, "gray.jpg")))
    return {name: dict(array(levels), maximum=65535 if name == "gray16.png" else 255) for name, levels in cases.items()}


def resize_cases() -> list:
    """rgb.png resized by PIL's bilinear filter: per channel in mode F (float, what tapegrad
    computes) and as 8-bit RGB (rounded after each pass)."""
    rgb = Image.open(os.path.join(OUT, "rgb.png"))
    channels = [Image.fromarray(np.asarray(c, dtype=np.float32) / 255, mode="F") for c in rgb.split()]
    cases = []
    for height, width in [(6, 8), (20, 30), (40, 5), (17, 11), (9, 23)]:
        resized = [c.resize((width, height), Image.BILINEAR) for c in channels]
        cases.append({"file": "rgb.png", "height": height, "width": width,
                      "float": array(np.stack([np.asarray(c) for c in resized], -1)),
                      "uint8": array(pixels(rgb.resize((width, height), Image.BILINEAR)))})
    return cases


def hsv_case() -> dict:
    levels = np.array([0, 51, 128, 255], dtype=np.float32) / 255  # every tie of equal channels
    grid = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), -1).reshape(-1, 3)
    rgb = np.concatenate([grid, rng.random((200, 3), dtype=np.float32),
                          rng.integers(0, 256, (100, 3)).astype(np.float32) / 255]).astype(np.float32)
    hsv = skimage.color.rgb2hsv(rgb)
    assert hsv.dtype == np.float32
    return {"rgb": array(rgb), "hsv": array(hsv)}


def histogram_cases() -> list:
    hue = skimage.color.rgb2hsv(np.asarray(Image.open(os.path.join(OUT, "photo.jpg")), dtype=np.float32) / 255)[..., 0]
    cases = [("hue of photo.jpg", hue, 360),
             ("normal", rng.normal(0, 3, 1000).astype(np.float32), 7),
             ("integers on the edges", rng.integers(0, 10, 300).astype(np.float32), 4),
             ("integers, more bins than values", rng.integers(0, 10, 300).astype(np.float32), 360),
             ("all equal", np.full(5, 0.25, dtype=np.float32), 3),
             ("one bin", rng.uniform(-2, 5, 50).astype(np.float32), 1)]
    return [{"name": name, "values": array(np.ravel(v)), "bins": bins, "counts": array(np.histogram(v, bins)[0])}
            for name, v, bins in cases]


def features_case() -> dict:
    # Columns whose standard deviations straddle the tutorial's threshold of 50; one constant.
    spreads = [10.0, 40.0, 60.0, 200.0, 0.0, 80.0]
    x = np.stack([1000 + s * rng.standard_normal(40) for s in spreads], -1).astype(np.float32)
    std = x.std(axis=0, dtype=np.float64)
    scale = np.where(std == 0, 1.0, std)
    # float64 results, compared within float32 precision: printed to 9 significant digits.
    return {"features": array(x), "std": [float(f"{v:.9g}") for v in std],
            "columns_above_50": [int(c) for c in np.nonzero(std > 50)[0]],
            "standardized": {"shape": list(x.shape),
                             "values": [float(f"{v:.9g}") for v in ((x - x.mean(axis=0, dtype=np.float64)) / scale).ravel()]}}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    references = {"made_by": f"tests/make_image_references.py with Pillow {PIL.__version__}, "
                             f"scikit-image {skimage.__version__}, numpy {np.__version__}",
                  "decoded": decoding_cases(), "resized": resize_cases(), "hsv": hsv_case(),
                  "histograms": histogram_cases(), "features": features_case()}
    rgb = Image.open(os.path.join(OUT, "rgb.png"))
    references["gray"] = {"file": "rgb.png", "values": array(np.asarray(rgb.convert("F")) / np.float32(255))}
    with open(os.path.join(OUT, "references.json"), "w") as f:
        json.dump(references, f)
