"""Diagrams: each returns a Figure with the boxes its topology needs, legible, and rejects
what it cannot draw with a message that says what to do."""

import matplotlib
import matplotlib.pyplot as plt
import pytest
from figure_checks import assert_legible, patches, texts

from seqkeras import diagrams

ALL = {
    "dense_layer": lambda: diagrams.dense_layer(),
    "dense_layer_8_to_8": lambda: diagrams.dense_layer(8, 8, "softmax"),
    "rnn_cell": lambda: diagrams.rnn_cell(),
    "rnn_cell_no_output": lambda: diagrams.rnn_cell(show_output=False),
    "rolled": lambda: diagrams.rolled(),
    **{f"unrolled_{t}": (lambda t=t: diagrams.unrolled(t)) for t in diagrams.TOPOLOGIES},
    "unrolled_12_steps": lambda: diagrams.unrolled(steps=12),
    "unrolled_1_step": lambda: diagrams.unrolled(steps=1),
    "unrolled_n_to_m_widest": lambda: diagrams.unrolled("n_to_m", in_steps=6, out_steps=6),
    "unrolled_shared": lambda: diagrams.unrolled(highlight_shared=True, title="Shared"),
    "unrolled_shared_n_to_m": lambda: diagrams.unrolled("n_to_m", highlight_shared=True),
    "unrolled_with_rolled": lambda: diagrams.unrolled(show_rolled=True, steps=3),
    "topologies": lambda: diagrams.topologies(),
    "encoder_decoder_init_state": lambda: diagrams.encoder_decoder("init_state"),
    "encoder_decoder_every_step": lambda: diagrams.encoder_decoder("every_step", 5, 5),
    "bidirectional": lambda: diagrams.bidirectional(),
    "bidirectional_6": lambda: diagrams.bidirectional(6),
    "attention": lambda: diagrams.attention(),
    "attention_1_to_1": lambda: diagrams.attention(1, 1),
}


@pytest.mark.parametrize("name", list(ALL))
def test_every_picture_is_a_legible_figure_of_notebook_size(name):
    assert_legible(ALL[name](), name)


def test_a_new_figure_is_detached_from_pyplot_so_notebooks_show_it_once():
    before = set(plt.get_fignums())
    diagrams.unrolled()
    assert set(plt.get_fignums()) == before


@pytest.mark.parametrize(
    "topology, n_in, n_out",
    [("n_to_n", 5, 5), ("n_to_1", 5, 1), ("1_to_n", 1, 5), ("1_to_n_every_step", 1, 5)],
)
def test_unrolled_draws_one_cell_per_step_and_the_inputs_outputs_of_its_topology(topology, n_in, n_out):
    fig = diagrams.unrolled(topology, steps=5)
    assert len(patches(fig, "cell")) == 5
    assert len(patches(fig, "initial")) == 1  # h_0
    assert len(patches(fig, "input")) == n_in
    assert len(patches(fig, "output")) == n_out
    assert len(texts(fig, "h_")) == 6  # h_0 .. h_5
    assert len(patches(fig, "arrow_W")) == 5
    assert len(patches(fig, "arrow_U")) == 5 if topology != "1_to_n" else 1
    assert len(patches(fig, "arrow_V")) == n_out


def test_one_input_at_every_step_is_one_box_feeding_every_cell():
    fig = diagrams.unrolled("1_to_n_every_step", steps=4)
    assert len(texts(fig, "$x$")) == 1
    assert len(patches(fig, "arrow_U")) == 4
    assert len(texts(fig, "$U$", gid="weight")) == 4


def test_n_to_m_has_an_encoder_a_context_and_a_decoder():
    fig = diagrams.unrolled("n_to_m", in_steps=3, out_steps=2)
    assert len(patches(fig, "cell")) == 5
    assert len(patches(fig, "context")) == 1
    assert len(patches(fig, "input")) == 3 + 2  # x_1..x_3 into the encoder, x'_1, x'_2 into the decoder
    assert len(patches(fig, "output")) == 2
    assert len(texts(fig, "h'_")) == 2
    assert {t.get_text() for t in texts(fig, gid="group")} == {"encoder", "decoder"}


def test_n_to_m_names_the_decoders_own_weights_as_lesson_02_does():
    """Encoder U, W (no output layer); decoder U', W', V'; the context in bold, as in NOTATION."""
    fig = diagrams.unrolled("n_to_m", in_steps=3, out_steps=2)
    weights = [t.get_text() for t in texts(fig, gid="weight")]
    assert weights.count("$U$") == 3 and weights.count("$U'$") == 2
    assert weights.count("$V'$") == 2 and "$V$" not in weights
    assert texts(fig, r"$\mathbf{c}$") and texts(fig, "$x'_{2}$")


