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


def fit_signed(X, y, signs: tuple[int, ...], l2: float = 1.0) -> Logistic:
    """``fit`` with each feature's weight of the sign its meaning gives it (+1: more of it, more
    likely; -1: less likely): two features that measure nearly the same thing can take opposite
    signs in a free fit. An active-set search (Lawson and Hanson's, for logistic loss): the feature
    weighed most against its meaning is left out (weight 0) and the rest refitted; a left-out
    feature comes back when moving its weight in its own direction would lower the loss."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    scaled = (X - X.mean(0)) / np.where(X.std(0) == 0, 1.0, X.std(0))
    keep, signed = list(range(X.shape[1])), None
    for _ in range(4 * X.shape[1] + 4):   # each feature leaves and comes back a few times at most
        model = fit(X[:, keep], y, l2)
        against = {k: model.weights[1 + j] * signs[k] for j, k in enumerate(keep)}
        worst = min(keep, key=against.__getitem__, default=None)
        if worst is not None and against[worst] < 0:
            keep.remove(worst)
            continue
        signed = (model, list(keep))
        # the loss's slope along each left-out feature's own direction (negative: it would help)
        residual = model.probability(X[:, keep]) - y
        slope = {k: float(residual @ scaled[:, k]) * signs[k] for k in range(X.shape[1]) if k not in keep}
        best = min(slope, key=slope.__getitem__, default=None)
        if best is None or slope[best] >= -1e-6 * len(y):
            break
        keep.append(best)
    model, keep = signed if signed is not None else (fit(X[:, []], y, l2), [])
    weights, means, scales = [model.weights[0]] + [0.0] * X.shape[1], [0.0] * X.shape[1], [1.0] * X.shape[1]
    for j, k in enumerate(keep):
        weights[1 + k], means[k], scales[k] = model.weights[1 + j], model.means[j], model.scales[j]
    return Logistic(tuple(weights), tuple(means), tuple(scales))


def fit_listwise(groups, l2: float = 1.0, iterations: int = 100) -> Logistic:
    """A conditional logit: per group (one question's candidates), softmax over the rows' scores,
    fitted so the rows marked 1 come first (each positive an equal share of its group's target).
    It learns an order within each question, not a probability across questions; stored as a
    Logistic with intercept 0 (its probability is monotone in the score). Newton's method with
    the step halved until the loss falls: a full step overshoots when a feature nearly separates."""
    groups = [(np.asarray(X, float), np.asarray(y, float)) for X, y in groups]
    X_all = np.vstack([X for X, _ in groups])
    means, scales = X_all.mean(0), X_all.std(0)
    scales[scales == 0] = 1.0
    scaled = [((X - means) / scales, y / y.sum()) for X, y in groups]
    w = np.zeros(X_all.shape[1])
    loss = _listwise_loss(scaled, w, l2)
    for _ in range(iterations):
        gradient, hessian = l2 * w, l2 * np.eye(len(w))
        for Z, target in scaled:
            p = _softmax(Z @ w)
            mean = p @ Z
            gradient -= target @ Z - mean
            hessian += (Z * p[:, None]).T @ Z - np.outer(mean, mean)
        step = np.linalg.solve(hessian, gradient)
        for _ in range(30):
            trial = _listwise_loss(scaled, w - step, l2)
            if trial <= loss:
                break
            step = step / 2
        w, loss = w - step, min(trial, loss)
        if np.abs(step).max() < 1e-9:
            break
    return Logistic((0.0, *w), tuple(means), tuple(scales))


def _softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max())
    return e / e.sum()


def _listwise_loss(scaled, w: np.ndarray, l2: float) -> float:
    loss = l2 / 2 * float(w @ w)
    for Z, target in scaled:
        s = Z @ w
        top = s.max()
        loss -= float(target @ s) - (top + np.log(np.exp(s - top).sum()))
    return loss
