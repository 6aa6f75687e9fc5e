#include "vehicletrail.h"

#include <algorithm>

namespace Fleet::Map {

VehicleTrail::VehicleTrail(int capacity)
    : m_capacity(std::max(0, capacity))
{ }

void VehicleTrail::append(QPointF world)
{
    if (m_capacity == 0)
        return;
    if (m_points.size() != std::size_t(m_capacity))
        m_points.resize(std::size_t(m_capacity));
    if (m_size < m_capacity) {
        m_points[std::size_t((m_head + m_size) % m_capacity)] = world;
        ++m_size;
    } else {
        m_points[std::size_t(m_head)] = world;
        m_head = (m_head + 1) % m_capacity;
    }
}

void VehicleTrail::clear()
{
    m_head = 0;
    m_size = 0;
}

void VehicleTrail::setCapacity(int capacity)
{
    capacity = std::max(0, capacity);
    if (capacity == m_capacity)
        return;
    const int keep = std::min(m_size, capacity);
    std::vector<QPointF> points;
    if (keep > 0) {
        points.resize(std::size_t(capacity));
        for (int i = 0; i < keep; ++i)
            points[std::size_t(i)] = at(m_size - keep + i);
    }
    m_points = std::move(points);
    m_capacity = capacity;
    m_head = 0;
    m_size = keep;
}

} // namespace Fleet::Map
