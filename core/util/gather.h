#pragma once

#include <QFuture>
#include <QList>
#include <QPromise>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace Fleet {

namespace Detail {
// Calls done once every future has finished, unless one of them was
// canceled. The one instantiation of QtFuture's machinery that every
// gather() shares.
void whenAllFinished(QList<QFuture<void>> futures, std::function<void()> done);
} // namespace Detail

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
    // Each arrival writes its own element, before its promise finishes.
    auto outcomes = std::make_shared<std::vector<std::optional<R>>>(std::size_t(count));
    QList<QFuture<void>> futures;
    QList<std::function<void(const R &)>> arrivals;
    futures.reserve(count);
    arrivals.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        auto promise = std::make_shared<QPromise<void>>();
        promise->start();
        futures.append(promise->future());
        arrivals.append([promise, outcomes, i](const R &outcome) {
            if (promise->future().isFinished())
                return;
            (*outcomes)[std::size_t(i)] = outcome;
            promise->finish();
        });
    }
    Detail::whenAllFinished(futures, [outcomes, done = std::move(done)] {
        QList<R> list;
        list.reserve(qsizetype(outcomes->size()));
        for (const std::optional<R> &o : *outcomes)
            list.append(*o);
        done(list);
    });
    return arrivals;
}

} // namespace Fleet
