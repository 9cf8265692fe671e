"""QR codes as small PNG data URIs for the letters (scaled up in print without blurring)."""

from __future__ import annotations

import segno

BORDER = 4  # the quiet zone, in modules (the QR standard asks for 4)


def png_data_uri(payload: str, scale: int = 4) -> str:
    """A PNG QR code (error correction M) of ``payload`` as a data: URI.

    Not cached: the payload of a letter's QR code holds a personal code.
    """
    code = segno.make(payload, error="m", micro=False)
    return str(code.png_data_uri(scale=scale, border=BORDER))


def link_for_code(base_url: str, code: str) -> str:
    """The start page with the personal code filled in (the page reads ?code=)."""
    return f"{base_url.rstrip('/')}/?code={code}"
