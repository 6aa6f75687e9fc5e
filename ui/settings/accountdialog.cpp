#include "accountdialog.h"

#include "domain/accesstoken.h"
#include "api/apiclient.h"
#include "sync/ingestconfig.h"
#include "util/clock.h"

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

// What the cloud refused, in words that say what to fix. The cloud's own
// message is quoted as plain text.
QString refusalText(const ApiError &e, const QString &host)
{
    const QString cloud = e.apiCode != 0 ? QStringLiteral("\u201c%1\u201d (code %2)").arg(e.message).arg(e.apiCode)
                                         : e.message;
    switch (e.kind) {
    case ApiError::Kind::Network:
    case ApiError::Kind::Timeout:
        return AccountDialog::tr("%1 cannot be reached: %2. Check the region or URL, and the network.")
            .arg(host, cloud);
    case ApiError::Kind::Http:
        return AccountDialog::tr("%1 answered HTTP %2: it may not be the Open API's address. Check the region or URL.")
            .arg(host)
            .arg(e.httpStatus);
    case ApiError::Kind::MalformedResponse:
        return AccountDialog::tr("%1 answered something that is not the Open API: %2. Check the region or URL.")
            .arg(host, cloud);
    case ApiError::Kind::RateLimited:
        return AccountDialog::tr("The cloud says sign-ins are too frequent: %1. Wait a minute and test again.")
            .arg(cloud);
    case ApiError::Kind::Api:
        if (e.apiCode == 1002 && e.message.contains(QLatin1String("app_key"), Qt::CaseInsensitive))
            return AccountDialog::tr("The cloud does not know this app key: %1.").arg(cloud);
        if (e.apiCode == 1002)
            return AccountDialog::tr("The cloud refused the account or the password: %1. Check both; the password "
                                     "is case-sensitive.")
                .arg(cloud);
        if (e.apiCode == 1001 && e.message.contains(QLatin1String("sign"), Qt::CaseInsensitive))
            return AccountDialog::tr("The cloud refused the request's signature: %1. Check the app secret.").arg(cloud);
        return AccountDialog::tr("The cloud refused the sign-in: %1.").arg(cloud);
    case ApiError::Kind::TokenInvalid:
    case ApiError::Kind::InvalidArgument:
    case ApiError::Kind::Cancelled: break;
    }
    return AccountDialog::tr("The sign-in failed: %1.").arg(cloud);
}

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"));
}

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
    , m_instructUrl(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_testStatus(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_testButton(m_buttons->addButton(tr("&Test connection"), QDialogButtonBox::ActionRole))
{
    setWindowTitle(tr("Tracksolid Pro account"));
    m_region->addItem(tr("Hong Kong (hk)"), QStringLiteral("hk"));
    m_region->addItem(tr("Europe (eu)"), QStringLiteral("eu"));
    m_region->addItem(tr("United States (us)"), QStringLiteral("us"));
    m_region->addItem(tr("Tracksolid (ts)"), QStringLiteral("ts"));
    m_region->addItem(tr("Custom URL"), QString());
    m_customUrl->setPlaceholderText(QStringLiteral("https://…/route/rest"));
    m_instructUrl->setPlaceholderText(tr("optional, e.g. http://gateway.example.com:8080"));
    m_instructUrl->setToolTip(tr("The instruction gateway (InsAddress) your Tracksolid Pro account manager gives "
                                 "you. With it, alarms can be acknowledged on the device itself."));
    m_appSecret->setEchoMode(QLineEdit::Password);
    m_password->setEchoMode(QLineEdit::Password);
    m_listen->setText(QStringLiteral("127.0.0.1:8090"));
    m_token->setReadOnly(true);
    m_token->setText(newToken());
    m_token->setToolTip(tr("Give this token to the push configuration of your Tracksolid Pro account."));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    m_testButton->setObjectName(QStringLiteral("testConnection"));
    m_testButton->setToolTip(tr("Sign in with these settings now, before connecting."));
    m_testStatus->setObjectName(QStringLiteral("testStatus"));
    m_testStatus->setWordWrap(true);
    m_testStatus->setTextFormat(Qt::PlainText); // it quotes the cloud
    m_testStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testStatus->setVisible(false);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &AccountDialog::showCountdown);

    auto *form = new QFormLayout;
    form->addRow(tr("&Region:"), m_region);
    form->addRow(tr("&URL:"), m_customUrl);
    form->addRow(tr("App &key:"), m_appKey);
    form->addRow(tr("App &secret:"), m_appSecret);
    form->addRow(tr("&Account:"), m_userId);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(tr("&Instruction gateway:"), m_instructUrl);
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
    layout->addWidget(m_testStatus);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &AccountDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &AccountDialog::reject);
    connect(m_testButton, &QPushButton::clicked, this, &AccountDialog::testConnection);
    for (QLineEdit *e : {m_customUrl, m_appKey, m_appSecret, m_userId, m_password, m_instructUrl})
        connect(e, &QLineEdit::textChanged, this, &AccountDialog::fieldsChanged);
    connect(m_listen, &QLineEdit::textChanged, this, &AccountDialog::updateState);
    connect(m_region, &QComboBox::currentIndexChanged, this, &AccountDialog::fieldsChanged);
    connect(m_webhook, &QCheckBox::toggled, this, &AccountDialog::updateState);
    updateState();
}

