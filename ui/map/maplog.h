#pragma once

#include <QLoggingCategory>

// The map's logging category: tile sources, the offline basemap, the tile layer.
Q_DECLARE_LOGGING_CATEGORY(lcMap)
