"""What each scheme is (owner, kind, target group, regions, links): shared by every interface."""

from peloton.catalog.schemes import (
    Combination,
    Scheme,
    covered_years,
    get_scheme,
    load_catalog,
    load_combinations,
    year_ranges,
)

__all__ = [
    "Combination",
    "Scheme",
    "covered_years",
    "get_scheme",
    "load_catalog",
    "load_combinations",
    "year_ranges",
]
