-- Lua filter for importing a Word (.docx) or OpenDocument (.odt) file: pandoc's
-- reading of the document made into plain Markdown that Folio reads as written.
--
--  * Paragraph styles (pandoc's `styles` extension gives Divs with custom-style):
--    Word's "Quote", "Intense Quote" and "Block Text" and LibreOffice's
--    "Quotations" become block quotes; a table of contents ("TOC 1" …, "TOC
--    Heading") and a list of figures are left out, since Folio makes its own;
--    consecutive paragraphs in a code style ("Code", "Source Code", "HTML
--    Preformatted", "Plain Text") become one code block; every other style is
--    unwrapped, keeping its text. Character styles are unwrapped the same way.
--  * OpenDocument: pandoc's reader does not keep paragraph styles, so the Python
--    side passes them in the environment variable FOLIO_ODT_ROLES (a JSON object:
--    the paragraph's text, blanks collapsed, to one of title, subtitle, author,
--    date, abstract, quote, caption). Title, subtitle, author, date and abstract
--    paragraphs before the first heading go to the metadata; a caption paragraph
--    becomes the caption of the image before it or of the table next to it.
--  * Word artefacts: empty paragraphs and line breaks at the start or end of a
--    paragraph or heading go; bookmarks nobody links to go (OpenDocument's reader
--    names every one "anchor"); a link to an anchor that does not exist, or to a
--    file, keeps its words and loses the link; raw OOXML is dropped.
--  * A code block is given the class "text" so that it is written fenced.
--  * What is dropped is listed in the metadata field `folio-report` (strings).

local report = {}
local function note(message)
  report[#report + 1] = message
end

local QUOTE_STYLES = {
  ['quote'] = true, ['intense quote'] = true, ['block text'] = true,
  ['quotations'] = true, ['quotation'] = true,
}

local function is_toc_style(name)
  local lower = name:lower()
  return lower:match('^toc %d') or lower:match('^toc heading') or lower:match('^contents %d')
    or lower:match('^contents heading') or lower == 'table of contents'
    or lower == 'table of figures'
end

local CODE_STYLES = {
  ['code'] = true, ['source code'] = true, ['html preformatted'] = true,
  ['plain text'] = true, ['preformatted text'] = true,
}

-- The text of a code paragraph, a line break as a new line.
local function code_text(blocks)
  local lines = {}
  for _, block in ipairs(blocks) do
    local text = pandoc.utils.stringify(block:walk({
      LineBreak = function() return pandoc.Str('\n') end,
      SoftBreak = function() return pandoc.Str('\n') end,
    }))
    lines[#lines + 1] = text
  end
  return table.concat(lines, '\n')
end

local function collapse(text)
  return (text:gsub('%s+', ' '):gsub('^ ', ''):gsub(' $', ''))
end

local roles = {}
do
  local encoded = os.getenv('FOLIO_ODT_ROLES')
  if encoded and encoded ~= '' then
    roles = pandoc.json.decode(encoded, false)
  end
end

local function role_of(block)
  if block.t ~= 'Para' and block.t ~= 'Plain' then
    return nil
  end
  return roles[collapse(pandoc.utils.stringify(block))]
end

-- Inlines without line breaks or blanks at either end.
local function trimmed(inlines)
  local edge = {LineBreak = true, Space = true, SoftBreak = true}
  while #inlines > 0 and edge[inlines[1].t] do
    inlines:remove(1)
  end
  while #inlines > 0 and edge[inlines[#inlines].t] do
    inlines:remove(#inlines)
  end
  return inlines
end

local function visible(inlines)
  for _, inline in ipairs(inlines) do
    if inline.t ~= 'Space' and inline.t ~= 'SoftBreak' and inline.t ~= 'LineBreak' then
      if inline.t ~= 'Span' or visible(inline.content) or inline.identifier ~= '' then
        return true
      end
    end
  end
  return false
end

-- Every anchor a link points to, and every id the document has.
local function anchors(doc)
  local targets, ids = {}, {}
  doc:walk({
    Link = function(link)
      local target = link.target:match('^#(.+)$')
      if target then targets[target] = true end
    end,
    Header = function(el) if el.identifier ~= '' then ids[el.identifier] = true end end,
    Span = function(el) if el.identifier ~= '' then ids[el.identifier] = true end end,
    Div = function(el) if el.identifier ~= '' then ids[el.identifier] = true end end,
    Figure = function(el) if el.identifier ~= '' then ids[el.identifier] = true end end,
    Table = function(el) if el.identifier ~= '' then ids[el.identifier] = true end end,
  })
  return targets, ids
end

local function styles_filter(counts)
  return {
    Div = function(div)
      local style = div.attributes['custom-style']
      if not style then return nil end
      if is_toc_style(style) then
        counts.toc = counts.toc + 1
        return {}
      end
      if CODE_STYLES[style:lower()] then
        return pandoc.CodeBlock(code_text(div.content), {class = 'text'})
      end
      if QUOTE_STYLES[style:lower()] then
        local inner = div.content
        if #inner == 1 and inner[1].t == 'BlockQuote' then
          return inner[1]
        end
        return pandoc.BlockQuote(inner)
      end
      return div.content
    end,
    Span = function(span)
      if span.attributes['custom-style'] then
        return span.content
      end
    end,
    Blocks = function(blocks)  -- a paragraph of code a line: one block
      local merged = pandoc.Blocks({})
      for _, block in ipairs(blocks) do
        local last = merged[#merged]
        if block.t == 'CodeBlock' and last and last.t == 'CodeBlock'
            and block.classes[1] == 'text' and last.classes[1] == 'text' then
          last.text = last.text .. '\n' .. block.text
        else
          merged:insert(block)
        end
      end
      return merged
    end,
  }
end

-- OpenDocument: paragraph roles from the styles the Python side read.
local function odt_roles(doc)
  if next(roles) == nil then return doc end
  local blocks = pandoc.Blocks({})
  local before_heading = true
  local meta_fields = {title = 'title', subtitle = 'subtitle', author = 'author',
                       date = 'date', abstract = 'abstract'}
  local authors = {}
  for _, block in ipairs(doc.blocks) do
    local role = role_of(block)
    if block.t == 'Header' then before_heading = false end
    if role and meta_fields[role] and before_heading then
      if role == 'author' then
        authors[#authors + 1] = pandoc.MetaInlines(block.content)
      elseif doc.meta[role] == nil then
        doc.meta[role] = pandoc.MetaInlines(block.content)
      end
    elseif role == 'quote' then
      blocks:insert(pandoc.BlockQuote({pandoc.Para(block.content)}))
    elseif role == 'caption' then
      local previous = blocks[#blocks]
      local image = previous and (previous.t == 'Para' or previous.t == 'Plain')
        and #previous.content == 1 and previous.content[1].t == 'Image' and previous.content[1]
      if image then
        if not visible(image.caption) then image.caption = block.content end
        blocks[#blocks] = pandoc.Figure({pandoc.Plain({image})}, {pandoc.Plain(block.content)})
      elseif previous and previous.t == 'Table' and #previous.caption.long == 0 then
        previous.caption = {long = {pandoc.Plain(block.content)}}
      else
        blocks:insert(block)
      end
    elseif block.t == 'Table' and blocks[#blocks] and role_of(blocks[#blocks]) == 'caption'
        and #block.caption.long == 0 then
      local caption = blocks:remove(#blocks)
      block.caption = {long = {pandoc.Plain(caption.content)}}
      blocks:insert(block)
    else
      blocks:insert(block)
    end
  end
  if #authors > 0 and doc.meta.author == nil then
    doc.meta.author = authors
  end
  doc.blocks = blocks
  return doc
end

function Pandoc(doc)
  local counts = {toc = 0, raw = 0, unlinked = 0, files = 0}
  doc = doc:walk(styles_filter(counts))
  doc = odt_roles(doc)
  local targets, ids = anchors(doc)
  doc = doc:walk({
    Span = function(span)
      if span.identifier ~= '' and not targets[span.identifier] then
        span.identifier = ''
      end
      if span.identifier == '' and #span.classes == 0 and #span.attributes == 0 then
        return span.content
      end
    end,
    Header = function(header)
      header.content = trimmed(header.content:walk({
        LineBreak = function() return pandoc.Space() end,
      }))
      if not visible(header.content) then return {} end
      if not targets[header.identifier] then header.identifier = '' end
      header.classes = {}
      header.attributes = {}
      return header
    end,
    Link = function(link)
      local anchor = link.target:match('^#(.*)$')
      if anchor then
        if ids[anchor] then return nil end
        counts.unlinked = counts.unlinked + 1
        return link.content
      end
      if not link.target:match('^[%a][%w+.-]*:') then
        counts.files = counts.files + 1
        note('a link to the file "' .. link.target .. '" (beside the document, not in it) '
             .. 'was kept as plain text: link to a web address instead')
        return link.content
      end
    end,
    Figure = function(figure)
      figure.classes = {}
      figure.attributes = {}
      return figure
    end,
    Table = function(tbl)
      tbl.classes = {}
      tbl.attributes = {}
      for i, spec in ipairs(tbl.colspecs) do  -- Folio sets its own widths
        tbl.colspecs[i] = {spec[1], pandoc.ColWidthDefault}
      end
      return tbl
    end,
    Image = function(image)
      local width = image.attributes.width
      image.attributes = {}
      if width then image.attributes.width = width end
      return image
    end,
    CodeBlock = function(code)  -- written fenced, so that no line of it looks like prose
      if #code.classes == 0 then code.classes = {'text'} end
      return code
    end,
    RawInline = function() counts.raw = counts.raw + 1; return {} end,
    RawBlock = function() counts.raw = counts.raw + 1; return {} end,
  })
  doc = doc:walk({
    Para = function(para)
      para.content = trimmed(para.content)
      if not visible(para.content) then return {} end
      return para
    end,
    Plain = function(plain)
      plain.content = trimmed(plain.content)
      return plain
    end,
  })
  if counts.toc > 0 then
    note("the document's table of contents was left out: Folio makes its own")
  end
  if counts.unlinked > 0 then
    note(counts.unlinked .. ' link(s) to a bookmark the document does not have were kept '
         .. 'as plain text')
  end
  if counts.raw > 0 then
    note(counts.raw .. ' piece(s) of raw Word markup (fields, embedded objects) were left '
         .. 'out: compare the book with the document')
  end
  doc.meta['folio-report'] = report
  return doc
end
