-- wrk script for bench/server.sh: POST /api/v1/plan with the body file given
-- after "--" (a profile wrapped as {"profile": ...}); counts statuses.
local statuses = {}

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  wrk.headers["Content-Type"] = "application/json"
  f:close()
end
