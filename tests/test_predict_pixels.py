"""Pixel features on hand-made pictures with known properties, and every kind of bad image."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from discovery.predict import pixels
from discovery.predict.pixels import ImageError, measure


def encoded(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def flat(colour, size=(120, 120)) -> bytes:
    return encoded(Image.new("RGB", size, colour), "PNG")


def disc(centre: tuple[float, float], size: int = 240, radius: int = 24) -> bytes:
    """A bright disc at `centre` (fractions of the frame) on a dark background."""
    image = Image.new("RGB", (size, size), (15, 20, 25))
    x, y = centre[0] * size, centre[1] * size
    ImageDraw.Draw(image).ellipse((x - radius, y - radius, x + radius, y + radius), fill=(250, 210, 60))
    return encoded(image, "PNG")


def texture(seed: int = 0, size=(300, 200)) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


# --- known properties ---------------------------------------------------------------------------------------


def test_brightness_orders_light_and_dark():
    bright, dark = measure(flat((235, 235, 235))), measure(flat((20, 20, 20)))
    assert bright.brightness == pytest.approx(235 / 255, abs=0.01)
    assert dark.brightness == pytest.approx(20 / 255, abs=0.01)


def test_saturated_picture_is_more_saturated_and_colourful_than_grey():
    red, grey = measure(flat((230, 20, 20))), measure(flat((128, 128, 128)))
    assert red.saturation > 0.85 and grey.saturation == pytest.approx(0.0, abs=1e-6)
    assert red.colourfulness > 60 and grey.colourfulness == pytest.approx(0.0, abs=1e-6)
    assert red.warmth > 0.8
    assert measure(flat((20, 40, 230))).warmth < -0.8


def test_sharp_picture_is_sharper_than_its_blurred_copy():
    sharp = texture()
    blurred = sharp.filter(ImageFilter.GaussianBlur(3))
    assert measure(encoded(sharp, "PNG")).sharpness > measure(encoded(blurred, "PNG")).sharpness + 2


def test_contrast_of_stripes_exceeds_flat_grey():
    stripes = Image.new("L", (120, 120), 0)
    ImageDraw.Draw(stripes).rectangle((0, 0, 59, 119), fill=255)
    striped = measure(encoded(stripes.convert("RGB"), "PNG"))
    assert striped.contrast == pytest.approx(0.5, abs=0.02)
    assert measure(flat((128, 128, 128))).contrast == pytest.approx(0.0, abs=1e-6)


def test_centred_subject_weighs_on_the_centre_and_thirds_subject_on_the_thirds():
    centred, thirds = measure(disc((0.5, 0.5))), measure(disc((1 / 3, 1 / 3)))
    corner = measure(disc((0.12, 0.12)))
    assert centred.centre_weight > 2.5 > thirds.centre_weight > corner.centre_weight
    assert corner.centre_weight < 1
    assert thirds.thirds_energy > 2 > centred.thirds_energy
    assert thirds.thirds_energy > corner.thirds_energy


def test_symmetry_of_a_mirrored_picture():
    half = texture(1, (60, 120))
    whole = Image.new("RGB", (120, 120))
    whole.paste(half, (0, 0))
    whole.paste(half.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (60, 0))
    assert measure(encoded(whole, "PNG")).symmetry > 0.95
    assert abs(measure(encoded(texture(2, (120, 120)), "PNG")).symmetry) < 0.2


def test_dominant_colours_of_a_two_colour_picture():
    image = Image.new("RGB", (100, 100), (200, 30, 30))
    ImageDraw.Draw(image).rectangle((0, 0, 99, 24), fill=(30, 30, 200))
    features = measure(encoded(image, "PNG"))
    (r, g, b, share), (r2, g2, b2, share2) = features.dominant_colours[:2]
    assert (r, g, b) == pytest.approx((200, 30, 30), abs=8) and share == pytest.approx(0.75, abs=0.03)
    assert (r2, g2, b2) == pytest.approx((30, 30, 200), abs=8) and share2 == pytest.approx(0.25, abs=0.03)
    assert features.dominant_share == share


def test_vector_follows_the_feature_names():
    features = measure(disc((0.5, 0.5)))
    assert features.vector().tolist() == [getattr(features, n) for n in pixels.PIXEL_FEATURES]
    assert (features.width, features.height, features.frames) == (240, 240, 1)


# --- unusual but valid images -------------------------------------------------------------------------------


def test_cmyk_jpeg_measures_like_its_rgb_original():
    rgb = Image.new("RGB", (120, 120), (40, 160, 90))
    cmyk = measure(encoded(rgb.convert("CMYK"), "JPEG", quality=95), name="cmyk.jpg")
    plain = measure(encoded(rgb, "JPEG", quality=95))
    assert cmyk.brightness == pytest.approx(plain.brightness, abs=0.03)
    assert cmyk.saturation == pytest.approx(plain.saturation, abs=0.05)


def test_sixteen_bit_grey_png_is_scaled_not_clipped():
    values = np.full((64, 64), 49151, dtype=np.uint16)  # three quarters of 65535
    image = Image.fromarray(values)
    assert image.mode.startswith("I;16")
    data = encoded(image, "PNG")
    assert Image.open(io.BytesIO(data)).mode in ("I;16", "I")
    assert measure(data).brightness == pytest.approx(0.75, abs=0.01)


def test_palette_image_with_transparency_is_flattened_on_white():
    image = Image.new("P", (80, 80), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)
    ImageDraw.Draw(image).rectangle((0, 0, 39, 79), fill=1)
    data = encoded(image, "PNG", transparency=0)  # colour 0 (black) is transparent
    features = measure(data)
    assert features.brightness > 0.55  # white and red, no black
    assert features.warmth > 0.2


def test_animated_gif_is_read_at_its_first_frame():
    frames = [Image.new("RGB", (60, 60), colour) for colour in ((230, 20, 20), (20, 20, 230), (20, 230, 20))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    features = measure(out.getvalue())
    assert features.frames == 3
    assert features.warmth > 0.6  # the red first frame, not the blue or green ones


@pytest.mark.parametrize("orientation, upright_size", [(6, (100, 200)), (3, (200, 100))])
def test_exif_orientation_is_applied(orientation, upright_size):
    image = Image.new("RGB", (200, 100), (0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, 99, 99), fill=(255, 255, 255))  # white on the stored left half
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encoded(image, "JPEG", exif=exif.tobytes(), quality=95)
    rgb, info = pixels.load(data)
    assert (info["width"], info["height"]) == upright_size
    assert rgb.size == upright_size
    grey = np.asarray(rgb.convert("L"), dtype=float)
    if orientation == 3:  # turned half round: the white half is now on the right
        assert grey[:, :40].mean() < 40 and grey[:, -40:].mean() > 215
    else:  # turned a quarter: the white half is now on top
        assert grey[:40].mean() > 215 and grey[-40:].mean() < 40


# --- bad files ----------------------------------------------------------------------------------------------


def png_claiming(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims `width` x `height` pixels (a decompression bomb's shape)."""
    data = encoded(Image.new("L", (1, 1)), "PNG")
    ihdr = bytearray(data[16:29])  # IHDR payload follows the 8-byte signature, length and type
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return data[:16] + bytes(ihdr) + crc + data[33:]


