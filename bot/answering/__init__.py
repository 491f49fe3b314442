"""Answering (no Discord): answers as data, question shapes, quotes, evaluation."""
