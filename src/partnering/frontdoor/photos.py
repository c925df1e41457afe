"""Residents' photos: checked by content (Pillow decodes it), size-capped, metadata stripped."""

import io

from PIL import Image, UnidentifiedImageError

from partnering.core.errors import DomainError

from .errors import FrontdoorError as E

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}


def photo_clean(data: bytes, *, field: str = "photo") -> tuple[bytes, str]:
    """The photo re-encoded as a JPEG without metadata (EXIF, GPS, comments), at most 2000 px a side.

    Raises DomainError for a file over 5 MB, one that is not an image whatever its name, or an
    image too large to decode safely.
    """
    if len(data) > MAX_PHOTO_BYTES:
        raise DomainError(E.PHOTO_TOO_LARGE, "The photo must be smaller than 5 MB", field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in ACCEPTED:
            raise DomainError(
                E.PHOTO_NOT_IMAGE, "The photo must be a JPG, PNG, WEBP or GIF image", field
            )
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(
                    E.PHOTO_TOO_LARGE, "The photo has too many pixels: send a smaller one", field
                )
            image.load()
            clean = image.convert("RGB")  # a new image: no EXIF, GPS or comments carried over
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise DomainError(
            E.PHOTO_NOT_IMAGE, "The photo must be a JPG, PNG, WEBP or GIF image", field
        ) from None
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"
