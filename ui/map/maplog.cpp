#include "maplog.h"

Q_LOGGING_CATEGORY(lcMap, "fleet.map", QtInfoMsg)
