"""The regional layer of the navigator: EFRO, provincial vouchers and the support network.

These schemes have no amount peloton can compute: EFRO money goes out in time-boxed calls whose
rates differ per call, voucher windows open and close per province, and hubs give help, not money.
So this layer says which programme, voucher or hub applies to the firm's province and year, and
why (not), showing amounts only as the reference states them. It reads the curated
`catalog/regional.yaml` and never the rules model, so it works while the model is being changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from peloton.errors import InputError

RESULT_ORDER = ("efro", "regionale_vouchers", "smart_industry", "edih", "mkb_werkplaatsen", "nl_ai_coalitie")
NETWORK_IDS = RESULT_ORDER[2:]
# The rules-model variables each regional answer depends on (what `peloton questions` must ask).
READS: dict[str, tuple[str, ...]] = {
    "efro": ("provincie", "innovatie_soort", "is_mkb"),
    "regionale_vouchers": ("provincie", "is_mkb"),
    **{network: ("provincie",) for network in NETWORK_IDS if network != "nl_ai_coalitie"},
    "nl_ai_coalitie": (),
}
CONFIDENCES = frozenset({"confirmed", "single-source", "uncertain"})
UNKNOWN_PROVINCE = "onbekend"
# The values of the rules model's `innovatie_soort` input (model.enums.InnovatieSoort), repeated
# here so that this layer does not import the model.
INNOVATIE_SOORTEN = ("geen", "product", "proces", "software", "onderzoek")
ITEM_KEYS = frozenset(
    {
        "name", "kind", "region", "provinces", "national", "period", "years", "period_reading", "amount",
        "percentage", "consortium", "sme_only", "sme_condition", "what", "offers", "note", "source",
        "confidence",
    }
)  # fmt: skip
PROGRAMME_KEYS = frozenset(
    {
        "id", "landsdeel", "name", "short_name", "period", "years", "period_reading", "managed_by",
        "apply_to", "funds", "innovation_fit", "rate", "budget", "source", "confidence", "openings",
    }
)  # fmt: skip
NETWORK_LABELS = {  # singular, plural
    "smart_industry": ("Smart Industry hub or fieldlab", "Smart Industry hubs and fieldlabs"),
    "edih": ("European Digital Innovation Hub", "European Digital Innovation Hubs"),
    "mkb_werkplaatsen": ("mkb-werkplaats", "mkb-werkplaatsen"),
    "nl_ai_coalitie": ("AI coalition", "national AI coalition"),
}


class RegionalDataError(ValueError):
    """regional.yaml does not have the shape this module reads; the message names the entry."""


@dataclass(frozen=True)
class Years:
    """How a reference period was read; None on a side means the reference states no bound there."""

    first: int | None
    last: int | None

    def covers(self, year: int) -> bool:
        return (self.first is None or self.first <= year) and (self.last is None or year <= self.last)

    def text(self) -> str:
        if self.first is not None and self.last is not None:
            return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        if self.first is not None:
            return f"from {self.first}"
        return f"until {self.last}"


@dataclass(frozen=True)
class Item:
    """A voucher, an EFRO opening or a network entry: one sourced thing with a period."""

    name: str
    period: str
    years: Years | None  # None: undated, never matched to a year
    source: tuple[str, ...]
    confidence: str
    provinces: tuple[str, ...] = ()
    national: bool = False
    kind: str = ""
    amount: str | None = None
    percentage: str | None = None
    consortium: str | None = None
    sme_only: bool | None = None
    sme_condition: str | None = None
    what: str | None = None
    note: str | None = None
    period_reading: str | None = None

    def covers(self, year: int) -> bool:
        return self.years is not None and self.years.covers(year)

    def period_text(self) -> str:
        if self.years is None:
            return f"period unknown (reference: {self.period})"
        read = self.years.text()
        return read if read == self.period else f"{read} (reference: {self.period})"

    def offer(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "period": self.period_text()}
        optional = {
            "period_reading": self.period_reading,
            "amount": self.amount,
            "percentage": self.percentage,
            "consortium": self.consortium,
            "sme_condition": self.sme_condition,
            "offers": self.what,
            "note": self.note,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        out["source"] = list(self.source)
        out["confidence"] = self.confidence
        return out

    def label(self) -> str:
        """Name, period and (when not confirmed) confidence, for one line of a reason."""
        flag = "" if self.confidence == "confirmed" else f"; {self.confidence}"
        scope = "national; " if self.national else ""
        return f"{self.name} [{scope}{self.period_text()}{flag}]"


@dataclass(frozen=True)
class Note:
    text: str
    source: tuple[str, ...]
    confidence: str


@dataclass(frozen=True)
class Programme:
    id: str
    landsdeel: str
    name: str
    short_name: str
    years: Years
    managed_by: str | None
    apply_to: str | None
    innovation_fit: str | None
    rate: str | None
    source: tuple[str, ...]
    confidence: str
    openings: tuple[Item, ...]


@dataclass(frozen=True)
class NetworkSection:
    about: Note
    entries: tuple[Item, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class RegionalData:
    province_names: Mapping[str, str]
    province_landsdeel: Mapping[str, str]
    landsdeel_names: Mapping[str, str]
    programmes: tuple[Programme, ...]
    efro_notes: Mapping[str, Note]
    vouchers: Mapping[str, tuple[Item, ...]]  # per province, landsdeel-wide items included
    voucher_general: Note
    network: Mapping[str, NetworkSection]


@dataclass
class RegionalResult:
    """The regional layer's answer for one catalog id; `as_dict` is its JSON shape."""

    id: str
    status: str  # "eligibility_only", "network" or "not_computed"
    eligible: bool | None
    reasons: list[str]
    offers: list[dict[str, Any]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    missing_inputs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "eligible": self.eligible,
            "reasons": self.reasons,
            "offers": self.offers,
            "references": self.references,
            "missing_inputs": self.missing_inputs,
        }


