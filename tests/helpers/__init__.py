"""Fakes shared by the tests and the benchmarks (PTB keeps its own in tests/auxil/)."""
