"""Turn the text of an answer document into questions, answers, footnotes and metadata.

Why a line-by-line state machine: PDF extraction interleaves page footers (footnotes, link lists)
with the running text and breaks lines mid-sentence, so structure has to be recovered from line
starts and page breaks (two or more blank lines, a form feed or a page footer). Every source line
is entered in a ledger with the part it went to, so nothing is dropped silently: what the parser
does not understand is kept where it most likely belongs and reported as a warning with its line
number.

Why questions are kept by position, not by number: documents repeat or skip numbers ("Vraag 3"
twice, "Vraag 5" before "Vraag 4"); a question label always opens a question of its own, the
numbering problem is reported, and an answer goes to the latest question with its number.

Linear time: each line is handled once, with lookups in dicts and sets; nothing rescans the
document per line (a 20 MB text is read in seconds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from peloton.errors import InputError
from peloton.reader import layout, markers
from peloton.reader.metadata import read_head
from peloton.reader.model import (
    AnswerDocument,
    Footnote,
    Item,
    LineRecord,
    LineRole,
    Metadata,
    ReaderWarning,
)
from peloton.reader.normalise import Lexicon, clean_line, join_broken
from peloton.reader.references import (
    find_aanhangsel_refs,
    find_document_ids,
    find_kamerstukken,
    find_letter_refs,
    find_urls,
    normalise_url,
)

_SENTENCE_END = re.compile(r"[.!?:;][’'»”\")]*(?:\[\d+\])*\d{0,2}\s*$")
_ENDS_SENTENCE = re.compile(r"[.!?:;)»”\"’'\]]\s*$")
_MARKER_START = re.compile(r"^(?:\[\d+\])+")
_MARKERS_AT_END = re.compile(r"(?:\[\d+\])+$")
_RECENT = 4  # how many recent questions a bare link line may belong to


@dataclass
class _Seg:
    line: int
    text: str
    gap_before: bool = False


@dataclass
class _Question:
    """One question label ("Vraag 2 en 3" carries two numbers) and its text."""

    numbers: tuple[int, ...]
    line: int
    segs: list[_Seg] = field(default_factory=list)
    answered: bool = False
    synthetic: bool = False  # made for an answer to a question the document does not have


@dataclass
class _AnswerBlock:
    """One answer heading and its text; it may answer several questions ("Antwoord 3 en 4")."""

    line: int
    targets: tuple[int, ...]  # indexes into _Builder.questions
    segs: list[_Seg] = field(default_factory=list)


@dataclass
class _State:
    mode: str = "preamble"  # preamble | metadata | question | answer | footnote | mededeling
    body_mode: str = "preamble"
    question: int | None = None  # index of the current question
    last_number: int | None = None  # the highest number of the current question
    answer_block: int | None = None
    footnote: int | None = None
    carry: int | None = None
    page: int = 0
    page_start: int = 1
    bare_inline_questions: bool = False


@dataclass
class _Builder:
    lines: list[str]
    roles: list[tuple[LineRole, int | None]] = field(default_factory=list)
    dropped: dict[int, str] = field(default_factory=dict)
    page_of: list[int] = field(default_factory=list)
    questions: list[_Question] = field(default_factory=list)
    by_number: dict[int, list[int]] = field(default_factory=dict)
    blocks: list[_AnswerBlock] = field(default_factory=list)
    footnotes: dict[int, list[_Seg]] = field(default_factory=dict)
    metadata: list[list[_Seg]] = field(default_factory=list)
    mededeling: list[_Seg] = field(default_factory=list)
    links: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    footnote_urls: dict[str, int] = field(default_factory=dict)
    warnings: list[ReaderWarning] = field(default_factory=list)
    document_number: str | None = None
    masthead_years: str | None = None
    masthead_number: int | None = None
    after_masthead: bool = False
    state: _State = field(default_factory=_State)

    # -- ledger -------------------------------------------------------------------------------
    def mark(self, idx: int, role: LineRole, owner: int | None) -> None:
        self.roles[idx] = (role, owner)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(ReaderWarning(line, message))

    # -- parts --------------------------------------------------------------------------------
    def add_question(self, numbers: tuple[int, ...], line: int, *, synthetic: bool = False) -> int:
        self.questions.append(_Question(numbers, line, synthetic=synthetic))
        qid = len(self.questions) - 1
        for n in numbers:
            self.by_number.setdefault(n, []).append(qid)
        return qid

    def owner_number(self, qid: int) -> int:
        return self.questions[qid].numbers[0]

    def body_target(self) -> tuple[LineRole, int | None, list[_Seg]]:
        """The part that running text goes to in the current body mode."""
        st = self.state
        mode = st.body_mode if st.mode == "footnote" else st.mode
        if mode == "question" and st.question is not None:
            return "question", self.owner_number(st.question), self.questions[st.question].segs
        if mode == "answer" and st.answer_block is not None:
            block = self.blocks[st.answer_block]
            return "answer", self.owner_number(block.targets[0]), block.segs
        if mode == "mededeling":
            return "mededeling", None, self.mededeling
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
        for url in find_urls(text):
            self.footnote_urls.setdefault(normalise_url(url), number)
        self.mark(idx, "footnote", number)
        if st.mode != "footnote":
            st.body_mode = st.mode
        st.mode = "footnote"
        st.footnote = number

    def add_footnote_line(self, idx: int, text: str) -> None:
        number = self.state.footnote
        assert number is not None
        self.footnotes[number].append(_Seg(idx + 1, text))
        for url in find_urls(text):
            self.footnote_urls.setdefault(normalise_url(url), number)
        self.mark(idx, "footnote", number)

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
            and len(block) <= 4
        ):
            if trailing and block and _ENDS_SENTENCE.search(self.lines[j]):
                break  # the page's running text ended here; what follows is the footnote's tail
            block.append(j)
            j -= 1
        if not block or len(block) > 4 or j < self.state.page_start - 1:
            return False
        block.reverse()
        first = self.lines[block[0]].strip()
        if trailing and not (first[:1].islower() or first[:1] in "(«“" or find_urls(first[:12])):
            return False
        for k in block:
            role, _owner = self.roles[k]
            part = self.part_of(role)
            if part and part[-1].line == k + 1:
                part.pop()
            self.footnotes[number].append(_Seg(k + 1, self.lines[k].strip()))
            self.mark(k, "footnote", number)
        self.warn(block[0] + 1, f"footnote {number} continues after a page break; joined")
        return True

    def part_of(self, role: LineRole) -> list[_Seg] | None:
        """The part the latest line of this role went to (a continuation is taken back from it)."""
        st = self.state
        if role == "question" and st.question is not None:
            return self.questions[st.question].segs
        if role == "answer" and st.answer_block is not None:
            return self.blocks[st.answer_block].segs
        if role == "metadata" and self.metadata:
            return self.metadata[-1]
        return None

    def add_link(self, idx: int, url_line: str) -> None:
        """A bare URL line: belongs to the footnote citing it, else to a recent item naming its host."""
        key = normalise_url(url_line)
        if key in self.footnote_urls:
            self.mark(idx, "footnote", self.footnote_urls[key])
            return
        host = key.split("/")[0].removeprefix("www.")
        for qid in range(len(self.questions) - 1, max(-1, len(self.questions) - 1 - _RECENT), -1):
            segs = list(self.questions[qid].segs)
            segs += [s for bl in self.blocks[-_RECENT:] if qid in bl.targets for s in bl.segs]
            text = " ".join(s.text for s in segs)
            if host and host in text.lower():
                self.links.setdefault(qid, []).append((idx + 1, url_line))
                self.mark(idx, "link", self.owner_number(qid))
                return
        role, owner, part = self.body_target()
        st = self.state
        current: int | None = None
        if role == "question":
            current = st.question
        elif role == "answer" and st.answer_block is not None:
            current = self.blocks[st.answer_block].targets[0]
        if current is not None:
            self.links.setdefault(current, []).append((idx + 1, url_line))
            self.mark(idx, "link", owner)
        else:
            part.append(_Seg(idx + 1, url_line))
            self.mark(idx, role, None)


def _looks_unfinished(segs: list[_Seg]) -> bool:
    """A footnote whose last line ends mid-sentence probably continues on the next page."""
    if not segs:
        return False
    last = segs[-1].text.rstrip()
    return bool(last) and (last[-1].isalpha() or last[-1] in ",-–(")


def _accept_question(b: _Builder, idx: int, heading: layout.QuestionHeading) -> bool:
    """Is this label a new question? "Vraag N" always is; a bare number only where one is expected.

    A bare number is expected next in sequence (or after a small gap); a bare number that repeats
    or goes back (a second question set, a numbering slip) is taken when it stands alone between
    the end of a sentence and a line that does not continue one, so a figure on a line of its own
    stays text.
    """
    st = b.state
    first = heading.numbers[0]
    last = st.last_number
    if heading.explicit:
        return True
    if last is None:
        return first == 1
    if first == last + 1:
        return True
    if first in b.by_number or first <= last:
        if heading.rest or st.mode not in ("answer", "footnote", "metadata"):
            return False
        return _stands_alone(b, idx, after_sentence=st.mode != "metadata")
    return st.mode in ("answer", "footnote") and last + 1 < first <= last + 3


def _stands_alone(b: _Builder, idx: int, *, after_sentence: bool) -> bool:
    previous = next(
        (b.lines[j].strip() for j in range(idx - 1, max(-1, idx - 6), -1) if b.lines[j].strip()), ""
    )
    following = next(
        (b.lines[j].strip() for j in range(idx + 1, min(len(b.lines), idx + 6)) if b.lines[j].strip()), ""
    )
    ended = not after_sentence or not previous or bool(_ENDS_SENTENCE.search(previous))
    return ended and bool(following) and not following[:1].islower()


def _open_question(b: _Builder, idx: int, heading: layout.QuestionHeading) -> None:
    st = b.state
    number = idx + 1
    first = heading.numbers[0]
    last = st.last_number
    repeated = [n for n in heading.numbers if n in b.by_number]
    if repeated:
        listed = ", ".join(str(n) for n in repeated)
        b.warn(number, f"question number {listed} appears again; kept as a separate question")
    elif last is not None and first < last:
        b.warn(number, f"question {first} comes after question {last}; numbering out of order")
    elif last is not None and first > last + 1:
        b.warn(number, f"question numbers {last + 1}..{first - 1} are missing")
    if heading.rest and not heading.explicit and st.question is None:
        st.bare_inline_questions = True
    qid = b.add_question(heading.numbers, number)
    st.question = qid
    st.last_number = max(heading.numbers)
    st.mode = "question"
    st.answer_block = None
    b.mark(idx, "question", first)
    if heading.rest:
        b.questions[qid].segs.append(_Seg(number, heading.rest))


def _masthead_line(b: _Builder, idx: int, stripped: str) -> bool:
    """The series masthead on the first page and the document's own number right after it."""
    if b.questions:
        return False
    if layout.is_header(stripped):
        b.masthead_years = b.masthead_years or layout.masthead_years(stripped)
        b.after_masthead = layout.ends_masthead(stripped) or b.after_masthead
        return False
    previous = next((b.roles[j][0] for j in range(idx - 1, max(-1, idx - 4), -1) if b.lines[j].strip()), "")
    decorated = stripped.startswith("#")  # "# 2" opening a Markdown conversion
    stripped = layout.plain_line(stripped)
    if stripped.isdigit() and (previous == "header" or b.after_masthead or decorated) and len(stripped) <= 5:
        if b.after_masthead and b.masthead_number is None:
            b.masthead_number = int(stripped)
            b.after_masthead = False
        b.mark(idx, "header", None)
        return True
    return False


