"""seqkeras.plots, lesson 08: the CJK font draws every Chinese character of the data (no
"Glyph ... missing" warning), and attention_map draws weights with Chinese labels."""

import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from seqkeras import data, plots

SENTENCE = ["汤", "𡡡", "想", "知", "道", "我", "们", "在", "这", "里", "做", "甚", "么", "。"]


def draw_strictly(fig):
    """Draw ``fig``; a missing glyph (matplotlib warns, then draws a box) fails the test."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font")
        fig.canvas.draw()


def test_every_chinese_character_of_the_data_is_in_the_font():
    chars = {ch for _, zh in data.load_translation_pairs() for ch in zh}
    charmap = FT2Font(str(data.verify("cjk_font"))).get_charmap()
    missing = sorted(ch for ch in chars if ord(ch) not in charmap)
    assert not missing, f"not in the font: {missing}"
    assert all(ord(ch) in charmap for ch in "ABCxyz0123456789 .,?!<>-_:;()[]'\"，。？！、：“”…␣")


def test_use_cjk_font_registers_the_file_once_and_findfont_finds_it():
    family = plots.use_cjk_font()
    assert family == plots.CJK_FAMILY
    plots.use_cjk_font()
    entries = [e for e in font_manager.fontManager.ttflist if e.name == family]
    assert len(entries) == 1
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert found == str(data.verify("cjk_font"))


def test_use_cjk_font_default_adds_a_fallback_family_and_keeps_the_first():
    with mpl.rc_context():
        before = list(mpl.rcParams["font.family"])
        plots.use_cjk_font(default=True)
        plots.use_cjk_font(default=True)
        assert mpl.rcParams["font.family"] == before + [plots.CJK_FAMILY]
        fig, ax = plt.subplots()
        ax.set_title("注意力 attention")
        draw_strictly(fig)
        plt.close(fig)
    assert plots.CJK_FAMILY not in mpl.rcParams["font.family"]


def test_chinese_tick_labels_without_the_font_warn_so_the_check_can_fail():
    fig, ax = plt.subplots()
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["你好", "。"], fontfamily=["DejaVu Sans"])
    with pytest.raises(UserWarning, match="missing from font"):
        draw_strictly(fig)
    plt.close(fig)


def test_attention_map_draws_chinese_labels_with_no_missing_glyph():
    inputs = ["Tom", "wants", "to", "know", "what", "we're", "doing", "here", ".", "<end>"]
    rng = np.random.default_rng(0)
    w = rng.dirichlet(np.ones(len(inputs)), size=len(SENTENCE))
    ax = plots.attention_map(w, inputs, SENTENCE, title="汤𡡡想知道 — attention")
    assert [t.get_text() for t in ax.get_yticklabels()] == SENTENCE
    assert [t.get_text() for t in ax.get_xticklabels()] == inputs
    assert ax.get_images()[0].get_array().shape == (len(SENTENCE), len(inputs))
    assert plots.CJK_FAMILY in ax.get_yticklabels()[0].get_fontfamily()
    draw_strictly(ax.figure)
    for fmt in ("pdf", "svg"):  # the vector backends embed the font too
        import io

        ax.figure.savefig(io.BytesIO(), format=fmt)
    plt.close("all")


def test_attention_map_with_zero_width_space_and_space_tokens_draws_cleanly():
    outputs = list("请\u200b借我你的书。")
    ax = plots.attention_map(np.full((len(outputs), 3), 1 / 3), ["a", " ", "b"], outputs, annotate=True)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "␣", "b"]
    assert len(ax.texts) == 3 * len(outputs)
    draw_strictly(ax.figure)
    plt.close("all")


def test_attention_map_crops_padded_weights_and_annotates_small_maps():
    w = np.zeros((6, 8))
    w[np.arange(6), np.arange(6)] = 1.0
    ax = plots.attention_map(w, ["2", "0", "1", "9"], ["2", "0", "1"], colorbar=False)
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), w[:3, :4])
    assert [t.get_text() for t in ax.texts][:2] == ["1", ".00"]
    assert len(ax.figure.axes) == 1
    plt.close("all")


@pytest.mark.parametrize(
    "weights, match",
    [
        (np.ones((2, 3, 4)) / 4, r"weights\[b\]"),
        (np.ones((4, 3)) / 3, "Swapped"),
        (np.full((3, 4), 2.0), r"\[0, 1\]"),
        (np.full((3, 4), np.nan), "NaN"),
    ],
)
def test_attention_map_rejects_what_it_cannot_draw(weights, match):
    with pytest.raises(ValueError, match=match):
        plots.attention_map(weights, list("abcd"), list("xyz"))
    plt.close("all")
