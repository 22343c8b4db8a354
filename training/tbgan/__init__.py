"""Python tools of tbgan-serve: official-checkpoint conversion and training (see training/README.md)."""
