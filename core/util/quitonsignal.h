#pragma once

class QCoreApplication;

namespace Fleet {

// SIGINT and SIGTERM make the event loop quit (so destructors run, files are
// flushed and the process exits 0) instead of killing the process. The
// handler itself only writes a byte to a non-blocking socket pair; the loop
// does the rest. Calling it again is harmless. (Windows: Ctrl+C only; closing
// the console window is not handled.)
void quitOnTerminationSignals(QCoreApplication *app);

} // namespace Fleet