# ---------------------------------------------------------------- loading and validation


class _Reader:
    """Reads one mapping of regional.yaml; every error names the entry it came from."""

    def __init__(self, raw: object, where: str) -> None:
        if not isinstance(raw, dict):
            raise RegionalDataError(f"regional.yaml: {where}: expected a mapping, got {type(raw).__name__}")
        self.raw: dict[str, Any] = raw
        self.where = where

    def fail(self, problem: str) -> RegionalDataError:
        name = self.raw.get("name")
        named = f" ({name!r})" if isinstance(name, str) else ""
        return RegionalDataError(f"regional.yaml: {self.where}{named}: {problem}")

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{key}' must be a non-empty text")
        return value.strip()

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if self.raw.get(key) is not None else None

    def optional_bool(self, key: str) -> bool | None:
        value = self.raw.get(key)
        if value is not None and not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true, false or null")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.raw.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"'{key}' must be a list")
        return value

    def sources(self) -> tuple[str, ...]:
        value = self.raw.get("source")
        if not isinstance(value, list) or not value or not all(isinstance(s, str) and s for s in value):
            raise self.fail("'source' must be a non-empty list of the reference's URLs")
        return tuple(value)

    def confidence(self) -> str:
        value = self.raw.get("confidence")
        if value not in CONFIDENCES:
            raise self.fail(f"'confidence' must be one of {sorted(CONFIDENCES)}, got {value!r}")
        return str(value)

    def only(self, keys: frozenset[str]) -> None:
        """A misspelt key would silently read as 'not given'; refuse it instead."""
        unknown = sorted(set(self.raw) - keys)
        if unknown:
            raise self.fail(f"unknown keys {unknown}; allowed: {sorted(keys)}")

    def years(self) -> Years | None:
        if "years" not in self.raw:
            raise self.fail("'years' is missing (use null for an undated item)")
        value = self.raw["years"]
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) != {"first", "last"}:
            raise self.fail("'years' must be null or a mapping with 'first' and 'last'")
        first, last = value["first"], value["last"]
        for bound in (first, last):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
                raise self.fail(f"'years' bounds must be years or null, got {bound!r}")
        if first is None and last is None:
            raise self.fail("'years' with neither bound: write 'years: null' for an undated item")
        if first is not None and last is not None and first > last:
            raise self.fail(f"'years' first {first} is after last {last}")
        return Years(first, last)

    def provinces(self, known: Iterable[str]) -> tuple[str, ...]:
        value = tuple(self.items("provinces"))
        unknown = [p for p in value if p not in set(known)]
        if unknown:
            raise self.fail(f"unknown province ids {unknown}")
        return value

    def note(self) -> Note:
        return Note(self.text("text"), self.sources(), self.confidence())


