-- One order per request for wrk, each with its own Idempotency-Key: run id
-- (from the command line), wrk thread number, and a counter. Used by
-- perf/load.sh and perf/orders-load.sh.
local threads, counter, run = 0, 0, ""
function setup(thread) threads = threads + 1; thread:set("thread_no", threads) end
function init(args) run = args[1] end
request = function()
  counter = counter + 1
  local key = "bench-" .. run .. "-" .. thread_no .. "-" .. counter
  return wrk.format("POST", "/api/orders",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key },
    '{"items":[{"sku":"HONEY-WF-500","quantity":1}],"contact":{"name":"压测","phone":"13800138000"},' ..
    '"address":{"province":"天津市","city":"天津市","district":"西青区","detail":"杨柳青镇1号"}}')
end
