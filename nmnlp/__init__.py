"""nmnlp: necrotizing myopathy findings from clinical notes."""

__version__ = "0.1.0"