def _item(raw: object, where: str, provinces: Iterable[str]) -> Item:
    r = _Reader(raw, where)
    r.only(ITEM_KEYS)
    what = r.optional_text("what") or r.optional_text("offers")
    return Item(
        name=r.text("name"),
        period=str(r.raw.get("period") or "").strip() or "not stated",
        years=r.years(),
        source=r.sources(),
        confidence=r.confidence(),
        provinces=r.provinces(provinces),
        national=bool(r.optional_bool("national")),
        kind=r.optional_text("kind") or "",
        amount=r.optional_text("amount"),
        percentage=r.optional_text("percentage"),
        consortium=r.optional_text("consortium"),
        sme_only=r.optional_bool("sme_only"),
        sme_condition=r.optional_text("sme_condition"),
        what=what,
        note=r.optional_text("note"),
        period_reading=r.optional_text("period_reading"),
    )


def parse_regional(raw: object) -> RegionalData:
    """Check the structure of regional.yaml and turn it into typed records."""
    top = _Reader(raw, "top level")
    prov_raw = _Reader(top.raw.get("provinces"), "provinces").raw
    lands_raw = _Reader(top.raw.get("landsdelen"), "landsdelen").raw
    names: dict[str, str] = {}
    landsdeel_of: dict[str, str] = {}
    for pid, entry in prov_raw.items():
        r = _Reader(entry, f"provinces.{pid}")
        names[pid], landsdeel_of[pid] = r.text("name"), r.text("landsdeel")
        if landsdeel_of[pid] not in lands_raw:
            raise r.fail(f"unknown landsdeel {landsdeel_of[pid]!r}")
    landsdeel_names: dict[str, str] = {}
    for lid, entry in lands_raw.items():
        r = _Reader(entry, f"landsdelen.{lid}")
        landsdeel_names[lid] = r.text("name")
        listed = set(r.provinces(names))
        if listed != {p for p, ld in landsdeel_of.items() if ld == lid}:
            raise r.fail("its provinces disagree with the provinces' landsdeel")

    efro = _Reader(top.raw.get("efro"), "efro")
    notes = {
        key: _Reader(efro.raw.get(key), f"efro.{key}").note()
        for key in ("structure", "co_financing_gap", "how_to_apply")
    }
    programmes = []
    for i, entry in enumerate(efro.items("programmes")):
        r = _Reader(entry, f"efro.programmes[{i}]")
        r.only(PROGRAMME_KEYS)
        landsdeel = r.text("landsdeel")
        if landsdeel not in landsdeel_names:
            raise r.fail(f"unknown landsdeel {landsdeel!r}")
        years = r.years()
        if years is None:
            raise r.fail("a programme needs its years")
        programmes.append(
            Programme(
                id=r.text("id"),
                landsdeel=landsdeel,
                name=r.text("name"),
                short_name=r.text("short_name"),
                years=years,
                managed_by=r.optional_text("managed_by"),
                apply_to=r.optional_text("apply_to"),
                innovation_fit=r.optional_text("innovation_fit"),
                rate=r.optional_text("rate"),
                source=r.sources(),
                confidence=r.confidence(),
                openings=tuple(
                    _item(o, f"efro.programmes[{i}].openings[{j}]", names)
                    for j, o in enumerate(r.items("openings"))
                ),
            )
        )

    vouchers_r = _Reader(top.raw.get("vouchers"), "vouchers")
    by_province = _Reader(vouchers_r.raw.get("by_province"), "vouchers.by_province").raw
    by_landsdeel = _Reader(vouchers_r.raw.get("by_landsdeel"), "vouchers.by_landsdeel").raw
    if set(by_province) != set(names):
        raise vouchers_r.fail(
            f"by_province must list every province: {sorted(set(names) ^ set(by_province))}"
        )
    vouchers: dict[str, tuple[Item, ...]] = {}
    for pid in names:
        own = _Reader({"items": by_province[pid]}, f"vouchers.by_province.{pid}").items("items")
        wide = _Reader({"items": by_landsdeel.get(landsdeel_of[pid], [])}, "vouchers.by_landsdeel").items(
            "items"
        )
        vouchers[pid] = tuple(
            _item(v, f"vouchers.by_province.{pid}[{j}]", names) for j, v in enumerate(own)
        ) + tuple(
            _item(v, f"vouchers.by_landsdeel.{landsdeel_of[pid]}[{j}]", names) for j, v in enumerate(wide)
        )
    unknown_lands = set(by_landsdeel) - set(landsdeel_names)
    if unknown_lands:
        raise vouchers_r.fail(f"by_landsdeel has unknown landsdelen {sorted(unknown_lands)}")

    network_r = _Reader(top.raw.get("network"), "network")
    network = {}
    for nid in NETWORK_IDS:
        r = _Reader(network_r.raw.get(nid), f"network.{nid}")
        network[nid] = NetworkSection(
            about=_Reader(r.raw.get("about"), f"network.{nid}.about").note(),
            entries=tuple(
                _item(e, f"network.{nid}.entries[{j}]", names) for j, e in enumerate(r.items("entries"))
            ),
            gaps=tuple(str(g) for g in r.items("gaps")),
        )
    return RegionalData(
        province_names=names,
        province_landsdeel=landsdeel_of,
        landsdeel_names=landsdeel_names,
        programmes=tuple(programmes),
        efro_notes=notes,
        vouchers=vouchers,
        voucher_general=_Reader(vouchers_r.raw.get("general"), "vouchers.general").note(),
        network=network,
    )


