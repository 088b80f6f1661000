-- Quarto shortcode: {{< mqtt-lab SLUG key=value ... >}}
--   {{< mqtt-lab backoff base=1 cap=60 >}}
--   {{< mqtt-lab qos pub=2 sub=1 theme=dark title="QoS 2 end to end" >}}
-- The widgets' address comes from the metadata (mqtt-lab: {base: https://.../}).
-- An unknown widget, parameter or value stops the render with a message naming it.
local embed = dofile((debug.getinfo(1, 'S').source:match('^@(.*[/\\])') or './') .. 'mqtt-lab-embed.lua')

-- Without Quarto's head dependency (older Quarto, or a test), the first embed
-- of the document carries the script.
local script_done = false

local function shortcode(args, kwargs, meta, raw_args, context)
  local slug = args[1] and pandoc.utils.stringify(args[1]) or ''
  if slug == '' then
    error('mqtt-lab: the shortcode needs a widget: {{< mqtt-lab backoff base=1 >}}', 0)
  end
  if args[2] then
    error('mqtt-lab: widget "' .. slug .. '": "' .. pandoc.utils.stringify(args[2])
      .. '" is not key=value', 0)
  end
  local params, title = {}, nil
  for key, value in pairs(kwargs or {}) do
    local text = pandoc.utils.stringify(value)
    if key == 'title' then title = text else params[key] = text end
  end
  local base = embed.base(meta, slug)
  local in_head = embed.quarto_script(base)
  local html = embed.html({ slug = slug, params = params, meta = meta, title = title,
    with_script = not in_head and not script_done })
  script_done = true
  if context == 'inline' then return pandoc.RawInline('html', html) end
  return pandoc.RawBlock('html', html)
end

return { ['mqtt-lab'] = shortcode }
