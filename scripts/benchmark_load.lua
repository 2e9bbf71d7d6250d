-- The load run of scripts/benchmark.py, for wrk (Debian package `wrk`).
--
-- Spreads the requests round-robin over the paths in BENCH_PATHS (space-separated; a path
-- written "@/some/path/" is requested with the session cookie BENCH_COOKIE, i.e. logged in).
-- Every request says X-Forwarded-Proto: https, as nginx in front of gunicorn does. The done()
-- hook prints one line "BENCHMARK-RESULT {json}" with requests/s, latency percentiles and the
-- errors: responses other than 2xx, and socket errors (connect, read, write, timeout).

local paths = {}
for word in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  if string.sub(word, 1, 1) == "@" then
    table.insert(paths, { path = string.sub(word, 2), private = true })
  else
    table.insert(paths, { path = word, private = false })
  end
end
local cookie = os.getenv("BENCH_COOKIE") or ""
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
  non2xx = 0
end

function request()
  counter = counter + 1
  local entry = paths[counter % #paths + 1]
  local headers = { ["X-Forwarded-Proto"] = "https" }
  if entry.private then
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", entry.path, headers)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
  end
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCHMARK-RESULT {"requests": %d, "duration_s": %.3f, "requests_per_second": %.2f, '
      .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "non_2xx": %d, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad,
    errors.connect, errors.read, errors.write, errors.timeout
  ))
end
