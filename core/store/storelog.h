#pragma once

#include <QLoggingCategory>

// The store's logging category ("fleet.store"). Kept beside the store so that
// util/logging.h stays the home of the categories every layer shares.
Q_DECLARE_LOGGING_CATEGORY(lcStore)
