"""Charts keep their colours and lines under the site's Content-Security-Policy: their styling
is moved from CSS (which counts as an inline style) into SVG presentation attributes."""

import re

from sendwise.core.svg import inline_svg, unsupported
from sendwise.evidence.charts import forest_plot_svg
from sendwise.evidence.pooling import StudyRow, synthesise
from sendwise.pupils.charts import need_bar_chart

MATPLOTLIB_LIKE = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg">
 <metadata><rdf:RDF>made 2026-12-06</rdf:RDF></metadata>
 <defs>
  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>
 </defs>
 <path d="M 0 0 L 10 10" style="fill: none; stroke: #0b0c0c; stroke-width: 0.8"/>
 <text x="5" y="5" style="font-size: 9px; font-family: 'DejaVu Sans', sans-serif; text-anchor: end; fill: #0b0c0c">a style="fill: red" label &amp; more</text>
</svg>
"""


def test_styles_become_presentation_attributes_with_the_same_values():
    svg = inline_svg(MATPLOTLIB_LIKE)

    assert '<path d="M 0 0 L 10 10" fill="none" stroke="#0b0c0c" stroke-width="0.8"/>' in svg
    assert (
        'font-size="9px" font-family="\'DejaVu Sans\', sans-serif" text-anchor="end" fill="#0b0c0c"'
    ) in svg


def test_the_stylesheet_for_every_shape_is_inherited_from_the_root_instead():
    svg = inline_svg(MATPLOTLIB_LIKE)

    assert svg.startswith('<svg stroke-linejoin="round" stroke-linecap="butt" width="100pt"')
    assert "<style" not in svg and "<defs>" not in svg


def test_nothing_but_the_svg_element_is_left_no_prologue_or_metadata():
    svg = inline_svg(MATPLOTLIB_LIKE)

    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg and "metadata" not in svg


def test_a_label_that_reads_like_a_style_attribute_is_left_as_written():
    assert 'a style="fill: red" label &amp; more</text>' in inline_svg(MATPLOTLIB_LIKE)


def test_a_property_svg_cannot_say_as_an_attribute_is_dropped_and_reported():
    svg = '<svg><rect style="fill: #fff; mix-blend-mode: multiply"/></svg>'

    assert unsupported(svg) == {"mix-blend-mode"}
    assert inline_svg(svg) == '<svg><rect fill="#fff"/></svg>'


def test_the_register_chart_has_no_inline_style_and_loses_nothing():
    svg = need_bar_chart(
        [("SPLD", "Specific learning difficulty", 5), ("ASD", "Autism", 3)], "Needs"
    )

    assert not re.search(r"\sstyle=|<style", svg)
    assert svg.count('fill="#1d70b8"') == 2  # the two bars keep GOV.UK blue
    assert 'role="img" aria-label="Needs"' in svg


def test_the_forest_plot_has_no_inline_style_and_loses_nothing():
    trials = [
        StudyRow(
            trial=name,
            effect_size=d,
            effect_size_type="cohen_d",
            ci_low=d - 0.2,
            ci_high=d + 0.2,
            n=200,
            citation=name,
        )
        for name, d in [("West G (2021)", 0.3), ("Fricke S (2013)", 0.2), ("Sibieta L (2016)", 0.1)]
    ]
    synthesis = synthesise(trials)

    svg = forest_plot_svg(synthesis, title="Reading intervention")

    assert not re.search(r"\sstyle=|<style", svg)
    assert 'fill="#1d70b8"' in svg  # the trials' squares keep GOV.UK blue
    assert 'stroke-dasharray="' in svg  # the prediction interval stays dashed


def test_the_register_charts_label_is_escaped():
    svg = need_bar_chart([("SPLD", "Specific learning difficulty", 5)], 'Needs "A" & <b>')
    assert 'aria-label="Needs &quot;A&quot; &amp; &lt;b&gt;"' in svg
