-- Numbered cross-references in pandoc-crossref's syntax, marked for the Python side
-- (folio/transforms/crossrefs.py numbers and words them):
--   @fig:x, [@fig:a; @tbl:b], [-@eq:x]   pandoc reads these as citations; a citation
--                                        whose keys all begin fig:, tbl:, eq: or sec:
--                                        (any capitalisation of the prefix) becomes
--                                        <span class="folio-xref" data-xref="fig:a tbl:b"
--                                        data-xref-mode="text|normal|bare">, the words
--                                        of its prefix and suffix kept around it. Other
--                                        citations are left as they are.
--   $$ … $$ {#eq:x}                      display math followed by its label becomes
--                                        <span class="equation" id="eq:x"> around it.
--   ב@fig:x, 见@fig:x                     a reference glued to the word before it, as
--                                        Hebrew and Arabic prefixes and Chinese and
--                                        Japanese text write it (pandoc reads a
--                                        citation only after a space or punctuation):
--                                        the same span, in running text.
-- Labels on figures (![…](…){#fig:x}), tables (': Caption {#tbl:x}') and headings
-- ({#sec:x}) are read by pandoc itself.
local M = {}

local PREFIXES = {fig = true, tbl = true, eq = true, sec = true}
local MODES = {AuthorInText = 'text', NormalCitation = 'normal', SuppressAuthor = 'bare'}

-- 'fig:x' for 'fig:x' or 'Fig:x'; nil for a key that is no cross-reference.
local function label(key)
  local prefix, rest = key:match('^(%a+):(.+)$')
  if prefix and PREFIXES[prefix:lower()] then
    return prefix:lower() .. ':' .. rest
  end
  return nil
end

local function reference(cite)
  local labels = {}
  for _, citation in ipairs(cite.citations) do
    local name = label(citation.id)
    if not name then
      return nil
    end
    table.insert(labels, name)
  end
  local first, last = cite.citations[1], cite.citations[#cite.citations]
  local result = pandoc.Inlines({})
  if #first.prefix > 0 then
    result:extend(first.prefix)
    result:insert(pandoc.Space())
  end
  result:insert(pandoc.Span({}, {class = 'folio-xref', ['data-xref'] = table.concat(labels, ' '),
                                 ['data-xref-mode'] = MODES[first.mode] or 'normal'}))
  result:extend(last.suffix)
  return result
end

local function equation_label(inline)
  return inline and inline.t == 'Str' and inline.text:match('^{#(eq:[^}%s]+)}$')
end

-- Display math with its '{#eq:x}' after it, wrapped in a labelled span.
local function equations(inlines)
  local result, changed, i = pandoc.Inlines({}), false, 1
  while i <= #inlines do
    local inline = inlines[i]
    local after = i + 1
    if inlines[after] and (inlines[after].t == 'Space' or inlines[after].t == 'SoftBreak') then
      after = after + 1
    end
    local name = inline.t == 'Math' and inline.mathtype == 'DisplayMath'
                 and equation_label(inlines[after])
    if name then
      result:insert(pandoc.Span({inline}, {id = name, class = 'equation'}))
      changed, i = true, after + 1
    else
      result:insert(inline)
      i = i + 1
    end
  end
  return changed and result or nil
end

-- A Str that holds a reference glued to the letters before it: the letters, the
-- reference's span, and what follows it (punctuation).
local function glued(str)
  local before, prefix, key, after = str.text:match('^(.*[^%s%p])@(%a+):([%w_]+[%w_:.%-]*)(.*)$')
  if not before then
    return nil
  end
  local trailing = key:match('[:.%-]+$')
  if trailing then
    key, after = key:sub(1, #key - #trailing), trailing .. after
  end
  local name = label(prefix .. ':' .. key)
  if not name then
    return nil
  end
  local result = pandoc.Inlines({pandoc.Str(before)})
  result:insert(pandoc.Span({}, {class = 'folio-xref', ['data-xref'] = name,
                                 ['data-xref-mode'] = 'text'}))
  if #after > 0 then
    result:insert(pandoc.Str(after))
  end
  return result
end

function M.mark(doc)
  return doc:walk({Inlines = equations}):walk({Cite = reference}):walk({Str = glued})
end

return M
