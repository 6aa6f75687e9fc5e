#include "alarm.h"

#include <QHash>

namespace Fleet {

namespace {

struct AlarmTypeEntry
{
    const char *code;
    const char *name; // English; marked for the views' translation (context "AlarmType")
};

// Official appendix (api-field-notes §3.5): device codes, then platform codes.
const AlarmTypeEntry kAlarmTypes[] = {
    {"1", QT_TRANSLATE_NOOP("AlarmType", "SOS")},
    {"2", QT_TRANSLATE_NOOP("AlarmType", "Power cut off")},
    {"3", QT_TRANSLATE_NOOP("AlarmType", "Vibration")},
    {"4", QT_TRANSLATE_NOOP("AlarmType", "Enter geo-fence (terminal)")},
    {"5", QT_TRANSLATE_NOOP("AlarmType", "Exit geo-fence (terminal)")},
    {"6", QT_TRANSLATE_NOOP("AlarmType", "Overspeed (terminal)")},
    {"9", QT_TRANSLATE_NOOP("AlarmType", "Displacement (terminal)")},
    {"10", QT_TRANSLATE_NOOP("AlarmType", "Enter GPS blind zone")},
    {"11", QT_TRANSLATE_NOOP("AlarmType", "Exit GPS blind zone")},
    {"12", QT_TRANSLATE_NOOP("AlarmType", "Booting")},
    {"13", QT_TRANSLATE_NOOP("AlarmType", "GPS first fix")},
    {"14", QT_TRANSLATE_NOOP("AlarmType", "Low external power")},
    {"15", QT_TRANSLATE_NOOP("AlarmType", "Low power protection")},
    {"16", QT_TRANSLATE_NOOP("AlarmType", "SIM change")},
    {"17", QT_TRANSLATE_NOOP("AlarmType", "Power off")},
    {"18", QT_TRANSLATE_NOOP("AlarmType", "Airplane mode after low power")},
    {"19", QT_TRANSLATE_NOOP("AlarmType", "Disassembly")},
    {"20", QT_TRANSLATE_NOOP("AlarmType", "Door detection")},
    {"21", QT_TRANSLATE_NOOP("AlarmType", "Battery low shutdown")},
    {"22", QT_TRANSLATE_NOOP("AlarmType", "Voice")},
    {"24", QT_TRANSLATE_NOOP("AlarmType", "Cover move")},
    {"25", QT_TRANSLATE_NOOP("AlarmType", "Internal low battery")},
    {"28", QT_TRANSLATE_NOOP("AlarmType", "Door open")},
    {"29", QT_TRANSLATE_NOOP("AlarmType", "Door close")},
    {"35", QT_TRANSLATE_NOOP("AlarmType", "Fall")},
    {"36", QT_TRANSLATE_NOOP("AlarmType", "Plug in charger")},
    {"39", QT_TRANSLATE_NOOP("AlarmType", "Unauthorized open")},
    {"40", QT_TRANSLATE_NOOP("AlarmType", "Initiative offline (power off)")},
    {"41", QT_TRANSLATE_NOOP("AlarmType", "Sudden acceleration")},
    {"42", QT_TRANSLATE_NOOP("AlarmType", "Sharp turn left")},
    {"43", QT_TRANSLATE_NOOP("AlarmType", "Sharp turn right")},
    {"44", QT_TRANSLATE_NOOP("AlarmType", "Collision")},
    {"45", QT_TRANSLATE_NOOP("AlarmType", "Vehicle turn over")},
    {"48", QT_TRANSLATE_NOOP("AlarmType", "Sudden deceleration")},
    {"50", QT_TRANSLATE_NOOP("AlarmType", "Device pull out")},
    {"55", QT_TRANSLATE_NOOP("AlarmType", "Collision")},
    {"58", QT_TRANSLATE_NOOP("AlarmType", "Cancel unauthorized-open")},
    {"71", QT_TRANSLATE_NOOP("AlarmType", "Fatigue driving")},
    {"76", QT_TRANSLATE_NOOP("AlarmType", "Sharp turn")},
    {"77", QT_TRANSLATE_NOOP("AlarmType", "Abrupt lane switching")},
    {"78", QT_TRANSLATE_NOOP("AlarmType", "Vehicle stability")},
    {"79", QT_TRANSLATE_NOOP("AlarmType", "Vehicle angle abnormal")},
    {"80", QT_TRANSLATE_NOOP("AlarmType", "Door close")},
    {"81", QT_TRANSLATE_NOOP("AlarmType", "Door open")},
    {"82", QT_TRANSLATE_NOOP("AlarmType", "Temperature")},
    {"83", QT_TRANSLATE_NOOP("AlarmType", "Stealing oil")},
    {"86", QT_TRANSLATE_NOOP("AlarmType", "Start charging")},
    {"87", QT_TRANSLATE_NOOP("AlarmType", "Stop charging")},
    {"89", QT_TRANSLATE_NOOP("AlarmType", "Full (reminder)")},
    {"90", QT_TRANSLATE_NOOP("AlarmType", "Low battery")},
    {"91", QT_TRANSLATE_NOOP("AlarmType", "High temperature (terminal)")},
    {"92", QT_TRANSLATE_NOOP("AlarmType", "Low temperature (terminal)")},
    {"100", QT_TRANSLATE_NOOP("AlarmType", "Cancel temperature")},
    {"101", QT_TRANSLATE_NOOP("AlarmType", "Cancel collision")},
    {"113", QT_TRANSLATE_NOOP("AlarmType", "Oil level increase")},
    {"114", QT_TRANSLATE_NOOP("AlarmType", "Install")},
    {"115", QT_TRANSLATE_NOOP("AlarmType", "Oil sense timeout")},
    {"119", QT_TRANSLATE_NOOP("AlarmType", "High voltage ADC1")},
    {"120", QT_TRANSLATE_NOOP("AlarmType", "Low voltage ADC1")},
    {"126", QT_TRANSLATE_NOOP("AlarmType", "High humidity")},
    {"127", QT_TRANSLATE_NOOP("AlarmType", "Low humidity")},
    {"128", QT_TRANSLATE_NOOP("AlarmType", "DVR vibration")},
    {"135", QT_TRANSLATE_NOOP("AlarmType", "Overspeed (DVR)")},
    {"136", QT_TRANSLATE_NOOP("AlarmType", "Power off (DVR)")},
    {"138", QT_TRANSLATE_NOOP("AlarmType", "Immobilization on")},
    {"139", QT_TRANSLATE_NOOP("AlarmType", "Immobilization off")},
    {"140", QT_TRANSLATE_NOOP("AlarmType", "Close eyes")},
    {"141", QT_TRANSLATE_NOOP("AlarmType", "Land transport mode")},
    {"142", QT_TRANSLATE_NOOP("AlarmType", "Environmental anomaly")},
    {"143", QT_TRANSLATE_NOOP("AlarmType", "Distraction")},
    {"144", QT_TRANSLATE_NOOP("AlarmType", "Sudden accel (DVR)")},
    {"145", QT_TRANSLATE_NOOP("AlarmType", "Sudden decel (DVR)")},
    {"146", QT_TRANSLATE_NOOP("AlarmType", "Sharp turn (DVR)")},
    {"147", QT_TRANSLATE_NOOP("AlarmType", "Collision (DVR)")},
    {"148", QT_TRANSLATE_NOOP("AlarmType", "No face")},
    {"149", QT_TRANSLATE_NOOP("AlarmType", "Ocean transport mode")},
    {"150", QT_TRANSLATE_NOOP("AlarmType", "Static transport mode")},
    {"151", QT_TRANSLATE_NOOP("AlarmType", "Phone calling")},
    {"154", QT_TRANSLATE_NOOP("AlarmType", "Smoking")},
    {"160", QT_TRANSLATE_NOOP("AlarmType", "Yawn")},
    {"163", QT_TRANSLATE_NOOP("AlarmType", "Head lowered")},
    {"165", QT_TRANSLATE_NOOP("AlarmType", "RFID report")},
    {"168", QT_TRANSLATE_NOOP("AlarmType", "Engine failure")},
    {"169", QT_TRANSLATE_NOOP("AlarmType", "Undervoltage")},
    {"170", QT_TRANSLATE_NOOP("AlarmType", "Drinking")},
    {"171", QT_TRANSLATE_NOOP("AlarmType", "Light detected")},
    {"172", QT_TRANSLATE_NOOP("AlarmType", "Bluetooth MAC found")},
    {"173", QT_TRANSLATE_NOOP("AlarmType", "Bluetooth MAC lost")},
    {"191", QT_TRANSLATE_NOOP("AlarmType", "Device plug-out")},
    {"197", QT_TRANSLATE_NOOP("AlarmType", "Engine on")},
    {"198", QT_TRANSLATE_NOOP("AlarmType", "Engine off")},
    {"199", QT_TRANSLATE_NOOP("AlarmType", "Overtime driving")},
    {"202", QT_TRANSLATE_NOOP("AlarmType", "Overspeed warning")},
    {"203", QT_TRANSLATE_NOOP("AlarmType", "Overtime parking")},
    {"204", QT_TRANSLATE_NOOP("AlarmType", "Forward collision")},
    {"205", QT_TRANSLATE_NOOP("AlarmType", "Lane departure")},
    {"206", QT_TRANSLATE_NOOP("AlarmType", "Too close")},
    {"207", QT_TRANSLATE_NOOP("AlarmType", "Pedestrian collision")},
    {"208", QT_TRANSLATE_NOOP("AlarmType", "DMS fatigue")},
    {"224", QT_TRANSLATE_NOOP("AlarmType", "Device plug-in")},
    {"227", QT_TRANSLATE_NOOP("AlarmType", "Overheating")},
    {"230", QT_TRANSLATE_NOOP("AlarmType", "INPUT1 activated")},
    {"231", QT_TRANSLATE_NOOP("AlarmType", "INPUT1 deactivated")},
    {"232", QT_TRANSLATE_NOOP("AlarmType", "INPUT2 activated")},
    {"233", QT_TRANSLATE_NOOP("AlarmType", "INPUT2 deactivated")},
    {"254", QT_TRANSLATE_NOOP("AlarmType", "Ignition on")},
    {"256", QT_TRANSLATE_NOOP("AlarmType", "Bluetooth fence in")},
    {"257", QT_TRANSLATE_NOOP("AlarmType", "Bluetooth fence out")},
    {"258", QT_TRANSLATE_NOOP("AlarmType", "WiFi fence in")},
    {"259", QT_TRANSLATE_NOOP("AlarmType", "WiFi fence out")},
    {"260", QT_TRANSLATE_NOOP("AlarmType", "Long stillness")},
    {"261", QT_TRANSLATE_NOOP("AlarmType", "Start exercise")},
    {"262", QT_TRANSLATE_NOOP("AlarmType", "Stop exercise")},
    {"263", QT_TRANSLATE_NOOP("AlarmType", "LTE jamming detected")},
    {"266", QT_TRANSLATE_NOOP("AlarmType", "LTE jamming ended")},
    {"267", QT_TRANSLATE_NOOP("AlarmType", "GPS jamming detected")},
    {"268", QT_TRANSLATE_NOOP("AlarmType", "GPS jamming ended")},
    {"ACC_OFF", QT_TRANSLATE_NOOP("AlarmType", "ACC off")},
    {"ACC_ON", QT_TRANSLATE_NOOP("AlarmType", "ACC on")},
    {"carFault", QT_TRANSLATE_NOOP("AlarmType", "Vehicle fault")},
    {"displacementAlarm", QT_TRANSLATE_NOOP("AlarmType", "Night driving")},
    {"DMSAlert", QT_TRANSLATE_NOOP("AlarmType", "DMS alert")},
    {"drivingBehaviorAlert", QT_TRANSLATE_NOOP("AlarmType", "Driving behaviour")},
    {"drivingBehaviorAlertDVR", QT_TRANSLATE_NOOP("AlarmType", "Driving behaviour (DVR)")},
    {"fenceOverspeed", QT_TRANSLATE_NOOP("AlarmType", "Overspeed in geo-fence")},
    {"geozone", QT_TRANSLATE_NOOP("AlarmType", "Geo-zone")},
    {"high_temp_alarm", QT_TRANSLATE_NOOP("AlarmType", "High temperature")},
    {"in", QT_TRANSLATE_NOOP("AlarmType", "Enter geo-fence")},
    {"out", QT_TRANSLATE_NOOP("AlarmType", "Exit geo-fence")},
    {"laneshift", QT_TRANSLATE_NOOP("AlarmType", "Route deviation")},
    {"low_temp_alarm", QT_TRANSLATE_NOOP("AlarmType", "Low temperature")},
    {"mileageAlarm", QT_TRANSLATE_NOOP("AlarmType", "Maintenance due")},
    {"obd", QT_TRANSLATE_NOOP("AlarmType", "OBD alarm")},
    {"offline", QT_TRANSLATE_NOOP("AlarmType", "Offline")},
    {"other", QT_TRANSLATE_NOOP("AlarmType", "Other")},
    {"overSpeed", QT_TRANSLATE_NOOP("AlarmType", "Overspeed")},
    {"sensitiveAreasFence", QT_TRANSLATE_NOOP("AlarmType", "Sensitive area")},
    {"stayAlert", QT_TRANSLATE_NOOP("AlarmType", "Parking overtime")},
    {"stayAlertOn", QT_TRANSLATE_NOOP("AlarmType", "Idling overtime")},
    {"stayTimeIn", QT_TRANSLATE_NOOP("AlarmType", "Stay inside geo-fence")},
    {"stayTimeOut", QT_TRANSLATE_NOOP("AlarmType", "Stay outside geo-fence")},
    {"statusTrunk_0", QT_TRANSLATE_NOOP("AlarmType", "Trunk closed")},
    {"statusTrunk_1", QT_TRANSLATE_NOOP("AlarmType", "Trunk open")},
    {"ubiAcce", QT_TRANSLATE_NOOP("AlarmType", "Harsh acceleration")},
    {"ubiColl", QT_TRANSLATE_NOOP("AlarmType", "Collision")},
    {"ubiDece", QT_TRANSLATE_NOOP("AlarmType", "Harsh braking")},
    {"ubiLane", QT_TRANSLATE_NOOP("AlarmType", "Lane change")},
    {"ubiRoll", QT_TRANSLATE_NOOP("AlarmType", "Rollover")},
    {"ubiSatt", QT_TRANSLATE_NOOP("AlarmType", "Sharp turn")},
    {"ubiStab", QT_TRANSLATE_NOOP("AlarmType", "Vehicle stability")},
    {"ubiTurn", QT_TRANSLATE_NOOP("AlarmType", "Sharp turn")},
    {"burglarStatus_0", QT_TRANSLATE_NOOP("AlarmType", "Anti-theft disarmed")},
    {"burglarStatus_1", QT_TRANSLATE_NOOP("AlarmType", "Anti-theft armed")},
    {"burglarStatus_2", QT_TRANSLATE_NOOP("AlarmType", "Anti-theft alarm")},
};

const QHash<QString, const char *> &alarmTypeTable()
{
    static const QHash<QString, const char *> table = [] {
        QHash<QString, const char *> t;
        for (const AlarmTypeEntry &e : kAlarmTypes)
            t.insert(QString::fromLatin1(e.code), e.name);
        return t;
    }();
    return table;
}

} // namespace

QString alarmTypeText(const QString &typeId)
{
    const char *name = alarmTypeTable().value(typeId.trimmed());
    return name ? QString::fromLatin1(name) : QString();
}

QString alarmTypeLabel(const QString &typeId, const QString &cloudName)
{
    if (const char *name = alarmTypeTable().value(typeId.trimmed()))
        return QString::fromLatin1(name);
    return cloudName.isEmpty() ? typeId : QStringLiteral("%1 (%2)").arg(cloudName, typeId);
}

QStringList alarmTypeCodes()
{
    QStringList codes;
    for (const AlarmTypeEntry &e : kAlarmTypes)
        codes.append(QString::fromLatin1(e.code));
    return codes;
}

} // namespace Fleet
