#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Fleet::Sim {

// An FLV file cut into its tags, so that the simulator can serve it as a
// live stream that never ends: the head (file header, metadata and the
// codecs' sequence headers) once, then the media tags in a loop with
// their timestamps moved on by the loop's length each time round.
class SimFlvClip
{
public:
    struct Tag
    {
        quint8 type = 0; // 8 audio, 9 video, 18 script
        qint64 timestampMs = 0;
        bool keyframe = false; // a video tag that starts a picture group
        QByteArray data; // the tag's body, without its 11-byte header
    };

    // Parses a whole FLV file; an empty clip (isValid() false) and the
    // reason when it is not one, or has no video keyframe.
    static SimFlvClip parse(const QByteArray &file, QString *error = nullptr);

    bool isValid() const { return !m_media.isEmpty(); }
    // The file header, the metadata and the sequence headers, stamped 0.
    QByteArray head() const { return m_head; }
    const QList<Tag> &media() const { return m_media; }
    // One loop: the last video timestamp plus one frame's time.
    qint64 loopMs() const { return m_loopMs; }
    // The index of the last keyframe at or before `ms` into the loop.
    int keyframeAtOrBefore(qint64 ms) const;
    // The index of the first keyframe after index i, or -1 (the loop's end).
    int keyframeAfter(int i) const;

    // One tag as it goes on the wire: header, body and the size after it.
    static QByteArray encode(quint8 type, qint64 timestampMs, const QByteArray &data);

private:
    QByteArray m_head;
    QList<Tag> m_media;
    qint64 m_loopMs = 0;
};

} // namespace Fleet::Sim
