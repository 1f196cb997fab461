"""Tests for layerwise.sawtooth: hand-built sawtooth networks and counting linear pieces."""

import numpy as np
import pytest

import layerwise as lw
from layerwise import sawtooth as st


def test_tent_by_hand():
    x = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(st.tent(x), [0.0, 0.5, 1.0, 0.5, 0.0])


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_deep_network_is_the_sawtooth(k):
    # Reference: the sawtooth's closed form, x ↦ distance of 2^(k-1) x to the nearest integer, times 2.
    x = np.linspace(0, 1, 1001)
    expected = 2 * np.abs(2 ** (k - 1) * x - np.round(2 ** (k - 1) * x))
    O = lw.forward_inference(st.deep_sawtooth_params(k), x[:, None], activation="relu")[:, 0]
    np.testing.assert_allclose(O, expected, atol=1e-12)
    np.testing.assert_allclose(st.sawtooth(x, k), expected, atol=1e-12)


@pytest.mark.parametrize("k", [1, 2, 4, 6])
def test_shallow_network_is_the_same_sawtooth(k):
    x = np.linspace(0, 1, 777)
    O = lw.forward_inference(st.shallow_sawtooth_params(k), x[:, None], activation="relu")[:, 0]
    np.testing.assert_allclose(O, st.sawtooth(x, k), atol=1e-9)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7, 10])
def test_parameter_counts(k):
    deep = st.deep_sawtooth_params(k)
    assert [W.shape for W, _ in deep] == [(1, 2)] + [(2, 2)] * (k - 1) + [(2, 1)]
    assert st.n_params(deep) == 6 * k + 1                 # 4 + 6(k − 1) + 3
    assert st.n_params(st.shallow_sawtooth_params(k)) == 3 * 2 ** k + 1


@pytest.mark.parametrize("k", [1, 2, 3, 6, 9])
def test_sawtooth_has_2_to_the_k_pieces(k):
    params = st.deep_sawtooth_params(k)
    bp = st.breakpoints(params)
    # The kinks of the k-fold tent are j / 2^k, j = 1 .. 2^k − 1 (peaks and valleys alternate).
    np.testing.assert_allclose(bp, np.arange(1, 2 ** k) / 2 ** k, atol=1e-12)
    assert st.count_pieces(params) == 2 ** k
    x = np.linspace(0, 1, 2 ** (k + 4) + 1)
    f = lw.forward_inference(params, x[:, None], activation="relu")[:, 0]
    assert st.count_pieces_grid(x, f) == 2 ** k


def _zigzag(u, w):
    """Reference for a fold, written from its picture: w straight runs over [0, 1], up first (no ReLU)."""
    knots = np.arange(w + 1) / w
    return np.interp(u, knots, np.arange(w + 1) % 2)


def _cut(u, w):
    """Reference for the cut and the output: relu(t_1 − u) + Σ_{j≥2} relu(u − t_j), with t_j = j/(w + 1)."""
    t = np.arange(1, w + 1) / (w + 1)
    return np.maximum(t[0] - u, 0) + sum(np.maximum(u - tj, 0) for tj in t[1:])


@pytest.mark.parametrize("w,k", [(1, 1), (1, 3), (2, 1), (2, 3), (3, 2), (3, 4), (4, 3), (5, 2)])
def test_folding_network_is_k_minus_1_folds_then_a_cut(w, k):
    x = np.linspace(0, 1, 2001)
    u = x
    for _ in range(k - 1):
        u = _zigzag(u, w)
    O = lw.forward_inference(st.folding_params(w, k), x[:, None], activation="relu")[:, 0]
    np.testing.assert_allclose(O, _cut(u, w), atol=1e-9)


