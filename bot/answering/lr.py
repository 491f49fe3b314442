"""Logistic regression by IRLS (Newton's method) with a small L2 penalty, on standardised features.

Small on purpose: the answer-or-decline model has a handful of features and is fitted on a few
hundred labelled questions, in a second; its parameters are stored as JSON (no pickle).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Logistic:
    weights: tuple[float, ...]     # intercept first, then one per (standardised) feature
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def probability(self, X) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, float))
        z = (X - np.asarray(self.means)) / np.asarray(self.scales)
        w = np.asarray(self.weights)
        return 1.0 / (1.0 + np.exp(-(w[0] + z @ w[1:])))

    def to_json(self) -> dict:
        return {"weights": list(self.weights), "means": list(self.means), "scales": list(self.scales)}

    @classmethod
    def from_json(cls, data: dict) -> Logistic:
        return cls(tuple(map(float, data["weights"])), tuple(map(float, data["means"])),
                   tuple(map(float, data["scales"])))


def fit(X, y, l2: float = 1.0, iterations: int = 100) -> Logistic:
    X, y = np.asarray(X, float), np.asarray(y, float)
    means, scales = X.mean(0), X.std(0)
    scales[scales == 0] = 1.0
    A = np.hstack([np.ones((len(X), 1)), (X - means) / scales])
    w = np.zeros(A.shape[1])
    penalty = l2 * np.eye(A.shape[1])
    penalty[0, 0] = 0.0   # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(A @ w)))
        gradient = A.T @ (p - y) + penalty @ w
        hessian = A.T @ (A * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return Logistic(tuple(w), tuple(means), tuple(scales))
