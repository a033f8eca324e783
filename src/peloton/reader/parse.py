"""Turn the text of an answer document into questions, answers, footnotes and metadata.

Why a line-by-line state machine: PDF extraction interleaves page footers (footnotes, link lists)
with the running text and breaks lines mid-sentence, so structure has to be recovered from line
starts and page breaks (two or more blank lines, a form feed or a page header). Every source line
is entered in a ledger with the part it went to, so nothing is dropped silently: what the parser
does not understand is kept where it most likely belongs and reported as a warning with its line
number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peloton.errors import InputError
from peloton.reader import layout
from peloton.reader.model import (
    AnswerDocument,
    Footnote,
    Item,
    LineRecord,
    LineRole,
    Metadata,
    ReaderWarning,
)
from peloton.reader.references import find_kamerstukken, find_urls, normalise_url

_MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_DATE = r"(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})"
_ANSWERED_BY = re.compile(
    r"Antwoord(?:en)?\s+van\s+(?:de\s+)?(?P<role>minister-president|minister|staatssecretaris)\s+"
    r"(?P<name>(?:van\s+|voor\s+)?[^()]+?)\s*\((?P<ministry>[^)]+)\)",
    re.IGNORECASE,
)
_RECEIVED = re.compile(r"\(\s*ontvangen\s+" + _DATE + r"\s*\)", re.IGNORECASE)
_SUBMITTED = re.compile(r"\(\s*ingezonden\s+" + _DATE + r"\s*\)", re.IGNORECASE)
_ASKED_BY = re.compile(
    r"Vragen\s+van\s+(?:het|de)\s+(?:lid|leden)\s+(?P<who>.+?)\s+aan\s+de\s+", re.IGNORECASE
)
_AANHANGSEL = re.compile(
    r"Aanhangsel\s+(?:der\s+)?Handelingen,?\s+vergaderjaar\s+(\d{4})\s*[-–]\s*(\d{4}),?\s+nr\.?\s*(\d+)",
    re.IGNORECASE,
)
_MARKER = re.compile(r"(?<=[A-Za-zÀ-ÿ?.!)\]’'»”\"])(\d{1,2})(?=[\s,.;:!?)’'»”\"]|$)")
_SENTENCE_END = re.compile(r"[.!?:;][’'»”\")]*\d{0,2}\s*$")


@dataclass
class _Seg:
    line: int
    text: str
    gap_before: bool = False


@dataclass
class _AnswerBlock:
    """One answer heading and its text; it may answer several questions ("Antwoord 3 en 4")."""

    line: int
    targets: tuple[int, ...]
    segs: list[_Seg] = field(default_factory=list)


@dataclass
class _State:
    mode: str = "preamble"  # preamble | metadata | question | answer | footnote
    body_mode: str = "preamble"
    question: int | None = None
    answer_block: int | None = None
    footnote: int | None = None
    carry: int | None = None
    page_start: int = 1
    bare_inline_questions: bool = False


@dataclass
class _Builder:
    lines: list[str]
    roles: list[tuple[LineRole, int | None]] = field(default_factory=list)
    questions: dict[int, list[_Seg]] = field(default_factory=dict)
    question_line: dict[int, int] = field(default_factory=dict)
    blocks: list[_AnswerBlock] = field(default_factory=list)
    footnotes: dict[int, list[_Seg]] = field(default_factory=dict)
    metadata: list[list[_Seg]] = field(default_factory=list)
    links: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)
    warnings: list[ReaderWarning] = field(default_factory=list)
    document_number: str | None = None
    state: _State = field(default_factory=_State)

    # -- ledger -------------------------------------------------------------------------------
    def mark(self, idx: int, role: LineRole, owner: int | None) -> None:
        self.roles[idx] = (role, owner)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(ReaderWarning(line, message))

    # -- parts --------------------------------------------------------------------------------
    def ensure_item(self, number: int, line: int) -> None:
        if number not in self.questions:
            self.questions[number] = []
            self.question_line[number] = line
            self.order.append(number)

    def answered(self, number: int) -> bool:
        return any(number in block.targets for block in self.blocks)

    def body_target(self) -> tuple[LineRole, int | None, list[_Seg]]:
        """The part that running text goes to in the current body mode."""
        st = self.state
        mode = st.body_mode if st.mode == "footnote" else st.mode
        if mode == "question" and st.question is not None:
            return "question", st.question, self.questions[st.question]
        if mode == "answer" and st.answer_block is not None:
            block = self.blocks[st.answer_block]
            return "answer", block.targets[0], block.segs
        if not self.metadata or mode not in ("metadata", "preamble"):
            self.metadata.append([])
        return "metadata", None, self.metadata[-1]

    def add_body(self, idx: int, text: str, gap: bool) -> None:
        role, owner, part = self.body_target()
        part.append(_Seg(idx + 1, text, gap))
        self.mark(idx, role, owner)

    def start_footnote(self, idx: int, number: int, text: str) -> None:
        st = self.state
        if number in self.footnotes:
            self.warn(idx + 1, f"footnote {number} appears twice; the second text is appended")
        else:
            self.footnotes[number] = []
        if st.carry is not None and st.carry == number - 1:
            self.pull_continuation(idx, st.carry)
        st.carry = None
        self.footnotes[number].append(_Seg(idx + 1, text))
        self.mark(idx, "footnote", number)
        if st.mode != "footnote":
            st.body_mode = st.mode
        st.mode = "footnote"
        st.footnote = number

    def pull_continuation(self, idx: int, number: int, *, trailing: bool = False) -> bool:
        """Move the text block just above line idx (on this page) to footnote `number`.

        Why: a footnote that runs over a page break continues at the top of the next page's
        footer, right above that page's first footnote (no blank line between), or alone at the
        end of the next page (`trailing`: then it must not read like running text, i.e. it starts
        in lower case, with a parenthesis or a link).
        """
        j = idx - 1
        if not trailing and j >= 0 and not self.lines[j].strip():
            return False
        while j >= 0 and (not self.lines[j].strip() or self.roles[j][0] == "header"):
            j -= 1
        block: list[int] = []
        while (
            j >= self.state.page_start - 1
            and self.lines[j].strip()
            and self.roles[j][0] in ("question", "answer", "metadata")
        ):
            block.append(j)
            j -= 1
        if not block or len(block) > 4 or j < self.state.page_start - 1:
            return False
        block.reverse()
        first = self.lines[block[0]].strip()
        if trailing and not (first[:1].islower() or first[:1] in "(«“" or find_urls(first[:12])):
            return False
        for k in block:
            role, owner = self.roles[k]
            part = self.part_of(role, owner)
            if part and part[-1].line == k + 1:
                part.pop()
            self.footnotes[number].append(_Seg(k + 1, self.lines[k].strip()))
            self.mark(k, "footnote", number)
        self.warn(block[0] + 1, f"footnote {number} continues after a page break; joined")
        return True

    def part_of(self, role: LineRole, owner: int | None) -> list[_Seg] | None:
        if role == "question" and owner is not None:
            return self.questions.get(owner)
        if role == "answer" and owner is not None:
            for block in reversed(self.blocks):
                if owner in block.targets:
                    return block.segs
        if role == "metadata" and self.metadata:
            return self.metadata[-1]
        return None

    def add_link(self, idx: int, url_line: str) -> None:
        """A bare URL line: belongs to the footnote citing it, else to the item whose text names it."""
        key = normalise_url(url_line)
        for number, segs in self.footnotes.items():
            if any(normalise_url(u) == key for seg in segs for u in find_urls(seg.text)):
                self.mark(idx, "footnote", number)
                return
        host = key.split("/")[0].removeprefix("www.")
        for number in reversed(self.order):
            segs = self.questions[number] + [s for bl in self.blocks if number in bl.targets for s in bl.segs]
            text = " ".join(s.text for s in segs)
            if host and host in text.lower():
                self.links.setdefault(number, []).append((idx + 1, url_line))
                self.mark(idx, "link", number)
                return
        _role, owner, part = self.body_target()
        if owner is not None:
            self.links.setdefault(owner, []).append((idx + 1, url_line))
            self.mark(idx, "link", owner)
        else:
            part.append(_Seg(idx + 1, url_line))
            self.mark(idx, "metadata", None)


def _looks_unfinished(segs: list[_Seg]) -> bool:
    """A footnote whose last line ends mid-sentence probably continues on the next page."""
    if not segs:
        return False
    last = segs[-1].text.rstrip()
    return bool(last) and (last[-1].isalpha() or last[-1] in ",-–(")


def _is_expected_question(b: _Builder, number: int, explicit: bool) -> bool:
    """Accept a question number only in sequence (or a small gap), so stray numbers stay text."""
    last = b.state.question
    if last is None:
        return number == 1 or (explicit and 0 < number < 200)
    if number in b.questions:
        return False
    if number == last + 1:
        return True
    return b.state.mode in ("answer", "footnote") and last + 1 < number <= last + 3


def parse_lines(text: str) -> _Builder:
    """Run the state machine over the text; the builder holds the raw parts and the ledger."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    b = _Builder(lines=[line.replace("\f", "") for line in raw_lines])
    b.roles = [("blank", None)] * len(b.lines)
    st = b.state
    blank_run = 0
    pending_break = False
    for idx, raw in enumerate(raw_lines):
        line = b.lines[idx]
        if "\f" in raw:
            pending_break = True
        stripped = line.strip()
        if not stripped:
            blank_run += 1
            continue
        if layout.is_header(stripped):
            b.mark(idx, "header", None)
            b.document_number = b.document_number or layout.document_number(stripped)
            pending_break = True
            continue
        page_break = blank_run >= 2 or pending_break
        gap = page_break
        after_blank = blank_run >= 1
        blank_run = 0
        pending_break = False
        if page_break:
            if st.mode == "footnote":
                fn = st.footnote
                st.mode = st.body_mode
                st.carry = fn if fn is not None and _looks_unfinished(b.footnotes.get(fn, [])) else None
            elif st.carry is not None:
                b.pull_continuation(idx, st.carry, trailing=True)
                st.carry = None
            st.page_start = idx + 1
        _handle_line(b, idx, stripped, gap=gap, after_blank=after_blank)
    if st.carry is not None:
        b.pull_continuation(len(b.lines), st.carry, trailing=True)
    return b


