"""The inks of the print interior: black text and rules in black ink only (K), and
what in a PDF would still need the printer to convert colour.

WeasyPrint sets every colour as DeviceRGB (``0 0 0 rg``), which a printer's RIP
turns into four-colour black on a CMYK press, or sends through a colour
conversion on a black-and-white one: a black-and-white interior should carry its
greys as DeviceGray, which prints with the black ink alone (IngramSpark and Lulu:
"grayscale" for black-and-white interiors). The content streams of every page, form
XObject and tiling pattern are rewritten: a neutral colour (three equal components)
becomes the same grey (``g``/``G``); in a black-and-white interior any other RGB
colour becomes its grey by ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B), the
weights Ghostscript uses to render RGB in DeviceGray, a Lab colour the grey of its
lightness (L* / 100), an RGB gradient a gradient of greys and an 8-bit RGB image
a greyscale one. In a colour interior images and colours other than the neutral
ones stay as they are (in PDF/X-4 colour-managed through the sRGB DefaultRGB of
``pdfx``); ``rgb_and_transparency`` names what keeps a file from PDF/X-1a.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

LUMA = (0.299, 0.587, 0.114)  # ITU-R BT.601
_GREY_OF = {"rg": "g", "RG": "G"}


def grey(red: float, green: float, blue: float) -> float:
    """The grey (0 black to 1 white) that prints a colour's lightness in black ink."""
    if red == green == blue:
        return red
    return round(sum(weight * value for weight, value in zip(LUMA, (red, green, blue),
                                                              strict=True)), 4)


