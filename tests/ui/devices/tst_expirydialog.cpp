// Service expiry: the vehicles expiring within N days (expired ones marked),
// a selection extended to a day, and the list read again after the answer.

#include "devices/expirydialog.h"

#include <QDateEdit>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTimeZone>
#include <QTreeWidget>
#include <QtTest>

using namespace Fleet;

class TestExpiryDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsWithinTheDaysAndMarksTheExpired();
    void extendsTheSelection();

private:
    static QDateTime now() { return QDateTime(QDate(2026, 12, 3), QTime(15, 0), QTimeZone::utc()); }
    static Device device(const QString &imei, const QString &name, int daysLeft)
    {
        Device d;
        d.imei = imei;
        d.name = name;
        d.expiration = now().addDays(daysLeft);
        return d;
    }
    QList<Device> m_fleet{device(QStringLiteral("860000000000001"), QStringLiteral("Van 1"), -3),
                          device(QStringLiteral("860000000000002"), QStringLiteral("Van 2"), 10),
                          device(QStringLiteral("860000000000003"), QStringLiteral("Van 3"), 90)};
    QList<QDateTime> m_asked;
    ExpiryDialog::Source source()
    {
        return [this](const QDateTime &until) {
            m_asked.append(until);
            QList<Device> out;
            for (const Device &d : std::as_const(m_fleet))
                if (d.expiration <= until)
                    out.append(d);
            return out;
        };
    }
};

void TestExpiryDialog::listsWithinTheDaysAndMarksTheExpired()
{
    ExpiryDialog d(source(), now());
    d.show();
    QCOMPARE(m_asked.constLast(), now().addDays(30));
    QCOMPARE(d.list()->topLevelItemCount(), 2);
    QCOMPARE(d.list()->topLevelItem(0)->text(0), QStringLiteral("Van 1"));
    QCOMPARE(d.list()->topLevelItem(0)->text(3), QStringLiteral("expired"));
    QCOMPARE(d.list()->topLevelItem(1)->text(3), QStringLiteral("10"));
    QVERIFY(d.list()->topLevelItem(0)->foreground(0).color() != d.list()->topLevelItem(1)->foreground(0).color());
    QVERIFY(!d.extendButton()->isEnabled());

    d.daysField()->selectAll();
    QTest::keyClicks(d.daysField(), QStringLiteral("100"));
    QCOMPARE(m_asked.constLast(), now().addDays(100));
    QCOMPARE(d.list()->topLevelItemCount(), 3);
}

void TestExpiryDialog::extendsTheSelection()
{
    ExpiryDialog d(source(), now());
    d.show();
    QTreeWidget *list = d.list();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->topLevelItem(0)).center());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::ControlModifier,
                      list->visualItemRect(list->topLevelItem(1)).center());
    QCOMPARE(d.selectedImeis(), (QStringList{QStringLiteral("860000000000001"), QStringLiteral("860000000000002")}));
    QVERIFY(d.extendButton()->isEnabled());
    QCOMPARE(d.dateField()->date(), QDate(2027, 12, 3)); // a year on, by default
    d.dateField()->setDate(QDate(2028, 1, 31));
    QSignalSpy requested(&d, &AdminDialog::requested);
    QTest::mouseClick(d.extendButton(), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    const FleetAdminRequest r = requested.at(0).at(0).value<FleetAdminRequest>();
    QCOMPARE(r.kind, FleetAdminRequest::Kind::ExtendExpiry);
    QCOMPARE(r.expiration, QDate(2028, 1, 31));
    QCOMPARE(r.imeis, d.selectedImeis());
    QVERIFY(!d.extendButton()->isEnabled());

    // The cloud extended one and refused the other; the store now says so.
    m_fleet[1].expiration = QDateTime(QDate(2028, 1, 31), QTime(23, 59, 59), QTimeZone::utc());
    AdminOutcome o;
    o.changed = {QStringLiteral("860000000000002")};
    o.refused = {{QStringLiteral("860000000000001"), QStringLiteral("No permission")}};
    o.message = QStringLiteral("No permission");
    const int reads = int(m_asked.size());
    d.finished(o);
    QCOMPARE(int(m_asked.size()), reads + 1);
    QCOMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(d.selectedImeis(), QStringList{QStringLiteral("860000000000001")}); // kept
    QCOMPARE(d.messageLabel()->text(), QStringLiteral("Van 1: No permission"));
    QVERIFY(d.isVisible());
}

QTEST_MAIN(TestExpiryDialog)
#include "tst_expirydialog.moc"