def _handle_line(b: _Builder, idx: int, line: str, *, gap: bool, after_blank: bool) -> None:
    st = b.state
    number = idx + 1
    if layout.is_metadata_start(line):
        st.mode = "metadata"
        b.metadata.append([_Seg(number, line, gap)])
        b.mark(idx, "metadata", None)
        return
    heading = layout.question_heading(line, allow_bare_inline=st.bare_inline_questions or st.question is None)
    if heading is not None:
        q, inline = heading
        explicit = line.lower().startswith("vraag")
        bare_inline = bool(inline) and not explicit
        if bare_inline and st.mode == "question":
            heading = None
        elif _is_expected_question(b, q, explicit):
            last = st.question
            if last is not None and q > last + 1:
                b.warn(number, f"question numbers {last + 1}..{q - 1} are missing")
            if bare_inline and st.question is None:
                st.bare_inline_questions = True
            b.ensure_item(q, number)
            st.question = q
            st.mode = "question"
            st.answer_block = None
            b.mark(idx, "question", q)
            if inline:
                b.questions[q].append(_Seg(number, inline))
            return
    answer = layout.answer_heading(line)
    if answer is not None:
        _start_answer(b, idx, answer)
        return
    start = layout.footnote_start(line)
    if start is not None and _accept_footnote(b, start[0], line):
        b.start_footnote(idx, start[0], start[1])
        return
    if layout.is_url_only(line):
        b.add_link(idx, line)
        return
    if st.mode == "footnote" and st.footnote is not None:
        if _continues_footnote(b, idx, line, after_blank):
            b.footnotes[st.footnote].append(_Seg(number, line))
            b.mark(idx, "footnote", st.footnote)
            return
        st.mode = st.body_mode
    b.add_body(idx, line, gap)


