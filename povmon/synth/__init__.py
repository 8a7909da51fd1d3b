"""Synthetic city generator: reference list, messy monthly village returns, and the truth behind them."""
from povmon.synth.city import generate_city

__all__ = ["generate_city"]
