// Benchmarks of the API layer. Prints each figure next to the baseline it is
// measured against; run a Release build (cmake --preset release).
//
//   signatures/s  vs. a bare MD5 of a string of the same length
//   location.list parse of 10,000 devices vs. QJsonDocument::fromJson alone
//   target: the full parse into domain values in under 50 ms
//   JSON: simdjson under JsonDom vs. the parser of before (LegacyJson) on the
//   same input, and one object of 125,000 keys (the duplicate-key check)

#include "api/apienvelope.h"
#include "api/apiparsers.h"
#include "api/apisigner.h"
#include "util/jsondom.h"

#include "legacyjson.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Fleet;

namespace {

template<typename Fn>
double medianMs(int runs, Fn fn)
{
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        fn();
        t.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

QByteArray locationListBody(int devices)
{
    // The 2026 official sample's shape, numbers as strings where it has them.
    QJsonArray rows;
    for (int i = 0; i < devices; ++i) {
        QJsonObject o;
        o.insert(QStringLiteral("imei"), QStringLiteral("8601210%1").arg(i, 8, 10, QLatin1Char('0')));
        o.insert(QStringLiteral("deviceName"), QStringLiteral("VAN-%1").arg(i));
        o.insert(QStringLiteral("mcType"), QStringLiteral("VL802"));
        o.insert(QStringLiteral("icon"), QStringLiteral("car"));
        o.insert(QStringLiteral("status"), QStringLiteral("1"));
        o.insert(QStringLiteral("posType"), QStringLiteral("GPS"));
        o.insert(QStringLiteral("lat"), 48.8 + (i % 1000) * 1e-4);
        o.insert(QStringLiteral("lng"), 2.3 + (i / 1000) * 1e-3);
        o.insert(QStringLiteral("hbTime"), QStringLiteral("2026-03-26 11:25:38"));
        o.insert(QStringLiteral("accStatus"), QStringLiteral("1"));
        o.insert(QStringLiteral("gpsSignal"), QStringLiteral("4"));
        o.insert(QStringLiteral("powerValue"), QJsonValue());
        o.insert(QStringLiteral("batteryPowerVal"), QStringLiteral("4.06"));
        o.insert(QStringLiteral("speed"), QString::number(i % 90));
        o.insert(QStringLiteral("gpsNum"), QStringLiteral("11"));
        o.insert(QStringLiteral("gpsTime"), QStringLiteral("2026-03-26 11:25:30"));
        o.insert(QStringLiteral("direction"), QString::number(i % 360));
        o.insert(QStringLiteral("activationFlag"), QStringLiteral("1"));
        o.insert(QStringLiteral("expireFlag"), QStringLiteral("1"));
        o.insert(QStringLiteral("electQuantity"), QString());
        o.insert(QStringLiteral("locDesc"), QJsonValue());
        o.insert(QStringLiteral("distance"), QStringLiteral("-1"));
        o.insert(QStringLiteral("trackerOil"), QStringLiteral("0.00L"));
        o.insert(QStringLiteral("currentMileage"), QStringLiteral("1234.5678"));
        o.insert(QStringLiteral("account"), QStringLiteral("demo"));
        o.insert(QStringLiteral("iccid"), QStringLiteral("898608401024C0669758"));
        o.insert(QStringLiteral("confidence"), QJsonValue());
        rows.append(o);
    }
    QJsonObject env{{QStringLiteral("code"), 0},
                    {QStringLiteral("message"), QStringLiteral("success")},
                    {QStringLiteral("result"), rows},
                    {QStringLiteral("data"), QJsonValue()}};
    return QJsonDocument(env).toJson(QJsonDocument::Compact);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    // --- signing ---
    const ApiParams params{{QStringLiteral("app_key"),
                            QStringLiteral("8FB345B8693CCD00CE073CAB5F094009339A22A4105B6558")},
                           {QStringLiteral("format"), QStringLiteral("json")},
                           {QStringLiteral("method"), QStringLiteral("jimi.user.device.location.list")},
                           {QStringLiteral("sign_method"), QStringLiteral("md5")},
                           {QStringLiteral("timestamp"), QStringLiteral("2026-11-26 10:00:00")},
                           {QStringLiteral("access_token"), QStringLiteral("7da3330ec28e3996b6ef4a7e3390ba71")},
                           {QStringLiteral("target"), QStringLiteral("demo")},
                           {QStringLiteral("v"), QStringLiteral("1.0")}};
    const QString secret = QStringLiteral("c0aa0226fddc4365a3c67fef45427f8a");
    const QByteArray plain = ApiSigner::stringToSign(params, secret);
    const int n = 200000;
    int sink = 0; // consumed below so the work cannot be optimised away
    const double signMs = medianMs(5, [&] {
        for (int i = 0; i < n; ++i)
            sink += int(ApiSigner::sign(params, secret).size());
    });
    const double md5Ms = medianMs(5, [&] {
        for (int i = 0; i < n; ++i)
            sink += int(QCryptographicHash::hash(plain, QCryptographicHash::Md5).size());
    });
    std::printf("sign: %.0f signatures/s (baseline bare MD5 of the same %lld bytes: %.0f/s; overhead x%.2f)\n",
                n / (signMs / 1000.0), qlonglong(plain.size()), n / (md5Ms / 1000.0), signMs / md5Ms);

    // --- location.list parse ---
    const QByteArray body = locationListBody(10000);
    const double jsonMs = medianMs(9, [&] { sink += int(QJsonDocument::fromJson(body).isObject()); });
    const double domMs = medianMs(9, [&] { sink += int(JsonDom::parse(body).has_value()); });
    int parsed = 0;
    const double parseMs = medianMs(9, [&] {
        const Result<ApiEnvelope> env = ApiEnvelope::parse(body, QStringLiteral("jimi.user.device.location.list"));
        const Result<ApiList<DeviceLocation>> list = ApiParse::locations(env.value());
        parsed = int(list.value().items.size());
    });
    std::printf("location.list: %d devices (%.1f MB) parsed into domain values in %.1f ms median, of which "
                "%.1f ms JSON (baseline QJsonDocument::fromJson alone: %.1f ms; target < 50 ms: %s)\n",
                parsed, body.size() / 1e6, parseMs, domMs, jsonMs, parseMs < 50.0 ? "met" : "MISSED");
    const double legacyMs = medianMs(9, [&] { sink += int(LegacyJson::parse(body)); });
    std::printf("JSON, the same %.1f MB: simdjson under JsonDom %.1f ms, the parser of before %.1f ms "
                "(x%.2f), QJsonDocument %.1f ms\n",
                body.size() / 1e6, domMs, legacyMs, legacyMs / domMs, jsonMs);

    // --- one object of 125,000 keys: a push that means harm ---
    QByteArray keys = "{";
    for (int i = 0; i < 125000; ++i)
        keys += "\"key" + QByteArray::number(i) + "\":" + QByteArray::number(i) + (i + 1 < 125000 ? "," : "}");
    const double keysMs = medianMs(3, [&] { sink += int(JsonDom::parse(keys).has_value()); });
    const double legacyKeysMs = medianMs(1, [&] { sink += int(LegacyJson::parse(keys)); });
    std::printf("125,000 keys in one object (%.1f MB): simdjson under JsonDom %.1f ms (hash set), the parser of "
                "before %.1f ms (x%.0f)\n",
                keys.size() / 1e6, keysMs, legacyKeysMs, legacyKeysMs / keysMs);
    std::printf("(checksum %d)\n", sink & 1);
    return parsed == 10000 ? 0 : 1;
}
