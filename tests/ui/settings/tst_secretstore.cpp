// The keychain, for real: under a session bus with GNOME Keyring when one can
// be started (the ctest wrapper does), and without any keychain to show the
// user gets a clear "no keychain" outcome rather than a silent failure.

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

    static bool keyringExpected() { return qEnvironmentVariableIsSet("FLEET_TEST_KEYRING"); }

private Q_SLOTS:
    void writeReadRemove()
    {
        if (!keyringExpected())
            QSKIP("needs a session bus with a secret service (the ctest entry tst_secretstore_keyring runs it)");
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
        if (keyringExpected())
            QSKIP("a keychain is running (tst_secretstore without it covers this case)");
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
