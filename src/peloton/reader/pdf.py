"""Text out of a PDF answer document, with pages separated by form feeds.

Why form feeds: the parser treats a form feed as a page break, which is where footnotes end and
running text resumes; pypdf itself only concatenates the pages.

Why pypdf's own messages are captured: pypdf logs and warns on damaged files ("incorrect startxref
pointer", "EOF marker not found"); printed straight to the terminal they would come before, and
bury, the reader's one-line error. They are returned as notes instead: shown as reader warnings
when the text could be read, and folded into the one-line error when it could not.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from peloton.errors import InputError

MAX_PDF_PAGES = 500  # an answer document has a few to a few dozen pages
MAX_PDF_TEXT_CHARS = 10_000_000  # text extracted over all pages (pypdf itself caps each stream)


class _Collect(logging.Handler):
    def __init__(self, notes: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip()
        if message and message not in self.notes:
            self.notes.append(message)


@contextmanager
def _captured(notes: list[str]) -> Iterator[None]:
    """Route pypdf's log records and Python warnings into `notes` while the PDF is read."""
    logger = logging.getLogger("pypdf")
    handler = _Collect(notes)
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for item in caught:
            message = str(item.message).strip()
            if message and message not in notes:
                notes.append(message)
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def _error(problem: str, notes: list[str]) -> InputError:
    detail = f" (pypdf: {'; '.join(notes[:3])})" if notes else ""
    return InputError("file", problem + detail)


def pdf_text_with_notes(data: bytes) -> tuple[str, list[str]]:
    """The text of every page and pypdf's messages; encrypted, broken or image-only PDFs are InputErrors."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    notes: list[str] = []
    try:
        with _captured(notes):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    opened = bool(reader.decrypt(""))
                except Exception:  # pypdf raises several types (missing crypto backend, bad key)
                    opened = False
                if not opened:
                    raise InputError("file", "the PDF is encrypted; save an unprotected copy and read that")
            count = len(reader.pages)
            if count > MAX_PDF_PAGES:
                raise InputError("file", f"the PDF has {count:,} pages; at most {MAX_PDF_PAGES:,}")
            pages: list[str] = []
            size = 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                size += len(pages[-1])
                if size > MAX_PDF_TEXT_CHARS:
                    raise InputError(
                        "file", f"the PDF holds more than {MAX_PDF_TEXT_CHARS:,} characters of text"
                    )
    except InputError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
    ) as exc:
        raise _error(f"not a readable PDF ({type(exc).__name__}: {exc})", notes) from None
    text = "\n\f\n".join(page.rstrip("\n") for page in pages)
    if not text.replace("\f", "").strip():
        raise _error("the PDF has no extractable text (a scan?); run OCR first", notes)
    return text, notes


def pdf_text(data: bytes) -> str:
    """The text of every page (pypdf's messages dropped; see pdf_text_with_notes)."""
    return pdf_text_with_notes(data)[0]
