#pragma once

#include <functional>

class QCoreApplication;

namespace Fleet {

// SIGINT and SIGTERM make the event loop quit (so destructors run, files are
// flushed and the process exits 0) instead of killing the process. The
// handler itself only writes a byte to a non-blocking socket pair; the loop
// does the rest. Calling it again is harmless. (Windows: Ctrl+C only; closing
// the console window is not handled.)
void quitOnTerminationSignals(QCoreApplication *app);

// What a SIGINT or SIGTERM does instead of quitting the event loop (a
// command that must still talk to the cloud before it ends: quitting the
// application would stop every event loop it starts afterwards). Empty:
// quit again. Needs quitOnTerminationSignals() first.
void setTerminationHandler(std::function<void()> handler);

} // namespace Fleet
