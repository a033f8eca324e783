"""A hand-made population of a few firms whose amounts are worked out by hand in the tests."""

from __future__ import annotations

import csv
from pathlib import Path

# weight, fte, turnover, kind, costs, S&O hours: the new scheme pays 25% of the costs, at most 50,000,
# to SMEs with a process-innovation project and no S&O-verklaring.
FIRMS = [
    # id  weight  fte  turnover    kind       costs    so_uren  sector   expected new-scheme amount
    (101, 10.0, 5, 1_000_000, "proces", 80_000, 0, "C"),  # 20,000
    (102, 5.0, 40, 8_000_000, "proces", 300_000, 0, "G"),  # 50,000 (cap)
    (103, 3.0, 8, 1_500_000, "proces", 40_000, 500, "C"),  # 0: has an S&O-verklaring
    (104, 2.0, 300, 90_000_000, "proces", 100_000, 0, "C"),  # 0: large firm
    (105, 7.0, 12, 2_500_000, "product", 100_000, 0, "J"),  # 0: product innovation
    (106, 4.0, 2, 200_000, "proces", 1_000, 0, "F"),  # 250
]


def write(path: Path) -> Path:
    header = ["id", "weight", "personeel_fte", "jaaromzet", "balanstotaal", "innovatie_soort",
              "ontwikkelingskosten", "so_uren", "sbi_sectie", "rechtsvorm"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for fid, weight, fte, turnover, kind, costs, hours, sector in FIRMS:
            writer.writerow([fid, weight, fte, turnover, turnover, kind, costs, hours, sector, "bv"])
    return path
