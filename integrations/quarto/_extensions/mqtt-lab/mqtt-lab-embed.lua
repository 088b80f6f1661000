-- MQTT Lab embeds for Quarto and pandoc: what the shortcode (mqtt-lab.lua) and
-- the fenced-div filter (mqtt-lab-filter.lua) have in common. Both give this
-- module a widget's slug and the author's parameters; it checks them against
-- widgets.json (generated from the app's widget registry and field specs by
-- `cargo run -p mqtt-lab-core --example integrations`) and returns the embed's
-- HTML, or stops the render with a message naming the widget and parameter.
--
-- MIT licence, like the app. Needs pandoc 2.17 or later (Quarto 1.3 or later).

local M = {}

local function here()
  local source = debug.getinfo(1, 'S').source
  return source:match('^@(.*[/\\])') or './'
end

-- A small JSON reader (the file is ours and plain: objects, arrays, strings,
-- numbers, booleans, null). pandoc 2.17 has no pandoc.json.
local function decode_json(text)
  local pos = 1
  local function fail(what)
    error('mqtt-lab: widgets.json: ' .. what .. ' at byte ' .. pos, 0)
  end
  local function skip()
    pos = text:find('[^ \t\r\n]', pos) or #text + 1
  end
  local value
  local function string_()
    local out = {}
    pos = pos + 1
    while true do
      local c = text:sub(pos, pos)
      if c == '' then fail('unterminated string') end
      if c == '"' then pos = pos + 1; return table.concat(out) end
      if c == '\\' then
        local e = text:sub(pos + 1, pos + 1)
        local simple = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }
        if simple[e] then
          out[#out + 1] = simple[e]; pos = pos + 2
        elseif e == 'u' then
          local code = tonumber(text:sub(pos + 2, pos + 5), 16) or fail('bad \\u escape')
          out[#out + 1] = utf8.char(code); pos = pos + 6
        else
          fail('bad escape')
        end
      else
        out[#out + 1] = c; pos = pos + 1
      end
    end
  end
  function value()
    skip()
    local c = text:sub(pos, pos)
    if c == '{' then
      local obj = {}
      pos = pos + 1; skip()
      if text:sub(pos, pos) == '}' then pos = pos + 1; return obj end
      while true do
        skip()
        if text:sub(pos, pos) ~= '"' then fail('expected a key') end
        local k = string_()
        skip()
        if text:sub(pos, pos) ~= ':' then fail('expected :') end
        pos = pos + 1
        obj[k] = value()
        skip()
        local s = text:sub(pos, pos); pos = pos + 1
        if s == '}' then return obj end
        if s ~= ',' then fail('expected , or }') end
      end
    elseif c == '[' then
      local arr = {}
      pos = pos + 1; skip()
      if text:sub(pos, pos) == ']' then pos = pos + 1; return arr end
      while true do
        arr[#arr + 1] = value()
        skip()
        local s = text:sub(pos, pos); pos = pos + 1
        if s == ']' then return arr end
        if s ~= ',' then fail('expected , or ]') end
      end
    elseif c == '"' then
      return string_()
    else
      local word = text:match('^[%w%.%+%-]+', pos) or fail('unexpected character')
      pos = pos + #word
      if word == 'true' then return true end
      if word == 'false' then return false end
      if word == 'null' then return nil end
      return tonumber(word) or fail('bad number ' .. word)
    end
  end
  local result = value()
  skip()
  if pos <= #text then fail('trailing text') end
  return result
end
M.decode_json = decode_json

local registry
--- The widgets and their parameters, read once from widgets.json next to this file.
function M.registry()
  if not registry then
    local path = here() .. 'widgets.json'
    local file = io.open(path, 'r')
    if not file then error('mqtt-lab: cannot read ' .. path, 0) end
    registry = decode_json(file:read('a'))
    file:close()
  end
  return registry
end

local function fail(message)
  error('mqtt-lab: ' .. message, 0)
end

local function keys_of(list)
  local out = {}
  for _, p in ipairs(list) do out[#out + 1] = p.key or p.slug end
  return table.concat(out, ', ')
end

-- Levenshtein distance, for "did you mean".
local function distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

local function suggestion(wrong, list)
  local best, best_d
  for _, p in ipairs(list) do
    local name = p.key or p.slug
    local d = distance(wrong, name)
    -- A prefix counts as close: pub_qos for pub.
    if wrong:sub(1, #name) == name or name:sub(1, #wrong) == wrong then d = math.min(d, 1) end
    if d <= 2 and (not best_d or d < best_d) then best, best_d = name, d end
  end
  return best and (' (did you mean "' .. best .. '"?)') or ''
end

-- A number as the app writes it in its messages: whole numbers with thousands
-- separators, others as they are.
local function shown(n)
  if n == math.floor(n) and math.abs(n) < 2 ^ 53 then
    local s = string.format('%d', n)
    local sign, digits = s:match('^(-?)(%d+)$')
    digits = digits:reverse():gsub('(%d%d%d)', '%1,'):reverse():gsub('^,', '')
    return sign .. digits
  end
  return tostring(n)
end

local function allowed(spec)
  local unit = spec.unit ~= '' and (' ' .. spec.unit) or ''
  return (spec.integer and 'a whole number' or 'a number') .. ' from ' .. shown(spec.min)
    .. ' to ' .. shown(spec.max) .. unit
end

-- NumberSpec::parse (crates/core/src/fields.rs): a decimal number, `_` and
-- `,` as thousands separators, in range, whole where required. Returns the
-- text the URL carries (trimmed, as the app keeps it) or an error.
local function check_number(spec, text)
  local trimmed = text:match('^%s*(.-)%s*$')
  if trimmed == '' then return nil, 'enter ' .. allowed(spec) end
  local cleaned = trimmed:gsub('[_,]', '')
  local mantissa, exponent = cleaned:match('^([+-]?[%d%.]+)([eE][+-]?%d+)$')
  if not mantissa then mantissa, exponent = cleaned:match('^([+-]?[%d%.]+)$'), '' end
  local dots = mantissa and select(2, mantissa:gsub('%.', '')) or 0
  local value = mantissa and dots <= 1 and mantissa:find('%d') and tonumber(mantissa .. exponent)
  if not value then
    return nil, '"' .. trimmed .. '" is not a number; enter ' .. allowed(spec)
  end
  if value ~= value or value == math.huge or value == -math.huge then
    return nil, 'too large; enter ' .. allowed(spec)
  end
  if value < spec.min or value > spec.max then
    return nil, trimmed .. ' is out of range; enter ' .. allowed(spec)
  end
  if spec.integer and value ~= math.floor(value) then
    return nil, trimmed .. ' is not whole; enter ' .. allowed(spec)
  end
  return trimmed
end

local function check_choice(spec, text)
  local wanted = text:match('^%s*(.-)%s*$')
  for _, slug in ipairs(spec.options) do
    if slug:lower() == wanted:lower() then return slug end
  end
  return nil, '"' .. wanted .. '" is not one of ' .. table.concat(spec.options, ', ')
end

local function url_encode(text)
  return (text:gsub('[^%w%-%._~]', function(c) return string.format('%%%02X', c:byte()) end))
end

local function html_escape(text)
  return (text:gsub('[&<>"\']', { ['&'] = '&amp;', ['<'] = '&lt;', ['>'] = '&gt;', ['"'] = '&quot;', ["'"] = '&#39;' }))
end
M.html_escape = html_escape

local function stringify(v)
  if v == nil then return nil end
  if type(v) == 'string' or type(v) == 'number' or type(v) == 'boolean' then return tostring(v) end
  return pandoc.utils.stringify(v)
end

-- Bootswatch themes that Quarto ships and that are dark.
local DARK_THEMES = { darkly = true, cyborg = true, slate = true, solar = true, superhero = true, vapor = true }

--- The theme the frames take from the document: `mqtt-lab: {theme: light|dark|auto}`
--- if set; else Quarto's `theme` when it is one dark or light theme (a light and dark
--- pair has a toggle: the frame then follows the reader's system setting); else none.
function M.document_theme(meta)
  local own = meta and meta['mqtt-lab'] and stringify(meta['mqtt-lab'].theme)
  if own and own ~= '' then
    if own == 'auto' then return nil end
    if own ~= 'light' and own ~= 'dark' then
      fail('metadata mqtt-lab.theme: "' .. own .. '" is not one of light, dark, auto')
    end
    return own
  end
  local theme = meta and meta.theme
  if theme == nil then return nil end
  local t = pandoc.utils.type and pandoc.utils.type(theme) or type(theme)
  if t == 'table' or t == 'Meta' or t == 'MetaMap' then
    if theme.light or theme.dark then return nil end
  end
  local names = {}
  if t == 'List' or t == 'MetaList' then
    for _, item in ipairs(theme) do names[#names + 1] = stringify(item) end
  else
    names[1] = stringify(theme)
  end
  for _, name in ipairs(names) do
    if DARK_THEMES[name] then return 'dark' end
  end
  return names[1] and names[1] ~= '' and 'light' or nil
end

--- The widgets' address: MQTT_LAB_BASE from the environment (a preview
--- against a local copy), else the metadata's mqtt-lab.base; always with a
--- trailing slash.
function M.base(meta, slug)
  local base = os.getenv('MQTT_LAB_BASE')
  if not base or base == '' then
    base = meta and meta['mqtt-lab'] and stringify(meta['mqtt-lab'].base)
  end
  if not base or base == '' then
    fail('widget "' .. slug .. '": no address for the widgets; set it in the document\'s metadata:\n'
      .. 'mqtt-lab:\n  base: https://your.site/widgets/mqtt/')
  end
  if not base:match('/$') then base = base .. '/' end
  return base
end

--- Checks `slug` and `params` (a table key -> text) and returns the widget's
--- entry and the query (`w=...&key=value...`, in the order of the widget's
--- parameter list, so that both forms give the same address).
function M.query(slug, params)
  local reg = M.registry()
  local widget
  for _, w in ipairs(reg.widgets) do
    if w.slug == slug then widget = w end
  end
  if not widget then
    fail('no widget "' .. tostring(slug) .. '"' .. suggestion(tostring(slug), reg.widgets)
      .. '; the widgets are ' .. keys_of(reg.widgets))
  end
  local known = {}
  for _, p in ipairs(widget.params) do known[p.key] = p end
  for _, p in ipairs(reg.shell) do known[p.key] = p end
  local names = {}
  for key in pairs(params) do names[#names + 1] = key end
  table.sort(names)
  for _, key in ipairs(names) do
    if not known[key] then
      fail('widget "' .. slug .. '" has no parameter "' .. key .. '"' .. suggestion(key, widget.params)
        .. '; its parameters are ' .. keys_of(widget.params) .. ', and theme and parts')
    end
  end
  local parts = { 'w=' .. url_encode(slug) }
  local ordered = {}
  for _, p in ipairs(widget.params) do ordered[#ordered + 1] = p end
  for _, p in ipairs(reg.shell) do ordered[#ordered + 1] = p end
  for _, p in ipairs(ordered) do
    local text = params[p.key]
    if text ~= nil then
      local value, why
      if p.type == 'number' then
        value, why = check_number(p, text)
      elseif p.type == 'choice' then
        value, why = check_choice(p, text)
      else
        value = text
      end
      if not value then
        fail('widget "' .. slug .. '", parameter "' .. p.key .. '": ' .. why)
      end
      parts[#parts + 1] = p.key .. '=' .. url_encode(value)
    end
  end
  return widget, table.concat(parts, '&')
end

--- The embed's HTML: a frame titled with the widget's title and as tall as its
--- compact frame (widgets.json's frame_height, so that a lazy frame loading
--- late does not push the page down), a link to the
--- same state on a page of its own (for readers whose frame does not load, and
--- for print), and, when `with_script`, embed.js, which sizes the frame.
--- `options`: slug, params (key -> text), meta, title (optional), with_script.
--- Returns the HTML before and after the place of a caption (the fenced div's
--- text, which pandoc renders in between).
function M.parts(options)
  local params = {}
  for k, v in pairs(options.params or {}) do params[k] = v end
  if params.theme == nil then params.theme = M.document_theme(options.meta) end
  local widget, query = M.query(options.slug, params)
  local base = M.base(options.meta, options.slug)
  local title = options.title or (widget.title .. ' (MQTT Lab)')
  local page = base .. '?' .. query
  local before = table.concat({
    '<div class="mqtt-lab" data-mqtt-lab="' .. html_escape(widget.slug) .. '">',
    '<iframe src="' .. html_escape(page .. '&embed=1') .. '" title="' .. html_escape(title)
      .. '" style="width:100%;height:' .. math.floor(widget.frame_height) .. 'px;border:0" loading="lazy"></iframe>',
    '<p class="mqtt-lab-fallback"><a href="' .. html_escape(page) .. '">Open ' .. html_escape(title)
      .. ' on a page of its own</a></p>',
  }, '\n')
  local after = '</div>'
  if options.with_script then after = after .. '\n' .. M.script(base) end
  return before, after
end

--- The whole embed, without a caption (the shortcode's).
function M.html(options)
  local before, after = M.parts(options)
  return before .. '\n' .. after
end

function M.script(base)
  return '<script src="' .. html_escape(base .. 'public/embed.js') .. '" async></script>'
end

--- Under Quarto, embed.js goes into the page's head once, as an HTML
--- dependency (Quarto keeps one per name). Returns whether it did.
function M.quarto_script(base)
  if quarto and quarto.doc and quarto.doc.add_html_dependency then
    quarto.doc.add_html_dependency({ name = 'mqtt-lab-embed', version = '1.0.0', head = M.script(base) })
    return true
  end
  return false
end

return M
