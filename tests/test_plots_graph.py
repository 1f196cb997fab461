"""The computational-graph figure: its numbers are the chain rule's, its drawing has every node."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import layerwise as lw  # noqa: E402
from layerwise.plots.graph import (GRAPH_EDGES, GRAPH_LAYOUT, draw_computational_graph,  # noqa: E402
                                   format_array, two_layer_graph_values)


def _tiny():
    params = [(np.array([[0.5, -0.3], [0.8, 0.2]]), np.array([0.1, 0.2])),
              (np.array([[1.0, -0.7], [-0.4, 0.9]]), np.array([0.0, 0.2]))]
    return params, np.array([[1.0, 2.0]]), np.array([1])


def test_forward_values_by_hand():
    params, X, y = _tiny()
    v = two_layer_graph_values(params, X, y, "sigmoid")
    Z1 = np.array([[1 * 0.5 + 2 * 0.8 + 0.1, 1 * -0.3 + 2 * 0.2 + 0.2]])      # [2.2, 0.3]
    H1 = 1 / (1 + np.exp(-Z1))
    O = H1 @ np.array([[1.0, -0.7], [-0.4, 0.9]]) + np.array([0.0, 0.2])
    np.testing.assert_allclose(v["Z1"][0], Z1)
    np.testing.assert_allclose(v["H1"][0], H1)
    np.testing.assert_allclose(v["O"][0], O)
    loss = np.log(np.exp(O).sum()) - O[0, 1]
    np.testing.assert_allclose(v["loss"][0], loss)
    assert v["X"][1] is None and v["y"][1] is None and v["loss"][1] == 1.0


# One example through a 2-2-2 network with round weights: a smooth loss of size ~1 and gradients of
# size ~0.1 to 1; rounding and truncation of the centred difference are ~1e-10 per entry. Observed
# worst 3.7e-11 (relu's Z1 = (2.2, 0.3) is far from the kink); 1e-8 keeps a 250× margin.
GRAD_TOL = 1e-8


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_every_gradient_is_the_finite_difference_one(activation, gradlog):
    params, X, y = _tiny()
    v = two_layer_graph_values(params, X, y, activation)
    (W1, b1), (W2, b2) = params

    def loss_from(Z1=None, H1=None, O=None):
        f, _ = lw.get_activation(activation)
        if O is None:
            if H1 is None:
                H1 = f(X @ W1 + b1 if Z1 is None else Z1)
            O = H1 @ W2 + b2
        return lw.softmax_cross_entropy(O, y)[0]

    whole = lambda _: loss_from()                                     # noqa: E731
    for name, array in [("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)]:
        gradlog.check("plots.graph values", v[name][1], lw.numerical_gradient(whole, array), GRAD_TOL)
    for name in ("Z1", "H1", "O"):
        A = v[name][0].copy()
        numeric = lw.numerical_gradient(lambda A: loss_from(**{name: A}), A)
        gradlog.check("plots.graph values", v[name][1], numeric, GRAD_TOL)


def test_only_two_layers():
    rng = np.random.default_rng(0)
    params = lw.init_params([2, 3, 3, 2], rng)
    with pytest.raises(ValueError, match="2-layer"):
        two_layer_graph_values(params, np.ones((1, 2)), np.array([0]))


def test_format_array():
    assert format_array(np.array([[1, -0.5], [0, 2]])) == "[1.00 -0.50]\n[0.00 2.00]"
    assert format_array(np.array([1, 0])) == "[1 0]"
    assert format_array(np.float64(1.0869), precision=3) == "[1.087]"


def test_drawing_has_every_node_and_edge():
    params, X, y = _tiny()
    fig, ax = plt.subplots()
    try:
        artists = draw_computational_graph(ax, two_layer_graph_values(params, X, y))
        assert set(artists["nodes"]) == set(GRAPH_LAYOUT)
        assert len(artists["edges"]) == len(GRAPH_EDGES)
        shown = {t.get_text() for t in ax.texts}
        # forward value of Z^(1) and the gradient of b^(1) (= dZ^(1) for one example) are written
        assert format_array(np.array([[2.2, 0.3]])) in shown
        assert "[1.00]" in shown                                            # ∂ℓ/∂ℓ
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_drawing_without_values_has_only_names():
    fig, ax = plt.subplots()
    try:
        draw_computational_graph(ax)
        assert not any(t.get_text().startswith("[") for t in ax.texts)
    finally:
        plt.close(fig)
