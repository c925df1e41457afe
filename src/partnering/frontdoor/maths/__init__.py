"""The front door's pure core: catalogue search, place resolution, point-in-polygon, routing."""
