"""Full-text search over the registry's titles and summaries, in Dutch, ranked, offline.

Why SQLite FTS5 and not DuckDB's fts extension: that extension is loaded from DuckDB's extension
repository at run time, and no pip wheel of it matches the DuckDB version peloton uses
(duckdb-extension-fts stops at 1.5.x), so it would not work offline. FTS5 ships in Python's own
sqlite3. Dutch stemming comes from Snowball (PyStemmer): each word is indexed both as written
(accents folded) and as its stem, and each query word matches either as a prefix, so "sensor"
finds "sensoren" and "sensortechnologie", and "robot" finds "robots" and "robotisering". Words
inside compounds ("productierobot") are not found by their second part: a known limit.

The index is a file next to the store (`<store>.search.sqlite`), rebuilt when the store's
generation (bumped by every import) differs from the one the index was built from.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyarrow as pa
import Stemmer

from peloton.errors import InputError
from peloton.registry.classify import KINDS
from peloton.registry.store import RegistryStore

_WORD = re.compile(r"\w+", re.UNICODE)
# bm25 weights of the indexed columns: a word in the title says more than one in a long summary
_WEIGHTS = (4.0, 1.0, 1.5, 1.0)
# a compound's parts are at least this long; a word this long is also sought inside compounds
_MIN_PART = 4
_MIN_SUBSTRING = 4
# fewer whole-word matches than this and a query compound is split into its parts
_FEW_MATCHES = 3
# a match inside a compound counts for this share of its BM25 score
_SUBSTRING_FACTOR = 0.3
AMOUNT_BANDS: tuple[tuple[str, float, float], ...] = (
    ("< 100k", 0, 100_000),
    ("100k-500k", 100_000, 500_000),
    ("500k-1m", 500_000, 1_000_000),
    ("1m-5m", 1_000_000, 5_000_000),
    (">= 5m", 5_000_000, float("inf")),
)


@cache
def _stemmer() -> Any:
    return Stemmer.Stemmer("dutch")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str | None) -> list[str]:
    """Lower-cased, accent-folded words of `text` (U+FFFD splits words, it carries nothing)."""
    if not text:
        return []
    return [_fold(w) for w in _WORD.findall(text.lower().replace("\ufffd", " "))]


def index_text(text: str | None) -> str:
    """What FTS5 indexes for `text`: every word, followed by its Dutch stem when that differs."""
    ws = words(text)
    stems = _stemmer().stemWords(ws)
    out: list[str] = []
    for w, s in zip(ws, stems, strict=True):
        out.append(w)
        if s != w:
            out.append(s)
    return " ".join(out)


def _alternatives(word: str) -> str:
    """FTS5 expression for one query word: the word or its stem, each as a prefix."""
    stem = _stemmer().stemWord(word)
    return "(" + " OR ".join(sorted({f'"{word}"*', f'"{stem}"*'})) + ")"


def _part(text: str) -> str:
    """A compound's part as a substring to look for: without a plural or linking ending."""
    for ending in ("en", "e", "s"):
        if text.endswith(ending) and len(text) - len(ending) >= _MIN_PART:
            return text[: -len(ending)]
    return text


def decompound(word: str, known: Any) -> list[str] | None:
    """Split a Dutch compound into two known words ("procesinnovatie" -> proces, innovatie).

    `known(w)` says whether w is a word of the index. The split whose shorter part is longest wins;
    a linking "s" or "e" between the parts is allowed. None when no split is found.
    """
    best: list[str] | None = None
    for i in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:i], word[i:]
        candidates = [head]
        if head.endswith(("s", "e")) and len(head) > _MIN_PART:
            candidates.append(head[:-1])
        for h in candidates:
            if known(h) and known(tail) and (best is None or min(len(h), len(tail)) > min(map(len, best))):
                best = [h, tail]
    return best


def _word_scores(index: sqlite3.Connection, word: str) -> dict[int, float]:
    """Documents matching one query word, with a score (higher is better).

    Whole-word matches (as written or stemmed, as a prefix) score by BM25; documents that hold the
    word only inside a compound (found through the trigram index) follow at a fraction of their
    BM25, so "sensor" also finds "biosensoren", after the projects that say "sensor". A query
    compound that no document holds is split into its parts, which must both occur.
    """
    weights = ", ".join(str(w) for w in _WEIGHTS)
    scores = {
        int(d): -float(b)
        for d, b in index.execute(
            f"SELECT rowid, bm25(fts, {weights}) FROM fts WHERE fts MATCH ?", [_alternatives(word)]
        ).fetchall()
    }
    substrings: list[str] = []
    if len(word) >= _MIN_SUBSTRING:
        substrings = [word]
    if len(scores) < _FEW_MATCHES:

        def known(w: str) -> bool:
            return (
                index.execute("SELECT 1 FROM vocab WHERE term = ? AND doc >= 2", [w]).fetchone() is not None
            )

        parts = decompound(word, known)
        if parts:
            substrings = [_part(p) for p in parts]
    if substrings:
        expr = " AND ".join(f'"{p}"' for p in substrings)
        for d, b in index.execute("SELECT rowid, bm25(fts_tri) FROM fts_tri WHERE fts_tri MATCH ?", [expr]):
            if int(d) not in scores:
                scores[int(d)] = -float(b) * _SUBSTRING_FACTOR
    return scores


