-- Custom pandoc writer: turns manuscript files into JSON records that the
-- Python side reads into the Book model. The files are named in the environment
-- variable FOLIO_FILES (a JSON list) and each is read here with pandoc.read, so a
-- whole book costs one pandoc start, not one a file. The output:
--   files     for each file, in order:
--     body      HTML5 of the document; each footnote replaced by an empty
--               <span class="folio-noteref" data-note="N"> placeholder
--     notes     HTML5 of each footnote, in order of reference
--     cites     each citation (a Cite whose keys are not cross-references), in the
--               order pandoc walks the file: {cite = the Cite as pandoc JSON text,
--               text = its words as written, note = the number of the note
--               it is in, or none}; in body and notes each is replaced by
--               an empty <span class="folio-cite" data-cite="N"> placeholder, which
--               the book-wide citation pass (folio/read/citations.py) fills
--     warnings  pandoc's warnings about the file, as 'line:column: pandoc: message'
--     error     instead of the above, why the file could not be read
--   snippets  when the input's metadata has `folio-snippets` (a list of
--             Markdown strings), the HTML5 of each, so that many short texts
--             (glossary definitions, chronology events) cost one pandoc run
-- Footnotes are pulled out here, not in Python, because pandoc numbers them
-- per file while the book numbers them across files.
-- Cross-references and mathematics: crossrefs.lua and mathml.lua beside this file
-- (each record also has `math` and `math_errors`, see mathml.lua).

local function sibling(name)
  return dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), name}))
end
local crossrefs = sibling('crossrefs.lua')
local mathml = sibling('mathml.lua')

-- Quotation marks by language (the book's `lang`, whole or its primary subtag): pandoc
-- reads "…" and '…' as quotations; each language prints them its own way (CLDR's
-- delimiters: Japanese and traditional Chinese corner brackets, simplified Chinese
-- curly quotes; Arabic and Persian guillemets, Hebrew as CLDR's he).
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
  ja = {'「', '」', '『', '』'},
  zh = {'“', '”', '‘', '’'},
  ['zh-hant'] = {'「', '」', '『', '』'},
  ['zh-tw'] = {'「', '」', '『', '』'},
  ['zh-hk'] = {'「', '」', '『', '』'},
  ko = {'“', '”', '‘', '’'},
  ar = {'«', '»', '‹', '›'},
  fa = {'«', '»', '‹', '›'},
  he = {'”', '”', '’', '’'},
}

-- The marks of a language tag: the longest of its prefixes that has them
-- (zh-hant-tw, zh-hant, zh), English's otherwise.
local function marks_of(lang)
  local tag = lang
  while tag do
    if QUOTES[tag] then
      return QUOTES[tag]
    end
    tag = tag:match('^(.+)%-[^-]+$')
  end
  return QUOTES.en
end

local function quoted(lang)
  local marks = marks_of(lang)
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

-- Chinese, Japanese and Korean have no spaces around a quotation, so pandoc's
-- `smart` reads each straight " there as a closing ” ("紙" → ”紙”). Within a list of
-- inlines, a ” that closes no “ typed by the author opens such a quotation and the
-- next ” closes it: both take the language's marks (「」 in Japanese). Marks the
-- author typed (“…”, 「…」, full-width ＂) are kept as they are.
local NO_SPACES = {ja = true, zh = true, ko = true, yue = true}
local TYPED_OPEN, SMART_CLOSE = '“', '”'

local function spaceless_quotes(lang)
  local marks = marks_of(lang)
  return function(inlines)
    local state = nil  -- nil, 'typed' (after a typed “) or 'straight' (after a ")
    for i, el in ipairs(inlines) do
      if el.t == 'Str' and (el.text:find(SMART_CLOSE, 1, true)
                            or el.text:find(TYPED_OPEN, 1, true)) then
        local out = {}
        for _, code in utf8.codes(el.text) do
          local ch = utf8.char(code)
          if ch == TYPED_OPEN then
            state = 'typed'
          elseif ch == SMART_CLOSE then
            if state == 'typed' then
              state = nil
            elseif state == 'straight' then
              ch, state = marks[2], nil
            else
              ch, state = marks[1], 'straight'
            end
          end
          table.insert(out, ch)
        end
        inlines[i] = pandoc.Str(table.concat(out))
      end
    end
    return inlines
  end
end

-- Every quotation of *doc* in the marks of *lang*.
local function set_quotes(doc, lang)
  doc = doc:walk({Quoted = quoted(lang)})
  if NO_SPACES[lang:match('^(%a+)') or ''] then
    doc = doc:walk({Inlines = spaceless_quotes(lang)})
  end
  return doc
end

local function html(blocks)
  return pandoc.write(pandoc.Pandoc(blocks), 'html5', {wrap_text = 'none'})
end

-- A metadata value as HTML; its formulas go to *record* as a file's do (mathml.lua).
local function meta_html(value, record)
  local blocks
  if pandoc.utils.type(value) == 'Inlines' then
    blocks = {pandoc.Plain(value)}
  elseif pandoc.utils.type(value) == 'Blocks' then
    blocks = value
  else
    blocks = {pandoc.Plain({pandoc.Str(pandoc.utils.stringify(value))})}
  end
  return html(mathml.convert(pandoc.Pandoc(blocks), record).blocks)
end

-- The identifier pandoc gives a heading of these inlines, read alone.
local function auto_identifier(inlines, from)
  local source = pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), 'markdown')
  local read = pandoc.read('# ' .. source, from)
  local first = read.blocks[1]
  return first and first.identifier or ''
