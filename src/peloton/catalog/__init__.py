"""What each scheme is (owner, kind, target group, regions, links): shared by every interface."""

from peloton.catalog.schemes import Scheme, get_scheme, load_catalog

__all__ = ["Scheme", "get_scheme", "load_catalog"]
