"""The reader's outputs: JSON (the REST API's shape), Markdown, self-contained HTML and a Rich view.

Why one module: all four show the same AnswerDocument; keeping them together keeps their wording
("confirmed", "differs", "not checkable") and their order identical.
"""

from __future__ import annotations

import json
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from peloton.catalog import load_catalog
from peloton.reader.model import AnswerDocument, Claim, Item

_CHECK_MARK = {"confirmed": "✓ confirmed", "differs": "✗ differs", "not checkable": "– not checkable"}


def to_json(doc: AnswerDocument) -> str:
    """The document as JSON (UTF-8, indented); `doc.as_dict()` is the same as a Python object."""
    return json.dumps(doc.as_dict(), ensure_ascii=False, indent=2)


@cache
def _scheme_names() -> dict[str, str]:
    return {s.id: s.name for s in load_catalog()}


def scheme_label(scheme_id: str) -> str:
    """ "wbso" → "WBSO (wbso)": the name people know, with the id scripts use."""
    name = _scheme_names().get(scheme_id, scheme_id)
    return f"{name} (`{scheme_id}`)"


def format_value(claim: Claim) -> str:
    """A claim's value as a reader expects it: "20.340", "-1,8 %", "€ 1.500.000", "2010–2020"."""

    def number(value: float | int) -> str:
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        else:
            text = f"{int(value):,}"
        return text.replace(",", "_").replace(".", ",").replace("_", ".")

    if claim.kind == "trend":
        return claim.raw
    if claim.kind in ("year", "period"):
        return (
            f"{int(claim.value)}–{int(claim.value_to)}"
            if claim.value_to is not None
            else str(int(claim.value))
        )
    value = number(claim.value)
    if claim.value_to is not None:
        value = f"{value}–{number(claim.value_to)}"
    if claim.unit == "%":
        value += " %"
    elif claim.unit == "EUR":
        value = f"€ {value}"
    elif claim.unit:
        value += f" {claim.unit}"
    if claim.qualifier:
        value = f"{claim.qualifier} {value}"
    return value


def claim_evidence(claim: Claim) -> str:
    """Source and stored value for a checked claim; the reason when it could not be checked."""
    if claim.check == "not checkable":
        if claim.kind in ("year", "period"):
            return "a date, not a statistic"
        return claim.note or ""
    if claim.kind == "trend":
        return f"{short_source(claim.source or '')}: {claim.note}"
    stored = f"{claim.store_value:g}" if claim.store_value is not None else "?"
    return f"{short_source(claim.source or '')}: {stored} ({claim.measure})"


def short_source(source: str) -> str:
    """The first of several " ; "-separated sources, with a count of the others (full list in JSON)."""
    parts = [p.strip() for p in source.split(" ; ") if p.strip()]
    if len(parts) <= 1:
        return source
    return f"{parts[0]} (+{len(parts) - 1} more)"


def _metadata_rows(doc: AnswerDocument) -> list[tuple[str, str]]:
    meta = doc.metadata
    rows: list[tuple[str, str]] = []
    if meta.answered_by:
        rows.append(
            ("Answered by", f"{meta.answered_by} ({meta.ministry})" if meta.ministry else meta.answered_by)
        )
    if meta.received:
        rows.append(("Received", meta.received))
    if meta.asked_by:
        rows.append(("Asked by", meta.asked_by + (f", submitted {meta.submitted}" if meta.submitted else "")))
    if meta.on_behalf_of:
        rows.append(("On behalf of", meta.on_behalf_of))
    if meta.number:
        rows.append(("Aanhangsel", f"vergaderjaar {meta.number['vergaderjaar']}, nr. {meta.number['nr']}"))
    if meta.kind == "mededeling":
        letter = "; ".join(f"Kamerstuk {k.dossier}, nr. {k.nr}" for k in meta.letter) or "a letter"
        rows.append(("Mededeling", f"the questions are answered by {letter}"))
    if meta.aanhangsel:
        rows.append(
            (
                "See also",
                f"Aanhangsel Handelingen, vergaderjaar {meta.aanhangsel['vergaderjaar']}, "
                f"nr. {meta.aanhangsel['nr']}",
            )
        )
    if meta.document_number:
        rows.append(("Document", meta.document_number))
    if doc.source_name:
        rows.append(("Source file", doc.source_name))
    rows.append(("Figures checked against", doc.checked_against or "nothing (no stats store)"))
    return rows


