package jwg.noise;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexMapTest {
    @Test
    void claimsLookUpAndReleasesPerOwner() {
        IndexMap<String> map = new IndexMap<>();
        IndexTable a = map.viewFor("a");
        IndexTable b = map.viewFor("b");
        assertTrue(a.claim(7));
        assertFalse(b.claim(7), "an index in use cannot be claimed again");
        assertTrue(b.claim(0), "0 is an index like any other");
        assertTrue(b.claim(-1));
        assertEquals("a", map.owner(7));
        assertEquals("b", map.owner(0));
        assertEquals("b", map.owner(-1));
        assertNull(map.owner(8));
        b.release(7); // not b's: nothing happens
        assertEquals("a", map.owner(7));
        a.release(7);
        assertNull(map.owner(7));
        assertEquals(2, map.size());
    }

    /** Random claims and releases, many colliding in few slots, against a HashMap. */
    @Test
    void agreesWithAHashMapThroughGrowthAndRemovals() {
        SplittableRandom random = new SplittableRandom(42);
        IndexMap<String> map = new IndexMap<>();
        List<IndexTable> views = new ArrayList<>();
        List<String> owners = List.of("p0", "p1", "p2", "p3");
        for (String o : owners) views.add(map.viewFor(o));
        Map<Integer, String> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Half the keys from a small range (long probe runs), half anywhere.
            int key = random.nextBoolean() ? random.nextInt(64) * 65536 : random.nextInt();
            int who = random.nextInt(owners.size());
            if (random.nextInt(3) > 0) {
                boolean free = !model.containsKey(key);
                assertEquals(free, views.get(who).claim(key), "claim " + key + " at step " + step);
                if (free) model.put(key, owners.get(who));
            } else {
                views.get(who).release(key);
                model.remove(key, owners.get(who));
            }
            if (step % 1000 == 0) {
                for (Map.Entry<Integer, String> e : model.entrySet()) assertEquals(e.getValue(), map.owner(e.getKey()), "step " + step);
                assertEquals(model.size(), map.size());
            }
            assertEquals(model.get(key), map.owner(key), "key " + key + " at step " + step);
        }
    }
}
