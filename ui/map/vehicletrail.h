#pragma once

#include <QPointF>

#include <vector>

namespace Fleet::Map {

// The last few positions of one vehicle, oldest first: a ring buffer of
// world points. Storage is allocated on the first append, so vehicles that
// never move cost nothing but the empty object.
class VehicleTrail
{
public:
    explicit VehicleTrail(int capacity = 20);

    // Adds the newest point, dropping the oldest when full.
    void append(QPointF world);
    void clear();
    // Keeps the newest points that still fit.
    void setCapacity(int capacity);

    int capacity() const { return m_capacity; }
    int size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    // 0 is the oldest point, size() - 1 the newest.
    QPointF at(int i) const { return m_points[std::size_t((m_head + i) % m_capacity)]; }

private:
    std::vector<QPointF> m_points;
    int m_capacity = 0;
    int m_head = 0; // index of the oldest point
    int m_size = 0;
};

} // namespace Fleet::Map