def summary(doc: AnswerDocument) -> dict[str, int]:
    """Counts a user checks first: questions, answers, footnotes, references, schemes, figures."""
    schemes = {s for it in doc.items for s in it.schemes}
    claims = [c for it in doc.items for c in it.claims]
    return {
        "questions": sum(1 for it in doc.items if it.question),
        "answers": sum(1 for it in doc.items if it.answer),
        "footnotes": len(doc.footnotes),
        "kamerstukken": sum(len(f.kamerstukken) for f in doc.footnotes)
        + sum(len(it.kamerstukken) for it in doc.items),
        "linked_schemes": len(schemes),
        "figures": len(claims),
        "confirmed": sum(1 for c in claims if c.check == "confirmed"),
        "differs": sum(1 for c in claims if c.check == "differs"),
        "warnings": len(doc.warnings),
    }


def shared_with(doc: AnswerDocument, item: Item) -> int | None:
    """The earlier question whose answer this item shares word for word ("Antwoord 3 en 4"), if any."""
    if not item.answered_together or item.answered_together[0] == item.number:
        return None
    first = item.answered_together[0]
    try:
        other = doc.item(first)
    except KeyError:
        return None
    return first if other.answer == item.answer else None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def _item_markdown(doc: AnswerDocument, item: Item) -> list[str]:
    out = [f"## Question {item.number}", ""]
    out += [_quote(item.question) if item.question else "> *(question text not found)*", ""]
    shared = shared_with(doc, item)
    if shared is not None:
        out += [f"**Answer** (answered together with question {shared}, see there)", ""]
    elif item.answer is not None:
        together = ", ".join(str(n) for n in item.answered_together)
        out += [
            f"**Answer**{f' (to questions {together})' if together else ''}",
            "",
            item.answer or "*(empty)*",
            "",
        ]
    elif doc.metadata.kind == "mededeling":
        out += ["**Answer:** *answered by a separate letter (see the Mededeling)*", ""]
    else:
        out += ["**Answer:** *not answered in this document*", ""]
    facts: list[str] = []
    if item.schemes:
        facts.append("Schemes: " + ", ".join(scheme_label(s) for s in item.schemes))
    if item.unknown_schemes:
        facts.append("Programmes not in the catalog: " + ", ".join(item.unknown_schemes))
    if item.footnotes:
        facts.append("Footnotes: " + ", ".join(f"[{n}]" for n in item.footnotes))
    if item.kamerstukken:
        facts.append(
            "Kamerstukken: " + ", ".join(f"[{k.dossier}, nr. {k.nr}]({k.url})" for k in item.kamerstukken)
        )
    if item.links:
        facts.append("Links: " + ", ".join(item.links))
    out += [f"- {fact}" for fact in facts]
    if facts:
        out.append("")
    shown = item.claims if shared is None else [c for c in item.claims if c.part == "question"]
    if shown:
        out += ["| figure | in | year | check | source / note |", "|---|---|---|---|---|"]
        for claim in shown:
            out.append(
                f"| {_cell(format_value(claim))} | {claim.part} | {claim.period or ''} | "
                f"{_CHECK_MARK[claim.check]} | {_cell(claim_evidence(claim))} |"
            )
        out.append("")
    return out


