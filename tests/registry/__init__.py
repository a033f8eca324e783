"""Tests of the registry (src/peloton/registry)."""
