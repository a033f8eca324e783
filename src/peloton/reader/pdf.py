"""Text out of a PDF answer document, with pages separated by form feeds.

Why form feeds: the parser treats a form feed as a page break, which is where footnotes end and
running text resumes; pypdf itself only concatenates the pages.
"""

from __future__ import annotations

import io

from peloton.errors import InputError


def pdf_text(data: bytes) -> str:
    """The text of every page; encrypted, broken or image-only PDFs are InputErrors."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # pypdf raises several types (missing crypto backend, bad key)
                opened = False
            if not opened:
                raise InputError("file", "the PDF is encrypted; save an unprotected copy and read that")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise InputError("file", f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n\f\n".join(page.rstrip("\n") for page in pages)
    if not text.replace("\f", "").strip():
        raise InputError("file", "the PDF has no extractable text (a scan?); run OCR first")
    return text
