package jwg.noise;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** A RandomGenerator that returns exactly the values queued in it (for known-answer tests), and fails otherwise. */
public final class ScriptedRandom implements RandomGenerator {
    private final Deque<byte[]> bytes = new ArrayDeque<>();
    private final Deque<Integer> ints = new ArrayDeque<>();

    public ScriptedRandom withBytes(byte[] b) {
        bytes.add(b.clone());
        return this;
    }

    public ScriptedRandom withInts(int... values) {
        for (int v : values) ints.add(v);
        return this;
    }

    @Override
    public void nextBytes(byte[] out) {
        byte[] b = bytes.remove();
        if (b.length != out.length) throw new IllegalStateException("scripted " + b.length + " bytes, asked " + out.length);
        System.arraycopy(b, 0, out, 0, b.length);
    }

    @Override
    public int nextInt() {
        return ints.remove();
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("not scripted");
    }

    public boolean exhausted() {
        return bytes.isEmpty() && ints.isEmpty();
    }
}