def _continues_footnote(b: _Builder, idx: int, line: str, after_blank: bool) -> bool:
    """Does this plain line continue the current footnote, or does running text resume?

    Running text resumes after a blank line, after the page's link list, or when the footnote's
    last line ended a sentence and this line does not open with a parenthesis or a link.
    """
    after_links = b.roles[idx - 1][0] == "footnote" and layout.is_url_only(b.lines[idx - 1])
    if after_blank or after_links:
        return bool(find_urls(line[:12])) and not after_blank
    segs = b.footnotes.get(b.state.footnote or 0, [])
    last = segs[-1].text.rstrip() if segs else ""
    if line[:1] in "(«“[" or find_urls(line[:12]):
        return True
    return bool(last) and last[-1] not in ".!?)»”\"’'" and not last[-1].isdigit()


def _accept_footnote(b: _Builder, number: int, line: str) -> bool:
    """A footnote starts with the next footnote number; a restart or jump is accepted sparingly."""
    expected = max(b.footnotes, default=0) + 1
    if number == expected:
        return True
    # a small gap (a footnote lost in extraction) only inside a footer block
    return b.state.mode == "footnote" and expected < number <= expected + 2


def _start_answer(b: _Builder, idx: int, heading: layout.AnswerHeading) -> None:
    st = b.state
    number = idx + 1
    targets = list(heading.numbers)
    if not targets:
        if st.question is None:
            b.warn(number, "answer heading before any question; kept as an answer to question 1")
            targets = [1]
        else:
            targets = [st.question]
    for t in targets:
        if t not in b.questions:
            b.warn(number, f"answer to question {t}, but the document has no question {t}")
            b.ensure_item(t, number)
        elif b.answered(t):
            b.warn(number, f"question {t} is answered more than once; the answers are joined")
    b.blocks.append(_AnswerBlock(number, tuple(targets)))
    st.mode = "answer"
    st.answer_block = len(b.blocks) - 1
    b.mark(idx, "answer", targets[0])
    if heading.rest:
        b.blocks[-1].segs.append(_Seg(number, heading.rest))


