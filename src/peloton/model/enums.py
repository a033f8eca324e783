"""Enumerations shared by several variable files (kept out of variables/ so each loads once)."""

from typing import Any

from openfisca_core.indexed_enums import Enum


def one_of(values: Any, *items: Any) -> Any:
    """Per firm: is the enum value any of `items`? (EnumArray compares to one item at a time.)"""
    result = values == items[0]
    for item in items[1:]:
        result = result + (values == item)
    return result


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


class Provincie(Enum):
    """Province of the firm's establishment: decides the EFRO programme, regional vouchers and hubs."""

    onbekend = "Not given"
    groningen = "Groningen"
    fryslan = "Fryslân"
    drenthe = "Drenthe"
    overijssel = "Overijssel"
    flevoland = "Flevoland"
    gelderland = "Gelderland"
    utrecht = "Utrecht"
    noord_holland = "Noord-Holland"
    zuid_holland = "Zuid-Holland"
    zeeland = "Zeeland"
    noord_brabant = "Noord-Brabant"
    limburg = "Limburg"


class SbiSectie(Enum):
    """Main activity as a CBS SBI 2008 section (A-U); SLIM treats agriculture, horeca, recreation apart."""

    onbekend = "Not given"
    A = "A Landbouw, bosbouw en visserij"
    B = "B Delfstoffenwinning"
    C = "C Industrie"
    D = "D Energievoorziening"
    E = "E Waterbedrijven en afvalbeheer"
    F = "F Bouwnijverheid"
    G = "G Handel"
    H = "H Vervoer en opslag"
    I = "I Horeca"  # noqa: E741 - the SBI section letter
    J = "J Informatie en communicatie"
    K = "K Financiële dienstverlening"
    L = "L Verhuur en handel van onroerend goed"
    M = "M Specialistische zakelijke diensten"
    N = "N Verhuur en overige zakelijke diensten"
    O = "O Openbaar bestuur"  # noqa: E741 - the SBI section letter
    P = "P Onderwijs"
    Q = "Q Gezondheids- en welzijnszorg"
    R = "R Cultuur, sport en recreatie"
    S = "S Overige dienstverlening"
    T = "T Huishoudens"
    U = "U Extraterritoriale organisaties"


class InnovatieSoort(Enum):
    """Kind of innovation the project is about (the navigator's project description)."""

    geen = "No innovation project"
    product = "Product innovation"
    proces = "Process innovation"
    software = "Software development"
    onderzoek = "Technical-scientific research"


class MilieulijstCategorie(Enum):
    """Which MIA percentage the asset's Milieulijst code carries (or Vamil only)."""

    geen = "Not on the Milieulijst"
    mia_i = "MIA category I (highest percentage)"
    mia_ii = "MIA category II"
    mia_iii = "MIA category III (lowest percentage)"
    alleen_vamil = "Vamil only (no MIA)"