@cache
def load_regional() -> RegionalData:
    text = resources.files("peloton.catalog").joinpath("regional.yaml").read_text(encoding="utf-8")
    return parse_regional(yaml.safe_load(text))


# ---------------------------------------------------------------- evaluation


def regional_results(provincie: str, year: int, is_mkb: bool, innovatie_soort: str) -> list[RegionalResult]:
    """One result per regional catalog id, in RESULT_ORDER, for a firm in `provincie` in `year`."""
    data = load_regional()
    allowed = (UNKNOWN_PROVINCE, *data.province_names)
    if provincie not in allowed:
        raise InputError("provincie", f"unknown province {provincie!r}; allowed: {', '.join(allowed)}")
    if innovatie_soort not in INNOVATIE_SOORTEN:
        raise InputError(
            "innovatie_soort", f"unknown value {innovatie_soort!r}; allowed: {', '.join(INNOVATIE_SOORTEN)}"
        )
    if provincie == UNKNOWN_PROVINCE:
        return _without_province(data, year, innovatie_soort)
    return [
        _efro(data, provincie, year, is_mkb, innovatie_soort),
        _vouchers(data, provincie, year, is_mkb),
        *(_network(data, nid, provincie, year) for nid in NETWORK_IDS),
    ]


def _without_province(data: RegionalData, year: int, innovatie_soort: str) -> list[RegionalResult]:
    """Everything but the national coalition hangs on the province; EFRO can still be ruled out."""
    missing = (
        "missing input provincie: the province of the establishment decides the landsdeel programme, "
        "the vouchers and the hubs"
    )
    results = []
    for rid in RESULT_ORDER[:-1]:
        if rid == "efro" and innovatie_soort == "geen":
            results.append(
                RegionalResult(
                    rid, "eligibility_only", False, [_NO_INNOVATION, missing], missing_inputs=["provincie"]
                )
            )
        else:
            results.append(RegionalResult(rid, "not_computed", None, [missing], missing_inputs=["provincie"]))
    results.append(_network(data, "nl_ai_coalitie", None, year))
    return results


_NO_INNOVATION = "not eligible: EFRO programmes fund innovation projects; innovatie_soort = geen"


