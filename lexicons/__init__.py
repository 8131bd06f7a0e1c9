"""Rule files shipped with nmnlp (found through nmnlp.resources)."""
