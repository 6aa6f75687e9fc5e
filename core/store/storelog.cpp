#include "storelog.h"

Q_LOGGING_CATEGORY(lcStore, "fleet.store", QtInfoMsg)
