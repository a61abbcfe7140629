-- Custom pandoc writer: sets every citation of a book at once with pandoc's citeproc,
-- so that first and subsequent forms, "ibid." and disambiguation are book-wide.
-- The input is a raw block ```{=folio-citations}``` holding the job (JSON), which
-- folio/read/citations.py writes:
--   lang            the book's language (the style's locale)
--   csl             the style file
--   note_style      whether the style is a note style
--   bibliographies  [{path, format}] (biblatex, bibtex, csljson) or [{text, format}]
--   nocite          keys listed though not cited ("*": all)
--   cites           each citation of the book as pandoc JSON, in reading order
--   units           the book in reading order, each {text = i} (a citation in running
--                   text) or {note = [i, ...], first = [true|false, ...]} (a note of
--                   the book, with the citations in it and whether each opens it)
-- The output (JSON):
--   keys          every key of the bibliographies
--   errors        [{index, message}] for each bibliography that does not parse
--   cites         for each citation, in order: {html, notes}; a note the style makes
--                 of it is an empty <span class="folio-citenote" data-n="N"> in html,
--                 and notes[N] is its HTML
--   entries       [{id, html}], the bibliography in the style's order

local function html(blocks)
  return pandoc.write(pandoc.Pandoc(blocks), 'html5', {wrap_text = 'none'})
end

-- Each list of blocks of *lists* as HTML, in one run of the HTML writer (a run costs
-- about a millisecond whatever it writes: a book has thousands of citations). The
-- lists are written between comments that the text cannot hold (a raw one in a
-- reference would be written as it is), and split there; should the pieces not
-- come out one a list, each is written alone.
local CUT = '<!--folio-cut-' .. tostring(os.time()) .. '-' .. tostring(math.random(1e9)) .. '-->'

local function html_each(lists)
  local blocks = {}
  for n, list in ipairs(lists) do
    if n > 1 then table.insert(blocks, pandoc.RawBlock('html', CUT)) end
    for _, block in ipairs(list) do table.insert(blocks, block) end
  end
  local written = html(blocks)
  local pieces, start = {}, 1
  while true do
    local from, to = string.find(written, CUT, start, true)
    table.insert(pieces, written:sub(start, from and from - 1 or -1))
    if not from then break end
    start = to + 1
  end
  if #lists == 0 then
    return {}
  end
  if #pieces ~= #lists then
    pieces = {}
    for n, list in ipairs(lists) do pieces[n] = html(list) end
    return pieces
  end
  for n, piece in ipairs(pieces) do
    pieces[n] = piece:gsub('^\n', ''):gsub('\n$', '')
  end
  return pieces
end

-- pandoc hands a reference's dates to Lua as text: a parsed date as EDTF
-- ("1930/1932", "2025-02-07"), a literal one ("written 1930–32") as its words,
-- which citeproc, reading the text back as EDTF, would drop ("n.d."). A date that is
-- not EDTF goes back as {literal = ...}, as CSL writes it.
local DATE_VARIABLES = {'accessed', 'available-date', 'event-date', 'issued',
                        'original-date', 'submitted'}

local function with_literal_dates(ref)
  for _, name in ipairs(DATE_VARIABLES) do
    local value = ref[name]
    if type(value) == 'string' and not value:match('^[%d%-/~?%%X.]+$') then
      ref[name] = {literal = value}
    end
  end
  return ref
end

local function references(job)
  local refs, keys, errors = {}, {}, {}
  for index, bib in ipairs(job.bibliographies) do
    local text = bib.text
    if not text then
      local file = io.open(bib.path, 'rb')
      text = file and file:read('a') or ''
      if file then file:close() end
    end
    local ok, result = pcall(pandoc.read, text, bib.format)
    if not ok then
      table.insert(errors, {index = index, message = tostring(result)})
    else
      for _, ref in ipairs(result.meta.references or {}) do
        table.insert(refs, with_literal_dates(ref))
        table.insert(keys, pandoc.utils.stringify(ref.id))
      end
    end
  end
  return refs, keys, errors
end

