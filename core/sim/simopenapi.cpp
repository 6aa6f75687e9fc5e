#include "simopenapi.h"

#include "sim/faultinjector.h"
#include "sim/simauth.h"
#include "sim/simserverconfig.h"
#include "sim/simsupport.h"
#include "util/bytes.h"
#include "util/clock.h"
#include "util/logging.h"

namespace Fleet::Sim {

using namespace SimSupport;

namespace {

constexpr QLatin1String kTokenGet("jimi.oauth.token.get");
constexpr QLatin1String kTokenRefresh("jimi.oauth.token.refresh");
// No parameter of the API needs more (a polygon of some 800 points does
// not); what handlers keep stays bounded with it.
constexpr qsizetype kMaxValueChars = 16 * 1024;

std::optional<ApiParams> decodeParams(const QByteArray &body, const QByteArray &query, QString *error)
{
    std::optional<ApiParams> params = FormCodec::decode(body, error);
    if (!params)
        return std::nullopt;
    if (query.isEmpty())
        return params;
    const std::optional<ApiParams> fromQuery = FormCodec::decode(query, error);
    if (!fromQuery)
        return std::nullopt;
    for (auto it = fromQuery->cbegin(); it != fromQuery->cend(); ++it) {
        if (params->contains(it.key())) {
            *error = QStringLiteral("parameter '%1' given more than once").arg(it.key());
            return std::nullopt;
        }
        params->insert(it.key(), it.value());
    }
    return params;
}

SimReply tokenException()
{
    return SimReply::error(1004, QStringLiteral("Illegal access, token exception!"));
}

} // namespace

SimOpenApi::SimOpenApi(const SimContext &ctx, SimAuth *auth, FaultInjector *faults, std::function<QDateTime()> fleetNow)
    : m_ctx(ctx)
    , m_auth(auth)
    , m_faults(faults)
    , m_fleetNow(std::move(fleetNow))
    , m_devices(ctx)
    , m_tracking(ctx)
    , m_media(ctx)
    , m_commands(ctx)
    , m_fences(ctx)
{
    m_devices.registerMethods(m_handlers);
    m_tracking.registerMethods(m_handlers);
    m_media.registerMethods(m_handlers);
    m_commands.registerMethods(m_handlers);
    m_fences.registerMethods(m_handlers);
}

QStringList SimOpenApi::methods() const
{
    QStringList names = m_handlers.keys();
    names << QString(kTokenGet) << QString(kTokenRefresh);
    names.sort();
    return names;
}

bool SimOpenApi::knowsMethod(const QString &method) const
{
    return method == kTokenGet || method == kTokenRefresh || m_handlers.contains(method);
}

SimCall SimOpenApi::makeCall(const QString &method, const ApiParams &params) const
{
    SimCall call;
    call.method = method;
    call.params = params;
    call.realNow = m_ctx.clock->nowUtc();
    call.fleetNow = m_fleetNow();
    return call;
}

SimOpenApi::Outcome SimOpenApi::handle(bool isPost, const QByteArray &body, const QByteArray &query)
{
    if (!isPost)
        return {SimReply::error(1007, QStringLiteral("Wrong request method")), {}};
    QString error;
    const std::optional<ApiParams> params = decodeParams(body, query, &error);
    if (!params)
        return {SimReply::badParam(QStringLiteral("Parameter validation: ") + error), {}};
    for (auto it = params->cbegin(); it != params->cend(); ++it) {
        if (it.value().size() > kMaxValueChars || it.key().size() > 256) {
            return {SimReply::badParam(QStringLiteral("Parameter validation: %1 is too long").arg(it.key().left(64))),
                    params->value(QStringLiteral("method"))};
        }
    }
    return dispatch(*params);
}

SimOpenApi::Outcome SimOpenApi::dispatch(const ApiParams &params)
{
    const QString method = params.value(QStringLiteral("method"));
    const auto fail = [&method](const SimReply &reply) { return Outcome{reply, method}; };

    static const QStringList common = {QStringLiteral("method"),    QStringLiteral("app_key"),
                                       QStringLiteral("timestamp"), QStringLiteral("sign_method"),
                                       QStringLiteral("v"),         QStringLiteral("format")};
    for (const QString &key : common) {
        if (params.value(key).isEmpty())
            return fail(SimReply::badParam(QStringLiteral("Parameter validation: %1 is required").arg(key)));
    }
    const QString appKey = params.value(QStringLiteral("app_key"));
    // An unknown app key is an illegal user (1002); the docs show no example.
    if (!m_auth->knowsAppKey(appKey))
        return fail(SimReply::error(1002, QStringLiteral("Illegal user, app_key does not exist")));

    const QString version = params.value(QStringLiteral("v"));
    if (version != QLatin1String("1.0") && version != QLatin1String("0.9"))
        return fail(SimReply::badParam(QStringLiteral("Parameter validation: v must be 1.0 or 0.9")));
    // v=0.9: "Using 0.9 will not perform Sign signature verification".
    const bool checkSign = version == QLatin1String("1.0");
    if (checkSign && params.value(QStringLiteral("sign")).isEmpty())
        return fail(SimReply::badParam(QStringLiteral("Parameter validation: sign is required")));
    if (params.value(QStringLiteral("format")).compare(QLatin1String("json"), Qt::CaseInsensitive) != 0)
        return fail(SimReply::badParam(QStringLiteral("Parameter validation: format must be json")));
    if (params.value(QStringLiteral("sign_method")).compare(QLatin1String("md5"), Qt::CaseInsensitive) != 0)
        return fail(SimReply::badParam(QStringLiteral("Parameter validation: sign_method must be md5")));

    const QString timestamp = params.value(QStringLiteral("timestamp"));
    const std::optional<QDateTime> sentAt = parseTime(timestamp);
    const QDateTime now = m_ctx.clock->nowUtc();
    if (!sentAt || qAbs(sentAt->secsTo(now)) > m_ctx.config->timestampToleranceSecs)
        return fail(SimReply::badParam(QStringLiteral("timestamp %1 is invalid").arg(timestamp)));

    if (checkSign) {
        // No public source shows the code for a bad signature (field notes
        // §8.11); 1001 "Illegal sign" is our choice. The comparison is exact:
        // the official signer emits upper-case hex.
        const QString expected = ApiSigner::sign(params, m_auth->secret());
        if (!Bytes::equalsConstantTime(expected.toLatin1(), params.value(QStringLiteral("sign")).toUtf8()))
            return fail(SimReply::badParam(QStringLiteral("Illegal sign")));
    }

    const bool isTokenGet = method == kTokenGet;
    const bool isRefresh = method == kTokenRefresh;
    const auto handler = m_handlers.constFind(method);
    // The code for an unknown method is undocumented too: 1001 "Invalid method".
    if (!isTokenGet && !isRefresh && handler == m_handlers.cend())
        return fail(SimReply::badParam(QStringLiteral("Invalid method")));

    SimCall call = makeCall(method, params);
    if (!isTokenGet && !isRefresh) {
        const SimAuth::Token *token = m_auth->validate(appKey, params.value(QStringLiteral("access_token")));
        if (!token)
            return fail(tokenException());
        call.userId = token->userId;
    }
    if (const auto injected = m_faults->errorFor(method))
        return fail(SimReply::error(injected->code, injected->message));

    if (isTokenGet)
        return {tokenGet(call, appKey), method};
    if (isRefresh)
        return {tokenRefresh(call, appKey), method};
    return {(*handler)(call), method};
}

namespace {

QJsonObject tokenJson(const SimAuth::Token &t, const QDateTime &now)
{
    return QJsonObject{
        {QStringLiteral("appKey"), t.appKey},
        {QStringLiteral("account"), t.userId},
        {QStringLiteral("accessToken"), t.accessToken},
        {QStringLiteral("expiresIn"), t.expiresIn}, // a number, as in the sample
        {QStringLiteral("refreshToken"), t.refreshToken},
        {QStringLiteral("time"), formatTime(now)},
    };
}

// Required by the reference (§3.1, §3.2), so a missing value is 1001.
std::optional<SimReply> parseExpiresIn(const SimCall &call, int *secs)
{
    const QString text = call.param("expires_in");
    if (text.isEmpty())
        return SimReply::badParam(QStringLiteral("Parameter validation: expires_in is required"));
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok)
        return SimReply::badParam(QStringLiteral("Parameter validation: expires_in must be an integer"));
    // Out-of-range lifetimes are clamped to 60..7200 rather than refused.
    *secs = SimAuth::clampExpiresIn(v);
    return std::nullopt;
}

} // namespace

