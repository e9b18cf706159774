"""Glassbox: a game that trains a tiny neural network in a glass box."""

__version__ = "0.1.0"
