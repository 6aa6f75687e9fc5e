#pragma once

class QCoreApplication;

namespace Fleet {

// SIGINT and SIGTERM make the event loop quit (so destructors run, files are
// flushed and the process exits 0) instead of killing the process. The
// handler itself only writes a byte to a socket pair; the loop does the rest.
void quitOnTerminationSignals(QCoreApplication *app);

} // namespace Fleet