def parse_lines(text: str) -> _Builder:
    """Run the state machine over the text; the builder holds the raw parts and the ledger."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    b = _Builder(lines=[clean_line(line.replace("\f", "")) for line in raw_lines])
    b.roles = [("blank", None)] * len(b.lines)
    b.page_of = [0] * len(b.lines)
    st = b.state
    blank_run = 0
    pending_break = False
    for idx, raw in enumerate(raw_lines):
        line = b.lines[idx]
        if "\f" in raw:
            pending_break = True
            st.page += 1
        b.page_of[idx] = st.page
        stripped = line.strip()
        if not stripped:
            blank_run += 1
            continue
        if _masthead_line(b, idx, stripped):
            continue
        footer, rest = layout.split_footer(stripped)
        if footer and not rest:
            stripped = footer  # a footer made of several pieces: a header line
        if footer and rest:
            b.dropped[idx] = footer
            b.document_number = b.document_number or layout.document_number(footer)
            pending_break = True
            stripped = rest
        elif footer or layout.is_header(stripped):
            b.mark(idx, "header", None)
            b.document_number = b.document_number or layout.document_number(stripped)
            if not pending_break:
                st.page += 1
            pending_break = True
            continue
        page_break = blank_run >= 2 or pending_break
        after_blank = blank_run >= 1
        if blank_run >= 2 and not pending_break:
            st.page += 1
            b.page_of[idx] = st.page
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
        _handle_line(b, idx, stripped, gap=page_break, after_blank=after_blank)
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
    if b.questions and layout.is_mededeling_heading(line):
        st.mode = "mededeling"
        b.mark(idx, "mededeling", None)
        return
    heading = layout.question_heading(line, allow_bare_inline=st.bare_inline_questions or st.question is None)
    if heading is not None:
        bare_inline = bool(heading.rest) and not heading.explicit
        if not (bare_inline and st.mode == "question") and _accept_question(b, idx, heading):
            _open_question(b, idx, heading)
            return
    answer = layout.answer_heading(line)
    if answer is not None:
        _start_answer(b, idx, answer)
        return
    start = layout.footnote_start(line)
    if start is not None and _accept_footnote(b, start[0]):
        b.start_footnote(idx, start[0], start[1])
        return
    if layout.is_url_only(line):
        b.add_link(idx, line)
        return
    if st.mode == "footnote" and st.footnote is not None:
        if _continues_footnote(b, idx, line, after_blank):
            b.add_footnote_line(idx, line)
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


def _accept_footnote(b: _Builder, number: int) -> bool:
    """A footnote starts with the next footnote number; a restart or jump is accepted sparingly."""
    expected = max(b.footnotes, default=0) + 1
    if number == expected:
        return True
    # a small gap (a footnote lost in extraction) only inside a footer block
    return b.state.mode == "footnote" and expected < number <= expected + 2


def _resolve(b: _Builder, number: int, line: int) -> int | None:
    """The question an "Antwoord N" answers: the latest unanswered one with that number, else the latest."""
    qids = b.by_number.get(number, [])
    before = [q for q in qids if b.questions[q].line < line]
    for qid in reversed(before):
        if not b.questions[qid].answered:
            return qid
    return before[-1] if before else (qids[-1] if qids else None)


def _start_answer(b: _Builder, idx: int, heading: layout.AnswerHeading) -> None:
    st = b.state
    number = idx + 1
    targets: list[int] = []
    if not heading.numbers:
        if st.question is None:
            b.warn(number, "answer heading before any question; kept as an answer to question 1")
            targets = [b.add_question((1,), number, synthetic=True)]
        else:
            targets = [st.question]
            # "Antwoord" under "Vraag 2 en 3" answers both (the label carried two numbers)
    for n in heading.numbers:
        qid = _resolve(b, n, number)
        if qid is None:
            b.warn(number, f"answer to question {n}, but the document has no question {n}")
            qid = b.add_question((n,), number, synthetic=True)
        elif b.questions[qid].answered:
            b.warn(number, f"question {n} is answered more than once; the answers are joined")
        if qid not in targets:
            targets.append(qid)
    for qid in targets:
        b.questions[qid].answered = True
    b.blocks.append(_AnswerBlock(number, tuple(targets)))
    st.mode = "answer"
    st.answer_block = len(b.blocks) - 1
    b.mark(idx, "answer", b.owner_number(targets[0]))
    if heading.rest:
        b.blocks[-1].segs.append(_Seg(number, heading.rest))


def reflow(segs: list[_Seg], width: float | None = None, lexicon: Lexicon | None = None) -> str:
    """Join broken lines into running text; keep a blank line where a paragraph visibly ended.

    Words hyphenated at a line end are joined (real hyphens kept, see normalise.join_broken); a
    footnote marker alone at a line start ("[2] is aangegeven") is glued to the word before it.
    """
    out: list[str] = []  # one fragment per line and the separators between them (no re-copying)
    prev: _Seg | None = None
    for seg in segs:
        text = seg.text.strip()
        if not text:
            continue
        if prev is None or not out:
            out.append(text)
        else:
            prev_text = out[-1]
            short = width is not None and len(prev.text.rstrip()) < 0.8 * width
            joined = join_broken(prev_text, text, lexicon)
            if _MARKER_START.match(text):
                out.append(text)
            elif joined is not None:
                out[-1] = joined
            elif _SENTENCE_END.search(prev_text[-40:]) and (short or seg.gap_before) and text[:1].isupper():
                out += ["\n\n", text]
            else:
                out += [" ", text]
        prev = seg
    return "".join(out)


def _typical_width(b: _Builder) -> float | None:
    lengths = sorted(
        len(s.text.strip())
        for part in (*(q.segs for q in b.questions), *(bl.segs for bl in b.blocks))
        for s in part
    )
    if len(lengths) < 5:
        return None
    return float(lengths[int(0.9 * (len(lengths) - 1))])


def _metadata(b: _Builder, lexicon: Lexicon) -> Metadata:
    meta = Metadata(document_number=b.document_number)
    blocks = [reflow(block, lexicon=lexicon) for block in b.metadata]
    for index in read_head(blocks, meta):
        b.warn(
            b.metadata[index][0].line,
            f"text outside any question or answer kept as metadata: {blocks[index][:60]!r}",
        )
    if b.document_number and (m := re.match(r"a[hk]-[te]k-(\d{4})(\d{4})-(\d+)$", b.document_number)):
        meta.number = {"vergaderjaar": f"{m.group(1)}-{m.group(2)}", "nr": int(m.group(3))}
    elif b.masthead_number is not None:
        meta.number = {"vergaderjaar": b.masthead_years, "nr": b.masthead_number}
    if b.mededeling or meta.kind == "mededeling":
        meta.kind = "mededeling"
        text = reflow(b.mededeling, lexicon=lexicon)
        meta.mededeling = text or None
        meta.letter = find_letter_refs(text)
    return meta


def _split_asked_together(q: _Question) -> list[list[_Seg]] | None:
    """The lines under "Vraag 2 en 3" cut into one question per number, when the cut is certain.

    A cut is a line that ends with a question mark followed by a line that opens a new sentence;
    only when there are exactly as many cuts as numbers minus one is the text divided, else each
    number gets the whole text (and `asked_together` says they share it).
    """
    if len(q.numbers) < 2:
        return None
    cuts = [
        k + 1
        for k in range(len(q.segs) - 1)
        if _MARKERS_AT_END.sub("", q.segs[k].text.strip()).endswith("?")
        and q.segs[k + 1].text.strip()[:1].isupper()
    ]
    if len(cuts) != len(q.numbers) - 1:
        return None
    bounds = [0, *cuts, len(q.segs)]
    return [q.segs[a:b] for a, b in pairwise(bounds)]


def _mark_footnotes(b: _Builder) -> None:
    """Find each footnote's marker in the running text and write it as "[n]" (see markers.py)."""
    if not b.footnotes:
        return
    parts: list[list[_Seg]] = [q.segs for q in b.questions] + [bl.segs for bl in b.blocks]
    parts = [p for p in parts if p]
    parts.sort(key=lambda segs: segs[0].line)
    found = markers.candidates(parts, set(b.footnotes))
    pages = {n: b.page_of[segs[0].line - 1] for n, segs in b.footnotes.items() if segs}
    chosen = markers.assign(found, pages, b.page_of)
    markers.apply(parts, chosen)


