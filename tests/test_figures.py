"""Static figures: PNG at 300 dpi, deterministic well-formed SVG, map palette, counts in the heat map."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from netanalysis import build_network
from netanalysis.errors import OptionError
from netanalysis.viz import palette
from netanalysis.viz.figures import analysis_figures, mixing_heatmap, network_figure, network_figures, write_figures

MIXING = pd.DataFrame({"sector_a": ["F", "F", "M"], "sector_b": ["F", "M", "M"], "ties": [6, 9, 7],
                       "ratio": [1.2, 0.7, 1.1], "weak": [False, True, False]})


def png_info(data: bytes) -> dict:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    i = data.find(b"pHYs")
    ppm_x, ppm_y, unit = struct.unpack(">IIB", data[i + 4:i + 13])
    return {"width": w, "height": h, "dpi": round(ppm_x * 0.0254) if unit == 1 else None}


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)                       # well-formed XML
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_network_png_is_300_dpi(white_kinship):
    info = png_info(network_figure(white_kinship, fmt="png"))
    assert info["dpi"] == 300 and info["width"] > 1500


def test_network_svg_deterministic_with_palette_and_escaped_names():
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "name": ["<script>x</script>", "Қазақ & Co", "c"],
                          "sector": ["government", "business", "science"]})
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    net = build_network(nodes, ties, directed=False, scheme="none")
    svg = network_figure(net, fmt="svg", label_top=3)
    assert svg == network_figure(net, fmt="svg", label_top=3)
    texts = svg_texts(svg)
    assert "<script>x</script>" in texts and "Қазақ & Co" in texts
    assert "<script>" not in svg
    for s in ("government", "business", "science"):
        assert palette.SECTOR_COLORS[s].lower() in svg.lower()
        assert any(t.startswith(s) for t in texts)


def test_weak_pair_ties_drawn_in_highlight(white_kinship):
    with_weak = network_figure(white_kinship, fmt="svg", mixing=MIXING)
    without = network_figure(white_kinship, fmt="svg")
    assert palette.HIGHLIGHT.lower() in with_weak.lower()
    assert palette.HIGHLIGHT.lower() not in without.lower()


def test_heatmap_shows_counts_and_ratios():
    svg = mixing_heatmap(MIXING, fmt="svg")
    texts = " | ".join(svg_texts(svg))
    for t in ("6", "9", "7", "1.20×", "0.70×", "1.10×"):
        assert t in texts
    assert texts.count("0.70×") == 2                   # undirected: both halves filled
    assert png_info(mixing_heatmap(MIXING, fmt="png"))["dpi"] == 300
    directed = pd.DataFrame({"sector_a": ["F", "M"], "sector_b": ["M", "F"], "ties": [3, 5], "ratio": [0.5, 2.0]})
    dtexts = " | ".join(svg_texts(mixing_heatmap(directed, fmt="svg")))
    assert "0.50×" in dtexts and "2.00×" in dtexts and "row → column" in dtexts


def test_heatmap_errors():
    with pytest.raises(OptionError, match="needs columns"):
        mixing_heatmap(MIXING.drop(columns="ratio"))
    with pytest.raises(OptionError, match="format"):
        mixing_heatmap(MIXING, fmt="gif")


def test_analysis_figures(white_kinship, tmp_path):
    from netanalysis.pipeline import AnalysisOptions, analyze

    res = analyze(white_kinship, AnalysisOptions(permutations=20))
    figs = analysis_figures(res, dpi=72)
    assert set(figs) == {"network.png", "network.svg", "sector_mixing.png", "sector_mixing.svg"}
    paths = write_figures(figs, tmp_path)
    assert {p.name for p in paths} == set(figs)
    assert (tmp_path / "network.svg").read_text(encoding="utf-8") == figs["network.svg"]
    assert re.match(rb"\x89PNG", (tmp_path / "network.png").read_bytes())


def test_large_network_figure_draws_top_actors_and_says_so():
    from tests.conftest import net_from_edges

    edges = [("hub", f"s{i:02d}") for i in range(30)] + [(f"p{i}", f"p{i + 1}") for i in range(9)]
    svg = network_figure(net_from_edges(edges), fmt="svg", max_nodes=20, top_actors=5, label_top=5)
    texts = svg_texts(svg)
    caption = [t for t in texts if "left out" in t]
    assert caption and "The 5 organisations with the highest degree of 41; 36 organisations" in caption[0]
    assert {"hub", "p1", "p2", "p3", "p4"} <= set(texts) and "s00" not in texts


def test_static_figure_labels_follow_the_map_rules():
    """Dense law-firm-like network: labels never overlap, stay inside the axes, font sizes bounded."""
    from netanalysis.viz.figures import LABEL_FONT_MAX, LABEL_FONT_MIN, figure_label_boxes
    from tests.test_map_readable import dense_multirelational

    assert LABEL_FONT_MAX <= 2.5 * LABEL_FONT_MIN
    net = dense_multirelational()
    frame, boxes = figure_label_boxes(net, label_top=90)
    assert 10 <= len(boxes) < 90                       # some labels left out rather than overlapping
    for i, a in enumerate(boxes):
        assert frame[0] <= a[0] and a[2] <= frame[2] and frame[1] <= a[1] and a[3] <= frame[3]
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    heights = [b[3] - b[1] for b in boxes]
    assert max(heights) <= 2.5 * min(heights)


def test_one_drawing_saved_twice_is_the_same_as_two_drawings(white_kinship):
    """network_figures draws once and saves PNG and SVG: byte for byte what network_figure gives per format."""
    both = network_figures(white_kinship, ("png", "svg"), label_top=10, mixing=MIXING)
    for fmt in ("png", "svg"):
        assert both[fmt] == network_figure(white_kinship, fmt=fmt, label_top=10, mixing=MIXING)
    with pytest.raises(OptionError):
        network_figures(white_kinship, ("png", "pdf"))
