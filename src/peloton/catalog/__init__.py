"""What each scheme is (owner, kind, target group, regions, links): shared by every interface."""

from peloton.catalog.schemes import Combination, Scheme, get_scheme, load_catalog, load_combinations

__all__ = ["Combination", "Scheme", "get_scheme", "load_catalog", "load_combinations"]
