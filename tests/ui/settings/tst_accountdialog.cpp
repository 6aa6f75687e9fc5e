#include "settings/accountdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using namespace Fleet;

class TestAccountDialog : public QObject
{
    Q_OBJECT

private:
    static QLineEdit *edit(AccountDialog &d, int index) { return d.findChildren<QLineEdit *>().at(index); }
    static QPushButton *ok(AccountDialog &d)
    {
        return d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }
    // Order of construction: custom URL, app key, app secret, account, password, listen, token.
    enum { Url, Key, Secret, User, Password, Listen, Token };

private Q_SLOTS:
    void requiresEveryField()
    {
        AccountDialog d;
        QVERIFY(!ok(d)->isEnabled());
        QCOMPARE(d.validationError(), QStringLiteral("Enter the app key."));
        edit(d, Key)->setText(QStringLiteral("KEY"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the app secret."));
        edit(d, Secret)->setText(QStringLiteral("SECRET"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the account."));
        edit(d, User)->setText(QStringLiteral("dispatch"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the password."));
        edit(d, Password)->setText(QStringLiteral("demo1234"));
        QVERIFY(d.validationError().isEmpty());
        QVERIFY(ok(d)->isEnabled());
    }

    void customUrlMustBeHttp()
    {
        AccountDialog d;
        auto *region = d.findChild<QComboBox *>();
        region->setCurrentIndex(region->count() - 1);
        QVERIFY(edit(d, Url)->isEnabled());
        QCOMPARE(d.validationError(), QStringLiteral("Enter the API's URL."));
        edit(d, Url)->setText(QStringLiteral("ftp://example.com/route/rest"));
        QVERIFY(d.validationError().startsWith(QLatin1String("The URL must be")));
        edit(d, Url)->setText(QStringLiteral("https://example.com/route/rest"));
        QCOMPARE(d.validationError(), QStringLiteral("Enter the app key."));
    }

    void webhookNeedsAListenAddress()
    {
        AccountDialog d;
        edit(d, Key)->setText(QStringLiteral("KEY"));
        edit(d, Secret)->setText(QStringLiteral("SECRET"));
        edit(d, User)->setText(QStringLiteral("dispatch"));
        edit(d, Password)->setText(QStringLiteral("pw"));
        d.findChild<QCheckBox *>()->setChecked(true);
        edit(d, Listen)->setText(QStringLiteral("nowhere"));
        QVERIFY(d.validationError().startsWith(QLatin1String("Listen on")));
        edit(d, Listen)->setText(QStringLiteral("127.0.0.1:8091"));
        QVERIFY(d.validationError().isEmpty());
        // A fresh, long push token is proposed.
        QVERIFY(edit(d, Token)->text().size() >= 32);
    }

    void acceptKeepsOnlyThePasswordHash()
    {
        AccountDialog d;
        auto *region = d.findChild<QComboBox *>();
        region->setCurrentIndex(region->findData(QStringLiteral("eu")));
        edit(d, Key)->setText(QStringLiteral(" KEY "));
        edit(d, Secret)->setText(QStringLiteral("SECRET"));
        edit(d, User)->setText(QStringLiteral("dispatch"));
        edit(d, Password)->setText(QStringLiteral("demo1234"));
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QVERIFY(edit(d, Password)->text().isEmpty());
        const AccountSettings a = d.account();
        QCOMPARE(a.region, QStringLiteral("eu"));
        QCOMPARE(a.appKey, QStringLiteral("KEY"));
        QCOMPARE(a.userId, QStringLiteral("dispatch"));
        QVERIFY(a.customUrl.isEmpty());
        const AccountSecrets s = d.secrets();
        QCOMPARE(s.appSecret, QStringLiteral("SECRET"));
        QCOMPARE(s.passwordMd5, QStringLiteral("6e9bece1914809fb8493146417e722f6"));
    }

    void editingKeepsTheStoredHashWhenPasswordIsBlank()
    {
        AccountDialog d;
        AccountSettings a;
        a.region = QStringLiteral("us");
        a.appKey = QStringLiteral("KEY");
        a.userId = QStringLiteral("dispatch");
        a.webhookEnabled = true;
        a.webhookListen = QStringLiteral("127.0.0.1:8095");
        AccountSecrets s{QStringLiteral("SECRET"), QStringLiteral("6e9bece1914809fb8493146417e722f6"), QStringLiteral("tok-123")};
        d.setAccount(a, s);
        QVERIFY(d.validationError().isEmpty());
        d.accept();
        QCOMPARE(d.account(), a);
        QCOMPARE(d.secrets(), s);
    }
};

QTEST_MAIN(TestAccountDialog)
#include "tst_accountdialog.moc"