def test_n_to_m_defaults_to_one_output_fewer_than_inputs():
    fig = diagrams.unrolled("n_to_m", steps=4)
    assert len(patches(fig, "input")) == 4 + 3 and len(patches(fig, "output")) == 3


def test_weight_labels_can_be_hidden_and_cell_label_changed():
    fig = diagrams.unrolled(steps=3, weights=False, cell_label="LSTM")
    assert texts(fig, gid="weight") == []
    assert len(texts(fig, "LSTM")) == 3
    fig = diagrams.unrolled(steps=3, cell_label="")
    assert texts(fig, "RNN") == []


def test_highlight_shared_gives_each_weight_one_colour_at_every_step():
    fig = diagrams.unrolled(steps=4, highlight_shared=True)
    colours = {}
    for key in "UWV":
        labels = texts(fig, f"${key}$", gid="weight")
        assert len(labels) == 4
        found = {matplotlib.colors.to_hex(t.get_color()) for t in labels}
        found |= {matplotlib.colors.to_hex(p.get_edgecolor()) for p in patches(fig, f"arrow_{key}")}
        assert found == {diagrams.WEIGHT_COLORS[key].lower()}, key
        colours[key] = found
    assert len(set(map(frozenset, colours.values()))) == 3  # three different colours
    assert texts(fig, gid="legend")
    plain = diagrams.unrolled(steps=4)
    assert len({matplotlib.colors.to_hex(t.get_color()) for t in texts(plain, gid="weight")}) == 1


def test_show_rolled_adds_the_rolled_cell_and_an_unroll_arrow():
    fig = diagrams.unrolled(steps=3, show_rolled=True)
    assert len(patches(fig, "cell")) == 4
    assert len(patches(fig, "unroll")) == 1 and texts(fig, "unroll")


def test_rolled_is_one_cell_with_a_loop_labelled_W():
    fig = diagrams.rolled()
    assert len(patches(fig, "cell")) == 1
    assert len(patches(fig, "arrow_W")) == 1
    assert [t.get_text() for t in texts(fig, gid="weight")].count("$W$") == 1


def test_drawing_into_a_given_axes_composes_a_grid():
    fig, axes = plt.subplots(1, 2, figsize=(10, 3))
    got = diagrams.unrolled(ax=axes[0])
    diagrams.unrolled("n_to_1", ax=axes[1], title="N vs 1")
    assert got is fig
    assert len(axes[0].patches) > 0 and len(axes[1].patches) > 0
    assert [t.get_text() for t in axes[1].texts if t.get_gid() == "title"] == ["N vs 1"]
    assert len([p for p in axes[0].patches if p.get_gid() == "cell"]) == 4


def test_dense_layer_connects_every_input_to_every_output():
    fig = diagrams.dense_layer(4, 3, "tanh")
    assert len(patches(fig, "input")) == 4 and len(patches(fig, "output")) == 3
    assert len(patches(fig, "arrow_W")) == 12
    assert len(patches(fig, "arrow_b")) == 3
    assert texts(fig, r"\tanh(Wx + b)")
    assert texts(diagrams.dense_layer(), "$y = f(Wx + b)$")


def test_rnn_cell_shows_U_W_b_tanh_and_the_output_path():
    fig = diagrams.rnn_cell()
    labels = {t.get_text() for t in texts(fig)}
    assert {
        "$U$",
        "$W$",
        "$V$",
        "$b$",
        "$c$",
        r"$\tanh$",
        r"$\mathrm{softmax}$",
        "$x_t$",
        "$h_{t-1}$",
        r"$\hat y_t$",  # NOTATION: the prediction is y-hat, the target y
        r"$h_t = \tanh(x_t U + h_{t-1} W + b)$",  # row vectors, Keras layout
        r"$\hat y_t = \mathrm{softmax}(h_t V + c)$",
    } <= labels
    assert any("t{+}1" in t for t in labels)  # h_t leaves to the next step
    bare = {t.get_text() for t in texts(diagrams.rnn_cell(show_output=False))}
    assert r"$\mathrm{softmax}$" not in bare and r"$\hat y_t$" not in bare and "$h_t$" in bare