AccountDialog::~AccountDialog()
{
    stopTest();
}

void AccountDialog::setAccount(const AccountSettings &account, const std::optional<AccountSecrets> &secrets)
{
    const int index = account.region.isEmpty() ? m_region->count() - 1 : m_region->findData(account.region);
    m_region->setCurrentIndex(std::max(0, index));
    m_customUrl->setText(account.customUrl);
    m_appKey->setText(account.appKey);
    m_userId->setText(account.userId);
    m_webhook->setChecked(account.webhookEnabled);
    m_instructUrl->setText(account.instructUrl);
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
    a.instructUrl = m_instructUrl->text().trimmed();
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
        if (a.customUrl.isEmpty())
            return tr("Enter the API's URL.");
        if (!isHttpUrl(a.customUrl))
            return tr("The URL must be an http(s) address such as https://example.com/route/rest.");
    }
    if (a.appKey.isEmpty())
        return tr("Enter the app key.");
    if (!a.instructUrl.isEmpty() && !isHttpUrl(a.instructUrl))
        return tr("The instruction gateway must be an http(s) address such as http://gateway.example.com:8080.");
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
    const bool testing = m_testState == TestState::Running || m_testState == TestState::Waiting;
    // The webhook's fields play no part in signing in.
    const bool canTest = error.isEmpty() || error == tr("Listen on an address and port, such as 127.0.0.1:8090.");
    m_testButton->setEnabled(canTest && !testing);
    m_error->setText(error);
}

void AccountDialog::setTokenStore(TokenStore *store)
{
    stopTest();
    m_tokens = store;
}

void AccountDialog::setClientOptions(const ApiClientOptions &options)
{
    m_options = std::make_unique<ApiClientOptions>(options);
}

QString AccountDialog::testMessage() const
{
    return m_testStatus->isVisibleTo(this) ? m_testStatus->text() : QString();
}

void AccountDialog::fieldsChanged()
{
    // A result belongs to the fields it was tested with.
    if (m_testState != TestState::NotRun) {
        stopTest();
        showTest(TestState::NotRun, QString());
    }
    updateState();
}

void AccountDialog::stopTest()
{
    m_countdown.stop();
    m_signInAt = QDateTime();
    // Deleted at once: a token.get in flight must not answer into a token
    // store that the dialog's caller is about to destroy.
    m_probe.reset();
}

void AccountDialog::showTest(TestState state, const QString &message)
{
    m_testState = state;
    m_testStatus->setText(message);
    m_testStatus->setVisible(!message.isEmpty());
    const char *colour = state == TestState::SignedIn ? "color: #188038"
        : state == TestState::Refused                 ? "color: #c62828"
                                                      : "";
    m_testStatus->setStyleSheet(QString::fromLatin1(colour));
    updateState();
}

void AccountDialog::showCountdown()
{
    const qint64 ms = m_signInAt.isValid() ? Clock::system()->nowUtc().msecsTo(m_signInAt) : 0;
    if (ms <= 0) {
        m_countdown.stop();
        showTest(TestState::Running, tr("Signing in…"));
        return;
    }
    showTest(TestState::Waiting,
             tr("The cloud allows one sign-in a minute, and this account signed in less than a minute ago. "
                "Signing in in %n s…",
                nullptr, int((ms + 999) / 1000)));
}

void AccountDialog::testConnection()
{
    stopTest();
    AccountSecrets s = secrets();
    if (s.passwordMd5.isEmpty())
        return;
    const ApiAccount account = apiAccount(this->account(), s);
    if (!m_tokens) {
        m_ownTokens = std::make_unique<MemoryTokenStore>();
        m_tokens = m_ownTokens.get();
    }
    m_probe = std::make_unique<ApiClient>(account, m_tokens, Clock::system(),
                                          m_options ? *m_options : ApiClientOptions());
    const QString host = account.baseUrl.host();
    connect(m_probe.get(), &ApiClient::tokenGetDeferred, this, [this](const QDateTime &at) {
        m_signInAt = at;
        m_countdown.start();
        showCountdown();
    });
    connect(m_probe.get(), &ApiClient::tokenChanged, this, [this, user = account.userId] {
        m_countdown.stop();
        showTest(TestState::SignedIn,
                 tr("Signed in as %1: the account, the password, the app key and the app secret "
                    "are right.")
                     .arg(user));
        Q_EMIT testFinished(true);
    });
    connect(m_probe.get(), &ApiClient::tokenFailed, this, [this, host](const ApiError &e) {
        m_countdown.stop();
        showTest(TestState::Refused, refusalText(e, host));
        Q_EMIT testFinished(false);
    });
    showTest(TestState::Running, tr("Signing in to %1…").arg(host));
    m_probe->signIn(true);
}

void AccountDialog::done(int result)
{
    stopTest();
    QDialog::done(result);
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
