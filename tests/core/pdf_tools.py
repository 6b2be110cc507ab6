"""Reading PDFs back with the real tools (poppler's pdftotext, pdfinfo, pdffonts), as a person
checking a report would, rather than trusting what the renderer says it wrote."""

from __future__ import annotations

import re
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path


def _run(tool: str, content: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        return subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout


def pdf_text(content: bytes) -> str:
    """The text of every page (pages separated by form feeds)."""
    return _run("pdftotext", content, "-enc", "UTF-8")


def squeezed(text: str) -> str:
    """Text without any whitespace: table cells and wrapped lines compare whatever the layout."""
    return "".join(text.split())


def assert_text(content: bytes, *needles: str) -> str:
    """Every needle is in the PDF's text (whitespace ignored); returns the squeezed text."""
    text = squeezed(pdf_text(content))
    missing = [needle for needle in needles if squeezed(needle) not in text]
    assert not missing, f"missing from the PDF: {missing}\n{text}"
    return text


def pdf_info(content: bytes) -> dict[str, str]:
    info = {}
    for line in _run("pdfinfo", content).splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def pdf_metadata(content: bytes) -> str:
    """The XMP metadata stream (where PDF/UA conformance is declared)."""
    return _run("pdfinfo", content, "-meta")


@dataclass(frozen=True)
class Font:
    name: str
    type: str
    embedded: bool


def pdf_fonts(content: bytes) -> list[Font]:
    lines = _run("pdffonts", content).splitlines()[2:]
    fonts = []
    for line in lines:
        # name, type (may contain spaces), encoding, emb, sub, uni, object, generation
        match = re.match(
            r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line
        )
        assert match, line
        fonts.append(Font(name=match[1], type=match[2], embedded=match[4] == "yes"))
    return fonts


def pdf_language(content: bytes) -> str | None:
    """The document catalogue's /Lang (WeasyPrint writes it inside a compressed object stream)."""
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(match[1]))
        except zlib.error:
            continue
    for chunk in chunks:
        if found := re.search(rb"/Type\s*/Catalog.*?/Lang\s*\(([^)]*)\)", chunk, re.S):
            return found[1].decode()
    return None


def assert_accessible_japanese_pdf(content: bytes, *, title: str, language: str) -> dict:
    """Tagged PDF/UA-1 with its title and language, and an embedded Japanese font (no tofu)."""
    assert content.startswith(b"%PDF-")
    info = pdf_info(content)
    assert info["Tagged"] == "yes"
    assert title in info["Title"]
    assert info["Page size"].endswith("(A4)")
    assert 'pdfuaid:part="1"' in pdf_metadata(content)
    assert pdf_language(content) == language
    fonts = pdf_fonts(content)
    assert fonts and all(font.embedded for font in fonts), fonts
    assert any("IPAexGothic" in font.name or "NotoSansCJK" in font.name for font in fonts), fonts
    return info


def get_pdf(client, url: str):
    """The response to a request for a PDF the site serves, checked to be one."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    return response


def page_text(content: bytes, page: int) -> str:
    """One page's text as laid out (``pdftotext -layout -f N -l N``)."""
    return _run("pdftotext", content, "-enc", "UTF-8", "-layout", "-f", str(page), "-l", str(page))


def page_pixels(content: bytes, page: int = 1, *, resolution: int = 50):
    """One page rendered to a picture by poppler (``pdftoppm -png -r 50``), as an RGB image."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        prefix = Path(folder) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(resolution),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(path),
                str(prefix),
            ],
            check=True,
            timeout=60,
        )
        with Image.open(prefix.with_suffix(".png")) as image:
            return image.convert("RGB")
