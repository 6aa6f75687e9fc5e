#include "simflv.h"

namespace Fleet::Sim {

namespace {

constexpr int kFileHeader = 9;
constexpr int kTagHeader = 11;
constexpr quint8 kAudio = 8;
constexpr quint8 kVideo = 9;
constexpr quint8 kScript = 18;

quint32 be24(const char *p)
{
    return quint32(quint8(p[0])) << 16 | quint32(quint8(p[1])) << 8 | quint32(quint8(p[2]));
}

void putBe24(QByteArray &out, quint32 v)
{
    out.append(char((v >> 16) & 0xff));
    out.append(char((v >> 8) & 0xff));
    out.append(char(v & 0xff));
}

void putBe32(QByteArray &out, quint32 v)
{
    out.append(char((v >> 24) & 0xff));
    putBe24(out, v & 0xffffff);
}

// A codec's configuration rather than a picture or a sound: the AVC
// decoder configuration record, or the AAC AudioSpecificConfig.
bool isSequenceHeader(quint8 type, const QByteArray &data)
{
    if (data.size() < 2)
        return false;
    if (type == kVideo)
        return (quint8(data.at(0)) & 0x0f) == 7 && data.at(1) == 0;
    return type == kAudio && (quint8(data.at(0)) >> 4) == 10 && data.at(1) == 0;
}

} // namespace

QByteArray SimFlvClip::encode(quint8 type, qint64 timestampMs, const QByteArray &data)
{
    QByteArray out;
    out.reserve(kTagHeader + data.size() + 4);
    out.append(char(type));
    putBe24(out, quint32(data.size()));
    const quint32 ts = quint32(timestampMs);
    putBe24(out, ts & 0xffffff);
    out.append(char((ts >> 24) & 0xff)); // the extended byte: the top 8 bits
    putBe24(out, 0); // stream id, always 0
    out.append(data);
    putBe32(out, quint32(kTagHeader + data.size()));
    return out;
}

SimFlvClip SimFlvClip::parse(const QByteArray &file, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return SimFlvClip();
    };
    if (file.size() < kFileHeader + 4 || !file.startsWith("FLV"))
        return fail(QStringLiteral("not an FLV file"));
    const quint32 headerSize = quint32(quint8(file.at(5))) << 24 | be24(file.constData() + 6);
    if (headerSize < kFileHeader || headerSize + 4 > quint32(file.size()))
        return fail(QStringLiteral("bad FLV header size"));

    SimFlvClip clip;
    clip.m_head = file.left(int(headerSize)) + QByteArray(4, '\0');
    qsizetype at = qsizetype(headerSize) + 4;
    qint64 lastVideo = -1;
    qint64 frameMs = 0;
    while (at + kTagHeader <= file.size()) {
        const char *p = file.constData() + at;
        const quint8 type = quint8(p[0]) & 0x1f;
        const quint32 size = be24(p + 1);
        const qint64 ts = qint64(be24(p + 4)) | qint64(quint8(p[7])) << 24;
        if (at + kTagHeader + qsizetype(size) + 4 > file.size())
            return fail(QStringLiteral("a tag runs past the end of the file at byte %1").arg(at));
        const QByteArray data = file.mid(at + kTagHeader, size);
        at += kTagHeader + qsizetype(size) + 4;
        // The end of an AVC sequence (AVCPacketType 2) would end a loop's
        // every lap; the stream has none.
        if (type == kVideo && data.size() >= 2 && (quint8(data.at(0)) & 0x0f) == 7 && data.at(1) == 2)
            continue;
        if (type == kScript || isSequenceHeader(type, data)) {
            clip.m_head += encode(type, 0, data);
            continue;
        }
        if (type != kAudio && type != kVideo)
            continue;
        Tag tag;
        tag.type = type;
        tag.timestampMs = ts;
        tag.data = data;
        if (type == kVideo) {
            tag.keyframe = !data.isEmpty() && (quint8(data.at(0)) >> 4) == 1;
            if (lastVideo >= 0 && ts > lastVideo)
                frameMs = ts - lastVideo;
            lastVideo = std::max(lastVideo, ts);
        }
        clip.m_media.append(tag);
    }
    const bool hasKeyframe =
        std::any_of(clip.m_media.cbegin(), clip.m_media.cend(), [](const Tag &t) { return t.keyframe; });
    if (!hasKeyframe)
        return fail(QStringLiteral("the clip has no video keyframe"));
    // The loop starts at the first keyframe, so that every lap does too.
    while (!clip.m_media.first().keyframe)
        clip.m_media.removeFirst();
    const qint64 origin = clip.m_media.first().timestampMs;
    for (Tag &t : clip.m_media)
        t.timestampMs = std::max<qint64>(0, t.timestampMs - origin);
    clip.m_loopMs = std::max<qint64>(1, lastVideo - origin + std::max<qint64>(frameMs, 1));
    return clip;
}

int SimFlvClip::keyframeAtOrBefore(qint64 ms) const
{
    int found = 0;
    for (int i = 0; i < m_media.size() && m_media.at(i).timestampMs <= ms; ++i) {
        if (m_media.at(i).keyframe)
            found = i;
    }
    return found;
}

int SimFlvClip::keyframeAfter(int i) const
{
    for (int j = i + 1; j < m_media.size(); ++j) {
        if (m_media.at(j).keyframe)
            return j;
    }
    return -1;
}

} // namespace Fleet::Sim