def reflow(segs: list[_Seg], width: float | None = None) -> str:
    """Join broken lines into running text; keep a blank line where a paragraph visibly ended."""
    out = ""
    prev: _Seg | None = None
    for seg in segs:
        text = seg.text.strip()
        if not text:
            continue
        if prev is None:
            out = text
        else:
            prev_text = prev.text.rstrip()
            short = width is not None and len(prev_text) < 0.8 * width
            if _SENTENCE_END.search(prev_text) and (short or seg.gap_before) and text[:1].isupper():
                out += "\n\n" + text
            elif re.search(r"[A-Za-zÀ-ÿ]-$", prev_text) and text[:1].islower():
                out += text
            else:
                out += " " + text
        prev = seg
    return out


def _typical_width(b: _Builder) -> float | None:
    lengths = sorted(
        len(s.text.strip()) for part in (*b.questions.values(), *(bl.segs for bl in b.blocks)) for s in part
    )
    if len(lengths) < 5:
        return None
    return float(lengths[int(0.9 * (len(lengths) - 1))])


def _dutch_date(day: str, month: str, year: str) -> str | None:
    try:
        return f"{int(year):04d}-{_MONTHS[month.lower()]:02d}-{int(day):02d}"
    except (KeyError, ValueError):
        return None


def _metadata(b: _Builder) -> Metadata:
    meta = Metadata(document_number=b.document_number)
    blocks = [reflow(block) for block in b.metadata if block]
    meta.preamble = [text for text in blocks if text]
    joined = " ".join(meta.preamble)
    understood: list[tuple[int, int]] = []
    if m := _ANSWERED_BY.search(joined):
        meta.role = m.group("role").lower()
        meta.name = " ".join(m.group("name").split())
        meta.ministry = " ".join(m.group("ministry").split())
        meta.answered_by = f"{meta.role} {meta.name}"
        understood.append(m.span())
    if m := _RECEIVED.search(joined):
        meta.received = _dutch_date(m.group(1), m.group(2), m.group(3))
        understood.append(m.span())
    if m := _SUBMITTED.search(joined):
        meta.submitted = _dutch_date(m.group(1), m.group(2), m.group(3))
        understood.append(m.span())
    if m := _ASKED_BY.search(joined):
        meta.asked_by = " ".join(m.group("who").split())
        understood.append((m.start(), len(joined)))
    if m := _AANHANGSEL.search(joined):
        meta.aanhangsel = {"vergaderjaar": f"{m.group(1)}-{m.group(2)}", "nr": int(m.group(3))}
        understood.append(m.span())
    for block in b.metadata:
        text = reflow(block)
        if not text:
            continue
        start = joined.find(text)
        covered = any(s <= start < e for s, e in understood) if start >= 0 else False
        if not covered and not re.match(r"^(Zie ook|Antwoord|Vragen|Mededeling)", text, re.IGNORECASE):
            b.warn(block[0].line, f"text outside any question or answer kept as metadata: {text[:60]!r}")
    return meta


