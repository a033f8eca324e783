"""How well the reader reads real Aanhangsel documents, and whether reading stays linear in size.

Prints, for the hand-labelled documents (tests/reader/real_documents.py: the six real documents in
../shared/reference/parliament/), how many come out fully right per field and in all fields; then
the time to read 1, 4 and 20 MB of the seed repeated, and the time per MB at each size (a linear
reader keeps that ratio near 1). Figures, not assertions: run `python benchmarks/reader_accuracy.py`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.reader.real_documents import LABELS, read_labelled, score  # noqa: E402

from peloton.reader import read_document  # noqa: E402

SEED = REPO.parent / "shared/seed/000_4cdabadc9cc4caa1.txt"


def accuracy() -> None:
    """Fields right per document, then the count of fully right documents per field."""
    results = {}
    for label in LABELS:
        results[label.file] = score(read_labelled(label), label)
    fields = list(next(iter(results.values())))
    print(f"{'document':38} " + " ".join(f"{f[:10]:>10}" for f in fields))
    for name, got in results.items():
        print(f"{name:38} " + " ".join(f"{'ok' if got[f] else 'WRONG':>10}" for f in fields))
    total = len(results)
    print()
    for f in fields:
        print(f"{f:14} {sum(r[f] for r in results.values())}/{total} documents right")
    print(f"{'all fields':14} {sum(all(r.values()) for r in results.values())}/{total} documents fully right")


def _tag(i: int) -> str:
    """A word made of letters only that differs per copy ("kopieab"): no digit to read as a figure."""
    letters = ""
    while True:
        letters = chr(ord("a") + i % 26) + letters
        i //= 26
        if not i:
            return "kopie" + letters


def _distinct(seed: str, copies: int) -> str:
    """The seed repeated with a different word on every line of each copy, so no passage recurs."""
    out = []
    for i in range(copies):
        tag = _tag(i)
        out.append(
            "\n".join(
                f"{line.rstrip()} {tag}" if line.strip() and not line.strip().isdigit() else line
                for line in seed.split("\n")
            )
        )
    return "\n".join(out)


def linear_time(sizes_mb: tuple[int, ...] = (1, 4, 20)) -> None:
    """Seconds to read the seed repeated to each size, and seconds per MB relative to the smallest.

    Two texts per size: the seed repeated as it is (recurring passages are analysed once), and the
    seed repeated with a different word on every line (every passage analysed), the harder case.
    """
    if not SEED.exists():
        print(f"seed not found at {SEED}; skipping the timing")
        return
    seed = SEED.read_text(encoding="utf-8")
    for kind in ("repeated", "distinct"):
        first: float | None = None
        print()
        for mb in sizes_mb:
            copies = max(1, round(mb * 1_000_000 / len(seed.encode("utf-8"))))
            text = seed * copies if kind == "repeated" else _distinct(seed, copies)
            start = time.perf_counter()
            doc = read_document(text, check=False)
            seconds = time.perf_counter() - start
            size = len(text.encode("utf-8")) / 1_000_000
            per_mb = seconds / size
            first = first or per_mb
            print(
                f"{kind:8} {size:5.1f} MB: {seconds:6.2f} s, {len(doc.items):>6} questions, "
                f"{per_mb:.2f} s/MB (x{per_mb / first:.2f} of the 1 MB rate)"
            )


if __name__ == "__main__":
    accuracy()
    if "--no-timing" not in sys.argv:
        linear_time()
