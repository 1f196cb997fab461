"""The bytes backprop keeps, measured with tracemalloc, agree with layerwise.memory's prediction.

NumPy reports its array buffers to tracemalloc, so the traced total grows by an array's nbytes
when it is allocated. What else is traced are Python's own objects: per layer the ndarray structs
of Z and H (112 bytes each), the LayerCache and (H, W) tuples (64 and 56 bytes) and a list slot,
about 340 bytes measured. So the measurement must exceed the prediction by at least 0 and at most
OBJECTS_PER_LAYER bytes per layer, whatever the sizes of the arrays.
"""

import tracemalloc

import numpy as np
import pytest

import layerwise as lw
from layerwise.checkpoint import backward_checkpointed, forward_checkpointed, predicted_checkpoint_bytes
from layerwise.h_only import forward_h_only

OBJECTS_PER_LAYER = 512      # bytes: the ~340 of Python objects per layer, with a 1.5× margin


@pytest.fixture
def traced():
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()


def _retained_and_peak(fn):
    """(bytes still allocated after fn() returns, held by its result; peak bytes while it ran)."""
    before = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    result = fn()
    current, peak = tracemalloc.get_traced_memory()
    return result, current - before, peak - before


def _net(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    return lw.init_params(sizes, rng), rng.normal(size=(n, sizes[0]))


@pytest.mark.parametrize("depth,width,n", [(2, 64, 32), (4, 128, 64), (8, 64, 128), (3, 256, 16), (6, 32, 256)])
def test_forward_keeps_what_the_shapes_predict(traced, depth, width, n):
    sizes = [20] + [width] * depth + [10]
    params, X = _net(sizes, n)
    (O, caches), retained, _ = _retained_and_peak(lambda: lw.forward(params, X, "relu"))
    measured = retained - O.nbytes                     # O is the output, not part of the cache
    predicted = lw.predicted_cache_bytes(sizes, n)
    assert predicted == 8 * n * 2 * depth * width      # Z and H of each hidden layer, by hand
    assert 0 <= measured - predicted <= OBJECTS_PER_LAYER * len(params)
    del caches


@pytest.mark.parametrize("depth,width,n", [(2, 64, 32), (4, 128, 64), (8, 64, 128), (6, 32, 256)])
def test_keeping_only_H_takes_half(traced, depth, width, n):
    """The minimum (H of each hidden layer, not Z) measured: half of what forward keeps."""
    sizes = [20] + [width] * depth + [10]
    params, X = _net(sizes, n)
    (O, kept), retained, _ = _retained_and_peak(lambda: forward_h_only(params, X, "relu"))
    minimum = lw.minimum_cache_bytes(sizes, n)
    assert minimum == 8 * n * depth * width            # H of each hidden layer, by hand
    assert 0 <= (retained - O.nbytes) - minimum <= OBJECTS_PER_LAYER * len(params)
    del kept


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_inference_peak_does_not_grow_with_depth(traced, activation):
    width, n = 128, 64
    layer = 8 * n * width
    peaks = []
    for depth in (2, 6, 12):
        params, X = _net([20] + [width] * depth + [10], n)
        _, _, peak = _retained_and_peak(lambda: lw.forward_inference(params, X, activation))
        peaks.append(peak)
        _, retained, _ = _retained_and_peak(lambda: lw.forward(params, X, activation))
        assert retained > 2 * depth * layer * 0.9      # training keeps every layer ...
    assert max(peaks) - min(peaks) < 0.1 * layer       # ... inference a constant few layers
    assert max(peaks) < 8 * layer


@pytest.mark.parametrize("every", [1, 2, 4, 8])
def test_checkpoints_keep_what_the_shapes_predict(traced, every):
    sizes = [20] + [96] * 8 + [10]
    params, X = _net(sizes, 64)
    (O, ck), retained, _ = _retained_and_peak(lambda: forward_checkpointed(params, X, "relu", every=every))
    predicted = predicted_checkpoint_bytes(sizes, 64, every)
    assert 0 <= (retained - O.nbytes) - predicted <= OBJECTS_PER_LAYER * len(params)


def test_checkpointed_training_step_peaks_lower(traced):
    sizes = [20] + [128] * 16 + [10]
    params, X = _net(sizes, 128)
    y = np.arange(128) % 10

    def plain():
        O, caches = lw.forward(params, X, "relu")
        return lw.backward(lw.softmax_cross_entropy(O, y)[1], caches)

    def checkpointed():
        O, ck = forward_checkpointed(params, X, "relu", every=4)
        return backward_checkpointed(lw.softmax_cross_entropy(O, y)[1], ck, params)

    grads, kept_plain, peak_plain = _retained_and_peak(plain)
    grads_ck, kept_ck, peak_ck = _retained_and_peak(checkpointed)
    for (dW, db), (dW_ck, db_ck) in zip(grads, grads_ck):
        np.testing.assert_array_equal(dW_ck, dW)
    # What remains after the step is the gradients, one per parameter, in both cases.
    assert abs(kept_plain - kept_ck) < 4096        # up to a few small Python objects
    layer = 8 * 128 * 128
    # Plain keeps Z and H of 16 hidden layers (32 arrays); k = 4 keeps 4 checkpoints and
    # rebuilds one segment of 4 layers (7 arrays) at a time; backward adds a few temporaries.
    assert peak_plain - kept_plain > 32 * layer
    assert peak_ck - kept_ck < 0.6 * (peak_plain - kept_plain)
