#include "gather.h"

namespace Fleet::Detail {

void whenAllFinished(QList<QFuture<void>> futures, std::function<void()> done)
{
    QtFuture::whenAll(futures.begin(), futures.end()).then([done = std::move(done)](const QList<QFuture<void>> &all) {
        for (const QFuture<void> &f : all) {
            if (f.isCanceled())
                return;
        }
        done();
    });
}

} // namespace Fleet::Detail
