#include "clicommands.h"

namespace Fleet::Cli {

QList<QCommandLineOption> options()
{
    return {
        {QStringLiteral("imei"), QStringLiteral("Device IMEI(s), comma-separated."), QStringLiteral("IMEI")},
        {QStringLiteral("from"), QStringLiteral("Start, ISO 8601 with an offset or Z."), QStringLiteral("TIME")},
        {QStringLiteral("to"), QStringLiteral("End, ISO 8601 with an offset or Z."), QStringLiteral("TIME")},
        {QStringLiteral("format"), QStringLiteral("Output format."), QStringLiteral("FORMAT")},
        {QStringLiteral("output"), QStringLiteral("Write to FILE instead of standard output."), QStringLiteral("FILE")},
        {QStringLiteral("timeout"), QStringLiteral("Give up waiting for the cloud after SECS (default 600; device-ack 120)."),
         QStringLiteral("SECS")},
        {QStringLiteral("state"), QStringLiteral("Alarm state(s): new, acknowledged, resolved; comma-separated."),
         QStringLiteral("STATE")},
        {QStringLiteral("id"), QStringLiteral("Alarm or command id (as alarms list / command send shows it)."),
         QStringLiteral("ID")},
        {QStringLiteral("note"), QStringLiteral("A note kept with the step (plain text)."), QStringLiteral("TEXT")},
        {QStringLiteral("operator"), QStringLiteral("Who takes the step (default: the user logged in)."),
         QStringLiteral("NAME")},
        {QStringLiteral("download"), QStringLiteral("Save the files into DIR (made if missing)."), QStringLiteral("DIR")},
        {QStringLiteral("url"), QStringLiteral("A stream or video file: http(s), rtmp, rtsp, or a local file."),
         QStringLiteral("URL")},
        {QStringLiteral("channel"), QStringLiteral("A camera, as the model counts them (default: its first)."),
         QStringLiteral("N")},
        {QStringLiteral("date"), QStringLiteral("A day, YYYY-MM-DD."), QStringLiteral("DATE")},
        {QStringLiteral("camera"), QStringLiteral("The capture's camera: road, cabin or both (default road)."),
         QStringLiteral("CAMERA")},
        {QStringLiteral("kind"), QStringLiteral("photo or clip (default photo)."), QStringLiteral("KIND")},
        {QStringLiteral("seconds"), QStringLiteral("A clip's length, 3 to 10 (default 10)."), QStringLiteral("SECS")},
        {QStringLiteral("file"), QStringLiteral("A recording's file name, as video recordings lists it."),
         QStringLiteral("NAME")},
        {QStringLiteral("template"), QStringLiteral("A command: its id or name (command templates lists them)."),
         QStringLiteral("ID|NAME")},
        {QStringLiteral("param"), QStringLiteral("A value for the command's next placeholder; repeat for each."),
         QStringLiteral("VALUE")},
        {QStringLiteral("raw"), QStringLiteral("Raw command bytes in hex (instruction.raw.send)."), QStringLiteral("HEX")},
        {QStringLiteral("yes"), QStringLiteral("Confirms a dangerous command (fuel cut, restart, reset).")},
        {QStringLiteral("wait"), QStringLiteral("Follow the commands until answered, at most SECS."),
         QStringLiteral("SECS")},
        {QStringLiteral("name"), QStringLiteral("The device's name."), QStringLiteral("TEXT")},
        {QStringLiteral("vehicle-name"), QStringLiteral("The vehicle's name."), QStringLiteral("TEXT")},
        {QStringLiteral("plate"), QStringLiteral("The number plate."), QStringLiteral("TEXT")},
        {QStringLiteral("icon"), QStringLiteral("The vehicle's icon (car, truck, bus, van, …)."), QStringLiteral("NAME")},
        {QStringLiteral("driver"), QStringLiteral("The driver's name."), QStringLiteral("TEXT")},
        {QStringLiteral("driver-phone"), QStringLiteral("The driver's phone."), QStringLiteral("TEXT")},
        {QStringLiteral("sim"), QStringLiteral("The SIM card's number."), QStringLiteral("TEXT")},
        {QStringLiteral("remarks"), QStringLiteral("Remarks."), QStringLiteral("TEXT")},
        {QStringLiteral("mileage"), QStringLiteral("The odometer, km."), QStringLiteral("KM")},
        {QStringLiteral("group"), QStringLiteral("A local group's name."), QStringLiteral("NAME")},
        {QStringLiteral("new-name"), QStringLiteral("The group's new name."), QStringLiteral("NAME")},
    };
}

const QList<Command> &commands()
{
    // Both exports take the same options; they differ in what they write.
    static const QStringList exportOptions{QStringLiteral("imei"),   QStringLiteral("from"),
                                           QStringLiteral("to"),     QStringLiteral("format"),
                                           QStringLiteral("output"), QStringLiteral("timeout")};
    static const QStringList exportRequired = exportOptions.mid(0, 4);
    static const QList<Command> table{
        {{QStringLiteral("export"), QStringLiteral("track")},
         QStringLiteral("--imei IMEI[,IMEI...] --from TIME --to TIME --format gpx|kml|csv|geojson [--output FILE]"),
         QStringLiteral("A vehicle's track: every fix, with stops; missing history is fetched from the cloud first."),
         exportOptions,
         exportRequired,
         &exportTrack},
        {{QStringLiteral("export"), QStringLiteral("trips")},
         QStringLiteral("--imei IMEI[,IMEI...] --from TIME --to TIME --format csv|geojson [--output FILE]"),
         QStringLiteral("Trips with distance, duration, speeds and idle time (the cloud's where it has them)."),
         exportOptions,
         exportRequired,
         &exportTrips},
        {{QStringLiteral("alarms"), QStringLiteral("list")},
         QStringLiteral("[--from TIME] [--to TIME] [--imei IMEI[,IMEI...]] [--state STATE[,STATE...]] "
                        "[--format csv|json] [--output FILE]"),
         QStringLiteral("The alarm desk's rows, newest first: repeats folded into their first alarm, with the "
                        "count, state, operator and note."),
         {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("imei"), QStringLiteral("state"),
          QStringLiteral("format"), QStringLiteral("output")},
         {},
         &alarmsList},
        {{QStringLiteral("alarms"), QStringLiteral("ack")},
         QStringLiteral("--id ID [--note TEXT] [--operator NAME]"),
         QStringLiteral("Acknowledges an alarm and every alarm folded into it."),
         {QStringLiteral("id"), QStringLiteral("note"), QStringLiteral("operator")},
         {QStringLiteral("id")},
         &alarmsAck},
        {{QStringLiteral("alarms"), QStringLiteral("resolve")},
         QStringLiteral("--id ID [--note TEXT] [--operator NAME]"),
         QStringLiteral("Resolves an alarm (new or acknowledged) and every alarm folded into it."),
         {QStringLiteral("id"), QStringLiteral("note"), QStringLiteral("operator")},
         {QStringLiteral("id")},
         &alarmsResolve},
        {{QStringLiteral("alarms"), QStringLiteral("device-ack")},
         QStringLiteral("--id ID [--operator NAME] [--timeout SECS]"),
         QStringLiteral("Acknowledges an alarm on its device (Appendix A, proNo 33283) through the account's "
                        "instruction gateway, with the serial number of the newest alarm of its row; exit 0 only "
                        "when the gateway confirms. The answer is kept in the alarm's history."),
         {QStringLiteral("id"), QStringLiteral("operator"), QStringLiteral("timeout")},
         {QStringLiteral("id")},
         &alarmsDeviceAck},
        {{QStringLiteral("alarms"), QStringLiteral("media")},
         QStringLiteral("--id ID [--download DIR] [--format csv|json] [--output FILE] [--timeout SECS]"),
         QStringLiteral("The photos and clips the device took for an alarm (and the alarms folded into it): from "
                        "the store, else listed by the cloud (jimi.device.media.event.URL) and kept. --download "
                        "saves each file; exit 1 when the list or a file could not be had."),
         {QStringLiteral("id"), QStringLiteral("download"), QStringLiteral("format"), QStringLiteral("output"),
          QStringLiteral("timeout")},
         {QStringLiteral("id")},
         &alarmsMedia},
        {{QStringLiteral("video"), QStringLiteral("probe")},
         QStringLiteral("--url URL [--timeout SECS]"),
         QStringLiteral("Opens a stream as the desktop's video tiles do and prints "
                        "\"first_frame_ms=N size=WxH codec=NAME\"; exit 1 with the reason when no picture came "
                        "within the timeout (default 10 s)."),
         {QStringLiteral("url"), QStringLiteral("timeout")},
         {QStringLiteral("url")},
         &videoProbe},
        {{QStringLiteral("video"), QStringLiteral("snapshot")},
         QStringLiteral("--url URL --output FILE.png [--timeout SECS]"),
         QStringLiteral("Saves the stream's first picture as a PNG (written whole or not at all), and prints "
                        "what probe prints."),
         {QStringLiteral("url"), QStringLiteral("output"), QStringLiteral("timeout")},
         {QStringLiteral("url"), QStringLiteral("output")},
         &videoSnapshot},
        {{QStringLiteral("video"), QStringLiteral("live")},
         QStringLiteral("--imei IMEI [--channel N] [--timeout SECS]"),
         QStringLiteral("Opens a dashcam's live stream in the cloud (with an appId of its own), prints its URL, and "
                        "keeps it open until SIGINT, SIGTERM or the end of standard input; then closes it in the "
                        "cloud. Needs --config with an [api] section."),
         {QStringLiteral("imei"), QStringLiteral("channel"), QStringLiteral("timeout")},
         {QStringLiteral("imei")},
         &videoLive},
        {{QStringLiteral("video"), QStringLiteral("recordings")},
         QStringLiteral("--imei IMEI [--channel N] --date YYYY-MM-DD [--format csv|json] [--output FILE] [--timeout SECS]"),
         QStringLiteral("The recordings a dashcam keeps on its card for a camera and day: the device is asked to "
                        "upload its list, and the cloud asked until it is there (\"waiting for the device\"). "
                        "Needs --config with an [api] section."),
         {QStringLiteral("imei"), QStringLiteral("channel"), QStringLiteral("date"), QStringLiteral("format"),
          QStringLiteral("output"), QStringLiteral("timeout")},
         {QStringLiteral("imei"), QStringLiteral("date")},
         &videoRecordings},
        {{QStringLiteral("video"), QStringLiteral("capture")},
         QStringLiteral("--imei IMEI [--kind photo|clip] [--camera road|cabin|both] [--seconds N] [--download DIR] "
                        "[--format csv|json] [--output FILE] [--timeout SECS]"),
         QStringLiteral("Asks a dashcam to take a photo or a clip now (jimi.device.meida.cmd.send), waits until "
                        "the cloud lists the new file(s), keeps them in the store and prints them as alarms media "
                        "does. Needs --config with an [api] section."),
         {QStringLiteral("imei"), QStringLiteral("kind"), QStringLiteral("camera"), QStringLiteral("seconds"),
          QStringLiteral("download"), QStringLiteral("format"), QStringLiteral("output"), QStringLiteral("timeout")},
         {QStringLiteral("imei")},
         &videoCapture},
        {{QStringLiteral("video"), QStringLiteral("media")},
         QStringLiteral("--imei IMEI [--download DIR] [--format csv|json] [--output FILE] [--timeout SECS]"),
         QStringLiteral("A vehicle's photos and clips in the store (its gallery in the desktop), newest first."),
         {QStringLiteral("imei"), QStringLiteral("download"), QStringLiteral("format"), QStringLiteral("output"),
          QStringLiteral("timeout")},
         {QStringLiteral("imei")},
         &videoMedia},
        {{QStringLiteral("command"), QStringLiteral("templates")},
         QStringLiteral("--imei IMEI [--format csv|json] [--output FILE] [--timeout SECS]"),
         QStringLiteral("The commands the vehicle's model supports (jimi.open.instruction.list), with their "
                        "parameters, and FleetDesk's own text commands where the list lacks them (source "
                        "fleetdesk). Needs --config with an [api] section."),
         {QStringLiteral("imei"), QStringLiteral("format"), QStringLiteral("output"), QStringLiteral("timeout")},
         {QStringLiteral("imei")},
         &commandTemplates},
        {{QStringLiteral("command"), QStringLiteral("send")},
         QStringLiteral("--imei IMEI[,IMEI...] (--template ID|NAME [--param VALUE]... | --raw HEX) [--yes] "
                        "[--wait SECS] [--operator NAME] [--output FILE] [--timeout SECS]"),
         QStringLiteral("Sends a command to the vehicles (the template resolved per model), prints each state "
                        "change on standard error and one row per vehicle. A dangerous command (fuel cut, restart, "
                        "reset) needs --yes. --wait follows the commands until answered; exit 0 when every "
                        "vehicle answered (without --wait: when the cloud took every command), 1 otherwise."),
         {QStringLiteral("imei"), QStringLiteral("template"), QStringLiteral("param"), QStringLiteral("raw"),
          QStringLiteral("yes"), QStringLiteral("wait"), QStringLiteral("operator"), QStringLiteral("output"),
          QStringLiteral("timeout")},
         {QStringLiteral("imei")},
         &commandSend},
        {{QStringLiteral("command"), QStringLiteral("status")},
         QStringLiteral("--id ID [--format csv|json] [--output FILE] [--timeout SECS]"),
         QStringLiteral("A command as the store keeps it (state, the cloud's words, the device's answer); one "
                        "still open is asked about first when --config has an [api] section. Exit 1 when it "
                        "failed, timed out, met an offline device or was cancelled."),
         {QStringLiteral("id"), QStringLiteral("format"), QStringLiteral("output"), QStringLiteral("timeout")},
         {QStringLiteral("id")},
         &commandStatus},
        {{QStringLiteral("locate")},
         QStringLiteral("--imei IMEI[,IMEI...] [--output FILE] [--timeout SECS]"),
         QStringLiteral("Asks the cloud for the vehicles' positions now (jimi.device.location.get), stores them "
                        "as the sweep does and prints them; exit 1 when a vehicle has no usable fix."),
         {QStringLiteral("imei"), QStringLiteral("output"), QStringLiteral("timeout")},
         {QStringLiteral("imei")},
         &locate},
        {{QStringLiteral("device"), QStringLiteral("update")},
         QStringLiteral("--imei IMEI [--name TEXT] [--vehicle-name TEXT] [--plate TEXT] [--icon NAME] [--driver TEXT] "
                        "[--driver-phone TEXT] [--sim TEXT] [--remarks TEXT] [--mileage KM] [--timeout SECS]"),
         QStringLiteral("Changes a device's record in the cloud (jimi.open.device.update; only the fields given), "
                        "then stores the cloud's new record. Exit 1 with the cloud's words when it refuses."),
         {QStringLiteral("imei"), QStringLiteral("name"), QStringLiteral("vehicle-name"), QStringLiteral("plate"),
          QStringLiteral("icon"), QStringLiteral("driver"), QStringLiteral("driver-phone"), QStringLiteral("sim"),
          QStringLiteral("remarks"), QStringLiteral("mileage"), QStringLiteral("timeout")},
         {QStringLiteral("imei")},
         &deviceUpdate},
        {{QStringLiteral("group"), QStringLiteral("list")},
         QStringLiteral("[--format csv|json] [--output FILE]"),
         QStringLiteral("The desk's own (local) groups and their vehicles, as the fleet dock shows them."),
         {QStringLiteral("format"), QStringLiteral("output")},
         {},
         &groupList},
        {{QStringLiteral("group"), QStringLiteral("create")},
         QStringLiteral("--group NAME [--imei IMEI[,IMEI...]]"),
         QStringLiteral("Creates a local group (exit 2 when the name is taken), with these vehicles."),
         {QStringLiteral("group"), QStringLiteral("imei")},
         {QStringLiteral("group")},
         &groupChange},
        {{QStringLiteral("group"), QStringLiteral("add")},
         QStringLiteral("--group NAME --imei IMEI[,IMEI...]"),
         QStringLiteral("Puts vehicles into a local group."),
         {QStringLiteral("group"), QStringLiteral("imei")},
         {QStringLiteral("group"), QStringLiteral("imei")},
         &groupChange},
        {{QStringLiteral("group"), QStringLiteral("remove")},
         QStringLiteral("--group NAME --imei IMEI[,IMEI...]"),
         QStringLiteral("Takes vehicles out of a local group."),
         {QStringLiteral("group"), QStringLiteral("imei")},
         {QStringLiteral("group"), QStringLiteral("imei")},
         &groupChange},
        {{QStringLiteral("group"), QStringLiteral("rename")},
         QStringLiteral("--group NAME --new-name NAME"),
         QStringLiteral("Renames a local group (exit 2 when the new name is taken)."),
         {QStringLiteral("group"), QStringLiteral("new-name")},
         {QStringLiteral("group"), QStringLiteral("new-name")},
         &groupChange},
        {{QStringLiteral("group"), QStringLiteral("delete")},
         QStringLiteral("--group NAME"),
         QStringLiteral("Deletes a local group; its vehicles stay in the fleet."),
         {QStringLiteral("group")},
         {QStringLiteral("group")},
         &groupChange},
        {{QStringLiteral("video"), QStringLiteral("save")},
         QStringLiteral("--imei IMEI [--channel N] (--from TIME --to TIME | --file NAME) --output FILE.mp4 "
                        "[--timeout SECS]"),
         QStringLiteral("Saves a recording from a dashcam's card to an MP4 file, its pictures and sound as they are "
                        "(no re-encoding): asked for by time (JT/T 1078 models, at most an hour) or by the file name "
                        "video recordings lists (Concox models). Needs --config with an [api] section."),
         {QStringLiteral("imei"), QStringLiteral("channel"), QStringLiteral("from"), QStringLiteral("to"),
          QStringLiteral("file"), QStringLiteral("output"), QStringLiteral("timeout")},
         {QStringLiteral("imei"), QStringLiteral("output")},
         &videoSave},
    };
    return table;
}

} // namespace Fleet::Cli
