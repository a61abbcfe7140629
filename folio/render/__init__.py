"""Renderers: one thin module per format, all reading the same Book model."""
