"""QR codes as tiny PNG data URIs for the letters (one pixel per module, scaled up in print).

The letter's CSS sizes the image in millimetres with ``image-rendering: pixelated``, so
the PDF scales the modules up sharply: a larger PNG would only cost time to encode,
decode and embed again (WeasyPrint re-encodes every raster image).

The mask pattern is fixed. Choosing the "best" of the eight masks (what an encoder
does by default) costs about six times the rest of the encoding, and is what made QR
codes the largest single cost of a letter; any mask is valid, because a reader takes the
mask from the code's format information. The paper tests decode every letter's codes.
"""

from __future__ import annotations

import segno

BORDER = 4  # the quiet zone, in modules (the QR standard asks for 4)
MASK = 0


def png_data_uri(payload: str) -> str:
    """A PNG QR code (error correction M) of ``payload`` as a data: URI.

    Not cached: the payload of a letter's QR code holds a personal code.
    """
    code = segno.make(payload, error="m", micro=False, mask=MASK)
    return str(code.png_data_uri(scale=1, border=BORDER))


def link_for_code(base_url: str, code: str) -> str:
    """The start page with the personal code filled in (the page reads ?code=)."""
    return f"{base_url.rstrip('/')}/?code={code}"