def build_document(text: str, source_name: str = "") -> AnswerDocument:
    """Parse the text of an answer document into an AnswerDocument (claims and checks come later)."""
    if not text.strip():
        raise InputError("document", "the document is empty")
    b = parse_lines(text)
    if not any(not q.synthetic for q in b.questions):
        raise InputError(
            "document",
            "no numbered questions found; expected a parliamentary answer document "
            "(questions numbered '1' or 'Vraag 1', answers headed 'Antwoord')",
        )
    lexicon = Lexicon(b.lines)
    _mark_footnotes(b)
    width = _typical_width(b)
    meta = _metadata(b, lexicon)

    footnotes: list[Footnote] = []
    for number in sorted(b.footnotes):
        segs = b.footnotes[number]
        fn_text = reflow(segs, lexicon=lexicon)
        footnotes.append(
            Footnote(
                number=number,
                text=fn_text,
                urls=find_urls(fn_text),
                kamerstukken=find_kamerstukken(fn_text),
                lines=[s.line for s in segs],
                aanhangsel_refs=find_aanhangsel_refs(fn_text),
                document_ids=find_document_ids(fn_text),
            )
        )
    by_fn = {fn.number: fn for fn in footnotes}
    listed = {(fn.number, line) for fn in footnotes for line in fn.lines}
    for idx, (role, owner) in enumerate(b.roles):
        url_line = role == "footnote" and owner in by_fn and layout.is_url_only(b.lines[idx])
        if url_line and owner is not None and (owner, idx + 1) not in listed:
            by_fn[owner].lines.append(idx + 1)

    answers = [reflow(bl.segs, width, lexicon) for bl in b.blocks]
    blocks_of: dict[int, list[int]] = {}
    for i, bl in enumerate(b.blocks):
        for qid in bl.targets:
            blocks_of.setdefault(qid, []).append(i)
    numbers_seen: dict[int, int] = {}
    for q in b.questions:
        for n in q.numbers:
            numbers_seen[n] = numbers_seen.get(n, 0) + 1
    mededeling = meta.kind == "mededeling"
    items: list[Item] = []
    known_footnotes = set(b.footnotes)
    for qid, q in enumerate(b.questions):
        whole = reflow(q.segs, width, lexicon) or None
        groups = _split_asked_together(q)
        parts = [reflow(g, width, lexicon) for g in groups] if groups else None
        for k, group in enumerate(groups or []):
            for seg in group:  # the ledger: each line belongs to the question it now reads in
                if b.roles[seg.line - 1][0] == "question":
                    b.roles[seg.line - 1] = ("question", q.numbers[k])
        mine = blocks_of.get(qid, [])
        answer = "\n\n".join(t for i in mine if (t := answers[i])) if mine else None
        together: list[int] = []
        for i in mine:
            for target in b.blocks[i].targets:
                together += [n for n in b.questions[target].numbers if n not in together]
        for k, n in enumerate(q.numbers):
            question = parts[k] if parts else whole
            item = Item(
                number=n,
                question=question,
                answer=answer,
                answered_together=together if len(together) > 1 else [],
                asked_together=list(q.numbers) if len(q.numbers) > 1 else [],
                links=[url for _, url in b.links.get(qid, [])],
                question_lines=[s.line for s in q.segs],
                answer_lines=[s.line for i in mine for s in b.blocks[i].segs],
            )
            body = f"{question or ''}\n{answer or ''}"
            item.footnotes = sorted({int(x) for x in re.findall(r"\[(\d{1,3})\]", body)} & known_footnotes)
            item.kamerstukken = find_kamerstukken(body)
            item.aanhangsel_refs = find_aanhangsel_refs(body)
            item.document_ids = find_document_ids(body)
            if not question:
                b.warn(None, f"question {n} has no question text")
            if not mine and not mededeling:
                b.warn(None, f"question {n} has no answer")
            elif mine and not answer:
                b.warn(None, f"the answer to question {n} is empty")
            items.append(item)
    if all(count == 1 for count in numbers_seen.values()):
        items.sort(key=lambda it: it.number)  # else document order; the warnings name the problem

    referenced = {n for it in items for n in it.footnotes}
    for fn in footnotes:
        if fn.number not in referenced:
            b.warn(fn.lines[0] if fn.lines else None, f"footnote {fn.number} is not referenced in the text")

    records = [
        LineRecord(number=i + 1, text=b.lines[i], role=role, owner=owner, dropped=b.dropped.get(i, ""))
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