def test_topologies_has_the_four_titled():
    fig = diagrams.topologies(steps=3)
    titles = [t.get_text() for t in texts(fig, gid="title")]
    for name in ("N vs N", "N vs 1", "1 vs N", "N vs M"):
        assert any(t.startswith(name) for t in titles), name
    sizes = {round(t.get_fontsize(), 1) for t in texts(fig, gid="title")}
    assert len(sizes) == 1, "every panel drawn at the same scale"


@pytest.mark.parametrize("variant, bus_arrows", [("init_state", 0), ("every_step", 3)])
def test_encoder_decoder_feeds_outputs_back_and_places_the_context(variant, bus_arrows):
    fig = diagrams.encoder_decoder(variant, in_steps=4, out_steps=3)
    assert texts(fig, "<start>")
    assert len(patches(fig, "feedback")) == 2  # ŷ_1 → step 2, ŷ_2 → step 3
    assert len(patches(fig, "context")) == 1
    assert len(patches(fig, "arrow_c")) == bus_arrows
    assert len(patches(fig, "cell")) == 7
    assert len(texts(fig, r"\hat y")) == 3 + 2  # the outputs, and the inputs after <start>


def test_bidirectional_has_two_chains():
    fig = diagrams.bidirectional(3)
    assert len(patches(fig, "cell")) == 6
    boxes = [t for t in texts(fig) if t.get_gid() != "caption"]
    assert sum(r"\overrightarrow{h}" in t.get_text() for t in boxes) == 4  # h_0 .. h_3
    assert sum(r"\overleftarrow{h}" in t.get_text() for t in boxes) == 4  # h_1 .. h_4


def test_attention_line_widths_follow_the_weights():
    alpha = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
    fig = diagrams.attention(3, 2, alpha=alpha)
    lines = patches(fig, "attention")
    assert len(lines) == 6
    widths = [p.get_linewidth() for p in lines]
    flat = [a for row in alpha for a in row]
    assert sorted(range(6), key=widths.__getitem__) == sorted(range(6), key=flat.__getitem__)
    assert len(patches(fig, "context")) == 2


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: diagrams.unrolled(steps=0), "steps must be from 1 to 12"),
        (lambda: diagrams.unrolled(steps=13), "steps must be from 1 to 12"),
        (lambda: diagrams.unrolled(steps=2.5), "steps must be an integer"),
        (lambda: diagrams.unrolled(steps=True), "steps must be an integer"),
        (
            lambda: diagrams.unrolled("n_to_2"),
            "unknown topology 'n_to_2'; choose one of: 'n_to_n', "
            "'n_to_1', '1_to_n', '1_to_n_every_step', 'n_to_m'",
        ),
        (lambda: diagrams.unrolled("n_to_n", in_steps=3), "apply to topology 'n_to_m' only"),
        (lambda: diagrams.unrolled("n_to_m", in_steps=8, out_steps=8), "at most 12"),
        (lambda: diagrams.unrolled("n_to_m", out_steps=0), "out_steps must be from 1"),
        (lambda: diagrams.unrolled(weights="yes"), "weights must be True or False"),
        (lambda: diagrams.unrolled(cell_label="A very long label"), "cell_label must be a short"),
        (lambda: diagrams.unrolled(ax="left"), "ax must be a matplotlib Axes"),
        (lambda: diagrams.topologies(steps=9), "steps must be from 1 to 8"),
        (
            lambda: diagrams.encoder_decoder("attention"),
            "unknown variant 'attention'; choose one of: 'init_state', 'every_step'",
        ),
        (lambda: diagrams.encoder_decoder(in_steps=6, out_steps=6), "at most 10"),
        (lambda: diagrams.dense_layer(0, 2), "n_in must be from 1 to 8"),
        (lambda: diagrams.dense_layer(3, 9), "n_out must be from 1 to 8"),
        (lambda: diagrams.dense_layer(activation=""), "activation must be a short name"),
        (lambda: diagrams.dense_layer(activation="$x$"), "activation must be a short name"),
        (lambda: diagrams.rnn_cell(show_output="no"), "show_output must be True or False"),
        (lambda: diagrams.rolled(highlight_shared=1), "highlight_shared must be True or False"),
        (lambda: diagrams.bidirectional(7), "steps must be from 1 to 6"),
        (lambda: diagrams.attention(9, 2), "in_steps must be from 1 to 8"),
        (lambda: diagrams.attention(3, 2, alpha=[[1, 0, 0]]), r"alpha must have shape .* = \(2, 3\)"),
        (lambda: diagrams.attention(2, 1, alpha=[[0.5, 0.6]]), "sum to 1"),
    ],
)
def test_bad_arguments_raise_a_helpful_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