-- A citation inside a note, as a note style sets it there: pandoc puts one that is
-- not at the note's start in parentheses (it would be a note in running text);
-- in a note of the book it is the note's own words, so the parentheses go.
local function unparenthesized(content)
  local first, last = 1, #content
  while content[first] and content[first].t == 'Space' do first = first + 1 end
  local head, tail = content[first], content[last]
  if not (head and tail and head.t == 'Str' and tail.t == 'Str') then
    return content
  end
  if head.text:sub(1, 1) ~= '(' or tail.text:sub(-1) ~= ')' then
    return content
  end
  local result = pandoc.Inlines({})
  for i = first, last do result:insert(content[i]) end
  if first == last then
    result[1] = pandoc.Str(head.text:sub(2, -2))
  else
    result[1] = pandoc.Str(head.text:sub(2))
    result[#result] = pandoc.Str(tail.text:sub(1, -2))
  end
  return result
end

-- The first letter of *content* capitalized (a citation that opens a note): the
-- first word, however deep in links and emphasis it lies.
local function capitalized(content)
  for i, item in ipairs(content) do
    if item.t == 'Str' and item.text ~= '' then
      content[i] = pandoc.Str(pandoc.text.upper(pandoc.text.sub(item.text, 1, 1))
                              .. pandoc.text.sub(item.text, 2))
      return content
    elseif item.content and pandoc.utils.type(item.content) == 'Inlines' then
      item.content = capitalized(item.content)
      content[i] = item
      return content
    elseif item.t ~= 'Space' and item.t ~= 'Str' then
      return content
    end
  end
  return content
end

-- A citation's content, its notes taken out ({content, notes}: lists of blocks),
-- for ``html_each``.
local function taken_apart(content)
  local notes = {}
  content = pandoc.Inlines(content):walk({
    Note = function(note)
      table.insert(notes, note.content)
      return pandoc.Span({}, {class = 'folio-citenote', ['data-n'] = tostring(#notes)})
    end,
  })
  return {content = {pandoc.Plain(content)}, notes = notes}
end

function Writer(doc, opts)
  local job
  for _, block in ipairs(doc.blocks) do
    if block.t == 'RawBlock' and block.format == 'folio-citations' then
      job = pandoc.json.decode(block.text, false)
    end
  end
  local refs, keys, errors = references(job)
  local cites = {}
  for i, text in ipairs(job.cites) do
    cites[i] = pandoc.json.decode(text)
  end
  -- The placeholder word before each citation keeps it from opening its paragraph or
  -- note, where pandoc would set it otherwise.
  local blocks = {}
  for _, unit in ipairs(job.units) do
    if unit.text then
      table.insert(blocks, pandoc.Para({pandoc.Str('x'), pandoc.Space(), cites[unit.text]}))
    else
      local inlines = {pandoc.Str('x')}
      for _, i in ipairs(unit.note) do
        table.insert(inlines, pandoc.Space())
        table.insert(inlines, cites[i])
      end
      table.insert(blocks, pandoc.Para({pandoc.Str('x'), pandoc.Note({pandoc.Para(inlines)})}))
    end
  end
  local nocite = pandoc.Inlines({})
  for _, key in ipairs(job.nocite) do
    nocite:insert(pandoc.Cite({pandoc.Str('@' .. key)}, {pandoc.Citation(key, 'NormalCitation')}))
  end
  local meta = {
    references = refs, csl = job.csl, lang = job.lang, nocite = nocite,
    ['link-citations'] = true, ['link-bibliography'] = true,
    ['suppress-bibliography'] = false,
  }
  local result = {keys = keys, errors = errors, cites = {}, entries = {}}
  if #errors > 0 then
    return pandoc.json.encode(result)
  end
  local done = pandoc.utils.citeproc(pandoc.Pandoc(blocks, meta))
  -- The citations come back in the order they went in.
  local order = {}
  for _, unit in ipairs(job.units) do
    if unit.text then
      table.insert(order, {index = unit.text, in_note = false, first = false})
    else
      for n, i in ipairs(unit.note) do
        table.insert(order, {index = i, in_note = true, first = unit.first[n]})
      end
    end
  end
  local seen = 0
  local parts = {}  -- each citation's content and notes, by its index in job.cites
  local function visit(cite)
    seen = seen + 1
    local place = order[seen]
    local content = cite.content
    if place.in_note and job.note_style and cite.citations[1].mode ~= 'AuthorInText' then
      content = unparenthesized(content)
    end
    if place.first and (job.note_style or place.in_note) then
      content = capitalized(pandoc.Inlines(content))
    end
    parts[place.index] = taken_apart(content)
    return nil
  end
  local entries = {}
  for _, block in ipairs(done.blocks) do
    if block.t == 'Div' and block.identifier == 'refs' then
      for _, entry in ipairs(block.content) do
        if entry.t == 'Div' then
          table.insert(entries, entry)
        end
      end
    else
      -- Cites inside a note are visited before the note's own citation (none here).
      block:walk({Cite = visit})
    end
  end
  -- Every piece of HTML in one run of the writer: each citation's content and its
  -- notes, then the bibliography's entries.
  local lists = {}
  for index = 1, #job.cites do
    local part = parts[index]
    if part then
      table.insert(lists, part.content)
      for _, note in ipairs(part.notes) do table.insert(lists, note) end
    end
  end
  for _, entry in ipairs(entries) do table.insert(lists, entry.content) end
  local written, next_piece = html_each(lists), 0
  local function piece()
    next_piece = next_piece + 1
    return written[next_piece]
  end
  for index = 1, #job.cites do
    local part = parts[index]
    if part then
      local cite = {html = piece(), notes = {}}
      for n = 1, #part.notes do cite.notes[n] = piece() end
      result.cites[index] = cite
    end
  end
  for _, entry in ipairs(entries) do
    table.insert(result.entries, {id = entry.identifier, html = piece()})
  end
  return pandoc.json.encode(result)
end