@pytest.mark.parametrize("width, height", [(9000, 9000), (100_000, 100_000)])
def test_decompression_bomb_is_refused_unread(width, height):
    with pytest.raises(ImageError) as caught:
        measure(png_claiming(width, height), name="bomb.png")
    message = str(caught.value)
    assert message.startswith("bomb.png") and "decompression bomb" in message and message.endswith(".")


def test_non_image_file_is_a_sentence_naming_it(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("these are not pixels\n", encoding="utf-8")
    with pytest.raises(ImageError) as caught:
        measure(notes)
    assert str(caught.value) == ("notes.txt is not an image Tessera can read "
                                 "(JPEG, PNG, GIF, WebP, TIFF or BMP).")


def test_truncated_jpeg_is_refused(tmp_path):
    data = encoded(texture(3, (400, 400)), "JPEG", quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError) as caught:
        measure(cut)
    assert str(caught.value).startswith("cut.jpg is truncated or damaged")


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(ImageError, match=r"^gone\.jpg does not exist\.$"):
        measure(tmp_path / "gone.jpg")
    with pytest.raises(ImageError, match=r"^Picture 2 is empty"):
        measure(b"", name="Picture 2")


def test_measure_many_keeps_going_past_a_bad_picture():
    sources = [flat((10, 10, 10)), b"GIF89a broken", flat((240, 240, 240))]
    results = pixels.measure_many(sources, ["a", "b", "c"])
    assert isinstance(results[1], ImageError) and str(results[1]).startswith("b ")
    assert results[0].brightness < results[2].brightness
