"""Benchmark results shared between the benchmarks and the terminal summary."""

from __future__ import annotations

from typing import Any

SEQUENTIAL = "one benchmark after another (fastest pass of each)"
INTERLEAVED = "interleaved passes, same load for every variant (fastest pass of each)"
WARM = "per payload, warm, fastest of repeats, summed over the corpus mix"

#: section -> variant -> (seconds for the whole corpus, payload count). On a shared
#: machine the fastest pass is the least noisy estimate of what the code costs; the
#: interleaved and warm sections are the robust ones when the load drifts.
RESULTS: dict[str, dict[str, tuple[float, int]]] = {}

#: (label, ours, reference, target): ours/reference throughput must reach ``target``
#: (None: informative only).
RATIOS: list[tuple[str, str, str, float | None]] = [
    ("is_valid / raw lxml (published schema)", "ours_is_valid", "raw_lxml", 0.7),
    ("is_valid, registry passed / raw lxml", "ours_is_valid_registry", "raw_lxml", 0.7),
    ("schema.valid check / raw lxml", "ours_schema_check", "raw_lxml", 0.7),
    ("schema.valid check / raw lxml, fresh trees", "ours_schema_check", "raw_lxml_fresh", 0.7),
    ("is_valid / raw lxml on the same 5.5 schema", "ours_is_valid", "raw_lxml_pruned", None),
    ("all checks / raw lxml", "ours_all_checks", "raw_lxml", None),
    ("is_valid / naive xmlschema", "ours_is_valid", "naive_xmlschema", 30.0),
    ("schema.valid check / naive xmlschema", "ours_schema_check", "naive_xmlschema", 30.0),
]


def record(section: str, name: str, seconds: float, count: int) -> None:
    RESULTS.setdefault(section, {})[name] = (seconds, count)


def record_benchmark(name: str, benchmark: Any, count: int) -> None:
    record(SEQUENTIAL, name, benchmark.stats.stats.min, count)


def summary(terminalreporter: Any) -> None:
    """Throughput and ours/reference ratios, per section."""
    write = terminalreporter.write_line
    for section in (SEQUENTIAL, INTERLEAVED, WARM):
        results = RESULTS.get(section)
        if not results:
            continue
        terminalreporter.section(section)
        for name, (seconds, count) in sorted(results.items()):
            write(f"{name:24} {count / seconds:10,.0f} payloads/s")
        for label, ours, ref, target in RATIOS:
            if ours in results and ref in results:
                ratio = results[ref][0] / results[ours][0]
                verdict = ""
                if target is not None:
                    verdict = f"  target >= {target:g}x: {'met' if ratio >= target else 'MISSED'}"
                write(f"  {label:45} {ratio:8.2f}x{verdict}")
