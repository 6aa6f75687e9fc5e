// The keychain, for real. ctest runs each case where it belongs:
// writeReadRemove on a private session bus with GNOME Keyring
// (tst_secretstore_keyring), noKeychainIsAClearOutcome with no bus at all
// (tst_secretstore), where the user must get a clear "no keychain" rather
// than a silent failure.

#include "settings/secretstore.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Fleet;

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    static SecretStore::Result run(const std::function<void(SecretStore::Callback)> &call)
    {
        std::optional<SecretStore::Result> result;
        call([&result](const SecretStore::Result &r) { result = r; });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000))
            return SecretStore::Result{SecretStore::Outcome::Failed, QStringLiteral("timed out"), {}};
        return *result;
    }

private Q_SLOTS:
    void writeReadRemove()
    {
        SecretStore store(QStringLiteral("FleetDeskTest"));
        const QByteArray secret("{\"v\":1,\"appSecret\":\"x\"}");
        SecretStore::Result w = run([&](auto done) { store.write(QStringLiteral("account/a@eu"), secret, done); });
        QVERIFY2(w.outcome == SecretStore::Outcome::Ok, qPrintable(w.error));
        SecretStore::Result r = run([&](auto done) { store.read(QStringLiteral("account/a@eu"), done); });
        QVERIFY2(r.outcome == SecretStore::Outcome::Ok, qPrintable(r.error));
        QCOMPARE(r.data, secret);
        SecretStore::Result d = run([&](auto done) { store.remove(QStringLiteral("account/a@eu"), done); });
        QVERIFY2(d.outcome == SecretStore::Outcome::Ok, qPrintable(d.error));
        SecretStore::Result gone = run([&](auto done) { store.read(QStringLiteral("account/a@eu"), done); });
        QCOMPARE(gone.outcome, SecretStore::Outcome::NotFound);
        QVERIFY(!gone.error.isEmpty());
        // Removing what is not there is not an error.
        SecretStore::Result again = run([&](auto done) { store.remove(QStringLiteral("account/a@eu"), done); });
        QCOMPARE(again.outcome, SecretStore::Outcome::Ok);
    }

    void noKeychainIsAClearOutcome()
    {
        // No session bus at all: nothing can store a secret.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fleetdesk-test-bus");
        SecretStore store(QStringLiteral("FleetDeskTest"));
        SecretStore::Result w = run([&](auto done) { store.write(QStringLiteral("k"), "v", done); });
        QVERIFY2(w.outcome == SecretStore::Outcome::NoKeychain || w.outcome == SecretStore::Outcome::Failed,
                 qPrintable(w.error));
        QVERIFY(!w.error.isEmpty());
        SecretStore::Result r = run([&](auto done) { store.read(QStringLiteral("k"), done); });
        QVERIFY(r.outcome != SecretStore::Outcome::Ok);
        QVERIFY(r.data.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
