-- wrk script: paces every connection so that together they offer about RATE requests/s, to measure latency
-- below saturation (a saturating closed loop measures queueing: latency = connections / throughput).
--   wrk -s paced.lua ... -- RATE CONNECTIONS
-- Each connection waits a random 0.5x to 1.5x of its mean gap (CONNECTIONS / RATE) before each request, so
-- connections do not march in step. wrk takes whole milliseconds; the rate reached is what wrk reports.
local mean_ms

function init(args)
  mean_ms = tonumber(args[2]) * 1000 / tonumber(args[1])
  math.randomseed(os.time())
end

function delay()
  return mean_ms * (0.5 + math.random())
end
