"""Kelisim's benchmark suite: `python -m bench` (BENCH_SCALE=small|region|national, default region).

Each database engine gets a fresh database (SQLite: a file in var/bench/; PostgreSQL: kelisim_bench,
created and dropped), filled by `kelisim generate`; every figure is measured with its baseline in the
same run. Results go to var/bench/results.json and docs/benchmarks.md."""
