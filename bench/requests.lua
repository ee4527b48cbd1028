-- Drives varied requests for one scenario. Reads a file of request lines:
--   METHOD<TAB>PATH<TAB>AUTHORIZATION-or-empty<TAB>BODY-or-empty
-- and reports throughput, latency percentiles and errors as one JSON line.
local lines = {}
local cookie = os.getenv("BENCH_COOKIE")

function init(args)
  for line in io.lines(args[1]) do
    local method, path, auth, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    lines[#lines + 1] = { method = method, path = path, auth = auth, body = body }
  end
  math.randomseed(tonumber(args[2] or "1") + (id or 0))
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function request()
  local r = lines[math.random(#lines)]
  local headers = {}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if r.auth ~= "" then headers["Authorization"] = r.auth end
  if r.body ~= "" then headers["Content-Type"] = "application/json" end
  return wrk.format(r.method, r.path, headers, r.body ~= "" and r.body or nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
