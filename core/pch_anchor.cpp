// Anchors the precompiled header shared by the core layers.