def to_markdown(doc: AnswerDocument) -> str:
    """A readable Markdown report: metadata, each question and answer with schemes and figures."""
    meta = doc.metadata
    title = f"Answers of {meta.answered_by}" if meta.answered_by else "Answers to parliamentary questions"
    out = [f"# {title}", "", "| | |", "|---|---|"]
    out += [f"| {key} | {_cell(value)} |" for key, value in _metadata_rows(doc)]
    counts = summary(doc)
    out += [
        "",
        f"{counts['questions']} questions, {counts['answers']} answers, {counts['footnotes']} footnotes, "
        f"{counts['kamerstukken']} Kamerstuk references, {counts['linked_schemes']} catalog schemes, "
        f"{counts['figures']} figures ({counts['confirmed']} confirmed, {counts['differs']} differ).",
        "",
    ]
    for item in doc.items:
        out += _item_markdown(doc, item)
    if doc.footnotes:
        out += ["## Footnotes", ""]
        for fn in doc.footnotes:
            extra = ""
            if fn.kamerstukken:
                extra = " → " + "; ".join(
                    f"[dossier {k.dossier}, nr. {k.nr}]({k.url})" for k in fn.kamerstukken
                )
            out.append(f"{fn.number}. {fn.text}{extra}")
        out.append("")
    if doc.warnings:
        out += ["## Warnings", ""]
        out += [f"- {f'line {w.line}: ' if w.line else ''}{w.message}" for w in doc.warnings]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("peloton.reader", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["figure"] = format_value
    env.filters["evidence"] = claim_evidence
    env.globals["scheme_label"] = lambda sid: _scheme_names().get(sid, sid)
    return env


def to_html(doc: AnswerDocument) -> str:
    """A self-contained HTML page (inline CSS, no scripts or CDN) of the same report."""
    template = _environment().get_template("answer_document.html.j2")
    shared = {item.number: shared_with(doc, item) for item in doc.items}
    return template.render(
        doc=doc, metadata_rows=_metadata_rows(doc), counts=summary(doc), marks=_CHECK_MARK, shared=shared
    )


def render_terminal(doc: AnswerDocument, console: Console) -> None:
    """The default `peloton read` view: panels per question with schemes and checked figures."""
    meta = Table.grid(padding=(0, 2))
    for key, value in _metadata_rows(doc):
        meta.add_row(Text(key, style="bold"), Text(value))
    counts = summary(doc)
    meta.add_row(
        Text("Found", style="bold"),
        Text(
            f"{counts['questions']} questions, {counts['answers']} answers, {counts['footnotes']} footnotes, "
            f"{counts['kamerstukken']} Kamerstuk references, {counts['figures']} figures "
            f"({counts['confirmed']} confirmed, {counts['differs']} differ)"
        ),
    )
    console.print(Panel(meta, title="answer document", expand=True))
    if doc.metadata.mededeling:
        console.print(Panel(Text(doc.metadata.mededeling), title="mededeling", title_align="left"))
    for item in doc.items:
        parts: list[object] = [Text("Q  ", style="bold cyan") + Text(item.question or "(no question text)")]
        first = shared_with(doc, item)
        if first is not None:
            parts.append(Text(f"A  answered together with question {first}", style="italic"))
        elif item.answer is None and doc.metadata.kind == "mededeling":
            parts.append(Text("A  answered by a separate letter (see the Mededeling)", style="italic"))
        else:
            parts.append(Text("A  ", style="bold green") + Text(item.answer or "(not answered)"))
        if item.schemes or item.unknown_schemes:
            line = Text("schemes: ", style="bold")
            line.append(", ".join(_scheme_names().get(s, s) for s in item.schemes) or "—")
            if item.unknown_schemes:
                line.append("   not in catalog: ", style="bold")
                line.append(", ".join(item.unknown_schemes), style="yellow")
            parts.append(line)
        if item.claims:
            table = Table(show_header=True, header_style="bold", expand=True, box=None)
            for col in ("figure", "in", "year", "check", "source / note"):
                table.add_column(col)
            for claim in item.claims:
                style = {"confirmed": "green", "differs": "red"}.get(claim.check, "dim")
                table.add_row(
                    escape(format_value(claim)),
                    claim.part,
                    claim.period or "",
                    Text(_CHECK_MARK[claim.check], style=style),
                    escape(claim_evidence(claim)),
                )
            parts.append(table)
        title = f"question {item.number}" + (f"  footnotes {item.footnotes}" if item.footnotes else "")
        console.print(Panel(Group(*parts), title=escape(title), title_align="left"))  # type: ignore[arg-type]
    if doc.footnotes:
        table = Table(title="footnotes", expand=True)
        table.add_column("#", justify="right")
        table.add_column("text")
        table.add_column("Kamerstukken")
        for fn in doc.footnotes:
            table.add_row(
                str(fn.number), escape(fn.text), ", ".join(f"{k.dossier} nr. {k.nr}" for k in fn.kamerstukken)
            )
        console.print(table)
    for warning in doc.warnings:
        where = f"line {warning.line}: " if warning.line else ""
        console.print(Text(f"warning: {where}{warning.message}", style="yellow"))
