"""The reader: a parliamentary answer document in; its questions, cited schemes and checked figures out.

Python API first (the CLI and the REST API are thin adapters)::

    from peloton.reader import read_document, to_json, to_markdown, to_html
    doc = read_document(Path("answers.pdf"))          # uses the monitor's store when present
    doc = read_document(text, store=my_store)         # or any object with `observations(...)`
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from peloton.errors import InputError
from peloton.reader.checks import StatsSource, check_claims, open_default_store
from peloton.reader.claims import extract_claims
from peloton.reader.model import (
    AnswerDocument,
    Claim,
    Footnote,
    Item,
    KamerstukRef,
    LineRecord,
    Metadata,
    ReaderWarning,
)
from peloton.reader.parse import build_document
from peloton.reader.pdf import pdf_text_with_notes
from peloton.reader.render import to_html, to_json, to_markdown
from peloton.reader.scheme_links import link_schemes
from peloton.reader.sector_trends import check_trend, extract_trend_claims
from peloton.user_text import bidi_control

__all__ = [
    "AnswerDocument",
    "Claim",
    "Footnote",
    "Item",
    "KamerstukRef",
    "LineRecord",
    "Metadata",
    "ReaderWarning",
    "StatsSource",
    "load_text",
    "read_document",
    "read_text",
    "to_html",
    "to_json",
    "to_markdown",
]

_PATH_SUFFIXES = (".pdf", ".txt", ".text", ".md")


def _utf16_or_32(data: bytes) -> str | None:
    """The codec of UTF-16/32 text (by its byte-order mark, or by NULs in every other byte), or None.

    Why: Windows tools save "Unicode" text as UTF-16; its NUL bytes made such files look binary.
    """
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return codec
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _load(path: Path) -> tuple[str, list[str]]:
    """The text of a plain-text or PDF file and any notes from reading it (pypdf's messages)."""
    if not path.exists():
        raise InputError("file", f"no such file: {path}")
    if not path.is_file():
        raise InputError("file", f"not a file: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("file", f"cannot read {path}: {exc.strerror or exc}") from None
    if data.lstrip()[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
        return pdf_text_with_notes(data)
    codec = _utf16_or_32(data)
    if codec is not None:
        try:
            return data.decode(codec), []
        except UnicodeDecodeError:
            raise InputError(
                "file", f"{path.name} looks like {codec.upper()} text but does not decode"
            ) from None
    if b"\0" in data[:4096]:
        raise InputError("file", f"{path.name} is neither plain text nor PDF")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), []


def load_text(path: Path) -> str:
    """The text of a plain-text (UTF-8, UTF-16, cp1252) or PDF file; unreadable files are InputErrors."""
    return _load(path)[0]


def _analyse(
    question: str | None, answer: str | None, store: StatsSource | None
) -> tuple[list[str], list[str], list[Claim]]:
    """Schemes, unknown programmes and checked figures of one question and its answer."""
    mentions = link_schemes(f"{question or ''}\n{answer or ''}")
    claims = extract_claims(question, "question") + extract_claims(answer, "answer")
    check_claims(claims, store)
    trends = extract_trend_claims(question, "question") + extract_trend_claims(answer, "answer")
    for claim in trends:
        check_trend(claim, store)
    return mentions.ids, mentions.unknown, claims + trends


def read_text(text: str, *, source_name: str = "", store: StatsSource | None = None) -> AnswerDocument:
    """Parse, link and (with a store) check an answer document given as text.

    A passage that recurs word for word (a repeated "Ja.", a standard paragraph, a document pasted
    twice) is analysed once per read: the analysis depends only on its text and the store.
    """
    doc = build_document(text, source_name=source_name)
    seen: dict[tuple[str | None, str | None], tuple[list[str], list[str], list[Claim]]] = {}
    for item in doc.items:
        key = (item.question, item.answer)
        if key not in seen:
            seen[key] = _analyse(item.question, item.answer, store)
        schemes, unknown, claims = seen[key]
        item.schemes, item.unknown_schemes = list(schemes), list(unknown)
        item.claims = [replace(claim) for claim in claims]
    return doc


def read_document(
    source: Path | str,
    *,
    store: StatsSource | None = None,
    store_path: Path | None = None,
    check: bool = True,
) -> AnswerDocument:
    """Read an answer document from a path (Path, or a one-line str ending in .pdf/.txt) or its text.

    Figures are checked against `store` when given, else against the monitor's stats store at
    `store_path` (default: the monitor's default path) when it exists; without one every figure
    is "not checkable" and a warning says why.
    """
    if isinstance(source, Path) or ("\n" not in source and source.strip().lower().endswith(_PATH_SUFFIXES)):
        path = Path(source)
        (text, notes), name = _load(path), path.name
    else:
        text, name, notes = source, "", []
    bidi = bidi_control(text)
    if bidi is not None:
        line = text.count("\n", 0, bidi[0]) + 1
        raise InputError(
            "file",
            f"line {line} holds a bidirectional control character ({bidi[1]}), which makes text "
            "display in another order than it reads; remove it",
        )
    if store is not None or not check:
        doc = read_text(text, source_name=name, store=store)
        if store is not None:
            doc.checked_against = type(store).__name__
    else:
        with open_default_store(store_path) as (opened, description, warning):
            doc = read_text(text, source_name=name, store=opened)
        doc.checked_against = description
        if warning:
            doc.warnings.append(ReaderWarning(None, warning))
    doc.warnings += [ReaderWarning(None, f"PDF reader: {note}") for note in notes]
    return doc
