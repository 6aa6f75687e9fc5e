#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

// A load generator for the webhook receiver, used by the crash test and the
// load benchmark: keep-alive HTTP/1.1 connections over raw sockets (no
// QNetworkAccessManager between us and the figures), one request at a time
// per connection, at a fixed rate or as fast as the receiver answers.
//
// Latency is measured from the moment a request was due, not from when a
// connection became free to send it, so a receiver that falls behind shows
// up in the percentiles instead of slowing the generator down with it.
namespace PushLoad {

struct Options
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QString path = QStringLiteral("/pushgps");
    int connections = 8;
    int requests = 1000;
    double ratePerSec = 0; // 0: as fast as the receiver answers
    int timeoutMs = 30000; // for the whole run, after the last request was due
    std::function<QByteArray(int request)> body; // the form body of request i
    // Called with the request index and the HTTP status when an answer arrives.
    std::function<void(int request, int status)> onAnswer;
};

struct Result
{
    int sent = 0;
    int answered = 0;
    int ok = 0; // 200
    int connectionErrors = 0; // connections that broke (requests on them unanswered)
    QList<qint64> latenciesUs; // of answered requests
    double seconds = 0; // first request due to last answer

    qint64 percentileUs(double p) const;
};

// Runs the load in a local event loop and returns when every request is
// answered or lost, or the timeout has passed.
Result run(const Options &options);

// The form body of one /pushgps request: `items` fixes, unique per
// (request, item), of `devices` IMEIs starting at 860000000000000.
QByteArray gpsBody(const QByteArray &token, int request, int items, int devices);
// The IMEI and the fix time (Unix seconds) of item `item` of request `request`.
QString gpsImei(int request, int item, int items, int devices);
qint64 gpsTime(int request, int item, int items, int devices);

} // namespace PushLoad
