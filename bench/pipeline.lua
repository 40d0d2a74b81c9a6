-- HTTP/1.1 pipelining for wrk: each write carries N requests back to back (default 16, the TechEmpower
-- plaintext depth); wrk counts every response, so requests/s is responses/s.
-- Usage: wrk -s bench/pipeline.lua http://host:port/ -- 16
local pipelined

init = function(args)
  local depth = tonumber(args[1]) or 16
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format()
  end
  pipelined = table.concat(requests)
end

request = function()
  return pipelined
end
