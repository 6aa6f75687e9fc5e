#include "momentvideo.h"

#include "playback/playbackmodel.h"
#include "sync/livesession.h"
#include "videostream.h"
#include "videotile.h"
#include "videowall.h"

#include <QLocale>

namespace Fleet {

using Player::VideoStream;

namespace {

QString timeText(const QDateTime &t)
{
    return QLocale().toString(t.toLocalTime().time(), QLocale::LongFormat);
}

} // namespace

MomentVideo::MomentVideo(LiveSession *session, VideoWall *wall, QObject *parent)
    : QObject(parent)
    , m_wall(wall)
{
    setSession(session);
}

void MomentVideo::setSession(LiveSession *session)
{
    if (session == m_session)
        return;
    for (const QMetaObject::Connection &c : std::as_const(m_sessionConnections))
        disconnect(c);
    m_sessionConnections.clear();
    m_session = session;
    m_lists.clear();
    m_request = 0;
    if (!session)
        return;
    m_sessionConnections << connect(session, &LiveSession::recordingsWaiting, this, [this](int id, int, int seconds) {
        if (id == m_request)
            say(tr("Waiting for %1's device to upload its list of recordings (again in %2 s)…")
                    .arg(m_wanted.vehicle)
                    .arg(seconds));
    });
    m_sessionConnections << connect(session, &LiveSession::recordingsListed, this, &MomentVideo::listed);
}

void MomentVideo::setPlayback(PlaybackModel *model)
{
    if (m_playback)
        disconnect(m_playback, nullptr, this, nullptr);
    m_playback = model;
    if (model)
        connect(model, &PlaybackModel::playheadChanged, this, &MomentVideo::onPlayhead);
}

QString MomentVideo::listKey(const QString &imei, int channel, const QDate &day)
{
    return QStringLiteral("%1/%2/%3").arg(imei).arg(channel).arg(day.toString(Qt::ISODate));
}

void MomentVideo::say(const QString &text)
{
    m_status = text;
    Q_EMIT message(text);
}

bool MomentVideo::show(const QString &imei, const QString &vehicle, const QString &model, const QDateTime &at)
{
    const CameraLayout cameras = cameraLayout(model);
    if (!cameras.dashcam) {
        say(tr("%1 has no dashcam: there is no video of it.").arg(vehicle));
        return false;
    }
    if (!m_session || !m_wall) {
        say(tr("Not connected: recordings need a session with the cloud."));
        return false;
    }
    // The road camera, or the one the linked tile of this vehicle shows.
    int channel = cameras.first;
    if (m_tile && m_tile->camera().imei == imei)
        channel = m_tile->camera().channel;
    else
        m_tile = nullptr; // another vehicle: a tile of its own
    resolve({imei, vehicle, cameras, channel, at.toUTC()});
    return true;
}

void MomentVideo::resolve(const Wanted &wanted)
{
    // The cloud's list is of a day (UTC, as the simulated cloud keeps it).
    const QDate day = wanted.at.date();
    const auto cached = m_lists.constFind(listKey(wanted.imei, wanted.channel, day));
    if (cached != m_lists.cend()) {
        const RecordingAt found = recordingAt(*cached, wanted.at);
        if (found.index >= 0) {
            play(wanted, cached->at(found.index), found.exact);
            return;
        }
        // Nothing that late on the list: the device may have recorded more since.
    }
    m_wanted = wanted;
    say(tr("Asking %1's device for its recordings…").arg(wanted.vehicle));
    m_request = m_session->listRecordings(wanted.imei, wanted.channel, day);
}

void MomentVideo::listed(int id, const RecordingLister::Outcome &outcome)
{
    if (id != m_request)
        return;
    m_request = 0;
    if (!outcome.ok) {
        say(outcome.detail == QLatin1String("228")
                ? tr("%1's device is offline: it cannot send its recordings.").arg(m_wanted.vehicle)
                : tr("No recordings of %1: %2").arg(m_wanted.vehicle, outcome.error));
        return;
    }
    m_lists.insert(listKey(m_wanted.imei, m_wanted.channel, m_wanted.at.date()), outcome.segments);
    const RecordingAt found = recordingAt(outcome.segments, m_wanted.at);
    if (found.index < 0) {
        say(tr("%1 has no recording at %2 or later that day.").arg(m_wanted.vehicle, timeText(m_wanted.at)));
        return;
    }
    play(m_wanted, outcome.segments.at(found.index), found.exact);
}

void MomentVideo::play(const Wanted &wanted, const VideoSegment &segment, bool exact)
{
    if (!m_wall)
        return;
    VideoTile::Camera camera;
    camera.imei = wanted.imei;
    camera.vehicle = wanted.vehicle;
    camera.channel = wanted.channel;
    camera.recordingBegin = segment.begin;
    camera.recordingEnd = segment.end;
    camera.recordingFile = segment.fileName;
    camera.startAt = exact ? wanted.at : segment.begin;
    camera.firstChannel = wanted.cameras.first;
    camera.channelCount = wanted.cameras.count;
    say(exact ? tr("%1 at %2.").arg(wanted.vehicle, timeText(wanted.at))
              : tr("%1 recorded nothing at %2; its next recording begins at %3.")
                    .arg(wanted.vehicle, timeText(wanted.at), timeText(segment.begin)));
    if (m_tile && m_wall->tiles().contains(m_tile.data())) {
        m_wall->retarget(m_tile, camera, tr("going to %1…").arg(timeText(camera.startAt)));
        return;
    }
    if (!m_wall->openCamera(camera)) {
        say(m_wall->statusText());
        return;
    }
    for (VideoTile *t : m_wall->tiles()) {
        if (t->camera().imei == camera.imei && t->camera().recordingBegin == camera.recordingBegin
            && t->camera().channel == camera.channel) {
            link(t);
            break;
        }
    }
}

void MomentVideo::link(VideoTile *tile)
{
    if (m_tile == tile)
        return;
    if (m_tile)
        disconnect(m_tile->stream(), nullptr, this, nullptr);
    m_tile = tile;
    connect(tile->stream(), &VideoStream::frameDelivered, this, &MomentVideo::onFrame);
    connect(tile->stream(), &VideoStream::stateChanged, this, &MomentVideo::onTileState);
    if (m_playback && m_playback->speed() != 1) {
        // The video plays in real time: the playback with it.
        m_playback->pause();
        m_playback->setSpeed(1);
    }
    Q_EMIT opened(tile);
}

void MomentVideo::goTo(const QDateTime &at)
{
    if (!m_tile)
        return;
    const VideoTile::Camera &camera = m_tile->camera();
    if (at >= camera.recordingBegin && at < camera.recordingEnd) {
        m_wall->seek(m_tile, at);
        return;
    }
    resolve({camera.imei, camera.vehicle, CameraLayout{true, camera.firstChannel, camera.channelCount}, camera.channel,
             at.toUTC()});
}

void MomentVideo::onPlayhead()
{
    if (m_steering || !m_tile || !m_playback || !m_wall || !m_wall->tiles().contains(m_tile.data()))
        return;
    const QDateTime video = m_tile->moment();
    if (!video.isValid() || m_request != 0)
        return; // a seek or a list under way: it lands where the playhead is then
    const QDateTime playhead = m_playback->playhead();
    if (std::abs(video.msecsTo(playhead)) > kDriftMs)
        goTo(playhead);
}

void MomentVideo::onFrame()
{
    if (!m_tile || !m_playback || m_playback->isPlaying())
        return;
    if (m_lastFollow.isValid() && m_lastFollow.elapsed() < 200)
        return;
    const QDateTime at = m_tile->moment();
    if (!at.isValid())
        return;
    m_lastFollow.start();
    m_steering = true;
    m_playback->setPlayhead(at);
    m_steering = false;
}

void MomentVideo::onTileState()
{
    if (!m_tile || m_tile->stream()->state() != VideoStream::State::Ended)
        return;
    // On with the next recording, unless the playback leads (it will ask).
    if (!m_playback || !m_playback->isPlaying())
        goTo(m_tile->camera().recordingEnd);
}

} // namespace Fleet
