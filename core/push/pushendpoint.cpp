#include "pushendpoint.h"

namespace Fleet::Push {

namespace {

struct Entry
{
    Endpoint endpoint;
    QLatin1String name;
};

// Spelled as in the reference; matching ignores case.
constexpr Entry kEndpoints[] = {
    {Endpoint::Event, QLatin1String("pushevent")},
    {Endpoint::Heartbeat, QLatin1String("pushhb")},
    {Endpoint::Gps, QLatin1String("pushgps")},
    {Endpoint::Alarm, QLatin1String("pushalarm")},
    {Endpoint::Rfid, QLatin1String("rfid")},
    {Endpoint::Module, QLatin1String("wgtc")},
    {Endpoint::Oil, QLatin1String("pushoil")},
    {Endpoint::FileUpload, QLatin1String("pushfileupload")},
    {Endpoint::Temperature, QLatin1String("pushtem")},
    {Endpoint::Lbs, QLatin1String("pushlbs")},
    {Endpoint::ResourceList, QLatin1String("pushresourcelist")},
    {Endpoint::FtpUpload, QLatin1String("pushftpfileupload")},
    {Endpoint::IotHubEvent, QLatin1String("pushIothubEvent")},
    {Endpoint::PassThrough, QLatin1String("pushPassThroughData")},
    {Endpoint::TerminalTransInfo, QLatin1String("pushTerminalTransInfo")},
    {Endpoint::InstructResponse, QLatin1String("pushInstructResponse")},
    {Endpoint::FileContent, QLatin1String("pushFileContent")},
    {Endpoint::ExtendedKks, QLatin1String("pushextendedkks")},
    {Endpoint::UploadCallback, QLatin1String("uploadCallback")},
    {Endpoint::GeneralBusiness, QLatin1String("generalBusiness")},
    {Endpoint::Obd, QLatin1String("pushobd")},
    {Endpoint::FaultInfo, QLatin1String("pushfaultinfo")},
    {Endpoint::TripReport, QLatin1String("pushtripreport")},
};

} // namespace

std::optional<Endpoint> endpointForPath(QStringView path)
{
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const QStringView segment = slash < 0 ? path : path.sliced(slash + 1);
    // Some integrations register the two odd names with the family's prefix.
    if (segment.compare(QLatin1String("pushrfid"), Qt::CaseInsensitive) == 0)
        return Endpoint::Rfid;
    if (segment.compare(QLatin1String("pushwgtc"), Qt::CaseInsensitive) == 0)
        return Endpoint::Module;
    for (const Entry &e : kEndpoints) {
        if (segment.compare(e.name, Qt::CaseInsensitive) == 0)
            return e.endpoint;
    }
    return std::nullopt;
}

QLatin1String endpointName(Endpoint endpoint)
{
    for (const Entry &e : kEndpoints) {
        if (e.endpoint == endpoint)
            return e.name;
    }
    Q_UNREACHABLE();
}

QList<Endpoint> allEndpoints()
{
    QList<Endpoint> list;
    for (const Entry &e : kEndpoints)
        list.append(e.endpoint);
    return list;
}

} // namespace Fleet::Push
