"""The registry's one record shape: a supported project (or payment), whatever file it came from.

Why one flat shape: Europa om de hoek, the Rijksbegroting, volginnovatie and Kohesio describe the
same thing (who got how much, for what, when) under different headers; once mapped to these
fields, search, classification, export and the summary need to know nothing about the source.
"""

from __future__ import annotations

# field -> kind; the kind decides the parser and the DuckDB type
FIELDS: dict[str, str] = {
    "source_id": "text",
    "beneficiary": "text",
    "title": "text",
    "title_en": "text",
    "summary": "text",
    "fund": "text",
    "scheme": "text",
    "authority": "text",
    "ministry": "text",
    "budget_article": "text",
    "partners": "text",
    "eu_amount": "amount",
    "public_amount": "amount",
    "private_amount": "amount",
    "total_cost": "amount",
    "amount": "amount",
    "cofinancing_pct": "percentage",
    "start_date": "date",
    "end_date": "date",
    "updated_on": "date",
    "year": "year",
    "region": "text",
    "postcode": "text",
    "website": "text",
    "theme": "text",
}

# provenance and classification columns the store adds to every record
PROVENANCE: dict[str, str] = {
    "source": "VARCHAR NOT NULL",
    "source_file": "VARCHAR NOT NULL",
    "source_row": "INTEGER NOT NULL",
    "source_line": "INTEGER NOT NULL",
    "table_version": "VARCHAR NOT NULL",
    "retrieved_at": "VARCHAR NOT NULL",
    "imported_at": "VARCHAR NOT NULL",
}
CLASSIFICATION: dict[str, str] = {
    "innovation_kind": "VARCHAR NOT NULL",
    "kind_reason": "VARCHAR NOT NULL",
    # the catalog scheme the fund or scheme field names (peloton.registry.scheme_links); last, so a
    # store made before it existed gets it by ALTER TABLE in the same position
    "scheme_id": "VARCHAR",
}

SQL_TYPES = {"text": "VARCHAR", "amount": "DOUBLE", "percentage": "DOUBLE", "date": "DATE", "year": "INTEGER"}

COLUMNS: tuple[str, ...] = (*PROVENANCE, *FIELDS, *CLASSIFICATION)


def table_ddl(name: str) -> str:
    """CREATE TABLE for the projects table (or a staging copy of it)."""
    cols = [f"{c} {t}" for c, t in PROVENANCE.items()]
    cols += [f"{c} {SQL_TYPES[k]}" for c, k in FIELDS.items()]
    cols += [f"{c} {t}" for c, t in CLASSIFICATION.items()]
    return f"CREATE TABLE IF NOT EXISTS {name} ({', '.join(cols)})"
