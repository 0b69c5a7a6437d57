"""The protection gate end to end: an adversarial corpus published through the real path."""