def match(index: sqlite3.Connection, query: str) -> list[tuple[int, float]]:
    """(document id, score) of documents matching every word of `query`, best first."""
    ws = words(query)
    if not ws:
        raise InputError("QUERY", "no words to search for (give one or more words, e.g. 'robot')")
    combined: dict[int, float] | None = None
    for w in ws:
        scores = _word_scores(index, w)
        if combined is None:
            combined = scores
        else:
            combined = {d: combined[d] + sc for d, sc in scores.items() if d in combined}
    return sorted((combined or {}).items(), key=lambda x: -x[1])


def _index_path(store: RegistryStore) -> str:
    return ":memory:" if store.path is None else str(store.path.with_suffix(".search.sqlite"))


_file_indexes: dict[str, sqlite3.Connection] = {}
_memory_indexes: weakref.WeakKeyDictionary[RegistryStore, sqlite3.Connection] = weakref.WeakKeyDictionary()


def _build(con: sqlite3.Connection, store: RegistryStore, generation: str) -> None:
    con.executescript(
        """
        DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS index_meta;
        DROP TABLE IF EXISTS fts_tri; DROP TABLE IF EXISTS vocab;
        CREATE TABLE docs (id INTEGER PRIMARY KEY, source TEXT NOT NULL, source_row INTEGER NOT NULL);
        CREATE VIRTUAL TABLE fts USING fts5(title, summary, beneficiary, scheme, content='',
            tokenize='unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE fts_tri USING fts5(body, content='', tokenize='trigram');
        CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');
        CREATE TABLE index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )
    cur = store.con.execute(
        "SELECT source, source_row, concat_ws(' ', title, title_en), summary, beneficiary, "
        "concat_ws(' ', scheme, fund) FROM projects ORDER BY source, source_row"
    )
    doc_id = 0
    while batch := cur.fetchmany(5000):
        docs = []
        texts = []
        for source, row, title, summary, beneficiary, scheme in batch:
            doc_id += 1
            docs.append((doc_id, source, row))
            texts.append(
                (doc_id, index_text(title), index_text(summary), index_text(beneficiary), index_text(scheme))
            )
        con.executemany("INSERT INTO docs VALUES (?, ?, ?)", docs)
        con.executemany(
            "INSERT INTO fts (rowid, title, summary, beneficiary, scheme) VALUES (?, ?, ?, ?, ?)", texts
        )
        # words inside compounds are sought in titles and summaries only: a firm's or a scheme's
        # name ("... Processing B.V.", "...regeling") says nothing about what the project does
        con.executemany(
            "INSERT INTO fts_tri (rowid, body) VALUES (?, ?)",
            [
                (d, " ".join(words(f"{b[2] or ''} {b[3] or ''}")))
                for d, b in zip([t[0] for t in texts], batch, strict=True)
            ],
        )
    con.execute("INSERT INTO index_meta VALUES ('generation', ?)", [generation])
    con.commit()


def search_index(store: RegistryStore) -> sqlite3.Connection:
    """The FTS5 index of `store`, (re)built when it is missing or older than the store.

    An in-memory store (the snapshot on a fresh machine) gets an in-memory index that lives as
    long as the store; a store file gets an index file beside it, or an in-memory one when that
    folder cannot be written.
    """
    meta = store.meta()
    generation = meta.get("generation", "0") + "/" + meta.get("snapshot_loaded_at", "")
    con = _memory_indexes.get(store)
    if con is None and store.path is not None:
        path = _index_path(store)
        con = _file_indexes.get(path)
        if con is None:
            try:
                con = sqlite3.connect(path)
                con.execute(
                    "CREATE TABLE IF NOT EXISTS index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                _file_indexes[path] = con
            except sqlite3.Error:
                con = None
    if con is None:
        con = sqlite3.connect(":memory:")
        _memory_indexes[store] = con
    try:
        row = con.execute("SELECT value FROM index_meta WHERE key = 'generation'").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None or row[0] != generation:
        try:
            _build(con, store, generation)
        except sqlite3.OperationalError:
            if store in _memory_indexes:
                raise
            # the index file cannot be written (a read-only folder or file): index in memory
            con = sqlite3.connect(":memory:")
            _memory_indexes[store] = con
            _build(con, store, generation)
    return con


@dataclass
class SearchResult:
    """Ranked projects for a query, and the facets of all matches after the filters."""

    query: str
    total: int
    results: list[dict[str, Any]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "results": self.results, "facets": self.facets}


def _snippet(text: str | None, query_words: Sequence[str], width: int = 90) -> str:
    if not text:
        return ""
    flat = re.sub(r"\s+", " ", text)
    folded = _fold(flat.lower())
    positions = [m.start() for w in query_words for m in [re.search(r"\b" + re.escape(w), folded)] if m]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = flat[start : start + width]
    return ("..." if start else "") + piece + ("..." if start + width < len(flat) else "")


def search(
    store: RegistryStore,
    query: str,
    *,
    fund: str | None = None,
    scheme: str | None = None,
    source: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    min_amount: float | None = None,
    kind: str | None = None,
    limit: int = 20,
) -> SearchResult:
    """Projects matching every word of `query`, best first (BM25), filtered, with facets."""
    if kind is not None and kind not in KINDS:
        raise InputError("--kind", f"{kind!r}; allowed: {', '.join(KINDS)}")
    if limit < 1:
        raise InputError("--limit", f"{limit}; must be at least 1")
    index = search_index(store)
    try:
        scored = match(index, query)
    except sqlite3.OperationalError as exc:
        raise InputError("QUERY", f"cannot search for {query!r} ({exc})") from exc
    keys = (
        dict(index.execute("SELECT id, source || char(0) || source_row FROM docs").fetchall())
        if scored
        else {}
    )
    matches = [(*keys[d].split("\0"), sc) for d, sc in scored]
    table = pa.table(
        {
            "m_source": pa.array([m[0] for m in matches], pa.string()),
            "m_row": pa.array([int(m[1]) for m in matches], pa.int32()),
            "m_rank": pa.array([float(m[2]) for m in matches], pa.float64()),
        }
    )
    where, params = _filters(fund, scheme, source, year_from, year_to, min_amount, kind)
    store.con.register("search_matches", table)
    try:
        base = "FROM projects p JOIN search_matches m ON p.source = m.m_source AND p.source_row = m.m_row" + (
            f" WHERE {where}" if where else ""
        )
        cols = (
            "p.source, p.source_row, p.beneficiary, p.title, p.fund, p.scheme, p.scheme_id, p.amount, "
            "p.year, p.start_date, p.innovation_kind, p.kind_reason, p.summary, m.m_rank"
        )
        cur = store.con.execute(
            f"SELECT {cols} {base} ORDER BY m.m_rank DESC, p.source, p.source_row LIMIT {int(limit)}", params
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        (total,) = store.con.execute(f"SELECT count(*) {base}", params).fetchone() or (0,)
        facets = _facets(store, base, params)
    finally:
        store.con.unregister("search_matches")
    qwords = words(query)
    results = []
    for r in rows:
        results.append(
            {
                "source": r["source"],
                "source_row": r["source_row"],
                "score": round(r["m_rank"], 3),
                "beneficiary": r["beneficiary"],
                "title": r["title"],
                "fund": r["fund"],
                "scheme": r["scheme"],
                "scheme_id": r["scheme_id"],
                "amount_eur": r["amount"],
                "year": r["year"],
                "start_date": r["start_date"].isoformat() if r["start_date"] else None,
                "innovation_kind": r["innovation_kind"],
                "kind_reason": r["kind_reason"],
                "snippet": _snippet(r["summary"], qwords),
            }
        )
    return SearchResult(query, int(total), results, facets)


def _filters(
    fund: str | None,
    scheme: str | None,
    source: str | None,
    year_from: int | None,
    year_to: int | None,
    min_amount: float | None,
    kind: str | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if fund:
        clauses.append("upper(p.fund) = upper(?)")
        params.append(fund.strip())
    if scheme:
        # a catalog id ("mit", "efro") or part of the scheme's name as the file gives it
        clauses.append("(p.scheme_id = lower(?) OR p.scheme ILIKE ?)")
        params.extend([scheme.strip(), f"%{scheme.strip()}%"])
    if source:
        clauses.append("p.source = ?")
        params.append(source)
    if year_from is not None:
        clauses.append("p.year >= ?")
        params.append(year_from)
    if year_to is not None:
        clauses.append("p.year <= ?")
        params.append(year_to)
    if min_amount is not None:
        clauses.append("p.amount >= ?")
        params.append(min_amount)
    if kind:
        clauses.append("p.innovation_kind = ?")
        params.append(kind)
    return " AND ".join(clauses), params


def band_sql(column: str = "p.amount") -> str:
    """A CASE expression putting an amount into its band label (shared with the summary)."""
    cases = " ".join(
        f"WHEN {column} >= {lo} AND {column} < {hi if hi != float('inf') else 1e18} THEN '{name}'"
        for name, lo, hi in AMOUNT_BANDS
    )
    return f"CASE {cases} ELSE 'no amount' END"


def _facets(store: RegistryStore, base: str, params: list[Any]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name, expr in (
        ("fund", "coalesce(p.fund, 'no fund')"),
        ("year", "coalesce(CAST(p.year AS VARCHAR), 'unknown')"),
        ("kind", "p.innovation_kind"),
        ("scheme_id", "coalesce(p.scheme_id, 'not in the catalog')"),
        ("amount_band", band_sql()),
    ):
        rows = store.con.execute(
            f"SELECT {expr} AS k, count(*) {base} GROUP BY 1 ORDER BY 1", params
        ).fetchall()
        out[name] = {str(k): int(n) for k, n in rows}
    return out
