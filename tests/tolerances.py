"""What rounding alone contributes to a centred-difference gradient check (used with gradlog.check)."""

import numpy as np

EPS = float(np.finfo(np.float64).eps)
H_STEP = 1e-5            # the step of every numerical_gradient call in the gradient checks


def rounding_floor(n_entries, loss, h=H_STEP):
    """Bound on ‖numeric − exact‖ that comes from rounding alone, for a centred difference of `loss`.

    Each entry (f(x + h) − f(x − h)) / 2h subtracts two values that are each rounded to a few ε·|f|,
    so it carries about c·ε·|f|/h of error; over n_entries independent entries the norm grows like
    √n_entries. The network checks observed c ≤ 1.6 (tests/test_network.py); 8 leaves a 5× margin.
    This floor matters only for gradients whose norm is near it (~1e-9): for ‖g‖ ~ 1 it is far below
    the relative tolerance, so it cannot hide a wrong gradient.
    """
    return 8 * np.sqrt(n_entries) * EPS * max(abs(float(loss)), 1.0) / h
