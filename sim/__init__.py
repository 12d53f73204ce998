"""DrillCommand engine (placeholder while the public surface is written)."""
