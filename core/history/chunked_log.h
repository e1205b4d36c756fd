#pragma once
// An append-only sequence stored in fixed-size chunks. Appending never moves earlier elements (so
// references stay valid and nothing is copied as the log grows), which matters for traces of millions
// of events.
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <iterator>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace distlab {

// Chunks are 2 MiB and 2 MiB-aligned: on Linux the kernel can back each with one huge page, so a long
// run takes one page fault per chunk instead of one per 4 KiB.
template <class T>
class ChunkedLog {
    static_assert(std::is_trivially_destructible_v<T>, "elements are never destroyed one by one");
    static constexpr std::size_t kChunkBytes = std::size_t{2} << 20;

public:
    static constexpr std::size_t ChunkSize = kChunkBytes / sizeof(T);

    ChunkedLog() = default;
    ChunkedLog(const ChunkedLog&) = delete;
    ChunkedLog& operator=(const ChunkedLog&) = delete;
    ~ChunkedLog() {
        for (T* chunk : m_chunks) std::free(chunk);
    }

    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T*;
        using reference = const T&;

        const_iterator() = default;
        const_iterator(const ChunkedLog* log, std::size_t index) : m_log(log), m_index(index) {}
        reference operator*() const { return (*m_log)[m_index]; }
        pointer operator->() const { return &(*m_log)[m_index]; }
        reference operator[](difference_type n) const { return (*m_log)[m_index + n]; }
        const_iterator& operator++() { ++m_index; return *this; }
        const_iterator operator++(int) { auto old = *this; ++m_index; return old; }
        const_iterator& operator--() { --m_index; return *this; }
        const_iterator operator--(int) { auto old = *this; --m_index; return old; }
        const_iterator& operator+=(difference_type n) { m_index += n; return *this; }
        const_iterator& operator-=(difference_type n) { m_index -= n; return *this; }
        friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
        friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
        friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
            return difference_type(a.m_index) - difference_type(b.m_index);
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_index == b.m_index; }
        friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.m_index <=> b.m_index; }

    private:
        const ChunkedLog* m_log = nullptr;
        std::size_t m_index = 0;
    };

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const T& operator[](std::size_t i) const { return m_chunks[i / ChunkSize][i % ChunkSize]; }
    T& operator[](std::size_t i) { return m_chunks[i / ChunkSize][i % ChunkSize]; }
    const T& at(std::size_t i) const {
        if (i >= m_size) throw std::out_of_range("ChunkedLog::at");
        return (*this)[i];
    }
    const T& back() const { return (*this)[m_size - 1]; }
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(this, m_size); }

    template <class... Args>
    T& emplace_back(Args&&... args) {
        if (m_size == m_chunks.size() * ChunkSize) m_chunks.push_back(allocateChunk());
        T* slot = m_chunks[m_size / ChunkSize] + m_size % ChunkSize;
        ++m_size;
        m_written = std::max(m_written, m_size);
        return *new (slot) T(std::forward<Args>(args)...);
    }

    // Time travel: truncate() shortens the log but keeps what lay beyond in memory, as the retained
    // future; extend() brings it back up to any size within it (a replay of the same run rewrites the very
    // same elements), and dropRetained() forgets it once the run takes a different course.
    void truncate(std::size_t size) { m_size = std::min(size, m_size); }
    std::size_t retained() const { return m_written; }  // the elements in memory, shown or not
    void extend(std::size_t size) {
        if (size > m_written) throw std::out_of_range("ChunkedLog::extend beyond the retained elements");
        m_size = std::max(size, m_size);
    }
    void dropRetained() {
        const std::size_t chunks = (m_size + ChunkSize - 1) / ChunkSize;
        for (std::size_t i = chunks; i < m_chunks.size(); ++i) std::free(m_chunks[i]);
        m_chunks.resize(chunks);
        m_written = m_size;
    }

private:
    static T* allocateChunk() {
        void* memory = std::aligned_alloc(kChunkBytes, kChunkBytes);
        if (!memory) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        ::madvise(memory, kChunkBytes, MADV_HUGEPAGE);  // a hint; ignored where huge pages are off
#endif
        return static_cast<T*>(memory);
    }

    std::vector<T*> m_chunks;
    std::size_t m_size = 0;
    std::size_t m_written = 0;  // >= m_size: the rest is the retained future
};

}  // namespace distlab
