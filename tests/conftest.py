"""Shared test set-up: a reproducible hypothesis profile and a log of every gradient check.

Every gradient check states its own tolerance, set from the mathematics of the check and the
error observed (see each call); `rounding_floor` bounds what rounding alone adds. The log keeps
the worst relative error of each gradient check and how many random draws were
redrawn because they sat on a ReLU kink; pytest prints it at the end of every run (the closing
note of the book quotes the worst error) and stores it in the pytest cache under
`layerwise/gradcheck` (read it with `pytest --cache-show layerwise/gradcheck`).
"""

import warnings
from collections import Counter
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import settings

from layerwise import rel_error

# derandomize: every run tries the same examples, so a failure is reproducible and CI is stable.
settings.register_profile("layerwise", derandomize=True, max_examples=60, deadline=None)
settings.load_profile("layerwise")

@contextmanager
def _no_float_trouble():
    """Every warning, and numpy overflow/invalid/divide-by-zero, becomes an error inside the block.

    Underflow is left alone on purpose: exp(-1e4) rounds to 0, which is the correctly rounded value
    (the exact limit), and numpy does not warn about it by default.
    """
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="session")     # stateless, so hypothesis tests may use it too
def no_float_trouble():
    """`with no_float_trouble(): ...` fails on any numpy warning or overflow in the block."""
    return _no_float_trouble


class GradcheckLog:
    """Worst relative error per gradient check, and the number of draws and kink redraws."""

    def __init__(self):
        self.worst = {}
        self.checks = Counter()
        self.draws = Counter()
        self.redraws = Counter()

    def check(self, name, analytic, numeric, tol, floor=0.0):
        """Assert ‖analytic − numeric‖ <= tol·(‖analytic‖ + ‖numeric‖) + floor and record the relative error.

        tol is the relative tolerance of this check (each call site says why it is what it is); floor,
        from `rounding_floor`, is what rounding alone can contribute. Returns the relative error.
        """
        assert np.shape(analytic) == np.shape(numeric), f"{name}: shapes {np.shape(analytic)} != {np.shape(numeric)}"
        a, b = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
        err = rel_error(a, b)
        self.checks[name] += 1
        self.worst[name] = max(err, self.worst.get(name, 0.0))
        gap, scale = np.linalg.norm(a - b), np.linalg.norm(a) + np.linalg.norm(b)
        assert gap <= tol * scale + floor, (f"{name}: relative error {err:.3e} is not below {tol:g}"
                                            + (f" (plus the rounding floor {floor:.1e})" if floor else ""))
        return err

    def summary_lines(self):
        lines = []
        for name in sorted(self.worst):
            line = f"{name:<40} checks {self.checks[name]:>4}  worst rel. error {self.worst[name]:.2e}"
            if self.draws[name]:
                line += f"  (kink redraws {self.redraws[name]} of {self.draws[name]} draws)"
            lines.append(line)
        overall = max(self.worst.values())
        lines.append(f"{'all gradient checks':<40} checks {sum(self.checks.values()):>4}  worst rel. error {overall:.2e}")
        return lines


_LOG_KEY = pytest.StashKey[GradcheckLog]()


def pytest_configure(config):
    config.stash[_LOG_KEY] = GradcheckLog()


@pytest.fixture
def gradlog(request):
    """The session's GradcheckLog: `gradlog.check(name, analytic, numeric, tol)` asserts and records."""
    return request.config.stash[_LOG_KEY]


def pytest_terminal_summary(terminalreporter, config):
    log = config.stash.get(_LOG_KEY, None)
    if log is None or not log.worst:
        return
    terminalreporter.section("gradient checks (backprop vs numerical_gradient, float64)")
    for line in log.summary_lines():
        terminalreporter.write_line(line)
    if getattr(config, "cache", None) is not None:
        config.cache.set("layerwise/gradcheck", {
            "worst": log.worst, "checks": dict(log.checks),
            "draws": dict(log.draws), "redraws": dict(log.redraws),
        })
