-- wrk script of bench/scale: POSTs the request bodies of $BENCH_BODIES (one
-- JSON body per line) in turn, with the bearer token $BENCH_TOKEN if set, and
-- at the end writes the run's figures as one JSON object to $BENCH_OUT
-- (latencies in microseconds), like lib/wrk-post.lua.

local bodies = {}
local bodies_file = assert(os.getenv("BENCH_BODIES"), "BENCH_BODIES is not set")
for line in io.lines(bodies_file) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
assert(#bodies > 0, "no request bodies")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and #token > 0 then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local i = 0
function request()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end

function done(summary, latency, requests)
  local out = assert(os.getenv("BENCH_OUT"), "BENCH_OUT is not set")
  local e = summary.errors
  local o = assert(io.open(out, "w"))
  o:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
  o:close()
end
