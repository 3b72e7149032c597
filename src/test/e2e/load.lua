-- wrk script of load.sh: counts the responses whose status is not exactly 200 (wrk's own
-- summary.errors.status counts only statuses > 399), per thread, and prints one summary line in
-- done(). wrk's threads are separate Lua states: setup() keeps each thread's handle and done()
-- reads the per-thread globals with thread:get(), the pattern of wrk's SCRIPTING document.
-- An optional script argument (wrk ... url -- MS) paces each thread: one request every MS ms.

local threads = {}

-- Wall-clock milliseconds: wrk's Lua is LuaJIT, whose FFI reaches gettimeofday (os.clock() is CPU time).
local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_usec; } load_timeval;
   int gettimeofday(load_timeval *tv, void *tz);
]]
local timeval = ffi.new("load_timeval")
function now_ms()
   ffi.C.gettimeofday(timeval, nil)
   return tonumber(timeval.tv_sec) * 1000 + tonumber(timeval.tv_usec) / 1000
end

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non200 = 0
   statuses = {} -- status code (as a string) -> responses with it, non-200 only
   -- A steady load (load.sh's LOAD_RATE): this thread sends one request every args[1] ms, on a
   -- schedule of its own, whichever of its connections is free. A slow answer delays no other
   -- request; a late schedule restarts from now rather than bursting to catch up. wrk looks for
   -- delay() after init(), so it is defined only when asked for.
   local interval = tonumber(args[1] or "0")
   if interval == nil or interval < 0 then
      error("load.lua: the pace must be a number of milliseconds, not '" .. tostring(args[1]) .. "'")
   end
   if interval > 0 then
      local next_send = now_ms()
      delay = function()
         local now = now_ms()
         local slot = math.max(next_send, now)
         next_send = slot + interval
         return math.floor(slot - now + 0.5)
      end
   end
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
