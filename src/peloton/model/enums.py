"""Enumerations shared by several variable files (kept out of variables/ so each loads once)."""

from openfisca_core.indexed_enums import Enum


class Rechtsvorm(Enum):
    """Legal form: decides corporate tax (BV, NV) versus income tax (IB-ondernemer)."""

    bv = "Besloten vennootschap (BV)"
    nv = "Naamloze vennootschap (NV)"
    eenmanszaak = "Eenmanszaak (IB-ondernemer)"
    vof = "Vennootschap onder firma (IB-ondernemers)"
    maatschap = "Maatschap (IB-ondernemers)"
    cv = "Commanditaire vennootschap"
    cooperatie = "Coöperatie"
    stichting = "Stichting"


class MkbGrootteklasse(Enum):
    """Size class of the EU SME definition (Recommendation 2003/361/EC)."""

    micro = "Micro enterprise"
    klein = "Small enterprise"
    middelgroot = "Medium-sized enterprise"
    groot = "Large enterprise (not an SME)"


class KostenKeuze(Enum):
    """WBSO: costs and expenditures as the fixed forfait or as estimated actual amounts."""

    forfait = "Forfait per S&O hour"
    werkelijk = "Actual costs and expenditures"


class StarterOpgave(Enum):
    """WBSO starter status: derived from the firm's history, or stated explicitly."""

    afleiden = "Derive from the firm's history"
    starter = "Starter (stated)"
    geen_starter = "Not a starter (stated)"
