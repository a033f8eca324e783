"""Files the API keeps (job requests, failures, upload descriptions) are written whole or not at all:
to a temporary name first, then renamed into place, so a killed server never leaves half a file
under a name that is read."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_json_atomically(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)
