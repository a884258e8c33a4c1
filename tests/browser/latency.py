#!/usr/bin/env python3
"""Latency of `medesert serve` as the page sees it (BENCHMARKS.md, "Explorer").

    medesert serve --port 8091 &
    python3 tests/browser/latency.py http://127.0.0.1:8091 "region=24&scale=50" numerus=19000 teleconsultation=0.1

For each lever setting (none first: the baseline), one uncached request: seconds to the
response's first byte, to the first simulated year, and to the end of the run.
"""
import json
import sys
import time
import urllib.request

server, common = sys.argv[1], sys.argv[2]
for k, lever in enumerate([""] + sys.argv[3:]):
    query = f"client=bench{k}&{common}" + (f"&{lever}" if lever else "")
    t0 = time.time()
    first_byte = first_year = None
    years = 0
    with urllib.request.urlopen(f"{server}/api/run?{query}") as r:
        for line in r:
            first_byte = first_byte or time.time() - t0
            d = json.loads(line)
            if d["type"] == "year":
                years += 1
                first_year = first_year or time.time() - t0
            elif d["type"] == "error":
                sys.exit(d["message"])
    total = time.time() - t0
    print(f"{lever or 'baseline':<28} first byte {first_byte:5.2f} s  first year {first_year:5.2f} s  "
          f"{years} years in {total:5.2f} s")
