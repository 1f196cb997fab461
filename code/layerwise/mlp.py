"""MLP: a thin class over init_params, forward, backward and train."""

import numpy as np

from ._checks import check_rng
from .activations import get_activation
from .initializers import init_params
from .network import backward, forward, forward_inference
from .softmax import softmax
from .training import evaluate, train


class MLP:
    """A multilayer perceptron with layer sizes [d, h_1, ..., p]; hidden layers use `activation`.

    Parameters live in `self.params` as [(W, b), ...]; every method calls the package's functions.
    """

    def __init__(self, sizes, activation="relu", init="he", *, rng, dtype=np.float64, scale=0.01):
        check_rng(rng)
        get_activation(activation)            # fail early on an unknown name
        self.sizes = list(sizes)
        self.activation = activation
        self.params = init_params(sizes, rng, init=init, dtype=dtype, scale=scale)

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, activation={self.activation!r})"

    def forward(self, X):
        """O: (n, p) logits and the caches for backward. X: (n, d)."""
        return forward(self.params, X, self.activation)

    def backward(self, dO, caches):
        """[(dW, db), ...] for every layer, given dO: (n, p) and caches from forward."""
        return backward(dO, caches)

    def predict(self, X):
        """Predicted labels (n,): argmax of the logits, no softmax needed."""
        return forward_inference(self.params, X, self.activation).argmax(axis=1)

    def predict_proba(self, X):
        """Class probabilities softmax(O): (n, p)."""
        return softmax(forward_inference(self.params, X, self.activation))

    def score(self, X, y):
        """Accuracy on X: (n, d), y: (n,)."""
        return evaluate(self.params, X, y, self.activation)[1]

    def fit(self, X, y, *, rng, lr=0.1, epochs=10, batch_size=32, **kwargs):
        """Train in place by minibatch SGD; returns the History (see layerwise.train)."""
        return train(self.params, X, y, rng=rng, activation=self.activation, lr=lr,
                     epochs=epochs, batch_size=batch_size, **kwargs)

    @property
    def n_params(self):
        """Number of trainable numbers: Σ_l (fan_in + 1) · fan_out."""
        return sum(W.size + b.size for W, b in self.params)