def _efro(data: RegionalData, provincie: str, year: int, is_mkb: bool, soort: str) -> RegionalResult:
    landsdeel = data.province_landsdeel[provincie]
    where = f"{data.province_names[provincie]} is in landsdeel {data.landsdeel_names[landsdeel]}"
    own = [p for p in data.programmes if p.landsdeel == landsdeel]
    covering = sorted((p for p in own if p.years.covers(year)), key=lambda p: p.years.first or 0)
    if not covering:
        spans = ", ".join(f"{p.short_name} ({p.years.text()})" for p in own)
        return RegionalResult(
            "efro",
            "eligibility_only",
            None,
            [f"{where}, but no EFRO programme in the reference covers {year}; programmes: {spans}"],
            references=_unique(s for p in own for s in p.source),
        )
    programme = covering[-1]
    managed = (
        f"managed by: {programme.managed_by}"
        if programme.managed_by
        else ("managing organisation not stated in the reference")
    )
    opening = f"{where}: programme {programme.short_name} ({managed})"
    gap = data.efro_notes["co_financing_gap"]
    how = data.efro_notes["how_to_apply"]
    refs = [*programme.source, *how.source]
    if soort == "geen":
        return RegionalResult(
            "efro", "eligibility_only", False, [_NO_INNOVATION, opening], references=_unique(refs)
        )

    fit = (
        f"an innovation project ({soort}) fits {programme.innovation_fit}"
        if programme.innovation_fit
        else f"an innovation project ({soort}) is taken to fit: the reference does not state the priorities"
    )
    if programme.rate:
        rate = f"the programme caps the subsidy ({programme.rate}), but project costs are not asked"
    else:
        rate = "no co-financing rate is fixed by the programme (rates differ per opening)"
        refs += gap.source
    reasons = [f"{opening}; {fit}; {rate}: amount not computed"]

    openings = [(p, o) for p in own for o in p.openings if not o.provinces or provincie in o.provinces]
    now = [(p, o) for p, o in openings if o.covers(year)]
    if now:
        listed = "; ".join(f"{o.label()} of {p.short_name}" for p, o in now)
        reasons.append(f"openings seen in {year}: {listed}")
    else:
        others = "; ".join(o.label() for _, o in openings)
        reasons.append(
            f"openings for {year} are not in the reference"
            + (f"; openings seen in other years: {others}" if others else "")
        )
    apply = f"apply through {programme.apply_to}; " if programme.apply_to else ""
    reasons.append(
        f"{apply}money goes out in time-boxed calls (first come with a quality floor, or tender): "
        "a chance, not an entitlement; the project must be carried out in or benefit the landsdeel"
    )
    if not is_mkb:
        reasons.append("the firm is not an SME: most openings require SME participation or score it extra")
    offers = [{**o.offer(), "programme": p.short_name} for p, o in now]
    refs += [s for _, o in now for s in o.source]
    return RegionalResult("efro", "eligibility_only", True, reasons, offers, _unique(refs))


def _vouchers(data: RegionalData, provincie: str, year: int, is_mkb: bool) -> RegionalResult:
    province = data.province_names[provincie]
    items = data.vouchers[provincie]
    now = [v for v in items if v.covers(year)]
    general = data.voucher_general
    if not now:
        others = "; ".join(v.label() for v in items)
        reasons = [
            f"no voucher scheme for {province} covering {year} is in the reference"
            + (
                f"; schemes seen in other years: {others}"
                if others
                else f"; the reference names none for {province}"
            )
        ]
        return RegionalResult(
            "regionale_vouchers", "eligibility_only", None, reasons, [], list(general.source)
        )
    reasons, offers, refs = [], [], list(general.source)
    for v in now:
        refs += v.source
        if v.sme_only and not is_mkb:
            reasons.append(f"not eligible for {v.name}: SME only, the firm is not an SME")
            continue
        money = "; ".join(x for x in (v.amount, v.percentage) if x) or "amount not in the reference"
        condition = v.sme_condition or "not stated in the reference"
        reasons.append(f"{v.label()}: {money}; condition: {condition}")
        offers.append(v.offer())
    if offers:
        reasons.append(
            "amounts are shown as the reference states them, not computed; vouchers count as de-minimis aid "
            "and go first come, first served while the budget lasts"
        )
    return RegionalResult(
        "regionale_vouchers", "eligibility_only", bool(offers), reasons, offers, _unique(refs)
    )


def _network(data: RegionalData, nid: str, provincie: str | None, year: int) -> RegionalResult:
    section = data.network[nid]
    label, plural = NETWORK_LABELS[nid]
    place = data.province_names[provincie] if provincie else "every province"
    mine = [e for e in section.entries if e.national or (provincie is not None and provincie in e.provinces)]
    shown = [e for e in mine if e.years is None or e.years.covers(year)]
    refs = list(section.about.source)
    reasons = []
    if shown:
        reasons.append(f"{plural} for {place} in {year}: " + "; ".join(e.label() for e in shown))
        refs += [s for e in shown for s in e.source]
    elif mine:
        reasons.append(
            f"no {label} for {place} in {year} in the reference; seen in other years: "
            + "; ".join(e.label() for e in mine)
        )
    else:
        reasons.append(f"no {label} is named for {place} in the reference")
    reasons += [f"GAP: {g}" for g in section.gaps]
    offers = [{**e.offer(), "kind": e.kind} for e in shown]
    return RegionalResult(nid, "network", None, reasons, offers, _unique(refs))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
