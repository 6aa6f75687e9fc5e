# ui/map: the map widget's interaction