def _attach_markers(
    texts: list[tuple[str, int, str]], footnote_numbers: set[int]
) -> dict[tuple[str, int], str]:
    """Replace footnote markers ("banen?'?1", "Dialogic5") by "[n]", in document order.

    Why in order: markers are bare digits glued to a word, so only the next expected footnote
    number (or one just after it) is taken as a marker; "COVID-19" or "2019" are left alone.
    """
    expected = min(footnote_numbers, default=1)
    out: dict[tuple[str, int], str] = {}
    for kind, number, text in texts:

        def replace(match: re.Match[str]) -> str:
            nonlocal expected
            value = int(match.group(1))
            if value in footnote_numbers and expected <= value <= expected + 2:
                expected = value + 1
                return f"[{value}]"
            return match.group(0)

        out[(kind, number)] = _MARKER.sub(replace, text)
    return out


def build_document(text: str, source_name: str = "") -> AnswerDocument:
    """Parse the text of an answer document into an AnswerDocument (claims and checks come later)."""
    if not text.strip():
        raise InputError("document", "the document is empty")
    b = parse_lines(text)
    if not b.questions:
        raise InputError(
            "document",
            "no numbered questions found; expected a parliamentary answer document "
            "(questions numbered '1' or 'Vraag 1', answers headed 'Antwoord')",
        )
    width = _typical_width(b)
    meta = _metadata(b)

    footnotes: list[Footnote] = []
    for number in sorted(b.footnotes):
        segs = b.footnotes[number]
        fn_text = reflow(segs)
        urls = find_urls(fn_text)
        footnotes.append(
            Footnote(
                number=number,
                text=fn_text,
                urls=urls,
                kamerstukken=find_kamerstukken(fn_text),
                lines=[s.line for s in segs],
            )
        )
    for idx, (role, owner) in enumerate(b.roles):
        if role == "footnote" and owner is not None and layout.is_url_only(b.lines[idx]):
            fn = next(f for f in footnotes if f.number == owner)
            fn.lines.append(idx + 1)

    parts: list[tuple[int, str, int, str]] = [
        (b.question_line[n], "question", n, reflow(b.questions[n], width)) for n in b.order
    ]
    parts += [(bl.line, "answer", i, reflow(bl.segs, width)) for i, bl in enumerate(b.blocks)]
    parts.sort(key=lambda part: part[0])
    marked = _attach_markers([(kind, key, text) for _, kind, key, text in parts], set(b.footnotes))

    items: list[Item] = []
    for number in sorted(b.order):
        question = marked.get(("question", number)) or None
        mine = [i for i, bl in enumerate(b.blocks) if number in bl.targets]
        answer = "\n\n".join(t for i in mine if (t := marked.get(("answer", i), ""))) if mine else None
        together: list[int] = []
        for i in mine:
            together += [t for t in b.blocks[i].targets if t not in together]
        item = Item(
            number=number,
            question=question,
            answer=answer,
            answered_together=together if len(together) > 1 else [],
            links=[url for _, url in b.links.get(number, [])],
            question_lines=[s.line for s in b.questions[number]],
            answer_lines=[s.line for i in mine for s in b.blocks[i].segs],
        )
        body = f"{question or ''}\n{answer or ''}"
        item.footnotes = sorted({int(n) for n in re.findall(r"\[(\d{1,2})\]", body)} & set(b.footnotes))
        item.kamerstukken = find_kamerstukken(body)
        if not question:
            b.warn(None, f"question {number} has no question text")
        if not mine:
            b.warn(None, f"question {number} has no answer")
        elif not answer:
            b.warn(None, f"the answer to question {number} is empty")
        items.append(item)

    referenced = {n for it in items for n in it.footnotes}
    for fn in footnotes:
        if fn.number not in referenced:
            b.warn(fn.lines[0] if fn.lines else None, f"footnote {fn.number} is not referenced in the text")

    records = [
        LineRecord(number=i + 1, text=b.lines[i], role=role, owner=owner)
        for i, (role, owner) in enumerate(b.roles)
    ]
    warnings = sorted(b.warnings, key=lambda w: (w.line is None, w.line or 0))
    return AnswerDocument(
        metadata=meta,
        items=items,
        footnotes=footnotes,
        warnings=warnings,
        lines=records,
        source_name=source_name,
    )
