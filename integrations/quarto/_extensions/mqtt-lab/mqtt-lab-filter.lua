-- pandoc Lua filter (also contributed by the Quarto extension): a fenced div
-- with the class mqtt-lab becomes an embedded MQTT Lab widget.
--
--   ::: {.mqtt-lab widget="qos" pub=2 sub=1}
--   Optional text shown under the frame.
--   :::
--
--   pandoc lesson.md -s -o lesson.html --lua-filter path/to/mqtt-lab-filter.lua
--
-- The widgets' address comes from the metadata (mqtt-lab: {base: https://.../})
-- or MQTT_LAB_BASE in the environment. An unknown widget, parameter or value
-- stops the render with a message naming it. embed.js is included once.
local embed = dofile((debug.getinfo(1, 'S').source:match('^@(.*[/\\])') or './') .. 'mqtt-lab-embed.lua')

local meta
local script_done = false

local function div(el)
  if not el.classes:includes('mqtt-lab') then return nil end
  local slug = el.attributes.widget
  if not slug or slug == '' then
    error('mqtt-lab: a .mqtt-lab div needs widget="SLUG"', 0)
  end
  local params, title = {}, nil
  for key, value in pairs(el.attributes) do
    if key == 'title' then title = value elseif key ~= 'widget' then params[key] = value end
  end
  local base = embed.base(meta, slug)
  local in_head = embed.quarto_script(base)
  local before, after = embed.parts({ slug = slug, params = params, meta = meta, title = title,
    with_script = not in_head and not script_done })
  script_done = true
  -- The div's text, if any, under the frame, rendered as the rest of the document.
  local blocks = { pandoc.RawBlock('html', before) }
  for _, b in ipairs(el.content) do blocks[#blocks + 1] = b end
  blocks[#blocks + 1] = pandoc.RawBlock('html', after)
  return blocks
end

return {
  { Meta = function(m) meta = m end },
  { Div = div },
}
