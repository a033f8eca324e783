"""Text a user gives that peloton shows back (a profile's or a reform's name, a file name, a document):
checked for the characters that make shown text lie or break the output.

Why: a right-to-left override (U+202E) makes `evil\u202egpj.exe` display as `evilexe.jpg`; bidi
isolates and embeddings reorder what a reader sees (the "Trojan Source" trick); a NUL byte or another
C0 control character cuts or garbles terminals, CSVs and logs; a lone UTF-16 surrogate (only
possible through a JSON `\\ud800` escape) is not a character at all and cannot be written as UTF-8.
Such text is refused naming the field and the character, never silently cleaned.
"""

from __future__ import annotations

import unicodedata

from peloton.errors import InputError

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\t\n\r\f")  # layout characters a document or description may hold


def bidi_control(text: str) -> tuple[int, str] | None:
    """The position and name of the first bidirectional control character in `text`, or None: the
    check for long text (a document), where other control characters come from PDF extraction."""
    for position, char in enumerate(text):
        if char in BIDI_CONTROLS:
            return position, f"U+{ord(char):04X} {unicodedata.name(char)}"
    return None


def bad_character(text: str, multiline: bool = False) -> tuple[int, str] | None:
    """The position and a description of the first character `text` may not hold, or None."""
    for position, char in enumerate(text):
        code = ord(char)
        if char in BIDI_CONTROLS:
            return position, f"a bidirectional control character (U+{code:04X} {unicodedata.name(char)})"
        if 0xD800 <= code <= 0xDFFF:
            return position, f"a lone UTF-16 surrogate (U+{code:04X}), which is not a character"
        if (code < 0x20 or code == 0x7F) and not (multiline and char in ALLOWED_CONTROLS):
            return position, f"a control character (U+{code:04X})"
    return None


def check_text(field: str, text: str, max_chars: int, multiline: bool = False) -> str:
    """`text` when it is at most `max_chars` long and holds no character `bad_character` refuses;
    else an InputError naming `field`, the length or the character and where it is."""
    if len(text) > max_chars:
        raise InputError(field, f"at most {max_chars:,} characters, got {len(text):,}")
    found = bad_character(text, multiline)
    if found is not None:
        position, what = found
        raise InputError(field, f"contains {what} at character {position + 1}; remove it")
    return text
