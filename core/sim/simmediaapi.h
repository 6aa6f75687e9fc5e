#pragma once

#include "sim/simcontext.h"

namespace Fleet::Sim {

struct SimDevice;

// Dashcam (DVR) methods of the reference §7: live page and stream URLs,
// photo/video capture, the two-step history list and history playback.
// Non-DVR devices and offline DVRs answer the errors the field notes show.
class SimMediaApi
{
public:
    explicit SimMediaApi(const SimContext &ctx);

    void registerMethods(SimHandlerTable &table);

    // First camera channel of a DVR: Concox-protocol models count from 0,
    // JT/T 1078 models from 1 (api-field-notes §4).
    static int firstChannel(const QString &model);

private:
    SimReply livePageUrl(const SimCall &call);
    SimReply mediaCommand(const SimCall &call);
    SimReply historyCommand(const SimCall &call);
    SimReply mediaUrl(const SimCall &call);
    SimReply eventUrl(const SimCall &call);
    SimReply liveStream(const SimCall &call);
    SimReply historyListCommand(const SimCall &call);
    SimReply historyListGet(const SimCall &call);
    SimReply historyStream(const SimCall &call);
    SimReply closeStream(const SimCall &call);

    // A DVR that is online (or nullopt and *index set); otherwise the error.
    std::optional<SimReply> dashcam(const SimCall &call, int *index, bool mustBeOnline = true) const;
    std::optional<SimReply> channel(const SimCall &call, int index, int *channel) const;
    QString fileUrl(const QString &fileKey) const;
    // Opens a stream in the cloud's books and grants its URL on the media
    // server (see SimStreamServer).
    QString openStream(const SimDevice &device, int channel, const QString &appId, bool history, qint64 durationMs);

    SimContext m_ctx;
};

} // namespace Fleet::Sim
