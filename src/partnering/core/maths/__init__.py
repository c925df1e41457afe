"""Pure arithmetic more than one room uses (no Django, no ``partnering`` import): the lowest
layer, so any room may call it."""
