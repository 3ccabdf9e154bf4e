package jwg.noise;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe map from local index to its owner (typically the peer), handing out one
 * {@link IndexTable} view per owner. The datapath looks up the owner of an incoming receiver
 * index with {@link #owner}. (Boxes the index on lookup; a primitive open-addressing table can
 * replace it behind the same interface if profiling asks for it.)
 */
public final class IndexMap<T> {
    private final ConcurrentHashMap<Integer, T> owners = new ConcurrentHashMap<>();

    /** The owner of index, or null if the index is not in use. */
    public T owner(int index) {
        return owners.get(index);
    }

    public int size() {
        return owners.size();
    }

    /** An IndexTable whose claims are recorded for owner. */
    public IndexTable viewFor(T owner) {
        return new IndexTable() {
            @Override public boolean claim(int index) { return owners.putIfAbsent(index, owner) == null; }

            @Override public void release(int index) { owners.remove(index, owner); }
        };
    }
}
