-- wrk script of bench/soak: rotates over article pages, searches and pastes.
--
-- Every thread builds its requests once (init) and sends them in turn, so
-- every connection sends the same mix:
--   5 of 10 article and home pages (both languages),
--   2 of 10 searches (the page and the API),
--   3 of 10 pastes (the API as JSON and as a raw message, and the form).
-- The paste is the bounce in tests/fixtures/bench/postfix-relay.eml (or the
-- file given as the script's first argument). Statuses are counted per
-- thread and summed at the end.

local function read(path)
  local f = assert(io.open(path, "rb"), "cannot read " .. path)
  local data = f:read("*a")
  f:close()
  return data
end

local function json_string(s)
  local out = s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    if c == "\r" then return "\\r" end
    if c == "\t" then return "\\t" end
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. out .. '"'
end

local function form_value(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", c:byte())
  end))
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local bounce = read(args[1] or "tests/fixtures/bench/postfix-relay.eml")
  local json = '{"text": ' .. json_string(bounce) .. "}"
  local form = "text=" .. form_value(bounce)
  requests = {
    wrk.format("GET", "/pl/554-5-7-1-relay-access-denied"),
    wrk.format("GET", "/en/http-403"),
    wrk.format("POST", "/api/identify", { ["Content-Type"] = "application/json" }, json),
    wrk.format("GET", "/pl/search?q=blad+403"),
    wrk.format("GET", "/pl/"),
    wrk.format("POST", "/api/identify?lang=en", { ["Content-Type"] = "message/rfc822" }, bounce),
    wrk.format("GET", "/en/554-5-7-1-dnsbl-check"),
    wrk.format("GET", "/api/search?q=relay+access+denied&lang=en"),
    wrk.format("POST", "/pl/identify", { ["Content-Type"] = "application/x-www-form-urlencoded" }, form),
    wrk.format("GET", "/pl/http-503"),
  }
  next_request = 0
  statuses = {}
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      total[status] = (total[status] or 0) + n
    end
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do
    table.insert(parts, status .. "=" .. total[status])
  end
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
