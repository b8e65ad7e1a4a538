-- wrk script for bench/load.sh.  Environment:
--   LOAD_COOKIE   Cookie header for every request (the signed-in session)
--   LOAD_CSRF     X-CSRF-Token for writes
--   LOAD_PUT_PATH, LOAD_PUT_BODY   when set: the mixed profile, where every
--                 tenth request (per connection) PUTs LOAD_PUT_BODY to
--                 LOAD_PUT_PATH and the others GET the URL's path
--   LOAD_RESULT   file the summary is appended to, one line:
--                 requests duration_us p50_us p99_us errors
local cookie = os.getenv("LOAD_COOKIE")
local csrf = os.getenv("LOAD_CSRF")
local put_path = os.getenv("LOAD_PUT_PATH")
local put_body = os.getenv("LOAD_PUT_BODY")
local result = os.getenv("LOAD_RESULT")

if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local n = 0
local get_req, put_req

function request()
  if not put_path or put_path == "" then
    return wrk.request()
  end
  if not get_req then
    -- wrk.format takes the headers given in place of wrk.headers.
    get_req = wrk.format("GET", wrk.path)
    put_req = wrk.format("PUT", put_path, {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/json",
      ["X-CSRF-Token"] = csrf,
    }, put_body)
  end
  n = n + 1
  if n % 10 == 0 then
    return put_req
  end
  return get_req
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local f = io.open(result, "a")
  f:write(string.format("%d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), errors))
  f:close()
end
