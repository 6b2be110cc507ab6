-- wrk script of tools/benchmark.py: at the end of a run, print wrk's own summary and latency
-- distribution as one machine-readable line (times in microseconds), e.g.
-- BENCHMARK requests=9120 duration_us=5003117 p50_us=1630 p99_us=5310 connect=0 read=0 write=0 status=0 timeout=0
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCHMARK requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
