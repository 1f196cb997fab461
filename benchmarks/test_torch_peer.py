"""PyTorch, the optional peer of the training benchmark, does the same work as `layerwise.train`.

Run by `make bench` after it installs the peers (torch is not a requirement of the book, so this
file lives beside the benchmarks, outside the `tests/` that `make test` runs).
"""

import sys
from pathlib import Path

import numpy as np
import torch

import layerwise as lw

sys.path.insert(0, str(Path(__file__).resolve().parent))

import training  # noqa: E402


def test_torch_peer_takes_the_same_minibatches_as_layerwise_train():
    X, y = lw.data.load_digits()
    X, y = X[:256], y[:256]
    cfg = dict(training.TASKS["digits"], epochs=2, batch_size=64)
    params0 = lw.init_params(cfg["sizes"], np.random.default_rng(1))
    model = training.torch_fit(training.torch_model(params0), X, y, cfg, seed=5)
    params = training.copy_params(params0)
    lw.train(params, X, y, rng=np.random.default_rng(5), lr=cfg["lr"], epochs=2, batch_size=64)
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for (W, b), lin in zip(params, linears):
        assert lw.rel_error(W, lin.weight.detach().numpy().T) <= 1e-12
        assert lw.rel_error(b, lin.bias.detach().numpy()) <= 1e-12