def test_folding_network_by_hand():
    # w = 3, k = 1: relu(1/4 − x) + relu(x − 1/2) + relu(x − 3/4), read at a few points.
    x = np.array([0.0, 0.25, 0.5, 0.6, 0.75, 1.0])
    O = lw.forward_inference(st.folding_params(3, 1), x[:, None], activation="relu")[:, 0]
    np.testing.assert_allclose(O, [0.25, 0.0, 0.0, 0.1, 0.25, 0.75], atol=1e-15)
    # w = 2 folds with the tent: hidden layer 1 of folding_params(2, 2) is the tent's input layer.
    (W1, b1), (W2, b2), (W3, b3) = st.folding_params(2, 2)
    np.testing.assert_array_equal(W1, [[1.0, 1.0]])
    np.testing.assert_array_equal(b1, [0.0, -0.5])
    np.testing.assert_array_equal(W2, [[-2.0, 2.0], [4.0, -4.0]])      # [2, −4]ᵀ [−1, 1]
    np.testing.assert_allclose(b2, [1 / 3, -2 / 3])
    np.testing.assert_array_equal(W3, [[1.0], [1.0]])


@pytest.mark.parametrize("w,k", [(1, 4), (2, 1), (2, 5), (3, 3), (4, 4), (6, 2)])
def test_folding_network_has_w_to_the_k_minus_1_times_w_plus_1_pieces(w, k):
    params = st.folding_params(w, k)
    N = w ** (k - 1) * (w + 1)
    # Each of the w^(k−1) folded intervals is cut at j/(w+1) and ends at a kink: kinks at i/N.
    np.testing.assert_allclose(st.breakpoints(params), np.arange(1, N) / N, atol=1e-12)
    x = np.linspace(0, 1, 4 * N + 1)                 # every kink on a grid point, every piece 4 cells long
    assert st.count_pieces_grid(x, lw.forward_inference(params, x[:, None])[:, 0]) == N
    assert N <= (w + 1) ** k                         # the upper bound of a network with k hidden layers of w


@pytest.mark.parametrize("w,k", [(1, 1), (2, 3), (3, 1), (4, 5)])
def test_folding_network_shapes_and_parameter_count(w, k):
    params = st.folding_params(w, k)
    assert [W.shape for W, _ in params] == [(1, w)] + [(w, w)] * (k - 1) + [(w, 1)]
    assert st.n_params(params) == 2 * w + (k - 1) * (w * w + w) + w + 1


def test_folding_network_rejects_zero_width_and_keeps_the_dtype():
    with pytest.raises(ValueError, match="width"):
        st.folding_params(0, 2)
    with pytest.raises(ValueError, match="k"):
        st.folding_params(2, 0)
    assert all(W.dtype == np.float32 and b.dtype == np.float32 for W, b in st.folding_params(3, 2, np.float32))


def test_grid_count_of_known_functions():
    x = np.linspace(-1, 2, 3001)
    assert st.count_pieces_grid(x, 3 * x + 1) == 1
    assert st.count_pieces_grid(x, np.abs(x)) == 2              # kink on a grid point
    assert st.count_pieces_grid(x, np.abs(x - 0.12345)) == 2    # kink inside a cell
    assert st.count_pieces_grid(x, np.maximum(x, 0) - 2 * np.maximum(x - 1.00005, 0)) == 3


def test_one_hidden_layer_has_at_most_m_plus_1_pieces():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 100001)
    for m in [1, 2, 5, 17, 40]:
        for _ in range(5):
            params = st.random_shallow_params(m, rng)
            exact = st.count_pieces(params)
            assert exact <= m + 1
            f = lw.forward_inference(params, x[:, None], activation="relu")[:, 0]
            # The grid count agrees unless two kinks are closer than a few grid cells.
            kinks = np.sort(-params[0][1] / params[0][0][0])
            if np.min(np.diff(kinks), initial=1.0) > 1e-4:
                assert st.count_pieces_grid(x, f) == exact


def test_breakpoints_match_a_kink_placed_by_hand():
    # relu(x − 0.3) − relu(x − 0.7): kinks at 0.3 and 0.7, then one more layer folding at 0.2.
    params = [(np.array([[1.0, 1.0]]), np.array([-0.3, -0.7])),
              (np.array([[1.0], [-1.0]]), np.array([-0.2])),
              (np.array([[1.0]]), np.array([0.0]))]
    # g(x) = relu(relu(x−.3) − relu(x−.7) − .2): zero until x = 0.5, rises to 0.2 at 0.7, flat after.
    np.testing.assert_allclose(st.breakpoints(params), [0.5, 0.7], atol=1e-12)


