#include "store/filetokenstore.h"
#include "util/utc.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Fleet;

class TestAccessToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usableAt();
    void fileStoreRoundTrip();
    void fileStoreIsPrivate();
    void fileStoreKeepsAccountsApart();
    void corruptFileIsAnEmptyState();
    void twoClientsNeverUndoEachOthersSignIn();
};

namespace {
TokenState sample()
{
    TokenState s;
    AccessToken t;
    t.accessToken = QStringLiteral("7da3330ec28e3996b6ef4a7e3390ba71");
    t.refreshToken = QStringLiteral("0b1c9a7e3390ba717da3330ec28e3996");
    t.obtainedAt = Utc::fromSecs(1'780'000'000);
    t.expiresAt = t.obtainedAt.addSecs(7200);
    t.account = QStringLiteral("demo");
    s.token = t;
    s.lastTokenGet = t.obtainedAt;
    return s;
}
} // namespace

void TestAccessToken::usableAt()
{
    const AccessToken t = *sample().token;
    QVERIFY(t.usableAt(t.obtainedAt));
    QVERIFY(t.usableAt(t.expiresAt.addSecs(-601), 600));
    QVERIFY(!t.usableAt(t.expiresAt.addSecs(-599), 600));
    QVERIFY(!t.usableAt(t.expiresAt));
    QVERIFY(!AccessToken().usableAt(t.obtainedAt));
}

void TestAccessToken::fileStoreRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/tokens.json"));
    {
        FileTokenStore store(path);
        QCOMPARE(store.load(QStringLiteral("a")), TokenState());
        store.save(QStringLiteral("a"), sample());
    }
    FileTokenStore again(path); // a restart
    QCOMPARE(again.load(QStringLiteral("a")), sample());
}

void TestAccessToken::fileStoreIsPrivate()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tokens.json"));
    FileTokenStore store(path);
    store.save(QStringLiteral("a"), sample());
    const QFile::Permissions p = QFile::permissions(path);
    QVERIFY(p & QFileDevice::ReadOwner);
    QVERIFY(
        !(p & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther)));
}

void TestAccessToken::fileStoreKeepsAccountsApart()
{
    QTemporaryDir dir;
    FileTokenStore store(dir.filePath(QStringLiteral("tokens.json")));
    store.save(QStringLiteral("a"), sample());
    TokenState other;
    other.lastTokenGet = Utc::fromSecs(1'780'000'100);
    store.save(QStringLiteral("b"), other);
    QCOMPARE(store.load(QStringLiteral("a")), sample());
    QCOMPARE(store.load(QStringLiteral("b")), other);
    QVERIFY(!store.load(QStringLiteral("b")).token);
}

void TestAccessToken::twoClientsNeverUndoEachOthersSignIn()
{
    // The account dialog's test signed in (a token, the answer's time);
    // then the session, still with the old password, saves what it knows:
    // no token, an older sign-in. The newer of each is kept.
    QTemporaryDir dir;
    FileTokenStore store(dir.filePath(QStringLiteral("tokens.json")));
    const TokenState signedIn = sample();
    store.save(QStringLiteral("a"), signedIn);
    TokenState stale;
    stale.lastTokenGet = signedIn.lastTokenGet.addSecs(-70);
    store.save(QStringLiteral("a"), stale);
    QCOMPARE(store.load(QStringLiteral("a")), signedIn);

    // A refused sign-in after it moves the time on and keeps the token.
    TokenState refused;
    refused.lastTokenGet = signedIn.lastTokenGet.addSecs(65);
    store.save(QStringLiteral("a"), refused);
    QCOMPARE(store.load(QStringLiteral("a")).lastTokenGet, refused.lastTokenGet);
    QCOMPARE(store.load(QStringLiteral("a")).token, signedIn.token);

    // A newer token replaces the older one.
    TokenState refreshed = sample();
    refreshed.token->accessToken = QStringLiteral("f00dfeed000000000000000000000000");
    refreshed.token->obtainedAt = signedIn.token->obtainedAt.addSecs(3000);
    refreshed.lastTokenGet = refused.lastTokenGet;
    store.save(QStringLiteral("a"), refreshed);
    QCOMPARE(store.load(QStringLiteral("a")).token->accessToken, refreshed.token->accessToken);
}

void TestAccessToken::corruptFileIsAnEmptyState()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tokens.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"a\": {\"token\": {\"accessToken\": 5, \"expiresAt\": \"never\"}}, garbage");
    f.close();
    FileTokenStore store(path);
    QCOMPARE(store.load(QStringLiteral("a")), TokenState());
    store.save(QStringLiteral("a"), sample()); // and it recovers
    QCOMPARE(store.load(QStringLiteral("a")), sample());
}

QTEST_GUILESS_MAIN(TestAccessToken)
#include "tst_accesstoken.moc"
