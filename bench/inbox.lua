-- wrk: a scoped clerk's inbox (GET /api/v1/inbox), the first page and, every other request, the
-- second page through the cursor the first page answered, as a clerk paging down would.
-- BENCH_COOKIE comes from bench/inbox-setup.mjs. done() prints the p95 that wrk --latency does
-- not: "LATENCY p50 p95 p99" in milliseconds.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
local cursor = nil
local n = 0
function request()
  n = n + 1
  if cursor and n % 2 == 0 then
    return wrk.format("GET", "/api/v1/inbox?cursor=" .. cursor)
  end
  return wrk.format("GET", "/api/v1/inbox")
end
function response(status, headers, body)
  -- The first page's cursor, kept: a later page's would walk ever further down the list.
  if not cursor and status == 200 then
    cursor = body:match('"next_cursor"%s*:%s*"([^"]+)"')
  end
end
function done(summary, latency, requests)
  io.write(string.format("LATENCY %.2f %.2f %.2f\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
