#pragma once

#include "sim/simcommandapi.h"
#include "sim/simcontext.h"
#include "sim/simdeviceapi.h"
#include "sim/simfenceapi.h"
#include "sim/simmediaapi.h"
#include "sim/simtrackingapi.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>

namespace Fleet::Sim {

class FaultInjector;
class SimAuth;

// The Open API as the cloud runs it, without the HTTP around it: checks the
// common parameters in the real service's order (method, form, missing
// parameters, app key, version, timestamp, signature, method name, token),
// answers the token methods and dispatches every other method to its handler.
class SimOpenApi
{
public:
    struct Outcome
    {
        SimReply reply;
        QString method; // as sent; empty when there was none
    };
    struct GatewayOutcome
    {
        QJsonObject body;
        int code = 0;
    };

    SimOpenApi(const SimContext &ctx, SimAuth *auth, FaultInjector *faults, std::function<QDateTime()> fleetNow);
    Q_DISABLE_COPY_MOVE(SimOpenApi)

    // POST /route/rest. The body is a form; query parameters are merged in
    // (servlet getParameter semantics, api-field-notes §1.4).
    Outcome handle(bool isPost, const QByteArray &body, const QByteArray &query);

    // POST /api/device/sendInstruct (reference Appendix A).
    GatewayOutcome handleGateway(bool isPost, const QByteArray &body);

    QStringList methods() const;
    bool knowsMethod(const QString &method) const;

private:
    Outcome dispatch(const ApiParams &params);
    SimReply tokenGet(const SimCall &call, const QString &appKey);
    SimReply tokenRefresh(const SimCall &call, const QString &appKey);
    SimCall makeCall(const QString &method, const ApiParams &params) const;

    SimContext m_ctx;
    SimAuth *m_auth;
    FaultInjector *m_faults;
    std::function<QDateTime()> m_fleetNow;

    SimDeviceApi m_devices;
    SimTrackingApi m_tracking;
    SimMediaApi m_media;
    SimCommandApi m_commands;
    SimFenceApi m_fences;
    SimHandlerTable m_handlers;
};

} // namespace Fleet::Sim
