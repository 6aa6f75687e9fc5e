#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace Fleet {

// Why an API call did not produce a value. Every failure of the client ends in
// one of these; none is signalled by an exception or an empty value.
struct ApiError
{
    enum class Kind {
        Network, // connection refused, reset, DNS, TLS
        Timeout, // no complete answer within the method's timeout
        Http, // a non-2xx HTTP status
        Api, // the cloud answered with a non-zero code
        TokenInvalid, // 1004 that survived a refresh and a retry
        RateLimited, // 1006 / -1 that survived the back-off retries
        MalformedResponse, // the body is not what the method promises
        InvalidArgument, // the call was refused before anything was sent
        Cancelled, // the client was destroyed or the call aborted
    };

    ApiError() = default;
    ApiError(Kind k, int code, int http, QString methodName, QString text, QString detailCode = {})
        : kind(k)
        , apiCode(code)
        , httpStatus(http)
        , method(std::move(methodName))
        , message(std::move(text))
        , detail(std::move(detailCode))
    { }

    Kind kind = Kind::Api;
    int apiCode = 0; // the cloud's code, where there was one
    int httpStatus = 0;
    QString method; // jimi.* method the error belongs to
    QString message; // human-readable; the cloud's message verbatim where it gave one
    QString detail; // device-level result code inside the answer (228 offline, 226, ...)

    bool isTransient() const;
    QString toString() const;
    static QString kindName(Kind kind);
};

// Well-known cloud result codes (api-field-notes §2.13).
namespace ApiCode {
constexpr int Success = 0;
constexpr int SystemBusy = -1;
constexpr int ParameterError = 1001;
constexpr int IllegalUserOrDevice = 1002;
constexpr int RepeatOperation = 1003;
constexpr int TokenException = 1004;
constexpr int IpLimit = 1005;
constexpr int TooFrequent = 1006;
constexpr int WrongRequestMethod = 1007;
constexpr int AbnormalIncoming = 1008;
constexpr int BusinessException = 1100;
constexpr int FenceNameExists = 1114;
constexpr int HistoryListNotReady = 1207;
} // namespace ApiCode

// A value or the reason there is none.
template<typename T>
class Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    { }
    Result(ApiError error)
        : m_data(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const ApiError &error() const { return std::get<ApiError>(m_data); }

private:
    std::variant<T, ApiError> m_data;
};

// For calls whose success carries nothing.
struct Done
{
    friend bool operator==(const Done &, const Done &) = default;
};

} // namespace Fleet
