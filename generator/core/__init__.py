"""Load, check and the corpus."""