def streams(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """Every content stream of *pdf* that draws (pages, form XObjects, tiling
    patterns, each once) with its resource dictionary (or None)."""
    seen: set[tuple[int, int]] = set()
    pending: list[pikepdf.Object] = []
    for page in pdf.pages:
        page.contents_coalesce()
        yield page.obj, page.obj.get("/Resources")
        pending.append(page.obj.get("/Resources"))
    while pending:
        resources = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for kind in ("/XObject", "/Pattern"):
            for item in (resources.get(kind) or {}).values():
                if not isinstance(item, pikepdf.Stream) or item.objgen in seen:
                    continue
                seen.add(item.objgen)
                if item.get("/Subtype") == "/Form" or item.get("/PatternType") == 1:
                    yield item, item.get("/Resources")
                    pending.append(item.get("/Resources"))


def _content(target: pikepdf.Object) -> list:
    return list(pikepdf.parse_content_stream(target))


def _write(pdf: pikepdf.Pdf, target: pikepdf.Object, instructions: list) -> None:
    data = pikepdf.unparse_content_stream(instructions)
    if isinstance(target, pikepdf.Stream):
        target.write(data)
    else:
        target.Contents = pdf.make_stream(data)


def black_ink_only(pdf: pikepdf.Pdf, every_colour: bool) -> int:
    """Rewrite *pdf*'s colours as DeviceGray: the neutral ``rg``/``RG`` ones, or
    (*every_colour*, a black-and-white interior) every RGB and Lab colour, set by
    ``rg``/``RG`` or by ``cs``/``sc`` (WeasyPrint's ``lab()`` and ``oklch()``), and
    the RGB gradients whose colours are a function of two stops (``grey_gradients``).
    CMYK colours, spot colours and images are left as they are. Returns how many
    operators were rewritten."""
    changed = 0
    for target, resources in streams(pdf):
        instructions = _content(target)
        rewritten = _grey_instructions(instructions, resources, every_colour)
        if rewritten:
            _write(pdf, target, instructions)
            changed += rewritten
    if every_colour:
        changed += grey_gradients(pdf) + grey_images(pdf)
    return changed


JPEG_QUALITY = 92  # a JPEG image made grey is encoded again as JPEG at this quality


def grey_images(pdf: pikepdf.Pdf) -> int:
    """Make each 8-bit RGB image (DeviceRGB or ICC-based with three components) a
    greyscale image (Pillow's ``L``: ITU-R 601-2 luma, the weights of ``grey``): a
    JPEG stays a JPEG, any other is stored losslessly (Flate). An alpha channel (a soft
    mask) is kept as it is. Returns how many images were made grey."""
    import io
    import zlib

    seen: set[tuple[int, int]] = set()
    changed = 0
    for _target, resources in streams(pdf):
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for image in (resources.get("/XObject") or {}).values():
            if image.get("/Subtype") != "/Image" or image.objgen in seen:
                continue
            seen.add(image.objgen)
            if not _rgb_picture(image):
                continue
            picture = pikepdf.PdfImage(image).as_pil_image().convert("L")
            if image.get("/Filter") == "/DCTDecode":
                data = io.BytesIO()
                picture.save(data, format="JPEG", quality=JPEG_QUALITY)
                image.write(data.getvalue(), filter=pikepdf.Name.DCTDecode)
            else:
                image.write(zlib.compress(picture.tobytes(), 9), filter=pikepdf.Name.FlateDecode)
            if "/DecodeParms" in image:
                del image.DecodeParms
            image.ColorSpace = pikepdf.Name.DeviceGray
            changed += 1
    return changed


def _rgb_picture(image: pikepdf.Object) -> bool:
    """Whether *image* is an 8-bit RGB picture this module can make grey."""
    if image.get("/ImageMask", False) or "/Decode" in image or \
            int(image.get("/BitsPerComponent", 0)) != 8:
        return False
    space = image.get("/ColorSpace")
    if isinstance(space, pikepdf.Array):
        return len(space) == 2 and space[0] == "/ICCBased" and int(space[1].get("/N", 0)) == 3
    return str(space) == "/DeviceRGB"


_SPACE_OPERATORS = {"cs": 0, "CS": 1}  # sets the fill (0) or stroke (1) colour space
_COLOUR_OPERATORS = {"sc": 0, "scn": 0, "SC": 1, "SCN": 1}


def _space_kind(name: object, resources) -> str:
    """``rgb``, ``lab`` or ``other`` for a colour space operand of ``cs``/``CS``."""
    if str(name) == "/DeviceRGB":
        return "rgb"
    spaces = resources.get("/ColorSpace") if isinstance(resources, pikepdf.Dictionary) \
        else None
    space = spaces.get(str(name)) if isinstance(spaces, pikepdf.Dictionary) else None
    if isinstance(space, pikepdf.Array) and len(space) and space[0] == "/Lab":
        return "lab"
    return "other"


def _grey_instructions(instructions: list, resources, every_colour: bool) -> int:
    """Rewrite *instructions* in place (see ``black_ink_only``); returns the count.
    The fill and stroke colour spaces are followed through ``q``/``Q``."""
    changed = 0
    spaces = ["other", "other"]  # what the fill and stroke colour spaces were made from
    saved: list[list[str]] = []
    for number, instruction in enumerate(instructions):
        operator = str(instruction.operator)
        if operator == "q":
            saved.append(list(spaces))
        elif operator == "Q" and saved:
            spaces = saved.pop()
        elif operator in _GREY_OF:
            red, green, blue = (float(value) for value in instruction.operands)
            if every_colour or red == green == blue:
                instructions[number] = pikepdf.ContentStreamInstruction(
                    [grey(red, green, blue)], pikepdf.Operator(_GREY_OF[operator]))
                changed += 1
        elif operator in _SPACE_OPERATORS and every_colour:
            which = _SPACE_OPERATORS[operator]
            spaces[which] = _space_kind(instruction.operands[0], resources)
            if spaces[which] != "other":
                instructions[number] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.DeviceGray], instruction.operator)
                changed += 1
        elif operator in _COLOUR_OPERATORS and every_colour:
            kind = spaces[_COLOUR_OPERATORS[operator]]
            if kind == "other" or len(instruction.operands) != 3 or any(
                    isinstance(value, pikepdf.Object) for value in instruction.operands):
                continue  # a pattern's name, or a space this does not convert
            values = [float(value) for value in instruction.operands]
            value = grey(*values) if kind == "rgb" else round(min(max(values[0], 0), 100) / 100, 4)
            instructions[number] = pikepdf.ContentStreamInstruction(
                [value], instruction.operator)
            changed += 1
    return changed


