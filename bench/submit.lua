-- wrk: durable submissions. Each request files and submits a new case of the benchmark's item
-- with its required material (one write: the case, its material reference, the first task, the
-- trail entry and the audit entry). BENCH_COOKIE, BENCH_CSRF, BENCH_ITEM and BENCH_MATERIAL come
-- from bench/cases-setup.mjs. Every request carries its own Idempotency-Key.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
local body = string.format(
  '{"item_code":"%s","form":{},"materials":[{"slot":0,"material_id":"%s"}],"delivery":{"method":"electronic"},"submit":true}',
  os.getenv("BENCH_ITEM"), os.getenv("BENCH_MATERIAL"))
local counter = 0
-- Keys must be new in every wrk run: LuaJIT's random numbers start from the same seed each time,
-- so the warm-up run and the measured one would send the same keys and the second would measure
-- replays. BENCH_RUN (set per run by bench/cases.sh) and the thread number keep them apart.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("prefix", (os.getenv("BENCH_RUN") or tostring(os.time())) .. "-" .. threads)
end
function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter
  return wrk.format(nil, "/api/v1/cases", nil, body)
end
