"""The monitor's page: jobs by sector between two chosen years (with the low point and the recovery),
labour productivity and its period averages, a scheme's use by year, and the seed's claims with
their verdicts: the documents of peloton.stats.payloads (the API's /stats routes build the same),
each shown as a chart drawn from its table, with a CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from peloton.errors import InputError
from peloton.stats import payloads
from peloton.stats.claims import check_claims
from peloton.web import i18n
from peloton.web.answers import FieldError
from peloton.web.datatables import Column, DataTable
from peloton.web.rendering import check_language, page

router = APIRouter()
PERIODS = "2009-2013,2014-2020"
SERIES_DEFAULT = 5  # sectors in the yearly series when none is chosen: the first of the change table


def _year(raw: str | None, default: int) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return None


def _tables(st: Any, lang: str, start: int, end: int, sectors: list[str], scheme: str) -> list[DataTable]:
    t = i18n.text
    jobs = payloads.sectors_document(st, start, end, "employee_jobs", sectors, "sections")
    unit = jobs["measure"]["unit"]
    sector_rows = [
        [
            r["sector_label"],
            r["start_value"],
            r["end_value"],
            r["change"],
            None if r["pct_change"] is None else r["pct_change"] / 100,
            r["trough_period"] or "–",
            r["trough_value"],
            (t(lang, "answer_yes") if r["recovered_fully"] else t(lang, "answer_no"))
            if r["trough_period"]
            else "–",
        ]
        for r in jobs["rows"]
    ]
    shown = sectors or [r["sector_code"] for r in jobs["rows"][:SERIES_DEFAULT]]
    series = payloads.sector_series_document(st, start, end, "employee_jobs", shown)
    productivity = payloads.productivity_document(st, PERIODS, "labour_productivity_commercial")
    use = payloads.scheme_use_payload(st, scheme)
    measures = [m for m in use["measures"] if any(m["id"] in r["values"] for r in use["rows"])]
    claims = payloads.claims_payload(check_claims(st))
    return [
        DataTable(
            "sectors",
            f"{t(lang, 'mon_jobs')} {start}–{end} ({unit})",
            [
                Column(t(lang, "sector")),
                Column(str(start), "number", 1),
                Column(str(end), "number", 1),
                Column(t(lang, "mon_change"), "number", 1),
                Column(f"{t(lang, 'mon_change')} %", "percent"),
                Column(t(lang, "mon_low_point")),
                Column(f"{t(lang, 'mon_low_point')} ({unit})", "number", 1),
                Column(t(lang, "mon_recovery")),
            ],
            sector_rows,
            chart="bar",
            notes=[s["source"] for s in jobs["sources"]],
        ),
        DataTable(
            "sector_series",
            f"{t(lang, 'mon_jobs_series')} {start}–{end} ({unit})"
            + ("" if sectors else f"; {t(lang, 'mon_series_default', n=len(shown))}"),
            [Column(t(lang, "year"))] + [Column(s["sector_label"], "number", 1) for s in series["sectors"]],
            [[year, *[s["values"][i] for s in series["sectors"]]] for i, year in enumerate(series["years"])],
            chart="line",
            notes=[s["source"] for s in series["sources"]][:3],
        ),
        DataTable(
            "productivity",
            f"{t(lang, 'mon_productivity')}: {t(lang, 'mon_growth')} (%)",
            [Column(t(lang, "year")), Column(t(lang, "mon_growth"), "number", 1), Column(t(lang, "source"))],
            [[r["period"], r["value"], r["vintage"]] for r in productivity["rows"]],
            chart="line",
            hover=2,
        ),
        DataTable(
            "productivity_averages",
            t(lang, "mon_period_avg"),
            [Column("Periode" if lang == "nl" else "Period"), Column(t(lang, "mon_growth"), "number", 2)],
            [[f"{a['start']}–{a['end']}", a["average"]] for a in productivity["averages"]],
        ),
        DataTable(
            "scheme_use",
            f"{t(lang, 'mon_use')}: {scheme}",
            [Column(t(lang, "year"))] + [Column(f"{m['label']} ({m['unit']})", "number") for m in measures],
            [
                [r["period"], *[(r["values"].get(m["id"]) or {}).get("value") for m in measures]]
                for r in use["rows"]
            ],
            chart="line",
        ),
        DataTable(
            "claims",
            t(lang, "mon_claims"),
            [
                Column("Vraag" if lang == "nl" else "Question"),
                Column(t(lang, "mon_claim")),
                Column(t(lang, "mon_snapshot")),
                Column(t(lang, "mon_verdict")),
                Column(t(lang, "sources")),
            ],
            [
                [r["question"], r["claim"], r["data"], r["verdict"], " ; ".join(r["sources"])]
                for r in claims["rows"]
            ],
        ),
    ]


@router.get("/{lang}/monitor")
def monitor(lang: str, request: Request) -> Response:
    from peloton.stats.store import Store

    check_language(lang)
    q = request.query_params
    errors: list[FieldError] = []
    start, end = _year(q.get("from"), 2010), _year(q.get("to"), 2020)
    if start is None or not 1900 <= start <= 2100:
        errors.append(FieldError("from", "from", f"{i18n.text(lang, 'mon_from')}: 1900–2100"))
    if end is None or not 1900 <= end <= 2100:
        errors.append(FieldError("to", "to", f"{i18n.text(lang, 'mon_to')}: 1900–2100"))
    sectors = q.getlist("sector")
    scheme = q.get("scheme") or "wbso"
    with Store.open(None, read_only=True) as st:
        all_sectors = payloads.sectors_document(st, 2010, 2020, "employee_jobs", None, "sections")["rows"]
        schemes = payloads.schemes_with_data(st)
        tables: list[DataTable] = []
        if not errors:
            try:
                tables = _tables(st, lang, start or 2010, end or 2020, sectors, scheme)
            except InputError as exc:
                field = "from" if "from" in exc.field or "year" in exc.field else "to"
                errors.append(FieldError(field, field, str(exc)))
    return page(
        request,
        lang,
        "monitor.html.j2",
        tables=tables,
        errors=errors,
        start=q.get("from") or 2010,
        end=q.get("to") or 2020,
        sectors=sectors,
        all_sectors=all_sectors,
        schemes=schemes,
        scheme=scheme,
    )