def grey_gradients(pdf: pikepdf.Pdf) -> int:
    """Make each RGB gradient (axial or radial shading, its colours a function of two
    stops, or stitched from such) a gradient of greys. Returns how many."""
    changed = 0
    for _target, resources in streams(pdf):
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        shadings = list((resources.get("/Shading") or {}).values())
        shadings += [pattern.Shading for pattern in (resources.get("/Pattern") or {}).values()
                     if pattern.get("/PatternType") == 2 and "/Shading" in pattern]
        for shading in shadings:
            if str(shading.get("/ColorSpace")) != "/DeviceRGB":
                continue
            functions = _two_stop_functions(shading.get("/Function"))
            if functions is None:
                continue
            for function in functions:
                for key in ("/C0", "/C1"):
                    if key in function:
                        function[key] = pikepdf.Array([grey(*(float(v) for v in function[key]))])
                    else:  # C0 defaults to [0.0], C1 to [1.0], in as many components as
                        function[key] = pikepdf.Array([0.0 if key == "/C0" else 1.0])
            shading.ColorSpace = pikepdf.Name.DeviceGray
            changed += 1
    return changed


def _two_stop_functions(function) -> list | None:
    """The exponential (type 2) functions *function* is made of, or None when it is
    another kind (sampled, PostScript), whose colours cannot be rewritten one by one."""
    if not isinstance(function, pikepdf.Dictionary):
        return None
    if function.get("/FunctionType") == 2:
        return [function]
    if function.get("/FunctionType") == 3:
        parts = [_two_stop_functions(part) for part in function.Functions]
        if all(part is not None for part in parts):
            return [item for part in parts for item in part]
    return None


def rgb_operators(pdf: pikepdf.Pdf, neutral_only: bool = False) -> list[str]:
    """The ``rg``/``RG`` operators left in *pdf*'s content (*neutral_only*: those
    with three equal components, which should have been grey), as ``r g b rg``."""
    found = []
    for target, _resources in streams(pdf):
        for instruction in _content(target):
            if str(instruction.operator) in _GREY_OF:
                values = [float(value) for value in instruction.operands]
                if not neutral_only or len(set(values)) == 1:
                    found.append(f"{' '.join(f'{v:g}' for v in values)} "
                                 f"{instruction.operator}")
    return found


def rgb_and_transparency(pdf: pikepdf.Pdf) -> list[str]:
    """What keeps *pdf* from PDF/X-1a (ISO 15930-4: CMYK, grey and spot colour only,
    no transparency), in words: RGB operators, RGB or calibrated images and
    shadings, soft masks, constant alpha below 1, blend modes, transparency groups."""
    problems: set[str] = set()
    if rgb_operators(pdf):
        problems.add("colours in RGB")
    for target, resources in streams(pdf):
        for instruction in _content(target):
            if str(instruction.operator) in _SPACE_OPERATORS and not _device_cmyk_or_grey(
                    _resolved(instruction.operands[0], resources)):
                problems.add("colours in RGB, Lab or an ICC-based colour space")
        if isinstance(target, pikepdf.Dictionary) and "/Group" in target:
            problems.add("a transparency group")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for state in (resources.get("/ExtGState") or {}).values():
            if any(float(state.get(key, 1)) < 1 for key in ("/ca", "/CA")):
                problems.add("transparency (opacity below 1)")
            if str(state.get("/SMask", "/None")) != "/None":
                problems.add("a soft mask")
            if str(state.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
                problems.add("a blend mode")
        for item in (resources.get("/XObject") or {}).values():
            if item.get("/Subtype") != "/Image":
                continue
            if "/SMask" in item:
                problems.add("an image with an alpha channel")
            if not _device_cmyk_or_grey(item.get("/ColorSpace")) and \
                    not item.get("/ImageMask", False):
                problems.add("an image in RGB or a calibrated colour space")
        for shading in (resources.get("/Shading") or {}).values():
            if not _device_cmyk_or_grey(shading.get("/ColorSpace")):
                problems.add("a gradient in RGB")
    return sorted(problems)


def _resolved(name, resources):
    """A ``cs`` operand as the colour space it names (itself for a device space)."""
    spaces = resources.get("/ColorSpace") if isinstance(resources, pikepdf.Dictionary) \
        else None
    if isinstance(spaces, pikepdf.Dictionary) and str(name) in spaces:
        return spaces[str(name)]
    return name


def _device_cmyk_or_grey(space) -> bool:
    if space is None:
        return False
    if isinstance(space, pikepdf.Array) and len(space) and space[0] == "/Indexed":
        return _device_cmyk_or_grey(space[1])
    if isinstance(space, pikepdf.Array) and len(space) and space[0] in ("/Separation",
                                                                        "/DeviceN"):
        return True  # spot colours
    return str(space) in ("/DeviceGray", "/DeviceCMYK", "/G", "/CMYK", "/Pattern")
