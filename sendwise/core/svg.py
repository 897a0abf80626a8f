"""SVG charts made fit to sit inside a page under a strict Content-Security-Policy.

matplotlib writes its styling as CSS: a `<style>` element and a `style="…"` attribute on almost
every shape and label. Inside an HTML page both count as inline styles, which the site's
Content-Security-Policy (`style-src 'self'`, settings.CONTENT_SECURITY_POLICY) refuses, so the
chart would be drawn black on black. SVG's presentation attributes (`fill="#1d70b8"`) say the
same things and are not styles in CSP's sense, so each declaration becomes one.

The list of presentation attributes is SVG 1.1's (W3C, "Styling", section 6.4, "Alphabetic
index of presentation attributes"), less the few that only fonts and filters use. A property that
is not one is dropped (the chart loses a detail rather than the page failing); the tests check
that the charts the app draws lose nothing.

Pure Python: no Django.
"""

from __future__ import annotations

import re

PRESENTATION_ATTRIBUTES = frozenset(
    {
        "alignment-baseline",
        "baseline-shift",
        "clip",
        "clip-path",
        "clip-rule",
        "color",
        "color-interpolation",
        "color-rendering",
        "cursor",
        "direction",
        "display",
        "dominant-baseline",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-size-adjust",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "image-rendering",
        "letter-spacing",
        "marker-end",
        "marker-mid",
        "marker-start",
        "mask",
        "opacity",
        "overflow",
        "pointer-events",
        "shape-rendering",
        "stop-color",
        "stop-opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "text-decoration",
        "text-rendering",
        "visibility",
        "word-spacing",
        "writing-mode",
    }
)

# A tag: text between tags has its "<" and ">" escaped by matplotlib, so this never matches
# inside a label (a chart label that reads style="…" stays as it is).
_TAG = re.compile(r"<[^<>]*>")
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
# matplotlib's one stylesheet: `*{stroke-linejoin: round; stroke-linecap: butt}`.
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
_UNIVERSAL_RULE = re.compile(r"\*\s*\{([^}]*)\}")
_EMPTY_DEFS = re.compile(r"<defs>\s*</defs>\s*")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def declarations(css: str) -> list[tuple[str, str]]:
    """`"fill: #fff; stroke-width: 0.8"` → `[("fill", "#fff"), ("stroke-width", "0.8")]`."""
    pairs = []
    for declaration in css.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip() and value.strip():
            pairs.append((name.strip().lower(), value.strip()))
    return pairs


def attributes(css: str) -> str:
    """CSS declarations as presentation attributes (` fill="#fff" stroke-width="0.8"`)."""
    return "".join(
        f' {name}="{value}"'  # already a valid attribute value: it came from one
        for name, value in declarations(css)
        if name in PRESENTATION_ATTRIBUTES
    )


def unsupported(svg: str) -> set[str]:
    """The CSS properties in an SVG that `inline_svg` would drop (for tests of the charts)."""
    found = set()
    for css in _STYLE_ATTRIBUTE.findall(svg):
        found |= {name for name, _ in declarations(css)} - PRESENTATION_ATTRIBUTES
    return found


def inline_svg(svg: str) -> str:
    """An SVG document as an element for an HTML page: no XML prologue or metadata, and every
    style as presentation attributes, so a strict Content-Security-Policy lets it be drawn."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    svg = _METADATA.sub("", svg)
    inherited = ""
    for sheet in _STYLE_ELEMENT.findall(svg):
        for rule in _UNIVERSAL_RULE.findall(sheet):
            inherited += attributes(rule)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _EMPTY_DEFS.sub("", svg)
    svg = _TAG.sub(lambda tag: _STYLE_ATTRIBUTE.sub(_as_attributes, tag.group(0)), svg)
    if inherited:
        # On the root element the properties are inherited by every shape, as the rule for
        # `*` gave them to each (a shape's own attribute still wins).
        svg = svg.replace("<svg", f"<svg{inherited}", 1)
    return svg


def _as_attributes(match: re.Match) -> str:
    return attributes(match.group(1))
