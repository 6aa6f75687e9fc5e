#pragma once

#include <QStringList>

#include <cstdio>

namespace Fleet::Cli {

// fleetdesk-cli's exit codes (docs/CLI.md).
enum ExitCode {
    Success = 0,
    Failure = 1, // the cloud, the store or a timeout: a message names what is missing
    Usage = 2, // bad usage, an unknown id or name: one clear line
};

// Runs one command line (arguments[0] is the program) and returns its exit
// code. Results go to out (or --output), messages and progress to err. Needs
// a QCoreApplication; runs its event loop while it waits for the cloud.
int run(const QStringList &arguments, std::FILE *out, std::FILE *err);

} // namespace Fleet::Cli
