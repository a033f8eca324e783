"""The registry of supported projects: import, search, and what kind of innovation the money went to.

Public API:
- `RegistryStore.open()` the DuckDB registry (the bundled snapshot on first use);
- `import_file(store, path, fmt, ...)` an import (replaces one source in one transaction);
- `search(store, query, ...)` full-text search with facets;
- `classify(title, summary, ...)` the innovation kind of one project, with its reason;
- `kind_estimate(store, fund=...)` and `efro_kind_estimate()` money and projects by kind, naive
  and corrected for the classifier's measured error (for the monitor's Q7 section).
"""

from __future__ import annotations

from peloton.registry.classify import classify
from peloton.registry.estimate import efro_kind_estimate, kind_estimate
from peloton.registry.importer import import_file
from peloton.registry.search import search
from peloton.registry.store import RegistryStore

__all__ = ["RegistryStore", "classify", "efro_kind_estimate", "import_file", "kind_estimate", "search"]