SimReply SimOpenApi::tokenGet(const SimCall &call, const QString &appKey)
{
    if (auto err = require(call, {QStringLiteral("user_id"), QStringLiteral("user_pwd_md5")}))
        return *err;
    int expiresIn = 0;
    if (auto err = parseExpiresIn(call, &expiresIn))
        return *err;
    const SimAuth::Issued issued = m_auth->issue(appKey, call.param("user_id"), call.param("user_pwd_md5"), expiresIn);
    switch (issued.outcome) {
    case SimAuth::Outcome::Ok:
        qCDebug(lcSim) << "token issued for" << call.param("user_id") << redact(issued.token.accessToken);
        return SimReply::ok(tokenJson(issued.token, call.realNow));
    case SimAuth::Outcome::TooFrequent:
        return SimReply::error(1006, QStringLiteral("Too frequent, please try again later"));
    case SimAuth::Outcome::BadCredentials:
    case SimAuth::Outcome::BadRefresh: break;
    }
    // The notes show this message with a placeholder code; 1002 is the
    // documented "illegal user" code.
    return SimReply::error(1002, QStringLiteral("Incorrect user name or password"));
}

SimReply SimOpenApi::tokenRefresh(const SimCall &call, const QString &appKey)
{
    if (auto err = require(call, {QStringLiteral("access_token"), QStringLiteral("refresh_token")}))
        return *err;
    int expiresIn = 0;
    if (auto err = parseExpiresIn(call, &expiresIn))
        return *err;
    const SimAuth::Issued issued = m_auth->refresh(appKey, call.param("access_token"), call.param("refresh_token"),
                                                   expiresIn);
    if (issued.outcome != SimAuth::Outcome::Ok) {
        // The notes' wording, with its full-width comma.
        return SimReply::error(1004, QStringLiteral("Illegal request\uff0ctoken is invalid"));
    }
    return SimReply::ok(tokenJson(issued.token, call.realNow));
}

SimOpenApi::GatewayOutcome SimOpenApi::handleGateway(bool isPost, const QByteArray &body)
{
    const auto fail = [](int code, const QString &msg) {
        return GatewayOutcome{QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("msg"), msg}}, code};
    };
    if (!isPost)
        return fail(1007, QStringLiteral("Wrong request method"));
    QString error;
    const std::optional<ApiParams> params = FormCodec::decode(body, &error);
    if (!params)
        return fail(1001, QStringLiteral("Parameter validation: ") + error);
    const SimAuth::Token *token = m_auth->validate(params->value(QStringLiteral("token")));
    if (!token)
        return fail(1004, QStringLiteral("Illegal access, token exception!"));
    SimCall call = makeCall(QStringLiteral("sendInstruct"), *params);
    call.userId = token->userId;
    if (const auto injected = m_faults->errorFor(call.method))
        return fail(injected->code, injected->message);
    const QJsonObject answer = m_commands.gateway(call);
    return {answer, answer.value(QStringLiteral("code")).toInt()};
}

} // namespace Fleet::Sim
