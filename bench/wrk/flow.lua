-- create a draft -> attach a PDF -> submit, over and over; run with one connection per thread (-t N -c N)
-- so that each thread's state is one connection's. Counts whole flows (dossiers submitted).
local threads = {}
local token, create_body, attach_body, boundary
local step, dossier_id = 1, nil
flows, failures = 0, 0

function setup(thread)
  table.insert(threads, thread)
end

local function read(path)
  local file = assert(io.open(path, "rb"))
  local content = file:read("*a")
  file:close()
  return content
end

function init(args)
  token, create_body, attach_body, boundary = args[1], read(args[2]), read(args[3]), args[4]
end

function request()
  local headers = { Authorization = "Token " .. token, Accept = "application/json" }
  if step == 1 then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/dossiers/", headers, create_body)
  elseif step == 2 then
    headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
    return wrk.format("POST", "/api/v1/dossiers/" .. dossier_id .. "/attachments/", headers, attach_body)
  end
  return wrk.format("POST", "/api/v1/dossiers/" .. dossier_id .. "/submit/", headers, "")
end

function response(status, _, body)
  if step == 1 and status == 201 then
    dossier_id = body:match('"id"%s*:%s*(%d+)')
    step = dossier_id and 2 or 1
  elseif step == 2 and status == 201 then
    step = 3
  elseif step == 3 and status == 200 then
    flows = flows + 1
    step = 1
  else
    failures = failures + 1
    step = 1
  end
end

function done(summary, latency, _)
  local total, failed = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("flows")
    failed = failed + thread:get("failures")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "operations": %d, "duration_us": %d, "errors": %d, "status_errors": %d, '
      .. '"timeouts": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, "failed_flows": %d}\n',
    summary.requests, total, summary.duration, e.connect + e.read + e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, failed))
end
