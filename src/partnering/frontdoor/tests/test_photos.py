"""Photos are checked by what they are, not their name; capped; stripped of metadata."""

import io

import pytest
from PIL import Image

from partnering.core.errors import DomainError
from partnering.frontdoor.photos import MAX_PHOTO_BYTES, photo_clean


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (50, 50), (0, 120, 0))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (52.0, 5.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_real_image_is_re_encoded_without_metadata():
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    cleaned, kind = photo_clean(original)
    assert kind == "image/jpeg"
    assert b"SecretCam" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


def test_large_images_are_scaled_down():
    cleaned, _ = photo_clean(png_bytes((3000, 1000)))
    with Image.open(io.BytesIO(cleaned)) as image:
        assert max(image.size) == 2000


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4 not an image", "frontdoor.photo_not_image"),
        (b"<script>alert(1)</script>", "frontdoor.photo_not_image"),
        (png_bytes()[:40], "frontdoor.photo_not_image"),  # truncated
        (b"\x89PNG" + b"0" * (MAX_PHOTO_BYTES + 1), "frontdoor.photo_too_large"),
    ],
)
def test_bad_photos_are_refused(data, code):
    with pytest.raises(DomainError) as caught:
        photo_clean(data)
    assert caught.value.code == code
