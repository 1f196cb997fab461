"""Tests of the package as a whole: the public names exist, and `import layerwise` needs only NumPy."""

import subprocess
import sys

import layerwise

PUBLIC = """ACTIVATIONS INITS History LayerCache MLP backward cache_nbytes data evaluate forward forward_inference
get_activation get_grad_from_output identity identity_grad init_params iterate_minibatches linear_backward
linear_forward log_softmax minimum_cache_bytes numerical_gradient one_hot predict predicted_cache_bytes rel_error
relu relu_grad sgd_step sigmoid sigmoid_grad softmax softmax_cross_entropy tanh tanh_grad train""".split()


def test_public_api_is_exported():
    for name in PUBLIC:
        assert hasattr(layerwise, name), name
    assert set(PUBLIC) <= set(layerwise.__all__)
    assert all(hasattr(layerwise, name) for name in layerwise.__all__)
    assert isinstance(layerwise.__version__, str)


def test_import_needs_only_numpy():
    # A fresh interpreter: this test process may already have imported matplotlib or sklearn.
    code = ("import sys, layerwise, layerwise.data; "
            "print(sorted(m for m in ('matplotlib', 'isal', 'ipywidgets', 'sklearn', 'scipy', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