def test_breakpoints_rejects_other_shapes_and_activations():
    params = lw.init_params([2, 3, 1], np.random.default_rng(0))
    with pytest.raises(ValueError, match="one input"):
        st.breakpoints(params)
    with pytest.raises(ValueError, match="ReLU"):
        st.breakpoints(st.deep_sawtooth_params(2), activation="tanh")
    with pytest.raises(ValueError, match="increasing"):
        st.count_pieces_grid(np.array([0.0, 0.0, 1.0]), np.zeros(3))


def test_float32_params():
    params = st.deep_sawtooth_params(3, dtype=np.float32)
    assert all(W.dtype == np.float32 for W, _ in params)
    x = np.linspace(0, 1, 101, dtype=np.float32)
    O = lw.forward_inference(params, x[:, None], activation="relu")[:, 0]
    np.testing.assert_allclose(O, st.sawtooth(x, 3), atol=1e-5)


def test_random_shallow_networks_have_every_kink_inside_and_reach_the_bound():
    rng = np.random.default_rng(5)
    for m in [1, 3, 10, 64]:
        for _ in range(10):
            (W1, b1), _ = params = st.random_shallow_params(m, rng)
            kinks = -b1 / W1[0]
            assert np.all((kinks >= 0) & (kinks <= 1))
            assert st.count_pieces(params) == m + 1


def test_breakpoints_of_a_network_with_dead_units_raise_no_warning(no_float_trouble):
    """Unit 2 is identically 0 (w = 0, b = 0) and unit 3 is negative everywhere (w = 0, b = −1): neither
    makes a kink, and neither may produce 0/0 while the crossings are located."""
    params = [(np.array([[1.0, 0.0, 0.0]]), np.array([-0.25, 0.0, -1.0])),
              (np.array([[1.0, 0.0, 0.0], [5.0, 1.0, 0.0], [3.0, 0.0, 1.0]]), np.zeros(3)),
              (np.array([[1.0], [2.0], [4.0]]), np.array([0.0]))]
    with no_float_trouble():
        bp = st.breakpoints(params)
    np.testing.assert_allclose(bp, [0.25], atol=1e-15)


def test_a_pre_activation_that_only_touches_zero_is_not_a_breakpoint():
    """Layer 2's first unit is |x − ½| ≥ 0: it touches 0 at ½ without changing sign. The output
    relu(|x − ½|) − relu(x − ½) − relu(½ − x) + x cancels every kink: it is x, one piece."""
    W1 = np.array([[1.0, -1.0, 1.0]])                  # x − ½, ½ − x, x
    b1 = np.array([-0.5, 0.5, 0.0])
    W2 = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    W3 = np.array([[1.0], [-1.0], [-1.0], [1.0]])
    params = [(W1, b1), (W2, np.zeros(4)), (W3, np.zeros(1))]
    x = np.linspace(0, 1, 11)
    np.testing.assert_allclose(lw.forward_inference(params, x[:, None])[:, 0], x, atol=1e-15)
    assert st.breakpoints(params).size == 0 and st.count_pieces(params) == 1


def _scale_output(params, c):
    return params[:-1] + [(params[-1][0] * c, params[-1][1] * c)]


def _cancelling(m, rng):
    """[1, 2m, 1]: relu(x − a_j) − relu(a_j − x) = x − a_j for m random a_j, summed with weights c_j.
    Every a_j is a knot of the first layer, none is a kink: the output is linear (one piece), and its
    computed slopes differ between knots only by rounding, which grows with the output's scale."""
    a = rng.uniform(0.05, 0.95, size=m)
    c = rng.normal(size=m)
    return [(np.concatenate([np.ones(m), -np.ones(m)])[None, :], np.concatenate([-a, a])),
            (np.concatenate([c, -c])[:, None], np.zeros(1))]


@pytest.mark.parametrize("scale", [1e-6, 1e6])
def test_slope_tolerance_is_relative_so_scaling_the_output_changes_no_count(scale):
    rng = np.random.default_rng(6)
    nets = ([st.deep_sawtooth_params(k) for k in (3, 8)] + [st.random_shallow_params(40, rng)]
            + [_cancelling(m, rng) for m in (20, 50)])
    for params in nets:
        assert st.count_pieces(_scale_output(params, scale)) == st.count_pieces(params)
    assert [st.count_pieces(p) for p in nets] == [8, 256, 41, 1, 1]
