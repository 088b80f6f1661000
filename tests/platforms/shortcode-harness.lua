-- Runs the Quarto shortcode (integrations/quarto/_extensions/mqtt-lab/mqtt-lab.lua)
-- without Quarto, which no registry here offers: Debian's pandoc (2.17, which has
-- no `pandoc lua` command) runs this file as a filter over a document whose
-- metadata is the lesson's and whose code block holds shortcodes, one a line.
-- Each line is split as Quarto splits a shortcode (words; key=value pairs, values
-- in double quotes may hold spaces) and handed to the shortcode with the
-- arguments Quarto gives it (args, kwargs, meta, raw_args, context). The output
-- is a JSON array, one entry per line and per mode: {mode, line, html} or
-- {mode, line, error}; mode "pandoc" has no `quarto` global, mode "quarto" a
-- stub of quarto.doc.add_html_dependency that records what it is given.
--
--   MQTT_LAB_EXT=integrations/quarto/_extensions/mqtt-lab \
--     pandoc -f markdown -t html --lua-filter tests/platforms/shortcode-harness.lua cases.md

local ext = os.getenv('MQTT_LAB_EXT') or error('set MQTT_LAB_EXT')

local function json(v)
  if type(v) == 'table' then
    if #v > 0 or next(v) == nil then
      local out = {}
      for _, x in ipairs(v) do out[#out + 1] = json(x) end
      return '[' .. table.concat(out, ',') .. ']'
    end
    local keys, out = {}, {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do out[#out + 1] = json(k) .. ':' .. json(v[k]) end
    return '{' .. table.concat(out, ',') .. '}'
  elseif type(v) == 'string' then
    return '"' .. v:gsub('[%c"\\]', function(c)
      return ({ ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n' })[c] or string.format('\\u%04x', c:byte())
    end) .. '"'
  end
  return tostring(v)
end

-- `{{< mqtt-lab backoff base=1 title="A b" >}}` -> args, kwargs as Quarto passes them.
local function split(line)
  local inner = line:match('^%s*{{<%s*(.-)%s*>}}%s*$') or error('not a shortcode: ' .. line)
  local words, i = {}, 1
  while i <= #inner do
    local s = inner:find('%S', i)
    if not s then break end
    local key, rest = inner:match('^([%w_%-]+)=(.*)$', s)
    local word, stop
    if key and rest:sub(1, 1) == '"' then
      local close = inner:find('"', s + #key + 2, true)
      word = { key = key, value = inner:sub(s + #key + 2, close - 1) }
      stop = close + 1
    else
      stop = (inner:find('%s', s) or #inner + 1)
      local w = inner:sub(s, stop - 1)
      local k, v = w:match('^([%w_%-]+)=(.*)$')
      word = k and { key = k, value = v } or w
    end
    words[#words + 1] = word
    i = stop
  end
  assert(words[1] == 'mqtt-lab', 'the shortcode is mqtt-lab')
  local args, kwargs = {}, {}
  for n = 2, #words do
    local w = words[n]
    if type(w) == 'table' then kwargs[w.key] = { pandoc.Str(w.value) } else args[#args + 1] = { pandoc.Str(w) } end
  end
  return args, kwargs, inner
end

function Pandoc(doc)
  local lines = {}
  for _, block in ipairs(doc.blocks) do
    if block.t == 'CodeBlock' then
      for line in block.text:gmatch('[^\n]+') do lines[#lines + 1] = line end
    end
  end
  local results = {}
  for _, mode in ipairs({ 'pandoc', 'quarto' }) do
    local deps = {}
    if mode == 'quarto' then
      quarto = { doc = { add_html_dependency = function(d) deps[#deps + 1] = d end } }
    else
      quarto = nil
    end
    -- As Quarto loads it: the file returns its table of shortcodes.
    local shortcode = dofile(ext .. '/mqtt-lab.lua')['mqtt-lab']
    for _, line in ipairs(lines) do
      local args, kwargs, raw = split(line)
      local ok, out = pcall(shortcode, args, kwargs, doc.meta, { raw }, 'block')
      local entry = { mode = mode, line = line }
      if ok then entry.html = out.text; entry.kind = out.t else entry.error = tostring(out) end
      results[#results + 1] = entry
    end
    if mode == 'quarto' then
      local heads = {}
      for _, d in ipairs(deps) do heads[#heads + 1] = d.name .. ' ' .. d.head end
      results[#results + 1] = { mode = mode, dependencies = heads }
    end
  end
  return pandoc.Pandoc({ pandoc.RawBlock('html', json(results)) })
end
