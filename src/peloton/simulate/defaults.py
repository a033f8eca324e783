"""The synthetic population `peloton simulate` runs on unless told otherwise (a small module, so that the
CLI, the reform-impact snapshots and the API name the same default without loading the generator)."""

DEFAULT_RECORDS = 200_000
DEFAULT_SEED = 2024
