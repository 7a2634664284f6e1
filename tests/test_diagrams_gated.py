"""The LSTM and GRU pictures of lesson 04: legible, complete, and the GRU's two variants differ
where they should."""

import matplotlib.pyplot as plt
import pytest
from figure_checks import assert_legible, patches, texts

from seqkeras import diagrams

ALL = {
    "lstm_cell": lambda: diagrams.lstm_cell(),
    "lstm_cell_titled": lambda: diagrams.lstm_cell(title="Inside an LSTM"),
    "gru_cell": lambda: diagrams.gru_cell(),
    "gru_cell_reset_before": lambda: diagrams.gru_cell(reset_after=False),
}


@pytest.mark.parametrize("name", list(ALL))
def test_every_gated_picture_is_legible_and_fits_a_notebook(name):
    assert_legible(ALL[name](), name)


def test_a_new_figure_is_detached_from_pyplot():
    before = set(plt.get_fignums())
    diagrams.lstm_cell()
    diagrams.gru_cell()
    assert set(plt.get_fignums()) == before


def test_lstm_cell_has_four_gates_two_states_in_and_out_and_its_equations():
    fig = diagrams.lstm_cell()
    gates = patches(fig, "gate")
    assert len(gates) == 4
    names = [t.get_text() for t in texts(fig) if t.get_text() in ("forget", "input", "candidate", "output")]
    assert names == ["forget", "input", "candidate", "output"]
    assert len(texts(fig, r"$\sigma$")) == 3  # three sigmoid gates ...
    assert len([t for t in texts(fig) if t.get_text() == r"$\tanh$"]) == 2  # candidate and squash
    values = {t.get_text() for t in texts(fig, gid="gate_value")}
    assert values == {"$f_t$", "$i_t$", r"$\tilde C_t$", "$o_t$"}
    labels = {t.get_text() for t in texts(fig)}
    assert {"$C_{t-1}$", "$h_{t-1}$", "$C_t$", "$h_t$", "$x_t$"} <= labels
    captions = " ".join(t.get_text() for t in texts(fig, gid="caption"))
    assert r"C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t" in captions
    assert r"h_t = o_t \odot \tanh(C_t)" in captions
    assert len(patches(fig, "arrow_C")) == 1  # the cell state leaves to the right


def test_gru_cell_has_three_gates_and_no_cell_state():
    fig = diagrams.gru_cell()
    assert len(patches(fig, "gate")) == 3
    labels = {t.get_text() for t in texts(fig)}
    assert {"reset", "update", "candidate", "$h_{t-1}$", "$h_t$", "$x_t$"} <= labels
    assert not any("C_" in t for t in labels)
    assert {t.get_text() for t in texts(fig, gid="gate_value")} == {"$r_t$", "$z_t$", r"$\tilde h_t$"}
    assert texts(fig, "$1{-}$")
    captions = " ".join(t.get_text() for t in texts(fig, gid="caption"))
    assert r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t" in captions


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_variants_put_W_h_on_the_matching_side_of_the_reset_gate(reset_after):
    fig = diagrams.gru_cell(reset_after=reset_after)
    (arrow,) = patches(fig, "arrow_W_h")
    ys = [v[1] for v in arrow.get_path().vertices]
    state_line = max(t.get_position()[1] for t in texts(fig, "$h_{t-1}$"))
    if reset_after:  # h_{t-1} -> W_h -> (x r): the arrow leaves the state line
        assert max(ys) == pytest.approx(state_line, abs=0.1)
    else:  # (r x h_{t-1}) -> W_h -> tanh: it leaves the reset product, below the line
        assert max(ys) < state_line - 0.5
    captions = " ".join(t.get_text() for t in texts(fig, gid="caption"))
    assert ("reset_after=True" in captions) == reset_after
    assert ("2014" in captions) == (not reset_after)
    assert len(texts(fig, "$W_h$")) == 1


def test_drawing_into_a_given_axes():
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    assert diagrams.lstm_cell(ax=axes[0]) is fig
    diagrams.gru_cell(ax=axes[1], title="GRU")
    assert len([p for p in axes[0].patches if p.get_gid() == "gate"]) == 4
    assert len([p for p in axes[1].patches if p.get_gid() == "gate"]) == 3
    assert [t.get_text() for t in axes[1].texts if t.get_gid() == "title"] == ["GRU"]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: diagrams.gru_cell(reset_after="yes"), "reset_after must be True or False"),
        (lambda: diagrams.gru_cell(reset_after=1), "reset_after must be True or False"),
        (lambda: diagrams.lstm_cell(ax="left"), "ax must be a matplotlib Axes"),
        (lambda: diagrams.gru_cell(ax=3), "ax must be a matplotlib Axes"),
    ],
)
def test_bad_arguments_raise_a_helpful_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
