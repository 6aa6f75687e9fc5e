#pragma once

#include "store/storereader.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace Fleet {

// What the webhook could not read (push_quarantine), for an administrator:
// the endpoint, when (first and last), how often, which item, the reason,
// and the raw payload as received; exported as JSON Lines.
class RejectedDataDialog : public QDialog
{
    Q_OBJECT

public:
    // Reads the store's quarantine (the newest `limit` rows).
    explicit RejectedDataDialog(const QString &databasePath, QWidget *parent = nullptr, int limit = 1000);

    int rowCount() const;
    qint64 total() const { return m_total; }
    // Selects a row and shows its payload; the payload shown, for tests.
    void selectRow(int row);
    QString payloadText() const;
    // Every quarantined row, one JSON object a line; false with *error.
    bool exportTo(const QString &path, QString *error);
    QString errorString() const { return m_error; }

private:
    void chooseExport();

    QString m_path;
    QList<QuarantineRow> m_rows;
    qint64 m_total = 0;
    QString m_error;
    QTreeWidget *m_list;
    QPlainTextEdit *m_payload;
    QLabel *m_summary;
};

} // namespace Fleet
