"""From fetched bytes to text, whatever the page claims its encoding is.

Order of evidence: a byte-order mark (it cannot lie); bytes that are valid
UTF-8 (mislabelled UTF-8 is common, the reverse is not); the HTTP header
charset; the page's own ``<meta charset>`` or XML declaration; then detection.
A declared encoding that the bytes contradict (UTF-8 claimed by old Arabic
sites serving windows-1256) is passed over for the next clue.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Browsers read these labels as their supersets (WHATWG Encoding Standard).
_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
              "gb2312": "gb18030", "gbk": "gb18030", "iso8859-11": "cp874"}
_HEAD_BYTES = 16384
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def encoding_name(label: str | None) -> str | None:
    """The Python codec for a charset label (or a whole Content-Type value); None if unknown."""
    if not label:
        return None
    if "=" in label or ";" in label:
        found = _CHARSET_PARAM.search(label)
        if not found:
            return None
        label = found.group(1)
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def decode_html(body: bytes, declared_encoding: str | None = None) -> str:
    """Decode a fetched page; never raises on bad bytes (they become U+FFFD)."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"decode_html expects bytes, not {type(body).__name__}")
    body = bytes(body)
    for bom, bom_encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(bom_encoding, errors="replace")
    try:
        # Valid UTF-8 wins over any label: UTF-8 pages served as ISO-8859-1 are common,
        # text in another encoding that happens to be valid UTF-8 is not.
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = body[:_HEAD_BYTES]
    in_page = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    page_label = in_page.group(1).decode("ascii") if in_page else None
    page_name = encoding_name(page_label)
    if page_name and page_name.startswith("utf-16"):
        page_name = "utf-8"  # a page that could state it in ASCII is not UTF-16
    for name in (encoding_name(declared_encoding), page_name):
        if name is None:
            continue
        try:
            return body.decode(name)
        except UnicodeDecodeError:
            if name == "utf-8" and _mostly_utf8(body):
                return body.decode(name, errors="replace")
    return body.decode(_detect(body), errors="replace")


def _mostly_utf8(body: bytes) -> bool:
    """True for UTF-8 text with a few broken bytes, False for a legacy encoding."""
    text = body.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = len(_NON_ASCII.findall(text)) - broken
    return broken <= 0.05 * (broken + valid)


def _detect(body: bytes) -> str:
    if _mostly_utf8(body):
        return "utf-8"
    # Undeclared legacy pages here are Arabic (windows-1256) or Latin (windows-1252).
    # windows-1256 keeps the French accented letters where windows-1252 has them,
    # so a Latin page read as 1256 shows few Arabic letters and many accents.
    sample = body.decode("cp1256", errors="replace")
    high = len(_NON_ASCII.findall(sample))
    arabic = len(_ARABIC.findall(sample))
    return "cp1256" if high and arabic >= 0.5 * high else "cp1252"
