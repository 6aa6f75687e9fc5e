#include "accountdialog.h"

#include "sync/ingestconfig.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QUrl>
#include <QVBoxLayout>

namespace Fleet {

namespace {

QString newToken()
{
    // 192 bits, URL-safe: the cloud sends it back with every push.
    QByteArray raw(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

AccountDialog::AccountDialog(QWidget *parent)
    : QDialog(parent)
    , m_region(new QComboBox(this))
    , m_customUrl(new QLineEdit(this))
    , m_appKey(new QLineEdit(this))
    , m_appSecret(new QLineEdit(this))
    , m_userId(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_webhook(new QCheckBox(tr("Receive the cloud's data pushes"), this))
    , m_listen(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Tracksolid Pro account"));
    m_region->addItem(tr("Hong Kong (hk)"), QStringLiteral("hk"));
    m_region->addItem(tr("Europe (eu)"), QStringLiteral("eu"));
    m_region->addItem(tr("United States (us)"), QStringLiteral("us"));
    m_region->addItem(tr("Tracksolid (ts)"), QStringLiteral("ts"));
    m_region->addItem(tr("Custom URL"), QString());
    m_customUrl->setPlaceholderText(QStringLiteral("https://…/route/rest"));
    m_appSecret->setEchoMode(QLineEdit::Password);
    m_password->setEchoMode(QLineEdit::Password);
    m_listen->setText(QStringLiteral("127.0.0.1:8090"));
    m_token->setReadOnly(true);
    m_token->setText(newToken());
    m_token->setToolTip(tr("Give this token to the push configuration of your Tracksolid Pro account."));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Region:"), m_region);
    form->addRow(tr("&URL:"), m_customUrl);
    form->addRow(tr("App &key:"), m_appKey);
    form->addRow(tr("App &secret:"), m_appSecret);
    form->addRow(tr("&Account:"), m_userId);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_webhook);
    form->addRow(tr("&Listen on:"), m_listen);
    form->addRow(tr("Push token:"), m_token);
    auto *note = new QLabel(tr("The app secret, the password's MD5 and the push token are kept in the system "
                               "keychain; the password itself is not stored."),
                            this);
    note->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &AccountDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AccountDialog::reject);
    for (QLineEdit *e : {m_customUrl, m_appKey, m_appSecret, m_userId, m_password, m_listen})
        connect(e, &QLineEdit::textChanged, this, &AccountDialog::updateState);
    connect(m_region, &QComboBox::currentIndexChanged, this, &AccountDialog::updateState);
    connect(m_webhook, &QCheckBox::toggled, this, &AccountDialog::updateState);
    updateState();
}

void AccountDialog::setAccount(const AccountSettings &account, const std::optional<AccountSecrets> &secrets)
{
    const int index = account.region.isEmpty() ? m_region->count() - 1 : m_region->findData(account.region);
    m_region->setCurrentIndex(std::max(0, index));
    m_customUrl->setText(account.customUrl);
    m_appKey->setText(account.appKey);
    m_userId->setText(account.userId);
    m_webhook->setChecked(account.webhookEnabled);
    if (!account.webhookListen.isEmpty())
        m_listen->setText(account.webhookListen);
    m_stored = secrets;
    if (secrets) {
        m_appSecret->setText(secrets->appSecret);
        m_password->setPlaceholderText(tr("unchanged"));
        if (!secrets->webhookToken.isEmpty())
            m_token->setText(secrets->webhookToken);
    }
    updateState();
}

AccountSettings AccountDialog::account() const
{
    AccountSettings a;
    a.region = m_region->currentData().toString();
    if (a.region.isEmpty())
        a.customUrl = m_customUrl->text().trimmed();
    a.appKey = m_appKey->text().trimmed();
    a.userId = m_userId->text().trimmed();
    a.webhookEnabled = m_webhook->isChecked();
    a.webhookListen = m_listen->text().trimmed();
    return a;
}

AccountSecrets AccountDialog::secrets() const
{
    AccountSecrets s;
    s.appSecret = m_appSecret->text().trimmed();
    s.passwordMd5 = m_passwordMd5;
    if (s.passwordMd5.isEmpty() && !m_password->text().isEmpty())
        s.passwordMd5 = AccountSecrets::md5Hex(m_password->text());
    if (s.passwordMd5.isEmpty() && m_stored)
        s.passwordMd5 = m_stored->passwordMd5;
    s.webhookToken = m_token->text();
    return s;
}

QString AccountDialog::validationError() const
{
    const AccountSettings a = account();
    if (a.region.isEmpty()) {
        const QUrl url(a.customUrl, QUrl::StrictMode);
        if (a.customUrl.isEmpty())
            return tr("Enter the API's URL.");
        if (!url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
            return tr("The URL must be an http(s) address such as https://example.com/route/rest.");
    }
    if (a.appKey.isEmpty())
        return tr("Enter the app key.");
    if (m_appSecret->text().trimmed().isEmpty())
        return tr("Enter the app secret.");
    if (a.userId.isEmpty())
        return tr("Enter the account.");
    if (m_password->text().isEmpty() && !m_stored)
        return tr("Enter the password.");
    if (a.webhookEnabled && !IngestConfig::parseListen(a.webhookListen))
        return tr("Listen on an address and port, such as 127.0.0.1:8090.");
    return {};
}

void AccountDialog::updateState()
{
    const bool custom = m_region->currentData().toString().isEmpty();
    m_customUrl->setEnabled(custom);
    m_listen->setEnabled(m_webhook->isChecked());
    m_token->setEnabled(m_webhook->isChecked());
    const QString error = validationError();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
    m_error->setText(error);
}

void AccountDialog::accept()
{
    if (!validationError().isEmpty())
        return;
    // From here on only the hash exists.
    if (!m_password->text().isEmpty())
        m_passwordMd5 = AccountSecrets::md5Hex(m_password->text());
    m_password->clear();
    QDialog::accept();
}

} // namespace Fleet
