-- TeX mathematics ($…$, $$…$$) to MathML, by pandoc's own converter (texmath), one
-- formula at a time, for the Python side (folio/read/mathml.py cleans each and puts
-- it in place). Each Math element becomes <span class="folio-math" data-math="N">,
-- N counting the file's formulas from 1 (body and notes alike), and the record gets:
--   math           the MathML of each formula, in that order, without its TeX
--                  annotation (TeX never reaches an output)
--   math_errors    each formula texmath cannot read: {tex, message}; its place is
--                  <span class="folio-math-error">
local M = {}

local function mathml(math)
  local written = pandoc.write(pandoc.Pandoc({pandoc.Plain({math})}), 'html5',
                               {html_math_method = 'mathml', wrap_text = 'none'})
  local markup = written:match('<math.*</math>')
  if not markup then
    return nil
  end
  markup = markup:gsub('<annotation[^>]*>.-</annotation>', '')
  return (markup:gsub('</?semantics>', ''))
end

local function problem(logged)
  for i = #PANDOC_STATE.log, logged + 1, -1 do
    local message = pandoc.json.decode(pandoc.json.encode(PANDOC_STATE.log[i]))
    if M.reported(message) then
      -- texmath's message: the formula, a caret under the fault, then why
      local lines = {}
      for line in (message.message or ''):gmatch('[^\n]+') do
        table.insert(lines, line)
      end
      local why = table.concat(lines, '; ', math.min(3, #lines + 1))
      return why ~= '' and why or nil
    end
  end
  return nil
end

function M.convert(doc, record)
  record.math, record.math_errors = {}, {}
  return doc:walk({
    Math = function(math)
      local logged = #PANDOC_STATE.log
      local markup = mathml(math)
      if not markup then
        table.insert(record.math_errors,
                     {tex = math.text, message = problem(logged) or 'not TeX mathematics'})
        return pandoc.Span({}, {class = 'folio-math-error'})
      end
      table.insert(record.math, markup)
      return pandoc.Span({}, {class = 'folio-math', ['data-math'] = tostring(#record.math)})
    end,
  })
end

-- A log entry of a conversion M.convert reports itself (as an error at its line).
function M.reported(message)
  return message.type == 'CouldNotConvertTeXMath'
end

return M
