#include "camera.h"

#include <QRandomGenerator>

namespace Fleet {

CameraLayout cameraLayout(const QString &model)
{
    const QString m = model.trimmed().toUpper();
    static const char *const concox[] = {"JC261", "JC400"};
    static const char *const jt1078[] = {"JC371", "JC181", "JC182", "JC450", "JC451"};
    for (const char *prefix : concox) {
        if (m.startsWith(QLatin1String(prefix)))
            return {true, 0, 2};
    }
    for (const char *prefix : jt1078) {
        if (m.startsWith(QLatin1String(prefix)))
            return {true, 1, 2};
    }
    return {};
}

QString newStreamAppId()
{
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    id.reserve(15);
    for (int i = 0; i < 15; ++i)
        id.append(QLatin1Char(kAlphabet[QRandomGenerator::system()->bounded(int(sizeof kAlphabet) - 1)]));
    return id;
}

} // namespace Fleet
