"""The registry of supported projects: import, search, and what kind of innovation the money went to.

Public API:
- `RegistryStore.open()` the DuckDB registry (the bundled snapshot on first use);
- `import_file(store, path, fmt, ...)` an import (replaces one source in one transaction);
- `kind_estimate(store, fund=...)` and `efro_kind_estimate()` money and projects by kind, naive
  and corrected for the classifier's measured error (for the monitor's Q7 section);
- `scheme_projects(scheme_id)` the projects the registry links to one catalog scheme.

Search and the classifier are their modules' functions, `peloton.registry.search.search(...)` and
`peloton.registry.classify.classify(...)`: a package attribute of the same name as a submodule
would be replaced by the submodule once it is imported. The names load on first use (PEP 562), so
`peloton`'s other commands do not pay for DuckDB, PyArrow, NumPy and the stemmer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peloton.registry.estimate import efro_kind_estimate, kind_estimate
    from peloton.registry.importer import import_file
    from peloton.registry.links import scheme_projects
    from peloton.registry.store import RegistryStore

_WHERE = {
    "RegistryStore": "peloton.registry.store",
    "efro_kind_estimate": "peloton.registry.estimate",
    "kind_estimate": "peloton.registry.estimate",
    "import_file": "peloton.registry.importer",
    "scheme_projects": "peloton.registry.links",
}

__all__ = ["RegistryStore", "efro_kind_estimate", "import_file", "kind_estimate", "scheme_projects"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'peloton.registry' has no attribute {name!r}")
