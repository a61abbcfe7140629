-- Custom pandoc writer: turns one manuscript file into a JSON record that the
-- Python side reads into the Book model.
--   body      HTML5 of the document; each footnote replaced by an empty
--             <span class="folio-noteref" data-note="N"> placeholder
--   notes     HTML5 of each footnote, in order of reference
--   snippets  when the document's metadata has `folio-snippets` (a list of
--             Markdown strings), the HTML5 of each, so that many short texts
--             (glossary definitions, chronology events) cost one pandoc run
-- Footnotes are pulled out here, not in Python, because pandoc numbers them
-- per file while the book numbers them across files.

-- Quotation marks by language (primary subtag of the book's `lang`): pandoc reads
-- "…" and '…' as quotations; each language prints them its own way.
local NNBSP = '\u{202F}'
local QUOTES = {
  en = {'“', '”', '‘', '’'},
  fr = {'«' .. NNBSP, NNBSP .. '»', '‹' .. NNBSP, NNBSP .. '›'},
  de = {'„', '“', '‚', '‘'},
  nl = {'“', '”', '‘', '’'},
  es = {'«', '»', '“', '”'},
  it = {'«', '»', '“', '”'},
  pt = {'«', '»', '“', '”'},
  ru = {'«', '»', '„', '“'},
  pl = {'„', '”', '«', '»'},
}

local function quoted(lang)
  local marks = QUOTES[lang] or QUOTES.en
  return function(q)
    local open, close = marks[1], marks[2]
    if q.quotetype == 'SingleQuote' then
      open, close = marks[3], marks[4]
    end
    local result = pandoc.Inlines({pandoc.Str(open)})
    result:extend(q.content)
    result:insert(pandoc.Str(close))
    return result
  end
end

local function html(blocks)
  return pandoc.write(pandoc.Pandoc(blocks), 'html5', {wrap_text = 'none'})
end

local function meta_html(value)
  if pandoc.utils.type(value) == 'Inlines' then
    return html({pandoc.Plain(value)})
  elseif pandoc.utils.type(value) == 'Blocks' then
    return html(value)
  end
  return html({pandoc.Plain({pandoc.Str(pandoc.utils.stringify(value))})})
end

function Writer(doc, opts)
  local lang = pandoc.utils.stringify(doc.meta['folio-lang'] or 'en'):match('^(%a+)') or 'en'
  doc = doc:walk({Quoted = quoted(lang:lower())})
  local snippets = {}
  for _, value in ipairs(doc.meta['folio-snippets'] or {}) do
    table.insert(snippets, meta_html(value))
  end
  local notes = {}
  doc = doc:walk({
    Note = function(note)
      table.insert(notes, html(note.content))
      return pandoc.Span({}, {class = 'folio-noteref', ['data-note'] = tostring(#notes)})
    end,
  })
  return pandoc.json.encode({
    body = html(doc.blocks),
    notes = notes,
    snippets = snippets,
  })
end
