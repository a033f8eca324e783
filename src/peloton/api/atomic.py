"""Files the API keeps (job requests, failures, upload descriptions) are written whole or not at all:
to a temporary name first, then renamed into place, so a killed server never leaves half a file
under a name that is read."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_json_atomically(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path` whole or not at all. On a failure (a full disk: ENOSPC) the
    temporary file is removed, the file already at `path` is left as it was, and the OSError rises."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    try:
        with tmp.open("wb") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
