package jwg.noise;

/**
 * A map from local index to its owner (typically the peer), handing out one {@link IndexTable}
 * view per owner. The datapath looks up the owner of an incoming receiver index with
 * {@link #owner}, once per packet: that lookup allocates nothing (no boxed key).
 *
 * <p>An open-addressing table of int keys with linear probing, at most half full; removal shifts
 * the entries behind back (no tombstones).
 *
 * <p>Not thread-safe: confined to the thread that owns the peers (the device's event loop), where
 * the packets are received and the handshakes claim and release indices. (Until the datapath was
 * confined to one loop, a StampedLock guarded the writes and reads were optimistic; several loops
 * sharing one map would need that again, or one map per loop.)
 */
public final class IndexMap<T> {
    private static final int INITIAL_CAPACITY = 16;

    private int[] keys = new int[INITIAL_CAPACITY];
    /** values[i] != null marks slot i as used. */
    private Object[] values = new Object[INITIAL_CAPACITY];
    private int size;

    /** The owner of index, or null if the index is not in use. */
    public T owner(int index) {
        return find(keys, values, index);
    }

    public int size() {
        return size;
    }

    /** An IndexTable whose claims are recorded for owner. */
    public IndexTable viewFor(T owner) {
        if (owner == null) throw new NullPointerException("owner");
        return new IndexTable() {
            @Override public boolean claim(int index) { return put(index, owner); }

            @Override public void release(int index) { remove(index, owner); }
        };
    }

    /** The value at key in (ks, vs), or null; it probes at most the table's length. */
    @SuppressWarnings("unchecked")
    private static <T> T find(int[] ks, Object[] vs, int key) {
        int mask = ks.length - 1;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            Object v = vs[i];
            if (v == null) return null;
            if (ks[i] == key) return (T) v;
        }
        return null;
    }

    private static int slot(int key, int mask) {
        int h = key * 0x9E3779B9; // Fibonacci hashing: the high bits mix every key bit
        return (h ^ (h >>> 16)) & mask;
    }

    private boolean put(int key, Object owner) {
        if (find(keys, values, key) != null) return false;
        if (2 * (size + 1) > keys.length) resize(keys.length * 2);
        insert(keys, values, key, owner);
        size++;
        return true;
    }

    private static void insert(int[] ks, Object[] vs, int key, Object value) {
        int mask = ks.length - 1;
        int i = slot(key, mask);
        while (vs[i] != null) i = (i + 1) & mask;
        ks[i] = key;
        vs[i] = value;
    }

    private void resize(int capacity) {
        int[] ks = new int[capacity];
        Object[] vs = new Object[capacity];
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) insert(ks, vs, keys[i], values[i]);
        }
        keys = ks;
        values = vs;
    }

    /** Removes key if owner holds it; then moves back the entries of the same probe run behind it. */
    private void remove(int key, Object owner) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null && keys[i] != key) i = (i + 1) & mask;
        if (values[i] != owner) return;
        values[i] = null;
        size--;
        // Backward shift: an entry further on may move into the hole if its home slot does not
        // lie cyclically in (hole, its slot].
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (stays) continue;
            keys[i] = keys[j];
            values[i] = values[j];
            values[j] = null;
            i = j;
        }
    }
}
