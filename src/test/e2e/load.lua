-- wrk script of load.sh: counts the responses whose status is not exactly 200 (wrk's own
-- summary.errors.status counts only statuses > 399), per thread, and prints one summary line in
-- done(). wrk's threads are separate Lua states: setup() keeps each thread's handle and done()
-- reads the per-thread globals with thread:get(), the pattern of wrk's SCRIPTING document.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non200 = 0
   statuses = {} -- status code (as a string) -> responses with it, non-200 only
end

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
      local key = tostring(status)
      statuses[key] = (statuses[key] or 0) + 1
   end
end

function done(summary, latency, requests)
   local non200_total, by_status = 0, {}
   for _, thread in ipairs(threads) do
      non200_total = non200_total + (thread:get("non200") or 0)
      for code, n in pairs(thread:get("statuses") or {}) do
         by_status[code] = (by_status[code] or 0) + n
      end
   end
   local codes = {}
   for code, n in pairs(by_status) do
      codes[#codes + 1] = code .. ":" .. n
   end
   table.sort(codes)
   local e = summary.errors
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then rps = summary.requests / seconds end
   local socket_errors = e.connect + e.read + e.write + e.timeout
   io.write(string.format(
      "LOAD_SUMMARY requests=%d duration_s=%.3f rps=%.1f non200=%d connect_errors=%d read_errors=%d" ..
      " write_errors=%d timeout_errors=%d socket_errors=%d failed=%d statuses=%s\n",
      summary.requests, seconds, rps, non200_total, e.connect, e.read, e.write, e.timeout,
      socket_errors, non200_total + socket_errors, #codes > 0 and table.concat(codes, ",") or "-"))
end
