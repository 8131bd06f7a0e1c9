"""Trained models shipped with nmnlp (found through nmnlp.resources)."""
