#pragma once

#include <QFuture>
#include <QList>
#include <QPromise>

#include <functional>
#include <memory>

namespace Fleet {

// Joins several asynchronous calls made for one purpose, with QtFuture:
// gather() hands out one arrival per call, each fulfilling a QPromise. Once
// every call has arrived, done receives their outcomes in call order, on the
// thread of the last arrival (synchronously, inside it; at once when count is
// 0).
//
// An arrival that is destroyed without being called (its call's callback was
// dropped with its context) cancels the whole: done is never called, as the
// one who asked is gone. An arrival called twice counts once.
template<typename R>
QList<std::function<void(const R &)>> gather(qsizetype count, std::function<void(const QList<R> &)> done)
{
    QList<QFuture<R>> futures;
    QList<std::function<void(const R &)>> arrivals;
    futures.reserve(count);
    arrivals.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        auto promise = std::make_shared<QPromise<R>>();
        promise->start();
        futures.append(promise->future());
        arrivals.append([promise](const R &outcome) {
            if (promise->future().isFinished())
                return;
            promise->addResult(outcome);
            promise->finish();
        });
    }
    QtFuture::whenAll(futures.begin(), futures.end()).then([done = std::move(done)](const QList<QFuture<R>> &all) {
        QList<R> outcomes;
        outcomes.reserve(all.size());
        for (const QFuture<R> &f : all) {
            if (f.isCanceled() || f.resultCount() == 0)
                return;
            outcomes.append(f.result());
        }
        done(outcomes);
    });
    return arrivals;
}

} // namespace Fleet
