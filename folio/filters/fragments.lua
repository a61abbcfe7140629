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
