"""layerwise: the NumPy neural-network package of the book *Layer by Layer*.

Row convention everywhere: Z = H @ W + b with W: (fan_in, fan_out) and b: (fan_out,).
Importing this package needs only NumPy; `layerwise.plots` and `layerwise.widgets` add
matplotlib and ipywidgets.
"""

from . import data
from .activations import (ACTIVATIONS, get_activation, get_grad_from_output, identity, identity_grad, relu,
                          relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad)
from .gradcheck import numerical_gradient, rel_error
from .initializers import INITS, init_params
from .layers import linear_backward, linear_forward
from .losses import softmax_cross_entropy
from .memory import cache_nbytes, minimum_cache_bytes, predicted_cache_bytes
from .mlp import MLP
from .network import LayerCache, backward, forward, forward_inference
from .softmax import log_softmax, one_hot, predict, softmax
from .training import History, evaluate, iterate_minibatches, sgd_step, train

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "INITS", "History", "LayerCache", "MLP", "backward", "cache_nbytes", "data", "evaluate", "forward",
    "forward_inference", "get_activation", "get_grad_from_output", "identity", "identity_grad", "init_params",
    "iterate_minibatches", "linear_backward", "linear_forward", "log_softmax", "minimum_cache_bytes",
    "numerical_gradient", "one_hot", "predict", "predicted_cache_bytes", "rel_error", "relu", "relu_grad", "sgd_step",
    "sigmoid", "sigmoid_grad", "softmax", "softmax_cross_entropy", "tanh", "tanh_grad", "train",
]
