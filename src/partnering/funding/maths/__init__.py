"""Pure arithmetic of the funding room (no Django): money splits, scores, progress."""
