"""Entities of the rules model.

The firm is OpenFisca's person entity: every scheme is claimed by one enterprise. Linked and
partner enterprises matter only for the SME test, and the EU definition adds their (pro-rata)
figures to the firm's own, so they enter as inputs of the firm instead of as a group entity.
"""

from openfisca_core.entities import build_entity

Onderneming = build_entity(
    key="onderneming",
    plural="ondernemingen",
    label="Enterprise (firm or self-employed entrepreneur)",
    doc="An enterprise that may claim innovation support: a BV/NV or an IB-ondernemer.",
    is_person=True,
)

entities = [Onderneming]