end

-- A heading with a note keeps the identifier its words alone would have: pandoc
-- counts the note's label into it ("the-beginning1"), and the identifier names the
-- chapter's file. An identifier the author wrote is left as it is.
local function noteless_identifiers(doc, from)
  return doc:walk({
    Header = function(header)
      local has_note = false
      header.content:walk({Note = function() has_note = true end})
      if not has_note or header.identifier ~= auto_identifier(header.content, from) then
        return nil
      end
      local words = header.content:walk({Note = function() return {} end})
      header.identifier = auto_identifier(words, from)
      return header
    end,
  })
end

local function attribute(text)
  return (text:gsub('&', '&amp;'):gsub('"', '&quot;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

-- A PDF named as an image (a plot in a thesis): pandoc writes it as <embed>, with its
-- description lost; Folio shows it as a picture (see folio/images.py), so it stays an
-- <img> with its alt text, id, classes and size.
local function pdf_image(image)
  local path = image.src:gsub('[#?].*$', '')
  if not path:lower():match('%.pdf$') then
    return nil
  end
  local parts = {'src="' .. attribute(image.src) .. '"',
                 'alt="' .. attribute(pandoc.utils.stringify(image.caption)) .. '"'}
  if image.identifier ~= '' then
    table.insert(parts, 'id="' .. attribute(image.identifier) .. '"')
  end
  if #image.classes > 0 then
    table.insert(parts, 'class="' .. attribute(table.concat(image.classes, ' ')) .. '"')
  end
  local style = {}
  for _, key in ipairs({'width', 'height'}) do
    local value = image.attributes[key]
    if value then
      table.insert(style, key .. ':' .. (value:match('^[%d.]+$') and value .. 'px' or value))
    end
  end
  if #style > 0 then
    table.insert(parts, 'style="' .. attribute(table.concat(style, ';')) .. '"')
  end
  return pandoc.RawInline('html', '<img ' .. table.concat(parts, ' ') .. ' />')
end

-- pandoc-crossref's prefixes: `@fig:x` and its kin are cross-references, which
-- pandoc reads as citations too; they are left as they are for their own stage.
local CROSSREF_PREFIXES = {'fig:', 'tbl:', 'eq:', 'sec:'}

-- (A citation mixing both reaches citeproc, which reports the label as unknown.)
local function is_crossref(cite)
  for _, citation in ipairs(cite.citations) do
    local labelled = false
    for _, prefix in ipairs(CROSSREF_PREFIXES) do
      labelled = labelled or citation.id:sub(1, #prefix) == prefix
    end
    if not labelled then
      return false
    end
  end
  return true
end

-- Citations are set once for the whole book (ibid., short forms and disambiguation
-- are book-wide), so each file only keeps them, leaving a placeholder in its place.
local function keep_citations(doc, cites, note)
  return doc:walk({
    Cite = function(cite)
      if is_crossref(cite) then
        return nil
      end
      table.insert(cites, {cite = pandoc.json.encode(cite),
                           text = pandoc.utils.stringify(cite.content), note = note})
      return pandoc.Span({}, {class = 'folio-cite', ['data-cite'] = tostring(#cites)})
    end,
  })
end

local function fragment(doc, lang, from)
  doc = noteless_identifiers(doc, from or 'markdown')
  doc = doc:walk({Image = pdf_image})
  doc = set_quotes(doc, lang)
  doc = crossrefs.mark(doc)  -- @fig:, @tbl:, @eq:, @sec: first: not citations
  local record = {}
  doc = mathml.convert(doc, record)
  local cites, notes = {}, {}
  doc = doc:walk({
    Note = function(note)
      local content = keep_citations(pandoc.Pandoc(note.content), cites, #notes + 1).blocks
      table.insert(notes, html(content))
      return pandoc.Span({}, {class = 'folio-noteref', ['data-note'] = tostring(#notes)})
    end,
  })
  doc = keep_citations(doc, cites, nil)
  record.body, record.notes, record.cites = html(doc.blocks), notes, cites
  return record
end

-- What the lint rules need of a file as pandoc read it, before anything is cleaned
-- (folio/lint/parsed_rules.py), in document order:
--   raw         each raw passage: {format = 'html' | 'tex' | …, text = …}
--   targets     the target of each link
--   images      the source of each image
--   attributes  each attribute of an element ({key=value}, <span …>, <div …>) that
--               names an event handler or holds a URL scheme: {key, value}
local function inventory(doc)
  local raw, targets, images, attributes = {}, {}, {}, {}
  local function attributes_of(element)
    for key, value in pairs(element.attributes or {}) do
      if key:lower():match('^on') or value:match(':') then
        table.insert(attributes, {key = key, value = value})
      end
    end
  end
  local function passage(element)
    table.insert(raw, {format = element.format, text = element.text})
  end
  doc:walk({
    traverse = 'topdown',
    RawInline = passage,
    RawBlock = passage,
    Link = function(link)
      table.insert(targets, link.target)
      attributes_of(link)
    end,
    Image = function(image)
      table.insert(images, image.src)
      attributes_of(image)
    end,
    Inline = function(element) if element.attr then attributes_of(element) end end,
    Block = function(element) if element.attr then attributes_of(element) end end,
  })
  return {raw = raw, targets = targets, images = images, attributes = attributes}
end

-- pandoc's log entries from index *first* on that are warnings: {type, line, column,
-- message} (the message without its place).
local function logged_warnings(first)
  local found = {}
  for i = first, #PANDOC_STATE.log do
    local entry = pandoc.json.decode(pandoc.json.encode(PANDOC_STATE.log[i]))
    if entry.verbosity ~= 'INFO' and not mathml.reported(entry) then  -- E001 has it
      table.insert(found, {type = entry.type, line = entry.line, column = entry.column,
                           key = entry.key or entry.contents,
                           message = (entry.pretty:gsub(' at [^ ]* ?line %d+ column %d+', ''))})
    end
  end
  return found
end

-- One file: its fragment and pandoc's warnings about it, or the error that stopped it.
local function read_file(path, lang, from)
  local file, problem = io.open(path, 'rb')
  if not file then
    return {error = problem}
  end
  local text = file:read('a')
  file:close()
  local logged = #PANDOC_STATE.log
  local ok, result = pcall(pandoc.read, text, from)
  if not ok then
    return {error = tostring(result)}
  end
  local record = fragment(result, lang, from)
  record.inventory = inventory(result)
  record.inventory.warnings = logged_warnings(logged + 1)
  record.warnings = {}
  for i = logged + 1, #PANDOC_STATE.log do
    local message = pandoc.json.decode(pandoc.json.encode(PANDOC_STATE.log[i]))
    if mathml.reported(message) then
      goto continue
    end
    local text = message.pretty:gsub(' at line %d+ column %d+$', '')
    if message.line then
      text = string.format('%d:%d: pandoc: %s', message.line, message.column or 1, text)
    else
      text = 'pandoc: ' .. text
    end
    table.insert(record.warnings, text)
    ::continue::
  end
  return record
end

function Writer(doc, opts)
  local lang = pandoc.utils.stringify(doc.meta['folio-lang'] or 'en'):lower()
  local snippets, snippet_math = {}, {}
  local meta = set_quotes(doc, lang).meta
  for _, value in ipairs(meta['folio-snippets'] or {}) do
    local record = {}
    table.insert(snippets, meta_html(value, record))
    table.insert(snippet_math, {math = record.math, errors = record.math_errors})
  end
  local files = {}
  local from = pandoc.utils.stringify(doc.meta['folio-from'] or 'markdown')
  for _, path in ipairs(pandoc.json.decode(os.getenv('FOLIO_FILES') or '[]')) do
    table.insert(files, read_file(path, lang, from))
  end
  return pandoc.json.encode({files = files, snippets = snippets, snippet_math = snippet_math})
end
