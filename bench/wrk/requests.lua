-- GET requests read from a file (one "path<TAB>token" a line), sent round-robin; the summary as one JSON line.
local requests = {}
local count = 0
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    local path, token = line:match("^([^\t]+)\t?(.*)$")
    local headers = { Accept = "application/json" }
    if token ~= nil and token ~= "" then
      headers["Authorization"] = "Token " .. token
    end
    count = count + 1
    requests[count] = wrk.format("GET", path, headers)
  end
  next_index = math.random(count) - 1
end

function request()
  next_index = next_index % count + 1
  return requests[next_index]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "operations": %d, "duration_us": %d, "errors": %d, "status_errors": %d, '
      .. '"timeouts": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.requests, summary.duration, e.connect + e.read + e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
