-- A 4 KB POST for wrk's echo scenario: every request carries the same 4096-byte body, which both apps read whole
-- and send back with a Content-Length (POST /echo).
-- Usage: wrk -s bench/echo.lua http://host:port/echo [-- BYTES]
init = function(args)
  local size = tonumber(args[1]) or 4096
  wrk.method = "POST"
  wrk.body = string.rep("x", size)
  wrk.headers["Content-Type"] = "application/octet-stream"
end
