-- wrk script for bench/server.sh: POST the body file named after "--" (a profile
-- wrapped as {"profile": ...}) as JSON; wrk counts non-2xx answers as errors.
function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  wrk.headers["Content-Type"] = "application/json"
  f:close()
end
